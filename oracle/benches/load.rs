//! Load on a node's HTTP ingest: `clients` concurrent senders for
//! `devices` devices post signed heartbeats (`per-request` a request) for
//! `seconds`, to a node on loopback in this process, backed by SQLite and
//! — when `DEPIN_TEST_POSTGRES` names a server — PostgreSQL. Prints
//! accepted reports/s, request latency p50/p99, errors, the process's peak
//! memory, and the headroom over the ~280 reports/s that 1,000,000
//! devices sending 24 reports a day average. Then the proof API's work
//! per lookup in a batch of `wallets` wallets (find the leaf, build the
//! proof, encode the answer), and over HTTP with that batch final on an
//! embedded chain (`clients` concurrent clients, `seconds`): p50/p99.
//!
//! ```text
//! cargo bench -p depin-oracle --bench load -- 10000 8 20 100 1000000
//! #                          devices clients seconds per-request wallets
//! ```
//!
//! Figures, not assertions. Clients and node share this machine's cores,
//! so the figure is a floor for a node on its own machine.

mod common;

use {
    common::peak_mib,
    depin_oracle::{
        claims::wallet_claim,
        ingest::{DeviceState, EpochClock, Ingest, IngestRules},
        load::{run_ingest_load, sign_reports, LoadPlan},
        server::{serve_on_loopback, AppState},
        store::{PostgresStore, ReportStore, ScratchDatabase, SqliteStore},
    },
    depin_reports::network_id,
    depin_sdk::{
        batch::{BatchFile, DeviceReward},
        Pubkey,
    },
    rand::{Rng, SeedableRng},
    std::{collections::HashMap, sync::Arc, time::Duration, time::Instant},
};

const GENESIS: i64 = 1_800_000_000;
/// 1,000,000 devices × 24 reports a day, averaged over the day.
const TARGET_PER_SECOND: f64 = 1_000_000.0 * 24.0 / 86_400.0;

