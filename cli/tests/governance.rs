//! `depin gov` as a DAO member meets it: proposals that say what they do
//! and where they stand, amounts in tokens, checks before anything is sent,
//! lockups, votes, cancels, relocks and merges.

mod common;

use {
    common::{deployed, text, Sandbox},
    predicates::{prelude::PredicateBooleanExt, str::contains},
    serde_json::Value,
};

/// Deploys, hands the network to the DAO and locks 1,500 tokens of the
/// operator for a year (1.75× with the default power: 2,625 voting power).
fn member(sandbox: &Sandbox) -> String {
    let operator = deployed(sandbox);
    sandbox.json("deployer", &["network", "hand-over", "--yes"]);
    sandbox.json("operator", &["gov", "lock", "1500", "--days", "365"]);
    operator
}

fn signatures(value: &Value) -> usize {
    value["signatures"]
        .as_array()
        .unwrap_or_else(|| panic!("no signatures in {value}"))
        .len()
}

fn propose_emission(sandbox: &Sandbox, title: &str, from_epoch: &str) -> Value {
    sandbox.json(
        "operator",
        &[
            "gov",
            "propose",
            "--title",
            title,
            "emission",
            "--from-epoch",
            from_epoch,
            "--tokens-per-epoch",
            "750000",
        ],
    )
}

/// Voting power shown in tokens: `tokens` exactly on the embedded runtime;
/// over a node, whose clock runs on between two commands, a power that
/// decays may have lost a little: this position loses about 36 base
/// units a second, so 0.05 tokens is over 20 minutes of a slow machine.
fn assert_power(sandbox: &Sandbox, shown: &Value, tokens: u64) {
    let shown = shown.as_str().unwrap();
    if sandbox.localnet_url().is_none() {
        assert_eq!(shown, tokens.to_string());
        return;
    }
    let base_units = depin_sdk::amount::parse_amount(shown, 6).unwrap();
    let expected = tokens * 1_000_000;
    assert!(
        base_units <= expected && expected - base_units < 50_000,
        "{shown} is not within minutes' decay of {tokens}"
    );
}

/// "in 3 d"; over a node, whose clock runs on, a second later it is
/// "in 2 d 23 h".
fn says_in_three_days(sandbox: &Sandbox, text: &str) -> bool {
    text.contains("in 3 d") || (sandbox.localnet_url().is_some() && text.contains("in 2 d 23 h"))
}

on_both_backends!(
    "gov-lifecycle",
    a_proposal_says_what_it_does_where_it_stands_and_when_on,
    a_proposal_says_what_it_does_where_it_stands_and_when,
    a_proposal_says_what_it_does_where_it_stands_and_when_over_depin_localnet
);

