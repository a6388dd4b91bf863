//! An in-process Solana runtime for programs compiled for the host.
//!
//! [LiteSVM] executes transactions exactly as a validator's bank would (account
//! locks, signature checks, blockhash and duplicate-signature checks, rent,
//! fees, the real SPL Token / Token-2022 / Associated Token Account programs as
//! their SBF builds). This crate adds what LiteSVM lacks for Anchor programs
//! built for the host instead of SBF:
//!
//! * [`native_program!`] turns an Anchor `entry` function into a builtin: the
//!   instruction's accounts are serialized in the loader's input format, the
//!   entry runs on them, and lamports/data/owner of writable accounts are
//!   written back under the runtime's own rules (see [`bridge`]).
//! * Syscall stubs so that what the program calls through `solana-program`
//!   (CPIs, sysvars, return data, stack height) reaches this runtime.
//! * [`ProgramDeployment`]: registers a native program together with a
//!   `ProgramData` account, so instructions that check the upgrade authority
//!   behave as on a cluster where the program was deployed with
//!   `solana program deploy`.
//!
//! Everything that uses the embedded runtime (tests, the CLI, benchmarks)
//! goes through this one crate.

pub mod bridge;

pub use litesvm::{self, LiteSVM};
pub use solana_program_runtime::{
    invoke_context::{BuiltinFunctionRegisterer, InvokeContext},
    solana_sbpf::program::BuiltinFunctionDefinition,
};

use {
    solana_account::Account, solana_loader_v3_interface::state::UpgradeableLoaderState,
    solana_pubkey::Pubkey,
};

/// A program compiled for the host, registered as a builtin.
#[derive(Clone, Copy)]
pub struct ProgramDeployment {
    pub name: &'static str,
    pub program_id: Pubkey,
    pub entry: BuiltinFunctionRegisterer,
}

/// The address of a program's `ProgramData` account (BPF upgradeable loader).
pub fn program_data_address(program_id: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(
        &[program_id.as_ref()],
        &solana_sdk_ids::bpf_loader_upgradeable::id(),
    )
    .0
}

/// Builds a runtime with the default LiteSVM environment (mainnet feature
/// set, sysvars, SPL programs, precompiles) plus the given native programs.
///
/// `upgrade_authority` becomes the upgrade authority recorded in each
/// program's `ProgramData` account.
pub fn new_runtime(programs: &[ProgramDeployment], upgrade_authority: &Pubkey) -> LiteSVM {
    bridge::install_syscall_stubs();
    let mut svm = LiteSVM::new();
    for program in programs {
        deploy(&mut svm, program, upgrade_authority);
    }
    svm
}

/// Registers one native program and its `ProgramData` account.
pub fn deploy(svm: &mut LiteSVM, program: &ProgramDeployment, upgrade_authority: &Pubkey) {
    bridge::install_syscall_stubs();
    svm.add_builtin(program.program_id, program.entry);
    let state = UpgradeableLoaderState::ProgramData {
        slot: 0,
        upgrade_authority_address: Some(*upgrade_authority),
    };
    let data = bincode::serialize(&state).expect("ProgramData state serializes");
    let lamports = svm.minimum_balance_for_rent_exemption(data.len());
    svm.set_account(
        program_data_address(&program.program_id),
        Account {
            lamports,
            data,
            owner: solana_sdk_ids::bpf_loader_upgradeable::id(),
            executable: false,
            rent_epoch: 0,
        },
    )
    .expect("ProgramData account is valid");
}

/// Moves the cluster clock: sets the `Clock` sysvar's unix timestamp and slot.
/// Slots and timestamps never move backwards here, as on a real cluster.
pub fn set_clock(svm: &mut LiteSVM, unix_timestamp: i64, slot: u64) {
    let mut clock: solana_clock::Clock = svm.get_sysvar();
    clock.unix_timestamp = clock.unix_timestamp.max(unix_timestamp);
    clock.slot = clock.slot.max(slot);
    svm.set_sysvar(&clock);
}
