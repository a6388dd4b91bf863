//! `depin rewards` and `depin credits`: the rewards program
//! (`depin_client::rewards`): issuance, device and oracle reward claims,
//! and data credits (bought by burning tokens, spent by burning credits).

use {
    super::{parse_pubkey, parse_tokens, tokens, when, with_client, TokenAmount},
    crate::context::{Context, OutputFormat},
    anyhow::{bail, Context as _, Result},
    clap::Subcommand,
    comfy_table::Table,
    depin_client::{rewards::IssueCheck, Client},
    depin_sdk::{
        batch::{BatchError, BatchFile},
        rewards::{self, UsagePurpose},
        Pubkey,
    },
    indicatif::{ProgressBar, ProgressStyle},
    serde_json::json,
    std::path::{Path, PathBuf},
};

#[derive(Subcommand)]
pub enum RewardsCommand {
    /// Issue the next epoch's emission (anyone may, once it has ended); with
    /// --until, every ended epoch up to one.
    #[command(visible_alias = "issue-epoch")]
    Issue {
        /// The epoch to issue (default: the next one due; epochs go in order).
        #[arg(long, conflicts_with = "until")]
        epoch: Option<u64>,
        /// Issue every epoch due up to this one: an epoch number, or `now` for
        /// every epoch that has ended (e.g. after a long pause).
        #[arg(long, value_parser = parse_until)]
        until: Option<Until>,
    },
    /// Claim what a final batch owes devices (default: all the wallet's devices).
    #[command(visible_alias = "claim-rewards")]
    Claim {
        /// The batch file the oracles published (`depin oracle status` shows where).
        #[arg(long)]
        batch: PathBuf,
        /// Devices to claim for (addresses or keypair files; default: all the wallet's).
        #[arg(value_parser = parse_pubkey)]
        devices: Vec<Pubkey>,
    },
    /// Issuance so far and, with --batch, what each of the wallet's devices
    /// is owed (the file is checked against the chain first).
    Status {
        /// The batch file the oracles published (`depin oracle status` shows where).
        #[arg(long)]
        batch: Option<PathBuf>,
    },
    /// Move an epoch's unclaimable oracle share (rejected or expired batch,
    /// split dust) to the treasury (a DAO proposal once the DAO holds rewards).
    #[command(visible_alias = "sweep-oracle-rewards")]
    Sweep {
        /// The epoch whose unclaimable oracle share to sweep.
        epoch: u64,
    },
}

/// How far `rewards issue --until` goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Until {
    /// Every epoch that has ended.
    Now,
    Epoch(u64),
}

fn parse_until(text: &str) -> Result<Until, String> {
    if text.eq_ignore_ascii_case("now") {
        return Ok(Until::Now);
    }
    text.parse()
        .map(Until::Epoch)
        .map_err(|_| format!("'{text}' is neither an epoch number nor `now`"))
}

fn read_batch(path: &Path) -> Result<BatchFile> {
    BatchFile::read(path).map_err(|error| match error {
        BatchError::Io { source, .. } => {
            anyhow::anyhow!("cannot read batch file {}: {source}", path.display())
        }
        error => anyhow::Error::from(error).context(format!("batch file {}", path.display())),
    })
}

/// The unix time on the cluster's clock.
fn chain_now(client: &Client) -> Result<i64> {
    Ok(client.backend().clock()?.unix_timestamp)
}

/// Why `check`'s epoch cannot be issued now, with when it can (local time
/// and how far from now).
fn issue_blocker(check: &IssueCheck) -> Option<anyhow::Error> {
    let (epoch, now) = (check.epoch, check.now);
    if now < check.ends_at {
        return Some(anyhow::anyhow!(
            "epoch {epoch} has not ended (EpochNotEnded): it ends {}",
            when(check.ends_at, now)
        ));
    }
    match check.breaker_clears_at {
        Some(at) if at <= now => None,
        Some(at) => Some(anyhow::anyhow!(
            "issuing epoch {epoch} would trip the token circuit breaker \
             (CircuitBreakerTripped): it mints {} tokens, more than the breaker lets through \
             now; try again {}",
            tokens(check.amount),
            when(at, now)
        )),
        None => Some(anyhow::anyhow!(
            "issuing epoch {epoch} would trip the token circuit breaker \
             (CircuitBreakerTripped): it mints {} tokens, more than the breaker ever allows in \
             one window; the rewards authority must raise the limit",
            tokens(check.amount)
        )),
    }
}

