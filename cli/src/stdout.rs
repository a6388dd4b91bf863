//! The CLI's own output channel. The suite's programs run natively in the
//! embedded runtime, and their log messages (Anchor's error report among
//! them) are printed by solana-msg's host fallback straight to stdout; the
//! runtime's decoded error already says the same. So for embedded commands
//! fd 1 is pointed at /dev/null and the CLI writes to a saved copy of it,
//! keeping stdout parseable for `--output json`.

use std::{
    fs::File,
    io::Write,
    sync::{Mutex, OnceLock},
};

static SAVED_STDOUT: OnceLock<Mutex<File>> = OnceLock::new();

/// Sends whatever is printed to fd 1 from now on to /dev/null.
#[cfg(unix)]
pub fn silence_program_logs() {
    use std::os::fd::{AsRawFd, FromRawFd};
    if SAVED_STDOUT.get().is_some() {
        return;
    }
    let Ok(null) = File::options().write(true).open("/dev/null") else {
        return;
    };
    std::io::stdout().flush().ok();
    // SAFETY: plain descriptor duplication; the saved descriptor is owned by
    // the File from here on and fd 1 stays open (now on /dev/null).
    unsafe {
        let saved = libc::dup(1);
        if saved < 0 {
            return;
        }
        if libc::dup2(null.as_raw_fd(), 1) < 0 {
            libc::close(saved);
            return;
        }
        let _ = SAVED_STDOUT.set(Mutex::new(File::from_raw_fd(saved)));
    }
}

#[cfg(not(unix))]
pub fn silence_program_logs() {}

/// Prints a line of the CLI's own output. A closed pipe (`depin … | head`)
/// ends the process quietly, as SIGPIPE does for other Unix tools.
pub fn print_line(text: &str) {
    let written = match SAVED_STDOUT.get() {
        Some(file) => {
            let mut file = file.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            writeln!(file, "{text}").and_then(|()| file.flush())
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "{text}").and_then(|()| stdout.flush())
        }
    };
    if let Err(error) = written {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

/// Holds the interrupt and termination signals while `work` runs (saving
/// the state and printing what was done), so an interrupted command either
/// finishes its save and its report or does neither.
#[cfg(unix)]
pub fn uninterrupted<T>(work: impl FnOnce() -> T) -> T {
    // SAFETY: sigprocmask on sets this function owns; the old mask is
    // restored before returning, and a held signal is delivered then.
    unsafe {
        let mut held: libc::sigset_t = std::mem::zeroed();
        let mut previous: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut held);
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            libc::sigaddset(&mut held, signal);
        }
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
