//! The bridge enforces the runtime's rules on native programs exactly where
//! the SBF loader would.

use {
    anchor_lang::{
        prelude::{AccountInfo, Clock, ProgramError, Pubkey, SolanaSysvar},
        solana_program::{
            entrypoint::ProgramResult,
            instruction::{AccountMeta, Instruction},
            program::{invoke, invoke_signed},
            system_instruction, system_program,
        },
    },
    depin_runtime::{native_program, new_runtime, LiteSVM, ProgramDeployment},
    solana_account::Account,
    solana_instruction_error::InstructionError,
    solana_keypair::Keypair,
    solana_signer::Signer,
    solana_transaction::Transaction,
    solana_transaction_error::TransactionError,
};

const PROGRAM_ID: Pubkey = Pubkey::new_from_array([7; 32]);

const WRITE: u8 = 0;
const SWALLOW_FAILED_CPI: u8 = 1;
const CREATE_PDA: u8 = 2;
const STORE_CLOCK: u8 = 3;
const RETURN_DATA: u8 = 4;
const PANIC: u8 = 5;
const DEBIT: u8 = 6;
const REENTER: u8 = 7;
const LOG_AND_FAIL: u8 = 8;
const LOG: u8 = 9;

fn test_program<'info>(
    program_id: &'info Pubkey,
    accounts: &'info [AccountInfo<'info>],
    data: &'info [u8],
) -> ProgramResult {
    match data.first().copied() {
        Some(WRITE) => {
            accounts[0].try_borrow_mut_data()?[0] = 42;
            Ok(())
        }
        Some(SWALLOW_FAILED_CPI) => {
            let transfer =
                system_instruction::transfer(accounts[0].key, accounts[1].key, u64::MAX / 2);
            let _ignored = invoke(&transfer, &accounts[..3]);
            Ok(())
        }
        Some(CREATE_PDA) => {
            let (vault, bump) = Pubkey::find_program_address(&[b"vault"], program_id);
            assert_eq!(vault, *accounts[1].key);
            let create = system_instruction::create_account(
                accounts[0].key,
                &vault,
                10_000_000,
                8,
                program_id,
            );
            invoke_signed(&create, &accounts[..3], &[&[b"vault", &[bump]]])?;
            accounts[1].try_borrow_mut_data()?.copy_from_slice(&[9; 8]);
            Ok(())
        }
        Some(STORE_CLOCK) => {
            let clock = Clock::get()?;
            accounts[0].try_borrow_mut_data()?[..8]
                .copy_from_slice(&clock.unix_timestamp.to_le_bytes());
            Ok(())
        }
        Some(RETURN_DATA) => {
            // `solana_cpi::set_return_data` is a no-op off-chain (see the
            // bridge docs); the syscall stub itself reaches the runtime.
            solana_sysvar::program_stubs::sol_set_return_data(&[1, 2, 3]);
            Ok(())
        }
        Some(PANIC) => panic!("native program panicked"),
        Some(DEBIT) => {
            **accounts[0].try_borrow_mut_lamports()? -= 1;
            **accounts[1].try_borrow_mut_lamports()? += 1;
            Ok(())
        }
        Some(REENTER) => {
            let inner = Instruction {
                program_id: *program_id,
                accounts: vec![AccountMeta::new(*accounts[0].key, false)],
                data: vec![WRITE],
            };
            invoke(&inner, &accounts[..2])?;
            // The callee's write is visible to the caller after the CPI.
            let first = accounts[0].try_borrow_data()?[0];
            accounts[0].try_borrow_mut_data()?[1] = first + 1;
            Ok(())
        }
        Some(LOG) => {
            anchor_lang::prelude::msg!("a message from a native program");
            anchor_lang::prelude::msg!("formatted: {}", 42);
            Ok(())
        }
        Some(LOG_AND_FAIL) => {
            anchor_lang::prelude::msg!("about to fail");
            Err(ProgramError::Custom(6000))
        }
        _ => Err(ProgramError::InvalidInstructionData),
    }
}

struct Fixture {
    svm: LiteSVM,
    payer: Keypair,
    data_account: Pubkey,
}

fn fixture() -> Fixture {
    let payer = Keypair::new();
    let mut svm = new_runtime(
        &[ProgramDeployment {
            name: "bridge_test",
            program_id: PROGRAM_ID,
            entry: native_program!(test_program),
            has_sbf_build: false,
        }],
        &payer.pubkey(),
    );
    svm.airdrop(&payer.pubkey(), 100_000_000_000).unwrap();
    let data_account = Pubkey::new_unique();
    svm.set_account(
        data_account,
        Account {
            lamports: 10_000_000,
            data: vec![0; 16],
            owner: PROGRAM_ID,
            executable: false,
            rent_epoch: 0,
        },
    )
    .unwrap();
    Fixture {
        svm,
        payer,
        data_account,
    }
}

impl Fixture {
    fn send(
        &mut self,
        op: u8,
        accounts: Vec<AccountMeta>,
    ) -> Result<litesvm::types::TransactionMetadata, TransactionError> {
        let instruction = Instruction {
            program_id: PROGRAM_ID,
            accounts,
            data: vec![op],
        };
        let transaction = Transaction::new_signed_with_payer(
            &[instruction],
            Some(&self.payer.pubkey()),
            &[&self.payer],
            self.svm.latest_blockhash(),
        );
        let result = self
            .svm
            .send_transaction(transaction)
            .map_err(|failed| failed.err);
        self.svm.expire_blockhash();
        result
    }

    fn data(&self, address: &Pubkey) -> Vec<u8> {
        self.svm.get_account(address).unwrap().data
    }
}

