//! Runs a program compiled for the host inside the runtime's invoke context.
//!
//! The flow mirrors what the SBF loader does for a deployed program:
//!
//! 1. the current instruction's accounts and data are serialized in the
//!    loader's (ABI v1) input format, with the usual 10 KiB of realloc room;
//! 2. the buffer is parsed back into `AccountInfo`s by the same
//!    `solana-program-entrypoint` code that an SBF program links, and the
//!    program's `entry` runs on them;
//! 3. lamports, data and owner of every account are committed back through
//!    the runtime's `BorrowedAccount`, which applies the runtime's rules
//!    (only the owner may debit or write data, read-only accounts may not
//!    change, executable accounts are frozen, ...).
//!
//! The program reaches the runtime through `solana-sysvar`'s syscall stubs:
//! CPIs go through `InvokeContext::process_instruction` (so they reach real
//! SBF programs such as SPL Token, and other native programs, with the same
//! privilege checks as on chain), sysvars come from the sysvar cache, and
//! return data and stack height come from the transaction context.
//!
//! A failed CPI aborts the whole instruction on a cluster; a program cannot
//! catch it. The bridge reproduces this: the callee's error is remembered and
//! becomes the instruction's result whatever the caller returns.
//!
//! Known limits of host builds (none affects this suite's programs):
//! * `solana-cpi` 3.1's `set_return_data` / `get_return_data` are no-ops
//!   off-chain and never reach the stubs, so Anchor instructions that return
//!   a value return it only on SBF. The stubs themselves work.
//! * `msg!` reaches the transaction's log messages ("Program log: …", and
//!   Anchor's error logs) through the workspace's patched solana-msg
//!   (`runtime/solana-msg`), whose off-chain `sol_log` calls the hook this
//!   module installs. Anchor's `emit!` (log-based events) is a no-op
//!   off-chain; the programs emit events with `emit_cpi!`, which works
//!   everywhere.
//! * Native code is not metered: each native instruction is charged
//!   [`NATIVE_INSTRUCTION_COMPUTE_UNITS`]; SBF programs it calls are metered
//!   as usual.

use {
    crate::BuiltinFunctionRegisterer,
    solana_account_info::AccountInfo,
    solana_instruction::Instruction,
    solana_instruction_error::InstructionError,
    solana_program_entrypoint::{deserialize, ProgramResult, SUCCESS},
    solana_program_error::ProgramError,
    solana_program_runtime::{
        invoke_context::InvokeContext, serialization::serialize_parameters, stable_log,
    },
    solana_pubkey::Pubkey,
    solana_svm_timings::ExecuteTimings,
    solana_sysvar::program_stubs::{set_syscall_stubs, SyscallStubs},
    solana_sysvar_id::SysvarId,
    std::{cell::RefCell, collections::HashMap, panic::AssertUnwindSafe, sync::Once},
};

/// The signature of an Anchor program's generated `entry` function.
pub type Entrypoint =
    for<'info> fn(&'info Pubkey, &'info [AccountInfo<'info>], &'info [u8]) -> ProgramResult;

/// Compute units charged for one native instruction. Native code cannot be
/// metered; the runtime only requires builtins to consume something.
pub const NATIVE_INSTRUCTION_COMPUTE_UNITS: u64 = 1;

/// Turns an Anchor program's `entry` function into a builtin registerer for
/// [`crate::LiteSVM::add_builtin`] / [`crate::ProgramDeployment`].
#[macro_export]
macro_rules! native_program {
    ($entry:path) => {{
        struct NativeEntry;
        impl<'a, 'b> $crate::BuiltinFunctionDefinition<$crate::InvokeContext<'a, 'b>>
            for NativeEntry
        {
            type Error = Box<dyn std::error::Error>;
            fn rust(
                invoke_context: &mut $crate::InvokeContext<'a, 'b>,
                _: u64,
                _: u64,
                _: u64,
                _: u64,
                _: u64,
            ) -> Result<u64, Self::Error> {
                $crate::bridge::invoke_native(invoke_context, $entry)
            }
        }
        <NativeEntry as $crate::BuiltinFunctionDefinition<
            $crate::InvokeContext<'static, 'static>,
        >>::register as $crate::BuiltinFunctionRegisterer
    }};
}

/// Keeps the registerer type visible to macro users.
#[doc(hidden)]
pub type Registerer = BuiltinFunctionRegisterer;

thread_local! {
    /// The invoke context of the native instruction running on this thread.
    /// Set on entry to every native instruction (CPIs share one context).
    static INVOKE_CONTEXT: RefCell<Option<usize>> = const { RefCell::new(None) };
    /// The error of a failed CPI, which must end the instruction.
    static CPI_FAILURE: RefCell<Option<InstructionError>> = const { RefCell::new(None) };
}

