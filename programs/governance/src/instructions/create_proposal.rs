use {
    super::now,
    crate::{constants::*, error::GovernanceError, events::ProposalCreated, seeds::*, state::*},
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct CreateProposalArgs {
    pub title: String,
    /// A link to, or a hash of, the full description.
    pub description: String,
}

/// Creates a draft proposal with the next id. Instructions are added with
/// `add_instruction`; `activate_proposal` opens the vote.
///
/// Checks: the proposer signs and owns the voter account; its power,
/// counting positions locked at least one voting period ahead (so tokens
/// cannot propose, leave and propose again), reaches `min_proposal_power`;
/// title 1..=64 bytes, description ≤ 200 bytes. The power is checked again
/// when the vote opens (`activate_proposal`). Emits `ProposalCreated`.
///
/// Attack surface: the proposer signs and pays for the proposal account.
/// Trusted accounts: the config PDA (stored canonical bump), whose
/// `proposal_count` fixes the new PDA `[SEED_PROPOSAL, id]` (`init`, so an id
/// is never reused or overwritten); the proposer's own voter PDA
/// `[SEED_VOTER, proposer]` (stored bump, owner checked), so only the
/// signer's positions count. Bounds: title 1..=64 bytes, description ≤ 200
/// bytes (the account is sized for the maximum text); the power rule is a
/// spam bound, not a stake: the same positions may back any number of
/// proposals, but tokens that could leave within a voting period back none.
#[event_cpi]
#[derive(Accounts)]
pub struct CreateProposal<'info> {
    #[account(mut)]
    pub proposer: Signer<'info>,
    #[account(mut, seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, GovernanceConfig>>,
    #[account(
        seeds = [SEED_VOTER, proposer.key().as_ref()],
        bump = voter.bump,
        constraint = voter.owner == proposer.key() @ GovernanceError::NotOwner,
    )]
    pub voter: Box<Account<'info, Voter>>,
    #[account(
        init,
        payer = proposer,
        space = Proposal::space(&[]),
        seeds = [SEED_PROPOSAL, &config.proposal_count.to_le_bytes()],
        bump,
    )]
    pub proposal: Box<Account<'info, Proposal>>,
    pub system_program: Program<'info, System>,
}

impl CreateProposal<'_> {
    pub fn validate(&self, args: &CreateProposalArgs) -> Result<()> {
        require!(
            (1..=MAX_TITLE_LEN).contains(&args.title.len())
                && args.description.len() <= MAX_DESCRIPTION_LEN,
            GovernanceError::InvalidText
        );
        require!(
            self.config.may_propose(&self.voter, now()?)?,
            GovernanceError::InsufficientPower
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: CreateProposalArgs) -> Result<()> {
        let config = &mut ctx.accounts.config;
        let id = config.proposal_count;
        config.proposal_count = id.checked_add(1).ok_or(GovernanceError::Overflow)?;
        let proposal = &mut ctx.accounts.proposal;
        proposal.set_inner(Proposal {
            id,
            proposer: ctx.accounts.proposer.key(),
            bump: ctx.bumps.proposal,
            state: ProposalState::Draft,
            title: args.title,
            description: args.description,
            created_at: now()?,
            voting_starts_at: 0,
            voting_ends_at: 0,
            quorum_power: 0,
            approval_threshold_bps: 0,
            early_tipping: false,
            timelock_secs: 0,
            execution_window_secs: 0,
            power: VotingPowerParams::default(),
            yes: 0,
            no: 0,
            abstain: 0,
            votes_cast: 0,
            decided_at: 0,
            executable_at: 0,
            expires_at: 0,
            executed_at: 0,
            instructions: Vec::new(),
        });
        proposal.invariant()?;
        config.invariant()?;
        emit_cpi!(ProposalCreated {
            proposal: proposal.key(),
            id,
            proposer: proposal.proposer,
            title: proposal.title.clone(),
            description: proposal.description.clone(),
        });
        Ok(())
    }
}
