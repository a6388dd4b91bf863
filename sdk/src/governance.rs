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

/// Voting power as a number of tokens: power is token base units times the
/// lockup multiplier, so with the token's `decimals` it reads as "tokens at
/// 1×" ("2625" for 1,500 tokens at 1.75×).
pub fn format_voting_power(power: u128, decimals: u8) -> String {
    let scale = 10u128.pow(u32::from(decimals));
    let (whole, fraction) = (power / scale, power % scale);
    if fraction == 0 {
        return whole.to_string();
    }
    let fraction = format!("{fraction:0>width$}", width = usize::from(decimals));
    format!("{whole}.{}", fraction.trim_end_matches('0'))
}

/// Checks a proposal's title (1 to [`MAX_TITLE_LEN`] bytes) and description
/// (at most [`MAX_DESCRIPTION_LEN`] bytes) as the program will.
pub fn check_proposal_text(title: &str, description: &str) -> Result<(), String> {
    if title.is_empty() {
        return Err(format!(
            "a proposal needs a title (1 to {MAX_TITLE_LEN} bytes)"
        ));
    }
    if title.len() > MAX_TITLE_LEN {
        return Err(format!(
            "the title is {} bytes; a proposal's title holds at most {MAX_TITLE_LEN} \
             (put the details in --description, or a link to them)",
            title.len()
        ));
    }
    if description.len() > MAX_DESCRIPTION_LEN {
        return Err(format!(
            "the description is {} bytes; a proposal's description holds at most \
             {MAX_DESCRIPTION_LEN}: give a link to the full text, or its hash",
            description.len()
        ));
    }
    Ok(())
}

/// Where a proposal is in its life at `now`, as far as the clock has
/// moved it: a vote whose time is up is over even before anyone finalizes
/// it, and a proposal past its deadline is expired even before anyone
/// records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProposalStage {
    /// Created, its vote not opened yet.
    Draft,
    /// Open for votes until `ends_at`.
    Voting {
        ends_at: i64,
    },
    /// Voting time is over; `finalize_vote` decides it (it will pass when
    /// `passing`).
    VoteEnded {
        passing: bool,
    },
    /// Passed; `queue_proposal` starts its timelock, until `queue_by`.
    Succeeded {
        queue_by: i64,
    },
    /// Queued; executable from `executable_at` until `expires_at`.
    Timelocked {
        executable_at: i64,
        expires_at: i64,
    },
    /// Queued and past its timelock: executable until `expires_at`.
    Executable {
        expires_at: i64,
    },
    Defeated,
    Executed {
        at: i64,
    },
    /// Not queued or not executed in time (recorded or not).
    Expired,
    Cancelled,
}

impl ProposalStage {
    /// The stage of `proposal` at `now`.
    pub fn of(proposal: &Proposal, now: i64) -> Self {
        match proposal.state {
            ProposalState::Draft => Self::Draft,
            ProposalState::Voting if now < proposal.voting_ends_at => Self::Voting {
                ends_at: proposal.voting_ends_at,
            },
            ProposalState::Voting => Self::VoteEnded {
                passing: proposal.passes().unwrap_or(false),
            },
            ProposalState::Succeeded => {
                let queue_by = proposal
                    .decided_at
                    .saturating_add(proposal.execution_window_secs);
                if now < queue_by {
                    Self::Succeeded { queue_by }
                } else {
                    Self::Expired
                }
            }
            ProposalState::Queued if now < proposal.executable_at => Self::Timelocked {
                executable_at: proposal.executable_at,
                expires_at: proposal.expires_at,
            },
            ProposalState::Queued if now < proposal.expires_at => Self::Executable {
                expires_at: proposal.expires_at,
            },
            ProposalState::Queued | ProposalState::Expired => Self::Expired,
            ProposalState::Defeated => Self::Defeated,
            ProposalState::Executed => Self::Executed {
                at: proposal.executed_at,
            },
            ProposalState::Cancelled => Self::Cancelled,
        }
    }

