//! The oracle node: the ingest API, and a loop that reads the chain,
//! keeps the device directory fresh, and takes each ended epoch in order —
//! closing it as its leader or checking the leader's batch as a follower —
//! and votes.
//!
//! **Crash safety.** Before it votes, the node writes the proof data it
//! will vote for (content-addressed, `proof-data/<sha256>.bin`) and then
//! the epoch's record naming it (`epochs/<epoch>.json`), each synced and
//! renamed into place. A restarted node votes only what its record names,
//! and only if the chain shows no vote of its own for the epoch: killed
//! anywhere, even between the vote and the record of it, it finishes the
//! same close once, with the same root.

use {
    crate::{
        claims::{ChainFactory, ClaimsService},
        consensus::{decide, leader, CloseSchedule, Decision, FollowerView},
        ingest::{DeviceDirectory, DeviceState, EpochClock, Ingest, IngestRules},
        proof_data::{close_epoch, Evidence},
        server::{router, AppState, Clock, RateLimiter},
        store::ReportStore,
    },
    depin_client::{backend::BackendExt, Client},
    depin_reports::rule::{DeviceInput, EpochWindow, RuleParams},
    depin_sdk::{
        accounts::{BatchStatus, Device, DeviceStatus, EpochRewards, OracleConfig},
        batch::BatchFile,
        pda, Keypair, Pubkey, Signer,
    },
    serde::{Deserialize, Serialize},
    sha2::{Digest, Sha256},
    std::{
        collections::HashMap,
        io::{Read, Write},
        net::SocketAddr,
        path::{Path, PathBuf},
        sync::{
            atomic::{AtomicBool, AtomicI64, Ordering},
            Arc, RwLock,
        },
        time::{Duration, Instant},
    },
};

/// The largest proof data a node downloads: a batch file of 4 GiB holds
/// the reports of a million devices reporting 24 times a day.
pub const MAX_PROOF_DATA_BYTES: u64 = 4 << 30;

/// How a node behaves, from `oracle.toml` (or a test).
#[derive(Clone, Debug)]
pub struct NodeSettings {
    pub rule: RuleParams,
    pub schedule: CloseSchedule,
    pub clock_skew: i64,
    pub max_reports_per_device_per_epoch: u32,
    pub missing_report_tolerance: usize,
    pub data_dir: PathBuf,
    pub listen: SocketAddr,
    /// How others reach this node; `None`: `http://` and the bound address.
    pub public_url: Option<String>,
    pub tick: Duration,
    pub directory_refresh: Duration,
    /// The proof API's allowance per client: a burst, refilled per second.
    pub api_requests_per_second: u32,
    pub api_burst: u32,
    /// No log lines (the demo prints its own report).
    pub quiet: bool,
}

