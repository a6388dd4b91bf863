//! `depin oracle`: the proof oracle (`depin_client::proof_oracle`). Oracle
//! operators submit batches and prices; `oracle claim` collects their share
//! through the rewards program (`Client::claim_oracle_rewards`).

use {
    super::{tokens, with_client},
    crate::context::Context,
    anyhow::{Context as _, Result},
    clap::Subcommand,
    depin_sdk::proofs::{parse_device_proofs, ProofFormat},
    serde_json::json,
    std::path::PathBuf,
};

#[derive(Subcommand)]
pub enum OracleCommand {
    /// Build an epoch's batch from a CSV (`device,amount`) or JSONL file of
    /// device rewards (cumulative, token base units), write the batch file,
    /// and vote for its root.
    #[command(visible_alias = "submit-batch")]
    Submit {
        /// The proofs file (.csv, or .jsonl for JSON lines).
        file: PathBuf,
        #[arg(long)]
        epoch: u64,
        /// Where to write the batch file (default: batches/epoch-<N>.batch).
        #[arg(long)]
        batch_out: Option<PathBuf>,
        /// Where the batch file is published for claimants (default: its path).
        #[arg(long)]
        uri: Option<String>,
    },
    /// Post this oracle's token price in dollars (e.g. 0.42).
    #[command(visible_alias = "submit-price")]
    Price { usd: String },
    /// An epoch's batch: votes, status, when claims open (default: the last
    /// ended epoch).
    Status {
        #[arg(long)]
        epoch: Option<u64>,
    },
    /// Claim this oracle's share of an epoch's oracle rewards.
    #[command(visible_alias = "claim-oracle-rewards")]
    Claim { epoch: u64 },
}

pub fn run(context: &Context, command: OracleCommand) -> Result<()> {
    match command {
        OracleCommand::Submit {
            file,
            epoch,
            batch_out,
            uri,
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let proofs = parse_device_proofs(&text, ProofFormat::from_path(&file))
                .with_context(|| format!("{}", file.display()))?;
            with_client(context, |client| {
                let batch = client
                    .build_batch(epoch, &proofs)
                    .with_context(|| format!("{}", file.display()))?;
                let out = batch_out
                    .clone()
                    .unwrap_or_else(|| PathBuf::from(format!("batches/epoch-{epoch}.batch")));
                if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent)
                        .with_context(|| format!("cannot create {}", parent.display()))?;
                }
                batch.write(&out)?;
                let uri = uri.clone().unwrap_or_else(|| out.display().to_string());
                let outcome = client.submit_batch(&batch, &uri)?;
                let commitment = batch.commitment();
                let root: String = commitment.root.iter().map(|b| format!("{b:02x}")).collect();
                let status = client.oracle_status(Some(epoch))?;
                let state = status
                    .batch
                    .as_ref()
                    .map_or("unknown".into(), |b| format!("{:?}", b.status));
                context.print(
                    format!(
                        "epoch {epoch}: {} devices, {} tokens, root {root}\nbatch file {}\n\
                         voted; batch is {state}\nsignature {outcome}",
                        commitment.leaf_count,
                        tokens(commitment.total),
                        out.display()
                    ),
                    json!({"epoch": epoch, "devices": commitment.leaf_count, "total": commitment.total,
                           "root": root, "batchFile": out, "status": state,
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
            let mut lines = vec![format!("epoch {}", status.epoch)];
            let json = match &status.batch {
                None => {
                    lines.push("no batch submitted".into());
                    json!({"epoch": status.epoch, "status": null})
                }
                Some(batch) => {
                    lines.push(format!("status       {:?}", batch.status));
                    lines.push(format!(
                        "votes        {} of quorum {}",
                        batch.votes.len(),
                        status.config.quorum
                    ));
                    for vote in &batch.votes {
                        let root: String = vote.commitment.root[..8]
                            .iter()
                            .map(|b| format!("{b:02x}"))
                            .collect();
                        lines.push(format!(
                            "  {} root {root}… {} devices",
                            vote.oracle, vote.commitment.leaf_count
                        ));
                    }
                    if let Some(from) = status.claimable_from {
                        lines.push(if from <= status.now {
                            "claims       open".to_string()
                        } else {
                            format!(
                                "claims       open in {} s (challenge window)",
                                from - status.now
                            )
                        });
                    }
                    json!({"epoch": status.epoch, "status": format!("{:?}", batch.status),
                           "votes": batch.votes.len(), "quorum": status.config.quorum,
                           "claimableFrom": status.claimable_from, "uri": batch.uri})
                }
            };
            context.print(lines.join("\n"), json);
            Ok(())
        }),
        OracleCommand::Claim { epoch } => with_client(context, |client| {
            let before = client.balances(&client.address())?.tokens;
            let outcome = client.claim_oracle_rewards(epoch)?;
            let paid = client
                .balances(&client.address())?
                .tokens
                .saturating_sub(before);
            context.print(
                format!(
                    "claimed {} tokens of epoch {epoch}\nsignature {outcome}",
                    tokens(paid)
                ),
                json!({"epoch": epoch, "amount": paid, "signature": outcome.to_string()}),
            );
            Ok(())
        }),
    }
}
