//! `depin demo` end to end, as a user runs it.

use {assert_cmd::Command, predicates::prelude::*};

fn depin() -> Command {
    Command::cargo_bin("depin").expect("the depin binary is built")
}

#[test]
fn demo_runs_the_economy_and_reports_it() {
    let output = depin()
        .args(["demo", "--devices", "30", "--epochs", "3", "--quiet"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    assert!(
        text.contains("ledger invariants hold after every epoch"),
        "{text}"
    );
    assert!(text.contains("30 devices onboarded"), "{text}");
    // Where the time went, phase by phase, and the rates per CPU-second.
    for phase in [
        "deployment",
        "registering devices",
        "devices signing and sending reports",
        "oracle nodes closing, checking, voting",
        "claims",
    ] {
        assert!(
            text.lines()
                .any(|line| line.contains(phase) && line.contains('┆')),
            "no time row for {phase}: {text}"
        );
    }
    assert!(text.contains("claims per CPU-second"), "{text}");
    // The epochs ran through three oracle nodes, from signed reports: the
    // 30 devices are 3 offline, 2 replaying, 1 forging and 24 honest, each
    // sending 8 reports an epoch (2 per 6 h interval), 3 epochs.
    assert!(
        text.contains("3 oracle nodes on loopback; reward rule v1"),
        "{text}"
    );
    assert!(
        text.contains(
            "every node accepted 624 reports and refused the same ones (24 bad_signature, 48 replay)"
        ),
        "{text}"
    );
    let behavior = |what: &str| -> Vec<String> {
        let line = text
            .lines()
            .find(|line| line.contains(what))
            .unwrap_or_else(|| panic!("no row for devices that {what}: {text}"));
        line.split('┆')
            .map(|cell| {
                cell.trim_matches(|c: char| c == '│' || c.is_whitespace())
                    .to_string()
            })
            .collect()
    };
    // devices, reports sent, tokens earned, per device
    let honest = behavior("report honestly");
    let replaying = behavior("replay every report");
    assert_eq!(&honest[1..3], ["24", "576"], "{text}");
    assert_eq!(&replaying[1..3], ["2", "96"], "{text}");
    // Replaying earns nothing more than reporting once.
    assert_eq!(honest[4], replaying[4], "{text}");
    assert_ne!(honest[4], "0.00", "{text}");
    for idle in ["stay offline", "sign with another key"] {
        assert_eq!(behavior(idle)[3], "0.00", "{idle}: {text}");
    }
    assert_eq!(behavior("stay offline")[1..3], ["3", "0"], "{text}");
    assert!(text.contains("3 oracles (quorum 2), 3 epochs"), "{text}");
    // One table row per epoch with the scheduled emission, until the DAO's
    // cut (executed during epoch 2) takes effect in epoch 3.
    let rows_at = |emission: &str| {
        text.lines()
            .filter(|line| line.contains('┆') && line.contains(emission))
            .count()
    };
    assert_eq!(rows_at("1000000.00"), 2, "{text}");
    assert_eq!(rows_at("750000.00"), 1, "{text}");
    // The proposal's whole life is reported.
    assert!(
        text.contains("proposal #0 \"Cut emission to 750000.00 tokens per epoch from epoch 3\""),
        "{text}"
    );
    for state in ["Voting", "Succeeded", "Queued", "Executed"] {
        assert!(
            text.lines().any(|line| line.contains(state)),
            "{state}: {text}"
        );
    }
    assert!(
        text.contains("network token supply (whole tokens) by epoch"),
        "{text}"
    );
    // Every class row, and the account sizes the registry and the rewards
    // program promise: a device (with its rewards recipient) and a wallet's
    // claim record.
    for class in ["wifi-indoor", "5g-outdoor", "lora-sensor"] {
        assert!(text.contains(class), "{text}");
    }
    let bytes_line = text
        .lines()
        .find(|line| line.contains("device account data (bytes)"))
        .expect("device bytes reported");
    let bytes: usize = bytes_line
        .split(|c: char| !c.is_ascii_digit())
        .rfind(|part| !part.is_empty())
        .unwrap()
        .parse()
        .unwrap();
    assert!(bytes <= 181, "{bytes}");
    assert!(
        text.lines()
            .any(|line| line.contains("wallet record data (bytes)") && line.contains(" 49 ")),
        "{text}"
    );
    assert!(
        text.contains("devices pay their rewards to a fleet wallet"),
        "{text}"
    );
}

#[test]
fn demo_is_reproducible_for_a_seed() {
    let run = || {
        let output = depin()
            .args([
                "demo",
                "--devices",
                "12",
                "--epochs",
                "2",
                "--seed",
                "7",
                "--quiet",
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        // Drop timing lines, which differ between runs: the rates, and
        // everything from the durations line on (the time table).
        String::from_utf8(output)
            .unwrap()
            .lines()
            .take_while(|line| !line.contains("devices onboarded in"))
            .filter(|line| !line.contains("per second") && !line.contains(" s "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(run(), run());
}

#[test]
fn demo_rejects_a_device_count_out_of_range() {
    depin()
        .args(["demo", "--devices", "0"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--devices"));
    depin()
        .args(["demo", "--devices", "many"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("invalid value 'many'"));
}

#[test]
fn demo_rejects_oracle_and_epoch_counts_out_of_range() {
    depin()
        .args(["demo", "--oracles", "17"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--oracles"));
    depin()
        .args(["demo", "--epochs", "0"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--epochs"));
}

#[test]
fn unknown_commands_fail_with_usage() {
    depin()
        .arg("fly")
        .assert()
        .failure()
        .stderr(predicate::str::contains("Usage"));
}

#[test]
fn demo_runs_with_one_oracle_and_with_five() {
    for (oracles, expected) in [
        ("1", "1 oracle node on loopback"),
        ("5", "5 oracle nodes on loopback"),
    ] {
        let output = depin()
            .args([
                "demo",
                "--devices",
                "12",
                "--epochs",
                "2",
                "--oracles",
                oracles,
                "--quiet",
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(output).unwrap();
        assert!(text.contains(expected), "{text}");
        assert!(
            text.contains("ledger invariants hold after every epoch"),
            "{text}"
        );
    }
}