impl NodeSettings {
    pub fn from_config(config: &crate::config::NodeConfig) -> Self {
        Self {
            rule: config.rule.clone(),
            schedule: CloseSchedule {
                grace: config.close.grace_seconds,
                deadline: config.close.leader_deadline_seconds,
            },
            clock_skew: config.ingest.clock_skew_seconds,
            max_reports_per_device_per_epoch: config.ingest.max_reports_per_device_per_epoch,
            missing_report_tolerance: config.close.missing_report_tolerance,
            data_dir: config.data_dir.clone(),
            listen: config
                .listen
                .parse()
                .expect("checked when the file was read"),
            public_url: Some(config.public_url.trim_end_matches('/').to_string()),
            tick: Duration::from_millis(config.close.tick_ms),
            directory_refresh: Duration::from_secs(config.ingest.directory_refresh_seconds),
            api_requests_per_second: config.api.requests_per_second,
            api_burst: config.api.burst,
            quiet: false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    #[error("{0}")]
    Chain(#[from] depin_sdk::SdkError),
    #[error("the data directory {path}: {reason}")]
    DataDir { path: String, reason: String },
    #[error("{0}")]
    Start(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    ProofData(#[from] crate::proof_data::ProofDataError),
}

/// The devices the ingest accepts reports from, as last read from chain.
#[derive(Default)]
pub struct LiveDirectory(RwLock<HashMap<[u8; 32], DeviceState>>);

impl LiveDirectory {
    fn replace(&self, devices: &[DeviceInput]) {
        let map = devices
            .iter()
            .map(|device| {
                (
                    device.device,
                    DeviceState {
                        active: device.active,
                    },
                )
            })
            .collect();
        *self.0.write().expect("directory lock") = map;
    }
}

impl DeviceDirectory for LiveDirectory {
    fn device(&self, key: &[u8; 32]) -> Option<DeviceState> {
        self.0.read().expect("directory lock").get(key).copied()
    }
}

/// Every registered device as the rule takes it.
pub fn read_devices(client: &Client) -> Result<Vec<DeviceInput>, NodeError> {
    let mut devices: Vec<DeviceInput> = client
        .program_accounts_of::<Device>(&depin_sdk::device_registry::ID, vec![])?
        .into_iter()
        .map(|(_, device)| DeviceInput {
            device: device.device_key.to_bytes(),
            serial: device.serial,
            class: u16::from(device.class_id),
            active: device.status == DeviceStatus::Active,
            recipient: device.rewards_recipient.to_bytes(),
        })
        .collect();
    devices.sort_by_key(|device| device.device);
    Ok(devices)
}

/// What the node did with one epoch: kept in `epochs/<epoch>.json`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EpochRecord {
    pub epoch: u64,
    /// `leader` (this node closed the epoch) or `follower`.
    pub role: String,
    /// SHA-256 (hex) of the proof data this node votes for; once set,
    /// the only batch it ever votes for in this epoch.
    pub proof_data: Option<String>,
    /// The commitment's root (hex).
    pub root: Option<String>,
    pub total: Option<u64>,
    pub voted: bool,
    /// Leaders' batches this node refused, with every reason.
    pub refused: Vec<RefusedBatch>,
    /// The batch's status on chain when the node last looked.
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefusedBatch {
    pub oracle: String,
    pub proof_data: String,
    /// The vote's root (hex): one file may be voted with another root.
    pub root: String,
    pub reasons: Vec<String>,
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The node's files: proof data by hash, a record per epoch, and the
/// identity the directory belongs to.
pub struct DataDir {
    root: PathBuf,
}

#[derive(Serialize, Deserialize, PartialEq, Eq, Debug)]
#[serde(rename_all = "camelCase")]
struct Identity {
    oracle: String,
    network: String,
    /// The epoch open when the node first started: it closes from here.
    first_epoch: u64,
}

fn io_error(path: &Path, error: std::io::Error) -> NodeError {
    NodeError::DataDir {
        path: path.display().to_string(),
        reason: error.to_string(),
    }
}

/// Writes `bytes` to `path` atomically and durably: a temporary file,
/// synced, renamed over `path`, the directory synced.
fn write_durably(path: &Path, bytes: &[u8]) -> Result<(), NodeError> {
    let temporary = path.with_extension("partial");
    let mut file =
        std::fs::File::create(&temporary).map_err(|error| io_error(&temporary, error))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|error| io_error(&temporary, error))?;
    std::fs::rename(&temporary, path).map_err(|error| io_error(path, error))?;
    let directory = path.parent().unwrap_or(Path::new("."));
    std::fs::File::open(directory)
        .and_then(|directory| directory.sync_all())
        .map_err(|error| io_error(directory, error))
}

impl DataDir {
    /// Opens (or creates) the directory for `oracle` on `network`; a
    /// directory of another oracle or network is refused.
    fn open(
        root: &Path,
        oracle: &Pubkey,
        network: &[u8; 32],
        current_epoch: u64,
    ) -> Result<(Self, u64), NodeError> {
        for sub in ["proof-data", "epochs"] {
            let path = root.join(sub);
            std::fs::create_dir_all(&path).map_err(|error| io_error(&path, error))?;
        }
        let path = root.join("node.json");
        let wanted = Identity {
            oracle: oracle.to_string(),
            network: hex(network),
            first_epoch: current_epoch,
        };
        let identity = match std::fs::read(&path) {
            Ok(bytes) => {
                let found: Identity =
                    serde_json::from_slice(&bytes).map_err(|error| NodeError::DataDir {
                        path: path.display().to_string(),
                        reason: format!("damaged: {error}"),
                    })?;
                if found.oracle != wanted.oracle || found.network != wanted.network {
                    return Err(NodeError::DataDir {
                        path: root.display().to_string(),
                        reason: format!(
                            "it belongs to oracle {} on network {}, not oracle {} on network {}",
                            found.oracle, found.network, wanted.oracle, wanted.network
                        ),
                    });
                }
                found
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                write_durably(&path, &serde_json::to_vec_pretty(&wanted).expect("json"))?;
                wanted
            }
            Err(error) => return Err(io_error(&path, error)),
        };
        Ok((
            Self {
                root: root.to_path_buf(),
            },
            identity.first_epoch,
        ))
    }

    pub fn at(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
        }
    }

    fn proof_data_path(&self, hash: &str) -> PathBuf {
        self.root.join("proof-data").join(format!("{hash}.bin"))
    }

    /// Keeps a batch file under its SHA-256; returns the hash (hex).
    fn keep_proof_data(&self, bytes: &[u8]) -> Result<String, NodeError> {
        let hash = hex(&Sha256::digest(bytes));
        let path = self.proof_data_path(&hash);
        if !path.exists() {
            write_durably(&path, bytes)?;
        }
        Ok(hash)
    }

    /// The proof data with this hash, checked against it.
    pub fn proof_data(&self, hash: &str) -> Option<Vec<u8>> {
        let bytes = std::fs::read(self.proof_data_path(hash)).ok()?;
        (hex(&Sha256::digest(&bytes)) == hash).then_some(bytes)
    }

    fn record_path(&self, epoch: u64) -> PathBuf {
        self.root.join("epochs").join(format!("{epoch}.json"))
    }

    pub fn record(&self, epoch: u64) -> Result<Option<EpochRecord>, NodeError> {
        let path = self.record_path(epoch);
        match std::fs::read(&path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes)
                    .map(Some)
                    .map_err(|error| NodeError::DataDir {
                        path: path.display().to_string(),
                        reason: format!("damaged: {error}"),
                    })
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(io_error(&path, error)),
        }
    }

    fn save_record(&self, record: &EpochRecord) -> Result<(), NodeError> {
        write_durably(
            &self.record_path(record.epoch),
            &serde_json::to_vec_pretty(record).expect("json"),
        )
    }

    /// Every epoch record, newest epoch first (unreadable ones skipped).
    pub fn records_newest_first(&self) -> Vec<EpochRecord> {
        let mut epochs: Vec<u64> = std::fs::read_dir(self.root.join("epochs"))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| {
                entry
                    .file_name()
                    .to_str()?
                    .strip_suffix(".json")?
                    .parse()
                    .ok()
            })
            .collect();
        epochs.sort_unstable_by(|a, b| b.cmp(a));
        epochs
            .into_iter()
            .filter_map(|epoch| self.record(epoch).ok().flatten())
            .collect()
    }

    /// The epoch's proof data as this node committed to it.
    pub fn epoch_proof_data(&self, epoch: u64) -> Option<Vec<u8>> {
        let hash = self.record(epoch).ok()??.proof_data?;
        self.proof_data(&hash)
    }
}

/// Kills the process at a named point when `DEPIN_ORACLE_CRASH_AT` names
/// it: how the crash tests stop a node exactly there (SIGKILL, no
/// clean-up), as a power cut would.
fn crash_point(name: &str) {
    if std::env::var("DEPIN_ORACLE_CRASH_AT").as_deref() == Ok(name) {
        eprintln!("DEPIN_ORACLE_CRASH_AT={name}: killing the process");
        #[cfg(unix)]
        // SAFETY: sends a signal to this process; no memory is touched.
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
        std::process::abort();
    }
}

/// Why a download gave no file.
enum Download {
    /// Not reachable now (the leader may be restarting): try again.
    Unavailable(String),
    /// Not the file the vote names.
    Wrong(String),
}

/// A follower's verdict on a leader's vote.
enum Check {
    Take(BatchFile),
    /// Every reason to refuse it.
    Refuse(Vec<String>),
    /// Its proof data cannot be had now: look again next tick.
    Unavailable(String),
}

/// What one look at an epoch came to.
enum Progress {
    /// The epoch is settled on chain (or past its deadline): go on.
    Settled,
    /// Not yet: look again next tick.
    Waiting,
}

/// The loop's state; it owns the node's only chain client.
struct Closer {
    client: Client,
    settings: NodeSettings,
    store: Arc<dyn ReportStore>,
    directory: Arc<LiveDirectory>,
    data: DataDir,
    network: [u8; 32],
    public_url: String,
    next_epoch: u64,
    offset: Arc<AtomicI64>,
    refreshed: Option<(Instant, u64)>,
    http: reqwest::blocking::Client,
    /// The last "try again" note logged, so a wait is logged once.
    last_note: Option<String>,
}

fn wall_clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}

impl Closer {
    fn me(&self) -> Pubkey {
        self.client.address()
    }

