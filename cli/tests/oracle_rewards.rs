//! `depin oracle`, `depin rewards` and `depin credits` as oracle operators
//! and device owners meet them: batch files written only for votes that
//! land and never over another oracle's, built from epoch amounts and the
//! previous final batch, checked against the chain before anything they
//! promise is shown; wallet claims for whole fleets, claims for another
//! wallet, the payout crank and rewards recipients; errors that say what is
//! missing and when to try again, catching up issuance, vetoes and expiry,
//! a quote before credits are bought, and help for every argument.

mod common;

use {
    common::{deployed, text, Sandbox},
    depin_sdk::{
        batch::{BatchFile, DeviceReward},
        Pubkey,
    },
    serde_json::Value,
    std::str::FromStr,
};

/// Asserts `message` says when, as people read it: a relative time, never
/// raw unix seconds.
fn says_when(message: &str) {
    assert!(
        message.contains(" in ") || message.contains(" ago"),
        "no relative time in: {message}"
    );
    assert!(!message.contains("unix"), "raw unix time in: {message}");
}

/// A deployment with one registered device of the operator; returns the
/// device's address.
fn with_device(sandbox: &Sandbox) -> String {
    deployed(sandbox);
    sandbox.json("operator", &["credits", "buy", "100", "--yes"]);
    let device = sandbox.keygen("hotspot");
    sandbox.register("operator", "hotspot", "wifi-indoor");
    device
}

fn signature(value: &Value) -> &str {
    let signature = value["signature"].as_str().unwrap();
    assert!(signature.len() > 60, "not a signature: {signature}");
    signature
}

on_both_backends!(
    "or-submit",
    a_refused_or_simulated_vote_writes_no_batch_file_on,
    a_refused_or_simulated_vote_writes_no_batch_file,
    a_refused_or_simulated_vote_writes_no_batch_file_over_depin_localnet
);

fn a_refused_or_simulated_vote_writes_no_batch_file_on(sandbox: &Sandbox) {
    let device = with_device(sandbox);
    let proofs = sandbox.write("epoch1.csv", &format!("device,amount\n{device},1000000\n"));
    let submit = ["oracle", "submit", text(&proofs), "--epoch", "1"];

    // Epoch 1 is still running: refused with when votes open, no file.
    let early = sandbox.refused("deployer", &submit);
    assert!(
        early.contains("epoch 1 has not ended (EpochNotEnded): votes open"),
        "{early}"
    );
    says_when(&early);
    assert!(!sandbox.path("batches").exists());

    // Oracle claims say what is missing, not an Anchor account error.
    let no_batch = sandbox.refused("deployer", &["oracle", "claim", "0"]);
    assert!(
        no_batch.contains("no batch for epoch 0 on chain"),
        "{no_batch}"
    );
    let not_issued = sandbox.refused("deployer", &["oracle", "claim", "1"]);
    assert!(
        not_issued.contains("epoch 1 is not issued yet"),
        "{not_issued}"
    );
    says_when(&not_issued);
    for message in [&no_batch, &not_issued] {
        assert!(!message.contains("AccountNotInitialized"), "{message}");
    }

    // A simulation writes nothing either.
    sandbox.json("deployer", &["warp", "1d"]);
    let simulated = sandbox.json(
        "deployer",
        &[
            "--simulate",
            "oracle",
            "submit",
            text(&proofs),
            "--epoch",
            "1",
        ],
    );
    assert_eq!(simulated["simulated"], true);
    assert!(!sandbox.path("batches/epoch-1.batch").exists());
    assert!(!sandbox.path("batches/epoch-1.batch.partial").exists());

    // The vote lands: then the file is written.
    let submitted = sandbox.json("deployer", &submit);
    assert_eq!(submitted["status"], "Final");
    assert_eq!(submitted["written"], true);
    signature(&submitted);
    let published = std::fs::read(sandbox.path("batches/epoch-1.batch")).unwrap();

    // A vote on the final batch is refused, and writes nothing anywhere.
    let other = sandbox.write("other.csv", &format!("{device},2000000\n"));
    let refused_final = sandbox.refused(
        "deployer",
        &[
            "oracle",
            "submit",
            text(&other),
            "--epoch",
            "1",
            "--batch-out",
            "other.batch",
        ],
    );
    assert!(
        refused_final.contains("BatchAlreadyFinal"),
        "{refused_final}"
    );
    assert!(!sandbox.path("other.batch").exists());
    // The same file again: still refused (already final), the file untouched.
    let again = sandbox.refused("deployer", &submit);
    assert!(again.contains("already final"), "{again}");
    assert_eq!(
        std::fs::read(sandbox.path("batches/epoch-1.batch")).unwrap(),
        published
    );
    // A different batch never replaces the published one.
    let replaced = sandbox.refused(
        "deployer",
        &["oracle", "submit", text(&other), "--epoch", "1"],
    );
    assert!(
        replaced.contains("batches/epoch-1.batch already holds a different batch of epoch 1"),
        "{replaced}"
    );
    assert_eq!(
        std::fs::read(sandbox.path("batches/epoch-1.batch")).unwrap(),
        published
    );

    // Claims wait for issuance, then for the challenge window, and say when.
    let unissued = sandbox.refused("deployer", &["oracle", "claim", "1"]);
    assert!(unissued.contains("epoch 1 is not issued yet"), "{unissued}");
    sandbox.json("deployer", &["rewards", "issue"]);
    let window = sandbox.refused("deployer", &["oracle", "claim", "1"]);
    assert!(
        window.contains("(BatchInChallengeWindow): claims open"),
        "{window}"
    );
    says_when(&window);
    sandbox.json("deployer", &["warp", "2h"]);
    let claimed = sandbox.json("deployer", &["oracle", "claim", "1"]);
    assert!(claimed["amount"].as_u64().unwrap() > 0);
    signature(&claimed);
    let twice = sandbox.refused("deployer", &["oracle", "claim", "1"]);
    assert!(twice.contains("already claimed"), "{twice}");
}

