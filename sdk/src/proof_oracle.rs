//! Instruction builders for the proof oracle.

/// The program's own modules: its accounts (`state`), `events`, `error`
/// codes, `constants` and PDA `seeds`.
pub use ::proof_oracle::{constants, error, events, instructions, seeds, state, ID};
pub use proof_oracle::{
    instructions::{
        ExpireBatchArgs, FinalizeBatchArgs, InitializeOracleArgs, PauseArgs, RejectBatchArgs,
        SetGuardianArgs, SetOracleSetArgs, SubmitBatchArgs, SubmitPriceArgs, UnpauseArgs,
        UpdateOracleParamsArgs,
    },
    state::{BatchStatus, Commitment, PauseScope},
};
use {
    crate::pda,
    anchor_lang::{
        prelude::Pubkey, solana_program::instruction::Instruction, system_program, InstructionData,
        ToAccountMetas,
    },
    proof_oracle::{accounts, instruction},
};

const PROGRAM_ID: Pubkey = proof_oracle::ID;

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    crate::anchor_instruction(PROGRAM_ID, accounts, data)
}

fn event_authority() -> Pubkey {
    pda::event_authority(&PROGRAM_ID)
}

pub fn initialize_oracle(
    payer: Pubkey,
    upgrade_authority: Pubkey,
    args: InitializeOracleArgs,
) -> Instruction {
    build(
        accounts::InitializeOracle {
            payer,
            upgrade_authority,
            program_data: pda::program_data(&PROGRAM_ID),
            config: pda::oracle_config().0,
            price_feed: pda::price_feed().0,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::InitializeOracle { args },
    )
}

pub fn set_oracle_set(authority: Pubkey, oracles: Vec<Pubkey>, quorum: u8) -> Instruction {
    build(
        accounts::SetOracleSet {
            authority,
            config: pda::oracle_config().0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::SetOracleSet {
            args: SetOracleSetArgs { oracles, quorum },
        },
    )
}

pub fn update_oracle_params(authority: Pubkey, args: UpdateOracleParamsArgs) -> Instruction {
    build(
        accounts::UpdateOracleParams {
            authority,
            config: pda::oracle_config().0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::UpdateOracleParams { args },
    )
}

pub fn submit_batch(
    oracle: Pubkey,
    epoch: u64,
    commitment: Commitment,
    uri: String,
) -> Instruction {
    build(
        accounts::SubmitBatch {
            oracle,
            config: pda::oracle_config().0,
            batch: pda::epoch_batch(epoch).0,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::SubmitBatch {
            args: SubmitBatchArgs {
                epoch,
                commitment,
                uri,
            },
        },
    )
}

pub fn finalize_batch(epoch: u64) -> Instruction {
    build(
        accounts::FinalizeBatch {
            config: pda::oracle_config().0,
            batch: pda::epoch_batch(epoch).0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::FinalizeBatch {
            args: FinalizeBatchArgs { epoch },
        },
    )
}

pub fn expire_batch(payer: Pubkey, epoch: u64) -> Instruction {
    build(
        accounts::ExpireBatch {
            payer,
            config: pda::oracle_config().0,
            batch: pda::epoch_batch(epoch).0,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::ExpireBatch {
            args: ExpireBatchArgs { epoch },
        },
    )
}

pub fn reject_batch(authority: Pubkey, epoch: u64) -> Instruction {
    build(
        accounts::RejectBatch {
            authority,
            config: pda::oracle_config().0,
            batch: pda::epoch_batch(epoch).0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::RejectBatch {
            args: RejectBatchArgs { epoch },
        },
    )
}

pub fn submit_price(oracle: Pubkey, price: u64) -> Instruction {
    build(
        accounts::SubmitPrice {
            oracle,
            config: pda::oracle_config().0,
            price_feed: pda::price_feed().0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::SubmitPrice {
            args: SubmitPriceArgs { price },
        },
    )
}

crate::pause_builders!(pda::oracle_config);
