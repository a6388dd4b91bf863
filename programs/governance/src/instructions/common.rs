//! Helpers the handlers share.

use {
    crate::{error::GovernanceError, events::ProposalStateChanged, state::*},
    anchor_lang::prelude::*,
};

pub(crate) fn now() -> Result<i64> {
    Ok(Clock::get()?.unix_timestamp)
}

/// The event for a proposal that has just moved to its current state.
pub(crate) fn state_changed(proposal: &Account<Proposal>, at: i64) -> ProposalStateChanged {
    ProposalStateChanged {
        proposal: proposal.key(),
        state: proposal.state,
        at,
    }
}

/// A lockup request: `duration_secs` of `kind`, starting now.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct LockupArgs {
    pub kind: LockupKind,
    pub duration_secs: i64,
}

impl LockupArgs {
    pub fn validate(&self, params: &VotingPowerParams) -> Result<()> {
        require!(
            (params.min_lockup_secs..=params.max_lockup_secs).contains(&self.duration_secs),
            GovernanceError::InvalidLockup
        );
        Ok(())
    }
}