on_both_backends!(
    "or-shared",
    oracles_sharing_a_folder_never_replace_each_others_batch_on,
    oracles_sharing_a_folder_never_replace_each_others_batch,
    oracles_sharing_a_folder_never_replace_each_others_batch_over_depin_localnet
);

fn oracles_sharing_a_folder_never_replace_each_others_batch_on(sandbox: &Sandbox) {
    let deployer = sandbox.keygen("deployer");
    let second = sandbox.keygen("second");
    let init = sandbox.json(
        "deployer",
        &[
            "network",
            "init",
            "--keep-authority",
            "--oracle",
            &deployer,
            "--oracle",
            &second,
            "--quorum",
            "2",
        ],
    );
    assert_eq!(init["quorum"], 2);
    sandbox.json("second", &["airdrop", "10"]);
    sandbox.json("deployer", &["warp", "1d"]);
    sandbox.json("deployer", &["oracle", "price", "0.5"]);
    sandbox.json("second", &["oracle", "price", "0.5"]);
    sandbox.json("deployer", &["rewards", "issue"]);
    let operator = sandbox.keygen("operator");
    sandbox.json("deployer", &["network", "grant", &operator, "5000"]);
    sandbox.json("operator", &["airdrop", "10"]);
    sandbox.json("operator", &["credits", "buy", "100", "--yes"]);
    let device = sandbox.keygen("hotspot");
    sandbox.register("operator", "hotspot", "wifi-indoor");
    sandbox.json("deployer", &["warp", "1d"]);

    let first = sandbox.write("first.csv", &format!("{device},1000000\n"));
    let differs = sandbox.write("differs.csv", &format!("{device},2000000\n"));
    let voted = sandbox.json(
        "deployer",
        &["oracle", "submit", text(&first), "--epoch", "1"],
    );
    assert_eq!(voted["status"], "Pending");
    assert_eq!(voted["written"], true);
    let published = std::fs::read(sandbox.path("batches/epoch-1.batch")).unwrap();

    // The second oracle computed something else: refused before voting,
    // naming the file; the first oracle's file stays.
    let clash = sandbox.refused(
        "second",
        &["oracle", "submit", text(&differs), "--epoch", "1"],
    );
    assert!(
        clash.contains("batches/epoch-1.batch already holds a different batch of epoch 1"),
        "{clash}"
    );
    assert_eq!(
        std::fs::read(sandbox.path("batches/epoch-1.batch")).unwrap(),
        published
    );
    assert_eq!(
        sandbox.json("second", &["oracle", "status", "--epoch", "1"])["votes"],
        1
    );

    // The same batch: the identical file is fine, the vote makes it final.
    let agreed = sandbox.json(
        "second",
        &["oracle", "submit", text(&first), "--epoch", "1"],
    );
    assert_eq!(agreed["status"], "Final");
    assert_eq!(agreed["written"], false);
    assert_eq!(
        std::fs::read(sandbox.path("batches/epoch-1.batch")).unwrap(),
        published
    );

    // Operators find where the batch is published.
    let shown = sandbox.display("operator", &["oracle", "status", "--epoch", "1"]);
    assert!(
        shown.contains("batch file   batches/epoch-1.batch"),
        "{shown}"
    );
    assert!(
        shown.contains("depin rewards status --batch FILE"),
        "{shown}"
    );
    let status = sandbox.json("operator", &["oracle", "status", "--epoch", "1"]);
    assert_eq!(status["uri"], "batches/epoch-1.batch");
    assert_eq!(status["voters"].as_array().unwrap().len(), 2);
}

