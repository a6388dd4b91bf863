//! `depin oracle verify FILE|URL`: anyone recomputes an epoch's batch from
//! the evidence it carries and compares it with the chain — the vote's
//! commitment, what the epoch issued to devices, the epoch's window.

use {
    super::{
        proof_oracle::{default_batch_path, previous_batch},
        with_reader,
    },
    crate::context::Context,
    anyhow::{bail, Context as _, Result},
    depin_client::backend::BackendExt,
    depin_client::Client,
    depin_oracle::proof_data::verify,
    depin_sdk::{
        accounts::{BatchStatus, EpochRewards},
        batch::BatchFile,
        pda,
        programs::proof_oracle::state::OracleConfig,
    },
    serde_json::json,
    std::path::{Path, PathBuf},
};

/// The last final batch before `epoch`: `--previous`, the batch folder's
/// file, or — for a verifier who has neither — the file the vote that made
/// it final names, downloaded and checked against the chain.
fn previous_for_verify(
    client: &Client,
    epoch: u64,
    given: Option<&Path>,
) -> Result<Option<BatchFile>> {
    if given.is_none() {
        if let Some(previous) = client.previous_final_epoch(epoch)? {
            if !default_batch_path(previous).exists() {
                let on_chain = client
                    .epoch_batch(previous)?
                    .with_context(|| format!("epoch {previous}'s batch is not on chain"))?;
                let uri = on_chain
                    .votes
                    .iter()
                    .find(|vote| vote.commitment == on_chain.commitment && !vote.uri.is_empty())
                    .map(|vote| vote.uri.clone())
                    .with_context(|| {
                        format!(
                            "epoch {previous}'s final batch (which this one carries totals \
                             forward from) names no file: pass it with --previous PATH"
                        )
                    })?;
                let batch = fetch(&uri)
                    .with_context(|| format!("the previous batch (epoch {previous}'s)"))?;
                client
                    .verify_batch(&batch)
                    .with_context(|| format!("the previous batch, from {uri}"))?;
                return Ok(Some(batch));
            }
        }
    }
    previous_batch(client, epoch, given)
}

/// Reads a batch file from a path or an http(s) URL.
fn fetch(source: &str) -> Result<BatchFile> {
    let bytes = if source.starts_with("http://") || source.starts_with("https://") {
        let response = reqwest::blocking::Client::builder()
            .timeout(std::time::Duration::from_secs(60))
            .build()?
            .get(source)
            .send()
            .with_context(|| format!("cannot download {source}"))?;
        if !response.status().is_success() {
            bail!("{source} answered {}", response.status());
        }
        response.bytes()?.to_vec()
    } else {
        std::fs::read(source).with_context(|| format!("cannot read {source}"))?
    };
    BatchFile::from_bytes(&bytes).with_context(|| format!("{source} is not a valid batch file"))
}

pub fn run(
    context: &Context,
    source: String,
    epoch: Option<u64>,
    previous: Option<PathBuf>,
) -> Result<()> {
    let batch = fetch(&source)?;
    if let Some(epoch) = epoch.filter(|epoch| *epoch != batch.epoch()) {
        bail!(
            "{source} is epoch {}'s batch, not epoch {epoch}'s",
            batch.epoch()
        );
    }
    let epoch = batch.epoch();
    with_reader(context, |client| {
        // The chain vouches for the file: final with its commitment, or
        // voted for by some oracle while pending.
        let on_chain = client.epoch_batch(epoch)?.with_context(|| {
            format!("no batch for epoch {epoch} on chain: nobody voted for this file")
        })?;
        let commitment = batch.commitment();
        let status = match on_chain.status {
            BatchStatus::Final if on_chain.commitment == commitment => "final",
            BatchStatus::Final => bail!(
                "epoch {epoch}'s final batch on chain has another commitment than {source} \
                 (root, wallets, total or file hash differ)"
            ),
            BatchStatus::Pending
                if on_chain
                    .votes
                    .iter()
                    .any(|vote| vote.commitment == commitment) =>
            {
                "pending"
            }
            BatchStatus::Pending => {
                bail!("no oracle voted for {source}'s commitment in epoch {epoch}")
            }
            BatchStatus::Rejected => bail!("epoch {epoch}'s batch was rejected on chain"),
            BatchStatus::Expired => bail!("epoch {epoch}'s batch expired without a quorum"),
        };
        let previous = previous_for_verify(client, epoch, previous.as_deref())?;
        let (evidence, outcome) = verify(&batch, previous.as_ref(), &client.network_id()?)
            .with_context(|| format!("{source} does not recompute"))?;
        // What the rule was given must be what the chain says.
        let issued: EpochRewards = client
            .backend()
            .fetch(&pda::epoch_rewards(epoch).0)
            .with_context(|| format!("epoch {epoch} was not issued on chain"))?;
        if evidence.pool != issued.devices {
            bail!(
                "the evidence's pool is {} base units, but epoch {epoch} issued {} to devices",
                evidence.pool,
                issued.devices
            );
        }
        let config: OracleConfig = client.backend().fetch(&pda::oracle_config().0)?;
        let end = config
            .epoch_end(epoch)
            .map_err(|error| anyhow::anyhow!("{error}"))?;
        let start = end - config.epoch_length;
        if (evidence.window.start, evidence.window.end) != (start, end) {
            bail!(
                "the evidence's window is [{}, {}), epoch {epoch} is [{start}, {end})",
                evidence.window.start,
                evidence.window.end
            );
        }
        context.print(
            format!(
                "epoch {epoch}: {status} on chain, and recomputed from its evidence\n\
                 reports {}, devices earning {}, wallets {}, total {}\n\
                 paid {} of the pool {} (dust {}, capped {}, unallocated {})",
                evidence.reports.len(),
                batch.devices().len(),
                batch.leaves().len(),
                commitment.total,
                outcome.distributed,
                evidence.pool,
                outcome.dust,
                outcome.capped,
                outcome.unallocated
            ),
            json!({
                "epoch": epoch,
                "status": status,
                "verified": true,
                "reports": evidence.reports.len(),
                "devices": batch.devices().len(),
                "wallets": batch.leaves().len(),
                "total": commitment.total,
                "pool": evidence.pool,
                "distributed": outcome.distributed,
                "dust": outcome.dust,
                "capped": outcome.capped,
                "unallocated": outcome.unallocated,
            }),
        );
        Ok(())
    })
}