fn set_invoke_context(context: &mut InvokeContext) -> Option<usize> {
    let address = context as *mut InvokeContext as usize;
    INVOKE_CONTEXT.with(|slot| slot.replace(Some(address)))
}

fn restore_invoke_context(previous: Option<usize>) {
    INVOKE_CONTEXT.with(|slot| *slot.borrow_mut() = previous);
}

/// The invoke context of the native instruction running on this thread.
///
/// # Panics
/// When called outside a native instruction (a program function called
/// directly from a test instead of through a transaction).
#[allow(clippy::mut_from_ref)]
fn invoke_context<'a>() -> &'a mut InvokeContext<'static, 'static> {
    let address = INVOKE_CONTEXT
        .with(|slot| *slot.borrow())
        .expect("no native instruction is running on this thread");
    // SAFETY: the address was taken from the `&mut InvokeContext` handed to the
    // builtin that is still on this thread's stack (it is restored when that
    // builtin returns). Only one reference is used at a time: the program
    // calls at most one stub at once and stubs never nest on one thread
    // except through `process_instruction`, which re-enters `invoke_native`
    // with the same context.
    unsafe { &mut *(address as *mut InvokeContext<'static, 'static>) }
}

/// Runs `entry` for the current instruction of `invoke_context`.
pub fn invoke_native(
    invoke_context: &mut InvokeContext,
    entry: Entrypoint,
) -> Result<u64, Box<dyn std::error::Error>> {
    invoke_context
        .compute_meter
        .consume_checked(NATIVE_INSTRUCTION_COMPUTE_UNITS)?;
    if invoke_context.get_stack_height() == 1 {
        CPI_FAILURE.with(|failure| failure.borrow_mut().take());
    }
    let previous = set_invoke_context(invoke_context);
    let result = run_entry(invoke_context, entry);
    restore_invoke_context(previous);
    let failed_cpi = CPI_FAILURE.with(|failure| failure.borrow_mut().take());
    match (result, failed_cpi) {
        (_, Some(error)) => Err(Box::new(error)),
        (Err(error), None) => Err(Box::new(error)),
        (Ok(()), None) => Ok(0),
    }
}

fn run_entry(
    invoke_context: &mut InvokeContext,
    entry: Entrypoint,
) -> Result<(), InstructionError> {
    let instruction_context = invoke_context
        .transaction_context
        .get_current_instruction_context()?;
    let (mut input, _regions, _metadata, _data_offset) =
        serialize_parameters(&instruction_context, false, false, false)?;

    // SAFETY: `input` is a buffer in the loader's ABI v1 layout, produced just
    // above and alive until the end of this function; the `AccountInfo`s point
    // into it.
    let (program_id, account_infos, data) =
        unsafe { deserialize(input.as_slice_mut().as_mut_ptr()) };

    match std::panic::catch_unwind(AssertUnwindSafe(|| entry(program_id, &account_infos, data))) {
        Ok(Ok(())) => {}
        Ok(Err(program_error)) => return Err(InstructionError::from(u64::from(program_error))),
        Err(_) => return Err(InstructionError::ProgramFailedToComplete),
    }
    commit_account_infos(invoke_context, &account_infos)
}

/// Writes the program's changes to its `AccountInfo`s back into the
/// transaction context. Changes the runtime does not allow fail with the
/// runtime's own error.
fn commit_account_infos(
    invoke_context: &mut InvokeContext,
    account_infos: &[AccountInfo],
) -> Result<(), InstructionError> {
    let by_key: HashMap<&Pubkey, &AccountInfo> =
        account_infos.iter().map(|info| (info.key, info)).collect();
    let instruction_context = invoke_context
        .transaction_context
        .get_current_instruction_context()?;
    for index in 0..instruction_context.get_number_of_instruction_accounts() {
        if instruction_context
            .is_instruction_account_duplicate(index)?
            .is_some()
        {
            continue;
        }
        let mut account = instruction_context.try_borrow_instruction_account(index)?;
        let Some(info) = by_key.get(account.get_key()) else {
            continue;
        };
        let lamports = info.lamports();
        let data = info
            .try_borrow_data()
            .map_err(|_| InstructionError::AccountBorrowFailed)?;
        let lamports_changed = account.get_lamports() != lamports;
        let data_changed = account.get_data() != &data[..];
        let owner_changed = account.get_owner() != info.owner;
        if !account.is_writable() {
            if lamports_changed {
                return Err(InstructionError::ReadonlyLamportChange);
            }
            if data_changed {
                return Err(InstructionError::ReadonlyDataModified);
            }
            if owner_changed {
                return Err(InstructionError::ModifiedProgramId);
            }
            continue;
        }
        if lamports_changed {
            account.set_lamports(lamports)?;
        }
        if data_changed {
            account.set_data_from_slice(&data)?;
        }
        if owner_changed {
            account.set_owner(info.owner.as_ref())?;
        }
    }
    Ok(())
}

