//! What every command needs: the wallet, the backend (RPC or the embedded
//! runtime's state file), the output format. Follows the Solana CLI:
//! `~/.config/solana/cli/config.yml` supplies the keypair path, the
//! commitment and (with `-u config`) the RPC URL.

use {
    anyhow::{bail, Context as _, Result},
    clap::{Args, ValueEnum},
    depin_client::{
        backend::Backend,
        embedded::EmbeddedCluster,
        rpc::{CommitmentConfig, RpcBackend, RpcOptions},
        Client, SimulateOnly,
    },
    depin_sdk::{Keypair, SdkError},
    serde::Deserialize,
    std::path::{Path, PathBuf},
};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Text for people.
    #[default]
    Display,
    /// Pretty-printed JSON; errors too, as `{"error": {...}}`.
    Json,
    /// JSON on one line per result.
    JsonCompact,
}

impl OutputFormat {
    pub fn is_json(self) -> bool {
        matches!(self, OutputFormat::Json | OutputFormat::JsonCompact)
    }

    pub fn render(self, json: &serde_json::Value) -> String {
        match self {
            OutputFormat::JsonCompact => json.to_string(),
            _ => serde_json::to_string_pretty(json).expect("JSON values serialize"),
        }
    }
}

#[derive(Args, Debug)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Solana CLI config file (keypair path, commitment, RPC URL for `-u config`).
    #[arg(
        short = 'C',
        long,
        global = true,
        env = "DEPIN_CONFIG",
        hide_short_help = true
    )]
    pub config: Option<PathBuf>,
    /// Cluster: `embedded` (default: the in-process runtime, state in
    /// --state), mainnet-beta, devnet, testnet, localhost, any RPC URL, or
    /// `config` for the config file's URL.
    #[arg(
        short = 'u',
        long,
        global = true,
        env = "DEPIN_URL",
        default_value = "embedded"
    )]
    pub url: String,
    /// State file of the embedded runtime (created on first use).
    #[arg(
        long,
        global = true,
        env = "DEPIN_STATE",
        default_value = "depin-state.bin"
    )]
    pub state: PathBuf,
    /// Wallet keypair file (default: the config file's, or ~/.config/solana/id.json).
    #[arg(short = 'k', long, global = true)]
    pub keypair: Option<PathBuf>,
    /// Output: display, json or json-compact.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Display)]
    pub output: OutputFormat,
    /// Answer yes to every confirmation (needed when stdin is not a terminal).
    #[arg(short = 'y', long, global = true)]
    pub yes: bool,
    /// processed, confirmed or finalized (default: the config file's, or confirmed).
    #[arg(long, global = true, hide_short_help = true)]
    pub commitment: Option<String>,
    /// Simulate the first transaction instead of sending anything.
    #[arg(long, global = true)]
    pub simulate: bool,
    /// Priority fee in micro-lamports per compute unit (RPC only).
    #[arg(long, global = true, hide_short_help = true)]
    pub compute_unit_price: Option<u64>,
    /// The network's address lookup table, for version-0 transactions
    /// (`network create-lookup-table` prints it; the embedded state
    /// remembers its own).
    #[arg(long, global = true, hide_short_help = true, env = "DEPIN_LOOKUP_TABLE", value_parser = crate::commands::parse_pubkey)]
    pub lookup_table: Option<depin_sdk::Pubkey>,
    /// Compute-unit limit per transaction (RPC only).
    #[arg(long, global = true, hide_short_help = true)]
    pub compute_unit_limit: Option<u32>,
    /// Seconds to wait for another depin command holding the state file.
    #[arg(long, global = true, default_value_t = 30, hide_short_help = true)]
    pub lock_timeout: u64,
}

#[derive(Deserialize, Default)]
struct SolanaConfig {
    json_rpc_url: Option<String>,
    keypair_path: Option<String>,
    commitment: Option<String>,
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

/// `~` and `~/…` as the shell would expand them (config files and quoted
/// arguments arrive unexpanded).
pub fn expand_tilde(path: &Path) -> PathBuf {
    match (path.strip_prefix("~"), home()) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    }
}

fn read_solana_config(explicit: Option<&Path>) -> Result<SolanaConfig> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => match home() {
            Some(home) => home.join(".config/solana/cli/config.yml"),
            None => return Ok(SolanaConfig::default()),
        },
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_yaml::from_str(&text)
            .with_context(|| format!("config file {} is not valid YAML", path.display())),
        Err(error) if explicit.is_none() && error.kind() == std::io::ErrorKind::NotFound => {
            Ok(SolanaConfig::default())
        }
        Err(error) => {
            Err(error).with_context(|| format!("cannot read config file {}", path.display()))
        }
    }
}

