pub mod activate_proposal;
pub mod add_instruction;
pub mod cancel_proposal;
pub mod cast_vote;
pub mod create_proposal;
pub mod execute_proposal;
pub mod expire_proposal;
pub mod finalize_vote;
pub mod initialize_governance;
pub mod lock_tokens;
pub mod merge_positions;
pub mod queue_proposal;
pub mod relock_position;
pub mod update_governance;
pub mod withdraw_position;

pub use {
    activate_proposal::*, add_instruction::*, cancel_proposal::*, cast_vote::*, create_proposal::*,
    execute_proposal::*, expire_proposal::*, finalize_vote::*, initialize_governance::*,
    lock_tokens::*, merge_positions::*, queue_proposal::*, relock_position::*,
    update_governance::*, withdraw_position::*,
};

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
