//! The embedded runtime's state on disk: one SQLite database holding every
//! account keyed by address, plus one row for the clock, the blockhash and
//! the faucet key.
//!
//! Why SQLite: a command reads the few accounts it needs instead of the
//! whole network, and writes only what its transactions changed, in one
//! ACID transaction (rollback journal, `synchronous=FULL`), so a kill at
//! any moment leaves the previous or the next state, never a mix. Its
//! crash safety is the most tested of any embedded store, the file opens in
//! the `sqlite3` shell for anyone who wants to look, and a secondary index
//! (owner, discriminator) answers `getProgramAccounts` for one account
//! type without reading the others.
//!
//! Damage is detected, not believed: every account row carries a checksum
//! of its contents, checked on every read; the network row has its own;
//! and the file must carry this suite's application id and format version.

use {
    anchor_lang::prelude::Pubkey,
    rusqlite::{params, Connection, OpenFlags, OptionalExtension},
    serde::{Deserialize, Serialize},
    sha2::{Digest, Sha256},
    solana_account::Account,
    solana_clock::Clock,
    std::path::{Path, PathBuf},
};

/// `PRAGMA application_id` of a depin state ("DPIN").
const APPLICATION_ID: i32 = 0x4450_494E;
/// `PRAGMA user_version`: the format. 1 and 2 were single files
/// (`DEPINSV1`, `DEPINSV2`); 3 is this database.
pub const FORMAT_VERSION: i32 = 3;
/// The first bytes of every SQLite database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";
/// Bytes of an account checksum (truncated SHA-256: damage, not forgery).
const CHECKSUM_LEN: usize = 16;

const SCHEMA: &str = "
CREATE TABLE network (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    body BLOB NOT NULL,
    checksum BLOB NOT NULL
);
CREATE TABLE accounts (
    address BLOB PRIMARY KEY,
    owner BLOB NOT NULL,
    kind BLOB NOT NULL,
    lamports INTEGER NOT NULL,
    executable INTEGER NOT NULL,
    rent_epoch INTEGER NOT NULL,
    data BLOB NOT NULL,
    checksum BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX accounts_by_kind ON accounts (owner, kind);
";

/// Why a saved embedded state could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StateFileError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a depin embedded state file ({reason})")]
    Corrupt { path: String, reason: String },
}

/// What the network row holds besides the accounts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreMeta {
    /// The programs' upgrade authority (its secret key is never saved).
    pub upgrade_authority: [u8; 32],
    pub slot: u64,
    pub epoch_start_timestamp: i64,
    pub epoch: u64,
    pub leader_schedule_epoch: u64,
    pub unix_timestamp: i64,
    /// The latest blockhash: the next run moves on from it, so the same
    /// intent sent in two runs gets two signatures.
    pub blockhash: [u8; 32],
    /// The runtime's faucet key (its account is one of the saved ones).
    pub faucet: Vec<u8>,
    /// The network's address lookup table, once created.
    pub lookup_table: Option<[u8; 32]>,
}

impl StoreMeta {
    pub fn clock(&self) -> Clock {
        Clock {
            slot: self.slot,
            epoch_start_timestamp: self.epoch_start_timestamp,
            epoch: self.epoch,
            leader_schedule_epoch: self.leader_schedule_epoch,
            unix_timestamp: self.unix_timestamp,
        }
    }

    pub fn set_clock(&mut self, clock: &Clock) {
        self.slot = clock.slot;
        self.epoch_start_timestamp = clock.epoch_start_timestamp;
        self.epoch = clock.epoch;
        self.leader_schedule_epoch = clock.leader_schedule_epoch;
        self.unix_timestamp = clock.unix_timestamp;
    }
}

/// One change a commit makes: the account's new contents, or `None` when it
/// was closed.
pub type AccountChange = (Pubkey, Option<Account>);

/// An open state database.
pub struct AccountStore {
    connection: Connection,
    path: PathBuf,
}

