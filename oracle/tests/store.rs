//! Both report stores keep the same promises: a report is stored once per
//! (device, sequence) and only above the device's last sequence, even with
//! two processes racing on one database; what is stored survives a new
//! connection; schema migrations apply once and a newer schema is refused.
//!
//! PostgreSQL: `DEPIN_TEST_POSTGRES` names a server (a libpq connection
//! string whose user may create databases); `.ci/run` starts one and sets
//! `DEPIN_REQUIRE_POSTGRES=1`, which makes a missing server a failure
//! rather than a skip.

use {
    depin_oracle::store::{
        Inserted, PostgresStore, ReportStore, ScratchDatabase, SqliteStore, StoreError,
    },
    depin_reports::{network_id, Payload, Report, SignedReport},
    ed25519_dalek::SigningKey,
    std::sync::Arc,
};

fn report(seed: u8, sequence: u64, epoch: u64) -> SignedReport {
    Report {
        network: network_id(&[1; 32], &[2; 32]),
        device: [0; 32],
        epoch,
        sequence,
        timestamp: 1_800_000_000,
        payload: Payload::Heartbeat { cell: None },
    }
    .sign(&SigningKey::from_bytes(&[seed; 32]))
}

/// Opens a store afresh on the same database.
type Opener = Box<dyn Fn() -> Result<Arc<dyn ReportStore>, StoreError>>;

fn promises(open: Opener) {
    let store = open().unwrap();
    assert_eq!(
        store.insert(&report(1, 5, 3), 10).unwrap(),
        Inserted::Stored
    );
    assert_eq!(
        store.insert(&report(1, 5, 3), 11).unwrap(),
        Inserted::Replay { last: 5 }
    );
    assert_eq!(
        store.insert(&report(1, 4, 3), 12).unwrap(),
        Inserted::Replay { last: 5 }
    );
    assert_eq!(
        store.insert(&report(1, 6, 3), 13).unwrap(),
        Inserted::Stored
    );
    assert_eq!(
        store.insert(&report(2, 1, 3), 14).unwrap(),
        Inserted::Stored
    );
    assert_eq!(
        store.insert(&report(2, 2, 4), 15).unwrap(),
        Inserted::Stored
    );
    // A sequence as large as the store holds.
    assert_eq!(
        store.insert(&report(3, i64::MAX as u64, 3), 16).unwrap(),
        Inserted::Stored
    );
    assert_eq!(store.count(3).unwrap(), 4);
    assert_eq!(store.count(4).unwrap(), 1);
    let mut expected = vec![
        report(1, 5, 3),
        report(1, 6, 3),
        report(2, 1, 3),
        report(3, i64::MAX as u64, 3),
    ];
    expected.sort_by_key(|signed| (signed.report.device, signed.report.sequence));
    assert_eq!(store.epoch_reports(3).unwrap(), expected);
    drop(store);

    // Durable: a new connection sees it all; migrating again changes nothing.
    let again = open().unwrap();
    assert_eq!(again.epoch_reports(3).unwrap(), expected);
    assert_eq!(
        again.insert(&report(1, 6, 3), 17).unwrap(),
        Inserted::Replay { last: 6 }
    );

    // Many in one transaction: taken in sequence order per device, a
    // repeat within the batch is a replay; results in the order given.
    let batch = [
        report(5, 9, 3),
        report(5, 7, 3),
        report(5, 9, 3),
        report(6, 1, 3),
    ];
    assert_eq!(
        again.insert_many(&batch, 18).unwrap(),
        vec![
            Inserted::Stored,
            Inserted::Stored,
            Inserted::Replay { last: 9 },
            Inserted::Stored
        ]
    );
    assert_eq!(again.count(3).unwrap(), 7);

    // Two processes racing on one device and sequence: stored once.
    let stores: Vec<Arc<dyn ReportStore>> = (0..2).map(|_| open().unwrap()).collect();
    let results: Vec<Inserted> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|index| {
                let store = stores[index % 2].clone();
                scope.spawn(move || store.insert(&report(4, 9, 3), 20).unwrap())
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap())
            .collect()
    });
    assert_eq!(
        results
            .iter()
            .filter(|result| **result == Inserted::Stored)
            .count(),
        1
    );
    assert_eq!(stores[0].count(3).unwrap(), 8);
}

