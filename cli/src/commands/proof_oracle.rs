//! `depin oracle`: the proof oracle (`depin_client::proof_oracle`). Oracle
//! operators submit batches and prices; `oracle claim` collects their share
//! through the rewards program (`Client::claim_oracle_rewards`); the oracle
//! authority vetoes a batch (`reject`) and anyone expires a batch that
//! missed its finality deadline (`expire`).

use {
    super::{tokens, when, with_client},
    crate::context::Context,
    anyhow::{bail, Context as _, Result},
    clap::Subcommand,
    depin_client::{
        proof_oracle::{hex_root, short_root},
        Client, OracleStatus,
    },
    depin_sdk::{
        accounts::BatchStatus,
        batch::{BatchFile, ExistingBatch},
        proofs::{parse_device_proofs, ProofFormat},
    },
    serde_json::json,
    std::path::{Path, PathBuf},
};

/// How `oracle submit` explains its input (`--help`).
const SUBMIT_HELP: &str = "\
The proofs file has one line per device: its address and its reward, as CSV \
(`device,amount`, an optional header, `#` comments) or JSON lines \
(`{\"device\": \"...\", \"amount\": 250000000}`, for .jsonl).

Each amount is what the device earned IN THE EPOCH, in token base units \
(10^decimals per token: 1 token = 1000000 with the default 6 decimals), not \
a running total. A device that earned nothing may be left out.

Who computes them: the oracle operator, off chain, from the network's own \
record of coverage and usage and the network's reward policy (the programs \
only check and pay them). Every oracle of the set computes the same file \
independently: the batch becomes final when a quorum of oracles vote for \
the same root.

Who is paid: each device's rewards go to its rewards recipient as the chain \
has it now (its owner, unless the owner pointed them elsewhere with \
`depin device set-rewards-recipient`). The batch holds one leaf per WALLET: \
its amount in the previous final batch plus what its devices earned this \
epoch, so a wallet claims everything owed for its whole fleet in one \
transaction. The previous final batch is read from \
batches/epoch-<K>.batch (or --previous) and checked against the chain; \
the batch file keeps the per-device detail, so anyone can recompute it.

Refused before any vote: an unregistered or suspended device, a malformed \
or duplicate line (with its line number); a missing or altered previous \
batch; a batch whose total exceeds what the rewards program can have issued \
to devices through that epoch (claims against it would fail with \
BatchExceedsIssuance); an epoch that has not ended or whose finality \
deadline passed; a batch that is already final.

