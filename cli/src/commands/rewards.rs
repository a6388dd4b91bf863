//! `depin rewards` and `depin credits`: the rewards program
//! (`depin_client::rewards`): issuance, wallet and oracle reward claims,
//! payouts, and data credits (bought by burning tokens, spent by burning
//! credits).

use {
    super::{parse_pubkey, parse_tokens, tokens, when, with_client, TokenAmount},
    crate::context::{Context, OutputFormat},
    anyhow::{bail, Context as _, Result},
    clap::Subcommand,
    comfy_table::Table,
    depin_client::{rewards::IssueCheck, Client},
    depin_sdk::{
        batch::{BatchError, BatchFile},
        pda,
        rewards::{self, state::RecipientRecord, UsagePurpose},
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
    /// Claim what a final batch owes a wallet for its whole fleet, in one
    /// transaction (default: this wallet; its token account is created if
    /// missing).
    #[command(visible_alias = "claim-rewards")]
    Claim {
        /// A batch file the oracles published, instead of asking an oracle
        /// node's proof API (`depin oracle status` shows where it is).
        #[arg(long)]
        batch: Option<PathBuf>,
        /// The oracle node whose proof API to ask (default: the node that
        /// published the newest claimable batch, from its vote's uri).
        #[arg(long, conflicts_with = "batch")]
        oracle: Option<String>,
        /// Claim for another wallet (address or keypair file): the tokens go
        /// to it, this wallet pays the fee.
        #[arg(long = "for", value_name = "WALLET", value_parser = parse_pubkey)]
        recipient: Option<Pubkey>,
    },
    /// Pay every wallet a final batch still owes, one claim per transaction
    /// (a payout crank; this wallet pays the fees and each new wallet's
    /// record rent). Resumable: a rerun pays only what is still owed.
    ///
    /// The claims come from an oracle node's proof API (its bulk endpoint,
    /// 1,000 wallets a request), each checked against the chain first; or
    /// from a batch file with --batch.
    Distribute {
        /// A batch file the oracles published, instead of the proof API.
        #[arg(long)]
        batch: Option<PathBuf>,
        /// The oracle node whose proof API to ask (default: the node that
        /// published the newest claimable batch, from its vote's uri).
        #[arg(long, conflicts_with = "batch")]
        oracle: Option<String>,
    },
    /// Issuance so far and, with --batch, what a wallet is owed and what
    /// each of its devices earned in the batch's epoch (the file is checked
    /// against the chain first).
    Status {
        /// The batch file the oracles published (`depin oracle status` shows where).
        #[arg(long)]
        batch: Option<PathBuf>,
        /// The wallet to show (address or keypair file; default: this wallet).
        #[arg(long, value_parser = parse_pubkey)]
        wallet: Option<Pubkey>,
        /// The oracle node whose proof API to ask, without --batch (default:
        /// the node that published the newest claimable batch).
        #[arg(long, conflicts_with = "batch")]
        oracle: Option<String>,
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

pub(super) fn read_batch(path: &Path) -> Result<BatchFile> {
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
        RewardsCommand::Claim {
            batch: None,
            oracle,
            recipient,
        } => claim_through_api(context, oracle, recipient),
        RewardsCommand::Claim {
            batch: Some(batch),
            recipient,
            ..
        } => {
            let batch = read_batch(&batch)?;
            with_client(context, |client| {
                require_claims_open(client, &batch)?;
                let wallet = recipient.unwrap_or_else(|| client.address());
                let report = client.claim_rewards(&batch, Some(wallet))?;
                let devices = batch.devices_of(&wallet).count();
                let (whose, signatures, lines) = claim_printout(client, &wallet, &report);
                context.print(
                    format!(
                        "claimed {} tokens for {whose}, its whole fleet as of the batch of \
                         epoch {} ({devices} devices earned in that epoch), in {} transaction(s)\n\
                         {lines}",
                        tokens(report.total()),
                        batch.epoch(),
                        report.transactions,
                    ),
                    json!({"total": report.total(), "wallet": wallet.to_string(),
                           "epoch": batch.epoch(), "devicesThisEpoch": devices,
                           "transactions": report.transactions, "signatures": signatures}),
                );
                Ok(())
            })
        }
        RewardsCommand::Distribute {
            batch: Some(batch), ..
        } => distribute(context, Payout::Batch(read_batch(&batch)?)),
        RewardsCommand::Distribute {
            batch: None,
            oracle,
        } => distribute(context, Payout::ProofApi(oracle)),
        RewardsCommand::Status {
            batch,
            wallet,
            oracle,
        } => {
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
                let mut json = json!({"nextEpoch": config.next_epoch,
                    "tokensMinted": config.tokens_minted, "deviceIssued": config.device_issued,
                    "deviceClaimed": config.device_claimed, "batch": null, "wallet": null,
                    "devices": []});
                match &batch {
                    None => {
                        let wallet = wallet.unwrap_or_else(|| client.address());
                        let api = match oracle {
                            Some(url) => Ok(url.trim_end_matches('/').to_string()),
                            None => client.proof_api(),
                        };
                        match api {
                            Ok(api) => api_status(client, &api, wallet, &mut lines, &mut json)?,
                            Err(_) => lines.push(
                                "what your wallet is owed: no oracle node published a claimable \
                                 batch; `depin rewards status --batch FILE` with the batch file \
                                 the oracles published (`depin oracle status` shows where)"
                                    .into(),
                            ),
                        }
                    }
                    Some((path, batch)) => {
                        let wallet = wallet.unwrap_or_else(|| client.address());
                        batch_status(client, path, batch, wallet, &mut lines, &mut json)?;
                    }
                }
                context.print(lines.join("\n"), json);
                Ok(())
            })
        }
    }
}