/// Installs the syscall stubs once per process.
pub fn install_syscall_stubs() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        set_syscall_stubs(Box::new(RuntimeStubs));
        solana_msg::set_log_hook(log_to_transaction);
    });
}

/// `msg!` of a native program: into the running transaction's log
/// messages ("Program log: …") as on chain; outside a transaction, not
/// taken (printed).
fn log_to_transaction(message: &str) -> bool {
    if INVOKE_CONTEXT.with(|slot| slot.borrow().is_none()) {
        return false;
    }
    stable_log::program_log(&invoke_context().get_log_collector(), message);
    true
}

struct RuntimeStubs;

impl RuntimeStubs {
    fn cpi(
        &self,
        instruction: &Instruction,
        account_infos: &[AccountInfo],
        signers_seeds: &[&[&[u8]]],
    ) -> Result<(), InstructionError> {
        let invoke_context = invoke_context();
        let caller = *invoke_context
            .transaction_context
            .get_current_instruction_context()?
            .get_program_key()?;
        let signers = signers_seeds
            .iter()
            .map(|seeds| Pubkey::create_program_address(seeds, &caller))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| InstructionError::InvalidSeeds)?;

        // The caller's view of every account the callee sees must reach the
        // runtime first: the callee reads the runtime's accounts.
        let mut infos_for_callee = Vec::with_capacity(instruction.accounts.len());
        for meta in &instruction.accounts {
            let position = account_infos
                .iter()
                .position(|info| info.key == &meta.pubkey)
                .ok_or(InstructionError::MissingAccount)?;
            infos_for_callee.push((meta.pubkey, position, meta.is_writable));
        }
        sync_infos_into_context(invoke_context, account_infos, &infos_for_callee)?;

        invoke_context.prepare_next_cpi_instruction(instruction.clone(), &signers)?;
        let mut compute_units_consumed = 0;
        invoke_context
            .process_instruction(&mut compute_units_consumed, &mut ExecuteTimings::default())?;

        // And the callee's changes must reach the caller's `AccountInfo`s.
        let instruction_context = invoke_context
            .transaction_context
            .get_current_instruction_context()?;
        for (key, position, is_writable) in infos_for_callee {
            if !is_writable {
                continue;
            }
            let index_in_transaction = invoke_context
                .transaction_context
                .find_index_of_account(&key)
                .ok_or(InstructionError::MissingAccount)?;
            let index_in_caller =
                instruction_context.get_index_of_account_in_instruction(index_in_transaction)?;
            let account = instruction_context.try_borrow_instruction_account(index_in_caller)?;
            let info = &account_infos[position];
            **info
                .try_borrow_mut_lamports()
                .map_err(|_| InstructionError::AccountBorrowFailed)? = account.get_lamports();
            if info.owner != account.get_owner() {
                info.assign(account.get_owner());
            }
            let new_data = account.get_data();
            if info.data_len() != new_data.len() {
                info.resize(new_data.len())
                    .map_err(|_| InstructionError::InvalidRealloc)?;
            }
            info.try_borrow_mut_data()
                .map_err(|_| InstructionError::AccountBorrowFailed)?
                .copy_from_slice(new_data);
        }
        Ok(())
    }
}

fn sync_infos_into_context(
    invoke_context: &mut InvokeContext,
    account_infos: &[AccountInfo],
    accounts: &[(Pubkey, usize, bool)],
) -> Result<(), InstructionError> {
    let instruction_context = invoke_context
        .transaction_context
        .get_current_instruction_context()?;
    for (key, position, _) in accounts {
        let index_in_transaction = invoke_context
            .transaction_context
            .find_index_of_account(key)
            .ok_or(InstructionError::MissingAccount)?;
        let index_in_caller =
            instruction_context.get_index_of_account_in_instruction(index_in_transaction)?;
        let mut account = instruction_context.try_borrow_instruction_account(index_in_caller)?;
        let info = &account_infos[*position];
        if account.get_lamports() != info.lamports() {
            account.set_lamports(info.lamports())?;
        }
        let data = info
            .try_borrow_data()
            .map_err(|_| InstructionError::AccountBorrowFailed)?;
        if account.get_data() != &data[..] {
            account.set_data_from_slice(&data)?;
        }
        if account.get_owner() != info.owner {
            account.set_owner(info.owner.as_ref())?;
        }
    }
    Ok(())
}

