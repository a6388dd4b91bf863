use {
    super::{now, state_changed},
    crate::{error::GovernanceError, seeds::*, state::*},
    anchor_lang::prelude::*,
};

/// The proposer withdraws a proposal that is still a draft, or in voting
/// while voting time remains. A vote whose time is over is decided (even
/// before anyone finalizes it), and a decided proposal cannot be cancelled:
/// after a vote only its own timeline (execution or expiry) ends it.
///
/// Checks: the proposer signs; the state is Draft, or Voting with
/// `now < voting_ends_at` (the bound `cast_vote` uses: at `voting_ends_at`
/// exactly the vote is over). Emits `ProposalStateChanged`.
///
/// Attack surface: only the proposer (`has_one` on the proposal PDA, stored
/// bump). Bound: the cancel window is the voting window exactly (`now <
/// voting_ends_at`, as in `cast_vote`, the complement of `finalize_vote`),
/// so a vote whose time is up, finalized or not, and a proposal that tipped
/// (already Succeeded) cannot be cancelled; nor can anything decided,
/// queued or executed. Cancelled is final.
#[event_cpi]
#[derive(Accounts)]
pub struct CancelProposal<'info> {
    pub proposer: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_PROPOSAL, &proposal.id.to_le_bytes()],
        bump = proposal.bump,
        has_one = proposer @ GovernanceError::NotProposer,
    )]
    pub proposal: Box<Account<'info, Proposal>>,
}

impl CancelProposal<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(
            matches!(
                self.proposal.state,
                ProposalState::Draft | ProposalState::Voting
            ),
            GovernanceError::NotVoting
        );
        require!(
            self.proposal.state == ProposalState::Draft || now()? < self.proposal.voting_ends_at,
            GovernanceError::CancelWindowClosed
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let now = now()?;
        let proposal = &mut ctx.accounts.proposal;
        proposal.state = ProposalState::Cancelled;
        proposal.decided_at = now;
        proposal.invariant()?;
        let event = state_changed(proposal, now);
        emit_cpi!(event);
        Ok(())
    }
}