/// Refuses a claim against `batch` before the chain vouches for it or
/// while its challenge window runs, saying when claims open.
/// A wallet's claim as an oracle node's proof API gives it (not yet
/// checked against the chain).
/// A claim's printout: whose it was, its signatures, and their lines.
fn claim_printout(
    client: &Client,
    wallet: &Pubkey,
    report: &depin_client::rewards::ClaimReport,
) -> (String, Vec<String>, String) {
    let signatures: Vec<String> = report.signatures.iter().map(ToString::to_string).collect();
    let whose = if *wallet == client.address() {
        "this wallet".to_string()
    } else {
        format!("{wallet} (this wallet paid the fee)")
    };
    let lines = signatures
        .iter()
        .map(|signature| format!("signature {signature}"))
        .collect::<Vec<_>>()
        .join("\n");
    (whose, signatures, lines)
}

fn fetch_claim(api: &str, wallet: &Pubkey) -> Result<depin_oracle::claims::WalletClaim> {
    Ok(depin_oracle::proof_api::ProofApi::new(api).claim(wallet)?)
}

/// The proof API named by `--oracle`, or the one that published the
/// newest claimable batch.
fn proof_api_of(client: &Client, oracle: Option<String>) -> Result<String> {
    Ok(match oracle {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => client.proof_api()?,
    })
}

/// `rewards claim` without a batch file: the leaf and proof from an oracle
/// node's proof API, checked against the chain before anything is sent.
fn claim_through_api(
    context: &Context,
    oracle: Option<String>,
    recipient: Option<Pubkey>,
) -> Result<()> {
    with_client(context, |client| {
        let api = proof_api_of(client, oracle)?;
        let wallet = recipient.unwrap_or_else(|| client.address());
        let claim = fetch_claim(&api, &wallet)?
            .to_claim()
            .map_err(|problem| anyhow::anyhow!("{api}: {problem}"))?;
        let epoch = claim.batch_epoch;
        let report = client.claim_with_proof(claim)?;
        let (whose, signatures, lines) = claim_printout(client, &wallet, &report);
        context.print(
            format!(
                "claimed {} tokens for {whose}, its whole fleet as of the batch of epoch {epoch} \
                 (proof from {api}, checked against the chain), in {} transaction(s)\n{lines}",
                tokens(report.total()),
                report.transactions,
            ),
            json!({"total": report.total(), "wallet": wallet.to_string(), "epoch": epoch,
                   "oracle": api, "transactions": report.transactions,
                   "signatures": signatures}),
        );
        Ok(())
    })
}

/// `rewards status` through an oracle node's proof API: the wallet's
/// standing in the newest claimable batch, once the chain vouches for it.
fn api_status(
    client: &Client,
    api: &str,
    wallet: Pubkey,
    lines: &mut Vec<String>,
    json: &mut serde_json::Value,
) -> Result<()> {
    let answer = match fetch_claim(api, &wallet) {
        Ok(answer) => answer,
        Err(error) => {
            lines.push(format!("wallet {wallet}: {error:#}"));
            return Ok(());
        }
    };
    let claim = answer
        .to_claim()
        .map_err(|problem| anyhow::anyhow!("{api}: {problem}"))?;
    let paid = client.check_claim_proof(&claim)?;
    let owed = claim.amount.saturating_sub(paid);
    lines.push(format!(
        "wallet {wallet}, batch of epoch {} (from {api}, checked against the chain)",
        claim.batch_epoch
    ));
    lines.push(format!("earned            {} tokens", tokens(claim.amount)));
    lines.push(format!("claimed           {} tokens", tokens(paid)));
    lines.push(format!("owed              {} tokens", tokens(owed)));
    json["wallet"] = json!({"address": wallet.to_string(), "epoch": claim.batch_epoch,
        "earned": claim.amount, "claimed": paid, "owed": owed, "oracle": api});
    Ok(())
}