/// A progress bar on the terminal for display output, hidden otherwise.
fn progress_bar(context: &Context, template: &str) -> ProgressBar {
    let bar = if context.args.output == OutputFormat::Display {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(ProgressStyle::with_template(template).expect("a valid template"));
    bar
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
        RewardsCommand::Issue { epoch, until: None } => with_client(context, |client| {
            let check = client.issue_check(epoch)?;
            if let Some(blocker) = issue_blocker(&check) {
                return Err(blocker);
            }
            let (epoch, outcome) = client.issue_epoch(Some(check.epoch))?;
            let config = client.rewards_config()?;
            context.print(
                format!(
                    "issued epoch {epoch}: {} tokens; next due {}; minted so far {} tokens\n\
                     signature {outcome}",
                    tokens(check.amount),
                    config.next_epoch,
                    tokens(config.tokens_minted)
                ),
                json!({"epoch": epoch, "amount": check.amount, "nextEpoch": config.next_epoch,
                       "tokensMinted": config.tokens_minted, "signature": outcome.to_string()}),
            );
            Ok(())
        }),
        RewardsCommand::Issue {
            until: Some(until), ..
        } => issue_until(context, until),
        RewardsCommand::Claim { batch, devices } => {
            let batch = read_batch(&batch)?;
            with_client(context, |client| {
                let on_chain = client.verify_batch(&batch)?;
                let now = chain_now(client)?;
                if now < on_chain.challenge_ends_at {
                    bail!(
                        "the batch of epoch {} is in its challenge window \
                         (BatchInChallengeWindow): claims open {}",
                        batch.epoch,
                        when(on_chain.challenge_ends_at, now)
                    );
                }
                let bar = progress_bar(context, "claiming {bar:30} {pos}/{len} devices");
                let selected = (!devices.is_empty()).then_some(devices.as_slice());
                let report = client.claim_rewards(&batch, selected, &mut |done, total| {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                })?;
                bar.finish_and_clear();
                let signatures: Vec<String> =
                    report.signatures.iter().map(ToString::to_string).collect();
                context.print(
                    format!(
                        "claimed {} tokens for {} devices in {} transactions\n{}",
                        tokens(report.total()),
                        report.paid.len(),
                        report.transactions,
                        signatures
                            .iter()
                            .map(|signature| format!("signature {signature}"))
                            .collect::<Vec<_>>()
                            .join("\n")
                    ),
                    json!({"total": report.total(), "devices": report.paid.len(),
                           "transactions": report.transactions, "signatures": signatures,
                           "paid": report.paid.iter().map(|(device, amount)| json!({"device": device.to_string(), "amount": amount})).collect::<Vec<_>>()}),
                );
                Ok(())
            })
        }
        RewardsCommand::Status { batch } => {
            let batch = batch
                .as_deref()
                .map(|path| read_batch(path).map(|batch| (path, batch)))
                .transpose()?;
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
                let mut batch_json = serde_json::Value::Null;
                match &batch {
                    None => lines.push(
                        "what your devices are owed: `depin rewards status --batch FILE` with \
                         the batch file the oracles published (`depin oracle status` shows \
                         where)"
                            .into(),
                    ),
                    Some((path, batch)) => {
                        // Nothing the file promises is shown before the
                        // chain vouches for it.
                        let on_chain = client
                            .verify_batch(batch)
                            .with_context(|| format!("batch file {}", path.display()))?;
                        let now = chain_now(client)?;
                        let owned = client.devices_of(&client.address())?;
                        let keys: Vec<Pubkey> = owned
                            .iter()
                            .map(|device| device.device_key)
                            .filter(|key| batch.proof_for(key).is_some())
                            .collect();
                        let statuses = client.claim_status(batch, &keys)?;
                        let claims = if now < on_chain.challenge_ends_at {
                            format!(
                                "claims open {} (challenge window)",
                                when(on_chain.challenge_ends_at, now)
                            )
                        } else {
                            "claims open".to_string()
                        };
                        lines.push(format!(
                            "batch of epoch {} (matches the chain: {} devices, {} tokens); {claims}",
                            batch.epoch,
                            on_chain.commitment.leaf_count,
                            tokens(on_chain.commitment.total)
                        ));
                        if statuses.is_empty() {
                            lines.push(format!(
                                "none of this wallet's {} devices is in this batch (register \
                                 devices with `depin device register`; `depin device list` \
                                 shows yours)",
                                owned.len()
                            ));
                        } else {
                            let mut table = Table::new();
                            table.set_header(["device", "earned", "claimed", "owed"]);
                            for status in &statuses {
                                table.add_row([
                                    status.device_key.to_string(),
                                    tokens(status.earned),
                                    tokens(status.claimed),
                                    tokens(status.owed()),
                                ]);
                            }
                            let owed: u64 = statuses.iter().map(|status| status.owed()).sum();
                            lines.push(format!("your devices (amounts in tokens):\n{table}"));
                            lines.push(if owed > 0 {
                                format!(
                                    "owed {} tokens in all: `depin rewards claim --batch {}`",
                                    tokens(owed),
                                    path.display()
                                )
                            } else {
                                "nothing is owed: every device has claimed this batch".into()
                            });
                        }
                        for status in &statuses {
                            owed_json.push(json!({"device": status.device_key.to_string(),
                                "earned": status.earned, "claimed": status.claimed, "owed": status.owed()}));
                        }
                        batch_json = json!({"epoch": batch.epoch,
                            "claimableFrom": on_chain.challenge_ends_at,
                            "total": on_chain.commitment.total});
                    }
                }
                context.print(
                    lines.join("\n"),
                    json!({"nextEpoch": config.next_epoch, "tokensMinted": config.tokens_minted,
                           "deviceIssued": config.device_issued, "deviceClaimed": config.device_claimed,
                           "batch": batch_json, "devices": owed_json}),
                );
                Ok(())
            })
        }
    }
}

