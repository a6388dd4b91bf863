use {
    super::now,
    crate::{
        constants::BPS, error::GovernanceError, events::ProposalActivated, seeds::*, state::*,
    },
    anchor_lang::prelude::*,
};

/// Opens the vote on a draft: the voting period starts now, and the rules
/// in force now (quorum, threshold, tipping, timelock, execution window) and
/// the voting-power parameters are copied into the proposal, so a later
/// `update_governance` never re-weighs or re-rules this vote. A
/// `LockedFraction` quorum is computed from the tokens locked now.
///
/// Checks: the proposer signs; the proposal is a draft; the proposer still
/// has the power to propose (the rule of `create_proposal`, at this moment),
/// so a proposer who withdrew after creating cannot pick when a vote opens
/// and which quorum it gets. Emits `ProposalActivated`.
///
/// Attack surface: only the proposer (`has_one` on the proposal PDA, stored
/// bump), with their own voter PDA `[SEED_VOTER, proposer]` (stored bump,
/// owner checked); the config PDA (stored canonical bump). Bound: the power
/// re-check counts only positions that cannot unlock before `now +
/// voting_period_secs`, which is exactly the `voting_ends_at` set here, so
/// the proposer's backing stays locked for the whole vote. The draft's
/// instructions are frozen from here on (`add_instruction` needs a draft).
/// A `LockedFraction` quorum rounds up; it is 0 only when nothing is locked,
/// which needs `min_proposal_power` 0.
#[event_cpi]
#[derive(Accounts)]
pub struct ActivateProposal<'info> {
    pub proposer: Signer<'info>,
    #[account(seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, GovernanceConfig>>,
    /// The proposer's positions.
    #[account(
        seeds = [SEED_VOTER, proposer.key().as_ref()],
        bump = voter.bump,
        constraint = voter.owner == proposer.key() @ GovernanceError::NotOwner,
    )]
    pub voter: Box<Account<'info, Voter>>,
    #[account(
        mut,
        seeds = [SEED_PROPOSAL, &proposal.id.to_le_bytes()],
        bump = proposal.bump,
        has_one = proposer @ GovernanceError::NotProposer,
    )]
    pub proposal: Box<Account<'info, Proposal>>,
}

impl ActivateProposal<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(
            self.proposal.state == ProposalState::Draft,
            GovernanceError::NotDraft
        );
        require!(
            self.config.may_propose(&self.voter, now()?)?,
            GovernanceError::ProposerPowerTooLow
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let now = now()?;
        let config = &ctx.accounts.config;
        let rules = config.rules;
        let quorum_power = match rules.quorum {
            Quorum::Absolute { power } => power,
            Quorum::LockedFraction { bps } => {
                (config.total_locked as u128 * bps as u128).div_ceil(BPS as u128)
            }
        };
        let proposal = &mut ctx.accounts.proposal;
        proposal.state = ProposalState::Voting;
        proposal.voting_starts_at = now;
        proposal.voting_ends_at = now
            .checked_add(rules.voting_period_secs)
            .ok_or(GovernanceError::Overflow)?;
        proposal.quorum_power = quorum_power;
        proposal.approval_threshold_bps = rules.approval_threshold_bps;
        proposal.early_tipping = rules.early_tipping;
        proposal.timelock_secs = rules.timelock_secs;
        proposal.execution_window_secs = rules.execution_window_secs;
        proposal.power = config.power;
        proposal.invariant()?;
        emit_cpi!(ProposalActivated {
            proposal: proposal.key(),
            voting_starts_at: proposal.voting_starts_at,
            voting_ends_at: proposal.voting_ends_at,
            quorum_power,
            power: proposal.power,
        });
        Ok(())
    }
}