    fn log(&self, message: impl std::fmt::Display) {
        if self.settings.quiet {
            return;
        }
        let me = self.me().to_string();
        let time = humantime::format_rfc3339_seconds(std::time::SystemTime::now());
        eprintln!("{time} oracle {}: {message}", &me[..8]);
    }

    fn tick(&mut self) -> Result<(), NodeError> {
        let now = self.client.now()?;
        self.offset.store(now - wall_clock(), Ordering::Relaxed);
        let config = self.client.oracle_config()?;
        let current = config.current_epoch(now).unwrap_or(0);
        let stale = match self.refreshed {
            None => true,
            Some((at, epoch)) => {
                epoch != current || at.elapsed() >= self.settings.directory_refresh
            }
        };
        if stale {
            self.directory.replace(&read_devices(&self.client)?);
            self.refreshed = Some((Instant::now(), current));
        }
        if !config.oracles.contains(&self.me()) {
            return Ok(());
        }
        while self.next_epoch < current {
            match self.take_epoch(self.next_epoch, &config, now)? {
                Progress::Settled => self.next_epoch += 1,
                Progress::Waiting => break,
            }
        }
        Ok(())
    }

    fn window(&self, config: &OracleConfig, epoch: u64) -> Result<EpochWindow, NodeError> {
        let end = config
            .epoch_end(epoch)
            .map_err(|error| NodeError::Start(format!("epoch {epoch}: {error}")))?;
        Ok(EpochWindow {
            epoch,
            start: end - config.epoch_length,
            end,
        })
    }

    fn record(&self, epoch: u64) -> Result<EpochRecord, NodeError> {
        Ok(self.data.record(epoch)?.unwrap_or(EpochRecord {
            epoch,
            status: "open".into(),
            ..EpochRecord::default()
        }))
    }