    /// A short name ("voting", "vote ended", "timelocked", …).
    pub fn name(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Voting { .. } => "voting",
            Self::VoteEnded { .. } => "vote ended",
            Self::Succeeded { .. } => "succeeded",
            Self::Timelocked { .. } => "timelocked",
            Self::Executable { .. } => "executable",
            Self::Defeated => "defeated",
            Self::Executed { .. } => "executed",
            Self::Expired => "expired",
            Self::Cancelled => "cancelled",
        }
    }

    /// Whether `execute_proposal` (finalize, queue, execute or expire) can
    /// move it on now.
    pub fn can_move_on(self, proposal: &Proposal) -> bool {
        match self {
            Self::VoteEnded { .. } | Self::Succeeded { .. } | Self::Executable { .. } => true,
            // Expired by the clock, not yet recorded.
            Self::Expired => matches!(
                proposal.state,
                ProposalState::Succeeded | ProposalState::Queued
            ),
            _ => false,
        }
    }
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
mod tests {
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

    #[test]
    fn voting_power_reads_as_tokens() {
        assert_eq!(format_voting_power(2_625_000_000, 6), "2625");
        assert_eq!(format_voting_power(1_500_000, 6), "1.5");
        assert_eq!(format_voting_power(7, 0), "7");
        let beyond_u64 = u128::from(u64::MAX) * 100;
        assert_eq!(format_voting_power(beyond_u64, 6), "1844674407370955.1615");
    }

    #[test]
    fn proposal_text_is_checked_as_the_program_does() {
        assert!(check_proposal_text("Cut emission", "").is_ok());
        assert!(check_proposal_text(&"t".repeat(MAX_TITLE_LEN), &"d".repeat(200)).is_ok());
        let long = check_proposal_text(&"t".repeat(65), "").unwrap_err();
        assert!(
            long.contains("65 bytes") && long.contains("at most 64"),
            "{long}"
        );
        assert!(check_proposal_text("", "")
            .unwrap_err()
            .contains("needs a title"));
        let description = check_proposal_text("t", &"d".repeat(201)).unwrap_err();
        assert!(description.contains("201 bytes"), "{description}");
    }

    fn proposal(state: ProposalState) -> Proposal {
        Proposal {
            id: 0,
            proposer: Pubkey::default(),
            bump: 0,
            state,
            title: "t".into(),
            description: String::new(),
            created_at: 0,
            voting_starts_at: 100,
            voting_ends_at: 200,
            quorum_power: 10,
            approval_threshold_bps: 5_000,
            early_tipping: false,
            timelock_secs: 50,
            execution_window_secs: 100,
            power: default_power_params(),
            yes: 20,
            no: 0,
            abstain: 0,
            votes_cast: 1,
            decided_at: 0,
            executable_at: 0,
            expires_at: 0,
            executed_at: 0,
            instructions: vec![],
        }
    }

    #[test]
    fn stages_follow_the_clock() {
        let voting = proposal(ProposalState::Voting);
        assert_eq!(
            ProposalStage::of(&voting, 199),
            ProposalStage::Voting { ends_at: 200 }
        );
        assert_eq!(
            ProposalStage::of(&voting, 200),
            ProposalStage::VoteEnded { passing: true }
        );
        let mut short = voting.clone();
        short.yes = 5;
        assert_eq!(
            ProposalStage::of(&short, 300),
            ProposalStage::VoteEnded { passing: false }
        );
        let mut succeeded = proposal(ProposalState::Succeeded);
        succeeded.decided_at = 200;
        assert_eq!(
            ProposalStage::of(&succeeded, 299),
            ProposalStage::Succeeded { queue_by: 300 }
        );
        assert_eq!(ProposalStage::of(&succeeded, 300), ProposalStage::Expired);
        assert!(ProposalStage::of(&succeeded, 300).can_move_on(&succeeded));
        let mut queued = proposal(ProposalState::Queued);
        queued.executable_at = 250;
        queued.expires_at = 350;
        assert_eq!(
            ProposalStage::of(&queued, 249),
            ProposalStage::Timelocked {
                executable_at: 250,
                expires_at: 350
            }
        );
        assert!(!ProposalStage::of(&queued, 249).can_move_on(&queued));
        assert_eq!(
            ProposalStage::of(&queued, 250),
            ProposalStage::Executable { expires_at: 350 }
        );
        assert_eq!(ProposalStage::of(&queued, 350), ProposalStage::Expired);
        let expired = proposal(ProposalState::Expired);
        assert!(!ProposalStage::of(&expired, 0).can_move_on(&expired));
    }
}
