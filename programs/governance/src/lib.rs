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

    #[access_control(ctx.accounts.validate(&args))]
    pub fn initialize_governance(
        ctx: Context<InitializeGovernance>,
        args: InitializeGovernanceArgs,
    ) -> Result<()> {
        InitializeGovernance::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn update_governance(
        ctx: Context<UpdateGovernance>,
        args: UpdateGovernanceArgs,
    ) -> Result<()> {
        UpdateGovernance::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn lock_tokens(ctx: Context<LockTokens>, args: LockTokensArgs) -> Result<()> {
        LockTokens::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn relock_position(ctx: Context<RelockPosition>, args: RelockPositionArgs) -> Result<()> {
        RelockPosition::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn merge_positions(ctx: Context<MergePositions>, args: MergePositionsArgs) -> Result<()> {
        MergePositions::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn withdraw_position(
        ctx: Context<WithdrawPosition>,
        args: WithdrawPositionArgs,
    ) -> Result<()> {
        WithdrawPosition::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn create_proposal(ctx: Context<CreateProposal>, args: CreateProposalArgs) -> Result<()> {
        CreateProposal::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn add_instruction(ctx: Context<AddInstruction>, args: AddInstructionArgs) -> Result<()> {
        AddInstruction::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate())]
    pub fn activate_proposal(ctx: Context<ActivateProposal>) -> Result<()> {
        ActivateProposal::handler(ctx)
    }

    #[access_control(ctx.accounts.validate())]
    pub fn cancel_proposal(ctx: Context<CancelProposal>) -> Result<()> {
        CancelProposal::handler(ctx)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn cast_vote(ctx: Context<CastVote>, args: CastVoteArgs) -> Result<()> {
        CastVote::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate())]
    pub fn finalize_vote(ctx: Context<FinalizeVote>) -> Result<()> {
        FinalizeVote::handler(ctx)
    }

    #[access_control(ctx.accounts.validate())]
    pub fn queue_proposal(ctx: Context<QueueProposal>) -> Result<()> {
        QueueProposal::handler(ctx)
    }

    #[access_control(ctx.accounts.validate())]
    pub fn execute_proposal(ctx: Context<ExecuteProposal>) -> Result<()> {
        ExecuteProposal::handler(ctx)
    }

    #[access_control(ctx.accounts.validate())]
    pub fn expire_proposal(ctx: Context<ExpireProposal>) -> Result<()> {
        ExpireProposal::handler(ctx)
    }
}
