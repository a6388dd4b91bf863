//! `msg!` and `sol_log`, as in solana-msg 3.1, with one addition off-chain:
//! [`set_log_hook`]. On SBF nothing differs (the `sol_log_` syscall).
#![no_std]
#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(feature = "alloc")]
#[doc(hidden)]
pub use alloc::format;

/// Print a message to the log: one expression is logged as it is (a
/// `&str`), anything else through `format!`.
#[cfg(feature = "alloc")]
#[macro_export]
macro_rules! msg {
    ($msg:expr) => {
        $crate::sol_log($msg)
    };
    ($($arg:tt)*) => ($crate::sol_log(&$crate::format!($($arg)*)));
}

#[cfg(target_os = "solana")]
pub mod syscalls {
    pub use solana_define_syscall::definitions::{
        sol_log_, sol_log_64_, sol_log_compute_units_, sol_log_data,
    };
}

/// Where off-chain `sol_log` goes first: returns whether it took the
/// message (inside a transaction of an embedded runtime); otherwise the
/// message is printed as solana-msg does.
#[cfg(not(target_os = "solana"))]
pub type LogHook = fn(&str) -> bool;

#[cfg(not(target_os = "solana"))]
static LOG_HOOK: core::sync::atomic::AtomicPtr<()> =
    core::sync::atomic::AtomicPtr::new(core::ptr::null_mut());

/// Sends every later off-chain `sol_log` to `hook` first (the last hook set
/// wins; the embedded runtime sets one for the whole process).
#[cfg(not(target_os = "solana"))]
pub fn set_log_hook(hook: LogHook) {
    LOG_HOOK.store(hook as *mut (), core::sync::atomic::Ordering::Release);
}

/// Print a string to the log.
#[inline]
pub fn sol_log(message: &str) {
    #[cfg(target_os = "solana")]
    unsafe {
        syscalls::sol_log_(message.as_ptr(), message.len() as u64);
    }

    #[cfg(not(target_os = "solana"))]
    {
        let hook = LOG_HOOK.load(core::sync::atomic::Ordering::Acquire);
        if !hook.is_null() {
            // SAFETY: only `set_log_hook` stores here, always a `LogHook`.
            let hook: LogHook = unsafe { core::mem::transmute::<*mut (), LogHook>(hook) };
            if hook(message) {
                return;
            }
        }
        #[cfg(feature = "std")]
        std::println!("{message}");
        #[cfg(not(feature = "std"))]
        core::hint::black_box(message);
    }
}
