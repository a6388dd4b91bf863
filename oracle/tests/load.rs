//! A short load test (CI): concurrent senders post signed reports to a
//! node's HTTP ingest over SQLite for a bounded time; no request fails,
//! and the store holds exactly the reports answered 202, each once.
//! The figures are the `load` bench's; this checks correctness under
//! concurrency.

use {
    depin_oracle::{
        ingest::{EpochClock, Ingest, IngestRules},
        load::{run_ingest_load, sign_reports, LoadPlan},
        server::{serve_on_loopback, AppState},
        store::{ReportStore, SqliteStore},
    },
    depin_reports::network_id,
    std::{sync::Arc, time::Duration},
};

const GENESIS: i64 = 1_800_000_000;

#[test]
fn concurrent_senders_lose_nothing_and_store_nothing_twice() {
    let plan = LoadPlan {
        devices: 200,
        clients: 4,
        duration: Duration::from_secs(3),
        reports_per_request: 50,
        reports_per_device: 30,
    };
    let network = network_id(&[1; 32], &[2; 32]);
    let directory = plan.directory();
    let folder = std::env::temp_dir().join(format!("depin-load-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    let store = Arc::new(SqliteStore::open(&folder.join("reports.db")).unwrap());
    let rules = IngestRules {
        network,
        epochs: EpochClock {
            genesis: GENESIS,
            length: 86_400,
        },
        clock_skew: 60,
        max_reports_per_device_per_epoch: 1_000,
    };
    let state = AppState::ingest_only(
        Arc::new(Ingest::new(rules, Arc::new(directory), store.clone())),
        Arc::new(|| GENESIS + 3_600),
    );
    let (_runtime, base) = serve_on_loopback(state).unwrap();
    // One a minute from genesis: 30 heartbeats each, inside the clock.
    let reports = sign_reports(&plan, network, 0, GENESIS);
    let report = run_ingest_load(&base, &plan, reports.clone());
    eprintln!(
        "{} requests, {} accepted ({:.0}/s), p50 {:?}, p99 {:?}",
        report.requests,
        report.accepted,
        report.accepted_per_second(),
        report.percentile(50),
        report.percentile(99)
    );
    assert_eq!(report.failed_requests, 0);
    assert_eq!(report.refused, 0);
    assert!(report.accepted > 0);
    assert_eq!(report.accepted as usize, report.acknowledged.len());
    let mut stored = store.epoch_reports(0).unwrap();
    let mut acknowledged = report.acknowledged.clone();
    let key = |signed: &depin_reports::SignedReport| (signed.report.device, signed.report.sequence);
    stored.sort_by_key(key);
    acknowledged.sort_by_key(key);
    assert!(
        stored == acknowledged,
        "the store holds exactly the reports answered 202"
    );
    // What was acknowledged, sent again: every report is a replay now (a
    // device retrying), and the store is unchanged. (The first pass may
    // have stopped at its deadline before sending everything.)
    let sent: std::collections::HashSet<_> = acknowledged.iter().map(key).collect();
    let replays: Vec<Vec<_>> = reports
        .into_iter()
        .map(|client| {
            client
                .into_iter()
                .filter(|signed| sent.contains(&key(signed)))
                .collect()
        })
        .collect();
    let again = run_ingest_load(&base, &plan, replays);
    assert_eq!(again.failed_requests, 0);
    assert_eq!(again.accepted, 0, "every retried report was already stored");
    assert_eq!(store.epoch_reports(0).unwrap().len(), stored.len());
    let _ = std::fs::remove_dir_all(&folder);
}
