//! `depin rewards` and `depin credits`: the rewards program
//! (`depin_client::rewards`): issuance, device and oracle reward claims,
//! and data credits (bought by burning tokens, spent by burning credits).

use {
    super::{parse_pubkey, parse_tokens, tokens, with_client, TokenAmount},
    crate::context::{Context, OutputFormat},
    anyhow::{Context as _, Result},
    clap::Subcommand,
    comfy_table::Table,
    depin_sdk::{
        batch::BatchFile,
        rewards::{self, UsagePurpose},
        Pubkey,
    },
    indicatif::{ProgressBar, ProgressStyle},
    serde_json::json,
    std::path::{Path, PathBuf},
};

#[derive(Subcommand)]
pub enum RewardsCommand {
    /// Issue the next epoch's emission (anyone may, once it has ended).
    #[command(visible_alias = "issue-epoch")]
    Issue {
        #[arg(long)]
        epoch: Option<u64>,
    },
    /// Claim what a final batch owes devices (default: all the wallet's devices).
    #[command(visible_alias = "claim-rewards")]
    Claim {
        /// The batch file the oracles published.
        #[arg(long)]
        batch: PathBuf,
        #[arg(value_parser = parse_pubkey)]
        devices: Vec<Pubkey>,
    },
    /// Issuance so far and, with --batch, what each of the wallet's devices is owed.
    Status {
        #[arg(long)]
        batch: Option<PathBuf>,
    },
    /// Move an epoch's unclaimable oracle share (rejected or expired batch,
    /// split dust) to the treasury (a DAO proposal once the DAO holds rewards).
    #[command(visible_alias = "sweep-oracle-rewards")]
    Sweep { epoch: u64 },
}

fn read_batch(path: &Path) -> Result<BatchFile> {
    BatchFile::read(path).with_context(|| format!("batch file {}", path.display()))
}

pub fn run(context: &Context, command: RewardsCommand) -> Result<()> {
    match command {
        RewardsCommand::Sweep { epoch } => with_client(context, |client| {
            let outcome = client.sweep_oracle_rewards(epoch)?;
            super::report_admin(
                context,
                &format!("sweep epoch {epoch}'s unclaimable oracle rewards"),
                outcome,
            );
            Ok(())
        }),
        RewardsCommand::Issue { epoch } => with_client(context, |client| {
            let (epoch, outcome) = client.issue_epoch(epoch)?;
            let config = client.rewards_config()?;
            context.print(
                format!(
                    "issued epoch {epoch}; next due {}; minted so far {} tokens\nsignature {outcome}",
                    config.next_epoch,
                    tokens(config.tokens_minted)
                ),
                json!({"epoch": epoch, "nextEpoch": config.next_epoch,
                       "tokensMinted": config.tokens_minted, "signature": outcome.to_string()}),
            );
            Ok(())
        }),
        RewardsCommand::Claim { batch, devices } => {
            let batch = read_batch(&batch)?;
            with_client(context, |client| {
                let bar = if context.args.output == OutputFormat::Display {
                    ProgressBar::new(0)
                } else {
                    ProgressBar::hidden()
                };
                bar.set_style(
                    ProgressStyle::with_template("claiming {bar:30} {pos}/{len} devices")
                        .expect("a valid template"),
                );
                let selected = (!devices.is_empty()).then_some(devices.as_slice());
                let report = client.claim_rewards(&batch, selected, &mut |done, total| {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                })?;
                bar.finish_and_clear();
                context.print(
                    format!(
                        "claimed {} tokens for {} devices in {} transactions",
                        tokens(report.total()),
                        report.paid.len(),
                        report.transactions
                    ),
                    json!({"total": report.total(), "devices": report.paid.len(),
                           "transactions": report.transactions,
                           "paid": report.paid.iter().map(|(device, amount)| json!({"device": device.to_string(), "amount": amount})).collect::<Vec<_>>()}),
                );
                Ok(())
            })
        }
        RewardsCommand::Status { batch } => {
            let batch = batch.as_deref().map(read_batch).transpose()?;
            with_client(context, |client| {
                let config = client.rewards_config()?;
                let mut lines = vec![
                    format!("next epoch due    {}", config.next_epoch),
                    format!("minted            {} tokens", tokens(config.tokens_minted)),
                    format!(
                        "device rewards    {} issued, {} claimed",
                        tokens(config.device_issued),
                        tokens(config.device_claimed)
                    ),
                    format!(
                        "oracle rewards    {} issued, {} claimed",
                        tokens(config.oracle_issued),
                        tokens(config.oracle_claimed)
                    ),
                    format!(
                        "treasury issued   {} tokens",
                        tokens(config.treasury_issued)
                    ),
                ];
                let mut owed_json = Vec::new();
                if let Some(batch) = &batch {
                    let keys: Vec<Pubkey> = client
                        .devices_of(&client.address())?
                        .into_iter()
                        .map(|device| device.device_key)
                        .filter(|key| batch.proof_for(key).is_some())
                        .collect();
                    let statuses = client.claim_status(batch, &keys)?;
                    let mut table = Table::new();
                    table.set_header(["device", "earned", "claimed", "owed"]);
                    for status in &statuses {
                        table.add_row([
                            status.device_key.to_string(),
                            tokens(status.earned),
                            tokens(status.claimed),
                            tokens(status.owed()),
                        ]);
                        owed_json.push(json!({"device": status.device_key.to_string(),
                            "earned": status.earned, "claimed": status.claimed, "owed": status.owed()}));
                    }
                    lines.push(format!(
                        "batch of epoch {}, your devices:\n{table}",
                        batch.epoch
                    ));
                }
                context.print(
                    lines.join("\n"),
                    json!({"nextEpoch": config.next_epoch, "tokensMinted": config.tokens_minted,
                           "deviceIssued": config.device_issued, "deviceClaimed": config.device_claimed,
                           "devices": owed_json}),
                );
                Ok(())
            })
        }
    }
}

