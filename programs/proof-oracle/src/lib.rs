//! DePIN proof oracle.
//!
//! A governed set of oracles verifies off-chain what devices did (coverage,
//! uptime, storage, compute) and commits, once per epoch, a Merkle-sum root
//! of every device's cumulative reward. One transaction per oracle per epoch
//! suffices for any number of devices, and a batch is final only when M of
//! the N oracles agree. The same oracles post the network token's price.
//!
//! This file only forwards to the handlers in `instructions/`.

use anchor_lang::prelude::*;
// Links memcpy and the i128/soft-float helpers into the project's own SBF
// build (scripts/sbf); see Cargo.toml.
#[cfg(all(target_os = "solana", target_arch = "bpf"))]
use solana_compiler_builtins as _;

pub mod constants;
pub mod error;
pub mod events;
pub mod instructions;
pub mod seeds;
pub mod state;

pub use {depin_merkle as merkle, instructions::*};

declare_id!("7QGhVMfTpxAGqUt6cXtMqoqFaqvv9UhdawV7SwNt3seu");

#[program]
pub mod proof_oracle {
    use super::*;

    /// Creates the oracle set, epoch clock and price feed (the upgrade authority only).
    #[access_control(ctx.accounts.validate(&args))]
    pub fn initialize_oracle(
        ctx: Context<InitializeOracle>,
        args: InitializeOracleArgs,
    ) -> Result<()> {
        InitializeOracle::handler(ctx, args)
    }

    /// Replaces the oracle set and its quorum.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn set_oracle_set(ctx: Context<SetOracleSet>, args: SetOracleSetArgs) -> Result<()> {
        SetOracleSet::handler(ctx, args)
    }

    /// Changes the authority, windows and price parameters.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn update_oracle_params(
        ctx: Context<UpdateOracleParams>,
        args: UpdateOracleParamsArgs,
    ) -> Result<()> {
        UpdateOracleParams::handler(ctx, args)
    }

    /// An oracle's vote for an epoch's reward commitment; final at the quorum.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn submit_batch(ctx: Context<SubmitBatch>, args: SubmitBatchArgs) -> Result<()> {
        SubmitBatch::handler(ctx, args)
    }

    /// Re-counts a pending batch under the current set and quorum.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn finalize_batch(ctx: Context<FinalizeBatch>, args: FinalizeBatchArgs) -> Result<()> {
        FinalizeBatch::handler(ctx, args)
    }

    /// Marks a batch expired once its finality deadline has passed.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn expire_batch(ctx: Context<ExpireBatch>, args: ExpireBatchArgs) -> Result<()> {
        ExpireBatch::handler(ctx, args)
    }

    /// The authority's veto of a final batch inside its challenge window.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn reject_batch(ctx: Context<RejectBatch>, args: RejectBatchArgs) -> Result<()> {
        RejectBatch::handler(ctx, args)
    }

    /// An oracle's token price for the data-credit median.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn submit_price(ctx: Context<SubmitPrice>, args: SubmitPriceArgs) -> Result<()> {
        SubmitPrice::handler(ctx, args)
    }

    /// Pauses batch votes or prices (the authority, or the guardian for its maximum).
    #[access_control(ctx.accounts.validate(&args))]
    pub fn pause(ctx: Context<Pause>, args: PauseArgs) -> Result<()> {
        Pause::handler(ctx, args)
    }

    /// Lifts oracle pauses (the authority only).
    #[access_control(ctx.accounts.validate(&args))]
    pub fn unpause(ctx: Context<Unpause>, args: UnpauseArgs) -> Result<()> {
        Unpause::handler(ctx, args)
    }

    /// Names or removes the oracle's guardian and arms its one pause.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn set_guardian(ctx: Context<SetGuardian>, args: SetGuardianArgs) -> Result<()> {
        SetGuardian::handler(ctx, args)
    }
}