#[test]
fn sqlite_keeps_the_promises() {
    let directory = std::env::temp_dir().join(format!("depin-oracle-store-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("reports.db");
    let opener_path = path.clone();
    promises(Box::new(move || {
        SqliteStore::open(&opener_path).map(|store| Arc::new(store) as Arc<dyn ReportStore>)
    }));
    // A database from a newer node is refused, by name.
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute("INSERT INTO schema_migrations VALUES (99, 0)", [])
        .unwrap();
    drop(connection);
    let error = SqliteStore::open(&path).err().unwrap().to_string();
    assert!(error.contains("schema version 99"), "{error}");
    let _ = std::fs::remove_dir_all(&directory);
}

/// The server to test against, or `None` (skipped) when none is named and
/// none is required.
fn postgres_server() -> Option<String> {
    match std::env::var("DEPIN_TEST_POSTGRES") {
        Ok(url) => Some(url),
        Err(_) if std::env::var_os("DEPIN_REQUIRE_POSTGRES").is_some() => {
            panic!("DEPIN_REQUIRE_POSTGRES is set but DEPIN_TEST_POSTGRES names no server")
        }
        Err(_) => {
            eprintln!("skipped: set DEPIN_TEST_POSTGRES to run the PostgreSQL store's tests");
            None
        }
    }
}

#[test]
fn postgres_keeps_the_promises() {
    let Some(server) = postgres_server() else {
        return;
    };
    let database =
        ScratchDatabase::create(&server, &format!("depin_store_test_{}", std::process::id()))
            .expect("the test server");
    let url = database.connection_string();
    let opener_url = url.clone();
    promises(Box::new(move || {
        PostgresStore::connect(&opener_url).map(|store| Arc::new(store) as Arc<dyn ReportStore>)
    }));
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .execute("INSERT INTO schema_migrations VALUES (99, 0)", &[])
        .unwrap();
    drop(client);
    let error = PostgresStore::connect(&url).err().unwrap().to_string();
    assert!(error.contains("schema version 99"), "{error}");
    // A wrong password is named without the password.
    let error = PostgresStore::connect(&format!("{url} password=hunter2 user=nobody"))
        .err()
        .unwrap()
        .to_string();
    assert!(!error.contains("hunter2"), "{error}");
}

/// The PostgreSQL server restarted while two devices post reports to a
/// node's ingest over HTTP: a request that meets the lost connection is
/// answered `503 unavailable` (nothing of it acknowledged), the store
/// connects again by itself, every report answered `202` is stored, and a
/// device retrying every report afterwards has each accepted once.
/// Needs `DEPIN_TEST_POSTGRES_RESTART`, a command that restarts the server
/// (`.ci/run` sets it).
#[test]
fn postgres_restarted_under_http_load_loses_nothing_acknowledged() {
    use depin_oracle::{
        ingest::{DeviceState, EpochClock, Ingest, IngestRules},
        server::{serve_on_loopback, AppState},
    };
    let Some(server) = postgres_server() else {
        return;
    };
    let Ok(restart) = std::env::var("DEPIN_TEST_POSTGRES_RESTART") else {
        assert!(
            std::env::var_os("DEPIN_REQUIRE_POSTGRES").is_none(),
            "DEPIN_REQUIRE_POSTGRES is set but DEPIN_TEST_POSTGRES_RESTART is not"
        );
        eprintln!("skipped: set DEPIN_TEST_POSTGRES_RESTART to restart the server");
        return;
    };
    let database = ScratchDatabase::create(
        &server,
        &format!("depin_store_restart_{}", std::process::id()),
    )
    .expect("the test server");
    let url = database.connection_string();
    let store = Arc::new(PostgresStore::connect(&url).unwrap());
    // A node's ingest on loopback: devices 8 and 9, clock inside epoch 0.
    const GENESIS: i64 = 1_799_990_000;
    let directory: std::collections::HashMap<[u8; 32], DeviceState> = [8u8, 9]
        .map(|seed| {
            (
                SigningKey::from_bytes(&[seed; 32])
                    .verifying_key()
                    .to_bytes(),
                DeviceState { active: true },
            )
        })
        .into_iter()
        .collect();
    let rules = IngestRules {
        network: network_id(&[1; 32], &[2; 32]),
        epochs: EpochClock {
            genesis: GENESIS,
            length: 86_400,
        },
        clock_skew: 60,
        max_reports_per_device_per_epoch: 10_000,
    };
    let state = AppState::ingest_only(
        Arc::new(Ingest::new(rules, Arc::new(directory), store.clone())),
        Arc::new(|| 1_800_000_000),
    );
    let (_runtime, base) = serve_on_loopback(state).unwrap();
    let endpoint = format!("{base}/v1/reports");
    let post = |http: &reqwest::blocking::Client, signed: &SignedReport| {
        http.post(&endpoint)
            .header("content-type", "application/octet-stream")
            .body(signed.encode().to_vec())
            .send()
            .map(|response| response.status().as_u16())
    };
    let (acknowledged, failed) = std::thread::scope(|scope| {
        let devices: Vec<_> = [8u8, 9]
            .map(|seed| {
                let post = &post;
                scope.spawn(move || {
                    let http = reqwest::blocking::Client::new();
                    let (mut acknowledged, mut failed) = (Vec::new(), 0);
                    let start = std::time::Instant::now();
                    // 300 reports each, or 60 s, whichever comes first; a
                    // report answered 503 is sent again, as devices do.
                    'reports: for sequence in 1..=300u64 {
                        let signed = report(seed, sequence, 0);
                        loop {
                            if start.elapsed() > std::time::Duration::from_secs(60) {
                                break 'reports;
                            }
                            match post(&http, &signed) {
                                Ok(202) => {
                                    acknowledged.push((signed, false));
                                    break;
                                }
                                // Stored by the request whose answer was
                                // lost with the connection: a replay now.
                                Ok(409) => {
                                    acknowledged.push((signed, true));
                                    break;
                                }
                                Ok(503) => {
                                    failed += 1;
                                    std::thread::sleep(std::time::Duration::from_millis(20));
                                }
                                other => panic!("sequence {sequence}: {other:?}"),
                            }
                        }
                    }
                    (acknowledged, failed)
                })
            })
            .into();
        std::thread::sleep(std::time::Duration::from_millis(300));
        // Its output (and the new server's) must not hold this test's pipes.
        let status = std::process::Command::new("sh")
            .args(["-c", &restart])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "{restart}");
        devices
            .into_iter()
            .fold((Vec::new(), 0), |(mut acknowledged, failed), device| {
                let (more, more_failed) = device.join().unwrap();
                acknowledged.extend(more);
                (acknowledged, failed + more_failed)
            })
    });
    let retried = acknowledged.iter().filter(|(_, replay)| *replay).count();
    eprintln!(
        "{} reports stored: {} answered 202, {retried} found stored when sent again; {failed} \
         requests answered 503 during the restart",
        acknowledged.len(),
        acknowledged.len() - retried
    );
    assert!(acknowledged.len() > 450, "it went on after the restart");
    // Every report is stored exactly once: the acknowledged ones and those
    // a lost answer made the device send again.
    let mut stored = store.epoch_reports(0).unwrap();
    let mut sent: Vec<SignedReport> = acknowledged.iter().map(|(signed, _)| *signed).collect();
    let key = |signed: &SignedReport| (signed.report.device, signed.report.sequence);
    stored.sort_by_key(key);
    sent.sort_by_key(key);
    assert_eq!(stored.len(), sent.len(), "each report stored once");
    assert!(stored == sent, "the stored reports are the ones sent");
    // Every copy sent again later is a replay, and nothing changes.
    let http = reqwest::blocking::Client::new();
    for (signed, _) in acknowledged.iter().step_by(25) {
        assert_eq!(post(&http, signed).unwrap(), 409, "a retried report");
    }
    assert_eq!(store.epoch_reports(0).unwrap().len(), stored.len());
}
