//! Every `depin` command end to end on the embedded runtime, as the
//! deployer, a device operator, an oracle and DAO members would run them,
//! and the errors bad input gets.

mod common;

use {
    assert_cmd::Command,
    common::{deployed, text, without_clock, Sandbox},
    predicates::str::contains,
    serde_json::Value,
};

#[test]
fn every_user_journey() {
    every_user_journey_on(&Sandbox::new("journey"));
}

/// The same journey, every command over JSON-RPC to a `depin localnet`.
#[test]
fn every_user_journey_over_depin_localnet() {
    let sandbox = Sandbox::over_localnet("journey");
    every_user_journey_on(&sandbox);
    let shown = sandbox.display("deployer", &["network", "show"]);
    assert!(
        shown.contains("cluster          http://127.0.0.1:"),
        "{shown}"
    );
    assert!(
        !sandbox.path("state.bin").exists(),
        "nothing ran on the embedded state"
    );
}

fn every_user_journey_on(sandbox: &Sandbox) {
    let operator = deployed(sandbox);
    let deployer = sandbox.json("deployer", &["address"])["address"]
        .as_str()
        .unwrap()
        .to_string();

    // Deployer: a rerun of the bootstrap changes nothing.
    let shown = sandbox.json("deployer", &["network", "show"]);
    assert_eq!(shown["deployed"], true);
    assert_eq!(shown["nextEpochDue"], 1);
    assert_eq!(shown["tokenSupply"], 1_000_000_000_000u64);
    sandbox.json("deployer", &["network", "init", "--keep-authority"]);
    assert_eq!(
        without_clock(sandbox.json("deployer", &["network", "show"])),
        without_clock(shown.clone())
    );

    // Deployer, still holding the registry: a class and a maker, applied.
    let class = sandbox.json(
        "deployer",
        &[
            "class",
            "add",
            "gpu",
            "--onboarding-fee",
            "1000",
            "--location-fee",
            "10",
        ],
    );
    assert_eq!(class["applied"], true);
    let maker = sandbox.keygen("maker");
    assert_eq!(
        sandbox.json(
            "deployer",
            &["maker", "add", &maker, "acme", "--quota", "10"]
        )["applied"],
        true
    );

    // Operator: credits, then devices.
    let balance = sandbox.json("operator", &["balance"]);
    assert_eq!(balance["tokens"], 5_000_000_000u64);
    let bought = sandbox.json("operator", &["credits", "buy", "1000", "--yes"]);
    assert!(bought["dataCredits"].as_u64().unwrap() > 40_000);
    let device = sandbox.keygen("device");
    let registered = sandbox.json(
        "operator",
        &[
            "device",
            "register",
            "--device-keypair",
            text(&sandbox.path("device.json")),
            "--class",
            "wifi-indoor",
            "--location",
            "8a2a1072b59ffff",
        ],
    );
    assert_eq!(registered["owner"], operator.as_str());
    assert_eq!(registered["serial"], 1);
    let second = sandbox.keygen("second");
    sandbox.register("operator", "second", "gpu");
    // A class that needs a maker's signature: refused without, accepted with.
    sandbox.keygen("outdoor");
    let outdoor = sandbox.path("outdoor.json");
    sandbox.fails(
        "operator",
        &[
            "device",
            "register",
            "--device-keypair",
            text(&outdoor),
            "--class",
            "5g-outdoor",
        ],
        "(MakerRequired)",
    );
    let attested = sandbox.json(
        "operator",
        &[
            "device",
            "register",
            "--device-keypair",
            text(&outdoor),
            "--class",
            "5g-outdoor",
            "--maker-keypair",
            text(&sandbox.path("maker.json")),
        ],
    );
    assert_eq!(attested["class"], 1);
    let listed = sandbox.json("operator", &["device", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 3);
    let moved = sandbox.json("operator", &["device", "move", &device, "8a2a1072b5b7fff"]);
    assert_eq!(moved["location"], "8a2a1072b5b7fff");
    assert_eq!(
        sandbox.json("operator", &["device", "show", &device])["locationChanges"],
        1
    );

    // Oracle: epoch 1's batch from a CSV; final at once (quorum 1), claimable
    // after the one-hour challenge window.
    sandbox.json("deployer", &["warp", "1d"]);
    let proofs = sandbox.write(
        "epoch1.csv",
        &format!("device,amount\n{device},250000000\n{second},1500000\n"),
    );
    let submitted = sandbox.json(
        "deployer",
        &["oracle", "submit", text(&proofs), "--epoch", "1"],
    );
    assert_eq!(submitted["devices"], 2);
    assert_eq!(submitted["wallets"], 1);
    assert_eq!(submitted["status"], "Final");
    assert!(sandbox.path("batches/epoch-1.batch").exists());
    let status = sandbox.json("deployer", &["oracle", "status", "--epoch", "1"]);
    assert_eq!(status["votes"], 1);
    sandbox.json("deployer", &["rewards", "issue"]);
    sandbox.json("deployer", &["warp", "2h"]);

    // Operator: one claim pays the whole fleet; then nothing is owed.
    let batch = sandbox.path("batches/epoch-1.batch");
    let owed = sandbox.json("operator", &["rewards", "status", "--batch", text(&batch)]);
    assert_eq!(owed["devices"].as_array().unwrap().len(), 2);
    assert_eq!(owed["wallet"]["owed"], 251_500_000u64);
    let claimed = sandbox.json("operator", &["rewards", "claim", "--batch", text(&batch)]);
    assert_eq!(claimed["total"], 251_500_000u64);
    assert_eq!(claimed["devicesThisEpoch"], 2);
    assert_eq!(claimed["transactions"], 1);
    sandbox.fails(
        "operator",
        &["rewards", "claim", "--batch", text(&batch)],
        "nothing to claim",
    );
    let oracle_claim = sandbox.json("deployer", &["oracle", "claim", "1"]);
    assert!(oracle_claim["amount"].as_u64().unwrap() > 0);

    // Deployer: closes the gpu class to new devices.
    let closed = sandbox.json(
        "deployer",
        &[
            "class",
            "update",
            "gpu",
            "--onboarding-fee",
            "1000",
            "--location-fee",
            "10",
            "--disabled",
        ],
    );
    assert_eq!(closed["applied"], true);
    sandbox.keygen("late");
    sandbox.fails(
        "operator",
        &[
            "device",
            "register",
            "--device-keypair",
            text(&sandbox.path("late.json")),
            "--class",
            "gpu",
        ],
        "(DeviceClassDisabled)",
    );

    // The DAO takes over; the operator locks tokens and governs.
    let handed = sandbox.json("deployer", &["network", "hand-over", "--yes"]);
    assert_eq!(handed["registry"], true);
    assert_eq!(handed["treasury"], true);
    sandbox.json("operator", &["gov", "lock", "1500", "--days", "365"]);
    sandbox.json("operator", &["gov", "lock", "10", "--days", "1"]);
    sandbox.fails(
        "operator",
        &["gov", "unlock", "0"],
        "position 0 is still locked",
    );
    sandbox.fails("operator", &["gov", "unlock", "3"], "no position 3");
    // Nothing left to hand over: a rerun changes nothing.
    let again = sandbox.json("deployer", &["network", "hand-over", "--yes"]);
    assert_eq!(again["registry"], false);
    assert_eq!(
        sandbox
            .json("operator", &["gov", "positions"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let proposed = sandbox.json(
        "operator",
        &[
            "gov",
            "propose",
            "--title",
            "Cut emission",
            "emission",
            "--from-epoch",
            "30",
            "--tokens-per-epoch",
            "750000",
        ],
    );
    assert_eq!(proposed["id"], 0);
    assert_eq!(proposed["state"], "Voting");
    // After the hand-over a maker change is a proposal, not applied.
    sandbox.fails(
        "deployer",
        &["maker", "update", &maker, "--revoke"],
        "no locked tokens",
    );
    let revoke = sandbox.json("operator", &["maker", "update", &maker, "--revoke"]);
    assert_eq!(revoke["applied"], false);
    assert_eq!(revoke["proposal"], 1);

    // A change that will have become retroactive by the time it executes.
    let late = sandbox.json(
        "operator",
        &[
            "gov",
            "propose",
            "--title",
            "Too late",
            "emission",
            "--from-epoch",
            "5",
            "--tokens-per-epoch",
            "1",
        ],
    );
    assert_eq!(late["id"], 2);
    sandbox.json("operator", &["gov", "vote", "2", "yes"]);
    let voted = sandbox.json("operator", &["gov", "vote", "0", "yes"]);
    assert_eq!(voted["votes"], 1);
    sandbox.fails(
        "operator",
        &["gov", "vote", "0", "no"],
        "already voted on proposal 0",
    );
    assert_eq!(
        sandbox
            .json("operator", &["gov", "list"])
            .as_array()
            .unwrap()
            .len(),
        3
    );
    sandbox.json("operator", &["warp", "3d"]);
    assert_eq!(
        sandbox.json("operator", &["gov", "execute", "0"])["state"],
        "Queued"
    );
    sandbox.json("operator", &["warp", "2d"]);
    assert_eq!(
        sandbox.json("deployer", &["gov", "execute", "0"])["state"],
        "Executed"
    );
    // The failing CPI is named after the program that raised it.
    assert_eq!(
        sandbox.json("operator", &["gov", "execute", "2"])["state"],
        "Queued"
    );
    sandbox.json("operator", &["warp", "2d"]);
    sandbox.fails("operator", &["gov", "execute", "2"], "rewards error");
    assert_eq!(
        sandbox.json("operator", &["gov", "show", "0"])["state"],
        "Executed"
    );
    // The one-day cliff has ended: withdrawn.
    let tokens_before = sandbox.json("operator", &["balance"])["tokens"]
        .as_u64()
        .unwrap();
    sandbox.json("operator", &["gov", "unlock", "1"]);
    let tokens_after = sandbox.json("operator", &["balance"])["tokens"]
        .as_u64()
        .unwrap();
    assert_eq!(tokens_after - tokens_before, 10_000_000);
    // The other kinds of proposal.
    let grant = sandbox.json(
        "operator",
        &[
            "gov",
            "propose",
            "--title",
            "Grant",
            "treasury-grant",
            "--to",
            &maker,
            "--amount",
            "10",
        ],
    );
    assert_eq!(grant["instructions"], 1);
    let oracles = sandbox.json(
        "operator",
        &[
            "gov",
            "propose",
            "--title",
            "Oracles",
            "oracle-set",
            "--oracle",
            &deployer,
            "--oracle",
            &maker,
            "--quorum",
            "2",
        ],
    );
    assert_eq!(oracles["state"], "Voting");
    // Nobody voted on the maker change: it is defeated.
    assert_eq!(
        sandbox.json("operator", &["gov", "execute", "1"])["state"],
        "Defeated"
    );

    // Operator: hands a device over; the new owner retires it.
    let buyer = sandbox.keygen("buyer");
    sandbox.json("operator", &["airdrop", "1", "--to", &buyer]);
    sandbox.json(
        "operator",
        &["--yes", "device", "transfer", &second, &buyer],
    );
    sandbox.fails(
        "operator",
        &["device", "retire", &second],
        "not by this wallet",
    );
    assert_eq!(
        sandbox.json("buyer", &["--yes", "device", "retire", &second])["retired"],
        true
    );
    sandbox.fails("buyer", &["device", "show", &second], "not registered");
    let burned = sandbox.json(
        "operator",
        &["credits", "burn", "100", "--purpose", "storage"],
    );
    assert_eq!(burned["purpose"], "Storage");
    let credits = sandbox.json("operator", &["credits", "balance"]);
    assert!(credits["dataCredits"].as_u64().unwrap() > 0);
    assert_ne!(deployer, operator);
}

on_both_backends!(
    "files",
    malformed_and_wrong_input_files_name_the_line_on,
    malformed_and_wrong_input_files_name_the_line,
    malformed_and_wrong_input_files_name_the_line_over_depin_localnet
);

fn malformed_and_wrong_input_files_name_the_line_on(sandbox: &Sandbox) {
    deployed(sandbox);
    let device = sandbox.keygen("device");
    sandbox.json("operator", &["credits", "buy", "1000", "--yes"]);
    sandbox.register("operator", "device", "lora-sensor");
    sandbox.json("deployer", &["warp", "1d"]);
    let unknown = sandbox.keygen("stranger");
    let cases = [
        (
            "bad.csv",
            format!("device,amount\n{device},10\nnot-a-key,5\n"),
            "line 3: 'not-a-key' is not a device address",
        ),
        (
            "amount.csv",
            format!("{device},ten\n"),
            "line 1: 'ten' is not an amount",
        ),
        (
            "fields.csv",
            format!("{device},1,2\n"),
            "line 1: expected 2 fields",
        ),
        (
            "twice.csv",
            format!("{device},1\n{device},2\n"),
            "line 2: device",
        ),
        (
            "unknown.csv",
            format!("{device},1\n{unknown},2\n"),
            &format!("line 2: unknown device {unknown}"),
        ),
        (
            "bad.jsonl",
            format!("{{\"device\":\"{device}\",\"amount\":1}}\n{{\"device\":1}}\n"),
            "line 2: invalid JSON line",
        ),
        ("empty.csv", "device,amount\n".to_string(), "no devices"),
    ];
    for (name, contents, message) in cases {
        let path = sandbox.write(name, &contents);
        sandbox.fails(
            "deployer",
            &["oracle", "submit", text(&path), "--epoch", "1"],
            message,
        );
    }
    sandbox.fails(
        "deployer",
        &["oracle", "submit", "missing.csv", "--epoch", "1"],
        "cannot read missing.csv",
    );
    // Only oracles submit.
    let good = sandbox.write("good.csv", &format!("{device},10\n"));
    sandbox.fails(
        "operator",
        &["oracle", "submit", text(&good), "--epoch", "1"],
        "not in the oracle set",
    );
    // A batch file that is not the one on chain, and junk as a batch file.
    sandbox.json(
        "deployer",
        &[
            "oracle",
            "submit",
            text(&good),
            "--epoch",
            "1",
            "--batch-out",
            "b1.batch",
        ],
    );
    let other = sandbox.write("other.csv", &format!("{device},11\n"));
    sandbox.json("deployer", &["warp", "1d"]);
    let forged = sandbox.json(
        "deployer",
        &[
            "oracle",
            "submit",
            text(&other),
            "--epoch",
            "2",
            "--previous",
            "b1.batch",
            "--batch-out",
            "b2.batch",
        ],
    );
    assert_eq!(forged["status"], "Final");
    // A vote on the final epoch 2 is refused, and writes no batch file.
    sandbox.fails(
        "deployer",
        &[
            "oracle",
            "submit",
            text(&good),
            "--epoch",
            "2",
            "--previous",
            "b1.batch",
            "--batch-out",
            "mismatch.batch",
        ],
        "BatchAlreadyFinal",
    );
    // A refused vote writes no batch file (a forged file is refused by the
    // chain check: cli/tests/oracle_rewards.rs).
    assert!(!sandbox.path("mismatch.batch").exists());
    sandbox.write("junk.batch", "junk");
    sandbox.fails(
        "operator",
        &["rewards", "claim", "--batch", "junk.batch"],
        "batch file junk.batch",
    );
    // Claims before the challenge window closes get the program's reason.
    sandbox.fails(
        "operator",
        &["rewards", "claim", "--batch", "b2.batch"],
        "BatchInChallengeWindow",
    );
}

#[test]
fn bad_arguments_keys_and_funds_are_refused_plainly() {
    let sandbox = Sandbox::new("refusals");
    // No keypair yet.
    sandbox.fails("deployer", &["network", "show"], "keypair file");
    sandbox.fails("deployer", &["network", "show"], "depin keygen");
    let operator = deployed(&sandbox);
    sandbox.keygen("device");
    // A wallet with no SOL cannot pay fees.
    let poor = sandbox.keygen("poor");
    sandbox.fails("poor", &["oracle", "price", "1"], "insufficient funds");
    // Tokens it does not have.
    sandbox.json("operator", &["airdrop", "1", "--to", &poor]);
    sandbox.fails(
        "poor",
        &["credits", "buy", "1", "--yes"],
        "insufficient funds",
    );
    sandbox.fails(
        "poor",
        &[
            "device",
            "register",
            "--device-keypair",
            text(&sandbox.path("device.json")),
            "--class",
            "wifi-indoor",
        ],
        "insufficient data credits",
    );
    // Unknown names and malformed values.
    sandbox.fails(
        "operator",
        &[
            "device",
            "register",
            "--device-keypair",
            text(&sandbox.path("device.json")),
            "--class",
            "toaster",
        ],
        "unknown device class 'toaster'",
    );
    sandbox.fails(
        "operator",
        &["device", "show", "not-a-key"],
        "is not a base-58 address",
    );
    sandbox.fails("operator", &["device", "show", &operator], "not registered");
    sandbox.fails(
        "operator",
        &["credits", "buy", "1.0000001", "--yes"],
        "at most 6 decimals",
    );
    sandbox.fails("operator", &["warp", "soon"], "is not a duration");
    sandbox.fails("operator", &["oracle", "price", "0"], "above zero");
    sandbox.fails("operator", &["gov", "show", "9"], "there is no proposal 9");
    sandbox.fails("operator", &["gov", "unlock", "0"], "no locked positions");
    sandbox.fails(
        "operator",
        &["rewards", "issue", "--epoch", "7"],
        "issued in order",
    );
    sandbox.fails("operator", &["rewards", "issue"], "has not ended");
    sandbox.fails(
        "operator",
        &["network", "grant", &operator, "1"],
        "not by this wallet",
    );
    // Not the device's owner.
    sandbox.json("operator", &["credits", "buy", "100", "--yes"]);
    let device = sandbox.json(
        "operator",
        &["address", "-k", text(&sandbox.path("device.json"))],
    )["address"]
        .as_str()
        .unwrap()
        .to_string();
    sandbox.register("operator", "device", "lora-sensor");
    sandbox.fails(
        "operator",
        &[
            "device",
            "register",
            "--device-keypair",
            text(&sandbox.path("device.json")),
            "--class",
            "lora-sensor",
        ],
        "already registered",
    );
    sandbox.fails(
        "deployer",
        &["device", "transfer", &device, &operator],
        "not by this wallet",
    );
    // Clusters: unknown monikers, and warping a real cluster.
    sandbox.fails(
        "operator",
        &["-u", "moonnet", "network", "show"],
        "unknown cluster 'moonnet'",
    );
    sandbox.fails(
        "operator",
        &["-u", "http://127.0.0.1:9", "warp", "1d"],
        "no Solana node answers at http://127.0.0.1:9",
    );
    sandbox.fails(
        "operator",
        &["--commitment", "eventually", "network", "show"],
        "unknown commitment",
    );
    // A corrupt state file is named.
    let corrupt = sandbox.write("corrupt.bin", "garbage");
    sandbox
        .command("operator", &["network", "show"])
        .env("DEPIN_STATE", &corrupt)
        .assert()
        .failure()
        .stderr(contains("corrupt.bin is not a depin embedded state file"));
}

#[test]
fn simulate_sends_nothing_and_keygen_never_overwrites() {
    let sandbox = Sandbox::new("simulate");
    deployed(&sandbox);
    let before = std::fs::read(sandbox.path("state.bin")).unwrap();
    let simulated = sandbox.json("operator", &["--simulate", "credits", "buy", "10", "--yes"]);
    assert_eq!(simulated["simulated"], true);
    assert!(simulated["logs"].as_array().unwrap().len() > 2);
    assert_eq!(std::fs::read(sandbox.path("state.bin")).unwrap(), before);
    assert_eq!(
        sandbox.json("operator", &["credits", "balance"])["dataCredits"],
        0
    );
    // A simulation that would fail says why and exits non-zero.
    sandbox.fails(
        "operator",
        &["--simulate", "gov", "lock", "1", "--days", "0"],
        "at least 1",
    );
    sandbox.fails("deployer", &["keygen"], "already exists");
    // The display output names what happened.
    sandbox
        .command("operator", &["credits", "buy", "10", "--yes"])
        .assert()
        .success()
        .stdout(contains("data credits"));
}

#[test]
fn a_solana_cli_config_supplies_the_keypair() {
    let sandbox = Sandbox::new("config");
    let address = sandbox.keygen("mine");
    let config = sandbox.write(
        "config.yml",
        &format!(
            "json_rpc_url: \"http://127.0.0.1:9\"\nkeypair_path: {}\ncommitment: finalized\n",
            text(&sandbox.path("mine.json"))
        ),
    );
    let mut command = Command::cargo_bin("depin").unwrap();
    command
        .current_dir(&sandbox.directory)
        .env("HOME", &sandbox.directory)
        .env_remove("DEPIN_URL")
        .args(["-C", text(&config), "--output", "json", "address"])
        .assert()
        .success()
        .stdout(contains(address.as_str()));
    // `-u config` takes the config's URL (nothing listens there).
    Command::cargo_bin("depin")
        .unwrap()
        .current_dir(&sandbox.directory)
        .env("HOME", &sandbox.directory)
        .args(["-C", text(&config), "-u", "config", "network", "show"])
        .assert()
        .failure()
        .stderr(contains("RPC request to http://127.0.0.1:9"));
}

#[cfg(unix)]
#[test]
fn one_state_file_serves_one_command_at_a_time() {
    use std::os::fd::AsRawFd;
    let sandbox = Sandbox::new("lock");
    sandbox.keygen("deployer");
    let lock = std::fs::File::create(sandbox.path("state.bin.lock")).unwrap();
    // SAFETY: flock on a descriptor this test owns.
    assert_eq!(
        unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) },
        0
    );
    sandbox.fails(
        "deployer",
        &["--lock-timeout", "1", "network", "show"],
        "still in use by another depin command after 1 s",
    );
    drop(lock);
    sandbox.json("deployer", &["network", "show"]);
}

on_both_backends!(
    "pause",
    pause_switches_and_the_guardian_end_to_end_on,
    pause_switches_and_the_guardian_end_to_end,
    pause_switches_and_the_guardian_end_to_end_over_depin_localnet
);

fn pause_switches_and_the_guardian_end_to_end_on(sandbox: &Sandbox) {
    let operator = deployed(sandbox);
    sandbox.json("operator", &["credits", "buy", "1000", "--yes"]);
    sandbox.keygen("hotspot");
    sandbox.keygen("hotspot2");

    // The deployer still holds the authorities: a pause applies at once.
    let paused = sandbox.json("deployer", &["pause", "onboarding"]);
    assert_eq!(paused["applied"], true);
    sandbox.fails(
        "operator",
        &[
            "device",
            "register",
            "--device-keypair",
            text(&sandbox.path("hotspot.json")),
            "--class",
            "wifi-indoor",
        ],
        "(OnboardingPaused)",
    );
    let show = sandbox.json("operator", &["network", "show"]);
    assert_eq!(show["pause"][0]["program"], "registry");
    assert_eq!(show["pause"][0]["paused"][0]["scope"], "onboarding");
    assert_eq!(show["pause"][0]["paused"][0]["until"], Value::Null);
    assert_eq!(show["pause"][2]["paused"].as_array().unwrap().len(), 0);
    sandbox.fails(
        "operator",
        &["unpause", "onboarding"],
        "not all held by this wallet",
    );
    sandbox.json("deployer", &["unpause", "onboarding"]);
    sandbox.register("operator", "hotspot", "wifi-indoor");
    // Unknown scopes are named.
    sandbox.fails(
        "deployer",
        &["pause", "claims"],
        "unknown pause scope 'claims'",
    );
    sandbox.fails("deployer", &["pause"], "required");

    // A guardian: pauses everything once, for its maximum, never unpauses.
    let guardian = sandbox.keygen("guardian");
    sandbox.json("deployer", &["airdrop", "1", "--to", &guardian]);
    sandbox.fails(
        "guardian",
        &["guardian", "pause"],
        "is not the registry program's guardian",
    );
    sandbox.fails(
        "deployer",
        &["guardian", "set", &guardian, "--max-pause", "31d"],
        "(InvalidGuardianPause)",
    );
    sandbox.fails(
        "deployer",
        &["guardian", "set", &guardian, "--max-pause", "soon"],
        "is not a duration",
    );
    let set = sandbox.json(
        "deployer",
        &["guardian", "set", &guardian, "--max-pause", "2h"],
    );
    assert_eq!(set["applied"], true);
    let guarded = sandbox.json("guardian", &["guardian", "pause"]);
    assert_eq!(guarded["paused"].as_array().unwrap().len(), 8);
    sandbox.fails(
        "operator",
        &["credits", "buy", "10", "--yes"],
        "(CreditPurchasesPaused)",
    );
    sandbox.fails(
        "guardian",
        &["unpause", "all"],
        "not all held by this wallet",
    );
    sandbox.fails(
        "guardian",
        &["guardian", "pause", "prices"],
        "used its pause",
    );
    let status = sandbox.json("operator", &["guardian", "show"]);
    for program in status.as_array().unwrap() {
        assert_eq!(program["guardian"], guardian.as_str());
        assert_eq!(program["guardianArmed"], false);
        assert!(program["paused"][0]["until"].as_i64().is_some());
    }
    sandbox.json("operator", &["warp", "2h"]);
    sandbox.json("deployer", &["oracle", "price", "0.5"]);
    sandbox.json("operator", &["credits", "buy", "10", "--yes"]);
    sandbox.json("deployer", &["guardian", "remove"]);
    assert_eq!(
        sandbox.json("operator", &["guardian", "show"])[1]["guardian"],
        Value::Null
    );

    // Once the DAO holds the programs, pausing and unpausing are proposals.
    sandbox.json("deployer", &["network", "hand-over", "--yes"]);
    sandbox.json("operator", &["gov", "lock", "1500", "--days", "365"]);
    let proposed = sandbox.json("operator", &["pause", "issuance", "prices"]);
    assert_eq!(proposed["applied"], false);
    let id = proposed["proposal"].as_u64().unwrap().to_string();
    sandbox.json("operator", &["gov", "vote", &id, "yes"]);
    sandbox.json("operator", &["warp", "3d"]);
    sandbox.json("operator", &["gov", "execute", &id]);
    sandbox.json("operator", &["warp", "2d"]);
    assert_eq!(
        sandbox.json("operator", &["gov", "execute", &id])["state"],
        "Executed"
    );
    sandbox.fails("operator", &["rewards", "issue"], "(IssuancePaused)");
    sandbox.fails("deployer", &["oracle", "price", "0.5"], "(PricesPaused)");
    let show = sandbox.json("operator", &["network", "show"]);
    assert_eq!(show["pause"][1]["paused"][0]["scope"], "prices");
    assert_eq!(show["pause"][2]["paused"][0]["scope"], "issuance");
    let resumed = sandbox.json("operator", &["unpause", "rewards", "oracle"]);
    let id = resumed["proposal"].as_u64().unwrap().to_string();
    sandbox.json("operator", &["gov", "vote", &id, "yes"]);
    sandbox.json("operator", &["warp", "3d"]);
    sandbox.json("operator", &["gov", "execute", &id]);
    sandbox.json("operator", &["warp", "2d"]);
    sandbox.json("operator", &["gov", "execute", &id]);
    sandbox.json("deployer", &["oracle", "price", "0.5"]);
    sandbox.json("operator", &["rewards", "issue"]);
    // Sweeping needs an issued epoch with a batch on chain.
    sandbox.fails(
        "operator",
        &["rewards", "sweep", "99"],
        "has not been issued",
    );
    sandbox.fails(
        "operator",
        &["rewards", "sweep", "0"],
        "has no batch on chain",
    );
    assert_ne!(operator, guardian);
}

// A program that refuses logs through `msg!` (Anchor's error report); on
// the embedded runtime those lines go to the transaction's logs, so
// stdout holds only the CLI's JSON and stays parseable.
on_both_backends!(
    "program-refusal",
    a_program_refusal_leaves_stdout_to_the_json_error_on,
    a_program_refusal_leaves_stdout_to_the_json_error,
    a_program_refusal_leaves_stdout_to_the_json_error_over_depin_localnet
);

fn a_program_refusal_leaves_stdout_to_the_json_error_on(sandbox: &Sandbox) {
    deployed(sandbox);
    let output = sandbox
        .command("operator", &["--output", "json", "oracle", "price", "0.5"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "stdout is not only JSON ({error}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    assert_eq!(json["error"]["name"], "NotAnOracle");
    assert_eq!(json["error"]["program"], "proof-oracle");
}

/// `depin localnet` stops and saves its state on Ctrl-C (SIGINT) and on
/// SIGHUP as on SIGTERM: what was done over RPC is in the state file it
/// leaves, read afterwards with no node running.
#[test]
fn localnet_saves_its_state_when_interrupted() {
    for (name, signal) in [("sigint", libc::SIGINT), ("sighup", libc::SIGHUP)] {
        let sandbox = Sandbox::over_localnet(&format!("localnet-{name}"));
        sandbox.keygen("deployer");
        let wallet = sandbox.keygen("wallet");
        sandbox.json("deployer", &["airdrop", "3", "--to", &wallet]);
        let (status, printed) = sandbox.stop_localnet(signal).expect("a node ran");
        assert!(status.success(), "{name}: {status}");
        assert!(
            printed
                .iter()
                .any(|line| line.contains("node-state.bin saved")),
            "{name}: the node says it saved: {printed:?}"
        );
        let saved = Command::cargo_bin("depin")
            .unwrap()
            .current_dir(&sandbox.directory)
            .env("HOME", &sandbox.directory)
            .env_remove("DEPIN_URL")
            .args(["--state", "node-state.bin", "-k", "wallet.json"])
            .args(["--output", "json", "balance"])
            .output()
            .unwrap();
        assert!(saved.status.success(), "{name}: {saved:?}");
        let balance: serde_json::Value = serde_json::from_slice(&saved.stdout).unwrap();
        assert_eq!(balance["lamports"], 3_000_000_000u64, "{name}: {balance}");
    }
}