/// Reads a Solana keypair file (a JSON array of 64 bytes).
pub fn read_keypair(path: &Path) -> Result<Keypair> {
    let path = &expand_tilde(path);
    let text = std::fs::read_to_string(path).map_err(|error| {
        if error.kind() == std::io::ErrorKind::NotFound {
            anyhow::anyhow!(
                "keypair file {} not found: create one with `depin keygen --outfile {}` \
                 (or `solana-keygen new`), or pass another with -k",
                path.display(),
                path.display()
            )
        } else {
            anyhow::anyhow!("cannot read keypair file {}: {error}", path.display())
        }
    })?;
    let bytes: Vec<u8> = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not a keypair file (a JSON array of 64 bytes)",
            path.display()
        )
    })?;
    Keypair::try_from(bytes.as_slice())
        .map_err(|error| anyhow::anyhow!("{} holds an invalid keypair: {error}", path.display()))
}

pub struct Context {
    pub args: GlobalArgs,
    config: SolanaConfig,
    /// What a command reports, held back until its effects are saved
    /// (`Some` while a client is at work).
    pending: std::cell::RefCell<Option<Vec<String>>>,
}

impl Context {
    pub fn new(args: GlobalArgs) -> Result<Self> {
        let config = read_solana_config(args.config.as_deref().map(expand_tilde).as_deref())?;
        Ok(Self {
            args,
            config,
            pending: std::cell::RefCell::new(None),
        })
    }

    pub fn keypair_path(&self) -> PathBuf {
        if let Some(path) = &self.args.keypair {
            return expand_tilde(path);
        }
        if let Some(path) = &self.config.keypair_path {
            return expand_tilde(Path::new(path));
        }
        home().unwrap_or_default().join(".config/solana/id.json")
    }

    pub fn wallet(&self) -> Result<Keypair> {
        read_keypair(&self.keypair_path())
    }

    pub fn is_embedded(&self) -> bool {
        self.args.url == "embedded"
    }

    fn commitment(&self) -> Result<CommitmentConfig> {
        let text = self
            .args
            .commitment
            .as_deref()
            .or(self.config.commitment.as_deref())
            .unwrap_or("confirmed");
        text.parse::<CommitmentConfig>().map_err(|_| {
            anyhow::anyhow!("unknown commitment '{text}': use processed, confirmed or finalized")
        })
    }

    /// The backend; a fresh embedded runtime makes `wallet` the programs'
    /// upgrade authority (funded with 1,000 SOL) and starts its clock now.
    pub fn backend(&self, wallet: &Keypair) -> Result<Box<dyn Backend>> {
        if self.is_embedded() {
            return Ok(Box::new(self.embedded_cluster(wallet)?));
        }
        let url = if self.args.url == "config" {
            self.config
                .json_rpc_url
                .clone()
                .context("-u config: the config file has no json_rpc_url")?
        } else {
            self.args.url.clone()
        };
        if self.args.url != "config"
            && !url.contains("://")
            && ![
                "mainnet-beta",
                "mainnet",
                "devnet",
                "testnet",
                "localhost",
                "m",
                "d",
                "t",
                "l",
            ]
            .contains(&url.as_str())
        {
            bail!("unknown cluster '{url}': use embedded, mainnet-beta, devnet, testnet, localhost, config or a URL");
        }
        let options = RpcOptions {
            commitment: self.commitment()?,
            compute_unit_price: self.args.compute_unit_price,
            compute_unit_limit: self.args.compute_unit_limit,
            ..RpcOptions::default()
        };
        Ok(Box::new(RpcBackend::new(&url, options)))
    }

