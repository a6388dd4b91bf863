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
