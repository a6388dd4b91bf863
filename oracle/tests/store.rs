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
    depin_oracle::store::{Inserted, PostgresStore, ReportStore, SqliteStore, StoreError},
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
    let database = format!("depin_store_test_{}", std::process::id());
    let mut admin = postgres::Client::connect(&server, postgres::NoTls).expect("the test server");
    // One statement per call: neither runs inside a transaction block.
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {database}"))
        .unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {database}"))
        .unwrap();
    let url = format!("{server} dbname={database}");
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
    let error = PostgresStore::connect(&format!(
        "{server} dbname={database} password=hunter2 user=nobody"
    ))
    .err()
    .unwrap()
    .to_string();
    assert!(!error.contains("hunter2"), "{error}");
    admin
        .batch_execute(&format!("DROP DATABASE {database} WITH (FORCE)"))
        .unwrap();
}

/// The server restarted while reports are being stored: a call that met
/// the lost connection fails (nothing of it acknowledged), the store
/// connects again by itself, and every report it acknowledged is there.
/// Needs `DEPIN_TEST_POSTGRES_RESTART`, a command that restarts the server
/// (`.ci/run` sets it).
#[test]
fn postgres_survives_a_server_restart_under_load() {
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
    let database = format!("depin_store_restart_{}", std::process::id());
    let mut admin = postgres::Client::connect(&server, postgres::NoTls).expect("the test server");
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {database}"))
        .unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {database}"))
        .unwrap();
    drop(admin);
    let url = format!("{server} dbname={database}");
    let store = Arc::new(PostgresStore::connect(&url).unwrap());
    let writer = {
        let store = store.clone();
        std::thread::spawn(move || {
            let (mut acknowledged, mut failed) = (Vec::new(), 0);
            let start = std::time::Instant::now();
            // 400 reports, or 60 s, whichever comes first.
            for sequence in 1..=400u64 {
                if start.elapsed() > std::time::Duration::from_secs(60) {
                    break;
                }
                let signed = report(9, sequence, 1);
                match store.insert(&signed, 10) {
                    Ok(Inserted::Stored) => acknowledged.push(signed),
                    Ok(other) => panic!("sequence {sequence}: {other:?}"),
                    Err(_) => {
                        failed += 1;
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                }
            }
            (acknowledged, failed)
        })
    };
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
    let (acknowledged, failed) = writer.join().unwrap();
    eprintln!(
        "{} acknowledged, {failed} failed during the restart",
        acknowledged.len()
    );
    assert!(acknowledged.len() > 300, "it went on after the restart");
    // Every acknowledged report is there (a call that failed may still
    // have committed just before the connection dropped).
    let stored = store.epoch_reports(1).unwrap();
    for signed in &acknowledged {
        assert!(
            stored.contains(signed),
            "acknowledged report {} lost",
            signed.report.sequence
        );
    }
    assert!(stored.len() <= acknowledged.len() + failed);
    let mut admin = postgres::Client::connect(&server, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("DROP DATABASE {database} WITH (FORCE)"))
        .unwrap();
}
