use {
    super::{now, queue_deadline, state_changed},
    crate::{error::GovernanceError, seeds::*, state::*},
    anchor_lang::prelude::*,
};

/// Marks a proposal Expired once it can no longer run: succeeded but not
/// queued within its execution window, or queued and not executed before
/// `expires_at`. Anyone may call it; it only records what is already true.
///
/// Checks: the state is Succeeded or Queued and its deadline has passed.
/// Emits `ProposalStateChanged`.
///
/// Attack surface: permissionless, no signer; the proposal PDA (stored bump)
/// is the only account. Bounds: Succeeded once `now >= decided_at +
/// execution_window_secs` (queueing needs `now <` that), Queued once `now >=
/// expires_at` (execution needs `now <` that), so no second allows both
/// queueing (or executing) and expiring. Any other state is refused.
#[event_cpi]
#[derive(Accounts)]
pub struct ExpireProposal<'info> {
    #[account(
        mut,
        seeds = [SEED_PROPOSAL, &proposal.id.to_le_bytes()],
        bump = proposal.bump,
    )]
    pub proposal: Box<Account<'info, Proposal>>,
}

impl ExpireProposal<'_> {
    pub fn validate(&self) -> Result<()> {
        let deadline = match self.proposal.state {
            ProposalState::Succeeded => queue_deadline(&self.proposal)?,
            ProposalState::Queued => self.proposal.expires_at,
            _ => return err!(GovernanceError::NotQueued),
        };
        require!(now()? >= deadline, GovernanceError::NotExpired);
        Ok(())
    }

    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let now = now()?;
        let proposal = &mut ctx.accounts.proposal;
        proposal.state = ProposalState::Expired;
        proposal.invariant()?;
        let event = state_changed(proposal, now);
        emit_cpi!(event);
        Ok(())
    }
}
