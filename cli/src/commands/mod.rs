//! One file per `depin-client` module: `device_registry`, `proof_oracle`,
//! `rewards`, `governance`, `pause`, `network`, `wallet`; and the demo.

pub mod demo;
pub mod device_registry;
pub mod governance;
pub mod network;
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
    /// Issue epochs and claim device rewards.
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
    /// Run the whole network on a fresh embedded runtime: bootstrap, onboard
    /// devices, run epochs, and print what it cost.
    Demo(demo::DemoArgs),
}

pub fn run(global: GlobalArgs, command: Command) -> anyhow::Result<()> {
    let context = Context::new(global)?;
    if context.is_embedded() && !matches!(command, Command::Demo(_)) {
        crate::stdout::silence_program_logs();
    }
    match command {
        Command::Demo(args) => demo::run(args),
        Command::Keygen(args) => wallet::keygen(&context, args),
        Command::Address => wallet::address(&context),
        Command::Balance(args) => wallet::balance(&context, args),
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

/// Runs `operation` with the wallet's client, then saves the embedded state.
pub fn with_client<T>(
    context: &Context,
    operation: impl FnOnce(&mut depin_client::Client) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let mut client = context.client()?;
    learn_token_decimals(&client);
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

/// A `Pubkey` argument.
pub fn parse_pubkey(text: &str) -> Result<depin_sdk::Pubkey, String> {
    text.parse()
        .map_err(|_| format!("'{text}' is not a base-58 address"))
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
