use {
    crate::{
        error::RewardsError,
        events::OracleRewardsSwept,
        seeds::{SEED_CONFIG, SEED_EPOCH_REWARDS},
        state::*,
    },
    anchor_lang::prelude::*,
    anchor_spl::token::{Mint, Token, TokenAccount},
    proof_oracle::state::{BatchStatus, EpochBatch},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct SweepOracleRewardsArgs {
    pub epoch: u64,
}

/// Moves the part of an epoch's oracle share that no oracle can ever claim
/// to the treasury: all of what is unpaid when the epoch's batch was
/// rejected or expired, and the split dust (`oracles mod contributors`)
/// when it is final.
///
/// Attack surface: the authority (the DAO, through a proposal). Trusted accounts: the
/// config and epoch record (PDAs), the batch (owned by the oracle program,
/// checked to be this epoch's), the pool and treasury (the config's). A
/// pending batch is refused (`BatchNotSettled`): its share may still be
/// claimed. Sweeping is idempotent: what was swept is recorded and never
/// swept twice, and never reaches what a contributing oracle may still
/// claim. Emits `OracleRewardsSwept`.
#[event_cpi]
#[derive(Accounts)]
#[instruction(args: SweepOracleRewardsArgs)]
pub struct SweepOracleRewards<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ RewardsError::NotAuthority,
    )]
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
    #[account(mut, address = config.treasury)]
    pub treasury: Box<Account<'info, TokenAccount>>,
    #[account(address = config.token_mint @ RewardsError::WrongMint)]
    pub token_mint: Box<Account<'info, Mint>>,
    pub token_program: Program<'info, Token>,
}

impl SweepOracleRewards<'_> {
    /// What of the epoch's oracle share can never be claimed and has not
    /// been swept yet.
    pub fn sweepable(&self) -> Result<u64> {
        let epoch = &self.epoch_rewards;
        let unclaimable = match self.batch.status {
            BatchStatus::Pending => return err!(RewardsError::BatchNotSettled),
            BatchStatus::Rejected | BatchStatus::Expired => epoch
                .oracles
                .checked_sub(epoch.oracle_paid)
                .ok_or(RewardsError::Overflow)?,
            BatchStatus::Final => {
                let contributors =
                    u64::from(self.batch.matching_votes(&self.batch.commitment)).max(1);
                epoch.oracles % contributors
            }
        };
        Ok(unclaimable.saturating_sub(epoch.oracle_swept))
    }

    pub fn validate(&self, _args: &SweepOracleRewardsArgs) -> Result<()> {
        require!(self.sweepable()? > 0, RewardsError::NothingToSweep);
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: SweepOracleRewardsArgs) -> Result<()> {
        let amount = ctx.accounts.sweepable()?;
        let accounts = &mut *ctx.accounts;
        add_to(&mut accounts.epoch_rewards.oracle_swept, amount)?;
        accounts.epoch_rewards.invariant()?;
        add_to(&mut accounts.config.oracle_swept, amount)?;
        accounts.config.invariant()?;
        super::pay_from_pool(
            &accounts.token_program,
            &accounts.token_mint,
            &accounts.oracle_pool,
            &accounts.treasury,
            &accounts.config,
            amount,
        )?;
        let event = OracleRewardsSwept {
            epoch: args.epoch,
            amount,
            treasury: accounts.treasury.key(),
        };
        emit_cpi!(event);
        Ok(())
    }
}