/// `rewards issue --until`: every epoch due up to `until`, one transaction
/// each, with a progress bar. Stops at the first epoch the clock or the
/// token breaker holds back; what was issued is saved and reported, then
/// the reason is the command's error.
fn issue_until(context: &Context, until: Until) -> Result<()> {
    let stopped = with_client(context, |client| {
        let config = client.rewards_config()?;
        let oracle = client.oracle_config()?;
        let now = chain_now(client)?;
        let first = config.next_epoch;
        let next_end = oracle.epoch_end(first).unwrap_or(i64::MAX);
        let last = match until {
            Until::Now => match oracle
                .current_epoch(now)
                .and_then(|epoch| epoch.checked_sub(1))
            {
                Some(last) if last >= first => last,
                _ => bail!(
                    "nothing to issue: every ended epoch is issued; epoch {first} ends {}",
                    when(next_end, now)
                ),
            },
            Until::Epoch(last) if last < first => bail!(
                "epoch {last} is already issued (EpochAlreadyIssued); the next one due is {first}"
            ),
            Until::Epoch(last) => {
                let ends = oracle
                    .epoch_end(last)
                    .map_err(|_| anyhow::anyhow!("epoch {last} lies beyond the clock's range"))?;
                if now < ends {
                    bail!(
                        "epoch {last} has not ended (EpochNotEnded): it ends {}; `--until now` \
                         issues every epoch that has",
                        when(ends, now)
                    );
                }
                last
            }
        };
        let bar = progress_bar(context, "issuing {bar:30} {pos}/{len} epochs");
        bar.set_length(last - first + 1);
        let mut issued = Vec::new();
        let mut stop = None;
        for epoch in first..=last {
            let attempt = client
                .issue_check(Some(epoch))
                .map_err(anyhow::Error::from)
                .and_then(|check| match issue_blocker(&check) {
                    Some(blocker) => Err(blocker),
                    None => Ok(check),
                })
                .and_then(|check| {
                    let (_, outcome) = client.issue_epoch(Some(epoch))?;
                    Ok((epoch, check.amount, outcome.signature))
                });
            match attempt {
                Ok(done) => issued.push(done),
                // Nothing done yet: the plain error (a simulation's report too).
                Err(error) if issued.is_empty() => return Err(error),
                Err(error) => {
                    stop = Some(error);
                    break;
                }
            }
            bar.inc(1);
        }
        bar.finish_and_clear();
        let config = client.rewards_config()?;
        let minted: u64 = issued.iter().map(|(_, amount, _)| amount).sum();
        let (from, to) = (issued[0].0, issued[issued.len() - 1].0);
        let mut display = vec![format!(
            "issued {} epochs ({from} to {to}): {} tokens; next due {}; minted so far {} tokens",
            issued.len(),
            tokens(minted),
            config.next_epoch,
            tokens(config.tokens_minted)
        )];
        display.extend(issued.iter().map(|(epoch, amount, signature)| {
            format!(
                "  epoch {epoch}: {} tokens, signature {signature}",
                tokens(*amount)
            )
        }));
        context.print(
            display.join("\n"),
            json!({"issued": issued.iter().map(|(epoch, amount, signature)| json!({
                       "epoch": epoch, "amount": amount, "signature": signature.to_string()}))
                       .collect::<Vec<_>>(),
                   "nextEpoch": config.next_epoch, "tokensMinted": config.tokens_minted,
                   "complete": stop.is_none(),
                   "stopped": stop.as_ref().map(|error| format!("{error:#}"))}),
        );
        Ok(stop.map(|error| (error, to, last)))
    })?;
    match stopped {
        None => Ok(()),
        Some((error, to, last)) => Err(error.context(format!(
            "issued epochs up to {to}, not yet up to {last}; rerun the command to go on"
        ))),
    }
}

