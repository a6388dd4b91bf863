//! One file per `depin-client` module: `device_registry`, `proof_oracle`,
//! `rewards`, `governance`, `pause`, `network`, `wallet`; and the demo.

pub mod demo;
pub mod device_registry;
pub mod device_report;
pub mod device_simulate;
pub mod governance;
pub mod localnet;
pub mod network;
pub mod oracle_serve;
pub mod oracle_verify;
pub mod pause;
pub mod proof_oracle;
pub mod rewards;
pub mod wallet;

use {
    crate::context::{Context, GlobalArgs},
    clap::Subcommand,
};

#[derive(Subcommand)]
pub enum Command {
    /// Create a keypair file (like `solana-keygen new`).
    Keygen(wallet::KeygenArgs),
    /// Print the wallet's address.
    Address,
    /// Print the wallet's SOL, tokens and data credits.
    Balance(wallet::BalanceArgs),
    /// Send network tokens to another owner (creates its token account if
    /// missing; asks for confirmation, --yes skips it).
    Transfer(wallet::TransferArgs),
    /// Ask for SOL: the embedded runtime, or a test cluster's faucet.
    Airdrop(wallet::AirdropArgs),
    /// Move the embedded runtime's clock forward (e.g. `1d`, `2h 30m`).
    Warp(wallet::WarpArgs),
    /// Deploy the network and show its state.
    #[command(subcommand)]
    Network(network::NetworkCommand),
    /// Register and manage devices.
    #[command(subcommand)]
    Device(device_registry::DeviceCommand),
    /// Approve and update makers (a DAO proposal once the DAO holds the registry).
    #[command(subcommand)]
    Maker(device_registry::MakerCommand),
    /// Add and update device classes (a DAO proposal once the DAO holds the registry).
    #[command(subcommand)]
    Class(device_registry::ClassCommand),
    /// Oracle operators: proof batches, prices, status.
    #[command(subcommand)]
    Oracle(proof_oracle::OracleCommand),
    /// Issue epochs; claim and pay out device rewards, one claim per wallet.
    #[command(subcommand)]
    Rewards(rewards::RewardsCommand),
    /// Buy, spend and show data credits.
    #[command(subcommand)]
    Credits(rewards::CreditsCommand),
    /// Lock tokens, create proposals, cast votes, execute proposals.
    #[command(subcommand, visible_alias = "gov")]
    Governance(governance::GovernanceCommand),
    /// Pause scopes of the registry, oracle and rewards programs (a DAO
    /// proposal once the DAO holds them). Scopes: all, registry, oracle,
    /// rewards, onboarding, moves, batch-votes, prices, issuance,
    /// device-claims, oracle-claims, credit-purchases.
    Pause(pause::ScopesArgs),
    /// Lift pauses (the authority only; a DAO proposal once the DAO holds it).
    Unpause(pause::ScopesArgs),
    /// Name, remove or act as the guardian: a key that may pause once, for
    /// at most a DAO-set time, and never unpause.
    #[command(subcommand)]
    Guardian(pause::GuardianCommand),
    /// Serve the embedded state as a Solana JSON-RPC and WebSocket node
    /// (a local validator for web3.js, Anchor's TypeScript client, the
    /// Solana CLI and `depin -u http://127.0.0.1:8899`) until interrupted.
    Localnet(localnet::LocalnetArgs),
    /// Run the whole network on a fresh embedded runtime: bootstrap, onboard
    /// devices, run epochs, and print what it cost.
    Demo(demo::DemoArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell),
    /// e.g. `depin completions bash > ~/.local/share/bash-completion/completions/depin`.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
}

pub fn run(mut global: GlobalArgs, command: Command) -> anyhow::Result<()> {
    // `oracle serve --config` names the node's file, not a Solana CLI config.
    if let Command::Oracle(proof_oracle::OracleCommand::Serve) = &command {
        let config = global
            .config
            .take()
            .unwrap_or_else(|| std::path::PathBuf::from("oracle.toml"));
        return oracle_serve::run(&config);
    }
    let context = Context::new(global)?;
    match command {
        Command::Demo(args) => {
            refuse_global_flags_for_demo(&context)?;
            demo::run(args)
        }
        Command::Completions { shell } => {
            let mut command = crate::command();
            clap_complete::generate(shell, &mut command, "depin", &mut std::io::stdout());
            Ok(())
        }
        Command::Localnet(args) => localnet::run(&context, args),
        Command::Keygen(args) => wallet::keygen(&context, args),
        Command::Address => wallet::address(&context),
        Command::Balance(args) => wallet::balance(&context, args),
        Command::Transfer(args) => wallet::transfer(&context, args),
        Command::Airdrop(args) => wallet::airdrop(&context, args),
        Command::Warp(args) => wallet::warp(&context, args),
        Command::Network(command) => network::run(&context, command),
        Command::Device(command) => device_registry::run(&context, command),
        Command::Maker(command) => device_registry::run_maker(&context, command),
        Command::Class(command) => device_registry::run_class(&context, command),
        Command::Oracle(command) => proof_oracle::run(&context, command),
        Command::Rewards(command) => rewards::run(&context, command),
        Command::Credits(command) => rewards::run_credits(&context, command),
        Command::Governance(command) => governance::run(&context, command),
        Command::Pause(args) => pause::pause(&context, args),
        Command::Unpause(args) => pause::unpause(&context, args),
        Command::Guardian(command) => pause::run_guardian(&context, command),
    }
}

