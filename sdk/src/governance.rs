//! Instruction builders for the governance program, and helpers to turn
//! instructions of the other programs into proposal instructions signed by
//! the DAO authority.

/// The program's own modules: its accounts (`state`), `events`, `error`
/// codes, `constants` and PDA `seeds`.
pub use ::governance::{constants, error, events, instructions, seeds, state, ID};
pub use governance::{
    constants::*,
    instructions::{
        AddInstructionArgs, CastVoteArgs, CreateProposalArgs, InitializeGovernanceArgs,
        LockTokensArgs, LockupArgs, MergePositionsArgs, RelockPositionArgs, UpdateGovernanceArgs,
        WithdrawPositionArgs,
    },
    state::{
        GovernanceConfig, Lockup, LockupKind, Position, Proposal, ProposalRules, ProposalState,
        Quorum, StoredAccountMeta, StoredInstruction, VoteChoice, VoteRecord, Voter,
        VotingPowerParams,
    },
};
use {
    crate::{pda, token},
    anchor_lang::{
        prelude::Pubkey,
        solana_program::instruction::{AccountMeta, Instruction},
        system_program, InstructionData, ToAccountMetas,
    },
    governance::{accounts, instruction},
};

const PROGRAM_ID: Pubkey = governance::ID;

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    crate::anchor_instruction(PROGRAM_ID, accounts, data)
}

fn event_authority() -> Pubkey {
    pda::event_authority(&PROGRAM_ID)
}

pub fn dao_authority() -> Pubkey {
    pda::dao_authority().0
}

