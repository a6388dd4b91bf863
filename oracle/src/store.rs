//! Where an oracle keeps accepted reports: one trait, so several ingest
//! replicas of one oracle can share a database server, with SQLite as the
//! zero-set-up default.
//!
//! The replay check is part of the insert: a report is stored only if its
//! sequence is above every sequence stored for its device, in the same
//! database transaction, so two replicas racing on one device cannot both
//! accept the same sequence. `insert` returns only once the report is
//! durable (committed and synced).

use {
    depin_reports::{SignedReport, REPORT_LEN},
    rusqlite::{params, Connection, OptionalExtension, TransactionBehavior},
    std::{path::Path, sync::Mutex},
};

#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("the report store at {path}: {reason}")]
    Open { path: String, reason: String },
    #[error("the report store: {0}")]
    Database(String),
    #[error("a stored report is damaged ({0})")]
    Damaged(String),
}

/// What an insert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    Stored,
    /// The device already has a report at this sequence or above: `last`.
    Replay {
        last: u64,
    },
}

pub trait ReportStore: Send + Sync {
    /// Stores each report unless its sequence is not above its device's
    /// last one, all in one database transaction: durable together, or
    /// none stored on error. Reports are taken in (device, sequence) order
    /// (so concurrent batches lock devices in one order and never
    /// deadlock); the results are in the order given.
    fn insert_many(
        &self,
        reports: &[SignedReport],
        received_at: i64,
    ) -> Result<Vec<Inserted>, StoreError>;

    /// Stores `report` durably unless its sequence is not above its
    /// device's last one.
    fn insert(&self, report: &SignedReport, received_at: i64) -> Result<Inserted, StoreError> {
        Ok(self.insert_many(std::slice::from_ref(report), received_at)?[0])
    }

    /// Every report stored for `epoch`, by device then sequence.
    fn epoch_reports(&self, epoch: u64) -> Result<Vec<SignedReport>, StoreError>;

    /// How many reports are stored for `epoch`.
    fn count(&self, epoch: u64) -> Result<u64, StoreError>;
}

/// Schema migrations: (version, SQL), applied in order, each once.
const SQLITE_MIGRATIONS: &[(u32, &str)] =
    &[(1, include_str!("../migrations/sqlite/0001_reports.sql"))];

/// SQLite, in WAL mode with full syncs: a committed report survives a
/// crash of the process or the machine.
pub struct SqliteStore {
    connection: Mutex<Connection>,
}

fn database(error: rusqlite::Error) -> StoreError {
    StoreError::Database(error.to_string())
}

/// Sequences and epochs are stored as SQLite's signed 64-bit integers.
fn to_sql(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

impl SqliteStore {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let opened = |error: rusqlite::Error| StoreError::Open {
            path: path.display().to_string(),
            reason: error.to_string(),
        };
        let connection = Connection::open(path).map_err(opened)?;
        connection
            .execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
            )
            .map_err(opened)?;
        connection
            .busy_timeout(std::time::Duration::from_secs(10))
            .map_err(opened)?;
        let store = Self {
            connection: Mutex::new(connection),
        };
        store.migrate().map_err(|error| StoreError::Open {
            path: path.display().to_string(),
            reason: error.to_string(),
        })?;
        Ok(store)
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let mut connection = self.connection.lock().expect("store lock");
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(database)?;
        transaction
            .execute_batch(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
            )
            .map_err(database)?;
        let applied: u32 = transaction
            .query_row(
                "SELECT coalesce(max(version), 0) FROM schema_migrations",
                [],
                |row| row.get(0),
            )
            .map_err(database)?;
        let newest = SQLITE_MIGRATIONS.last().map_or(0, |(version, _)| *version);
        if applied > newest {
            return Err(StoreError::Database(format!(
                "the database is at schema version {applied}, newer than this node's {newest}"
            )));
        }
        for (version, sql) in SQLITE_MIGRATIONS
            .iter()
            .filter(|(version, _)| *version > applied)
        {
            transaction.execute_batch(sql).map_err(database)?;
            transaction
                .execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, unixepoch())",
                    params![version],
                )
                .map_err(database)?;
        }
        transaction.commit().map_err(database)
    }
}

/// The indexes of `reports` by (device, sequence).
fn device_order(reports: &[SignedReport]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..reports.len()).collect();
    order.sort_by_key(|index| {
        (
            reports[*index].report.device,
            reports[*index].report.sequence,
        )
    });
    order
}