    fn take_epoch(
        &mut self,
        epoch: u64,
        config: &OracleConfig,
        now: i64,
    ) -> Result<Progress, NodeError> {
        let window = self.window(config, epoch)?;
        if now < window.end.saturating_add(self.settings.schedule.grace) {
            return Ok(Progress::Waiting);
        }
        let mut record = self.record(epoch)?;
        let on_chain = self.client.epoch_batch(epoch)?;
        if let Some(batch) = &on_chain {
            let status = match batch.status {
                BatchStatus::Pending => None,
                BatchStatus::Final => Some("final"),
                BatchStatus::Rejected => Some("rejected"),
                BatchStatus::Expired => Some("expired"),
            };
            if let Some(status) = status {
                if batch.status == BatchStatus::Final {
                    if let Progress::Waiting =
                        self.hold_final(&window, config, now, batch, &mut record)?
                    {
                        return Ok(Progress::Waiting);
                    }
                }
                if record.status != status {
                    record.voted |= batch.votes.iter().any(|vote| vote.oracle == self.me());
                    record.status = status.into();
                    self.data.save_record(&record)?;
                    self.log(format!("epoch {epoch}: the batch is {status} on chain"));
                }
                return Ok(Progress::Settled);
            }
        }
        let deadline = config
            .finality_deadline_of(epoch)
            .map_err(|error| NodeError::Start(error.to_string()))?;
        if now > deadline {
            if record.status != "missed" {
                record.status = "missed".into();
                self.data.save_record(&record)?;
                self.log(format!(
                    "epoch {epoch}: its finality deadline passed without a final batch"
                ));
            }
            return Ok(Progress::Settled);
        }
        // This oracle voted (perhaps just before a crash): wait for others.
        if let Some(vote) = on_chain
            .as_ref()
            .and_then(|batch| batch.votes.iter().find(|vote| vote.oracle == self.me()))
        {
            if !record.voted {
                record.voted = true;
                record.status = "voted".into();
                record
                    .root
                    .get_or_insert_with(|| hex(&vote.commitment.root));
                record
                    .proof_data
                    .get_or_insert_with(|| hex(&vote.commitment.proof_data_hash));
                self.data.save_record(&record)?;
                self.log(format!(
                    "epoch {epoch}: found this oracle's vote on chain; recorded it"
                ));
            }
            return Ok(Progress::Waiting);
        }
        let Some(pool) = self.pool(epoch)? else {
            return Ok(Progress::Waiting);
        };
        let Some(previous) = self.previous_batch(epoch, config, now)? else {
            return Ok(Progress::Waiting);
        };
        let previous = previous.as_ref();
        // Committed before a crash: vote exactly that.
        if let Some(hash) = record.proof_data.clone() {
            let bytes = self
                .data
                .proof_data(&hash)
                .ok_or_else(|| NodeError::DataDir {
                    path: self.data.proof_data_path(&hash).display().to_string(),
                    reason: "the epoch's record names proof data that is missing or damaged".into(),
                })?;
            let batch =
                BatchFile::from_bytes(&bytes).map_err(crate::proof_data::ProofDataError::from)?;
            self.vote(&mut record, &batch)?;
            return Ok(Progress::Waiting);
        }
        let oracles = &config.oracles;
        let leaders = leaders_so_far(epoch, oracles, window.end, now, self.settings.schedule);
        // The leaders' batches first, in their turns.
        let votes: Vec<_> = on_chain
            .iter()
            .flat_map(|batch| batch.votes.clone())
            .collect();
        for leader_key in &leaders {
            if *leader_key == self.me() {
                continue;
            }
            let Some(vote) = votes.iter().find(|vote| vote.oracle == *leader_key) else {
                continue;
            };
            let hash = hex(&vote.commitment.proof_data_hash);
            let root = hex(&vote.commitment.root);
            if record
                .refused
                .iter()
                .any(|refused| refused.proof_data == hash && refused.root == root)
            {
                continue;
            }
            match self.check_leader(&window, pool, previous, vote)? {
                Check::Take(batch) => {
                    record.role = "follower".into();
                    self.commit(&mut record, &batch)?;
                    self.vote(&mut record, &batch)?;
                    return Ok(Progress::Waiting);
                }
                Check::Unavailable(reason) => {
                    // The leader may be restarting: look again next tick.
                    let note = format!(
                        "epoch {epoch}: leader {}'s proof data at {} is unavailable: {reason}",
                        vote.oracle, vote.uri
                    );
                    if self.last_note.as_deref() != Some(note.as_str()) {
                        self.log(&note);
                        self.last_note = Some(note);
                    }
                }
                Check::Refuse(reasons) => {
                    self.log(format!(
                        "epoch {epoch}: refused leader {}'s batch {}: {}",
                        vote.oracle,
                        &hash[..16],
                        reasons.join("; ")
                    ));
                    record.refused.push(RefusedBatch {
                        oracle: vote.oracle.to_string(),
                        proof_data: hash,
                        root,
                        reasons,
                    });
                    record.status = "refused".into();
                    self.data.save_record(&record)?;
                }
            }
        }
        // This oracle's turn: close the epoch itself.
        if leaders.last() == Some(&self.me()) {
            let devices = read_devices(&self.client)?;
            let reports = self.store.epoch_reports(epoch)?;
            let evidence = Evidence {
                window,
                pool,
                params: self.settings.rule.clone(),
                devices,
                reports,
            };
            let (batch, outcome) = close_epoch(previous, evidence)?;
            self.log(format!(
                "epoch {epoch}: closed as leader: {} devices earned {} of {} ({} reports)",
                batch.devices().len(),
                outcome.distributed,
                pool,
                self.store.count(epoch)?
            ));
            record.role = "leader".into();
            self.commit(&mut record, &batch)?;
            self.vote(&mut record, &batch)?;
        }
        Ok(Progress::Waiting)
    }