fn require_claims_open(client: &Client, batch: &BatchFile) -> Result<()> {
    let on_chain = client.verify_batch(batch)?;
    let now = chain_now(client)?;
    if now < on_chain.challenge_ends_at {
        bail!(
            "the batch of epoch {} is in its challenge window (BatchInChallengeWindow): claims \
             open {}",
            batch.epoch(),
            when(on_chain.challenge_ends_at, now)
        );
    }
    Ok(())
}

/// `rewards status --batch`: the batch as the chain vouches for it, the
/// wallet's standing, and what each of its devices earned this epoch.
fn batch_status(
    client: &Client,
    path: &Path,
    batch: &BatchFile,
    wallet: Pubkey,
    lines: &mut Vec<String>,
    json: &mut serde_json::Value,
) -> Result<()> {
    // Nothing the file promises is shown before the chain vouches for it.
    let on_chain = client
        .verify_batch(batch)
        .with_context(|| format!("batch file {}", path.display()))?;
    let now = chain_now(client)?;
    let epoch = batch.epoch();
    let claims = if now < on_chain.challenge_ends_at {
        format!(
            "claims open {} (challenge window)",
            when(on_chain.challenge_ends_at, now)
        )
    } else {
        "claims open".to_string()
    };
    lines.push(format!(
        "batch of epoch {epoch} (matches the chain: {} wallets, {} tokens; {} devices earned \
         in epoch {epoch}); {claims}",
        on_chain.commitment.leaf_count,
        tokens(on_chain.commitment.total),
        batch.devices().len()
    ));
    json["batch"] = json!({"epoch": epoch, "claimableFrom": on_chain.challenge_ends_at,
        "wallets": on_chain.commitment.leaf_count, "total": on_chain.commitment.total,
        "devices": batch.devices().len()});
    let whose = if wallet == client.address() {
        format!("this wallet ({wallet})")
    } else {
        format!("wallet {wallet}")
    };
    if batch.proof_for(&wallet).is_none() {
        lines.push(format!(
            "{whose} has no rewards in this batch: no device paying it has earned anything \
             yet (`depin device list` shows your devices and where their rewards go; `depin \
             device set-rewards-recipient` points a device's rewards at a wallet)"
        ));
        return Ok(());
    }
    let status = client
        .claim_status(batch, &[wallet])?
        .pop()
        .expect("one status per wallet");
    lines.push(format!(
        "{whose}: earned {} tokens in all, claimed {}, owed {}",
        tokens(status.earned),
        tokens(status.claimed),
        tokens(status.owed())
    ));
    json["wallet"] = json!({"address": wallet.to_string(), "earned": status.earned,
        "claimed": status.claimed, "owed": status.owed()});
    let devices: Vec<_> = batch.devices_of(&wallet).collect();
    if devices.is_empty() {
        lines.push(format!(
            "none of its devices earned anything in epoch {epoch}: its total carries forward \
             from earlier batches"
        ));
    } else {
        let mut table = Table::new();
        table.set_header(["device", "serial", &format!("earned in epoch {epoch}")]);
        for device in &devices {
            table.add_row([
                device.device_key.to_string(),
                device.serial.to_string(),
                tokens(device.amount),
            ]);
        }
        let earned: u64 = devices.iter().map(|device| device.amount).sum();
        lines.push(format!(
            "its {} devices in epoch {epoch} earned {} tokens (amounts in tokens):\n{table}",
            devices.len(),
            tokens(earned)
        ));
        json["devices"] = devices
            .iter()
            .map(|device| {
                json!({"device": device.device_key.to_string(), "serial": device.serial,
                       "amount": device.amount})
            })
            .collect();
    }
    let own = wallet == client.address();
    lines.push(if status.owed() == 0 {
        "nothing is owed: the wallet has claimed everything this batch promises".into()
    } else if own {
        format!(
            "owed {} tokens: `depin rewards claim --batch {}` pays them in one transaction",
            tokens(status.owed()),
            path.display()
        )
    } else {
        format!(
            "owed {} tokens: `depin rewards claim --batch {} --for {wallet}` pays them",
            tokens(status.owed()),
            path.display()
        )
    });
    Ok(())
}

/// Where `rewards distribute` gets its claims.
enum Payout {
    Batch(BatchFile),
    /// `--oracle`, or the API the newest claimable batch names.
    ProofApi(Option<String>),
}

