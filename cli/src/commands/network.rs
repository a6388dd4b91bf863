//! Deployment: `network init` (the bootstrap), `hand-over`, `show`, `grant`.

use {
    super::{parse_pubkey, parse_tokens, sol, tokens, with_client, TokenAmount},
    crate::context::Context,
    anyhow::{bail, Result},
    clap::{Args, Subcommand},
    depin_client::{bootstrap::NetworkPlan, network::InitRequest, NetworkStatus},
    depin_sdk::Pubkey,
    serde_json::json,
};

#[derive(Subcommand)]
pub enum NetworkCommand {
    /// Bootstrap a deployment (idempotent: a rerun finishes a half-done
    /// bootstrap and never duplicates; flags that differ from an existing
    /// deployment are refused). The wallet must be the programs' upgrade
    /// authority.
    Init(InitArgs),
    /// Give everything the wallet still holds (registry, oracle set,
    /// rewards, treasury) to the DAO (asks for confirmation; --yes skips it).
    HandOver,
    /// The network's configuration, authorities, classes, supply, pauses and clock.
    Show,
    /// Create the network's address lookup table (every constant address
    /// of the suite, frozen), so claims, payouts and proposals go out as
    /// version-0 transactions: a claim for a million wallets fits only that
    /// way. `network init` creates it on the embedded runtime.
    CreateLookupTable,
    /// Check every account of the embedded state (its checksum) and the
    /// whole database file (SQLite's integrity check); commands check only
    /// what they read.
    VerifyState,
    /// Pay tokens from the treasury while the wallet still holds it.
    Grant {
        /// Who receives them (address or keypair file).
        #[arg(value_parser = parse_pubkey)]
        recipient: Pubkey,
        /// How many tokens (at most what the treasury holds; see `network show`).
        #[arg(value_parser = parse_tokens)]
        tokens: TokenAmount,
    },
}

#[derive(Args)]
pub struct InitArgs {
    /// An oracle's address (repeat for each; default: the wallet alone).
    #[arg(long = "oracle", value_parser = parse_pubkey)]
    oracles: Vec<Pubkey>,
    /// Oracle votes a batch needs (default: a majority).
    #[arg(long)]
    quorum: Option<u8>,
    /// Start of epoch 0, unix time (default: now; fixed once deployed).
    #[arg(long)]
    genesis: Option<i64>,
    /// Voting power needed to create a proposal, in tokens locked (default: 1000).
    #[arg(long, value_parser = parse_tokens)]
    min_proposal_power: Option<TokenAmount>,
    /// Keep the authorities with the wallet (hand over later with
    /// `network hand-over`), e.g. to seed the first operators from the treasury.
    #[arg(long)]
    keep_authority: bool,
}

pub fn run(context: &Context, command: NetworkCommand) -> Result<()> {
    match command {
        NetworkCommand::Init(args) => init(context, args),
        NetworkCommand::HandOver => with_client(context, |client| {
            context.confirm(
                "Hand the registry, the oracle set, rewards and the treasury to the DAO? \
                 Only proposals can change them afterwards",
            )?;
            let done = client.hand_over_to_dao()?;
            context.print(
                format!(
                    "handed to the DAO: registry {}, oracle set {}, rewards {}, treasury {}",
                    yes_no(done.registry),
                    yes_no(done.oracle),
                    yes_no(done.rewards),
                    yes_no(done.treasury)
                ),
                json!({"registry": done.registry, "oracle": done.oracle,
                       "rewards": done.rewards, "treasury": done.treasury}),
            );
            Ok(())
        }),
        NetworkCommand::VerifyState => verify_state(context),
        NetworkCommand::CreateLookupTable => with_client(context, |client| {
            let (table, created) = client.create_network_lookup_table()?;
            let remembered = client.backend().lookup_table() == Some(table);
            let how = if remembered {
                "this state uses it from now on".to_string()
            } else {
                format!("pass --lookup-table {table} (or set DEPIN_LOOKUP_TABLE) to use it")
            };
            context.print(
                format!(
                    "lookup table {table} {}; {how}",
                    if created { "created and frozen" } else { "already in use" }
                ),
                json!({"lookupTable": table.to_string(), "created": created, "remembered": remembered}),
            );
            Ok(())
        }),
        NetworkCommand::Show => with_client(context, |client| {
            let status = client.network_status()?;
            let lookup_table = client.lookup_tables()?.first().map(|table| table.key);
            show(context, client.backend().describe(), &status, lookup_table);
            Ok(())
        }),
        NetworkCommand::Grant {
            recipient,
            tokens: amount,
        } => with_client(context, |client| {
            let amount = amount.base_units()?;
            let outcome = client.treasury_grant(&recipient, amount)?;
            context.print(
                format!("paid {} tokens from the treasury to {recipient}\nsignature {outcome}", tokens(amount)),
                json!({"recipient": recipient.to_string(), "amount": amount, "signature": outcome.to_string()}),
            );
            Ok(())
        }),
    }
}