pub fn initialize_governance(
    payer: Pubkey,
    upgrade_authority: Pubkey,
    token_mint: Pubkey,
    args: InitializeGovernanceArgs,
) -> Instruction {
    build(
        accounts::InitializeGovernance {
            payer,
            upgrade_authority,
            program_data: pda::program_data(&PROGRAM_ID),
            config: pda::governance_config().0,
            token_mint,
            vault: pda::governance_vault().0,
            dao_authority: dao_authority(),
            token_program: token::SPL_TOKEN_PROGRAM_ID,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::InitializeGovernance { args },
    )
}

/// Signed by the DAO authority: only useful inside a proposal.
pub fn update_governance(args: UpdateGovernanceArgs) -> Instruction {
    build(
        accounts::UpdateGovernance {
            dao_authority: dao_authority(),
            config: pda::governance_config().0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::UpdateGovernance { args },
    )
}

/// Locks `amount` from the owner's token account `source`.
pub fn lock_tokens(
    owner: Pubkey,
    source: Pubkey,
    token_mint: Pubkey,
    amount: u64,
    lockup: LockupArgs,
) -> Instruction {
    build(
        accounts::LockTokens {
            owner,
            config: pda::governance_config().0,
            voter: pda::voter(&owner).0,
            source,
            vault: pda::governance_vault().0,
            token_mint,
            token_program: token::SPL_TOKEN_PROGRAM_ID,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::LockTokens {
            args: LockTokensArgs { amount, lockup },
        },
    )
}

pub fn relock_position(owner: Pubkey, index: u8, lockup: LockupArgs) -> Instruction {
    build(
        accounts::RelockPosition {
            owner,
            config: pda::governance_config().0,
            voter: pda::voter(&owner).0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::RelockPosition {
            args: RelockPositionArgs { index, lockup },
        },
    )
}

pub fn merge_positions(owner: Pubkey, from: u8, into: u8) -> Instruction {
    build(
        accounts::MergePositions {
            owner,
            voter: pda::voter(&owner).0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::MergePositions {
            args: MergePositionsArgs { from, into },
        },
    )
}

pub fn withdraw_position(
    owner: Pubkey,
    index: u8,
    destination: Pubkey,
    token_mint: Pubkey,
) -> Instruction {
    build(
        accounts::WithdrawPosition {
            owner,
            config: pda::governance_config().0,
            voter: pda::voter(&owner).0,
            vault: pda::governance_vault().0,
            destination,
            token_mint,
            token_program: token::SPL_TOKEN_PROGRAM_ID,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::WithdrawPosition {
            args: WithdrawPositionArgs { index },
        },
    )
}

/// Creates proposal `id` (the config's `proposal_count`).
pub fn create_proposal(proposer: Pubkey, id: u64, title: &str, description: &str) -> Instruction {
    build(
        accounts::CreateProposal {
            proposer,
            config: pda::governance_config().0,
            voter: pda::voter(&proposer).0,
            proposal: pda::proposal(id).0,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::CreateProposal {
            args: CreateProposalArgs {
                title: title.into(),
                description: description.into(),
            },
        },
    )
}

pub fn add_instruction(proposer: Pubkey, id: u64, instruction: StoredInstruction) -> Instruction {
    build(
        accounts::AddInstruction {
            proposer,
            config: pda::governance_config().0,
            proposal: pda::proposal(id).0,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::AddInstruction {
            args: AddInstructionArgs { instruction },
        },
    )
}

/// Opens the vote on draft `id`; the proposer's voter account is passed
/// because its power to propose is checked again.
pub fn activate_proposal(proposer: Pubkey, id: u64) -> Instruction {
    build(
        accounts::ActivateProposal {
            proposer,
            config: pda::governance_config().0,
            voter: pda::voter(&proposer).0,
            proposal: pda::proposal(id).0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::ActivateProposal {},
    )
}

pub fn cancel_proposal(proposer: Pubkey, id: u64) -> Instruction {
    build(
        accounts::CancelProposal {
            proposer,
            proposal: pda::proposal(id).0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::CancelProposal {},
    )
}

/// Votes on proposal `id` with every position of `owner`. `token_mint` is
/// the governance token (the config's `token_mint`): its supply bounds early
/// tipping.
pub fn cast_vote(owner: Pubkey, id: u64, choice: VoteChoice, token_mint: Pubkey) -> Instruction {
    let proposal = pda::proposal(id).0;
    build(
        accounts::CastVote {
            owner,
            config: pda::governance_config().0,
            voter: pda::voter(&owner).0,
            proposal,
            vote_record: pda::vote_record(&proposal, &owner).0,
            token_mint,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::CastVote {
            args: CastVoteArgs { choice },
        },
    )
}

pub fn finalize_vote(id: u64) -> Instruction {
    build(
        accounts::FinalizeVote {
            proposal: pda::proposal(id).0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::FinalizeVote {},
    )
}

pub fn queue_proposal(id: u64) -> Instruction {
    build(
        accounts::QueueProposal {
            proposal: pda::proposal(id).0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::QueueProposal {},
    )
}

pub fn expire_proposal(id: u64) -> Instruction {
    build(
        accounts::ExpireProposal {
            proposal: pda::proposal(id).0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::ExpireProposal {},
    )
}

/// Executes proposal `id`, passing each stored instruction's program and
/// accounts in order (as the program requires).
pub fn execute_proposal(id: u64, stored: &[StoredInstruction]) -> Instruction {
    let mut instruction = build(
        accounts::ExecuteProposal {
            config: pda::governance_config().0,
            proposal: pda::proposal(id).0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::ExecuteProposal {},
    );
    instruction.accounts.extend(execution_accounts(stored));
    instruction
}

/// Compute units an `execute_proposal` transaction asks for: the most one
/// transaction may use. It runs every stored instruction (up to 8) as a CPI
/// in one instruction, far past the default 200,000 a transaction gets
/// (measured on SBF: eight small rewards changes need about 190,000).
pub const EXECUTE_PROPOSAL_COMPUTE_UNITS: u32 = 1_400_000;

/// `execute_proposal` preceded by a compute-unit limit of
/// [`EXECUTE_PROPOSAL_COMPUTE_UNITS`] (for senders that set no limit of
/// their own).
pub fn execute_proposal_with_budget(id: u64, stored: &[StoredInstruction]) -> Vec<Instruction> {
    vec![
        solana_compute_budget_interface::ComputeBudgetInstruction::set_compute_unit_limit(
            EXECUTE_PROPOSAL_COMPUTE_UNITS,
        ),
        execute_proposal(id, stored),
    ]
}

/// The remaining accounts of `execute_proposal`: program, then accounts, per
/// stored instruction. The DAO authority is signed for by the program, so no
/// account is a transaction signer.
pub fn execution_accounts(stored: &[StoredInstruction]) -> Vec<AccountMeta> {
    stored
        .iter()
        .flat_map(|ix| {
            std::iter::once(AccountMeta::new_readonly(ix.program_id, false)).chain(
                ix.accounts.iter().map(|meta| AccountMeta {
                    pubkey: meta.pubkey,
                    is_signer: false,
                    is_writable: meta.is_writable,
                }),
            )
        })
        .collect()
}

/// A proposal instruction from an instruction built for the DAO authority
/// (e.g. `device_registry::add_maker(dao_authority(), …)`).
pub fn stored(instruction: &Instruction) -> StoredInstruction {
    StoredInstruction::from(instruction)
}

/// Default voting-power parameters: 1× baseline, up to 3× extra at four
/// years of remaining lockup; lockups from one day to four years.
pub fn default_power_params() -> VotingPowerParams {
    VotingPowerParams {
        baseline_bps: 10_000,
        max_extra_bps: 30_000,
        saturation_secs: 4 * 365 * 86_400,
        min_lockup_secs: 86_400,
        max_lockup_secs: 4 * 365 * 86_400,
    }
}

/// Default proposal rules: three-day votes, a quorum of 10 % of the locked
/// tokens, simple majority, two-day timelock, a week to execute.
pub fn default_proposal_rules(min_proposal_power: u128) -> ProposalRules {
    ProposalRules {
        min_proposal_power,
        voting_period_secs: 3 * 86_400,
        quorum: Quorum::LockedFraction { bps: 1_000 },
        approval_threshold_bps: 5_000,
        early_tipping: false,
        timelock_secs: 2 * 86_400,
        execution_window_secs: 7 * 86_400,
    }
}

/// The programs the DAO may call: the suite's other three, the system
/// program (lamports of the DAO authority) and SPL Token (the treasury).
pub fn default_allowed_programs() -> Vec<Pubkey> {
    vec![
        device_registry::ID,
        proof_oracle::ID,
        rewards::ID,
        system_program::ID,
        token::SPL_TOKEN_PROGRAM_ID,
    ]
}

/// Every vote choice with the name the CLI and JSON use for it.
pub const VOTE_CHOICES: [(VoteChoice, &str); 3] = [
    (VoteChoice::Yes, "yes"),
    (VoteChoice::No, "no"),
    (VoteChoice::Abstain, "abstain"),
];

/// A vote choice by its name (`yes`, `no`, `abstain`).
pub fn parse_vote_choice(name: &str) -> Result<VoteChoice, String> {
    VOTE_CHOICES
        .iter()
        .find(|(_, known)| *known == name)
        .map(|(choice, _)| *choice)
        .ok_or_else(|| format!("unknown vote choice '{name}' (one of: yes, no, abstain)"))
}

#[cfg(test)]
mod vote_choice_tests {
    use super::*;

    #[test]
    fn every_vote_choice_parses_by_its_name() {
        for choice in [VoteChoice::Yes, VoteChoice::No, VoteChoice::Abstain] {
            // Exhaustive: a new variant must get a name here.
            let name = match choice {
                VoteChoice::Yes => "yes",
                VoteChoice::No => "no",
                VoteChoice::Abstain => "abstain",
            };
            assert_eq!(parse_vote_choice(name), Ok(choice));
        }
        assert!(parse_vote_choice("maybe").is_err());
    }
}