#[derive(Subcommand)]
pub enum CreditsCommand {
    /// Burn tokens for data credits at the oracle price (shows the quote and
    /// asks first; --yes skips the question).
    #[command(visible_alias = "mint-data-credits")]
    Buy {
        /// Tokens to burn (e.g. 12.5); the quote shows the credits they buy.
        #[arg(value_parser = parse_tokens)]
        tokens: TokenAmount,
    },
    /// Spend data credits on network usage.
    #[command(visible_alias = "burn-data-credits")]
    Burn {
        /// Data credits to burn (whole credits).
        amount: u64,
        /// What the credits paid for: data-transfer, storage, compute, other.
        #[arg(long, value_parser = rewards::parse_usage_purpose, default_value = "data-transfer")]
        purpose: UsagePurpose,
    },
    /// Data credits and tokens of an owner (default: the wallet).
    Balance {
        /// The owner: an address or a keypair file (default: the wallet).
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
                let before = client.balances(&owner)?;
                if before.tokens < amount {
                    bail!(
                        "insufficient funds: buying credits for {} tokens needs them, and this \
                         wallet holds {} tokens",
                        tokens(amount),
                        tokens(before.tokens)
                    );
                }
                let priced = client.quote_data_credits(amount)?;
                let quote = priced.quote;
                context.confirm(&format!(
                    "Burn {} tokens for {} data credits, at ${} per token (the oracle median ${} \
                     less the network's discount)?",
                    tokens(quote.tokens_burned),
                    quote.dc,
                    depin_sdk::amount::format_amount(quote.price, 6),
                    depin_sdk::amount::format_amount(priced.median, 6)
                ))?;
                let outcome = client.mint_data_credits(amount)?;
                let after = client.balances(&owner)?;
                let credits = after.credits.saturating_sub(before.credits);
                let burned = before.tokens.saturating_sub(after.tokens);
                context.print(
                    format!(
                        "burned {} tokens for {credits} data credits (${} per token)\n\
                         signature {outcome}",
                        tokens(burned),
                        depin_sdk::amount::format_amount(quote.price, 6)
                    ),
                    json!({"tokensBurned": burned, "dataCredits": credits,
                           "microUsdPerToken": quote.price, "signature": outcome.to_string()}),
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