fn yes_no(done: bool) -> &'static str {
    if done {
        "now"
    } else {
        "already/kept"
    }
}

/// What `network init` sets when a flag is left out.
const DEFAULT_MIN_PROPOSAL_POWER: &str = "1000";

fn init(context: &Context, args: InitArgs) -> Result<()> {
    with_client(context, |client| {
        let min_proposal_power = match &args.min_proposal_power {
            Some(power) => Some(u128::from(power.base_units()?)),
            None => None,
        };
        // A rerun skips every step that exists: flags that would change an
        // existing deployment are refused instead of silently ignored.
        let request = InitRequest {
            oracles: (!args.oracles.is_empty()).then(|| args.oracles.clone()),
            quorum: args.quorum,
            genesis: args.genesis,
            min_proposal_power,
        };
        let differences = client.init_differences(&request)?;
        if !differences.is_empty() {
            let lines: Vec<String> = differences
                .iter()
                .map(|difference| {
                    format!(
                        "  {}: deployed {}, asked {}; {}",
                        difference.setting,
                        difference.deployed,
                        difference.requested,
                        difference.how_to_change
                    )
                })
                .collect();
            bail!(
                "the network is already deployed and differs from what this `network init` \
                 asks; a rerun changes nothing that exists, so nothing was done:\n{}\n\
                 (rerun without these flags, or with the deployed values, to finish a \
                 half-done bootstrap)",
                lines.join("\n")
            );
        }
        let oracles = if args.oracles.is_empty() {
            vec![client.address()]
        } else {
            args.oracles.clone()
        };
        let quorum = args.quorum.unwrap_or((oracles.len() / 2 + 1) as u8);
        if quorum == 0 || usize::from(quorum) > oracles.len() {
            bail!(
                "--quorum {quorum}: must be between 1 and the {} oracles",
                oracles.len()
            );
        }
        let genesis = match args.genesis {
            Some(genesis) => genesis,
            None => client.backend().clock()?.unix_timestamp,
        };
        let min_proposal_power = match min_proposal_power {
            Some(power) => power,
            None => u128::from(
                super::parse_tokens(DEFAULT_MIN_PROPOSAL_POWER)
                    .map_err(anyhow::Error::msg)?
                    .base_units()?,
            ),
        };
        let mut plan = NetworkPlan::standard(oracles, quorum, genesis, min_proposal_power);
        plan.hand_over = !args.keep_authority;
        let deployment = client.init_network(&plan)?;
        // The embedded state remembers the table; a cluster's users create
        // it once with `network create-lookup-table` and name it.
        let lookup_table = if context.is_embedded() {
            Some(client.create_network_lookup_table()?.0)
        } else {
            None
        };
        let held_by = |authority: Pubkey| {
            if authority == depin_sdk::governance::dao_authority() {
                "the DAO".to_string()
            } else {
                authority.to_string()
            }
        };
        context.print(
            format!(
                "network ready on {}\n  registry authority  {}\n  oracle authority    {}\n  \
                 rewards authority   {}\n  oracles             {} (quorum {})\n  \
                 epoch 0 starts      unix time {}\n  lookup table        {}",
                client.backend().describe(),
                held_by(deployment.registry.authority),
                held_by(deployment.oracle.authority),
                held_by(deployment.rewards.authority),
                deployment.oracle.oracles.len(),
                deployment.oracle.quorum,
                deployment.oracle.genesis_timestamp,
                lookup_table.map_or("none (`depin network create-lookup-table`)".to_string(), |table| table.to_string())
            ),
            json!({
                "lookupTable": lookup_table.map(|table| table.to_string()),
                "registryAuthority": deployment.registry.authority.to_string(),
                "oracleAuthority": deployment.oracle.authority.to_string(),
                "rewardsAuthority": deployment.rewards.authority.to_string(),
                "oracles": deployment.oracle.oracles.iter().map(|o| o.to_string()).collect::<Vec<_>>(),
                "quorum": deployment.oracle.quorum,
                "genesis": deployment.oracle.genesis_timestamp,
                "handedOver": deployment.handed_over.registry || deployment.handed_over.rewards,
            }),
        );
        Ok(())
    })
}