fn a_proposal_says_what_it_does_where_it_stands_and_when_on(sandbox: &Sandbox) {
    let operator = member(sandbox);
    let deployer = sandbox.json("deployer", &["address"])["address"]
        .as_str()
        .unwrap()
        .to_string();

    // Created: every transaction's signature (create, add and activate
    // fit in one, through the network's lookup table), and what it does in
    // words.
    let proposed = propose_emission(sandbox, "Cut emission", "30");
    assert_eq!(proposed["id"], 0);
    assert_eq!(signatures(&proposed), 1, "create, add, activate in one");
    assert!(proposed["does"][0]
        .as_str()
        .unwrap()
        .contains("750000 tokens per epoch from epoch 30"));
    sandbox.json(
        "operator",
        &[
            "gov",
            "propose",
            "--title",
            "Grant",
            "treasury-grant",
            "--to",
            text(&sandbox.path("deployer.json")),
            "--amount",
            "10",
        ],
    );
    sandbox.json(
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
            &operator,
            "--quorum",
            "2",
        ],
    );

    let show = sandbox.display("operator", &["gov", "show", "0"]);
    assert!(
        show.contains("set the emission schedule: ")
            && show.contains("750000 tokens per epoch from epoch 30"),
        "{show}"
    );
    assert!(
        show.contains("voting, until ") && says_in_three_days(sandbox, &show),
        "{show}"
    );
    assert!(!show.contains("unix time"), "{show}");
    let grant = sandbox.display("operator", &["gov", "show", "1"]);
    assert!(
        grant.contains(&format!("pay 10 tokens from the treasury to {deployer}")),
        "{grant}"
    );
    let oracles = sandbox.json("operator", &["gov", "show", "2"]);
    assert!(
        oracles["does"][0]
            .as_str()
            .unwrap()
            .starts_with("set the oracle set to 2 oracles, quorum 2"),
        "{oracles}"
    );

    // Too early: the error says when to come back.
    sandbox.fails(
        "operator",
        &["gov", "execute", "0"],
        "is still voting: its vote ends",
    );
    let early = sandbox.refused("operator", &["gov", "execute", "0"]);
    assert!(says_in_three_days(sandbox, &early), "{early}");

    // Votes in tokens × multiplier, never base units.
    let voted = sandbox.json("operator", &["gov", "vote", "0", "yes"]);
    assert_eq!(signatures(&voted), 1);
    assert_power(sandbox, &voted["power"], 2625);
    assert_power(sandbox, &voted["votingPower"]["yes"], 2625);
    sandbox.json("operator", &["gov", "vote", "2", "yes"]);
    let list = sandbox.display("operator", &["gov", "list"]);
    let tokens = voted["votingPower"]["yes"].as_str().unwrap();
    assert!(
        list.contains(tokens) && !list.contains("2625000000") && !list.contains("26249999"),
        "{list}"
    );

    // The vote is over before anyone finalizes it.
    sandbox.json("operator", &["warp", "3d"]);
    let list = sandbox.display("operator", &["gov", "list"]);
    assert!(
        list.contains("vote ended (passed) — run `depin gov execute 0`"),
        "{list}"
    );
    assert!(
        list.contains("vote ended (failed) — run `depin gov execute 1`"),
        "{list}"
    );
    let queued = sandbox.json("operator", &["gov", "execute", "0"]);
    assert_eq!(queued["state"], "Queued");
    assert_eq!(signatures(&queued), 2, "finalize, queue");
    sandbox.json("operator", &["gov", "execute", "2"]);
    assert_eq!(
        sandbox.json("operator", &["gov", "execute", "1"])["state"],
        "Defeated"
    );
    let list = sandbox.display("operator", &["gov", "list"]);
    assert!(list.contains("succeeded, executable from "), "{list}");
    assert!(list.contains("defeated"), "{list}");
    sandbox.fails(
        "operator",
        &["gov", "execute", "0"],
        "its timelock has not passed: it can execute from",
    );

    sandbox.json("operator", &["warp", "2d"]);
    let executed = sandbox.json("operator", &["gov", "execute", "0"]);
    assert_eq!(executed["state"], "Executed");
    assert_eq!(signatures(&executed), 1);
    // Nobody executed the oracle change in its window: expired.
    sandbox.json("operator", &["warp", "8d"]);
    let list = sandbox.json("operator", &["gov", "list"]);
    assert_eq!(list[0]["stage"], "executed");
    assert_eq!(list[2]["stage"], "expired");
    assert!(sandbox
        .display("operator", &["gov", "list"])
        .contains("expired"));
}

on_both_backends!(
    "gov-checks",
    proposals_are_checked_before_anything_is_sent_on,
    proposals_are_checked_before_anything_is_sent,
    proposals_are_checked_before_anything_is_sent_over_depin_localnet
);