fn main() {
    let numbers: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|arg| arg.parse().ok())
        .collect();
    let arg = |at: usize, default: usize| numbers.get(at).copied().unwrap_or(default);
    let plan = LoadPlan {
        devices: arg(0, 10_000),
        clients: arg(1, 8),
        duration: Duration::from_secs(arg(2, 20) as u64),
        reports_per_request: arg(3, 100),
        reports_per_device: 0,
    };
    let wallets = arg(4, 1_000_000);
    let network = network_id(&[1; 32], &[2; 32]);
    let directory = plan.directory();
    let directory = Arc::new(directory);
    let folder = std::env::temp_dir().join(format!("depin-load-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    let mut stores: Vec<(&str, Arc<dyn ReportStore>)> = vec![(
        "SQLite",
        Arc::new(SqliteStore::open(&folder.join("reports.db")).unwrap()),
    )];
    let postgres = std::env::var("DEPIN_TEST_POSTGRES").ok().map(|server| {
        ScratchDatabase::create(&server, &format!("depin_load_bench_{}", std::process::id()))
            .unwrap()
    });
    match &postgres {
        Some(database) => stores.push((
            "PostgreSQL",
            Arc::new(PostgresStore::connect(&database.connection_string()).unwrap()),
        )),
        None => println!("(PostgreSQL: set DEPIN_TEST_POSTGRES to measure it)"),
    }
    println!(
        "ingest over HTTP: {} devices, {} clients, {} s, {} reports a request; target {:.0} \
         reports/s (1,000,000 devices × 24 a day)",
        plan.devices,
        plan.clients,
        plan.duration.as_secs(),
        plan.reports_per_request,
        TARGET_PER_SECOND
    );
    for (name, store) in stores {
        // Enough reports that the senders never run out in the time.
        let mut plan = plan.clone();
        plan.reports_per_device = (30_000 * plan.duration.as_secs() as usize)
            .div_ceil(plan.devices)
            .max(1);
        let started = Instant::now();
        let reports = sign_reports(&plan, network, 0, GENESIS);
        let signing = started.elapsed();
        let rules = IngestRules {
            network,
            epochs: EpochClock {
                genesis: GENESIS,
                length: 86_400 * 365,
            },
            clock_skew: 300,
            max_reports_per_device_per_epoch: u32::MAX,
        };
        let state = AppState::ingest_only(
            Arc::new(Ingest::new(rules, directory.clone(), store)),
            Arc::new(|| GENESIS + 86_400 * 300),
        );
        let (runtime, base) = serve_on_loopback(state).unwrap();
        let report = run_ingest_load(&base, &plan, reports);
        println!(
            "  {name:<11} {:>8.0} accepted/s ({:.0}× the target)   p50 {:>6.1} ms   p99 {:>6.1} \
             ms   {} requests, {} refused, {} failed   peak {:.0} MiB   (signing ahead: {:.1} s)",
            report.accepted_per_second(),
            report.accepted_per_second() / TARGET_PER_SECOND,
            report.percentile(50).as_secs_f64() * 1e3,
            report.percentile(99).as_secs_f64() * 1e3,
            report.requests,
            report.refused,
            report.failed_requests,
            peak_mib(),
            signing.as_secs_f64()
        );
        // Its connections are dropped at exit, not inside the runtime.
        std::mem::forget(runtime);
    }
    let _ = std::fs::remove_dir_all(&folder);
    drop(postgres);

    // The proof API at `wallets` wallets: one device each.
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let started = Instant::now();
    let recipients: Vec<Pubkey> = (0..wallets)
        .map(|_| Pubkey::new_from_array(rng.gen()))
        .collect();
    let devices = recipients
        .iter()
        .enumerate()
        .map(|(index, recipient)| DeviceReward {
            device_key: Pubkey::new_from_array(rng.gen()),
            serial: index as u64,
            amount: rng.gen_range(1..1_000_000),
            recipient: *recipient,
        })
        .collect();
    let batch = BatchFile::build(1, None, devices).unwrap();
    let _ = batch.commitment();
    println!(
        "proof API: a batch of {wallets} wallets built in {:.1} s; peak {:.0} MiB",
        started.elapsed().as_secs_f64(),
        peak_mib()
    );
    let mut latencies: Vec<Duration> = (0..20_000)
        .map(|_| {
            let wallet = recipients[rng.gen_range(0..recipients.len())];
            let started = Instant::now();
            let claim = wallet_claim(&batch, &wallet, 0).unwrap();
            let body = serde_json::to_vec(&claim).unwrap();
            std::hint::black_box(body);
            started.elapsed()
        })
        .collect();
    latencies.sort();
    let at = |percent: usize| latencies[latencies.len() * percent / 100].as_secs_f64() * 1e6;
    println!(
        "  one lookup in process (leaf, {}-step proof, JSON): p50 {:.1} µs   p99 {:.1} µs",
        batch.proof_for(&recipients[0]).unwrap().2.len(),
        at(50),
        at(99),
    );
    proof_api_over_http(batch, &recipients, plan.clients, plan.duration);
}