The batch file is written only once the vote has landed, and never over a \
different file (another oracle's batch in a shared folder): an identical \
file is left as it is. Publish it (--uri) so wallets can claim.";

#[derive(Subcommand)]
pub enum OracleCommand {
    /// Run an oracle node: take devices' signed reports over HTTP, close
    /// each epoch with the reward rule (or check the leader's batch), vote,
    /// and serve the proof data. `--config` names the node's file
    /// (default oracle.toml; its keys are in the README), which says the
    /// cluster, keypair, database and rule.
    Serve,
    /// Recompute an epoch's batch from the evidence it carries (its
    /// reports, registry snapshot, pool and rule) and compare it with the
    /// chain: anyone can check an oracle's work this way.
    Verify {
        /// The batch file, a path or an http(s) URL (the vote's uri).
        source: String,
        /// The epoch it must be for.
        #[arg(long)]
        epoch: Option<u64>,
        /// The last final batch before it (default: batches/epoch-<K>.batch).
        #[arg(long)]
        previous: Option<PathBuf>,
    },
    /// Vote for an epoch's batch built from what each device earned in the
    /// epoch (token base units, a CSV or JSONL file) and the previous final
    /// batch; writes the batch file once the vote lands.
    #[command(visible_alias = "submit-batch", after_long_help = SUBMIT_HELP)]
    Submit {
        /// The proofs file: `device,amount` CSV, or .jsonl; base units each device earned in the epoch.
        file: PathBuf,
        /// The epoch the batch is for (it must have ended).
        #[arg(long)]
        epoch: u64,
        /// The last final batch before this epoch, whose wallet totals this
        /// one carries forward (default: batches/epoch-<K>.batch, K read from
        /// the chain).
        #[arg(long)]
        previous: Option<PathBuf>,
        /// Where to write the batch file (default: batches/epoch-<N>.batch).
        #[arg(long)]
        batch_out: Option<PathBuf>,
        /// Where the batch file is published for claimants (default: its path).
        #[arg(long)]
        uri: Option<String>,
    },
    /// Post this oracle's token price in dollars (e.g. 0.42).
    #[command(visible_alias = "submit-price")]
    Price {
        /// Dollars per whole token, up to 6 decimals (e.g. 0.42).
        usd: String,
    },
    /// An epoch's batch: votes, status, where the batch file is published,
    /// when claims open (default: the last ended epoch).
    Status {
        /// The epoch to show (default: the last one that ended).
        #[arg(long)]
        epoch: Option<u64>,
    },
    /// Claim this oracle's share of an epoch's oracle rewards.
    #[command(visible_alias = "claim-oracle-rewards")]
    Claim {
        /// The epoch whose oracle share to claim.
        epoch: u64,
    },
    /// Veto an epoch's final batch during its challenge window (the oracle
    /// authority; a DAO proposal once the DAO holds it). Asks first.
    #[command(visible_alias = "reject-batch")]
    Reject {
        /// The epoch whose final batch to reject.
        epoch: u64,
    },
    /// Mark an epoch's batch expired once its finality deadline passed
    /// without a quorum (anyone may).
    #[command(visible_alias = "expire-batch")]
    Expire {
        /// The epoch whose batch to expire.
        epoch: u64,
    },
}

/// Refuses a vote outside its window, saying when it opens or that it
/// closed (local time and how far from now).
fn require_votes_open(status: &OracleStatus) -> Result<()> {
    let epoch = status.epoch;
    if status.now < status.ends_at {
        bail!(
            "epoch {epoch} has not ended (EpochNotEnded): votes open {}",
            when(status.ends_at, status.now)
        );
    }
    if status.now > status.deadline {
        bail!(
            "epoch {epoch}'s finality deadline passed {} (DeadlinePassed): its batch can no \
             longer become final; mark it expired with `depin oracle expire {epoch}` (wallet \
             totals carry forward from the last final batch; what devices earned in epoch \
             {epoch} is paid only if the oracles add it to a later epoch's lines)",
            when(status.deadline, status.now)
        );
    }
    Ok(())
}

pub(super) fn default_batch_path(epoch: u64) -> PathBuf {
    PathBuf::from(format!("batches/epoch-{epoch}.batch"))
}

/// The last final batch before `epoch`, which the new batch carries every
/// wallet's total forward from: `given`, or the batch folder's file of the
/// epoch the chain names; checked against the chain. `None` when no batch
/// before `epoch` is final.
pub(super) fn previous_batch(
    client: &Client,
    epoch: u64,
    given: Option<&Path>,
) -> Result<Option<BatchFile>> {
    let expected = client.previous_final_epoch(epoch)?;
    let path = match (given, expected) {
        (None, None) => return Ok(None),
        (Some(path), None) => bail!(
            "no batch before epoch {epoch} is final on chain, so {} is no previous batch \
             (leave out --previous: this is the first batch wallet totals start from)",
            path.display()
        ),
        (Some(path), Some(_)) => path.to_path_buf(),
        (None, Some(previous)) => {
            let path = default_batch_path(previous);
            if !path.exists() {
                let published = client
                    .epoch_batch(previous)?
                    .map(|batch| batch.uri)
                    .filter(|uri| !uri.is_empty())
                    .map_or_else(String::new, |uri| format!(" (it is published at {uri})"));
                bail!(
                    "{} is missing: the last final batch before epoch {epoch} is epoch \
                     {previous}'s, and this batch carries every wallet's total forward from \
                     it. Put epoch {previous}'s batch file there{published}, or pass it with \
                     --previous PATH",
                    path.display()
                );
            }
            path
        }
    };
    let batch = super::rewards::read_batch(&path)?;
    if let Some(previous) = expected.filter(|previous| *previous != batch.epoch()) {
        bail!(
            "{} is epoch {}'s batch, but the last final batch before epoch {epoch} is epoch \
             {previous}'s: pass that one (`--previous {}`)",
            path.display(),
            batch.epoch(),
            default_batch_path(previous).display()
        );
    }
    client
        .verify_batch(&batch)
        .with_context(|| format!("previous batch {}", path.display()))?;
    Ok(Some(batch))
}

/// Refuses to replace a different file at `out` (another oracle's batch
/// in a shared folder, or anything else).
fn refuse_different_file(out: &Path, existing: ExistingBatch) -> Result<()> {
    let ExistingBatch::Different { header } = existing else {
        return Ok(());
    };
    match header {
        Some(header) => bail!(
            "{} already holds a different batch of epoch {} (root {}…, {} wallets, {} tokens), \
             perhaps another oracle's; refusing to replace it and not voting. Compare your \
             proofs with it, or write yours elsewhere with --batch-out (if it is your own \
             earlier vote that you are correcting, remove it first)",
            out.display(),
            header.epoch,
            short_root(&header.root),
            header.leaf_count,
            tokens(header.total)
        ),
        None => bail!(
            "{} already exists and is not this batch; refusing to replace it and not voting \
             (choose another path with --batch-out)",
            out.display()
        ),
    }
}

pub fn run(context: &Context, command: OracleCommand) -> Result<()> {
    match command {
        OracleCommand::Serve => unreachable!("run before the context is made"),
        OracleCommand::Verify {
            source,
            epoch,
            previous,
        } => super::oracle_verify::run(context, source, epoch, previous),
        OracleCommand::Submit {
            file,
            epoch,
            previous,
            batch_out,
            uri,
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let proofs = parse_device_proofs(&text, ProofFormat::from_path(&file))
                .with_context(|| format!("{}", file.display()))?;
            let out = batch_out.unwrap_or_else(|| default_batch_path(epoch));
            let uri = uri.unwrap_or_else(|| out.display().to_string());
            with_client(context, |client| {
                let previous = previous_batch(client, epoch, previous.as_deref())?;
                let batch = client
                    .build_batch(epoch, &proofs, previous.as_ref())
                    .with_context(|| format!("{}", file.display()))?;
                // Everything that would refuse the vote, before anything is
                // written: the file already there, the epoch's window, then
                // what the client checks (set, status, duplicate, issuance).
                let existing = batch
                    .compare_with_file(&out)
                    .with_context(|| format!("cannot read {}", out.display()))?;
                refuse_different_file(&out, existing)?;
                require_votes_open(&client.oracle_status(Some(epoch))?)?;
                client.check_vote(&batch, &uri)?;
                // Staged beside its place (so a full disk shows before the
                // vote), published only once the vote has landed.
                let staged = match existing {
                    ExistingBatch::Absent => {
                        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
                            std::fs::create_dir_all(parent)
                                .with_context(|| format!("cannot create {}", parent.display()))?;
                        }
                        Some(batch.stage(&out)?)
                    }
                    _ => None,
                };
                let outcome = client.submit_batch(&batch, &uri)?;
                let written = match staged {
                    Some(staged) => match staged.publish() {
                        Ok(()) => true,
                        Err(error) => {
                            eprintln!(
                                "warning: voted, but the batch file could not be moved to {}: \
                                 {error}",
                                out.display()
                            );
                            false
                        }
                    },
                    None => false,
                };
                let commitment = batch.commitment();
                let root = hex_root(&commitment.root);
                let status = client.oracle_status(Some(epoch))?;
                let (state, votes) = status.batch.as_ref().map_or(("unknown".into(), 0), |b| {
                    (format!("{:?}", b.status), b.matching_votes(&commitment))
                });
                let claims = match status.claimable_from {
                    Some(from) => format!("; claims open {}", when(from, status.now)),
                    None => String::new(),
                };
                let earned: u64 = batch.devices().iter().map(|device| device.amount).sum();
                let carried = match &previous {
                    Some(previous) => format!("carried forward from epoch {}", previous.epoch()),
                    None => "the first final batch".into(),
                };
                context.print(
                    format!(
                        "epoch {epoch}: {} devices earned {} tokens; {} wallets are owed {} \
                         tokens in all ({carried}), root {root}\n\
                         batch file {} ({})\npublish it at {uri} so wallets can claim \
                         (`depin rewards claim --batch FILE`)\n\
                         voted; the batch is {state} ({votes} of quorum {} votes for this \
                         root){claims}\nsignature {outcome}",
                        batch.devices().len(),
                        tokens(earned),
                        commitment.leaf_count,
                        tokens(commitment.total),
                        out.display(),
                        if written {
                            "written"
                        } else {
                            "already there, identical"
                        },
                        status.config.quorum
                    ),
                    json!({"epoch": epoch, "devices": batch.devices().len(), "earned": earned,
                           "wallets": commitment.leaf_count, "total": commitment.total,
                           "previousEpoch": previous.as_ref().map(|previous| previous.epoch()),
                           "root": root, "batchFile": out, "written": written, "uri": uri,
                           "status": state, "votes": votes, "quorum": status.config.quorum,
                           "claimableFrom": status.claimable_from,
                           "signature": outcome.to_string()}),
                );
                Ok(())
            })
        }
        OracleCommand::Price { usd } => {
            let micro_usd = depin_sdk::amount::parse_amount(&usd, 6)
                .map_err(|reason| anyhow::anyhow!("price: {reason}"))?;
            with_client(context, |client| {
                let outcome = client.submit_price(micro_usd)?;
                context.print(
                    format!("posted ${usd} per token\nsignature {outcome}"),
                    json!({"microUsd": micro_usd, "signature": outcome.to_string()}),
                );
                Ok(())
            })
        }
        OracleCommand::Status { epoch } => with_client(context, |client| {
            let status = client.oracle_status(epoch)?;
            let (display, json) = describe_status(&status);
            context.print(display, json);
            Ok(())
        }),
        OracleCommand::Claim { epoch } => with_client(context, |client| {
            let status = client.oracle_status(Some(epoch))?;
            if status.now < status.ends_at {
                bail!(
                    "epoch {epoch} is not issued yet: it ends {}; then anyone may issue it \
                     (`depin rewards issue`) and, once its batch is final, its oracles claim",
                    when(status.ends_at, status.now)
                );
            }
            let issued = epoch < client.rewards_config()?.next_epoch;
            if let Some(from) = status
                .claimable_from
                .filter(|from| issued && status.now < *from)
            {
                bail!(
                    "the batch of epoch {epoch} is in its challenge window \
                     (BatchInChallengeWindow): claims open {}",
                    when(from, status.now)
                );
            }
            let (paid, outcome) = client.claim_oracle_rewards(epoch)?;
            context.print(
                format!(
                    "claimed {} tokens of epoch {epoch}\nsignature {outcome}",
                    tokens(paid)
                ),
                json!({"epoch": epoch, "amount": paid, "signature": outcome.to_string()}),
            );
            Ok(())
        }),
        OracleCommand::Reject { epoch } => with_client(context, |client| {
            let status = client.oracle_status(Some(epoch))?;
            let Some(batch) = status
                .batch
                .as_ref()
                .filter(|batch| batch.status == BatchStatus::Final)
            else {
                bail!(
                    "the batch of epoch {epoch} is {} (BatchNotFinal): only a final batch can \
                     be rejected",
                    status
                        .batch
                        .as_ref()
                        .map_or("not on chain".into(), |batch| format!("{:?}", batch.status))
                );
            };
            if status.now >= batch.challenge_ends_at {
                bail!(
                    "the challenge window of epoch {epoch}'s batch closed {} \
                     (ChallengeWindowClosed): it can no longer be rejected",
                    when(batch.challenge_ends_at, status.now)
                );
            }
            context.confirm(&format!(
                "Reject epoch {epoch}'s final batch (root {}…, {} wallets, {} tokens)? It will \
                 never pay wallets or oracles; its challenge window closes {}",
                short_root(&batch.commitment.root),
                batch.commitment.leaf_count,
                tokens(batch.commitment.total),
                when(batch.challenge_ends_at, status.now)
            ))?;
            let outcome = client.reject_batch(epoch)?;
            super::report_admin(
                context,
                &format!("reject the batch of epoch {epoch}"),
                outcome,
            );
            Ok(())
        }),
        OracleCommand::Expire { epoch } => with_client(context, |client| {
            let status = client.oracle_status(Some(epoch))?;
            if status.now <= status.deadline {
                bail!(
                    "epoch {epoch}'s finality deadline has not passed (DeadlineNotPassed): its \
                     batch may be expired from {}",
                    when(status.deadline + 1, status.now)
                );
            }
            let outcome = client.expire_batch(epoch)?;
            context.print(
                format!(
                    "the batch of epoch {epoch} expired: it pays nothing, its oracle share can \
                     be swept (`depin rewards sweep {epoch}`), and the next final batch carries \
                     every wallet's total forward from the last final one (what devices earned \
                     in epoch {epoch} is paid only if the oracles add it to a later epoch's \
                     lines)\nsignature {outcome}"
                ),
                json!({"epoch": epoch, "status": "Expired", "signature": outcome.to_string()}),
            );
            Ok(())
        }),
    }
}

