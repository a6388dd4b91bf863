//! Reports accepted per second by the ingest (every check, the signature,
//! and a durable insert each), for SQLite and — when `DEPIN_TEST_POSTGRES`
//! names a server — PostgreSQL; and the signature checks alone.
//!
//! ```text
//! cargo bench -p depin-oracle --bench ingest -- 20000
//! ```
//!
//! Figures, not assertions. One thread, as one ingest request runs.

use {
    depin_oracle::{
        ingest::{DeviceState, EpochClock, Ingest, IngestRules, Outcome},
        store::{PostgresStore, ReportStore, ScratchDatabase, SqliteStore},
    },
    depin_reports::{network_id, verify_reports, Payload, Report, SignedReport},
    ed25519_dalek::SigningKey,
    std::{collections::HashMap, sync::Arc, time::Instant},
};

const GENESIS: i64 = 1_800_000_000;
const DEVICES: u64 = 2_000;

fn main() {
    let count: usize = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(20_000);
    let network = network_id(&[1; 32], &[2; 32]);
    let keys: Vec<SigningKey> = (0..DEVICES)
        .map(|index| {
            let mut seed = [0u8; 32];
            seed[..8].copy_from_slice(&(index + 1).to_le_bytes());
            SigningKey::from_bytes(&seed)
        })
        .collect();
    let reports: Vec<SignedReport> = (0..count)
        .map(|index| {
            let device = index as u64 % DEVICES;
            Report {
                network,
                device: [0; 32],
                epoch: 0,
                sequence: index as u64 / DEVICES + 1,
                timestamp: GENESIS + 60,
                payload: Payload::Heartbeat { cell: None },
            }
            .sign(&keys[device as usize])
        })
        .collect();
    let directory: HashMap<[u8; 32], DeviceState> = keys
        .iter()
        .map(|key| (key.verifying_key().to_bytes(), DeviceState { active: true }))
        .collect();
    let directory = Arc::new(directory);
    let rules = IngestRules {
        network,
        epochs: EpochClock {
            genesis: GENESIS,
            length: 86_400,
        },
        clock_skew: 300,
        max_reports_per_device_per_epoch: u32::MAX,
    };
    println!("{count} heartbeats from {DEVICES} devices:");
    let rate = |name: &str, started: Instant| {
        let seconds = started.elapsed().as_secs_f64();
        println!("  {name:<48} {:>8.0} reports/s", count as f64 / seconds);
    };

    let started = Instant::now();
    for chunk in reports.chunks(256) {
        verify_reports(chunk).unwrap();
    }
    rate("signatures alone, batches of 256", started);
    let started = Instant::now();
    for report in &reports {
        verify_reports(std::slice::from_ref(report)).unwrap();
    }
    rate("signatures alone, one at a time", started);

    let mut stores: Vec<(&str, Arc<dyn ReportStore>)> = Vec::new();
    let folder = std::env::temp_dir().join(format!("depin-ingest-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    stores.push((
        "SQLite (WAL, synchronous=FULL)",
        Arc::new(SqliteStore::open(&folder.join("reports.db")).unwrap()),
    ));
    let postgres = std::env::var("DEPIN_TEST_POSTGRES").ok().map(|server| {
        ScratchDatabase::create(
            &server,
            &format!("depin_ingest_bench_{}", std::process::id()),
        )
        .unwrap()
    });
    match &postgres {
        Some(database) => stores.push((
            "PostgreSQL (synchronous_commit on)",
            Arc::new(PostgresStore::connect(&database.connection_string()).unwrap()),
        )),
        None => println!("  (PostgreSQL: set DEPIN_TEST_POSTGRES to measure it)"),
    }
    let batched_stores = stores.clone();
    for (name, store) in stores {
        let ingest = Ingest::new(rules.clone(), directory.clone(), store);
        let started = Instant::now();
        for report in &reports {
            assert!(matches!(
                ingest.accept(report, GENESIS + 120).unwrap(),
                Outcome::Accepted
            ));
        }
        rate(
            &format!("accepted and durable, one by one: {name}"),
            started,
        );
    }
    // Batches of 100 reports per request, one transaction each: the same
    // reports again with sequences above those just stored.
    let batched: Vec<SignedReport> = reports
        .iter()
        .enumerate()
        .map(|(index, signed)| {
            let mut report = signed.report;
            report.sequence += 1_000_000;
            report.sign(&keys[index % DEVICES as usize])
        })
        .collect();
    for (name, store) in &batched_stores {
        let ingest = Ingest::new(rules.clone(), directory.clone(), store.clone());
        let started = Instant::now();
        for chunk in batched.chunks(100) {
            let outcomes = ingest.accept_many(chunk, GENESIS + 120).unwrap();
            assert!(outcomes
                .iter()
                .all(|outcome| matches!(outcome, Outcome::Accepted)));
        }
        rate(
            &format!("accepted and durable, 100 per request: {name}"),
            started,
        );
    }
    let _ = std::fs::remove_dir_all(&folder);
    drop(batched_stores);
    drop(postgres);
}
