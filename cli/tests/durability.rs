//! What `depin` promises about its effects and its output, whatever the
//! user does: a report follows only a saved effect, reads never write, a
//! damaged state file is refused, two intents are two transactions,
//! `--simulate` changes nothing, a closed pipe is no crash, and flags a
//! command would ignore are refused.

mod common;

use {
    common::{deployed, text, Sandbox},
    depin_sdk::{pda, Pubkey},
    predicates::{prelude::PredicateBooleanExt, str::contains},
    serde_json::Value,
    std::{
        io::Read,
        process::{Command as Process, Stdio},
    },
};

#[test]
fn reads_never_write_the_state_file() {
    let sandbox = Sandbox::new("reads");
    let operator = deployed(&sandbox);
    let state = sandbox.path("state.bin");
    let before = std::fs::read(&state).unwrap();
    let modified = std::fs::metadata(&state).unwrap().modified().unwrap();
    for _ in 0..3 {
        for read in [
            &["balance"][..],
            &["network", "show"],
            &["device", "list"],
            &["gov", "list"],
            &["oracle", "status"],
            &["rewards", "status"],
            &["credits", "balance", &operator],
        ] {
            sandbox.command("operator", read).assert().success();
        }
    }
    assert_eq!(
        std::fs::read(&state).unwrap(),
        before,
        "a read changed the state file"
    );
    assert_eq!(
        std::fs::metadata(&state).unwrap().modified().unwrap(),
        modified,
        "a read rewrote the state file"
    );
}

#[test]
fn a_damaged_state_file_is_refused_not_believed() {
    let sandbox = Sandbox::new("damage");
    let operator = deployed(&sandbox);
    let state = sandbox.path("state.bin");
    let pristine = std::fs::read(&state).unwrap();

    // One bit of the operator's token balance flipped in place: the
    // account's checksum no longer matches, and `balance` refuses it.
    let owner: Pubkey = operator.parse().unwrap();
    let mut needle = pda::token_mint().0.to_bytes().to_vec();
    needle.extend_from_slice(owner.as_ref());
    let at = pristine
        .windows(needle.len())
        .position(|window| window == needle.as_slice())
        .expect("the token account's bytes are in the file");
    let mut damaged = pristine.clone();
    damaged[at + 64] ^= 0x01;
    std::fs::write(&state, &damaged).unwrap();
    sandbox.fails(
        "operator",
        &["balance"],
        "checksum does not match: the file was damaged or edited",
    );
    sandbox.fails(
        "operator",
        &["network", "verify-state"],
        "checksum does not match",
    );

    // A damaged header: not a state at all.
    let mut damaged = pristine.clone();
    damaged[3] ^= 0x20;
    std::fs::write(&state, &damaged).unwrap();
    sandbox.fails("operator", &["balance"], "wrong header");

    // The untouched file is believed again.
    std::fs::write(&state, &pristine).unwrap();
    sandbox.json("operator", &["balance"]);
    let verified = sandbox.json("operator", &["network", "verify-state"]);
    assert!(verified["accounts"].as_u64().unwrap() > 10, "{verified}");
}

#[test]
fn the_same_intent_twice_is_two_transactions() {
    let sandbox = Sandbox::new("twice");
    let operator = deployed(&sandbox);
    let first = sandbox.json("deployer", &["network", "grant", &operator, "5"]);
    let second = sandbox.json("deployer", &["network", "grant", &operator, "5"]);
    assert_ne!(first["signature"], second["signature"]);
    let balance = sandbox.json("operator", &["balance"]);
    // 5,000 from `deployed`, then 5 and 5.
    assert_eq!(balance["tokens"], 5_010_000_000u64);
}

#[test]
fn simulate_says_what_it_would_do_and_changes_nothing() {
    let sandbox = Sandbox::new("simulate-words");
    deployed(&sandbox);
    let state = sandbox.path("state.bin");
    let before = std::fs::read(&state).unwrap();
    sandbox
        .command("operator", &["--simulate", "warp", "1d"])
        .assert()
        .success()
        .stdout(contains("would move the clock forward 86400 s"))
        .stdout(contains("clock moved").not());
    sandbox
        .command("operator", &["--simulate", "airdrop", "5"])
        .assert()
        .success()
        .stdout(contains("would airdrop 5000000000 lamports"))
        .stdout(contains("airdropped").not());
    assert_eq!(std::fs::read(&state).unwrap(), before);
}

