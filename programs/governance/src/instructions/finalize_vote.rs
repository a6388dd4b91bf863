use {
    super::{now, state_changed},
    crate::{error::GovernanceError, seeds::*, state::*},
    anchor_lang::prelude::*,
};

/// Decides a proposal once its voting period has ended: Succeeded when the
/// quorum is reached and yes / (yes + no) meets the threshold, otherwise
/// Defeated. Anyone may call it.
///
/// Checks: the proposal is in voting; its period has ended. Emits
/// `ProposalStateChanged`.
///
/// Attack surface: permissionless, no signer. The proposal PDA (stored bump)
/// is the only account; the outcome follows from its tallies and the quorum
/// and threshold snapshotted when the vote opened. Bound: `now >=
/// voting_ends_at`, the complement of `cast_vote`'s `now < voting_ends_at`,
/// so no second exists in which a vote can still be cast and the proposal
/// decided. A tipped proposal is already Succeeded and is not re-decided.
#[event_cpi]
#[derive(Accounts)]
pub struct FinalizeVote<'info> {
    #[account(
        mut,
        seeds = [SEED_PROPOSAL, &proposal.id.to_le_bytes()],
        bump = proposal.bump,
    )]
    pub proposal: Box<Account<'info, Proposal>>,
}

impl FinalizeVote<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(
            self.proposal.state == ProposalState::Voting,
            GovernanceError::NotVoting
        );
        require!(
            now()? >= self.proposal.voting_ends_at,
            GovernanceError::VotingNotEnded
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let now = now()?;
        let proposal = &mut ctx.accounts.proposal;
        proposal.state = if proposal.passes()? {
            ProposalState::Succeeded
        } else {
            ProposalState::Defeated
        };
        proposal.decided_at = now;
        proposal.invariant()?;
        let event = state_changed(proposal, now);
        emit_cpi!(event);
        Ok(())
    }
}