fn proposals_are_checked_before_anything_is_sent_on(sandbox: &Sandbox) {
    let operator = member(sandbox);
    let deployer = sandbox.json("deployer", &["address"])["address"]
        .as_str()
        .unwrap()
        .to_string();

    // Limits, in --help and in the error.
    let help = sandbox.display("operator", &["gov", "propose", "--help"]);
    assert!(
        help.contains("1 to 64 bytes") && help.contains("at most 200 bytes"),
        "{help}"
    );
    let vote_help = sandbox.display("operator", &["gov", "vote", "--help"]);
    assert!(vote_help.contains("The proposal's id"), "{vote_help}");
    let long_title = "t".repeat(65);
    sandbox.fails(
        "operator",
        &[
            "gov",
            "propose",
            "--title",
            &long_title,
            "emission",
            "--from-epoch",
            "30",
            "--tokens-per-epoch",
            "1",
        ],
        "the title is 65 bytes; a proposal's title holds at most 64",
    );
    let long_description = "d".repeat(201);
    sandbox.fails(
        "operator",
        &[
            "gov",
            "propose",
            "--title",
            "Grant",
            "--description",
            &long_description,
            "treasury-grant",
            "--to",
            &deployer,
            "--amount",
            "1",
        ],
        "holds at most 200",
    );

    // What the chain can tell now.
    let oracle_set = |quorum: &str| {
        vec![
            "gov".to_string(),
            "propose".into(),
            "--title".into(),
            "Oracles".into(),
            "oracle-set".into(),
            "--oracle".into(),
            deployer.clone(),
            "--oracle".into(),
            operator.clone(),
            "--quorum".into(),
            quorum.into(),
        ]
    };
    let args = oracle_set("3");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    sandbox.fails(
        "operator",
        &args,
        "a quorum of 3 with 2 oracles could never be reached",
    );
    let args = oracle_set("0");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    sandbox.fails("operator", &args, "a quorum of 0");
    sandbox.fails(
        "operator",
        &[
            "gov",
            "propose",
            "--title",
            "Grant",
            "treasury-grant",
            "--to",
            &deployer,
            "--amount",
            "1000000000",
        ],
        "the treasury holds",
    );
    sandbox.fails(
        "operator",
        &[
            "gov",
            "propose",
            "--title",
            "Past",
            "emission",
            "--from-epoch",
            "0",
            "--tokens-per-epoch",
            "1",
        ],
        "epoch 0 is already issued",
    );
    sandbox.fails(
        "operator",
        &[
            "gov",
            "propose",
            "--title",
            "Now",
            "emission",
            "--from-epoch",
            "1",
            "--tokens-per-epoch",
            "1",
        ],
        "epoch 1 is running now",
    );

    // What only the future decides is a warning.
    sandbox
        .command(
            "operator",
            &[
                "gov",
                "propose",
                "--title",
                "Soon",
                "emission",
                "--from-epoch",
                "3",
                "--tokens-per-epoch",
                "1",
            ],
        )
        .assert()
        .success()
        .stderr(contains("warning: ").and(contains("retroactive")));
    let args = oracle_set("2");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    sandbox
        .command("operator", &args)
        .assert()
        .success()
        .stderr(contains("cannot be checked"));
}

on_both_backends!(
    "gov-lockups",
    lockups_constant_short_relocked_merged_and_withdrawn_on,
    lockups_constant_short_relocked_merged_and_withdrawn,
    lockups_constant_short_relocked_merged_and_withdrawn_over_depin_localnet
);

