//! The CLI's own output channel, and the signals that wait for it. Program
//! logs never reach stdout (the runtime puts `msg!` in the transaction's
//! log messages), so stdout carries only what the CLI prints: parseable
//! for `--output json`.

use std::io::Write;

/// Prints a line of the CLI's own output. A closed pipe (`depin … | head`)
/// ends the process quietly, as SIGPIPE does for other Unix tools.
pub fn print_line(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let written = writeln!(stdout, "{text}").and_then(|()| stdout.flush());
    if let Err(error) = written {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

/// SIGINT, SIGTERM and SIGHUP: what stops a command (and `depin localnet`).
#[cfg(unix)]
pub fn stop_signals() -> libc::sigset_t {
    // SAFETY: plain libc signal-set calls on a set this function owns.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            libc::sigaddset(&mut set, signal);
        }
        set
    }
}

/// Holds the interrupt and termination signals while `work` runs (saving
/// the state and printing what was done), so an interrupted command either
/// finishes its save and its report or does neither.
#[cfg(unix)]
pub fn uninterrupted<T>(work: impl FnOnce() -> T) -> T {
    // SAFETY: sigprocmask on sets this function owns; the old mask is
    // restored before returning, and a held signal is delivered then.
    let held = stop_signals();
    unsafe {
        let mut previous: libc::sigset_t = std::mem::zeroed();
        libc::sigprocmask(libc::SIG_BLOCK, &held, &mut previous);
        let result = work();
        libc::sigprocmask(libc::SIG_SETMASK, &previous, std::ptr::null_mut());
        result
    }
}

#[cfg(not(unix))]
pub fn uninterrupted<T>(work: impl FnOnce() -> T) -> T {
    work()
}
