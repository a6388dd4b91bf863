use {
    super::{now, pay_from_pool, require_claimable},
    crate::{
        constants::MAX_ORACLE_VOTES,
        error::RewardsError,
        events::OracleRewardsClaimed,
        seeds::{SEED_CONFIG, SEED_EPOCH_REWARDS},
        state::*,
    },
    anchor_lang::prelude::*,
    anchor_spl::token::{Mint, Token, TokenAccount},
    proof_oracle::state::EpochBatch,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct ClaimOracleRewardsArgs {
    pub epoch: u64,
}

/// Pays an oracle its share of an epoch's oracle pool: the pool divided
/// equally among the oracles whose votes made that epoch's batch final
/// (rounded down; the dust stays in the pool). Oracles that voted for
/// another root, or whose batch was rejected or expired, earn nothing.
///
/// Checks: the oracle signs; the epoch was issued; the batch is that
/// epoch's, claimable, and holds the oracle's vote for the final
/// commitment; it has not claimed this epoch; the destination has the
/// network mint and belongs to the oracle. Emits `OracleRewardsClaimed`.
///
/// Attack surface: the oracle signs; it need not be in the current set, only
/// hold a vote for the final commitment in the batch. Trusted accounts: the
/// config PDA and the epoch's `EpochRewards` PDA (stored canonical bumps; the
/// latter exists only once the epoch is issued); `batch` by owner and type
/// (its challenge window was fixed when it became final), the batch bound to the epoch (`WrongBatch`);
/// `oracle_pool` and `token_mint` by `address =`; the destination by mint and
/// owner. Bounds: the batch is claimable; the vote's index is below 16 (the
/// bits of `oracle_claimed_mask`) and its bit is clear, one claim per vote;
/// the share is the epoch's oracle amount divided by the matching votes,
/// rounded down, above zero; `oracle_claimed` never exceeds `oracle_issued`;
/// the `OracleClaims` pause.
#[event_cpi]
#[derive(Accounts)]
#[instruction(args: ClaimOracleRewardsArgs)]
pub struct ClaimOracleRewards<'info> {
    pub oracle: Signer<'info>,
    #[account(mut, seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, RewardsConfig>>,
    #[account(
        mut,
        seeds = [SEED_EPOCH_REWARDS, args.epoch.to_le_bytes().as_ref()],
        bump = epoch_rewards.bump,
    )]
    pub epoch_rewards: Box<Account<'info, EpochRewards>>,
    #[account(constraint = batch.epoch == args.epoch @ RewardsError::WrongBatch)]
    pub batch: Box<Account<'info, EpochBatch>>,
    #[account(mut, address = config.oracle_pool)]
    pub oracle_pool: Box<Account<'info, TokenAccount>>,
    #[account(address = config.token_mint @ RewardsError::WrongMint)]
    pub token_mint: Box<Account<'info, Mint>>,
    #[account(
        mut,
        constraint = destination.mint == config.token_mint @ RewardsError::WrongDestinationMint,
        constraint = destination.owner == oracle.key() @ RewardsError::WrongDestinationOwner,
    )]
    pub destination: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

impl ClaimOracleRewards<'_> {
    /// The oracle's vote index in the batch and its share.
    fn share(&self) -> Result<(usize, u64)> {
        let batch = &self.batch;
        let index = batch
            .votes
            .iter()
            .position(|vote| {
                vote.oracle == self.oracle.key() && vote.commitment == batch.commitment
            })
            .filter(|index| *index < MAX_ORACLE_VOTES)
            .ok_or(RewardsError::NotContributingOracle)?;
        let contributors = u64::from(batch.matching_votes(&batch.commitment)).max(1);
        Ok((index, self.epoch_rewards.oracles / contributors))
    }

    pub fn validate(&self, _args: &ClaimOracleRewardsArgs) -> Result<()> {
        self.config
            .require_running(PauseScope::OracleClaims, now()?)?;
        require_claimable(&self.batch, now()?)?;
        let (index, share) = self.share()?;
        require!(
            self.epoch_rewards.oracle_claimed_mask & (1 << index) == 0,
            RewardsError::OracleAlreadyClaimed
        );
        require!(share > 0, RewardsError::NothingToClaim);
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: ClaimOracleRewardsArgs) -> Result<()> {
        let (index, share) = ctx.accounts.share()?;
        let accounts = &mut *ctx.accounts;
        let epoch_rewards = &mut accounts.epoch_rewards;
        epoch_rewards.oracle_claimed_mask |= 1 << index;
        add_to(&mut epoch_rewards.oracle_paid, share)?;
        epoch_rewards.invariant()?;
        let config = &mut accounts.config;
        config.oracle_claimed = config
            .oracle_claimed
            .checked_add(share)
            .filter(|claimed| *claimed <= config.oracle_issued)
            .ok_or(RewardsError::PoolExhausted)?;
        config.invariant()?;
        pay_from_pool(
            &accounts.token_program,
            &accounts.token_mint,
            &accounts.oracle_pool,
            &accounts.destination,
            &accounts.config,
            share,
        )?;
        let event = OracleRewardsClaimed {
            oracle: accounts.oracle.key(),
            epoch: args.epoch,
            amount: share,
        };
        emit_cpi!(event);
        Ok(())
    }
}
