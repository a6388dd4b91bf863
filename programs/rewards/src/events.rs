//! Events for indexers, emitted through Anchor's self-CPI (`emit_cpi!`).

use {
    crate::state::{ScheduleEntry, UsagePurpose},
    anchor_lang::prelude::*,
};

#[event]
pub struct RewardsInitialized {
    pub authority: Pubkey,
    pub token_mint: Pubkey,
    pub dc_mint: Pubkey,
    pub treasury: Pubkey,
    pub first_epoch: u64,
}

#[event]
pub struct RewardsUpdated {
    pub authority: Pubkey,
    pub treasury: Pubkey,
    pub price_discount_bps: u16,
    pub net_emission_smoothing_epochs: u16,
    pub net_emission_cap: u64,
    pub token_breaker_window: i64,
    pub token_breaker_limit: u64,
    pub dc_breaker_window: i64,
    pub dc_breaker_limit: u64,
}

#[event]
pub struct EmissionScheduleSet {
    pub schedule: Vec<ScheduleEntry>,
}

#[event]
pub struct EpochIssued {
    pub epoch: u64,
    pub emission: u64,
    pub reemission: u64,
    pub devices: u64,
    pub oracles: u64,
    pub treasury: u64,
    pub tokens_burned: u64,
    pub supply: u64,
}

#[event]
pub struct DataCreditsMinted {
    pub owner: Pubkey,
    pub recipient: Pubkey,
    pub epoch: u64,
    pub tokens_burned: u64,
    pub dc_minted: u64,
    /// Millionths of a dollar per whole token, after the discount.
    pub price: u64,
}

#[event]
pub struct DataCreditsBurned {
    pub owner: Pubkey,
    pub epoch: u64,
    pub amount: u64,
    pub purpose: UsagePurpose,
}

#[event]
pub struct RewardsClaimed {
    /// The wallet paid (the leaf's recipient).
    pub recipient: Pubkey,
    /// Who submitted the claim (the recipient, or a payout crank).
    pub payer: Pubkey,
    pub batch_epoch: u64,
    pub amount: u64,
    /// The wallet's cumulative total paid after this claim.
    pub total_claimed: u64,
}

#[event]
pub struct OracleRewardsClaimed {
    pub oracle: Pubkey,
    pub epoch: u64,
    pub amount: u64,
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

/// Unclaimable oracle-pool tokens of `epoch` moved to the treasury.
#[event]
pub struct OracleRewardsSwept {
    pub epoch: u64,
    pub amount: u64,
    pub treasury: Pubkey,
}
