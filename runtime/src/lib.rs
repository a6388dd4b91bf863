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
//! * [`ProgramDeployment`]: registers a program together with a
//!   `ProgramData` account, so instructions that check the upgrade authority
//!   behave as on a cluster where the program was deployed with
//!   `solana program deploy`.
//! * [`ProgramMode`]: the same programs either as native builtins (the
//!   default: fast, debuggable, 1 CU per instruction) or as their real SBF
//!   builds from `scripts/sbf/build.sh` (`DEPIN_PROGRAMS=sbf`: metered
//!   compute, the 4 KiB stack frame, the 32 KiB heap, no writable statics).
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
    solana_account::Account,
    solana_loader_v3_interface::state::UpgradeableLoaderState,
    solana_pubkey::Pubkey,
    std::path::{Path, PathBuf},
};

/// A program of the suite: its native entry, and whether an SBF build of
/// it exists (`<sbf dir>/<name>.so`).
#[derive(Clone, Copy)]
pub struct ProgramDeployment {
    /// The crate's library name, also the `.so` file's stem.
    pub name: &'static str,
    pub program_id: Pubkey,
    pub entry: BuiltinFunctionRegisterer,
    /// Built by `scripts/sbf/build.sh`; test-only programs are not.
    pub has_sbf_build: bool,
}

/// How the suite's programs run in this process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProgramMode {
    /// Compiled for the host and registered as builtins.
    Native,
    /// The SBF ELFs in this directory, run by the real VM with metering.
    Sbf(PathBuf),
}

/// The directory `scripts/sbf/build.sh` writes to: `target/deploy` of the
/// workspace.
pub fn default_sbf_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/deploy")
}

impl ProgramMode {
    /// `DEPIN_PROGRAMS=sbf` (with `DEPIN_SBF_DIR`, default
    /// [`default_sbf_dir`]) or native (unset or `native`). Anything else is
    /// refused, so a typo never silently runs the native build.
    pub fn from_env() -> Self {
        match std::env::var("DEPIN_PROGRAMS").as_deref() {
            Err(_) | Ok("") | Ok("native") => Self::Native,
            Ok("sbf") => Self::Sbf(
                std::env::var_os("DEPIN_SBF_DIR")
                    .map(PathBuf::from)
                    .unwrap_or_else(default_sbf_dir),
            ),
            Ok(other) => panic!("DEPIN_PROGRAMS must be `native` or `sbf`, not `{other}`"),
        }
    }
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
/// set, sysvars, SPL programs, precompiles) plus the given programs, native
/// or SBF as [`ProgramMode::from_env`] says.
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

/// Registers one program (native, or its SBF build in SBF mode) and its
/// `ProgramData` account with `upgrade_authority`.
pub fn deploy(svm: &mut LiteSVM, program: &ProgramDeployment, upgrade_authority: &Pubkey) {
    bridge::install_syscall_stubs();
    let elf = match ProgramMode::from_env() {
        ProgramMode::Sbf(dir) if program.has_sbf_build => {
            let path = dir.join(format!("{}.so", program.name));
            let elf = std::fs::read(&path).unwrap_or_else(|error| {
                panic!(
                    "DEPIN_PROGRAMS=sbf, but {} cannot be read ({error}): run scripts/sbf/build.sh",
                    path.display()
                )
            });
            svm.add_program(program.program_id, &elf)
                .unwrap_or_else(|error| panic!("{} does not load: {error}", path.display()));
            Some(elf)
        }
        _ => {
            svm.add_builtin(program.program_id, program.entry);
            None
        }
    };
    let state = UpgradeableLoaderState::ProgramData {
        slot: 0,
        upgrade_authority_address: Some(*upgrade_authority),
    };
    let mut data = bincode::serialize(&state).expect("ProgramData state serializes");
    if let Some(elf) = elf {
        // The loader's layout: metadata, then the ELF.
        data.resize(UpgradeableLoaderState::size_of_programdata_metadata(), 0);
        data.extend_from_slice(&elf);
    }
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
    record_slot_hash(svm);
}

/// Adds the current slot to the `SlotHashes` sysvar (the last 512 slots, as
/// a validator keeps them), so what checks for a recent slot — creating an
/// address lookup table — accepts the current one.
pub fn record_slot_hash(svm: &mut LiteSVM) {
    let slot = svm.get_sysvar::<solana_clock::Clock>().slot;
    let mut hashes: solana_slot_hashes::SlotHashes = svm.get_sysvar();
    if hashes.get(&slot).is_none() {
        hashes.add(slot, svm.latest_blockhash());
        svm.set_sysvar(&hashes);
    }
}
