use {
    super::now,
    crate::{
        error::OracleError,
        events::BatchFinalized,
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
///
/// Attack surface: permissionless, no signer beyond the fee payer: it only
/// re-counts votes already cast. Trusted accounts: the config PDA and the
/// batch PDA `[SEED_BATCH, epoch]`, both with stored canonical bumps (another
/// epoch's batch fails the seeds check). Bounds: `now ≤ deadline`, the same
/// inclusive edge as votes; the `BatchVotes` pause.
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
        self.config
            .require_running(PauseScope::BatchVotes, now()?)?;
        self.batch.require_pending()?;
        let deadline = self.config.finality_deadline_of(args.epoch)?;
        require!(now()? <= deadline, OracleError::DeadlinePassed);
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, _args: FinalizeBatchArgs) -> Result<()> {
        let timestamp = now()?;
        let config = &ctx.accounts.config;
        let batch = &mut ctx.accounts.batch;
        let votes = batch
            .try_finalize(config, timestamp)
            .ok_or(OracleError::QuorumNotReached)?;
        batch.invariant()?;
        emit_cpi!(BatchFinalized::of(batch, votes, config.set_version));
        Ok(())
    }
}