    /// What the epoch issued to devices; issues the epoch (anyone may)
    /// when it is the next one due.
    fn pool(&mut self, epoch: u64) -> Result<Option<u64>, NodeError> {
        let address = pda::epoch_rewards(epoch).0;
        if let Some(issued) = self
            .client
            .backend()
            .fetch_optional::<EpochRewards>(&address)?
        {
            return Ok(Some(issued.devices));
        }
        if self.client.rewards_config()?.next_epoch == epoch {
            match self.client.issue_epoch(Some(epoch)) {
                Ok(_) => self.log(format!("epoch {epoch}: issued its emission")),
                // Another oracle may have issued it first.
                Err(error) => self.log(format!("epoch {epoch}: not issued yet: {error}")),
            }
        }
        Ok(self
            .client
            .backend()
            .fetch_optional::<EpochRewards>(&address)?
            .map(|issued| issued.devices))
    }

    /// A final batch whose proof data this node does not hold (it was
    /// stopped, or slower than the quorum): fetches it from its voters,
    /// checked against the chain's commitment, so the node serves proofs
    /// for every final epoch. A node that had committed to nothing checks
    /// it as a follower would and records any disagreement.
    fn hold_final(
        &mut self,
        window: &EpochWindow,
        config: &OracleConfig,
        now: i64,
        batch: &depin_sdk::accounts::EpochBatch,
        record: &mut EpochRecord,
    ) -> Result<Progress, NodeError> {
        let epoch = window.epoch;
        let hash = hex(&batch.commitment.proof_data_hash);
        if record.proof_data.as_deref() == Some(hash.as_str()) {
            return Ok(Progress::Settled);
        }
        let Some(file) = self.final_file(epoch, epoch, batch)? else {
            // The next close needs the newest final batch anyway; an older
            // one (a node catching up) is not worth stalling for.
            let current = config.current_epoch(now).unwrap_or(0);
            if epoch.saturating_add(1) >= current {
                return Ok(Progress::Waiting);
            }
            self.log(format!(
                "epoch {epoch}: the final batch's proof data cannot be had; this node will not serve proofs for it"
            ));
            return Ok(Progress::Settled);
        };
        match record.proof_data.clone() {
            Some(own) => self.log(format!(
                "epoch {epoch}: this node committed to proof data {}, the final batch's is {}; it holds both",
                &own[..16.min(own.len())],
                &hash[..16]
            )),
            None => {
                let Some(pool) = self.pool(epoch)? else {
                    return Ok(Progress::Waiting);
                };
                let Some(previous) = self.previous_batch(epoch, config, now)? else {
                    return Ok(Progress::Waiting);
                };
                if let Decision::Refuse(reasons) =
                    self.follower_decision(window, pool, previous.as_ref(), &file)?
                {
                    self.log(format!(
                        "epoch {epoch}: the final batch {} is not what this node computes: {}",
                        &hash[..16],
                        reasons.join("; ")
                    ));
                    record.refused.push(RefusedBatch {
                        oracle: batch
                            .votes
                            .first()
                            .map_or_else(String::new, |vote| vote.oracle.to_string()),
                        proof_data: hash.clone(),
                        root: hex(&batch.commitment.root),
                        reasons,
                    });
                }
                record.role = "follower".into();
            }
        }
        record.proof_data = Some(hash);
        record.root = Some(hex(&batch.commitment.root));
        record.total = Some(batch.commitment.total);
        // One save: the API never shows the root without the status.
        record.voted |= batch.votes.iter().any(|vote| vote.oracle == self.me());
        record.status = "final".into();
        self.data.save_record(record)?;
        self.log(format!(
            "epoch {epoch}: the batch is final on chain; this node holds its proof data"
        ));
        Ok(Progress::Settled)
    }