/// `rewards distribute`: pays every wallet the batch still owes, with a
/// progress bar. Resumable: what was paid is read from the chain, so a
/// rerun pays only the rest; an interrupted run keeps (and reports) what
/// it paid, then the failure is the command's error.
fn distribute(context: &Context, payout: Payout) -> Result<()> {
    let stopped = with_client(context, |client| {
        let (claims, source) = match &payout {
            Payout::Batch(batch) => {
                require_claims_open(client, batch)?;
                let claims: Vec<_> = batch
                    .leaves()
                    .iter()
                    .map(|leaf| {
                        depin_sdk::rewards::claim_from_batch(
                            batch,
                            &Pubkey::new_from_array(leaf.recipient),
                        )
                        .expect("every leaf's wallet is in its batch")
                    })
                    .collect();
                (claims, None)
            }
            Payout::ProofApi(oracle) => {
                let api = proof_api_of(client, oracle.clone())?;
                let bar = progress_bar(context, "reading claims {bar:30} {pos}/{len} wallets");
                let answers = depin_oracle::proof_api::ProofApi::new(&api).every_claim(
                    &mut |read, total| {
                        bar.set_length(total as u64);
                        bar.set_position(read as u64);
                    },
                )?;
                bar.finish_and_clear();
                let claims = answers
                    .iter()
                    .map(|answer| answer.to_claim())
                    .collect::<Result<Vec<_>, String>>()
                    .map_err(|problem| anyhow::anyhow!("{api}: {problem}"))?;
                (claims, Some(api))
            }
        };
        let epoch = claims.first().map_or(0, |claim| claim.batch_epoch);
        let wallets = claims.len();
        // Every proof is checked against the root final on chain here,
        // before anything is paid.
        let before = client.check_claim_proofs(&claims)?;
        let owed = claims
            .iter()
            .zip(&before)
            .filter(|(claim, paid)| claim.amount > **paid)
            .count();
        let from = source.as_ref().map_or(String::new(), |api| {
            format!(" (claims from {api}, checked against the chain)")
        });
        if owed == 0 {
            context.print(
                format!(
                    "nothing owed: all {wallets} wallets of the batch of epoch {epoch} have been \
                     paid{from}"
                ),
                json!({"epoch": epoch, "wallets": wallets, "paid": 0, "total": 0,
                       "transactions": 0, "signatures": [], "complete": true,
                       "oracle": source}),
            );
            return Ok(None);
        }
        let recipients: Vec<Pubkey> = claims.iter().map(|claim| claim.recipient).collect();
        let bar = progress_bar(context, "paying {bar:30} {pos}/{len} wallets");
        bar.set_length(owed as u64);
        let done = std::cell::Cell::new(0usize);
        let result = client.distribute_claims(claims, &mut |paid, total| {
            done.set(paid);
            bar.set_length(total as u64);
            bar.set_position(paid as u64);
        });
        bar.finish_and_clear();
        let (transactions, signatures, stop) = match result {
            Ok(report) => (
                Some(report.transactions),
                report
                    .signatures
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
                None,
            ),
            // Nothing paid yet: the plain error (a simulation's report too).
            Err(error) if done.get() == 0 => return Err(error.into()),
            Err(error) => (None, Vec::new(), Some(error)),
        };
        // What landed is on chain: count it from there (exact after an
        // interruption too).
        let after = client.fetch_many::<RecipientRecord>(
            &recipients
                .iter()
                .map(|wallet| pda::recipient_record(wallet).0)
                .collect::<Vec<_>>(),
        )?;
        let mut paid = (0usize, 0u64, 0usize);
        for (before, after) in before.iter().zip(&after) {
            let after = after.as_ref().map_or(0, |record| record.claimed);
            if after > *before {
                paid.0 += 1;
                paid.1 += after - before;
                paid.2 += usize::from(*before == 0);
            }
        }
        let (wallets_paid, total, created) = paid;
        let rent = client
            .backend()
            .minimum_balance_for_rent_exemption(RecipientRecord::SPACE)?;
        context.print(
            format!(
                "paid {} tokens to {wallets_paid} of the {owed} wallets the batch of epoch \
                 {epoch} still owed ({wallets} wallets in the batch){}; {created} new wallet \
                 record(s), {} SOL of rent paid by this wallet{from}",
                tokens(total),
                match transactions {
                    Some(count) => format!(", in {count} transaction(s)"),
                    None => ", then stopped".into(),
                },
                super::sol(rent * created as u64),
            ),
            json!({"epoch": epoch, "wallets": wallets, "owed": owed,
                   "paid": wallets_paid, "total": total, "transactions": transactions,
                   "recordsCreated": created, "signatures": signatures,
                   "complete": stop.is_none(), "oracle": source}),
        );
        Ok(stop.map(|error| (error, wallets_paid, owed)))
    })?;
    match stopped {
        None => Ok(()),
        Some((error, paid, owed)) => Err(anyhow::Error::from(error).context(format!(
            "paid {paid} of the {owed} wallets owed; rerun `depin rewards distribute` to pay \
             the rest"
        ))),
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
