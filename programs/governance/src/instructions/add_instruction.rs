use {
    crate::{
        constants::*, error::GovernanceError, events::ProposalInstructionAdded, seeds::*, state::*,
    },
    anchor_lang::{prelude::*, Discriminator},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct AddInstructionArgs {
    pub instruction: StoredInstruction,
}

/// Appends an instruction to a draft proposal (the account grows to fit).
///
/// Policy for what a proposal may do with the DAO authority's signature:
/// - the program is on the allowed list, or is governance itself calling
///   `update_governance` (nothing else: no executing, voting or
///   withdrawing as the DAO);
/// - the only signer is the DAO authority (execution can sign nothing else);
/// - at most 8 instructions, 16 accounts and 512 data bytes each.
///
/// Checks: the proposer signs; the proposal is a draft. Emits
/// `ProposalInstructionAdded`.
///
/// Attack surface: only the proposer (`has_one` on the proposal PDA, stored
/// bump), who pays for the growth, and only while the proposal is a draft,
/// so the instructions voted on are exactly the ones executed. The config
/// PDA (stored canonical bump) supplies the allowed list and the DAO
/// authority. Bounds: 8 instructions, 16 accounts and 512 data bytes each
/// keep the account and the execution transaction bounded; governance is
/// callable only with the `update_governance` discriminator; the signer flag
/// only on the DAO authority, so execution never signs as the config PDA
/// (the vault's authority) or any other account. The `realloc` is sized from
/// the argument before these checks; a refused instruction reverts it with
/// the transaction.
#[event_cpi]
#[derive(Accounts)]
#[instruction(args: AddInstructionArgs)]
pub struct AddInstruction<'info> {
    #[account(mut)]
    pub proposer: Signer<'info>,
    #[account(seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, GovernanceConfig>>,
    #[account(
        mut,
        seeds = [SEED_PROPOSAL, &proposal.id.to_le_bytes()],
        bump = proposal.bump,
        has_one = proposer @ GovernanceError::NotProposer,
        realloc = Proposal::space(&proposal.instructions) + args.instruction.space(),
        realloc::payer = proposer,
        realloc::zero = false,
    )]
    pub proposal: Box<Account<'info, Proposal>>,
    pub system_program: Program<'info, System>,
}

impl AddInstruction<'_> {
    pub fn validate(&self, args: &AddInstructionArgs) -> Result<()> {
        require!(
            self.proposal.state == ProposalState::Draft,
            GovernanceError::NotDraft
        );
        require!(
            self.proposal.instructions.len() < MAX_INSTRUCTIONS,
            GovernanceError::TooManyInstructions
        );
        validate_stored_instruction(&self.config, &args.instruction)
    }

    pub fn handler(ctx: Context<Self>, args: AddInstructionArgs) -> Result<()> {
        let proposal = &mut ctx.accounts.proposal;
        let program_id = args.instruction.program_id;
        proposal.instructions.push(args.instruction);
        proposal.invariant()?;
        emit_cpi!(ProposalInstructionAdded {
            proposal: proposal.key(),
            index: (proposal.instructions.len() - 1) as u8,
            program_id,
        });
        Ok(())
    }
}

/// The execution policy, checked when an instruction is added and again when
/// it executes (the allowed list may have changed in between).
pub fn validate_stored_instruction(
    config: &GovernanceConfig,
    instruction: &StoredInstruction,
) -> Result<()> {
    require!(
        instruction.accounts.len() <= MAX_INSTRUCTION_ACCOUNTS
            && instruction.data.len() <= MAX_INSTRUCTION_DATA,
        GovernanceError::InstructionTooLarge
    );
    if instruction.program_id == crate::ID {
        require!(
            instruction
                .data
                .starts_with(crate::instruction::UpdateGovernance::DISCRIMINATOR),
            GovernanceError::SelfCallForbidden
        );
    } else {
        require!(
            config.is_allowed_program(&instruction.program_id),
            GovernanceError::ProgramNotAllowed
        );
    }
    require!(
        instruction
            .accounts
            .iter()
            .all(|meta| !meta.is_signer || meta.pubkey == config.dao_authority),
        GovernanceError::ForeignSigner
    );
    Ok(())
}