impl AccountStore {
    /// Creates a new state at `path` with `meta` and `accounts`, written
    /// under a temporary name and renamed into place once complete and on
    /// disk, so a crash leaves either no state or a whole one (and an
    /// existing state at `path` is replaced whole or not at all).
    pub fn create(
        path: &Path,
        meta: &StoreMeta,
        accounts: impl IntoIterator<Item = (Pubkey, Account)>,
    ) -> Result<(), StateFileError> {
        let temporary = temporary_path(path);
        let write = |source: std::io::Error| StateFileError::Write {
            path: path.display().to_string(),
            source,
        };
        match std::fs::remove_file(&temporary) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(write(error)),
        }
        {
            let mut connection = Connection::open(&temporary).map_err(|error| write(io(error)))?;
            configure(&connection).map_err(|error| write(io(error)))?;
            connection
                .execute_batch(&format!(
                    "PRAGMA application_id = {APPLICATION_ID};
                     PRAGMA user_version = {FORMAT_VERSION};
                     {SCHEMA}"
                ))
                .map_err(|error| write(io(error)))?;
            let transaction = connection.transaction().map_err(|error| write(io(error)))?;
            write_meta(&transaction, meta).map_err(|error| write(io(error)))?;
            {
                let mut insert = transaction
                    .prepare(INSERT_ACCOUNT)
                    .map_err(|error| write(io(error)))?;
                for (address, account) in accounts {
                    insert_account(&mut insert, &address, &account)
                        .map_err(|error| write(io(error)))?;
                }
            }
            transaction.commit().map_err(|error| write(io(error)))?;
            connection.close().map_err(|(_, error)| write(io(error)))?;
        }
        std::fs::File::open(&temporary)
            .and_then(|file| file.sync_all())
            .map_err(write)?;
        std::fs::rename(&temporary, path).map_err(write)?;
        sync_directory(path).map_err(write)
    }

    /// Opens the state at `path`, refusing anything that is not a depin
    /// state of this format.
    pub fn open(path: &Path) -> Result<Self, StateFileError> {
        let display = path.display().to_string();
        let corrupt = |reason: String| StateFileError::Corrupt {
            path: display.clone(),
            reason,
        };
        let mut header = [0u8; 16];
        {
            use std::io::Read;
            let mut file = std::fs::File::open(path).map_err(|source| StateFileError::Read {
                path: display.clone(),
                source,
            })?;
            let read = file
                .read(&mut header)
                .map_err(|source| StateFileError::Read {
                    path: display.clone(),
                    source,
                })?;
            if read < header.len() || &header != SQLITE_HEADER {
                return Err(corrupt("wrong header".into()));
            }
        }
        let connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|error| StateFileError::Read {
            path: display.clone(),
            source: io(error),
        })?;
        configure(&connection).map_err(|error| corrupt(error.to_string()))?;
        let (application_id, version): (i32, i32) = connection
            .query_row(
                "SELECT application_id, user_version FROM pragma_application_id, pragma_user_version",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(|error| corrupt(error.to_string()))?;
        if application_id != APPLICATION_ID {
            return Err(corrupt("a SQLite database, but not a depin state".into()));
        }
        if version != FORMAT_VERSION {
            return Err(corrupt(format!(
                "format {version}; this depin reads format {FORMAT_VERSION}"
            )));
        }
        Ok(Self {
            connection,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn corrupt(&self, reason: String) -> StateFileError {
        StateFileError::Corrupt {
            path: self.path.display().to_string(),
            reason,
        }
    }

    fn read_error(&self, error: rusqlite::Error) -> StateFileError {
        match error {
            rusqlite::Error::SqliteFailure(failure, _)
                if failure.code == rusqlite::ErrorCode::DatabaseCorrupt
                    || failure.code == rusqlite::ErrorCode::NotADatabase =>
            {
                self.corrupt(format!("the database is damaged: {error}"))
            }
            other => StateFileError::Read {
                path: self.path.display().to_string(),
                source: io(other),
            },
        }
    }

    /// The network row: clock, blockhash, faucet, upgrade authority.
    pub fn meta(&self) -> Result<StoreMeta, StateFileError> {
        let (body, checksum): (Vec<u8>, Vec<u8>) = self
            .connection
            .query_row(
                "SELECT body, checksum FROM network WHERE id = 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(|error| self.read_error(error))?
            .ok_or_else(|| self.corrupt("it has no network row".into()))?;
        if Sha256::digest(&body).as_slice() != checksum.as_slice() {
            return Err(self.corrupt(
                "the network row's checksum does not match: the file was damaged or edited".into(),
            ));
        }
        bincode::deserialize(&body).map_err(|error| self.corrupt(error.to_string()))
    }

    /// The account at `address`, its checksum verified.
    pub fn get(&self, address: &Pubkey) -> Result<Option<Account>, StateFileError> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT owner, lamports, executable, rent_epoch, data, checksum
                 FROM accounts WHERE address = ?1",
            )
            .map_err(|error| self.read_error(error))?;
        let row = statement
            .query_row([address.as_ref()], |row| StoredRow::read_at(row, 0))
            .optional()
            .map_err(|error| self.read_error(error))?;
        row.map(|row| self.account_from_row(address, row))
            .transpose()
    }

    /// Every account `owner` owns, optionally only those whose data starts
    /// with `kind` (an 8-byte discriminator, answered from the index), in
    /// address order, checksums verified.
    pub fn program_accounts(
        &self,
        owner: &Pubkey,
        kind: Option<&[u8]>,
    ) -> Result<Vec<(Pubkey, Account)>, StateFileError> {
        let sql = match kind {
            Some(_) => {
                "SELECT address, owner, lamports, executable, rent_epoch, data, checksum
                 FROM accounts WHERE owner = ?1 AND kind = ?2 ORDER BY address"
            }
            None => {
                "SELECT address, owner, lamports, executable, rent_epoch, data, checksum
                 FROM accounts WHERE owner = ?1 ORDER BY address"
            }
        };
        let mut statement = self
            .connection
            .prepare_cached(sql)
            .map_err(|error| self.read_error(error))?;
        let rows = match kind {
            Some(kind) => statement.query(params![owner.as_ref(), kind]),
            None => statement.query(params![owner.as_ref()]),
        }
        .map_err(|error| self.read_error(error))?;
        self.accounts_of(rows)
    }

    /// The accounts of rows `address, owner, lamports, executable,
    /// rent_epoch, data, checksum`, checksums verified.
    fn accounts_of(
        &self,
        mut rows: rusqlite::Rows,
    ) -> Result<Vec<(Pubkey, Account)>, StateFileError> {
        let mut found = Vec::new();
        while let Some(row) = rows.next().map_err(|error| self.read_error(error))? {
            let address: Vec<u8> = row.get(0).map_err(|error| self.read_error(error))?;
            let address = Pubkey::try_from(address.as_slice())
                .map_err(|_| self.corrupt("an account address is not 32 bytes".into()))?;
            let stored = StoredRow::read_at(row, 1).map_err(|error| self.read_error(error))?;
            found.push((address, self.account_from_row(&address, stored)?));
        }
        Ok(found)
    }

    /// The distinct owners of the state's accounts.
    pub fn owners(&self) -> Result<Vec<Pubkey>, StateFileError> {
        let mut statement = self
            .connection
            .prepare("SELECT DISTINCT owner FROM accounts")
            .map_err(|error| self.read_error(error))?;
        let rows = statement
            .query_map([], |row| row.get::<_, Vec<u8>>(0))
            .map_err(|error| self.read_error(error))?;
        let mut owners = Vec::new();
        for row in rows {
            let owner = row.map_err(|error| self.read_error(error))?;
            owners.push(
                Pubkey::try_from(owner.as_slice())
                    .map_err(|_| self.corrupt("an owner is not 32 bytes".into()))?,
            );
        }
        Ok(owners)
    }

    /// How many accounts the state holds.
    pub fn account_count(&self) -> Result<u64, StateFileError> {
        self.connection
            .query_row("SELECT COUNT(*) FROM accounts", [], |row| {
                row.get::<_, i64>(0)
            })
            .map(|count| count as u64)
            .map_err(|error| self.read_error(error))
    }

    /// Writes `meta` and `changes` in one transaction: after a crash the
    /// state holds all of them or none. Returns once they are on disk.
    pub fn commit(
        &self,
        meta: &StoreMeta,
        changes: impl IntoIterator<Item = AccountChange>,
    ) -> Result<(), StateFileError> {
        let write = |error: rusqlite::Error| StateFileError::Write {
            path: self.path.display().to_string(),
            source: io(error),
        };
        let transaction = self.connection.unchecked_transaction().map_err(write)?;
        write_meta(&transaction, meta).map_err(write)?;
        {
            let mut insert = transaction.prepare_cached(INSERT_ACCOUNT).map_err(write)?;
            let mut delete = transaction
                .prepare_cached("DELETE FROM accounts WHERE address = ?1")
                .map_err(write)?;
            for (address, account) in changes {
                match account {
                    Some(account) => insert_account(&mut insert, &address, &account),
                    None => delete.execute([address.as_ref()]).map(|_| ()),
                }
                .map_err(write)?;
            }
        }
        transaction.commit().map_err(write)
    }

    /// Reads every account and checks its checksum, and asks SQLite to check
    /// the whole file: what `depin network verify-state` runs.
    pub fn verify(&self) -> Result<u64, StateFileError> {
        let result: String = self
            .connection
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .map_err(|error| self.read_error(error))?;
        if result != "ok" {
            return Err(self.corrupt(format!("SQLite's integrity check: {result}")));
        }
        self.meta()?;
        let mut statement = self
            .connection
            .prepare(
                "SELECT address, owner, lamports, executable, rent_epoch, data, checksum
                 FROM accounts",
            )
            .map_err(|error| self.read_error(error))?;
        let rows = statement
            .query([])
            .map_err(|error| self.read_error(error))?;
        Ok(self.accounts_of(rows)?.len() as u64)
    }

    fn account_from_row(
        &self,
        address: &Pubkey,
        stored: StoredRow,
    ) -> Result<Account, StateFileError> {
        let StoredRow {
            owner,
            lamports,
            executable,
            rent_epoch,
            data,
            checksum,
        } = stored;
        let owner = Pubkey::try_from(owner.as_slice()).map_err(|_| {
            self.corrupt(format!("account {address} has an owner of the wrong size"))
        })?;
        let account = Account {
            lamports: lamports as u64,
            data,
            owner,
            executable,
            rent_epoch: rent_epoch as u64,
        };
        if account_checksum(address, &account).as_slice() != checksum.as_slice() {
            return Err(self.corrupt(format!(
                "account {address}'s checksum does not match: the file was damaged or edited"
            )));
        }
        Ok(account)
    }
}

/// An account row as stored, from its `owner` column on.
struct StoredRow {
    owner: Vec<u8>,
    lamports: i64,
    executable: bool,
    rent_epoch: i64,
    data: Vec<u8>,
    checksum: Vec<u8>,
}

impl StoredRow {
    /// Columns `owner, lamports, executable, rent_epoch, data, checksum`
    /// from `first` on.
    fn read_at(row: &rusqlite::Row, first: usize) -> rusqlite::Result<Self> {
        Ok(Self {
            owner: row.get(first)?,
            lamports: row.get(first + 1)?,
            executable: row.get(first + 2)?,
            rent_epoch: row.get(first + 3)?,
            data: row.get(first + 4)?,
            checksum: row.get(first + 5)?,
        })
    }
}

const INSERT_ACCOUNT: &str = "INSERT OR REPLACE INTO accounts
    (address, owner, kind, lamports, executable, rent_epoch, data, checksum)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

fn insert_account(
    insert: &mut rusqlite::Statement,
    address: &Pubkey,
    account: &Account,
) -> rusqlite::Result<()> {
    let kind = &account.data[..account.data.len().min(8)];
    insert.execute(params![
        address.as_ref(),
        account.owner.as_ref(),
        kind,
        account.lamports as i64,
        account.executable,
        account.rent_epoch as i64,
        account.data,
        account_checksum(address, account).as_slice(),
    ])?;
    Ok(())
}

fn write_meta(connection: &Connection, meta: &StoreMeta) -> rusqlite::Result<()> {
    let body = bincode::serialize(meta).expect("the network row serializes");
    connection.execute(
        "INSERT OR REPLACE INTO network (id, body, checksum) VALUES (1, ?1, ?2)",
        params![body, Sha256::digest(&body).as_slice()],
    )?;
    Ok(())
}

fn account_checksum(address: &Pubkey, account: &Account) -> [u8; CHECKSUM_LEN] {
    let mut hasher = Sha256::new();
    hasher.update(address.as_ref());
    hasher.update(account.owner.as_ref());
    hasher.update(account.lamports.to_le_bytes());
    hasher.update([u8::from(account.executable)]);
    hasher.update(account.rent_epoch.to_le_bytes());
    hasher.update(&account.data);
    let digest = hasher.finalize();
    let mut checksum = [0u8; CHECKSUM_LEN];
    checksum.copy_from_slice(&digest[..CHECKSUM_LEN]);
    checksum
}

/// Rollback journal, synced in full: a commit is on disk when it returns,
/// and the state is one file between commands.
fn configure(connection: &Connection) -> rusqlite::Result<()> {
    connection.execute_batch(
        "PRAGMA journal_mode = DELETE;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = OFF;",
    )?;
    connection.busy_timeout(std::time::Duration::from_secs(5))
}

fn io(error: rusqlite::Error) -> std::io::Error {
    std::io::Error::other(error.to_string())
}

/// Where [`AccountStore::create`] builds a state before renaming it.
pub fn temporary_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

/// Makes a rename in `path`'s directory durable.
fn sync_directory(path: &Path) -> std::io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::File::open(directory)?.sync_all()
}
