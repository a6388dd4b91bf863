//! Instruction builders for the rewards program.

/// The program's own modules: its accounts (`state`), `events`, `error`
/// codes, `constants` and PDA `seeds`.
pub use ::rewards::{constants, error, events, instructions, pricing, seeds, state, ID};
pub use rewards::{
    instructions::{
        BurnDataCreditsArgs, ClaimOracleRewardsArgs, ClaimRewardsArgs, InitializeRewardsArgs,
        IssueEpochArgs, MintDataCreditsArgs, PauseArgs, ProofNode, SetEmissionScheduleArgs,
        SetGuardianArgs, SweepOracleRewardsArgs, UnpauseArgs, UpdateRewardsArgs,
    },
    pricing::{quote_data_credits, tokens_for_data_credits, DataCreditQuote},
    state::{
        BreakerParams, EpochRewards, PauseScope, RewardsConfig, ScheduleEntry, Split, UsagePurpose,
    },
};
use {
    crate::{pda, token},
    anchor_lang::{
        prelude::Pubkey, solana_program::instruction::Instruction, system_program, InstructionData,
        ToAccountMetas,
    },
    rewards::{accounts, instruction},
};

const PROGRAM_ID: Pubkey = rewards::ID;

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    crate::anchor_instruction(PROGRAM_ID, accounts, data)
}

fn event_authority() -> Pubkey {
    pda::event_authority(&PROGRAM_ID)
}

