//! `depin` as its users find it: the wallet (keypair files, seed phrases,
//! token transfers, the faucet), the registry (names, limits, lists,
//! suspensions, confirmations) and the network (init reruns, show, grants,
//! an unreachable node), each error said plainly.

mod common;

use {
    common::{deployed, text, without_clock, Sandbox},
    predicates::str::contains,
    serde_json::Value,
};

/// The operator's device `name`, registered in `class`; its address.
fn device(sandbox: &Sandbox, name: &str, class: &str) -> String {
    let address = sandbox.keygen(name);
    sandbox.register("operator", name, class);
    address
}

/// The short help (`-h`: one line per argument, its description beside it).
fn help(sandbox: &Sandbox, args: &[&str]) -> String {
    let mut full = args.to_vec();
    full.push("-h");
    let output = sandbox.command("deployer", &full).output().unwrap();
    assert!(output.status.success(), "depin {full:?} failed");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

on_both_backends!(
    "rn-funds",
    a_grant_above_the_treasury_and_a_huge_airdrop_say_what_is_wrong_on,
    a_grant_above_the_treasury_and_a_huge_airdrop_say_what_is_wrong,
    a_grant_above_the_treasury_and_a_huge_airdrop_say_what_is_wrong_over_depin_localnet
);

fn a_grant_above_the_treasury_and_a_huge_airdrop_say_what_is_wrong_on(sandbox: &Sandbox) {
    let operator = deployed(sandbox);
    let treasury = sandbox.json("deployer", &["network", "show"])["treasury"]
        .as_u64()
        .unwrap();
    assert!(treasury > 0);
    let message = sandbox.refused("deployer", &["network", "grant", &operator, "100000000000"]);
    assert!(
        message.contains(&format!(
            "the treasury holds {} tokens",
            treasury as f64 / 1e6
        )),
        "{message}"
    );
    assert!(!message.contains("custom program error"), "{message}");
    // More SOL than a u64 of lamports, and more than the faucet holds.
    sandbox.fails(
        "operator",
        &["airdrop", "100000000000"],
        "more than any account can hold (at most 18446744073.709551615 SOL",
    );
    let message = sandbox.refused("operator", &["airdrop", "10000000000"]);
    assert!(message.contains("the faucet holds"), "{message}");
    assert!(
        message.contains("less than the 10000000000 SOL asked for"),
        "{message}"
    );
    assert!(!message.contains("0x1"), "{message}");
}

#[cfg(unix)]
#[test]
fn keypair_files_are_private_never_overwritten_and_seed_phrases_restore_them() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::new("rn-keys");
    let mode = |name: &str| {
        std::fs::metadata(sandbox.path(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    sandbox.keygen("deployer");
    assert_eq!(mode("deployer.json"), 0o600);
    let before = std::fs::read(sandbox.path("deployer.json")).unwrap();
    sandbox
        .command("deployer", &["keygen"])
        .assert()
        .failure()
        .stderr(contains("already exists; pass --force"));
    assert_eq!(
        std::fs::read(sandbox.path("deployer.json")).unwrap(),
        before
    );
    // --force replaces a world-readable file with a private one.
    let loose = sandbox.write("loose.json", "[]");
    std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o644)).unwrap();
    sandbox
        .command("deployer", &["keygen", "-o", text(&loose), "--force"])
        .assert()
        .success();
    assert_eq!(mode("loose.json"), 0o600);
    assert_eq!(
        std::fs::read_to_string(&loose).unwrap().split(',').count(),
        64
    );

    // A new seed phrase, shown once on stderr (not in the JSON), restores
    // the same key.
    let phrase_file = sandbox.path("phrase.json");
    let output = sandbox
        .command(
            "deployer",
            &[
                "--output",
                "json",
                "keygen",
                "--word-count",
                "12",
                "-o",
                text(&phrase_file),
            ],
        )
        .output()
        .unwrap();
    assert!(output.status.success());
    let created: Value = serde_json::from_slice(&output.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let phrase = stderr
        .lines()
        .find(|line| line.split_whitespace().count() == 12)
        .unwrap_or_else(|| panic!("no 12-word phrase on stderr: {stderr}"))
        .to_string();
    assert!(!String::from_utf8_lossy(&output.stdout).contains(&phrase));
    assert_eq!(mode("phrase.json"), 0o600);
    let restored = sandbox.path("restored.json");
    let output = sandbox
        .command(
            "deployer",
            &[
                "--output",
                "json",
                "keygen",
                "--recover",
                "-o",
                text(&restored),
            ],
        )
        .write_stdin(format!("  {}\n", phrase.to_uppercase()))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let recovered: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(recovered["address"], created["address"]);
    assert_eq!(
        std::fs::read(&restored).unwrap(),
        std::fs::read(&phrase_file).unwrap()
    );

    // The derivation is solana-keygen's: BIP39 seed, first 32 bytes.
    let abandon = format!("{} about", ["abandon"; 11].join(" "));
    for (passphrase, name) in [("", "plain.json"), ("TREZOR", "trezor.json")] {
        let mut args = vec!["keygen", "--recover", "-o", name];
        if !passphrase.is_empty() {
            args.push("--bip39-passphrase");
        }
        sandbox
            .command("deployer", &args)
            .write_stdin(format!("{abandon}\n{passphrase}\n"))
            .assert()
            .success();
        let written: Vec<u8> =
            serde_json::from_str(&std::fs::read_to_string(sandbox.path(name)).unwrap()).unwrap();
        let expected =
            solana_keypair::keypair_from_seed_phrase_and_passphrase(&abandon, passphrase).unwrap();
        assert_eq!(written, expected.to_bytes().to_vec());
    }
    // The BIP39 test vector's seed (passphrase TREZOR) starts the secret.
    let trezor: Vec<u8> =
        serde_json::from_str(&std::fs::read_to_string(sandbox.path("trezor.json")).unwrap())
            .unwrap();
    assert_eq!(
        trezor[..4],
        [0xc5, 0x52, 0x57, 0xc3],
        "seed c55257c3… of the BIP39 vector"
    );
    sandbox
        .command("deployer", &["keygen", "--recover", "-o", "bad.json"])
        .write_stdin("abandon abandon words\n")
        .assert()
        .failure()
        .stderr(contains("not a BIP39 (English) seed phrase"));
    assert!(!sandbox.path("bad.json").exists());
    let keygen_help = help(&sandbox, &["keygen"]);
    assert!(keygen_help.contains("first 32 bytes"), "{keygen_help}");
}

on_both_backends!(
    "rn-register",
    registering_with_a_location_costs_only_the_onboarding_fee_on,
    registering_with_a_location_costs_only_the_onboarding_fee,
    registering_with_a_location_costs_only_the_onboarding_fee_over_depin_localnet
);

fn registering_with_a_location_costs_only_the_onboarding_fee_on(sandbox: &Sandbox) {
    deployed(sandbox);
    let register_help = help(sandbox, &["device", "register"]);
    assert!(
        !register_help.contains("pays the location fee too"),
        "{register_help}"
    );
    assert!(
        register_help.contains("free at registration"),
        "{register_help}"
    );
    assert!(
        register_help.contains("at most 32 bytes"),
        "{register_help}"
    );
    // lora-sensor: onboarding 5,000 DC, location 1,000 DC; 0.11 tokens at
    // $0.495 buy 5,445 DC: enough to onboard, not for both fees.
    let bought = sandbox.json("operator", &["credits", "buy", "0.11", "--yes"]);
    let credits = bought["dataCredits"].as_u64().unwrap();
    assert!((5_000..6_000).contains(&credits), "{bought}");
    let hotspot = sandbox.keygen("hotspot");
    let registered = sandbox.json(
        "operator",
        &[
            "device",
            "register",
            "--device-keypair",
            text(&sandbox.path("hotspot.json")),
            "--class",
            "lora-sensor",
            "--location",
            "8a2a1072b59ffff",
        ],
    );
    assert_eq!(registered["device"], hotspot.as_str());
    assert_eq!(registered["location"], "8a2a1072b59ffff");
    assert_eq!(
        sandbox.json("operator", &["credits", "balance"])["dataCredits"],
        credits - 5_000
    );
}

on_both_backends!(
    "rn-init",
    network_init_refuses_flags_that_differ_from_the_deployment_on,
    network_init_refuses_flags_that_differ_from_the_deployment,
    network_init_refuses_flags_that_differ_from_the_deployment_over_depin_localnet
);

fn network_init_refuses_flags_that_differ_from_the_deployment_on(sandbox: &Sandbox) {
    let operator = deployed(sandbox);
    let deployer = sandbox.json("deployer", &["address"])["address"]
        .as_str()
        .unwrap()
        .to_string();
    let shown = sandbox.json("deployer", &["network", "show"]);
    let genesis = shown["oracles"]["genesis"].as_i64().unwrap().to_string();
    for (flags, said) in [
        (vec!["--quorum", "2"], "quorum: deployed 1, asked 2"),
        (vec!["--oracle", operator.as_str()], "oracle set: deployed"),
        (vec!["--genesis", "5"], "genesis: deployed unix time"),
        (
            vec!["--min-proposal-power", "5"],
            "min proposal power: deployed 1000 tokens locked, asked 5 tokens locked",
        ),
    ] {
        let mut args = vec!["network", "init", "--keep-authority"];
        args.extend(flags);
        let message = sandbox.refused("deployer", &args);
        assert!(message.contains("already deployed"), "{message}");
        assert!(message.contains(said), "{message}");
        assert!(message.contains("nothing was done"), "{message}");
    }
    let message = sandbox.refused(
        "deployer",
        &["network", "init", "--oracle", &operator, "--quorum", "1"],
    );
    assert!(message.contains("set_oracle_set"), "{message}");
    assert!(message.contains("depin gov propose"), "{message}");
    // The same values, or none, finish nothing and change nothing.
    sandbox.json(
        "deployer",
        &[
            "network",
            "init",
            "--keep-authority",
            "--oracle",
            &deployer,
            "--quorum",
            "1",
            "--genesis",
            &genesis,
            "--min-proposal-power",
            "1000",
        ],
    );
    sandbox.json("deployer", &["network", "init", "--keep-authority"]);
    assert_eq!(
        without_clock(sandbox.json("deployer", &["network", "show"])),
        without_clock(shown)
    );
}

on_both_backends!(
    "rn-transfer",
    transfer_sends_tokens_after_a_confirmation_on,
    transfer_sends_tokens_after_a_confirmation,
    transfer_sends_tokens_after_a_confirmation_over_depin_localnet
);

fn transfer_sends_tokens_after_a_confirmation_on(sandbox: &Sandbox) {
    let operator = deployed(sandbox);
    let friend = sandbox.keygen("friend");
    sandbox.fails(
        "operator",
        &["transfer", &friend, "10"],
        "Send 10 tokens to",
    );
    sandbox.fails(
        "operator",
        &["transfer", &friend, "10"],
        "refusing without a terminal; pass --yes",
    );
    let sent = sandbox.json("operator", &["transfer", &friend, "10", "--yes"]);
    assert_eq!(sent["amount"], 10_000_000);
    assert_eq!(sent["createdAccount"], true);
    assert!(sent["signature"].as_str().unwrap().len() > 40);
    let again = sandbox.json("operator", &["--yes", "transfer", &friend, "2.5"]);
    assert_eq!(again["createdAccount"], false);
    assert_eq!(
        sandbox.json("operator", &["balance", &friend])["tokens"],
        12_500_000
    );
    assert_eq!(
        sandbox.json("operator", &["balance"])["tokens"],
        5_000_000_000u64 - 12_500_000
    );
    sandbox.fails(
        "operator",
        &["transfer", &friend, "6000", "--yes"],
        "insufficient funds: this wallet holds 4987.5 tokens, 6000 asked for",
    );
    sandbox.fails(
        "operator",
        &["transfer", &operator, "1", "--yes"],
        "is this wallet",
    );
    sandbox.fails(
        "operator",
        &["transfer", &friend, "0", "--yes"],
        "above zero",
    );
}

on_both_backends!(
    "rn-devices",
    devices_show_class_names_and_risky_changes_ask_first_on,
    devices_show_class_names_and_risky_changes_ask_first,
    devices_show_class_names_and_risky_changes_ask_first_over_depin_localnet
);

fn devices_show_class_names_and_risky_changes_ask_first_on(sandbox: &Sandbox) {
    let operator = deployed(sandbox);
    // An empty list says how to begin.
    sandbox
        .command("operator", &["device", "list"])
        .assert()
        .success()
        .stdout(contains(
            "owns no devices; register one with `depin device register",
        ));
    assert_eq!(
        sandbox.json("operator", &["device", "list"]),
        Value::Array(vec![])
    );
    sandbox.json("operator", &["credits", "buy", "1000", "--yes"]);
    let hotspot = sandbox.keygen("hotspot");
    let registered = sandbox.register("operator", "hotspot", "wifi-indoor");
    assert_eq!(registered["className"], "wifi-indoor");
    assert!(registered["signature"].as_str().unwrap().len() > 40);
    assert_eq!(
        sandbox.json("operator", &["device", "show", &hotspot])["className"],
        "wifi-indoor"
    );
    assert_eq!(
        sandbox.json("operator", &["device", "list"])[0]["className"],
        "wifi-indoor"
    );
    sandbox
        .command("operator", &["device", "show", &hotspot])
        .assert()
        .success()
        .stdout(contains("class            wifi-indoor"))
        .stdout(contains("status           active"))
        .stdout(contains("rewards to       the owner"));
    sandbox
        .command("operator", &["device", "list"])
        .assert()
        .success()
        .stdout(contains("wifi-indoor"));

    // Transfer and retire ask first; without a terminal, --yes is needed.
    let buyer = sandbox.keygen("buyer");
    sandbox.fails(
        "operator",
        &["device", "transfer", &hotspot, &buyer],
        "refusing without a terminal; pass --yes",
    );
    sandbox.fails("operator", &["device", "retire", &hotspot], "Retire device");
    // Not the owner: said before any question.
    sandbox.fails(
        "buyer",
        &["device", "retire", &hotspot],
        "not by this wallet",
    );
    sandbox.json(
        "operator",
        &["device", "transfer", &hotspot, &buyer, "--yes"],
    );
    sandbox.json("operator", &["airdrop", "1", "--to", &buyer]);
    // The new owner's wallet receives the device's rewards from now on.
    assert_eq!(
        sandbox.json("buyer", &["device", "show", &hotspot])["rewardsRecipient"],
        buyer.as_str()
    );
    assert_eq!(
        sandbox.json("buyer", &["--yes", "device", "retire", &hotspot])["retired"],
        true
    );
    assert_ne!(operator, buyer);
}

on_both_backends!(
    "rn-show",
    network_show_json_names_classes_oracles_authorities_and_pauses_on,
    network_show_json_names_classes_oracles_authorities_and_pauses,
    network_show_json_names_classes_oracles_authorities_and_pauses_over_depin_localnet
);

fn network_show_json_names_classes_oracles_authorities_and_pauses_on(sandbox: &Sandbox) {
    deployed(sandbox);
    let deployer = sandbox.json("deployer", &["address"])["address"].clone();
    let shown = sandbox.json("deployer", &["network", "show"]);
    let classes = shown["classes"].as_array().unwrap();
    assert_eq!(classes.len(), 3);
    assert_eq!(classes[0]["name"], "wifi-indoor");
    assert_eq!(classes[1]["makerRequired"], true);
    assert_eq!(
        shown["oracles"]["set"],
        Value::Array(vec![deployer.clone()])
    );
    assert_eq!(shown["oracles"]["quorum"], 1);
    for authority in ["registry", "oracle", "rewards", "treasury"] {
        assert_eq!(shown["authorities"][authority], deployer, "{authority}");
    }
    assert!(shown["authorities"]["dao"].as_str().unwrap().len() > 30);
    assert_eq!(shown["pause"].as_array().unwrap().len(), 3);
    sandbox.json("deployer", &["network", "hand-over", "--yes"]);
    let handed = sandbox.json("deployer", &["network", "show"]);
    assert_eq!(
        handed["authorities"]["registry"],
        handed["authorities"]["dao"]
    );
    assert_eq!(
        handed["authorities"]["treasury"],
        handed["authorities"]["dao"]
    );
}

on_both_backends!(
    "rn-admin",
    makers_classes_and_suspensions_from_the_chain_on,
    makers_classes_and_suspensions_from_the_chain,
    makers_classes_and_suspensions_from_the_chain_over_depin_localnet
);

fn makers_classes_and_suspensions_from_the_chain_on(sandbox: &Sandbox) {
    deployed(sandbox);
    sandbox
        .command("operator", &["maker", "list"])
        .assert()
        .success()
        .stdout(contains(
            "no makers approved yet; approve one with `depin maker add",
        ));
    assert_eq!(
        sandbox.json("operator", &["maker", "list"]),
        Value::Array(vec![])
    );
    let maker = sandbox.keygen("maker");
    sandbox.json(
        "deployer",
        &["maker", "add", &maker, "acme", "--quota", "5"],
    );
    let makers = sandbox.json("operator", &["maker", "list"]);
    assert_eq!(makers[0]["name"], "acme");
    assert_eq!(makers[0]["maker"], maker.as_str());
    assert_eq!(makers[0]["quota"], 5);
    assert_eq!(makers[0]["approved"], true);
    let classes = sandbox.json("operator", &["class", "list"]);
    assert_eq!(classes.as_array().unwrap().len(), 3);
    assert_eq!(classes[2]["name"], "lora-sensor");
    assert_eq!(classes[2]["onboardingFee"], 5_000);
    sandbox
        .command("operator", &["class", "list"])
        .assert()
        .success()
        .stdout(contains("3 of at most 16 device classes"));

    // Suspension by the registry authority; the owner can no longer move it.
    sandbox.json("operator", &["credits", "buy", "1000", "--yes"]);
    let hotspot = device(sandbox, "hotspot", "wifi-indoor");
    sandbox.fails(
        "operator",
        &["device", "suspend", &hotspot],
        "neither this wallet nor the DAO",
    );
    let suspended = sandbox.json("deployer", &["device", "suspend", &hotspot]);
    assert_eq!(suspended["applied"], true);
    assert_eq!(
        sandbox.json("operator", &["device", "show", &hotspot])["status"],
        "Suspended"
    );
    sandbox.fails(
        "deployer",
        &["device", "suspend", &hotspot],
        "is already suspended",
    );
    sandbox.fails(
        "operator",
        &["device", "move", &hotspot, "8a2a1072b5b7fff"],
        "is suspended: its owner can neither move, transfer nor retire it",
    );
    sandbox.fails(
        "operator",
        &["--yes", "device", "retire", &hotspot],
        "until the registry authority reinstates it",
    );
    assert_eq!(
        sandbox.json("deployer", &["device", "reinstate", &hotspot])["applied"],
        true
    );
    assert_eq!(
        sandbox.json("operator", &["device", "show", &hotspot])["status"],
        "Active"
    );
    // Once the DAO holds the registry, a suspension is a proposal.
    sandbox.json("deployer", &["network", "hand-over", "--yes"]);
    sandbox.json("operator", &["gov", "lock", "1500", "--days", "365"]);
    let proposed = sandbox.json("operator", &["device", "suspend", &hotspot]);
    assert_eq!(proposed["applied"], false);
    assert!(proposed["proposal"].as_u64().is_some());
}

#[test]
fn limits_are_stated_in_help_and_errors() {
    let sandbox = Sandbox::new("rn-limits");
    deployed(&sandbox);
    let maker_help = help(&sandbox, &["maker", "add"]);
    assert!(maker_help.contains("1 to 32 bytes"), "{maker_help}");
    let class_help = help(&sandbox, &["class", "add"]);
    assert!(class_help.contains("1 to 32 bytes"), "{class_help}");
    assert!(class_help.contains("at most 16"), "{class_help}");
    let maker = sandbox.keygen("maker");
    let long = "m".repeat(33);
    sandbox.fails(
        "deployer",
        &["maker", "add", &maker, &long],
        "is 33 bytes; it must be 1 to 32 bytes",
    );
    sandbox.fails(
        "deployer",
        &[
            "class",
            "add",
            &long,
            "--onboarding-fee",
            "1",
            "--location-fee",
            "1",
        ],
        "is 33 bytes; it must be 1 to 32 bytes",
    );
    sandbox.keygen("hotspot");
    sandbox.fails(
        "operator",
        &[
            "device",
            "register",
            "--device-keypair",
            text(&sandbox.path("hotspot.json")),
            "--class",
            "wifi-indoor",
            "--metadata",
            &long,
        ],
        "33 bytes, at most 32",
    );
    // Every argument of these commands says what it is.
    for command in [
        &["device", "register"][..],
        &["device", "show"],
        &["device", "list"],
        &["device", "move"],
        &["device", "transfer"],
        &["device", "retire"],
        &["device", "suspend"],
        &["device", "reinstate"],
        &["maker", "add"],
        &["maker", "update"],
        &["maker", "list"],
        &["class", "add"],
        &["class", "update"],
        &["class", "list"],
        &["network", "grant"],
        &["network", "init"],
        &["transfer"],
        &["airdrop"],
        &["balance"],
        &["keygen"],
    ] {
        let text = help(&sandbox, command);
        // An argument's description is beside it, or (when long) on the
        // next, deeper-indented line.
        let own: Vec<&str> = text
            .split("Global options:")
            .next()
            .unwrap()
            .lines()
            .collect();
        let is_argument = |line: &str| {
            let line = line.trim_start();
            line.starts_with('<') || line.starts_with('-')
        };
        for (index, line) in own.iter().enumerate() {
            if !is_argument(line) || line.trim().contains("  ") {
                continue;
            }
            let next = own.get(index + 1).copied().unwrap_or("");
            assert!(
                !is_argument(next) && next.len() - next.trim_start().len() >= 10,
                "depin {command:?}: an argument without a description: {line}"
            );
        }
    }
}

#[test]
fn an_rpc_url_where_nothing_listens_is_named() {
    let sandbox = Sandbox::new("rn-rpc");
    sandbox.keygen("deployer");
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let message = sandbox.refused("deployer", &["-u", &url, "network", "show"]);
    assert!(
        message.contains(&format!("no Solana node answers at {url}")),
        "{message}"
    );
    assert!(message.contains("solana-test-validator"), "{message}");
    assert!(message.contains("-u"), "{message}");
    assert!(!message.contains("error sending request"), "{message}");
}

#[test]
fn the_embedded_network_remembers_its_frozen_lookup_table() {
    let sandbox = Sandbox::new("lookup-table");
    deployed(&sandbox);
    let shown = sandbox.json("deployer", &["network", "show"]);
    let table = shown["lookupTable"]
        .as_str()
        .expect("network init made one")
        .to_string();
    // Asking again finds it instead of making another.
    let again = sandbox.json("deployer", &["network", "create-lookup-table"]);
    assert_eq!(again["lookupTable"], table.as_str());
    assert_eq!(again["created"], false);
    assert_eq!(again["remembered"], true);
    // Named explicitly it is checked on chain first.
    sandbox.json("operator", &["--lookup-table", &table, "network", "show"]);
    let stranger = sandbox.keygen("stranger");
    sandbox.fails(
        "operator",
        &["--lookup-table", &stranger, "balance"],
        "does not exist",
    );
    let config = depin_sdk::pda::rewards_config().0.to_string();
    sandbox.fails(
        "operator",
        &["--lookup-table", &config, "balance"],
        "not an address lookup table",
    );
}

on_both_backends!(
    "register-many",
    a_fleet_registers_from_one_file_several_devices_per_transaction_on,
    a_fleet_registers_from_one_file_several_devices_per_transaction,
    a_fleet_registers_from_one_file_several_devices_per_transaction_over_depin_localnet
);

fn a_fleet_registers_from_one_file_several_devices_per_transaction_on(sandbox: &Sandbox) {
    let operator = deployed(sandbox);
    sandbox.json("operator", &["credits", "buy", "1000", "--yes"]);
    std::fs::create_dir_all(sandbox.path("fleet")).unwrap();
    let mut lines = vec![
        "device_keypair,class,location,metadata".to_string(),
        "# twelve radios of the first batch".to_string(),
    ];
    let mut devices = Vec::new();
    for index in 0..12 {
        let name = format!("fleet/radio-{index}");
        devices.push(sandbox.keygen(&name));
        lines.push(match index % 3 {
            0 => format!("radio-{index}.json,wifi-indoor"),
            1 => format!("radio-{index}.json,lora-sensor,8a2a1072b59ffff"),
            _ => format!("radio-{index}.json,lora-sensor,,\"batch 7, unit {index}\""),
        });
    }
    let file = sandbox.write("fleet/devices.csv", &(lines.join("\n") + "\n"));
    let file = text(&file);

    // Refused before anything is sent, naming the line or the entry.
    for (name, contents, refusal) in [
        (
            "broken.csv",
            "radio-0.json,wifi-indoor\nmissing.json,wifi-indoor\n",
            "broken.csv, line 2",
        ),
        (
            "unknown.csv",
            "radio-0.json,wifi-indoor\nradio-1.json,teleporter\n",
            "entry 2: unknown device class 'teleporter'",
        ),
        (
            "twice.csv",
            "radio-0.json,wifi-indoor\nradio-0.json,lora-sensor\n",
            "listed twice",
        ),
    ] {
        let path = sandbox.write(&format!("fleet/{name}"), contents);
        sandbox.fails(
            "operator",
            &["device", "register-many", text(&path)],
            refusal,
        );
    }

    let registered = sandbox.json("operator", &["device", "register-many", file]);
    assert_eq!(registered["devices"].as_array().unwrap().len(), 12);
    let transactions = registered["transactions"].as_u64().unwrap();
    assert!(
        transactions < 12,
        "{transactions} transactions for 12 devices"
    );
    let listed = sandbox.json("operator", &["device", "list"]);
    let listed: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|device| device["device"].as_str().unwrap())
        .collect();
    for device in &devices {
        assert!(listed.contains(&device.as_str()), "{device} not registered");
    }
    let shown = sandbox.json("operator", &["device", "show", &devices[1]]);
    assert_eq!(shown["location"], "8a2a1072b59ffff");
    assert_eq!(shown["owner"], operator.as_str());
    // A rerun names the first device already registered.
    sandbox.fails(
        "operator",
        &["device", "register-many", file],
        "is already registered (entry 1)",
    );
}