/// `oracle status` for people and for scripts.
fn describe_status(status: &OracleStatus) -> (String, serde_json::Value) {
    let (epoch, now) = (status.epoch, status.now);
    let mut lines = vec![format!("epoch {epoch}")];
    lines.push(if now < status.ends_at {
        format!("ends         {}", when(status.ends_at, now))
    } else {
        format!("ended        {}", when(status.ends_at, now))
    });
    let pending = status
        .batch
        .as_ref()
        .is_none_or(|batch| batch.status == BatchStatus::Pending);
    if pending {
        lines.push(format!(
            "deadline     {}{}",
            when(status.deadline, now),
            if now > status.deadline {
                format!(" (passed: `depin oracle expire {epoch}`)")
            } else {
                String::new()
            }
        ));
    }
    let json = match &status.batch {
        None => {
            lines.push("no batch submitted yet".into());
            json!({"epoch": epoch, "status": null, "endsAt": status.ends_at,
                   "deadline": status.deadline, "votes": 0, "quorum": status.config.quorum,
                   "uri": null})
        }
        Some(batch) => {
            lines.push(format!("status       {:?}", batch.status));
            if batch.status == BatchStatus::Final || batch.status == BatchStatus::Rejected {
                lines.push(format!("batch file   {}", batch.uri));
                lines.push(format!(
                    "root         {}… {} wallets, {} tokens",
                    short_root(&batch.commitment.root),
                    batch.commitment.leaf_count,
                    tokens(batch.commitment.total)
                ));
            }
            lines.push(format!(
                "votes        {} of quorum {}",
                batch.votes.len(),
                status.config.quorum
            ));
            if batch.votes.is_empty() {
                lines.push("  (no vote counts any more: the oracle set changed)".into());
            }
            for vote in &batch.votes {
                lines.push(format!(
                    "  {} root {}… {} wallets, {} tokens, file {}",
                    vote.oracle,
                    short_root(&vote.commitment.root),
                    vote.commitment.leaf_count,
                    tokens(vote.commitment.total),
                    vote.uri
                ));
            }
            match batch.status {
                BatchStatus::Final => {
                    let from = batch.challenge_ends_at;
                    lines.push(if from <= now {
                        format!("claims       open since {}", when(from, now))
                    } else {
                        format!("claims       open {} (challenge window)", when(from, now))
                    });
                    lines.push(
                        "owed         download the batch file, then \
                         `depin rewards status --batch FILE` shows what your wallet is owed \
                         (and what each of its devices earned) and `depin rewards claim \
                         --batch FILE` pays it"
                            .into(),
                    );
                }
                BatchStatus::Rejected => {
                    lines.push("claims       none: the batch was rejected".into())
                }
                BatchStatus::Expired => {
                    lines.push("claims       none: the batch expired without a quorum".into())
                }
                BatchStatus::Pending => {}
            }
            let voters: Vec<serde_json::Value> = batch
                .votes
                .iter()
                .map(|vote| {
                    json!({"oracle": vote.oracle.to_string(),
                           "root": hex_root(&vote.commitment.root),
                           "wallets": vote.commitment.leaf_count,
                           "total": vote.commitment.total, "uri": vote.uri})
                })
                .collect();
            let final_root = (batch.status != BatchStatus::Pending
                && batch.status != BatchStatus::Expired)
                .then(|| hex_root(&batch.commitment.root));
            json!({"epoch": epoch, "status": format!("{:?}", batch.status),
                   "votes": batch.votes.len(), "quorum": status.config.quorum,
                   "voters": voters, "root": final_root,
                   "wallets": batch.commitment.leaf_count, "total": batch.commitment.total,
                   "endsAt": status.ends_at, "deadline": status.deadline,
                   "claimableFrom": status.claimable_from,
                   "uri": (!batch.uri.is_empty()).then(|| batch.uri.clone())})
        }
    };
    (lines.join("\n"), json)
}