/// The demo builds its own fresh embedded network and prints a report for
/// people: flags that choose a cluster, a state file, JSON or simulation
/// would be silently ignored, so they are refused.
fn refuse_global_flags_for_demo(context: &Context) -> anyhow::Result<()> {
    let args = &context.args;
    let mut ignored = Vec::new();
    if !context.is_embedded() {
        ignored.push("-u/--url (the demo always runs on a fresh embedded runtime)");
    }
    // A DEPIN_STATE set for the other commands is no request to the demo.
    let from_environment =
        std::env::var_os("DEPIN_STATE").is_some_and(|state| state == *args.state);
    if args.state != std::path::Path::new("depin-state.bin") && !from_environment {
        ignored.push("--state (the demo keeps no state file)");
    }
    if args.output != crate::context::OutputFormat::Display {
        ignored.push("--output (the demo prints a report for people)");
    }
    if args.simulate {
        ignored.push("--simulate (the demo's network is thrown away anyway)");
    }
    if !ignored.is_empty() {
        anyhow::bail!("depin demo does not take {}", ignored.join(", "));
    }
    Ok(())
}

/// Runs `operation` with the wallet's client, then saves the embedded state
/// and only then prints what the operation reported.
pub fn with_client<T>(
    context: &Context,
    operation: impl FnOnce(&mut depin_client::Client) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let mut client = context.client()?;
    learn_token_decimals(&client);
    context.hold_output();
    let result = operation(&mut client)?;
    context.finish(&client)?;
    Ok(result)
}

/// As [`with_client`], for commands that only read (no wallet needed).
pub fn with_reader<T>(
    context: &Context,
    operation: impl FnOnce(&mut depin_client::Client) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let mut client = context.reader()?;
    learn_token_decimals(&client);
    context.hold_output();
    let result = operation(&mut client)?;
    context.finish(&client)?;
    Ok(result)
}

/// Prints what an administrative command did: applied at once, or the
/// proposal it became because the DAO holds the authority.
pub fn report_admin(context: &Context, what: &str, outcome: depin_client::AdminOutcome) {
    use {depin_client::AdminOutcome, serde_json::json};
    match outcome {
        AdminOutcome::Applied(outcome) => context.print(
            format!("{what}: applied (signature {outcome})"),
            json!({"applied": true, "signature": outcome.to_string()}),
        ),
        AdminOutcome::Proposed(id) => context.print(
            format!(
                "{what}: the DAO holds the authority, so this is proposal {id}; \
                 vote with `depin gov vote {id} yes`"
            ),
            json!({"applied": false, "proposal": id}),
        ),
    }
}

/// A duration argument (`90s`, `2h`, `3d`) in whole seconds.
pub fn parse_seconds(text: &str) -> Result<i64, String> {
    let duration = humantime::parse_duration(text)
        .map_err(|error| format!("'{text}' is not a duration ({error}); try 90s, 2h or 1d"))?;
    i64::try_from(duration.as_secs()).map_err(|_| format!("'{text}' is too long"))
}

/// An address argument: base-58, or a keypair file (as `solana` and
/// `spl-token` accept).
pub fn parse_pubkey(text: &str) -> Result<depin_sdk::Pubkey, String> {
    use depin_sdk::Signer;
    if let Ok(address) = text.parse() {
        return Ok(address);
    }
    let path = crate::context::expand_tilde(std::path::Path::new(text));
    if path.is_file() {
        return crate::context::read_keypair(&path)
            .map(|keypair| keypair.pubkey())
            .map_err(|error| format!("{error:#}"));
    }
    Err(format!(
        "'{text}' is not a base-58 address or a keypair file"
    ))
}

/// When `at` (unix seconds) is, for people: local time and how far from
/// `now` ("2026-12-01 14:00:00 +01:00, in 3 h 12 min").
pub fn when(at: i64, now: i64) -> String {
    let local = chrono::DateTime::from_timestamp(at, 0)
        .map(|time| {
            time.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M:%S %:z")
                .to_string()
        })
        .unwrap_or_else(|| format!("unix time {at}"));
    format!("{local}, {}", relative(at - now))
}

/// "in 3 h 12 min", "2 d 1 h ago", "now".
pub fn relative(seconds: i64) -> String {
    depin_sdk::describe::relative(seconds)
}

/// The network token's decimals, read from its mint when the command's
/// client connects (`learn_token_decimals`).
static TOKEN_DECIMALS: std::sync::OnceLock<u8> = std::sync::OnceLock::new();

/// Reads the network token's decimals from the chain, once per run. Before
/// the network exists, amounts use the decimals `network init` would create.
pub fn learn_token_decimals(client: &depin_client::Client) {
    if let Ok(decimals) = client.token_decimals() {
        let _ = TOKEN_DECIMALS.set(decimals);
    }
}

fn token_decimals() -> u8 {
    TOKEN_DECIMALS.get().copied().unwrap_or_else(|| {
        depin_client::bootstrap::default_rewards_args(depin_sdk::Pubkey::default(), 0)
            .token_decimals
    })
}

/// A token amount as typed (`12.5`): checked now, turned into base units
/// with the mint's decimals once the chain has been read.
#[derive(Clone, Debug)]
pub struct TokenAmount(String);

impl TokenAmount {
    pub fn base_units(&self) -> anyhow::Result<u64> {
        depin_sdk::amount::parse_amount(&self.0, token_decimals()).map_err(anyhow::Error::msg)
    }
}

/// A token amount argument: digits with an optional decimal point.
pub fn parse_tokens(text: &str) -> Result<TokenAmount, String> {
    // Syntax now; the mint's decimals and the u64 range when converted.
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return Err(format!("'{text}' is not a token amount (e.g. 12 or 0.5)"));
    }
    Ok(TokenAmount(text.to_string()))
}

/// Base units of the network token as whole tokens, with the mint's decimals.
pub fn tokens(value: u64) -> String {
    depin_sdk::amount::format_amount(value, token_decimals())
}

pub fn sol(lamports: u64) -> String {
    depin_sdk::amount::format_amount(lamports, 9)
}