    /// The proof data of `final_epoch`'s final batch: from this node's
    /// data directory, else from a voter of the final commitment (its
    /// SHA-256 checked against the chain); `None` if none can be had now.
    fn final_file(
        &mut self,
        epoch: u64,
        final_epoch: u64,
        batch: &depin_sdk::accounts::EpochBatch,
    ) -> Result<Option<BatchFile>, NodeError> {
        let hash = hex(&batch.commitment.proof_data_hash);
        if let Some(bytes) = self.data.proof_data(&hash) {
            let file =
                BatchFile::from_bytes(&bytes).map_err(crate::proof_data::ProofDataError::from)?;
            return Ok(Some(file));
        }
        for vote in batch
            .votes
            .iter()
            .filter(|vote| vote.commitment == batch.commitment)
        {
            match self.download(&vote.uri, &vote.commitment.proof_data_hash) {
                Ok(bytes) => {
                    self.data.keep_proof_data(&bytes)?;
                    let file = BatchFile::from_bytes(&bytes)
                        .map_err(crate::proof_data::ProofDataError::from)?;
                    return Ok(Some(file));
                }
                Err(Download::Unavailable(reason) | Download::Wrong(reason)) => {
                    let note = format!(
                        "epoch {epoch}: the final batch of epoch {final_epoch} from {}: {reason}",
                        vote.uri
                    );
                    if self.last_note.as_deref() != Some(note.as_str()) {
                        self.log(&note);
                        self.last_note = Some(note);
                    }
                }
            }
        }
        Ok(None)
    }

    /// The last final batch before `epoch`, whose totals it carries
    /// forward: `Some(None)` if there is none; `None` (wait) while the
    /// epoch before is still pending or its file cannot be had.
    #[allow(clippy::option_option)]
    fn previous_batch(
        &mut self,
        epoch: u64,
        config: &OracleConfig,
        now: i64,
    ) -> Result<Option<Option<BatchFile>>, NodeError> {
        if let Some(before) = epoch.checked_sub(1) {
            if let Some(batch) = self.client.epoch_batch(before)? {
                // Pending until its deadline; after it, it can never be final.
                let deadline = config.finality_deadline_of(before).unwrap_or(i64::MAX);
                if batch.status == BatchStatus::Pending && now <= deadline {
                    return Ok(None);
                }
            }
        }
        let Some(final_epoch) = self.client.previous_final_epoch(epoch)? else {
            return Ok(Some(None));
        };
        let batch = self
            .client
            .epoch_batch(final_epoch)?
            .expect("a final batch exists");
        Ok(self.final_file(epoch, final_epoch, &batch)?.map(Some))
    }

    /// Downloads a file and checks it is the one with `hash`.
    fn download(&self, uri: &str, hash: &[u8; 32]) -> Result<Vec<u8>, Download> {
        let response = self
            .http
            .get(uri)
            .send()
            .map_err(|error| Download::Unavailable(format!("cannot download it: {error}")))?;
        if !response.status().is_success() {
            return Err(Download::Unavailable(format!(
                "it answered {}",
                response.status()
            )));
        }
        // Read no more than a proof data file can be: a vote's uri is not
        // trusted to be small.
        let mut bytes = Vec::new();
        std::io::Read::take(response, MAX_PROOF_DATA_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|error| Download::Unavailable(format!("the download broke off: {error}")))?;
        if bytes.len() as u64 > MAX_PROOF_DATA_BYTES {
            return Err(Download::Wrong(format!(
                "it is larger than {MAX_PROOF_DATA_BYTES} bytes, more than any proof data"
            )));
        }
        let found: [u8; 32] = Sha256::digest(&bytes).into();
        if &found != hash {
            return Err(Download::Wrong(format!(
                "the file's SHA-256 is {}, the vote names {}",
                hex(&found),
                hex(hash)
            )));
        }
        Ok(bytes)
    }

    /// A follower's check of a leader's vote: the file it names, then
    /// [`decide`]. `Err` carries every reason to refuse.
    fn check_leader(
        &mut self,
        window: &EpochWindow,
        pool: u64,
        previous: Option<&BatchFile>,
        vote: &depin_sdk::accounts::Vote,
    ) -> Result<Check, NodeError> {
        let bytes = match self.download(&vote.uri, &vote.commitment.proof_data_hash) {
            Ok(bytes) => bytes,
            Err(Download::Wrong(reason)) => {
                return Ok(Check::Refuse(vec![format!(
                    "the proof data at {}: {reason}",
                    vote.uri
                )]))
            }
            Err(Download::Unavailable(reason)) => return Ok(Check::Unavailable(reason)),
        };
        let batch = match BatchFile::from_bytes(&bytes) {
            Ok(batch) => batch,
            Err(error) => {
                return Ok(Check::Refuse(vec![format!(
                    "the proof data is not a batch file: {error}"
                )]))
            }
        };
        // The parsed batch holds all of it: at a million devices the
        // download alone is 4 GB.
        drop(bytes);
        if batch.commitment() != vote.commitment {
            return Ok(Check::Refuse(vec![format!(
                "the vote's root {} and total {} are not the proof data's root {} and total {}",
                hex(&vote.commitment.root),
                vote.commitment.total,
                hex(&batch.commitment().root),
                batch.commitment().total
            )]));
        }
        Ok(
            match self.follower_decision(window, pool, previous, &batch)? {
                Decision::Vote(_) => Check::Take(batch),
                Decision::Refuse(reasons) => Check::Refuse(reasons),
            },
        )
    }