on_both_backends!(
    "or-status",
    rewards_status_believes_only_what_the_chain_vouches_for_on,
    rewards_status_believes_only_what_the_chain_vouches_for,
    rewards_status_believes_only_what_the_chain_vouches_for_over_depin_localnet
);

fn rewards_status_believes_only_what_the_chain_vouches_for_on(sandbox: &Sandbox) {
    let device = with_device(sandbox);
    sandbox.json("deployer", &["warp", "1d"]);
    let proofs = sandbox.write("epoch1.csv", &format!("{device},1000000\n"));
    sandbox.json(
        "deployer",
        &["oracle", "submit", text(&proofs), "--epoch", "1"],
    );

    // Forged files: other amounts for the final epoch, or an epoch with no
    // batch on chain. Nothing owed is shown for either.
    let operator = sandbox.json("operator", &["address"])["address"]
        .as_str()
        .unwrap()
        .to_string();
    forge(sandbox, "forged.batch", 1, &device, &operator, 5_000_000);
    forge(sandbox, "future.batch", 2, &device, &operator, 1_000_000);
    let forged = sandbox.refused(
        "operator",
        &["rewards", "status", "--batch", "forged.batch"],
    );
    assert!(
        forged.contains("does not match the root of epoch 1 on chain"),
        "{forged}"
    );
    assert!(
        forged.contains("a total of 5 tokens in the file, 1 tokens on chain"),
        "{forged}"
    );
    let future = sandbox.refused(
        "operator",
        &["rewards", "status", "--batch", "future.batch"],
    );
    assert!(future.contains("no batch for epoch 2 on chain"), "{future}");
    let missing = sandbox.refused("operator", &["rewards", "status", "--batch", "none.batch"]);
    assert!(
        missing.contains("cannot read batch file none.batch: No such file"),
        "{missing}"
    );
    let claim = sandbox.refused("operator", &["rewards", "claim", "--batch", "forged.batch"]);
    assert!(
        claim.contains("does not match the root of epoch 1"),
        "{claim}"
    );

    // The genuine file once issued, with tokens (not base units), the
    // challenge window, and a hint for wallets without devices in it.
    sandbox.json("deployer", &["rewards", "issue"]);
    let owed = sandbox.json(
        "operator",
        &["rewards", "status", "--batch", "batches/epoch-1.batch"],
    );
    assert_eq!(owed["wallet"]["owed"], 1_000_000);
    assert_eq!(owed["wallet"]["address"], operator.as_str());
    assert_eq!(owed["devices"][0]["device"], device.as_str());
    assert_eq!(owed["devices"][0]["amount"], 1_000_000);
    let shown = sandbox.display(
        "operator",
        &["rewards", "status", "--batch", "batches/epoch-1.batch"],
    );
    assert!(shown.contains("owed 1 tokens:"), "{shown}");
    assert!(shown.contains("(challenge window)"), "{shown}");
    assert!(!shown.contains("1000000"), "{shown}");
    let none = sandbox.display(
        "deployer",
        &["rewards", "status", "--batch", "batches/epoch-1.batch"],
    );
    assert!(none.contains("has no rewards in this batch"), "{none}");

    let window = sandbox.refused(
        "operator",
        &["rewards", "claim", "--batch", "batches/epoch-1.batch"],
    );
    assert!(
        window.contains("(BatchInChallengeWindow): claims open"),
        "{window}"
    );
    says_when(&window);
    sandbox.json("deployer", &["warp", "2h"]);
    let claimed = sandbox.json(
        "operator",
        &["rewards", "claim", "--batch", "batches/epoch-1.batch"],
    );
    assert_eq!(claimed["total"], 1_000_000);
    assert_eq!(claimed["signatures"].as_array().unwrap().len(), 1);
}

