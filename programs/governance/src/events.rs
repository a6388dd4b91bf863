//! Events for indexers, emitted through Anchor's self-CPI (`emit_cpi!`).

use {
    crate::state::{Lockup, ProposalRules, ProposalState, VoteChoice, VotingPowerParams},
    anchor_lang::prelude::*,
};

#[event]
pub struct GovernanceInitialized {
    pub token_mint: Pubkey,
    pub vault: Pubkey,
    pub dao_authority: Pubkey,
}

#[event]
pub struct GovernanceUpdated {
    pub power: VotingPowerParams,
    pub rules: ProposalRules,
    pub allowed_programs: Vec<Pubkey>,
}

#[event]
pub struct PositionLocked {
    pub owner: Pubkey,
    pub index: u8,
    pub amount: u64,
    pub lockup: Lockup,
    pub total_locked: u64,
}

#[event]
pub struct PositionRelocked {
    pub owner: Pubkey,
    pub index: u8,
    pub lockup: Lockup,
}

#[event]
pub struct PositionsMerged {
    pub owner: Pubkey,
    /// Index of the merged position after the source was removed.
    pub index: u8,
    pub removed_index: u8,
    pub amount: u64,
    pub lockup: Lockup,
}

#[event]
pub struct PositionWithdrawn {
    pub owner: Pubkey,
    pub index: u8,
    pub amount: u64,
    pub total_locked: u64,
}

#[event]
pub struct ProposalCreated {
    pub proposal: Pubkey,
    pub id: u64,
    pub proposer: Pubkey,
    pub title: String,
    pub description: String,
}

#[event]
pub struct ProposalInstructionAdded {
    pub proposal: Pubkey,
    pub index: u8,
    pub program_id: Pubkey,
}

#[event]
pub struct ProposalActivated {
    pub proposal: Pubkey,
    pub voting_starts_at: i64,
    pub voting_ends_at: i64,
    pub quorum_power: u128,
    /// The voting-power parameters every vote on it is weighed with.
    pub power: VotingPowerParams,
}

#[event]
pub struct VoteCast {
    pub proposal: Pubkey,
    pub voter: Pubkey,
    pub choice: VoteChoice,
    pub power: u128,
    pub yes: u128,
    pub no: u128,
    pub abstain: u128,
}

/// Any change of a proposal's state after voting started.
#[event]
pub struct ProposalStateChanged {
    pub proposal: Pubkey,
    pub state: ProposalState,
    pub at: i64,
}
