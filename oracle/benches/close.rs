//! An epoch's close at scale: N devices (default 100,000) × 24 hourly
//! heartbeats, signed; stored in SQLite; then the leader's close (read the
//! epoch's reports, apply the rule, build the tree and the proof data,
//! hash it) and a follower's check (every signature, the rule again, the
//! leaves). Prints time and peak memory of each step, and the proof
//! data's size per device.
//!
//! ```text
//! cargo bench -p depin-oracle --bench close -- 100000
//! ```
//!
//! Figures, not assertions. Peak memory is the process's resident peak
//! (VmHWM), reset before each measured step.

mod common;

use {
    common::{peak_mib, reset_peak},
    depin_oracle::{
        proof_data::{close_epoch, verify, Evidence},
        store::{ReportStore, SqliteStore},
    },
    depin_reports::{
        network_id,
        rule::{ClassParams, DeviceInput, EpochWindow, RuleParams},
        Payload, Report, SignedReport,
    },
    ed25519_dalek::SigningKey,
    sha2::{Digest, Sha256},
    std::time::Instant,
};

const GENESIS: i64 = 1_800_000_000;
const HOURS: u64 = 24;

fn step<T>(name: &str, work: impl FnOnce() -> T) -> T {
    reset_peak();
    let start = Instant::now();
    let result = work();
    println!(
        "{name:<44} {:>9.2} s   peak {:>8.1} MiB",
        start.elapsed().as_secs_f64(),
        peak_mib()
    );
    result
}

fn main() {
    let devices: u64 = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(100_000);
    let network = network_id(&[1; 32], &[2; 32]);
    let window = EpochWindow {
        epoch: 0,
        start: GENESIS,
        end: GENESIS + 86_400,
    };
    println!("epoch close: {devices} devices × {HOURS} heartbeats");
    let keys: Vec<SigningKey> = (0..devices)
        .map(|index| {
            let mut seed = [0u8; 32];
            seed[..8].copy_from_slice(&(index + 1).to_le_bytes());
            SigningKey::from_bytes(&seed)
        })
        .collect();
    let reports: Vec<SignedReport> = step("devices sign their reports", || {
        keys.iter()
            .flat_map(|key| {
                (0..HOURS).map(move |hour| {
                    Report {
                        network,
                        device: [0; 32],
                        epoch: 0,
                        sequence: hour + 1,
                        timestamp: GENESIS + hour as i64 * 3_600 + 60,
                        payload: Payload::Heartbeat { cell: None },
                    }
                    .sign(key)
                })
            })
            .collect()
    });
    let registry: Vec<DeviceInput> = keys
        .iter()
        .enumerate()
        .map(|(index, key)| DeviceInput {
            device: key.verifying_key().to_bytes(),
            serial: index as u64,
            class: 0,
            active: true,
            // Ten devices per wallet.
            recipient: Sha256::digest((index as u64 / 10).to_le_bytes()).into(),
        })
        .collect();
    drop(keys);
    let directory = std::env::temp_dir().join(format!("depin-close-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap();
    let store = SqliteStore::open(&directory.join("reports.db")).unwrap();
    step("stored in SQLite (10,000 a transaction)", || {
        for chunk in reports.chunks(10_000) {
            store.insert_many(chunk, GENESIS).unwrap();
        }
    });
    drop(reports);
    let params = RuleParams {
        version: 1,
        heartbeat_interval_seconds: 3_600,
        uptime_share_bps: 10_000,
        classes: vec![ClassParams {
            uptime_weight: 1,
            usage_weight: 1,
            max_units_per_second: 1_000,
            cap_per_epoch: u64::MAX,
        }],
    };
    let (bytes, commitment) = step("leader's close (read, rule, tree, file, hash)", || {
        let reports = store.epoch_reports(0).unwrap();
        let evidence = Evidence {
            window,
            pool: 1_000_000_000_000,
            params: params.clone(),
            devices: registry.clone(),
            reports,
        };
        let (batch, _) = close_epoch(None, evidence).unwrap();
        let commitment = batch.commitment();
        (batch.to_bytes(), commitment)
    });
    let check = step("follower's check (signatures, rule, leaves)", || {
        let batch = depin_sdk::batch::BatchFile::from_bytes(&bytes).unwrap();
        let (_, outcome) = verify(&batch, None, &network).unwrap();
        (batch.commitment(), outcome.distributed)
    });
    assert_eq!(
        check.0, commitment,
        "the follower recomputes the leader's root"
    );
    println!(
        "proof data: {:.1} MiB, {:.0} bytes per device ({} wallets, total {})",
        bytes.len() as f64 / (1024.0 * 1024.0),
        bytes.len() as f64 / devices as f64,
        commitment.leaf_count,
        commitment.total
    );
    let _ = std::fs::remove_dir_all(&directory);
}