fn lockups_constant_short_relocked_merged_and_withdrawn_on(sandbox: &Sandbox) {
    deployed(sandbox);
    sandbox.json("deployer", &["network", "hand-over", "--yes"]);
    let empty = sandbox.display("operator", &["gov", "positions"]);
    assert!(empty.contains("no locked positions"), "{empty}");
    assert_eq!(
        sandbox.json("operator", &["gov", "positions"]),
        Value::Array(vec![])
    );

    // --constant needs no --days: a year by default.
    let constant = sandbox.json("operator", &["gov", "lock", "100", "--constant"]);
    assert_eq!(constant["days"], 365);
    assert_eq!(constant["constant"], true);
    assert_eq!(signatures(&constant), 1);
    sandbox.fails("operator", &["gov", "lock", "100"], "--days is needed");
    // Too short to vote: locked, with a warning.
    sandbox
        .command("operator", &["gov", "lock", "100", "--days", "1"])
        .assert()
        .success()
        .stderr(contains(
            "warning: a 1 d cliff lockup ends before a vote opened now would end",
        ));
    sandbox.fails(
        "operator",
        &["gov", "lock", "100000", "--days", "30"],
        "insufficient funds: locking 100000 tokens, this wallet holds 4800 tokens",
    );
    let positions = sandbox.display("operator", &["gov", "positions"]);
    assert!(
        positions.contains("constant, 365 days from unlocking") && positions.contains("175"),
        "{positions}"
    );

    // Relock: never shorter; a constant one without --days starts its countdown.
    sandbox.fails(
        "operator",
        &["gov", "relock", "0", "--days", "30"],
        "a relock may not shorten it",
    );
    let relocked = sandbox.json("operator", &["gov", "relock", "1", "--days", "30"]);
    assert_eq!(relocked["relocked"], 1);
    assert_eq!(signatures(&relocked), 1);
    sandbox.json("operator", &["gov", "relock", "0"]);
    let listed = sandbox.json("operator", &["gov", "positions"]);
    assert_eq!(listed[0]["kind"], "Cliff");
    assert_eq!(listed[1]["durationSecs"], 30 * 86_400);

    // Merge: the longer lockup wins.
    sandbox.fails(
        "operator",
        &["gov", "merge", "1", "1"],
        "cannot be merged into itself",
    );
    let merged = sandbox.json("operator", &["gov", "merge", "1", "0"]);
    assert_eq!(merged["amount"], 200_000_000);
    let listed = sandbox.json("operator", &["gov", "positions"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["tokens"], "200");

    // Withdraw, with its signature.
    sandbox.json("operator", &["gov", "lock", "10", "--days", "1"]);
    sandbox.fails(
        "operator",
        &["gov", "unlock", "1"],
        "position 1 is still locked: it unlocks ",
    );
    sandbox.json("operator", &["warp", "1d"]);
    let withdrawn = sandbox.json("operator", &["gov", "unlock", "1"]);
    assert_eq!(withdrawn["tokens"], "10");
    assert_eq!(signatures(&withdrawn), 1);
}

on_both_backends!(
    "gov-votes",
    votes_and_cancels_say_what_went_wrong_on,
    votes_and_cancels_say_what_went_wrong,
    votes_and_cancels_say_what_went_wrong_over_depin_localnet
);

fn votes_and_cancels_say_what_went_wrong_on(sandbox: &Sandbox) {
    deployed(sandbox);
    let short = sandbox.keygen("short");
    sandbox.json("deployer", &["network", "grant", &short, "100"]);
    sandbox.json("operator", &["airdrop", "1", "--to", &short]);
    sandbox.json("deployer", &["network", "hand-over", "--yes"]);
    let empty = sandbox.display("operator", &["gov", "list"]);
    assert!(empty.contains("no proposals yet"), "{empty}");
    sandbox.json("operator", &["gov", "lock", "1500", "--days", "365"]);
    sandbox.json("short", &["gov", "lock", "100", "--days", "1"]);
    propose_emission(sandbox, "Cut emission", "30");
    propose_emission(sandbox, "Withdrawn", "40");

    // Twice: said plainly, in text and in JSON.
    sandbox.json("operator", &["gov", "vote", "0", "yes"]);
    sandbox.fails(
        "operator",
        &["gov", "vote", "0", "no"],
        "you already voted on proposal 0",
    );
    let output = sandbox
        .command("operator", &["--output", "json", "gov", "vote", "0", "yes"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains("you already voted on proposal 0") && !error.contains("already in use"),
        "{error}"
    );
    // No positions at all, or none locked long enough.
    sandbox.fails(
        "deployer",
        &["gov", "vote", "0", "yes"],
        "this wallet has no locked tokens to vote with",
    );
    sandbox.fails(
        "short",
        &["gov", "vote", "0", "yes"],
        "none of this wallet's positions stays locked until voting on proposal 0 ends",
    );

    // Cancel: the proposer only, while the vote runs.
    sandbox.fails("short", &["gov", "cancel", "1"], "only its proposer");
    let cancelled = sandbox.json("operator", &["gov", "cancel", "1"]);
    assert_eq!(cancelled["state"], "Cancelled");
    assert_eq!(signatures(&cancelled), 1);
    sandbox.fails(
        "operator",
        &["gov", "vote", "1", "yes"],
        "proposal 1 is cancelled, not open for votes",
    );
    sandbox.json("operator", &["warp", "3d"]);
    sandbox.fails(
        "operator",
        &["gov", "cancel", "0"],
        "can no longer be cancelled",
    );
    sandbox.fails(
        "deployer",
        &["gov", "vote", "0", "no"],
        "voting on proposal 0 ended",
    );
    let list = sandbox.display("operator", &["gov", "list"]);
    assert!(list.contains("cancelled"), "{list}");
}
