//! Events for indexers, emitted with `emit_cpi!` (see the registry's).

use {crate::state::Commitment, anchor_lang::prelude::*};

#[event]
pub struct OracleInitialized {
    pub authority: Pubkey,
    pub oracles: Vec<Pubkey>,
    pub quorum: u8,
    pub genesis_timestamp: i64,
    pub epoch_length: i64,
}

#[event]
pub struct OracleSetChanged {
    pub oracles: Vec<Pubkey>,
    pub quorum: u8,
    pub set_version: u32,
}

#[event]
pub struct OracleParamsUpdated {
    pub authority: Pubkey,
    pub challenge_window: i64,
    pub finality_deadline: i64,
    pub price_max_staleness: i64,
    pub price_min_submissions: u8,
}

#[event]
pub struct BatchVoteSubmitted {
    pub epoch: u64,
    pub oracle: Pubkey,
    pub commitment: Commitment,
    pub uri: String,
    /// Whether this vote replaced the oracle's earlier vote.
    pub replaced: bool,
    /// Votes of current oracles for this same commitment, this one included.
    pub matching_votes: u8,
}

impl BatchFinalized {
    /// The event of `batch` just made final by `votes` votes under
    /// `set_version`.
    pub fn of(batch: &crate::state::EpochBatch, votes: u8, set_version: u32) -> Self {
        Self {
            epoch: batch.epoch,
            commitment: batch.commitment,
            uri: batch.uri.clone(),
            votes,
            set_version,
            finalized_at: batch.finalized_at,
        }
    }
}

#[event]
pub struct BatchFinalized {
    pub epoch: u64,
    pub commitment: Commitment,
    pub uri: String,
    pub votes: u8,
    pub set_version: u32,
    pub finalized_at: i64,
}

#[event]
pub struct BatchExpired {
    pub epoch: u64,
}

#[event]
pub struct BatchRejected {
    pub epoch: u64,
    pub commitment: Commitment,
}

#[event]
pub struct PriceSubmitted {
    pub oracle: Pubkey,
    pub price: u64,
    pub timestamp: i64,
}

/// Scopes paused (`scopes` is a `PauseScope` mask) by the authority (until
/// it unpauses) or by the guardian (until `until`).
#[event]
pub struct Paused {
    pub scopes: u8,
    pub by: depin_pause::PausedBy,
    pub signer: Pubkey,
    pub until: i64,
}

#[event]
pub struct Unpaused {
    pub scopes: u8,
}

/// The guardian named (default key: none), armed for one pause of at most
/// `max_pause` seconds.
#[event]
pub struct GuardianSet {
    pub guardian: Pubkey,
    pub max_pause: i64,
}