/// One report's insert inside a SQLite transaction.
fn sqlite_insert(
    transaction: &rusqlite::Transaction,
    signed: &SignedReport,
    received_at: i64,
) -> Result<Inserted, StoreError> {
    let report = &signed.report;
    // Raise the device's last sequence only if this one is above it.
    let raised: Option<i64> = transaction
        .query_row(
            "INSERT INTO device_sequences (device, sequence) VALUES (?1, ?2)
             ON CONFLICT (device) DO UPDATE SET sequence = excluded.sequence
             WHERE device_sequences.sequence < excluded.sequence
             RETURNING sequence",
            params![&report.device[..], to_sql(report.sequence)],
            |row| row.get(0),
        )
        .optional()
        .map_err(database)?;
    if raised.is_none() {
        let last: i64 = transaction
            .query_row(
                "SELECT sequence FROM device_sequences WHERE device = ?1",
                params![&report.device[..]],
                |row| row.get(0),
            )
            .map_err(database)?;
        return Ok(Inserted::Replay { last: last as u64 });
    }
    transaction
        .execute(
            "INSERT INTO reports (device, sequence, epoch, bytes, received_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                &report.device[..],
                to_sql(report.sequence),
                to_sql(report.epoch),
                &signed.encode()[..],
                received_at
            ],
        )
        .map_err(database)?;
    Ok(Inserted::Stored)
}

impl ReportStore for SqliteStore {
    fn insert_many(
        &self,
        reports: &[SignedReport],
        received_at: i64,
    ) -> Result<Vec<Inserted>, StoreError> {
        let mut connection = self.connection.lock().expect("store lock");
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(database)?;
        let mut results = vec![Inserted::Stored; reports.len()];
        for index in device_order(reports) {
            let signed = &reports[index];
            results[index] = sqlite_insert(&transaction, signed, received_at)?;
        }
        transaction.commit().map_err(database)?;
        Ok(results)
    }

    fn epoch_reports(&self, epoch: u64) -> Result<Vec<SignedReport>, StoreError> {
        let connection = self.connection.lock().expect("store lock");
        let mut statement = connection
            .prepare("SELECT bytes FROM reports WHERE epoch = ?1 ORDER BY device, sequence")
            .map_err(database)?;
        let rows = statement
            .query_map(params![to_sql(epoch)], |row| row.get::<_, Vec<u8>>(0))
            .map_err(database)?;
        let mut reports = Vec::new();
        for bytes in rows {
            let bytes = bytes.map_err(database)?;
            if bytes.len() != REPORT_LEN {
                return Err(StoreError::Damaged(format!("{} bytes", bytes.len())));
            }
            reports.push(
                SignedReport::decode(&bytes)
                    .map_err(|error| StoreError::Damaged(error.to_string()))?,
            );
        }
        Ok(reports)
    }

    fn count(&self, epoch: u64) -> Result<u64, StoreError> {
        let connection = self.connection.lock().expect("store lock");
        connection
            .query_row(
                "SELECT count(*) FROM reports WHERE epoch = ?1",
                params![to_sql(epoch)],
                |row| row.get::<_, i64>(0),
            )
            .map(|count| count as u64)
            .map_err(database)
    }
}

/// Schema migrations of the PostgreSQL store.
const POSTGRES_MIGRATIONS: &[(i32, &str)] =
    &[(1, include_str!("../migrations/postgres/0001_reports.sql"))];

/// PostgreSQL: several ingest processes of one oracle share it. Commits
/// are durable (`synchronous_commit` as the server sets it, on by
/// default); concurrent inserts for one device serialize on its
/// `device_sequences` row. A lost connection (the server restarted) fails
/// the call that met it — nothing of it was acknowledged — and the next
/// call connects again.
pub struct PostgresStore {
    url: String,
    client: Mutex<Option<postgres::Client>>,
}

fn pg(error: postgres::Error) -> StoreError {
    StoreError::Database(error.to_string())
}

/// A throwaway database on a PostgreSQL server, created afresh and
/// dropped (its connections closed) when this goes out of scope: for
/// tests and benchmarks that need a store of their own.
pub struct ScratchDatabase {
    server: String,
    name: String,
}