    /// The embedded state, locked for this process; a fresh one makes
    /// `wallet` the programs' upgrade authority (funded with 1,000 SOL) and
    /// starts its clock now.
    pub fn embedded_cluster(&self, wallet: &Keypair) -> Result<EmbeddedCluster> {
        let path = &expand_tilde(&self.args.state);
        hold_state_lock(path, self.args.lock_timeout)?;
        Ok(if path.exists() {
            EmbeddedCluster::load(path, wallet.insecure_clone())?
        } else {
            let mut cluster = EmbeddedCluster::with_upgrade_authority(wallet.insecure_clone());
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_secs() as i64);
            cluster.warp_to_timestamp(now);
            cluster.set_state_path(path);
            cluster
        })
    }

    /// A client for the wallet.
    pub fn client(&self) -> Result<Client> {
        self.client_of(self.wallet()?)
    }

    /// A client for commands that only read: the wallet if there is one,
    /// else a key that never signs (a fresh embedded state still needs
    /// the wallet, which becomes its upgrade authority).
    pub fn reader(&self) -> Result<Client> {
        match self.wallet() {
            Ok(wallet) => self.client_of(wallet),
            // A key named with -k must be there; so must a fresh state's.
            Err(error)
                if self.args.keypair.is_some()
                    || (self.is_embedded() && !expand_tilde(&self.args.state).exists()) =>
            {
                Err(error)
            }
            Err(_) => self.client_of(Keypair::new()),
        }
    }

    fn client_of(&self, wallet: Keypair) -> Result<Client> {
        self.commitment()?;
        let backend = self.backend(&wallet)?;
        let backend: Box<dyn Backend> = if self.args.simulate {
            Box::new(SimulateOnly::new(backend))
        } else {
            backend
        };
        let mut client = Client::new(backend, wallet);
        if let Some(table) = self.args.lookup_table {
            client
                .use_lookup_table(table)
                .with_context(|| format!("--lookup-table {table}"))?;
        }
        Ok(client)
    }

    /// From now on, what the command prints waits for [`Context::finish`].
    pub fn hold_output(&self) {
        *self.pending.borrow_mut() = Some(Vec::new());
    }

    /// Saves what the command changed (embedded runtime only; a read-only
    /// command or a simulating backend writes nothing), then prints what it
    /// did: a report only ever follows a durable effect. Interrupts wait
    /// until both are done.
    pub fn finish(&self, client: &Client) -> Result<()> {
        crate::stdout::uninterrupted(|| {
            client.backend().persist()?;
            for line in self.pending.borrow_mut().take().unwrap_or_default() {
                crate::stdout::print_line(&line);
            }
            Ok(())
        })
    }

    /// Prints `display` or `json` as --output asks (held back while a
    /// client's work is not yet saved).
    pub fn print(&self, display: impl std::fmt::Display, json: serde_json::Value) {
        let line = match self.args.output {
            OutputFormat::Display => display.to_string(),
            format => format.render(&json),
        };
        match self.pending.borrow_mut().as_mut() {
            Some(pending) => pending.push(line),
            None => crate::stdout::print_line(&line),
        }
    }

    /// Asks `question` on the terminal (default no); `--yes` answers yes.
    /// Without a terminal and without `--yes` the command is refused, so a
    /// script never does something irreversible by accident.
    pub fn confirm(&self, question: &str) -> Result<()> {
        use std::io::{BufRead, IsTerminal, Write};
        if self.args.yes || self.args.simulate {
            return Ok(());
        }
        if !std::io::stdin().is_terminal() {
            bail!("{question} — refusing without a terminal; pass --yes to confirm");
        }
        eprint!("{question} [y/N] ");
        std::io::stderr().flush().ok();
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if matches!(answer.trim(), "y" | "Y" | "yes" | "Yes") {
            Ok(())
        } else {
            bail!("cancelled; nothing was done")
        }
    }
}

/// Turns the SDK's simulate-only stop into a report instead of an error.
pub fn simulated(error: &anyhow::Error) -> Option<&depin_sdk::Simulation> {
    match error.downcast_ref::<SdkError>() {
        Some(SdkError::SimulatedOnly(simulation)) => Some(simulation),
        _ => None,
    }
}

/// Takes an exclusive advisory lock on `<state>.lock` for the rest of the
/// process, so two `depin` runs on one state file cannot lose each
/// other's writes; waits up to `timeout_secs` for another command holding
/// it. The kernel releases it when the process ends, even on a crash.
#[cfg(unix)]
pub fn hold_state_lock(state: &Path, timeout_secs: u64) -> Result<()> {
    use std::{
        os::fd::AsRawFd,
        time::{Duration, Instant},
    };
    let mut name = state.as_os_str().to_owned();
    name.push(".lock");
    let file = std::fs::File::create(&name)
        .with_context(|| format!("cannot create {}", Path::new(&name).display()))?;
    let deadline = Instant::now() + Duration::from_secs(timeout_secs);
    let mut told = false;
    // SAFETY: flock on a descriptor this function owns.
    while unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        if Instant::now() >= deadline {
            bail!(
                "{} is still in use by another depin command after {timeout_secs} s; \
                 wait for it to finish (or raise --lock-timeout)",
                state.display()
            );
        }
        if !told {
            eprintln!(
                "waiting for another depin command to finish with {} …",
                state.display()
            );
            told = true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // Held until the process exits.
    std::mem::forget(file);
    Ok(())
}

#[cfg(not(unix))]
pub fn hold_state_lock(_state: &Path, _timeout_secs: u64) -> Result<()> {
    Ok(())
}