#[test]
fn nothing_is_reported_done_when_the_save_fails() {
    let sandbox = Sandbox::new("unsaved");
    let operator = deployed(&sandbox);
    let state = sandbox.path("state.bin");
    let before = std::fs::read(&state).unwrap();
    // A file-size limit of one byte (as a full disk would): the save's
    // journal cannot be written, after the transaction ran in memory.
    let output = {
        use std::os::unix::process::CommandExt;
        let mut command = Process::new(assert_cmd::cargo::cargo_bin("depin"));
        command
            .current_dir(&sandbox.directory)
            .env("HOME", &sandbox.directory)
            .env("DEPIN_STATE", &state)
            .arg("-k")
            .arg(sandbox.path("deployer.json"))
            .args(["network", "grant", &operator, "5"]);
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            command.pre_exec(|| {
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                let limit = libc::rlimit {
                    rlim_cur: 1,
                    rlim_max: 1,
                };
                if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        command.output().unwrap()
    };
    assert!(!output.status.success());
    assert!(
        output.stdout.is_empty(),
        "reported work that was not saved: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("cannot write"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        std::fs::read(&state).unwrap(),
        before,
        "a failed save changed the state"
    );
    let balance = sandbox.json("operator", &["balance"]);
    assert_eq!(
        balance["tokens"], 5_000_000_000u64,
        "the unsaved grant is not there"
    );
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    let sandbox = Sandbox::new("pipe");
    sandbox.keygen("deployer");
    let binary = assert_cmd::cargo::cargo_bin("depin");
    for args in [&["completions", "bash"][..], &["network", "show"]] {
        let mut child = Process::new(&binary)
            .current_dir(&sandbox.directory)
            .env("HOME", &sandbox.directory)
            .env("DEPIN_STATE", sandbox.path("state.bin"))
            .arg("-k")
            .arg(sandbox.path("deployer.json"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Like `| head -0`: the reader is gone before anything is written.
        drop(child.stdout.take());
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(!stderr.contains("panicked"), "depin {args:?}: {stderr}");
        assert_ne!(status.code(), Some(101), "depin {args:?} panicked");
    }
}

#[test]
fn the_demo_refuses_flags_it_would_ignore() {
    let sandbox = Sandbox::new("demo-flags");
    for (flags, named) in [
        (&["--output", "json"][..], "--output"),
        (&["-u", "localhost"], "-u/--url"),
        (&["--simulate"], "--simulate"),
        (&["--state", "other.bin"], "--state"),
    ] {
        let mut args = flags.to_vec();
        args.push("demo");
        let output = sandbox.command("deployer", &args).output().unwrap();
        assert!(!output.status.success());
        // Under --output json the error is JSON on stdout.
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(said.contains("depin demo does not take"), "{said}");
        assert!(said.contains(named), "{said}");
        assert_eq!(said.matches("does not take").count(), 1, "{said}");
    }
}

#[test]
fn errors_are_json_under_output_json() {
    let sandbox = Sandbox::new("json-errors");
    deployed(&sandbox);
    let unknown = solana_address();
    let output = sandbox
        .command(
            "operator",
            &["--output", "json", "device", "show", &unknown],
        )
        .output()
        .unwrap();
    assert!(!output.status.success());
    let value: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "not JSON ({error}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    assert!(
        value["error"]["message"]
            .as_str()
            .unwrap()
            .contains(&unknown),
        "{value}"
    );
    let compact = sandbox
        .command("operator", &["--output", "json-compact", "balance"])
        .output()
        .unwrap();
    let text = String::from_utf8(compact.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    serde_json::from_str::<Value>(&text).unwrap();
}

#[test]
fn addresses_may_be_keypair_files() {
    let sandbox = Sandbox::new("keypair-address");
    let operator = deployed(&sandbox);
    let by_file = sandbox.json(
        "deployer",
        &["credits", "balance", text(&sandbox.path("operator.json"))],
    );
    let by_address = sandbox.json("deployer", &["credits", "balance", &operator]);
    assert_eq!(by_file, by_address);
}

#[test]
fn a_second_command_waits_for_the_state_lock() {
    use std::os::fd::AsRawFd;
    let sandbox = Sandbox::new("lock-wait");
    sandbox.keygen("deployer");
    let lock = std::fs::File::create(sandbox.path("state.bin.lock")).unwrap();
    // SAFETY: flock on a descriptor this test owns.
    assert_eq!(
        unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) },
        0
    );
    // The lock is let go only once the command says it waits, however
    // long the command takes to start.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("depin"))
        .current_dir(sandbox.path("."))
        .env("HOME", sandbox.path("."))
        .env_remove("DEPIN_URL")
        .env_remove("DEPIN_CONFIG")
        .env("DEPIN_STATE", sandbox.path("state.bin"))
        .arg("-k")
        .arg(sandbox.path("deployer.json"))
        .args(["--lock-timeout", "20", "airdrop", "1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut printed = String::new();
    loop {
        let mut line = String::new();
        let read = std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
        printed.push_str(&line);
        if line.contains("waiting for another depin command") {
            break;
        }
        assert!(read > 0, "the command never said it waits: {printed}");
    }
    drop(lock);
    std::io::Read::read_to_string(&mut stderr, &mut printed).unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{printed}");
}

fn solana_address() -> String {
    // Any valid address no account lives at.
    "7Np41oeYqPefeNQEHSv1UDhYrehxin3NStELsSKCT4K2".to_string()
}

/// Commands write back only what their transactions changed: repeated
/// airdrops to a wallet that exists add no account (the runtime's own
/// faucet of each run is not saved, as it once was, one stray account
/// per command).
#[test]
fn commands_leave_no_stray_accounts_behind() {
    let sandbox = Sandbox::new("stray");
    deployed(&sandbox);
    let count = || {
        sandbox.json("operator", &["network", "verify-state"])["accounts"]
            .as_u64()
            .unwrap()
    };
    let before = count();
    for _ in 0..3 {
        sandbox.json("operator", &["airdrop", "1"]);
        sandbox.json("operator", &["balance"]);
    }
    assert_eq!(count(), before, "a command left an account behind");
}