on_both_backends!(
    "or-amounts",
    oracle_amounts_are_explained_and_checked_before_voting_on,
    oracle_amounts_are_explained_and_checked_before_voting,
    oracle_amounts_are_explained_and_checked_before_voting_over_depin_localnet
);

fn oracle_amounts_are_explained_and_checked_before_voting_on(sandbox: &Sandbox) {
    let help = sandbox.display("deployer", &["oracle", "submit", "--help"]);
    for words in [
        "IN THE EPOCH",
        "base units",
        "Who computes them",
        "rewards recipient",
        "previous final batch",
        "BatchExceedsIssuance",
    ] {
        assert!(
            help.contains(words),
            "`oracle submit --help` lacks {words:?}: {help}"
        );
    }
    let device = with_device(sandbox);
    sandbox.json("deployer", &["warp", "1d"]);
    let first = sandbox.write("epoch1.csv", &format!("{device},1000000\n"));
    sandbox.json(
        "deployer",
        &["oracle", "submit", text(&first), "--epoch", "1"],
    );
    sandbox.json("deployer", &["rewards", "issue"]);
    sandbox.json("deployer", &["warp", "2h"]);
    sandbox.json(
        "operator",
        &["rewards", "claim", "--batch", "batches/epoch-1.batch"],
    );
    sandbox.json("deployer", &["warp", "1d"]);

    // Epoch 2 carries the wallets' totals forward from epoch 1's batch,
    // read from the batch folder: without it, refused, naming the file.
    let second = sandbox.write("epoch2.csv", &format!("device,amount\n{device},500000\n"));
    let submit = ["oracle", "submit", text(&second), "--epoch", "2"];
    std::fs::rename(
        sandbox.path("batches/epoch-1.batch"),
        sandbox.path("kept.batch"),
    )
    .unwrap();
    let missing = sandbox.refused("deployer", &submit);
    assert!(
        missing.contains("batches/epoch-1.batch is missing"),
        "{missing}"
    );
    assert!(
        missing.contains("the last final batch before epoch 2 is epoch 1's"),
        "{missing}"
    );
    assert!(missing.contains("--previous"), "{missing}");
    // A previous batch the chain does not vouch for, or of another epoch.
    let operator = sandbox.json("operator", &["address"])["address"]
        .as_str()
        .unwrap()
        .to_string();
    forge(sandbox, "forged.batch", 1, &device, &operator, 9_000_000);
    let with = |previous: &'static str| {
        let mut args = submit.to_vec();
        args.extend(["--previous", previous]);
        args
    };
    let forged = sandbox.refused("deployer", &with("forged.batch"));
    assert!(forged.contains("previous batch forged.batch"), "{forged}");
    assert!(
        forged.contains("does not match the root of epoch 1 on chain"),
        "{forged}"
    );
    forge(sandbox, "other.batch", 3, &device, &operator, 1);
    let other = sandbox.refused("deployer", &with("other.batch"));
    assert!(
        other.contains(
            "other.batch is epoch 3's batch, but the last final batch before epoch 2 is epoch 1's"
        ),
        "{other}"
    );
    // A suspended device earns nothing: refused with its line.
    sandbox.json("deployer", &["device", "suspend", &device]);
    let suspended = sandbox.refused("deployer", &with("kept.batch"));
    assert!(suspended.contains("line 2: device"), "{suspended}");
    assert!(suspended.contains("is suspended"), "{suspended}");
    sandbox.json("deployer", &["device", "reinstate", &device]);
    // Whole tokens typed as base units: far above anything ever issued.
    let huge = sandbox.write("huge.csv", &format!("{device},10000000000000000\n"));
    let message = sandbox.refused(
        "deployer",
        &[
            "oracle",
            "submit",
            text(&huge),
            "--epoch",
            "2",
            "--previous",
            "kept.batch",
        ],
    );
    assert!(message.contains("BatchExceedsIssuance"), "{message}");
    assert!(!sandbox.path("batches/epoch-2.batch").exists());

    // The genuine previous batch: the wallet's total is 1 + 0.5 tokens,
    // and its claim pays the half token it has not been paid.
    let submitted = sandbox.json("deployer", &with("kept.batch"));
    assert_eq!(submitted["previousEpoch"], 1);
    assert_eq!(submitted["earned"], 500_000);
    assert_eq!(submitted["total"], 1_500_000);
    assert_eq!(submitted["wallets"], 1);
    sandbox.json("deployer", &["rewards", "issue"]);
    sandbox.json("deployer", &["warp", "2h"]);
    let claimed = sandbox.json(
        "operator",
        &["rewards", "claim", "--batch", "batches/epoch-2.batch"],
    );
    assert_eq!(claimed["total"], 500_000);
}