#[derive(Subcommand)]
pub enum CreditsCommand {
    /// Burn tokens for data credits at the oracle price.
    #[command(visible_alias = "mint-data-credits")]
    Buy {
        #[arg(value_parser = parse_tokens)]
        tokens: TokenAmount,
    },
    /// Spend data credits on network usage.
    #[command(visible_alias = "burn-data-credits")]
    Burn {
        amount: u64,
        /// What the credits paid for: data-transfer, storage, compute, other.
        #[arg(long, value_parser = rewards::parse_usage_purpose, default_value = "data-transfer")]
        purpose: UsagePurpose,
    },
    /// Data credits and tokens of an owner (default: the wallet).
    Balance {
        #[arg(value_parser = parse_pubkey)]
        owner: Option<Pubkey>,
    },
}

pub fn run_credits(context: &Context, command: CreditsCommand) -> Result<()> {
    with_client(context, |client| {
        let owner = client.address();
        match command {
            CreditsCommand::Buy { tokens: amount } => {
                let amount = amount.base_units()?;
                let before = client.balances(&owner)?.credits;
                let outcome = client.mint_data_credits(amount)?;
                let credits = client.balances(&owner)?.credits.saturating_sub(before);
                context.print(
                    format!("burned {} tokens for {credits} data credits\nsignature {outcome}", tokens(amount)),
                    json!({"tokensBurned": amount, "dataCredits": credits, "signature": outcome.to_string()}),
                );
            }
            CreditsCommand::Burn { amount, purpose } => {
                let outcome = client.burn_data_credits(amount, purpose)?;
                context.print(
                    format!("burned {amount} data credits for {purpose:?}\nsignature {outcome}"),
                    json!({"burned": amount, "purpose": format!("{purpose:?}"), "signature": outcome.to_string()}),
                );
            }
            CreditsCommand::Balance { owner: whose } => {
                let whose = whose.unwrap_or(owner);
                let balances = client.balances(&whose)?;
                context.print(
                    format!("{whose}: {} data credits, {} tokens", balances.credits, tokens(balances.tokens)),
                    json!({"owner": whose.to_string(), "dataCredits": balances.credits, "tokens": balances.tokens}),
                );
            }
        }
        Ok(())
    })
}