    /// [`decide`] on `batch` with the registry as this node reads it now
    /// and its own reports of the epoch.
    fn follower_decision(
        &self,
        window: &EpochWindow,
        pool: u64,
        previous: Option<&BatchFile>,
        batch: &BatchFile,
    ) -> Result<Decision, NodeError> {
        let devices = read_devices(&self.client)?;
        let own_reports = self.store.epoch_reports(window.epoch)?;
        let view = FollowerView {
            network: self.network,
            window: *window,
            pool,
            params: &self.settings.rule,
            devices: &devices,
            own_reports: &own_reports,
            tolerance: self.settings.missing_report_tolerance,
        };
        Ok(decide(batch, previous, &view))
    }

    /// Writes the batch this node will vote for, then the record naming
    /// it: from here on the node votes only this batch in this epoch.
    fn commit(&self, record: &mut EpochRecord, batch: &BatchFile) -> Result<(), NodeError> {
        let hash = self.data.keep_proof_data(&batch.to_bytes())?;
        crash_point("before-record");
        let commitment = batch.commitment();
        record.proof_data = Some(hash);
        record.root = Some(hex(&commitment.root));
        record.total = Some(commitment.total);
        record.status = "committed".into();
        self.data.save_record(record)?;
        crash_point("before-vote");
        Ok(())
    }

    fn vote(&mut self, record: &mut EpochRecord, batch: &BatchFile) -> Result<(), NodeError> {
        let epoch = batch.epoch();
        let uri = format!("{}/v1/epochs/{epoch}/data", self.public_url);
        self.client.submit_batch(batch, &uri)?;
        crash_point("after-vote");
        record.voted = true;
        record.status = "voted".into();
        self.data.save_record(record)?;
        self.log(format!(
            "epoch {epoch}: voted root {} (total {})",
            &hex(&batch.commitment().root)[..16],
            batch.commitment().total
        ));
        Ok(())
    }
}

/// The oracles that have led `epoch`'s close so far, in turn order (the
/// last one leads now); empty before the close begins.
pub fn leaders_so_far(
    epoch: u64,
    oracles: &[Pubkey],
    epoch_end: i64,
    now: i64,
    schedule: CloseSchedule,
) -> Vec<Pubkey> {
    let mut leaders = Vec::new();
    let Some(begins) = epoch_end.checked_add(schedule.grace) else {
        return leaders;
    };
    let mut at = begins;
    while at <= now && leaders.len() < oracles.len() {
        if let Some(key) = leader(epoch, oracles, epoch_end, at, schedule) {
            if leaders.last() != Some(&key) {
                leaders.retain(|existing| *existing != key);
                leaders.push(key);
            }
        }
        at = at.saturating_add(schedule.deadline);
    }
    if let Some(key) = leader(epoch, oracles, epoch_end, now, schedule) {
        leaders.retain(|existing| *existing != key);
        leaders.push(key);
    }
    leaders
}

/// A running node: its API address; stops when dropped.
pub struct RunningNode {
    pub address: SocketAddr,
    pub public_url: String,
    pub oracle: Pubkey,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
    server: Option<(tokio::runtime::Runtime, tokio::sync::oneshot::Sender<()>)>,
}

impl RunningNode {
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        if let Some((runtime, stop)) = self.server.take() {
            let _ = stop.send(());
            runtime.shutdown_timeout(Duration::from_secs(5));
        }
    }

    /// Whether the node's loop has ended (an error it could not go on from).
    pub fn loop_ended(&self) -> bool {
        self.thread
            .as_ref()
            .is_none_or(|thread| thread.is_finished())
    }
}