/// Writes a batch file of `epoch` in which `device` earned `amount` for
/// `wallet`: genuine in form, vouched for by no chain.
fn forge(sandbox: &Sandbox, name: &str, epoch: u64, device: &str, wallet: &str, amount: u64) {
    let reward = DeviceReward {
        device_key: Pubkey::from_str(device).unwrap(),
        serial: 1,
        amount,
        recipient: Pubkey::from_str(wallet).unwrap(),
    };
    BatchFile::build(epoch, None, vec![reward])
        .unwrap()
        .write(&sandbox.path(name))
        .unwrap();
}

on_both_backends!(
    "or-wallets",
    wallets_are_paid_for_their_fleets_and_a_crank_pays_the_rest_on,
    wallets_are_paid_for_their_fleets_and_a_crank_pays_the_rest,
    wallets_are_paid_for_their_fleets_and_a_crank_pays_the_rest_over_depin_localnet
);

fn wallets_are_paid_for_their_fleets_and_a_crank_pays_the_rest_on(sandbox: &Sandbox) {
    let hotspot = with_device(sandbox);
    let sensor = sandbox.keygen("sensor");
    sandbox.register("operator", "sensor", "wifi-indoor");
    let relay = sandbox.keygen("relay");
    sandbox.register("operator", "relay", "wifi-indoor");
    let member = sandbox.keygen("member");
    let operator = sandbox.json("operator", &["address"])["address"]
        .as_str()
        .unwrap()
        .to_string();

    // The relay's rewards go to the member's wallet; the owner stays.
    let shown = sandbox.display("operator", &["device", "show", &relay]);
    assert!(shown.contains("rewards to       the owner"), "{shown}");
    let pointed = sandbox.json(
        "operator",
        &["device", "set-rewards-recipient", &relay, &member],
    );
    assert_eq!(pointed["rewardsRecipient"], member.as_str());
    signature(&pointed);
    let relay_account = sandbox.json("operator", &["device", "show", &relay]);
    assert_eq!(relay_account["rewardsRecipient"], member.as_str());
    assert_eq!(relay_account["owner"], operator.as_str());
    let listed = sandbox.display("operator", &["device", "list"]);
    assert!(listed.contains(&member), "{listed}");
    let again = sandbox.refused("operator", &["device", "pay-to", &relay, &member]);
    assert!(again.contains("already pays its rewards to"), "{again}");
    let stranger = sandbox.refused("member", &["device", "pay-to", &relay, &member]);
    assert!(stranger.contains("not by this wallet"), "{stranger}");

    // Epoch 1: three devices, two wallets.
    sandbox.json("deployer", &["warp", "1d"]);
    let first = sandbox.write(
        "epoch1.csv",
        &format!("{hotspot},1000000\n{sensor},2000000\n{relay},4000000\n"),
    );
    let submitted = sandbox.json(
        "deployer",
        &["oracle", "submit", text(&first), "--epoch", "1"],
    );
    assert_eq!(submitted["devices"], 3);
    assert_eq!(submitted["wallets"], 2);
    assert_eq!(submitted["total"], 7_000_000);
    sandbox.json("deployer", &["rewards", "issue"]);
    let batch = "batches/epoch-1.batch";

    // Status: the wallet's standing and what each of its devices earned.
    let mine = sandbox.json("operator", &["rewards", "status", "--batch", batch]);
    assert_eq!(mine["wallet"]["earned"], 3_000_000);
    assert_eq!(mine["wallet"]["claimed"], 0);
    let devices = mine["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 2);
    for device in devices {
        let key = device["device"].as_str().unwrap();
        let expected = if key == hotspot { 1_000_000 } else { 2_000_000 };
        assert!(key == hotspot || key == sensor, "{device}");
        assert_eq!(device["amount"], expected);
        assert!(device["serial"].as_u64().unwrap() >= 1);
    }
    let theirs = sandbox.json(
        "operator",
        &["rewards", "status", "--batch", batch, "--wallet", &member],
    );
    assert_eq!(theirs["wallet"]["owed"], 4_000_000);
    assert_eq!(theirs["devices"][0]["device"], relay.as_str());
    let table = sandbox.display("operator", &["rewards", "status", "--batch", batch]);
    for words in [
        "earned 3 tokens in all, claimed 0, owed 3",
        "its 2 devices in epoch 1 earned 3 tokens",
        "earned in epoch 1",
        hotspot.as_str(),
        sensor.as_str(),
    ] {
        assert!(table.contains(words), "{words:?}: {table}");
    }
    assert!(!table.contains(&relay), "{table}");

    // The owner's claim pays its own fleet, not the relay's rewards.
    sandbox.json("deployer", &["warp", "2h"]);
    let before = sandbox.json("operator", &["balance"])["tokens"]
        .as_u64()
        .unwrap();
    let claimed = sandbox.json("operator", &["rewards", "claim", "--batch", batch]);
    assert_eq!(claimed["total"], 3_000_000);
    assert_eq!(claimed["devicesThisEpoch"], 2);
    assert_eq!(claimed["transactions"], 1);
    let after = sandbox.json("operator", &["balance"])["tokens"]
        .as_u64()
        .unwrap();
    assert_eq!(after - before, 3_000_000);
    // Anyone may claim for a wallet: the tokens go to it, the caller pays the fee.
    let theirs = sandbox.json(
        "deployer",
        &["rewards", "claim", "--batch", batch, "--for", &member],
    );
    assert_eq!(theirs["total"], 4_000_000);
    assert_eq!(theirs["wallet"], member.as_str());
    assert_eq!(sandbox.json("member", &["balance"])["tokens"], 4_000_000);
    let twice = sandbox.refused(
        "deployer",
        &["rewards", "claim", "--batch", batch, "--for", &member],
    );
    assert!(twice.contains("nothing to claim"), "{twice}");

    // Epoch 2: the payout crank pays every wallet still owed, one
    // transaction each; after the owner's own claim, only the member.
    sandbox.json("deployer", &["warp", "1d"]);
    let second = sandbox.write(
        "epoch2.csv",
        &format!("{hotspot},1000000\n{relay},1000000\n"),
    );
    let submitted = sandbox.json(
        "deployer",
        &["oracle", "submit", text(&second), "--epoch", "2"],
    );
    assert_eq!(submitted["previousEpoch"], 1);
    assert_eq!(submitted["total"], 9_000_000);
    sandbox.json("deployer", &["rewards", "issue"]);
    let batch = "batches/epoch-2.batch";
    let early = sandbox.refused("deployer", &["rewards", "distribute", "--batch", batch]);
    assert!(early.contains("(BatchInChallengeWindow)"), "{early}");
    says_when(&early);
    sandbox.json("deployer", &["warp", "2h"]);
    assert_eq!(
        sandbox.json("operator", &["rewards", "claim", "--batch", batch])["total"],
        1_000_000
    );
    let paid = sandbox.json("deployer", &["rewards", "distribute", "--batch", batch]);
    assert_eq!(paid["wallets"], 2);
    assert_eq!(paid["owed"], 1);
    assert_eq!(paid["paid"], 1);
    assert_eq!(paid["total"], 1_000_000);
    assert_eq!(paid["transactions"], 1);
    assert_eq!(paid["complete"], true);
    assert_eq!(sandbox.json("member", &["balance"])["tokens"], 5_000_000);
    // Resumable: a rerun finds nothing owed and sends nothing.
    let rerun = sandbox.display("deployer", &["rewards", "distribute", "--batch", batch]);
    assert!(
        rerun.contains("nothing owed: all 2 wallets of the batch of epoch 2 have been paid"),
        "{rerun}"
    );
    assert_eq!(
        sandbox.json("deployer", &["rewards", "distribute", "--batch", batch])["transactions"],
        0
    );

    // A transfer hands the rewards to the new owner.
    sandbox.json(
        "operator",
        &[
            "device",
            "transfer",
            &relay,
            &sandbox.keygen("buyer"),
            "--yes",
        ],
    );
    let moved = sandbox.json("operator", &["device", "show", &relay]);
    assert_eq!(moved["rewardsRecipient"], moved["owner"]);
    assert_ne!(moved["owner"], operator.as_str());
}

on_both_backends!(
    "or-issue",
    issuance_catches_up_after_a_long_pause_and_says_when_to_go_on_on,
    issuance_catches_up_after_a_long_pause_and_says_when_to_go_on,
    issuance_catches_up_after_a_long_pause_and_says_when_to_go_on_over_depin_localnet
);

fn issuance_catches_up_after_a_long_pause_and_says_when_to_go_on_on(sandbox: &Sandbox) {
    deployed(sandbox);
    let running = sandbox.refused("deployer", &["rewards", "issue", "--until", "now"]);
    assert!(running.contains("nothing to issue"), "{running}");
    says_when(&running);
    sandbox.json("deployer", &["warp", "5d"]);
    // Epochs 1 to 5 have ended; the token breaker lets two epochs a day through.
    let output = sandbox
        .command("deployer", &["rewards", "issue", "--until", "now"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stdout.contains("issued 2 epochs (1 to 2)"), "{stdout}");
    assert!(stderr.contains("(CircuitBreakerTripped)"), "{stderr}");
    assert!(stderr.contains("try again"), "{stderr}");
    says_when(&stderr);
    assert_eq!(
        sandbox.json("deployer", &["rewards", "status"])["nextEpoch"],
        3
    );

    sandbox.json("deployer", &["warp", "2d"]);
    let issued = sandbox.json("deployer", &["rewards", "issue", "--until", "4"]);
    let epochs = issued["issued"].as_array().unwrap();
    assert_eq!(epochs.len(), 2);
    assert_eq!(epochs[0]["epoch"], 3);
    signature(&epochs[1]);
    assert_eq!(issued["nextEpoch"], 5);
    let done = sandbox.refused("deployer", &["rewards", "issue", "--until", "4"]);
    assert!(done.contains("epoch 4 is already issued"), "{done}");
    let future = sandbox.refused("deployer", &["rewards", "issue", "--until", "99"]);
    assert!(
        future.contains("epoch 99 has not ended (EpochNotEnded)"),
        "{future}"
    );
    says_when(&future);
    // The next one alone: the breaker holds it back, and says until when.
    let held = sandbox.refused("deployer", &["rewards", "issue"]);
    assert!(
        held.contains("issuing epoch 5 would trip the token circuit breaker"),
        "{held}"
    );
    says_when(&held);
    sandbox.json("deployer", &["warp", "2d"]);
    let single = sandbox.json("deployer", &["rewards", "issue"]);
    assert_eq!(single["epoch"], 5);
    signature(&single);
}

on_both_backends!(
    "or-veto",
    batches_are_rejected_by_the_authority_and_expired_by_anyone_on,
    batches_are_rejected_by_the_authority_and_expired_by_anyone,
    batches_are_rejected_by_the_authority_and_expired_by_anyone_over_depin_localnet
);

fn batches_are_rejected_by_the_authority_and_expired_by_anyone_on(sandbox: &Sandbox) {
    let device = with_device(sandbox);
    sandbox.json("deployer", &["warp", "1d"]);
    let proofs = sandbox.write("epoch1.csv", &format!("{device},1000000\n"));
    sandbox.json(
        "deployer",
        &["oracle", "submit", text(&proofs), "--epoch", "1"],
    );

    // A veto asks first; the authority applies it at once.
    let asked = sandbox.refused("deployer", &["oracle", "reject", "1"]);
    assert!(asked.contains("Reject epoch 1's final batch"), "{asked}");
    assert!(asked.contains("pass --yes"), "{asked}");
    let rejected = sandbox.json("deployer", &["oracle", "reject", "1", "--yes"]);
    assert_eq!(rejected["applied"], true);
    signature(&rejected);
    assert_eq!(
        sandbox.json("operator", &["oracle", "status", "--epoch", "1"])["status"],
        "Rejected"
    );
    let twice = sandbox.refused("deployer", &["oracle", "reject", "1", "--yes"]);
    assert!(twice.contains("(BatchNotFinal)"), "{twice}");
    let unpaid = sandbox.refused(
        "operator",
        &["rewards", "status", "--batch", "batches/epoch-1.batch"],
    );
    assert!(unpaid.contains("was rejected"), "{unpaid}");

    // Epoch 2 gets no vote: anyone expires it after its deadline.
    let early = sandbox.refused("operator", &["oracle", "expire", "2"]);
    assert!(early.contains("(DeadlineNotPassed)"), "{early}");
    says_when(&early);
    sandbox.json("deployer", &["warp", "5d"]);
    let expired = sandbox.json("operator", &["oracle", "expire", "2"]);
    assert_eq!(expired["status"], "Expired");
    signature(&expired);
    assert_eq!(
        sandbox.json("operator", &["oracle", "status", "--epoch", "2"])["status"],
        "Expired"
    );
    let again = sandbox.refused("operator", &["oracle", "expire", "2"]);
    assert!(again.contains("already expired"), "{again}");
    let late = sandbox.refused(
        "deployer",
        &["oracle", "submit", text(&proofs), "--epoch", "2"],
    );
    assert!(late.contains("(DeadlinePassed)"), "{late}");
    says_when(&late);

    // Once the DAO holds the oracle authority, a veto is a proposal, which
    // cannot pass inside a one-hour window: refused, saying so.
    let recent = sandbox.write("recent.csv", &format!("{device},2000000\n"));
    sandbox.json(
        "deployer",
        &["oracle", "submit", text(&recent), "--epoch", "5"],
    );
    sandbox.json("deployer", &["network", "hand-over", "--yes"]);
    let dao = sandbox.refused("deployer", &["oracle", "reject", "5", "--yes"]);
    assert!(dao.contains("could not pass in time"), "{dao}");
}

on_both_backends!(
    "or-credits",
    buying_credits_shows_the_quote_and_asks_on,
    buying_credits_shows_the_quote_and_asks,
    buying_credits_shows_the_quote_and_asks_over_depin_localnet
);

fn buying_credits_shows_the_quote_and_asks_on(sandbox: &Sandbox) {
    deployed(sandbox);
    let asked = sandbox.refused("operator", &["credits", "buy", "10"]);
    assert!(asked.contains("Burn 10 tokens for"), "{asked}");
    assert!(
        asked.contains("data credits, at $0.495 per token"),
        "{asked}"
    );
    assert!(asked.contains("pass --yes"), "{asked}");
    let bought = sandbox.json("operator", &["credits", "buy", "10", "--yes"]);
    assert_eq!(bought["tokensBurned"], 10_000_000);
    assert!(bought["dataCredits"].as_u64().unwrap() > 400);
    signature(&bought);
    let poor = sandbox.refused("operator", &["credits", "buy", "100000"]);
    assert!(poor.contains("insufficient funds"), "{poor}");
}

#[test]
fn every_argument_has_help() {
    let sandbox = Sandbox::new("or-help");
    let commands: &[&[&str]] = &[
        &["oracle", "submit"],
        &["oracle", "price"],
        &["oracle", "status"],
        &["oracle", "claim"],
        &["oracle", "reject"],
        &["oracle", "expire"],
        &["rewards", "issue"],
        &["rewards", "claim"],
        &["rewards", "distribute"],
        &["rewards", "status"],
        &["device", "set-rewards-recipient"],
        &["rewards", "sweep"],
        &["credits", "buy"],
        &["credits", "burn"],
        &["credits", "balance"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.push("-h");
        let help = sandbox.display("deployer", &args);
        let lines: Vec<&str> = help.lines().collect();
        let mut section = "";
        for (index, line) in lines.iter().enumerate() {
            if !line.starts_with(' ') {
                section = line.trim();
                continue;
            }
            let entry = line.trim_start();
            let is_entry =
                entry.starts_with('-') || entry.starts_with('<') || entry.starts_with('[');
            if !matches!(section, "Arguments:" | "Options:") || !is_entry {
                continue;
            }
            let described = entry
                .split("  ")
                .filter(|part| !part.trim().is_empty())
                .count()
                >= 2
                || lines.get(index + 1).is_some_and(|next| {
                    let next = next.trim_start();
                    !next.is_empty() && !next.starts_with('-') && !next.starts_with('<')
                });
            assert!(
                described,
                "`depin {}`: {entry:?} has no help",
                command.join(" ")
            );
        }
    }
}
