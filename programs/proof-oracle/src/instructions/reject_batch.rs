use {
    super::now,
    crate::{
        error::OracleError,
        events::BatchRejected,
        seeds::{SEED_BATCH, SEED_CONFIG},
        state::*,
    },
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct RejectBatchArgs {
    pub epoch: u64,
}

/// The authority's veto of a final batch inside its challenge window. A
/// rejected batch never pays; the next epoch's batch (cumulative amounts)
/// carries the correct totals.
///
/// Checks: the authority signs; the batch is final; its challenge window is
/// still open. Emits `BatchRejected`.
///
/// Attack surface: only the authority (`has_one` on the config PDA, stored
/// canonical bump); the batch PDA `[SEED_BATCH, epoch]` with its stored bump.
/// Bound: `now < challenge_ends_at` (fixed at finality from the window then
/// in force, so a later parameter change neither reopens nor shortens a
/// veto), the exact complement of
/// `EpochBatch::is_claimable`, so no second exists in which a batch is both
/// claimable and still rejectable.
#[event_cpi]
#[derive(Accounts)]
#[instruction(args: RejectBatchArgs)]
pub struct RejectBatch<'info> {
    pub authority: Signer<'info>,
    #[account(
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ OracleError::NotAuthority,
    )]
    pub config: Box<Account<'info, OracleConfig>>,
    #[account(
        mut,
        seeds = [SEED_BATCH, &args.epoch.to_le_bytes()],
        bump = batch.bump,
    )]
    pub batch: Box<Account<'info, EpochBatch>>,
}

impl RejectBatch<'_> {
    pub fn validate(&self, _args: &RejectBatchArgs) -> Result<()> {
        require!(
            self.batch.status == BatchStatus::Final,
            OracleError::BatchNotFinal
        );
        require!(
            now()? < self.batch.challenge_ends_at,
            OracleError::ChallengeWindowClosed
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: RejectBatchArgs) -> Result<()> {
        let batch = &mut ctx.accounts.batch;
        batch.status = BatchStatus::Rejected;
        batch.invariant()?;
        emit_cpi!(BatchRejected {
            epoch: args.epoch,
            commitment: batch.commitment,
        });
        Ok(())
    }
}