impl ScratchDatabase {
    /// `server`: a libpq connection string whose user may create
    /// databases; `name` must be a plain identifier.
    pub fn create(server: &str, name: &str) -> Result<Self, StoreError> {
        let mut admin = postgres::Client::connect(server, postgres::NoTls).map_err(pg)?;
        // One statement per call: neither runs inside a transaction block.
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .map_err(pg)?;
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .map_err(pg)?;
        Ok(Self {
            server: server.to_string(),
            name: name.to_string(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The libpq connection string of this database.
    pub fn connection_string(&self) -> String {
        format!("{} dbname={}", self.server, self.name)
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&self.server, postgres::NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

impl PostgresStore {
    /// `url`: a libpq connection string or URL
    /// (`host=127.0.0.1 port=5432 user=depin dbname=oracle`).
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        let opened = |error: postgres::Error| StoreError::Open {
            path: redact(url),
            reason: error.to_string(),
        };
        let client = postgres::Client::connect(url, postgres::NoTls).map_err(opened)?;
        let store = Self {
            url: url.to_string(),
            client: Mutex::new(Some(client)),
        };
        store.migrate().map_err(|error| StoreError::Open {
            path: redact(url),
            reason: error.to_string(),
        })?;
        Ok(store)
    }

    /// Runs `work` on the connection, connecting first if it was lost.
    fn with_client<T>(
        &self,
        work: impl FnOnce(&mut postgres::Client) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut slot = self
            .client
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if slot.as_ref().is_none_or(|client| client.is_closed()) {
            *slot = None;
            let client =
                postgres::Client::connect(&self.url, postgres::NoTls).map_err(|error| {
                    StoreError::Database(format!("cannot reach {}: {error}", redact(&self.url)))
                })?;
            *slot = Some(client);
        }
        let client = slot.as_mut().expect("connected above");
        let result = work(client);
        if result.is_err() && client.is_closed() {
            *slot = None;
        }
        result
    }

    fn migrate(&self) -> Result<(), StoreError> {
        self.with_client(|client| {
        let mut transaction = client.transaction().map_err(pg)?;
        // One migrating process at a time.
        transaction
            .execute("SELECT pg_advisory_xact_lock(7400143)", &[])
            .map_err(pg)?;
        transaction
            .batch_execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
            )
            .map_err(pg)?;
        let applied: i32 = transaction
            .query_one(
                "SELECT coalesce(max(version), 0) FROM schema_migrations",
                &[],
            )
            .map_err(pg)?
            .get(0);
        let newest = POSTGRES_MIGRATIONS
            .last()
            .map_or(0, |(version, _)| *version);
        if applied > newest {
            return Err(StoreError::Database(format!(
                "the database is at schema version {applied}, newer than this node's {newest}"
            )));
        }
        for (version, sql) in POSTGRES_MIGRATIONS
            .iter()
            .filter(|(version, _)| *version > applied)
        {
            transaction.batch_execute(sql).map_err(pg)?;
            transaction
                .execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, extract(epoch from now())::bigint)",
                    &[version],
                )
                .map_err(pg)?;
        }
        transaction.commit().map_err(pg)
        })
    }
}

/// A connection string without its password, for messages.
fn redact(url: &str) -> String {
    url.split_whitespace()
        .map(|part| {
            if part.starts_with("password=") {
                "password=…"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One report's insert inside a PostgreSQL transaction.
fn postgres_insert(
    transaction: &mut postgres::Transaction,
    signed: &SignedReport,
    received_at: i64,
) -> Result<Inserted, StoreError> {
    let report = &signed.report;
    let device = &report.device[..];
    let sequence = to_sql(report.sequence);
    let raised = transaction
        .query_opt(
            "INSERT INTO device_sequences (device, sequence) VALUES ($1, $2)
             ON CONFLICT (device) DO UPDATE SET sequence = excluded.sequence
             WHERE device_sequences.sequence < excluded.sequence
             RETURNING sequence",
            &[&device, &sequence],
        )
        .map_err(pg)?;
    if raised.is_none() {
        let last: i64 = transaction
            .query_one(
                "SELECT sequence FROM device_sequences WHERE device = $1",
                &[&device],
            )
            .map_err(pg)?
            .get(0);
        return Ok(Inserted::Replay { last: last as u64 });
    }
    transaction
        .execute(
            "INSERT INTO reports (device, sequence, epoch, bytes, received_at) VALUES ($1, $2, $3, $4, $5)",
            &[
                &device,
                &sequence,
                &to_sql(report.epoch),
                &&signed.encode()[..],
                &received_at,
            ],
        )
        .map_err(pg)?;
    Ok(Inserted::Stored)
}

impl ReportStore for PostgresStore {
    fn insert_many(
        &self,
        reports: &[SignedReport],
        received_at: i64,
    ) -> Result<Vec<Inserted>, StoreError> {
        self.with_client(|client| {
            let mut transaction = client.transaction().map_err(pg)?;
            let mut results = vec![Inserted::Stored; reports.len()];
            for index in device_order(reports) {
                let signed = &reports[index];
                results[index] = postgres_insert(&mut transaction, signed, received_at)?;
            }
            transaction.commit().map_err(pg)?;
            Ok(results)
        })
    }

    fn epoch_reports(&self, epoch: u64) -> Result<Vec<SignedReport>, StoreError> {
        let rows = self.with_client(|client| {
            client
                .query(
                    "SELECT bytes FROM reports WHERE epoch = $1 ORDER BY device, sequence",
                    &[&to_sql(epoch)],
                )
                .map_err(pg)
        })?;
        rows.iter()
            .map(|row| {
                let bytes: &[u8] = row.get(0);
                SignedReport::decode(bytes).map_err(|error| StoreError::Damaged(error.to_string()))
            })
            .collect()
    }

    fn count(&self, epoch: u64) -> Result<u64, StoreError> {
        let count: i64 = self.with_client(|client| {
            Ok(client
                .query_one(
                    "SELECT count(*) FROM reports WHERE epoch = $1",
                    &[&to_sql(epoch)],
                )
                .map_err(pg)?
                .get(0))
        })?;
        Ok(count as u64)
    }
}
