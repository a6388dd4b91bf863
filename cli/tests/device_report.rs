//! `depin device report`: a report signed by the device's registered key
//! for this network's current epoch, sent to each oracle named, each
//! oracle's answer reported; refusals said plainly.

mod common;

use {
    common::{deployed, Sandbox},
    depin_client::backend::BackendExt,
    depin_oracle::{
        ingest::{DeviceState, EpochClock, Ingest, IngestRules},
        server::{serve_on_loopback, AppState},
        store::{ReportStore, SqliteStore},
    },
    depin_sdk::{pda, programs::proof_oracle::state::OracleConfig, Keypair, Pubkey},
    std::{collections::HashMap, str::FromStr, sync::Arc},
};

on_both_backends!(
    "device-report",
    a_device_reports_to_its_oracles_on,
    a_device_reports_to_its_oracles,
    a_device_reports_to_its_oracles_over_depin_localnet
);

fn a_device_reports_to_its_oracles_on(sandbox: &Sandbox) {
    deployed(sandbox);
    sandbox.json("operator", &["credits", "buy", "1000", "--yes"]);
    let sensor = sandbox.keygen("sensor");
    sandbox.register("operator", "sensor", "lora-sensor");
    sandbox.keygen("stranger");

    // An oracle's ingest for this network, in this process.
    let (network, now, epochs) = {
        let cluster = sandbox.backend(Keypair::new());
        let network = depin_reports::network_id(
            &depin_sdk::programs::device_registry::ID.to_bytes(),
            &cluster.genesis_hash().unwrap().to_bytes(),
        );
        let config: OracleConfig = cluster.fetch(&pda::oracle_config().0).unwrap();
        (
            network,
            cluster.clock().unwrap().unix_timestamp,
            EpochClock {
                genesis: config.genesis_timestamp,
                length: config.epoch_length,
            },
        )
    };
    let store = Arc::new(SqliteStore::open(&sandbox.path("reports.db")).unwrap());
    let mut devices = HashMap::new();
    devices.insert(
        Pubkey::from_str(&sensor).unwrap().to_bytes(),
        DeviceState { active: true },
    );
    let rules = IngestRules {
        network,
        epochs,
        clock_skew: 300,
        max_reports_per_device_per_epoch: 100,
    };
    let state = AppState::ingest_only(
        Arc::new(Ingest::new(rules, Arc::new(devices), store.clone())),
        Arc::new(move || now),
    );
    let (_runtime, oracle) = serve_on_loopback(state).unwrap();
    let epoch = epochs_now(&epochs, now);

    // A heartbeat, accepted and stored.
    let sent = sandbox.json(
        "operator",
        &[
            "device",
            "report",
            "heartbeat",
            "--device-keypair",
            "sensor.json",
            "--cell",
            "8a2a1072b59ffff",
            "--oracle",
            &oracle,
        ],
    );
    assert_eq!(sent["oracles"][0]["accepted"], true, "{sent}");
    assert_eq!(sent["report"]["device"], sensor);
    assert_eq!(sent["report"]["epoch"], epoch);
    assert_eq!(sent["report"]["cell"], "8a2a1072b59ffff");
    assert_eq!(store.count(epoch).unwrap(), 1);

    // Usage, and a second oracle that is not there: one acceptance is enough,
    // and the other is named.
    let sent = sandbox.json(
        "operator",
        &[
            "device",
            "report",
            "usage",
            "--device-keypair",
            "sensor.json",
            "--units",
            "4096",
            "--interval",
            "30m",
            "--oracle",
            &oracle,
            "--oracle",
            "http://127.0.0.1:9",
        ],
    );
    assert_eq!(sent["report"]["units"], 4096);
    assert_eq!(sent["report"]["intervalSeconds"], 1800);
    assert_eq!(sent["oracles"][1]["error"], "unreachable", "{sent}");
    assert_eq!(store.count(epoch).unwrap(), 2);

    // A sequence below the last one: every oracle refuses, and says why.
    let refused = sandbox.refused(
        "operator",
        &[
            "device",
            "report",
            "heartbeat",
            "--device-keypair",
            "sensor.json",
            "--sequence",
            "5",
            "--oracle",
            &oracle,
        ],
    );
    assert!(
        refused.contains("no oracle accepted") && refused.contains("replay"),
        "{refused}"
    );
    assert_eq!(store.count(epoch).unwrap(), 2);

    // No oracle named: the signed report is printed, for firmware tooling.
    let printed = sandbox.json(
        "operator",
        &[
            "device",
            "report",
            "heartbeat",
            "--device-keypair",
            "sensor.json",
        ],
    );
    assert_eq!(printed["report"]["network"], hex(&network));
    assert_eq!(printed["oracles"], serde_json::json!([]));

    // Refused before anything is sent.
    let unknown = sandbox.refused(
        "operator",
        &[
            "device",
            "report",
            "heartbeat",
            "--device-keypair",
            "stranger.json",
            "--oracle",
            &oracle,
        ],
    );
    assert!(unknown.contains("is not registered"), "{unknown}");
    let bad_cell = sandbox.refused(
        "operator",
        &[
            "device",
            "report",
            "heartbeat",
            "--device-keypair",
            "sensor.json",
            "--cell",
            "zz",
        ],
    );
    assert!(bad_cell.contains("--cell"), "{bad_cell}");
    let bad_interval = sandbox.refused(
        "operator",
        &[
            "device",
            "report",
            "usage",
            "--device-keypair",
            "sensor.json",
            "--units",
            "1",
            "--interval",
            "0s",
        ],
    );
    assert!(bad_interval.contains("--interval"), "{bad_interval}");
    assert_eq!(store.count(epoch).unwrap(), 2);
}

fn epochs_now(epochs: &EpochClock, now: i64) -> u64 {
    epochs.epoch_at(now).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
