//! DePIN rewards: the network token and its emission schedule, burn-and-mint
//! data credits at the oracle price, and claims of device and oracle rewards
//! against quorum-final proof batches.
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
pub mod pricing;
pub mod seeds;
pub mod state;

pub use instructions::*;

declare_id!("2DdV4vAWs2mmgxgYEoHAhJZVgzpx74UHCcWkMnYPJXhM");

#[program]
pub mod rewards {
    use super::*;

    /// Creates the mints, pools, treasury and ledger (the upgrade authority only).
    #[access_control(ctx.accounts.validate(&args))]
    pub fn initialize_rewards(
        ctx: Context<InitializeRewards>,
        args: InitializeRewardsArgs,
    ) -> Result<()> {
        InitializeRewards::handler(ctx, args)
    }

    /// Changes the authority, treasury, breakers, discount and net-emission settings.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn update_rewards(ctx: Context<UpdateRewards>, args: UpdateRewardsArgs) -> Result<()> {
        UpdateRewards::handler(ctx, args)
    }

    /// Replaces the emission schedule from the next unstarted epoch on.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn set_emission_schedule(
        ctx: Context<SetEmissionSchedule>,
        args: SetEmissionScheduleArgs,
    ) -> Result<()> {
        SetEmissionSchedule::handler(ctx, args)
    }

    /// Mints an ended epoch's emission and net emission into the pools and treasury.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn issue_epoch(ctx: Context<IssueEpoch>, args: IssueEpochArgs) -> Result<()> {
        IssueEpoch::handler(ctx, args)
    }

    /// Burns network tokens for data credits at the oracle price.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn mint_data_credits(
        ctx: Context<MintDataCredits>,
        args: MintDataCreditsArgs,
    ) -> Result<()> {
        MintDataCredits::handler(ctx, args)
    }

    /// Spends data credits for a usage purpose.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn burn_data_credits(
        ctx: Context<BurnDataCredits>,
        args: BurnDataCreditsArgs,
    ) -> Result<()> {
        BurnDataCredits::handler(ctx, args)
    }

    /// Pays a recipient wallet what a final batch owes it, for its whole fleet.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn claim_rewards(ctx: Context<ClaimRewards>, args: ClaimRewardsArgs) -> Result<()> {
        ClaimRewards::handler(ctx, args)
    }

    /// Pays an oracle its share of an epoch it helped make final.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn claim_oracle_rewards(
        ctx: Context<ClaimOracleRewards>,
        args: ClaimOracleRewardsArgs,
    ) -> Result<()> {
        ClaimOracleRewards::handler(ctx, args)
    }

    /// Moves an epoch's unclaimable oracle share to the treasury.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn sweep_oracle_rewards(
        ctx: Context<SweepOracleRewards>,
        args: SweepOracleRewardsArgs,
    ) -> Result<()> {
        SweepOracleRewards::handler(ctx, args)
    }

    /// Pauses issuance, claims or credit purchases (the authority, or the guardian).
    #[access_control(ctx.accounts.validate(&args))]
    pub fn pause(ctx: Context<Pause>, args: PauseArgs) -> Result<()> {
        Pause::handler(ctx, args)
    }

    /// Lifts rewards pauses (the authority only).
    #[access_control(ctx.accounts.validate(&args))]
    pub fn unpause(ctx: Context<Unpause>, args: UnpauseArgs) -> Result<()> {
        Unpause::handler(ctx, args)
    }

    /// Names or removes the rewards guardian and arms its one pause.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn set_guardian(ctx: Context<SetGuardian>, args: SetGuardianArgs) -> Result<()> {
        SetGuardian::handler(ctx, args)
    }
}