pub fn initialize_rewards(
    payer: Pubkey,
    upgrade_authority: Pubkey,
    treasury_owner: Pubkey,
    args: InitializeRewardsArgs,
) -> Instruction {
    build(
        accounts::InitializeRewards {
            payer,
            upgrade_authority,
            program_data: pda::program_data(&PROGRAM_ID),
            config: pda::rewards_config().0,
            token_mint: pda::token_mint().0,
            dc_mint: pda::dc_mint().0,
            device_pool: pda::device_pool().0,
            oracle_pool: pda::oracle_pool().0,
            treasury_owner,
            treasury: pda::treasury().0,
            token_program: token::SPL_TOKEN_PROGRAM_ID,
            token_2022_program: token::TOKEN_2022_PROGRAM_ID,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::InitializeRewards { args },
    )
}

pub fn update_rewards(
    authority: Pubkey,
    args: UpdateRewardsArgs,
    new_treasury: Option<Pubkey>,
) -> Instruction {
    build(
        accounts::UpdateRewards {
            authority,
            config: pda::rewards_config().0,
            new_treasury,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::UpdateRewards { args },
    )
}

pub fn set_emission_schedule(authority: Pubkey, schedule: Vec<ScheduleEntry>) -> Instruction {
    build(
        accounts::SetEmissionSchedule {
            authority,
            config: pda::rewards_config().0,
            oracle_config: pda::oracle_config().0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::SetEmissionSchedule {
            args: SetEmissionScheduleArgs { schedule },
        },
    )
}

/// Issues `epoch`. `treasury` is the config's treasury account.
pub fn issue_epoch(payer: Pubkey, epoch: u64, treasury: Pubkey) -> Instruction {
    build(
        accounts::IssueEpoch {
            payer,
            config: pda::rewards_config().0,
            epoch_rewards: pda::epoch_rewards(epoch).0,
            oracle_config: pda::oracle_config().0,
            token_mint: pda::token_mint().0,
            device_pool: pda::device_pool().0,
            oracle_pool: pda::oracle_pool().0,
            treasury,
            token_program: token::SPL_TOKEN_PROGRAM_ID,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::IssueEpoch {
            args: IssueEpochArgs { epoch },
        },
    )
}

/// The owner's associated account of the network token.
pub fn token_account(owner: &Pubkey) -> Pubkey {
    token::associated_token_address(owner, &pda::token_mint().0, &token::SPL_TOKEN_PROGRAM_ID)
}

/// The owner's associated data-credit account (Token-2022).
pub fn dc_account(owner: &Pubkey) -> Pubkey {
    token::associated_token_address(owner, &pda::dc_mint().0, &token::TOKEN_2022_PROGRAM_ID)
}

/// Creates `owner`'s network-token account unless it exists.
pub fn create_token_account(payer: &Pubkey, owner: &Pubkey) -> Instruction {
    token::create_associated_token_account(
        payer,
        owner,
        &pda::token_mint().0,
        &token::SPL_TOKEN_PROGRAM_ID,
    )
}

/// Creates `owner`'s data-credit account unless it exists.
pub fn create_dc_account(payer: &Pubkey, owner: &Pubkey) -> Instruction {
    token::create_associated_token_account(
        payer,
        owner,
        &pda::dc_mint().0,
        &token::TOKEN_2022_PROGRAM_ID,
    )
}

/// Burns up to `tokens` of the owner's network tokens (from its associated
/// account) for data credits paid into `recipient_account`.
pub fn mint_data_credits(owner: Pubkey, recipient_account: Pubkey, tokens: u64) -> Instruction {
    mint_data_credits_from(owner, token_account(&owner), recipient_account, tokens)
}

pub fn mint_data_credits_from(
    owner: Pubkey,
    source: Pubkey,
    recipient_account: Pubkey,
    tokens: u64,
) -> Instruction {
    build(
        accounts::MintDataCredits {
            owner,
            config: pda::rewards_config().0,
            oracle_config: pda::oracle_config().0,
            price_feed: pda::price_feed().0,
            token_mint: pda::token_mint().0,
            dc_mint: pda::dc_mint().0,
            source,
            recipient_account,
            token_program: token::SPL_TOKEN_PROGRAM_ID,
            token_2022_program: token::TOKEN_2022_PROGRAM_ID,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::MintDataCredits {
            args: MintDataCreditsArgs { tokens },
        },
    )
}

/// Spends `amount` of the owner's data credits (its associated account).
pub fn burn_data_credits(owner: Pubkey, amount: u64, purpose: UsagePurpose) -> Instruction {
    build(
        accounts::BurnDataCredits {
            owner,
            config: pda::rewards_config().0,
            oracle_config: pda::oracle_config().0,
            dc_mint: pda::dc_mint().0,
            source: dc_account(&owner),
            token_2022_program: token::TOKEN_2022_PROGRAM_ID,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::BurnDataCredits {
            args: BurnDataCreditsArgs { amount, purpose },
        },
    )
}

/// What a wallet claim needs: the batch epoch and the wallet's leaf.
#[derive(Clone, Debug)]
pub struct WalletClaim {
    pub batch_epoch: u64,
    /// The recipient wallet (the leaf's); its token account of the network
    /// mint receives the payment.
    pub recipient: Pubkey,
    pub amount: u64,
    pub index: u32,
    pub proof: Vec<ProofNode>,
}

/// Pays `claim.recipient` what the batch owes it. `payer` signs and pays
/// the fee (and, at the wallet's first claim, its record's rent): the
/// wallet itself or anyone cranking payouts.
pub fn claim_rewards(payer: Pubkey, claim: WalletClaim) -> Instruction {
    build(
        accounts::ClaimRewards {
            payer,
            config: pda::rewards_config().0,
            batch: pda::epoch_batch(claim.batch_epoch).0,
            recipient: claim.recipient,
            recipient_record: pda::recipient_record(&claim.recipient).0,
            device_pool: pda::device_pool().0,
            token_mint: pda::token_mint().0,
            destination: token_account(&claim.recipient),
            token_program: token::SPL_TOKEN_PROGRAM_ID,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::ClaimRewards {
            args: ClaimRewardsArgs {
                amount: claim.amount,
                index: claim.index,
                proof: claim.proof,
            },
        },
    )
}

/// A whole claim: the recipient's token account created if missing
/// (idempotent, paid by `payer`), then `claim_rewards`.
pub fn claim_rewards_with_account(payer: Pubkey, claim: WalletClaim) -> Vec<Instruction> {
    vec![
        create_token_account(&payer, &claim.recipient),
        claim_rewards(payer, claim),
    ]
}

/// The accounts every claim of one batch shares: what a lookup table for
/// payout cranks holds.
pub fn claim_shared_accounts(batch_epoch: u64) -> Vec<Pubkey> {
    vec![
        pda::rewards_config().0,
        pda::epoch_batch(batch_epoch).0,
        pda::device_pool().0,
        pda::token_mint().0,
        token::SPL_TOKEN_PROGRAM_ID,
        system_program::ID,
        token::ASSOCIATED_TOKEN_PROGRAM_ID,
        event_authority(),
        PROGRAM_ID,
    ]
}

pub fn claim_oracle_rewards(oracle: Pubkey, epoch: u64, destination: Pubkey) -> Instruction {
    build(
        accounts::ClaimOracleRewards {
            oracle,
            config: pda::rewards_config().0,
            epoch_rewards: pda::epoch_rewards(epoch).0,
            batch: pda::epoch_batch(epoch).0,
            oracle_pool: pda::oracle_pool().0,
            token_mint: pda::token_mint().0,
            destination,
            token_program: token::SPL_TOKEN_PROGRAM_ID,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::ClaimOracleRewards {
            args: ClaimOracleRewardsArgs { epoch },
        },
    )
}

/// Sweeps `epoch`'s unclaimable oracle share to the treasury (the rewards
/// authority, i.e. the DAO).
pub fn sweep_oracle_rewards(authority: Pubkey, epoch: u64, treasury: Pubkey) -> Instruction {
    build(
        accounts::SweepOracleRewards {
            authority,
            config: pda::rewards_config().0,
            epoch_rewards: pda::epoch_rewards(epoch).0,
            batch: pda::epoch_batch(epoch).0,
            oracle_pool: pda::oracle_pool().0,
            treasury,
            token_mint: pda::token_mint().0,
            token_program: token::SPL_TOKEN_PROGRAM_ID,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::SweepOracleRewards {
            args: SweepOracleRewardsArgs { epoch },
        },
    )
}

/// A proof from the Merkle crate in the program's argument type.
pub fn proof_nodes(proof: &[depin_merkle::Node]) -> Vec<ProofNode> {
    proof
        .iter()
        .map(|node| ProofNode {
            hash: node.hash,
            sum: node.sum,
        })
        .collect()
}

/// The claim of `recipient` against `batch` (epoch, leaf and proof from
/// the batch file); `None` if the wallet has no leaf.
pub fn claim_from_batch(
    batch: &crate::batch::BatchFile,
    recipient: &Pubkey,
) -> Option<WalletClaim> {
    let (index, leaf, proof) = batch.proof_for(recipient)?;
    Some(WalletClaim {
        batch_epoch: batch.epoch(),
        recipient: *recipient,
        amount: leaf.amount,
        index,
        proof: proof_nodes(&proof),
    })
}

/// `schedule` changed to pay `tokens_per_epoch` from `start_epoch` on, with
/// the split in force before it; `None` if no entry starts before
/// `start_epoch`. Later entries are kept.
pub fn schedule_with_rate(
    schedule: &[ScheduleEntry],
    start_epoch: u64,
    tokens_per_epoch: u64,
) -> Option<Vec<ScheduleEntry>> {
    let current = schedule
        .iter()
        .rev()
        .find(|entry| entry.start_epoch < start_epoch)
        .copied()?;
    let mut changed: Vec<ScheduleEntry> = schedule
        .iter()
        .copied()
        .filter(|entry| entry.start_epoch != start_epoch)
        .collect();
    changed.push(ScheduleEntry {
        start_epoch,
        tokens_per_epoch,
        split: current.split,
    });
    changed.sort_by_key(|entry| entry.start_epoch);
    Some(changed)
}

crate::pause_builders!(pda::rewards_config);

/// Every usage purpose with the name the CLI and JSON use for it.
pub const USAGE_PURPOSES: [(UsagePurpose, &str); UsagePurpose::COUNT] = [
    (UsagePurpose::DataTransfer, "data-transfer"),
    (UsagePurpose::Storage, "storage"),
    (UsagePurpose::Compute, "compute"),
    (UsagePurpose::Other, "other"),
];

/// A usage purpose by its name (`data-transfer`, `storage`, `compute`, `other`).
pub fn parse_usage_purpose(name: &str) -> Result<UsagePurpose, String> {
    USAGE_PURPOSES
        .iter()
        .find(|(_, known)| *known == name)
        .map(|(purpose, _)| *purpose)
        .ok_or_else(|| {
            let names: Vec<&str> = USAGE_PURPOSES.iter().map(|(_, name)| *name).collect();
            format!(
                "unknown usage purpose '{name}' (one of: {})",
                names.join(", ")
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_usage_purpose_has_one_name_in_program_order() {
        for (index, (purpose, name)) in USAGE_PURPOSES.iter().enumerate() {
            assert_eq!(purpose.index(), index);
            assert_eq!(parse_usage_purpose(name), Ok(*purpose));
        }
        assert!(parse_usage_purpose("Storage")
            .unwrap_err()
            .contains("one of"));
    }
}