/// The whole path: the batch final on chain (an embedded network, one
/// oracle), the file in a node's data directory, `GET /v1/claims/{wallet}`
/// from `clients` concurrent clients for `duration` — each answer read
/// from the chain (the batch's status, the wallet's paid) and the file.
fn proof_api_over_http(
    batch: BatchFile,
    recipients: &[Pubkey],
    clients: usize,
    duration: Duration,
) {
    use {
        depin_client::{
            bootstrap::{bootstrap_network, NetworkPlan},
            embedded::EmbeddedCluster,
            shared::SharedCluster,
        },
        depin_oracle::node::{hex, DataDir, EpochRecord},
        depin_sdk::{Keypair, Signer},
        sha2::{Digest, Sha256},
    };
    let deployer = Keypair::new();
    let authority = Keypair::new();
    let oracle = Keypair::new();
    let mut cluster = EmbeddedCluster::with_upgrade_authority(deployer.insecure_clone());
    for key in [&authority, &oracle] {
        cluster.airdrop(&key.pubkey(), 1_000_000_000_000).unwrap();
    }
    let genesis = cluster.clock().unix_timestamp;
    let plan = NetworkPlan::standard(vec![oracle.pubkey()], 1, genesis, 0);
    let deployment = bootstrap_network(&mut cluster, &deployer, &authority, &plan).unwrap();
    let chain = SharedCluster::new(cluster);
    let mut authority = chain.client(authority);
    let mut voter = chain.client(oracle);
    let end = deployment.oracle.epoch_end(1).unwrap();
    authority.warp(end + 1 - genesis).unwrap();
    authority.issue_epoch(Some(0)).unwrap();
    authority.issue_epoch(Some(1)).unwrap();
    voter
        .submit_batch(&batch, "http://127.0.0.1/v1/epochs/1/data")
        .unwrap();
    authority
        .warp(deployment.oracle.challenge_window + 1)
        .unwrap();
    // The node's data directory, as its loop leaves it.
    let folder = std::env::temp_dir().join(format!("depin-proof-api-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    for sub in ["proof-data", "epochs"] {
        std::fs::create_dir_all(folder.join(sub)).unwrap();
    }
    let bytes = batch.to_bytes();
    let hash = hex(&Sha256::digest(&bytes));
    std::fs::write(
        folder.join("proof-data").join(format!("{hash}.bin")),
        &bytes,
    )
    .unwrap();
    let commitment = batch.commitment();
    let record = EpochRecord {
        epoch: 1,
        role: "leader".into(),
        proof_data: Some(hash),
        root: Some(hex(&commitment.root)),
        total: Some(commitment.total),
        voted: true,
        refused: Vec::new(),
        status: "final".into(),
    };
    std::fs::write(
        folder.join("epochs").join("1.json"),
        serde_json::to_vec(&record).unwrap(),
    )
    .unwrap();
    let data = Arc::new(DataDir::at(&folder));
    let factory_chain = chain.clone();
    let claims = depin_oracle::claims::ClaimsService::new(
        data.clone(),
        Arc::new(move || Ok(Box::new(factory_chain.clone()) as Box<dyn depin_client::Backend>)),
    );
    let rules = IngestRules {
        network: [0; 32],
        epochs: EpochClock {
            genesis,
            length: 86_400,
        },
        clock_skew: 60,
        max_reports_per_device_per_epoch: 1,
    };
    let state = AppState {
        data: Some(data),
        claims: Some(Arc::new(claims)),
        ..AppState::ingest_only(
            Arc::new(Ingest::new(
                rules,
                Arc::new(HashMap::<[u8; 32], DeviceState>::new()),
                Arc::new(SqliteStore::open(&folder.join("reports.db")).unwrap()),
            )),
            Arc::new(move || genesis),
        )
    };
    let (runtime, base) = serve_on_loopback(state).unwrap();
    // The first request loads the file into the node's cache.
    let http = reqwest::blocking::Client::new();
    let started = Instant::now();
    let first = http
        .get(format!("{base}/v1/claims/{}", recipients[0]))
        .send()
        .unwrap();
    assert_eq!(first.status(), 200, "{:?}", first.text());
    println!(
        "  over HTTP, first request (loads and checks the {:.0} MiB file): {:.2} s",
        bytes.len() as f64 / 1_048_576.0,
        started.elapsed().as_secs_f64()
    );
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let mut latencies: Vec<Duration> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..clients.max(1))
            .map(|worker| {
                let base = &base;
                scope.spawn(move || {
                    let http = reqwest::blocking::Client::new();
                    let mut rng = rand::rngs::StdRng::seed_from_u64(worker as u64);
                    let mut latencies = Vec::new();
                    while Instant::now() < deadline && latencies.len() < 1_000_000 {
                        let wallet = recipients[rng.gen_range(0..recipients.len())];
                        let sent = Instant::now();
                        let answer = http.get(format!("{base}/v1/claims/{wallet}")).send();
                        let ok = answer.is_ok_and(|response| response.status() == 200);
                        assert!(ok, "a claim request failed");
                        latencies.push(sent.elapsed());
                    }
                    latencies
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap())
            .collect()
    });
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let at = |percent: usize| latencies[latencies.len() * percent / 100].as_secs_f64() * 1e3;
    println!(
        "  over HTTP, {clients} clients for {} s: {:.0} answers/s   p50 {:.2} ms   p99 {:.2} ms   \
         peak {:.0} MiB",
        duration.as_secs(),
        latencies.len() as f64 / elapsed,
        at(50),
        at(99),
        peak_mib()
    );
    std::mem::forget(runtime);
    let _ = std::fs::remove_dir_all(&folder);
}
