use {
    super::{now, state_changed},
    crate::{error::GovernanceError, seeds::*, state::*},
    anchor_lang::prelude::*,
};

/// Starts a succeeded proposal's timelock: it may execute from
/// `executable_at = now + timelock` until `expires_at = executable_at +
/// execution window`. Anyone may call it.
///
/// Checks: the proposal succeeded, no longer ago than its execution window
/// (a forgotten success cannot be queued years later). Emits
/// `ProposalStateChanged`.
///
/// Attack surface: permissionless, no signer; the proposal PDA (stored bump)
/// is the only account, so no one can hold a success back. Bounds: `now <
/// decided_at + execution_window_secs`, the complement of `expire_proposal`'s
/// deadline for a succeeded proposal; timelock and window are the
/// snapshotted ones, and the window's 60 s minimum keeps `executable_at <
/// expires_at`. Nothing can cancel a queued proposal: the timelock is notice,
/// not a veto.
#[event_cpi]
#[derive(Accounts)]
pub struct QueueProposal<'info> {
    #[account(
        mut,
        seeds = [SEED_PROPOSAL, &proposal.id.to_le_bytes()],
        bump = proposal.bump,
    )]
    pub proposal: Box<Account<'info, Proposal>>,
}

impl QueueProposal<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(
            self.proposal.state == ProposalState::Succeeded,
            GovernanceError::NotSucceeded
        );
        require!(
            now()? < queue_deadline(&self.proposal)?,
            GovernanceError::ProposalExpired
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let now = now()?;
        let proposal = &mut ctx.accounts.proposal;
        proposal.state = ProposalState::Queued;
        proposal.executable_at = now
            .checked_add(proposal.timelock_secs)
            .ok_or(GovernanceError::Overflow)?;
        proposal.expires_at = proposal
            .executable_at
            .checked_add(proposal.execution_window_secs)
            .ok_or(GovernanceError::Overflow)?;
        proposal.invariant()?;
        let event = state_changed(proposal, now);
        emit_cpi!(event);
        Ok(())
    }
}

/// The last moment a succeeded proposal can be queued.
pub fn queue_deadline(proposal: &Proposal) -> Result<i64> {
    proposal
        .decided_at
        .checked_add(proposal.execution_window_secs)
        .ok_or_else(|| GovernanceError::Overflow.into())
}