/// Copies a sysvar's account bytes `[offset, offset + length)` to `dst`.
fn copy_sysvar(sysvar_id: &Pubkey, dst: *mut u8, offset: u64, length: u64) -> u64 {
    const OFFSET_LENGTH_EXCEEDS_SYSVAR: u64 = 1;
    let invoke_context = invoke_context();
    let cost = invoke_context.get_execution_cost().sysvar_base_cost;
    if invoke_context.compute_meter.consume_checked(cost).is_err() {
        return solana_instruction::error::UNSUPPORTED_SYSVAR;
    }
    let Some(bytes) = invoke_context
        .environment_config
        .sysvar_cache()
        .sysvar_id_to_buffer(sysvar_id)
        .as_ref()
    else {
        return solana_instruction::error::UNSUPPORTED_SYSVAR;
    };
    let (Ok(start), Ok(len)) = (usize::try_from(offset), usize::try_from(length)) else {
        return OFFSET_LENGTH_EXCEEDS_SYSVAR;
    };
    let Some(source) = start.checked_add(len).and_then(|end| bytes.get(start..end)) else {
        return OFFSET_LENGTH_EXCEEDS_SYSVAR;
    };
    // SAFETY: the caller (solana-sysvar) hands a buffer of at least `length`
    // bytes, as the real syscall requires.
    unsafe { std::ptr::copy_nonoverlapping(source.as_ptr(), dst, len) };
    SUCCESS
}

impl SyscallStubs for RuntimeStubs {
    fn sol_log(&self, message: &str) {
        stable_log::program_log(&invoke_context().get_log_collector(), message);
    }

    fn sol_log_data(&self, fields: &[&[u8]]) {
        stable_log::program_data(&invoke_context().get_log_collector(), fields);
    }

    fn sol_invoke_signed(
        &self,
        instruction: &Instruction,
        account_infos: &[AccountInfo],
        signers_seeds: &[&[&[u8]]],
    ) -> ProgramResult {
        self.cpi(instruction, account_infos, signers_seeds)
            .map_err(|error| {
                let program_error =
                    ProgramError::try_from(error.clone()).unwrap_or(ProgramError::Custom(u32::MAX));
                CPI_FAILURE.with(|failure| {
                    failure.borrow_mut().get_or_insert(error);
                });
                program_error
            })
    }

    fn sol_get_sysvar(
        &self,
        sysvar_id_addr: *const u8,
        var_addr: *mut u8,
        offset: u64,
        length: u64,
    ) -> u64 {
        // SAFETY: solana-sysvar passes a pointer to a 32-byte address.
        let sysvar_id = unsafe { &*(sysvar_id_addr as *const Pubkey) };
        copy_sysvar(sysvar_id, var_addr, offset, length)
    }

    fn sol_get_clock_sysvar(&self, var_addr: *mut u8) -> u64 {
        // Clock is five 8-byte fields: account bytes == in-memory layout.
        copy_sysvar(&solana_clock::Clock::id(), var_addr, 0, 40)
    }

    fn sol_get_rent_sysvar(&self, var_addr: *mut u8) -> u64 {
        // Rent is `u64, f64, u8` (repr C): the 17 account bytes land on the
        // field offsets 0, 8 and 16.
        copy_sysvar(&solana_sdk_ids::sysvar::rent::id(), var_addr, 0, 17)
    }

    fn sol_get_return_data(&self) -> Option<(Pubkey, Vec<u8>)> {
        let (program_id, data) = invoke_context().transaction_context.get_return_data();
        (!data.is_empty()).then(|| (*program_id, data.to_vec()))
    }

    fn sol_set_return_data(&self, data: &[u8]) {
        let invoke_context = invoke_context();
        let caller = invoke_context
            .transaction_context
            .get_current_instruction_context()
            .and_then(|context| context.get_program_key().copied());
        if let Ok(caller) = caller {
            // Oversized return data is rejected by the runtime like on chain.
            let _ = invoke_context
                .transaction_context
                .set_return_data(caller, data.to_vec());
        }
    }

    fn sol_get_stack_height(&self) -> u64 {
        invoke_context().get_stack_height() as u64
    }

    fn sol_remaining_compute_units(&self) -> u64 {
        use solana_program_runtime::solana_sbpf::vm::ContextObject;
        invoke_context().get_remaining()
    }
}
