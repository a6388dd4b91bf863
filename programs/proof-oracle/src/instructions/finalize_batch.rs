use {
    super::now,
    crate::{
        error::OracleError,
        seeds::{SEED_BATCH, SEED_CONFIG},
        state::*,
    },
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct FinalizeBatchArgs {
    pub epoch: u64,
}

/// Re-counts a pending batch's votes under the current set and quorum
/// (after a set change, for instance) and makes it final if a commitment has
/// the quorum. Anyone may call it.
///
/// Checks: the batch is pending and within its deadline; some commitment has
/// the quorum. Emits `BatchFinalized`.
#[event_cpi]
#[derive(Accounts)]
#[instruction(args: FinalizeBatchArgs)]
pub struct FinalizeBatch<'info> {
    #[account(seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, OracleConfig>>,
    #[account(
        mut,
        seeds = [SEED_BATCH, &args.epoch.to_le_bytes()],
        bump = batch.bump,
    )]
    pub batch: Box<Account<'info, EpochBatch>>,
}

impl FinalizeBatch<'_> {
    pub fn validate(&self, args: &FinalizeBatchArgs) -> Result<()> {
        self.batch.require_pending()?;
        let deadline = self.config.finality_deadline_of(args.epoch)?;
        require!(now()? <= deadline, OracleError::DeadlinePassed);
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, _args: FinalizeBatchArgs) -> Result<()> {
        let timestamp = now()?;
        let config = &ctx.accounts.config;
        let batch = &mut ctx.accounts.batch;
        let event = batch
            .try_finalize(config, timestamp)
            .ok_or(OracleError::QuorumNotReached)?;
        batch.invariant()?;
        emit_cpi!(event);
        Ok(())
    }
}