impl Drop for RunningNode {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Starts a node: reads the network from the chain, opens the data
/// directory, serves the API on `settings.listen`, and runs the loop.
/// `clock` is the ingest's clock (default: the wall clock moved by the
/// chain clock's offset, as the loop last read it).
pub fn start(
    settings: NodeSettings,
    keypair: Keypair,
    chain: ChainFactory,
    store: Arc<dyn ReportStore>,
    clock: Option<Clock>,
) -> Result<RunningNode, NodeError> {
    let listener = std::net::TcpListener::bind(settings.listen).map_err(|error| {
        NodeError::Start(format!("cannot listen on {}: {error}", settings.listen))
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|error| NodeError::Start(error.to_string()))?;
    let address = listener
        .local_addr()
        .map_err(|error| NodeError::Start(error.to_string()))?;
    let public_url = settings
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{address}"));
    let oracle = keypair.pubkey();
    let directory = Arc::new(LiveDirectory::default());
    let offset = Arc::new(AtomicI64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let loop_chain = chain.clone();
    let (ready_sender, ready) =
        std::sync::mpsc::channel::<Result<(IngestRules, PathBuf), NodeError>>();
    let thread = {
        let (settings, directory, offset, stop, store, public_url) = (
            settings.clone(),
            directory.clone(),
            offset.clone(),
            stop.clone(),
            store.clone(),
            public_url.clone(),
        );
        std::thread::Builder::new()
            .name("oracle-loop".into())
            .spawn(move || {
                let started = (|| {
                    let client = Client::new(loop_chain()?, keypair);
                    let network = client.network_id()?;
                    let config = client.oracle_config()?;
                    let now = client.now()?;
                    offset.store(now - wall_clock(), Ordering::Relaxed);
                    if config.epoch_length % i64::from(settings.rule.heartbeat_interval_seconds) != 0 {
                        return Err(NodeError::Start(format!(
                            "the rule's heartbeat interval ({} s) does not divide the chain's epoch ({} s)",
                            settings.rule.heartbeat_interval_seconds, config.epoch_length
                        )));
                    }
                    let current = config.current_epoch(now).unwrap_or(0);
                    let (data, first_epoch) = DataDir::open(&settings.data_dir, &client.address(), &network, current)?;
                    directory.replace(&read_devices(&client)?);
                    let rules = IngestRules {
                        network,
                        epochs: EpochClock {
                            genesis: config.genesis_timestamp,
                            length: config.epoch_length,
                        },
                        clock_skew: settings.clock_skew,
                        max_reports_per_device_per_epoch: settings.max_reports_per_device_per_epoch,
                    };
                    let http = reqwest::blocking::Client::builder()
                        .timeout(Duration::from_secs(300))
                        .build()
                        .map_err(|error| NodeError::Start(error.to_string()))?;
                    Ok((
                        rules,
                        Closer {
                            client,
                            store,
                            directory,
                            data,
                            network,
                            public_url,
                            next_epoch: first_epoch,
                            offset,
                            refreshed: Some((Instant::now(), current)),
                            http,
                            last_note: None,
                            settings,
                        },
                    ))
                })();
                let mut closer = match started {
                    Ok((rules, closer)) => {
                        let _ = ready_sender.send(Ok((rules, closer.data.root.clone())));
                        closer
                    }
                    Err(error) => {
                        let _ = ready_sender.send(Err(error));
                        return;
                    }
                };
                while !stop.load(Ordering::Relaxed) {
                    if let Err(error) = closer.tick() {
                        closer.log(format!("will try again: {error}"));
                    }
                    let until = Instant::now() + closer.settings.tick;
                    while Instant::now() < until && !stop.load(Ordering::Relaxed) {
                        std::thread::sleep(Duration::from_millis(10).min(closer.settings.tick));
                    }
                }
            })
            .map_err(|error| NodeError::Start(error.to_string()))?
    };
    let (rules, data_root) = ready
        .recv()
        .map_err(|_| NodeError::Start("the node's loop ended before it started".into()))??;
    let clock = clock.unwrap_or_else(|| {
        let offset = offset.clone();
        Arc::new(move || wall_clock() + offset.load(Ordering::Relaxed))
    });
    let data = Arc::new(DataDir::at(&data_root));
    let state = AppState {
        ingest: Arc::new(Ingest::new(rules, directory, store)),
        clock,
        data: Some(data.clone()),
        oracle: Some(oracle),
        claims: Some(Arc::new(ClaimsService::new(data, chain))),
        limiter: Some(Arc::new(RateLimiter::new(
            settings.api_requests_per_second,
            settings.api_burst,
        ))),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|error| NodeError::Start(error.to_string()))?;
    let (stop_server, stopped) = tokio::sync::oneshot::channel::<()>();
    let listener = {
        let _guard = runtime.enter();
        tokio::net::TcpListener::from_std(listener)
            .map_err(|error| NodeError::Start(error.to_string()))?
    };
    runtime.spawn(async move {
        let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    Ok(RunningNode {
        address,
        public_url,
        oracle,
        stop,
        thread: Some(thread),
        server: Some((runtime, stop_server)),
    })
}

/// The record of an epoch as the API shows it.
pub fn record_json(data: &DataDir, epoch: u64) -> Option<serde_json::Value> {
    data.record(epoch)
        .ok()?
        .map(|record| serde_json::to_value(record).expect("json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_oracle_leads_after_each_deadline() {
        let oracles: Vec<Pubkey> = (0..3).map(|_| Pubkey::new_unique()).collect();
        let schedule = CloseSchedule {
            grace: 10,
            deadline: 100,
        };
        // Epoch 4 of 3 oracles: oracle 1 first.
        assert!(leaders_so_far(4, &oracles, 1_000, 1_009, schedule).is_empty());
        assert_eq!(
            leaders_so_far(4, &oracles, 1_000, 1_010, schedule),
            vec![oracles[1]]
        );
        assert_eq!(
            leaders_so_far(4, &oracles, 1_000, 1_109, schedule),
            vec![oracles[1]]
        );
        assert_eq!(
            leaders_so_far(4, &oracles, 1_000, 1_110, schedule),
            vec![oracles[1], oracles[2]]
        );
        assert_eq!(
            leaders_so_far(4, &oracles, 1_000, 1_210, schedule),
            vec![oracles[1], oracles[2], oracles[0]]
        );
        // Around again: each once, the one leading now last.
        assert_eq!(
            leaders_so_far(4, &oracles, 1_000, 1_310, schedule),
            vec![oracles[2], oracles[0], oracles[1]]
        );
    }
}
