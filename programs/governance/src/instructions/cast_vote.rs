use {
    super::{now, state_changed},
    crate::{error::GovernanceError, events::VoteCast, seeds::*, state::*},
    anchor_lang::prelude::*,
    anchor_spl::token::Mint,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct CastVoteArgs {
    pub choice: VoteChoice,
}

/// Votes with all of the wallet's positions that stay locked at least until
/// voting ends (their power at this moment, under the power parameters the
/// proposal snapshotted when its vote opened). One vote per wallet and
/// proposal: the vote record's address is derived from both, and tokens
/// counted here cannot reach another wallet before voting ends.
///
/// Checks: the owner signs and owns the voter account; the token mint is the
/// governance token; the proposal is in voting and its period has not ended;
/// the counted power is not zero. Effects: tallies; creates the vote record;
/// with early tipping, decides the proposal as soon as no remaining power
/// could defeat it — bounded by the mint's whole supply at the largest
/// multiplier, since any token that exists, locked now or not, could still
/// be locked and vote no. Emits `VoteCast` (and `ProposalStateChanged` when
/// it tips).
///
/// Attack surface: the owner signs and pays for the vote record. Trusted
/// accounts: the config PDA (stored canonical bump); the owner's voter PDA
/// (`has_one`, stored bump), so only the signer's positions count; the
/// proposal PDA (stored bump); the vote record, `init` at `[SEED_VOTE_RECORD,
/// proposal, owner]`, so a second vote by the wallet fails; `token_mint` by
/// `address =` against the config (another mint's smaller supply would make
/// tipping easier). Bounds: `now < voting_ends_at` (at that second voting is
/// over and `finalize_vote` may run); only positions whose earliest unlock
/// is at or after `voting_ends_at`, which no withdrawal, relock or merge
/// moves earlier, so a token votes once per proposal; power > 0; tallies
/// checked in `u128`. Tipping bound: the mint's supply at this moment; tokens
/// minted later in the voting period (e.g. by the rewards program's
/// issuance) are not in it, so tipping is final only for a supply that does
/// not grow during the vote.
#[event_cpi]
#[derive(Accounts)]
pub struct CastVote<'info> {
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, GovernanceConfig>>,
    #[account(
        seeds = [SEED_VOTER, owner.key().as_ref()],
        bump = voter.bump,
        has_one = owner @ GovernanceError::NotOwner,
    )]
    pub voter: Box<Account<'info, Voter>>,
    #[account(
        mut,
        seeds = [SEED_PROPOSAL, &proposal.id.to_le_bytes()],
        bump = proposal.bump,
    )]
    pub proposal: Box<Account<'info, Proposal>>,
    #[account(
        init,
        payer = owner,
        space = VoteRecord::SPACE,
        seeds = [SEED_VOTE_RECORD, proposal.key().as_ref(), owner.key().as_ref()],
        bump,
    )]
    pub vote_record: Box<Account<'info, VoteRecord>>,
    /// The governance token: its supply bounds the power still to come.
    #[account(address = config.token_mint @ GovernanceError::WrongMint)]
    pub token_mint: Box<Account<'info, Mint>>,
    pub system_program: Program<'info, System>,
}

impl CastVote<'_> {
    pub fn validate(&self, _args: &CastVoteArgs) -> Result<()> {
        require!(
            self.proposal.state == ProposalState::Voting,
            GovernanceError::NotVoting
        );
        require!(
            now()? < self.proposal.voting_ends_at,
            GovernanceError::VotingEnded
        );
        Ok(())
    }

    pub fn handler(mut ctx: Context<Self>, args: CastVoteArgs) -> Result<()> {
        let now = now()?;
        let accounts = &mut ctx.accounts;
        let proposal = &mut accounts.proposal;
        let power = accounts
            .voter
            .voting_power(&proposal.power, now, proposal.voting_ends_at)?;
        require!(power > 0, GovernanceError::NoVotingPower);

        let tally = match args.choice {
            VoteChoice::Yes => &mut proposal.yes,
            VoteChoice::No => &mut proposal.no,
            VoteChoice::Abstain => &mut proposal.abstain,
        };
        *tally = tally.checked_add(power).ok_or(GovernanceError::Overflow)?;
        proposal.votes_cast = proposal
            .votes_cast
            .checked_add(1)
            .ok_or(GovernanceError::Overflow)?;
        accounts.vote_record.set_inner(VoteRecord {
            proposal: proposal.key(),
            voter: accounts.owner.key(),
            choice: args.choice,
            power,
            voted_at: now,
            bump: ctx.bumps.vote_record,
        });
        let vote_cast = VoteCast {
            proposal: proposal.key(),
            voter: accounts.owner.key(),
            choice: args.choice,
            power,
            yes: proposal.yes,
            no: proposal.no,
            abstain: proposal.abstain,
        };
        let tipped = proposal.tips_against_supply(accounts.token_mint.supply)?;
        if tipped {
            proposal.state = ProposalState::Succeeded;
            proposal.decided_at = now;
        }
        proposal.invariant()?;
        let tip = state_changed(proposal, now);
        emit_cpi!(vote_cast);
        if tipped {
            emit_cpi!(tip);
        }
        Ok(())
    }
}