fn instruction_error(
    result: Result<litesvm::types::TransactionMetadata, TransactionError>,
) -> InstructionError {
    match result {
        Err(TransactionError::InstructionError(0, error)) => error,
        other => panic!("expected an instruction error, got {other:?}"),
    }
}

#[test]
fn writes_to_writable_owned_accounts_persist() {
    let mut fx = fixture();
    let account = fx.data_account;
    fx.send(WRITE, vec![AccountMeta::new(account, false)])
        .unwrap();
    assert_eq!(fx.data(&account)[0], 42);
}

#[test]
fn writes_to_readonly_accounts_fail() {
    let mut fx = fixture();
    let account = fx.data_account;
    let error = instruction_error(fx.send(WRITE, vec![AccountMeta::new_readonly(account, false)]));
    assert_eq!(error, InstructionError::ReadonlyDataModified);
    assert_eq!(fx.data(&account)[0], 0);
}

#[test]
fn debiting_an_account_the_program_does_not_own_fails() {
    let mut fx = fixture();
    let victim = fx.payer.pubkey();
    let account = fx.data_account;
    let error = instruction_error(fx.send(
        DEBIT,
        vec![
            AccountMeta::new(victim, false),
            AccountMeta::new(account, false),
        ],
    ));
    assert_eq!(error, InstructionError::ExternalAccountLamportSpend);
}

#[test]
fn a_failed_cpi_fails_the_instruction_even_if_the_caller_ignores_it() {
    let mut fx = fixture();
    let payer = fx.payer.pubkey();
    let error = instruction_error(fx.send(
        SWALLOW_FAILED_CPI,
        vec![
            AccountMeta::new(payer, true),
            AccountMeta::new(Pubkey::new_unique(), false),
            AccountMeta::new_readonly(system_program::ID, false),
        ],
    ));
    // The system program's ResultWithNegativeLamports.
    assert_eq!(error, InstructionError::Custom(1));
}

#[test]
fn pda_signed_cpi_creates_an_account_owned_by_the_program() {
    let mut fx = fixture();
    let payer = fx.payer.pubkey();
    let (vault, _) = Pubkey::find_program_address(&[b"vault"], &PROGRAM_ID);
    fx.send(
        CREATE_PDA,
        vec![
            AccountMeta::new(payer, true),
            AccountMeta::new(vault, false),
            AccountMeta::new_readonly(system_program::ID, false),
        ],
    )
    .unwrap();
    let account = fx.svm.get_account(&vault).unwrap();
    assert_eq!(account.owner, PROGRAM_ID);
    assert_eq!(account.data, vec![9; 8]);
}

#[test]
fn clock_comes_from_the_runtime() {
    let mut fx = fixture();
    depin_runtime::set_clock(&mut fx.svm, 1_700_000_123, 99);
    let account = fx.data_account;
    fx.send(STORE_CLOCK, vec![AccountMeta::new(account, false)])
        .unwrap();
    assert_eq!(
        i64::from_le_bytes(fx.data(&account)[..8].try_into().unwrap()),
        1_700_000_123
    );
}

#[test]
fn return_data_reaches_the_transaction_result() {
    let mut fx = fixture();
    let meta = fx.send(RETURN_DATA, vec![]).unwrap();
    assert_eq!(meta.return_data.program_id, PROGRAM_ID);
    assert_eq!(meta.return_data.data, vec![1, 2, 3]);
}

#[test]
fn a_panic_fails_the_instruction() {
    let mut fx = fixture();
    let error = instruction_error(fx.send(PANIC, vec![]));
    assert_eq!(error, InstructionError::ProgramFailedToComplete);
}

#[test]
fn a_program_can_reenter_itself_and_sees_the_callees_writes() {
    let mut fx = fixture();
    let account = fx.data_account;
    fx.send(
        REENTER,
        vec![
            AccountMeta::new(account, false),
            AccountMeta::new_readonly(PROGRAM_ID, false),
        ],
    )
    .unwrap();
    assert_eq!(&fx.data(&account)[..2], &[42, 43]);
}

#[test]
fn unknown_instructions_surface_the_program_error() {
    let mut fx = fixture();
    let error = instruction_error(fx.send(200, vec![]));
    assert_eq!(error, InstructionError::InvalidInstructionData);
}

#[test]
fn msg_lands_in_the_transaction_log_messages() {
    let mut fx = fixture();
    let meta = fx.send(LOG, vec![]).unwrap();
    let program = PROGRAM_ID.to_string();
    assert_eq!(
        meta.logs,
        vec![
            format!("Program {program} invoke [1]"),
            "Program log: a message from a native program".to_string(),
            "Program log: formatted: 42".to_string(),
            format!("Program {program} success"),
        ]
    );
}

#[test]
fn msg_of_a_failed_transaction_lands_in_its_logs() {
    let mut fx = fixture();
    let instruction = Instruction {
        program_id: PROGRAM_ID,
        accounts: vec![],
        data: vec![LOG_AND_FAIL],
    };
    let transaction = Transaction::new_signed_with_payer(
        &[instruction],
        Some(&fx.payer.pubkey()),
        &[&fx.payer],
        fx.svm.latest_blockhash(),
    );
    let failed = fx.svm.send_transaction(transaction).unwrap_err();
    assert!(
        failed
            .meta
            .logs
            .contains(&"Program log: about to fail".to_string()),
        "{:?}",
        failed.meta.logs
    );
}

#[test]
fn msg_outside_a_transaction_is_not_taken_by_the_runtime() {
    // Installing the runtime's hook must not swallow an off-chain `msg!`
    // made by client code (it is printed, as solana-msg does).
    let _fx = fixture();
    anchor_lang::prelude::msg!("printed, not logged");
}
