//! `oracle.toml`: everything one oracle node needs, checked as a whole
//! when it is read (each refusal names the key).
//!
//! ```toml
//! keypair = "oracle.json"              # the oracle's key: it votes
//! cluster = "http://127.0.0.1:8899"    # JSON-RPC of the network
//! listen = "127.0.0.1:8080"            # where the API listens
//! public_url = "http://127.0.0.1:8080" # how others reach it (the vote's uri)
//! data_dir = "oracle-data"             # proof data and the epoch records
//! database = "sqlite"                  # or a PostgreSQL URL
//!
//! [ingest]
//! clock_skew_seconds = 60
//! max_reports_per_device_per_epoch = 1000
//! directory_refresh_seconds = 60
//!
//! [close]
//! grace_seconds = 120
//! leader_deadline_seconds = 600
//! missing_report_tolerance = 0
//!
//! [api]                                # the proof API's allowance per client
//! requests_per_second = 20
//! burst = 100
//!
//! [rule]                               # the reward rule's parameters,
//! version = 1                          # as the proof data publishes them
//! heartbeatIntervalSeconds = 3600
//! uptimeShareBps = 6000
//! [[rule.classes]]
//! uptimeWeight = 1
//! usageWeight = 1
//! maxUnitsPerSecond = 1000000
//! capPerEpoch = 1000000000
//! ```

use {
    depin_reports::rule::RuleParams,
    serde::Deserialize,
    std::path::{Path, PathBuf},
};

/// Longest `public_url`: the vote's uri adds `/v1/epochs/<epoch>/data` and
/// the program keeps at most 128 bytes.
pub const MAX_PUBLIC_URL_LEN: usize = 128 - "/v1/epochs/18446744073709551615/data".len();

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NodeConfig {
    pub keypair: PathBuf,
    pub cluster: String,
    #[serde(default = "default_listen")]
    pub listen: String,
    pub public_url: String,
    pub data_dir: PathBuf,
    /// `sqlite` (a file in the data directory) or a `postgres://` URL.
    #[serde(default = "default_database")]
    pub database: String,
    #[serde(default)]
    pub ingest: IngestConfig,
    #[serde(default)]
    pub close: CloseConfig,
    #[serde(default)]
    pub api: ApiConfig,
    pub rule: RuleParams,
}

/// The proof API's allowance per client (IP address).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ApiConfig {
    pub requests_per_second: u32,
    pub burst: u32,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            requests_per_second: 20,
            burst: 100,
        }
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct IngestConfig {
    /// How far a device's clock may run ahead, and how long after its
    /// epoch a report is still taken.
    pub clock_skew_seconds: i64,
    pub max_reports_per_device_per_epoch: u32,
    /// How often the device directory is read from the chain (and at
    /// every new epoch).
    pub directory_refresh_seconds: u64,
}

impl Default for IngestConfig {
    fn default() -> Self {
        Self {
            clock_skew_seconds: 60,
            max_reports_per_device_per_epoch: 1_000,
            directory_refresh_seconds: 60,
        }
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct CloseConfig {
    /// Seconds after an epoch ends before it is closed.
    pub grace_seconds: i64,
    /// Seconds a leader has to vote before the next oracle leads.
    pub leader_deadline_seconds: i64,
    /// How many of this oracle's own reports may be missing from a
    /// leader's evidence before it refuses the batch.
    pub missing_report_tolerance: usize,
    /// How often the node looks at the chain, in milliseconds.
    pub tick_ms: u64,
}

impl Default for CloseConfig {
    fn default() -> Self {
        Self {
            grace_seconds: 120,
            leader_deadline_seconds: 600,
            missing_report_tolerance: 0,
            tick_ms: 1_000,
        }
    }
}

fn default_listen() -> String {
    "127.0.0.1:8080".into()
}

fn default_database() -> String {
    "sqlite".into()
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{path}: {reason}")]
    Invalid { path: String, reason: String },
}

impl NodeConfig {
    /// Reads and checks `path`; relative paths in it are relative to the
    /// file's directory.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Read {
            path: path.display().to_string(),
            reason: error.to_string(),
        })?;
        let invalid = |reason: String| ConfigError::Invalid {
            path: path.display().to_string(),
            reason,
        };
        let mut config: NodeConfig =
            toml::from_str(&text).map_err(|error| invalid(error.to_string()))?;
        config.check().map_err(invalid)?;
        let base = path.parent().unwrap_or(Path::new("."));
        config.keypair = base.join(&config.keypair);
        config.data_dir = base.join(&config.data_dir);
        Ok(config)
    }

    /// Every rule of the file, each refusal naming its key.
    pub fn check(&self) -> Result<(), String> {
        if !(self.public_url.starts_with("http://") || self.public_url.starts_with("https://")) {
            return Err(format!(
                "public_url '{}' must be an http:// or https:// URL",
                self.public_url
            ));
        }
        if self.public_url.len() > MAX_PUBLIC_URL_LEN {
            return Err(format!(
                "public_url is {} bytes, at most {MAX_PUBLIC_URL_LEN} (the vote's uri holds 128)",
                self.public_url.len()
            ));
        }
        if self.listen.parse::<std::net::SocketAddr>().is_err() {
            return Err(format!(
                "listen '{}' must be an address and port, e.g. 127.0.0.1:8080",
                self.listen
            ));
        }
        if self.database != "sqlite"
            && !self.database.starts_with("postgres://")
            && !self.database.starts_with("postgresql://")
        {
            return Err(format!(
                "database '{}' must be sqlite or a postgres:// URL",
                self.database
            ));
        }
        let ingest = &self.ingest;
        if !(0..=3_600).contains(&ingest.clock_skew_seconds) {
            return Err("ingest.clock_skew_seconds must be 0 to 3600".into());
        }
        if ingest.max_reports_per_device_per_epoch == 0 {
            return Err("ingest.max_reports_per_device_per_epoch must be at least 1".into());
        }
        if ingest.directory_refresh_seconds == 0 {
            return Err("ingest.directory_refresh_seconds must be at least 1".into());
        }
        let close = &self.close;
        // Reports are still taken for `clock_skew` after an epoch ends; the
        // close must come after, so every oracle closes the same reports.
        if close.grace_seconds < ingest.clock_skew_seconds {
            return Err(format!(
                "close.grace_seconds ({}) must be at least ingest.clock_skew_seconds ({}): \
                 the epoch must stop taking reports before it is closed",
                close.grace_seconds, ingest.clock_skew_seconds
            ));
        }
        if close.leader_deadline_seconds <= 0 {
            return Err("close.leader_deadline_seconds must be at least 1".into());
        }
        if self.api.requests_per_second == 0 || self.api.burst == 0 {
            return Err("api.requests_per_second and api.burst must be at least 1".into());
        }
        if !(10..=60_000).contains(&close.tick_ms) {
            return Err("close.tick_ms must be 10 to 60000".into());
        }
        // Whether the interval divides the epoch is checked against the
        // chain's epoch length when the node starts.
        if self.rule.version != depin_reports::rule::RULE_VERSION {
            return Err(format!(
                "rule.version is {}, this node runs version {}",
                self.rule.version,
                depin_reports::rule::RULE_VERSION
            ));
        }
        if self.rule.heartbeat_interval_seconds == 0 {
            return Err("rule.heartbeatIntervalSeconds must be at least 1".into());
        }
        if self.rule.uptime_share_bps > 10_000 {
            return Err("rule.uptimeShareBps must be at most 10000".into());
        }
        if self.rule.classes.is_empty() {
            return Err("rule.classes must list at least one class ([[rule.classes]])".into());
        }
        Ok(())
    }
}