fn show(context: &Context, cluster: String, status: &NetworkStatus, lookup_table: Option<Pubkey>) {
    let mut lines = vec![format!("cluster          {cluster}")];
    lines.push(format!(
        "clock            unix time {} (slot {})",
        status.clock.unix_timestamp, status.clock.slot
    ));
    match &status.oracle {
        None => lines.push("not deployed: run `depin network init`".into()),
        Some(oracle) => {
            lines.push(format!(
                "epoch            {} (length {} s, genesis {})",
                status
                    .current_epoch()
                    .map_or("before genesis".into(), |epoch| epoch.to_string()),
                oracle.epoch_length,
                oracle.genesis_timestamp
            ));
            lines.push(format!(
                "oracles          {} (quorum {})",
                oracle.oracles.len(),
                oracle.quorum
            ));
        }
    }
    if let Some(registry) = &status.registry {
        lines.push(format!(
            "devices          {} active, {} registered, {} makers",
            registry.active_devices, registry.devices_registered, registry.makers
        ));
        for class in &registry.classes {
            lines.push(format!(
                "  class {:<12} onboarding {} DC, location {} DC{}{}",
                class.name,
                class.onboarding_fee,
                class.location_fee,
                if class.maker_required {
                    ", maker required"
                } else {
                    ""
                },
                if class.enabled { "" } else { ", disabled" }
            ));
        }
    }
    if let Some(rewards) = &status.rewards {
        lines.push(format!("next epoch due   {}", rewards.next_epoch));
        lines.push(format!(
            "token supply     {} (minted {}, burned {})",
            tokens(status.token_supply.unwrap_or(0)),
            tokens(rewards.tokens_minted),
            tokens(rewards.tokens_burned)
        ));
        lines.push(format!(
            "data credits     {} in circulation",
            status.dc_supply.unwrap_or(0)
        ));
        lines.push(format!(
            "treasury         {} tokens",
            tokens(status.treasury_balance.unwrap_or(0))
        ));
    }
    lines.push(format!(
        "token price      {}",
        status.price.map_or("none fresh".into(), |price| format!(
            "${}",
            depin_sdk::amount::format_amount(price, 6)
        ))
    ));
    let held_by = |authority: Option<Pubkey>| match authority {
        Some(authority) if authority == status.dao_authority => "the DAO".to_string(),
        Some(authority) => authority.to_string(),
        None => "-".to_string(),
    };
    if status.oracle.is_some() || status.registry.is_some() {
        lines.push(format!(
            "authorities      registry {}, oracle {}, rewards {}, treasury {}",
            held_by(status.registry.as_ref().map(|r| r.authority)),
            held_by(status.oracle.as_ref().map(|o| o.authority)),
            held_by(status.rewards.as_ref().map(|r| r.authority)),
            held_by(status.treasury_owner),
        ));
    }
    if let Some(governance) = &status.governance {
        lines.push(format!(
            "governance       {} proposals, {} tokens locked; DAO authority {} ({} SOL)",
            governance.proposal_count,
            tokens(governance.total_locked),
            status.dao_authority,
            sol(status.dao_lamports)
        ));
    }
    let pauses = depin_client::pause_statuses(
        status.registry.as_ref(),
        status.oracle.as_ref(),
        status.rewards.as_ref(),
        status.clock.unix_timestamp,
    );
    for line in super::pause::pause_lines(&pauses) {
        lines.push(format!("pause            {line}"));
    }
    let dao = status.dao_authority;
    let classes = status
        .registry
        .as_ref()
        .map(|registry| super::device_registry::classes_json(&registry.classes));
    let oracles = status.oracle.as_ref().map(|oracle| {
        json!({
            "set": oracle.oracles.iter().map(Pubkey::to_string).collect::<Vec<_>>(),
            "quorum": oracle.quorum,
            "genesis": oracle.genesis_timestamp,
            "epochLength": oracle.epoch_length,
        })
    });
    let authorities = json!({
        "registry": status.registry.as_ref().map(|r| r.authority.to_string()),
        "oracle": status.oracle.as_ref().map(|o| o.authority.to_string()),
        "rewards": status.rewards.as_ref().map(|r| r.authority.to_string()),
        "treasury": status.treasury_owner.map(|owner| owner.to_string()),
        "dao": dao.to_string(),
    });
    let json = json!({
        "cluster": cluster,
        "unixTimestamp": status.clock.unix_timestamp,
        "epoch": status.current_epoch(),
        "deployed": status.oracle.is_some(),
        "activeDevices": status.registry.as_ref().map(|r| r.active_devices),
        "registryAuthorityIsDao": status.registry.as_ref().map(|r| r.authority == dao),
        "nextEpochDue": status.rewards.as_ref().map(|r| r.next_epoch),
        "tokenSupply": status.token_supply,
        "dataCreditSupply": status.dc_supply,
        "treasury": status.treasury_balance,
        "price": status.price,
        "proposals": status.governance.as_ref().map(|g| g.proposal_count),
        "tokensLocked": status.governance.as_ref().map(|g| g.total_locked),
        "pause": super::pause::pause_json(&pauses),
        "classes": classes,
        "oracles": oracles,
        "authorities": authorities,
        "minProposalPower": status.governance.as_ref().map(|g| g.rules.min_proposal_power.to_string()),
        "lookupTable": lookup_table.map(|table| table.to_string()),
    });
    lines.push(format!(
        "lookup table     {}",
        lookup_table.map_or(
            "none: legacy transactions (`depin network create-lookup-table`)".to_string(),
            |table| table.to_string()
        )
    ));
    context.print(lines.join("\n"), json);
}

fn verify_state(context: &Context) -> Result<()> {
    anyhow::ensure!(
        context.is_embedded(),
        "verify-state checks the embedded runtime's state file; a cluster keeps its own"
    );
    let path = crate::context::expand_tilde(&context.args.state);
    crate::context::hold_state_lock(&path, context.args.lock_timeout)?;
    let store =
        depin_client::store::AccountStore::open(&path).map_err(|error| anyhow::anyhow!(error))?;
    let accounts = store.verify().map_err(|error| anyhow::anyhow!(error))?;
    context.print(
        format!(
            "{}: {accounts} accounts, every checksum and the database intact",
            path.display()
        ),
        json!({"state": path.display().to_string(), "accounts": accounts, "intact": true}),
    );
    Ok(())
}
