use {
    super::now,
    crate::{
        error::OracleError,
        events::BatchExpired,
        seeds::{SEED_BATCH, SEED_CONFIG},
        state::*,
    },
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct ExpireBatchArgs {
    pub epoch: u64,
}

/// Marks an epoch's batch expired once its finality deadline has passed
/// without a quorum, so no epoch blocks the ones after it (rewards are
/// cumulative: the next final batch covers the expired epoch). Anyone may
/// call it; the account is created if no oracle ever voted.
///
/// Checks: the deadline has passed; the batch is pending. Emits
/// `BatchExpired`.
///
/// Attack surface: permissionless; the payer signs only to fund the batch
/// account if no oracle ever voted. Trusted accounts: the config PDA (stored
/// canonical bump) and the batch PDA `[SEED_BATCH, epoch]` (`init_if_needed`,
/// canonical bump; recorded votes are kept). Bound: strictly after the
/// deadline (`now > deadline`), so no second exists in which a batch may both
/// still become final and be expired. Not behind a pause switch.
#[event_cpi]
#[derive(Accounts)]
#[instruction(args: ExpireBatchArgs)]
pub struct ExpireBatch<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, OracleConfig>>,
    #[account(
        init_if_needed,
        payer = payer,
        space = EpochBatch::SPACE,
        seeds = [SEED_BATCH, &args.epoch.to_le_bytes()],
        bump,
    )]
    pub batch: Box<Account<'info, EpochBatch>>,
    pub system_program: Program<'info, System>,
}

impl ExpireBatch<'_> {
    pub fn validate(&self, args: &ExpireBatchArgs) -> Result<()> {
        self.batch.require_pending()?;
        let deadline = self.config.finality_deadline_of(args.epoch)?;
        require!(now()? > deadline, OracleError::DeadlineNotPassed);
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: ExpireBatchArgs) -> Result<()> {
        let batch = &mut ctx.accounts.batch;
        batch.open(args.epoch, ctx.bumps.batch);
        batch.status = BatchStatus::Expired;
        batch.invariant()?;
        emit_cpi!(BatchExpired { epoch: args.epoch });
        Ok(())
    }
}
