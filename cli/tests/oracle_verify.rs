//! `depin oracle verify`: a batch voted on chain is recomputed from the
//! evidence it carries and compared with the chain — its commitment, what
//! the epoch issued to devices; a changed file, the wrong epoch, or a pool
//! other than the chain's are refused by name.

mod common;

use {
    common::{deployed, Sandbox},
    depin_client::{backend::BackendExt, Client},
    depin_oracle::proof_data::{close_epoch, Evidence},
    depin_reports::{
        rule::{ClassParams, DeviceInput, EpochWindow, RuleParams},
        Payload, Report,
    },
    depin_sdk::{
        accounts::EpochRewards,
        batch::BatchFile,
        pda,
        programs::{
            device_registry::state::{Device, DeviceStatus},
            proof_oracle::state::OracleConfig,
        },
        Keypair, Signer,
    },
};

fn keypair(sandbox: &Sandbox, name: &str) -> Keypair {
    solana_keypair::read_keypair_file(sandbox.path(&format!("{name}.json"))).unwrap()
}

/// Closes `epoch` from signed reports of the sensor and the relay, votes it
/// as the deployer (the only oracle, quorum 1) and writes the file where
/// claimants look; the evidence claims the issued pool / `pool_divisor`.
fn close_and_vote(
    sandbox: &Sandbox,
    epoch: u64,
    previous: Option<&BatchFile>,
    pool_divisor: u64,
) -> BatchFile {
    let mut client = Client::new(
        sandbox.backend(keypair(sandbox, "deployer")),
        keypair(sandbox, "deployer"),
    );
    let config: OracleConfig = client.backend().fetch(&pda::oracle_config().0).unwrap();
    let end = config.epoch_end(epoch).unwrap();
    let issued: EpochRewards = client
        .backend()
        .fetch(&pda::epoch_rewards(epoch).0)
        .unwrap();
    let network = client.network_id().unwrap();
    let mut devices = Vec::new();
    let mut reports = Vec::new();
    for (name, hours) in [("sensor", 20u64), ("relay", 5)] {
        let key = keypair(sandbox, name);
        let device: Device = client
            .backend()
            .fetch(&pda::device(&key.pubkey()).0)
            .unwrap();
        devices.push(DeviceInput {
            device: key.pubkey().to_bytes(),
            serial: device.serial,
            class: u16::from(device.class_id),
            active: device.status == DeviceStatus::Active,
            recipient: device.rewards_recipient.to_bytes(),
        });
        let signing = ed25519_dalek::SigningKey::from_bytes(key.secret_bytes());
        for hour in 0..hours {
            reports.push(
                Report {
                    network,
                    device: [0; 32],
                    epoch,
                    sequence: epoch * 100 + hour,
                    timestamp: end - config.epoch_length + hour as i64 * 3600 + 1,
                    payload: Payload::Heartbeat { cell: None },
                }
                .sign(&signing),
            );
        }
    }
    let evidence = Evidence {
        window: EpochWindow {
            epoch,
            start: end - config.epoch_length,
            end,
        },
        pool: issued.devices / pool_divisor,
        params: RuleParams {
            version: 1,
            heartbeat_interval_seconds: 3600,
            uptime_share_bps: 10_000,
            classes: vec![
                ClassParams {
                    uptime_weight: 1,
                    usage_weight: 1,
                    max_units_per_second: 1_000,
                    cap_per_epoch: u64::MAX
                };
                4
            ],
        },
        devices,
        reports,
    };
    let (batch, _) = close_epoch(previous, evidence).unwrap();
    let uri = format!("batches/epoch-{epoch}.batch");
    client.submit_batch(&batch, &uri).unwrap();
    client.backend().persist().unwrap();
    std::fs::create_dir_all(sandbox.path("batches")).unwrap();
    batch.write(&sandbox.path(&uri)).unwrap();
    batch
}

on_both_backends!(
    "oracle-verify",
    anyone_recomputes_a_voted_batch_from_its_evidence_on,
    anyone_recomputes_a_voted_batch_from_its_evidence,
    anyone_recomputes_a_voted_batch_from_its_evidence_over_depin_localnet
);

fn anyone_recomputes_a_voted_batch_from_its_evidence_on(sandbox: &Sandbox) {
    deployed(sandbox);
    sandbox.json("operator", &["credits", "buy", "1000", "--yes"]);
    sandbox.keygen("sensor");
    sandbox.keygen("relay");
    sandbox.register("operator", "sensor", "lora-sensor");
    sandbox.register("operator", "relay", "lora-sensor");
    let first = close_and_vote(sandbox, 0, None, 1);

    let verified = sandbox.json(
        "deployer",
        &["oracle", "verify", "batches/epoch-0.batch", "--epoch", "0"],
    );
    assert_eq!(verified["verified"], true, "{verified}");
    assert_eq!(verified["status"], "final");
    assert_eq!(verified["reports"], 25);
    assert_eq!(verified["devices"], 2);
    assert_eq!(verified["total"], first.commitment().total);
    assert_eq!(verified["distributed"], first.commitment().total);

    // The wrong epoch, and a changed byte (another commitment than voted).
    let wrong = sandbox.refused(
        "deployer",
        &["oracle", "verify", "batches/epoch-0.batch", "--epoch", "5"],
    );
    assert!(
        wrong.contains("is epoch 0's batch, not epoch 5's"),
        "{wrong}"
    );
    let mut bytes = std::fs::read(sandbox.path("batches/epoch-0.batch")).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(sandbox.path("changed.batch"), &bytes).unwrap();
    let changed = sandbox.refused("deployer", &["oracle", "verify", "changed.batch"]);
    assert!(
        changed.contains("another commitment than changed.batch"),
        "{changed}"
    );

    // Epoch 1: a batch voted on chain whose evidence claims half the pool
    // the chain issued: the chain took the vote, the verifier does not.
    sandbox.json("deployer", &["warp", "1d"]);
    sandbox.json("deployer", &["oracle", "price", "0.5"]);
    sandbox.json("deployer", &["rewards", "issue"]);
    close_and_vote(sandbox, 1, Some(&first), 2);
    let short = sandbox.refused("deployer", &["oracle", "verify", "batches/epoch-1.batch"]);
    assert!(short.contains("but epoch 1 issued"), "{short}");
}
