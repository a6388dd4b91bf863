//! DePIN governance: token holders lock the network token into
//! vote-escrowed positions, vote on proposals that carry instructions, and
//! executed proposals sign as the DAO authority — the PDA that owns the
//! device registry, the oracle set and the rewards configuration.
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

pub use instructions::*;

declare_id!("9fd4WcB5uwTPooisKFRdyu2eDPttxrhu7dd9f7t7vEH2");

#[program]
pub mod governance {
    use super::*;

    /// Creates the DAO config and vault (the upgrade authority only).
    #[access_control(ctx.accounts.validate(&args))]
    pub fn initialize_governance(
        ctx: Context<InitializeGovernance>,
        args: InitializeGovernanceArgs,
    ) -> Result<()> {
        InitializeGovernance::handler(ctx, args)
    }

    /// Changes the DAO's rules and power parameters (only through a proposal).
    #[access_control(ctx.accounts.validate(&args))]
    pub fn update_governance(
        ctx: Context<UpdateGovernance>,
        args: UpdateGovernanceArgs,
    ) -> Result<()> {
        UpdateGovernance::handler(ctx, args)
    }

    /// Locks tokens in a new position (cliff or constant lockup).
    #[access_control(ctx.accounts.validate(&args))]
    pub fn lock_tokens(ctx: Context<LockTokens>, args: LockTokensArgs) -> Result<()> {
        LockTokens::handler(ctx, args)
    }

    /// Replaces a position's lockup with one that unlocks no earlier.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn relock_position(ctx: Context<RelockPosition>, args: RelockPositionArgs) -> Result<()> {
        RelockPosition::handler(ctx, args)
    }

    /// Merges one position into another, keeping the longer lockup.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn merge_positions(ctx: Context<MergePositions>, args: MergePositionsArgs) -> Result<()> {
        MergePositions::handler(ctx, args)
    }

    /// Withdraws an ended cliff position's tokens.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn withdraw_position(
        ctx: Context<WithdrawPosition>,
        args: WithdrawPositionArgs,
    ) -> Result<()> {
        WithdrawPosition::handler(ctx, args)
    }

    /// Creates a draft proposal (needs the minimum proposal power).
    #[access_control(ctx.accounts.validate(&args))]
    pub fn create_proposal(ctx: Context<CreateProposal>, args: CreateProposalArgs) -> Result<()> {
        CreateProposal::handler(ctx, args)
    }

    /// Adds an instruction the DAO authority will execute to a draft.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn add_instruction(ctx: Context<AddInstruction>, args: AddInstructionArgs) -> Result<()> {
        AddInstruction::handler(ctx, args)
    }

    /// Opens a draft's vote under the rules and power parameters in force.
    #[access_control(ctx.accounts.validate())]
    pub fn activate_proposal(ctx: Context<ActivateProposal>) -> Result<()> {
        ActivateProposal::handler(ctx)
    }

    /// The proposer cancels while voting time remains.
    #[access_control(ctx.accounts.validate())]
    pub fn cancel_proposal(ctx: Context<CancelProposal>) -> Result<()> {
        CancelProposal::handler(ctx)
    }

    /// Votes yes, no or abstain with all of a wallet's counting positions.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn cast_vote(ctx: Context<CastVote>, args: CastVoteArgs) -> Result<()> {
        CastVote::handler(ctx, args)
    }

    /// Decides a proposal whose voting period has ended.
    #[access_control(ctx.accounts.validate())]
    pub fn finalize_vote(ctx: Context<FinalizeVote>) -> Result<()> {
        FinalizeVote::handler(ctx)
    }

    /// Starts a succeeded proposal's timelock.
    #[access_control(ctx.accounts.validate())]
    pub fn queue_proposal(ctx: Context<QueueProposal>) -> Result<()> {
        QueueProposal::handler(ctx)
    }

    /// Runs a queued proposal's instructions as the DAO authority.
    #[access_control(ctx.accounts.validate())]
    pub fn execute_proposal(ctx: Context<ExecuteProposal>) -> Result<()> {
        ExecuteProposal::handler(ctx)
    }

    /// Marks a proposal that missed its execution window expired.
    #[access_control(ctx.accounts.validate())]
    pub fn expire_proposal(ctx: Context<ExpireProposal>) -> Result<()> {
        ExpireProposal::handler(ctx)
    }
}
