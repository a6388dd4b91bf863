//! Oracle operators: proof batches and prices.

use {
    crate::{backend::BackendExt, require_account, Client},
    depin_sdk::{
        accounts::{BatchStatus, Device, EpochBatch, OracleConfig},
        batch::BatchFile,
        merkle::Leaf,
        pda,
        proofs::DeviceProof,
        Pubkey, SdkError, TxOutcome,
    },
};

/// An epoch's batch as the chain sees it, and what this wallet may do.
pub struct OracleStatus {
    pub config: OracleConfig,
    pub epoch: u64,
    pub batch: Option<EpochBatch>,
    /// Unix time from which claims against the batch are accepted (final
    /// batches only).
    pub claimable_from: Option<i64>,
    pub now: i64,
}

impl Client {
    pub fn oracle_config(&self) -> Result<OracleConfig, SdkError> {
        require_account(
            &*self.backend,
            &pda::oracle_config().0,
            "the proof oracle (run `depin network init`)",
        )
    }

    /// The batch file for `epoch` from the oracle's per-device lines: each
    /// device's registration serial is read from the chain (in batches of
    /// 100 accounts); a device that is not registered is refused with its
    /// line.
    pub fn build_batch(&self, epoch: u64, proofs: &[DeviceProof]) -> Result<BatchFile, SdkError> {
        let addresses: Vec<Pubkey> = proofs
            .iter()
            .map(|proof| pda::device(&proof.device_key).0)
            .collect();
        let devices = self.fetch_many::<Device>(&addresses)?;
        let mut leaves = Vec::with_capacity(proofs.len());
        for (proof, device) in proofs.iter().zip(devices) {
            let device = device.ok_or_else(|| {
                SdkError::Input(format!(
                    "line {}: unknown device {}: it is not registered",
                    proof.line, proof.device_key
                ))
            })?;
            if proof.amount < device.rewards_claimed {
                return Err(SdkError::Input(format!(
                    "line {}: device {} has already claimed {} (amounts are cumulative)",
                    proof.line, proof.device_key, device.rewards_claimed
                )));
            }
            leaves.push(Leaf {
                device_key: proof.device_key.to_bytes(),
                serial: device.serial,
                amount: proof.amount,
            });
        }
        BatchFile::new(epoch, leaves).map_err(|error| SdkError::Input(error.to_string()))
    }

    /// Votes for `batch`'s root as this wallet (an oracle); the batch is
    /// final once a quorum of oracles voted for the same root.
    pub fn submit_batch(&mut self, batch: &BatchFile, uri: &str) -> Result<TxOutcome, SdkError> {
        let config = self.oracle_config()?;
        if !config.oracles.contains(&self.address()) {
            return Err(SdkError::Input(format!(
                "{} is not in the oracle set; only oracles submit batches",
                self.address()
            )));
        }
        let oracle = self.address();
        self.send(
            &[depin_sdk::proof_oracle::submit_batch(
                oracle,
                batch.epoch,
                batch.commitment(),
                uri.to_string(),
            )],
            &[],
        )
    }

    /// Posts this oracle's token price, in millionths of a dollar per token.
    pub fn submit_price(&mut self, micro_usd: u64) -> Result<TxOutcome, SdkError> {
        if micro_usd == 0 {
            return Err(SdkError::Input("a price must be above zero".into()));
        }
        let oracle = self.address();
        self.send(
            &[depin_sdk::proof_oracle::submit_price(oracle, micro_usd)],
            &[],
        )
    }

    /// The state of `epoch`'s batch (default: the last epoch that ended).
    pub fn oracle_status(&self, epoch: Option<u64>) -> Result<OracleStatus, SdkError> {
        let config = self.oracle_config()?;
        let now = self.now()?;
        let epoch = match epoch {
            Some(epoch) => epoch,
            None => config
                .current_epoch(now)
                .and_then(|current| current.checked_sub(1))
                .ok_or_else(|| SdkError::Input("no epoch has ended yet".into()))?,
        };
        let batch: Option<EpochBatch> = self.backend.fetch_optional(&pda::epoch_batch(epoch).0)?;
        let claimable_from = batch
            .as_ref()
            .filter(|batch| batch.status == BatchStatus::Final)
            .map(|batch| batch.challenge_ends_at);
        Ok(OracleStatus {
            config,
            epoch,
            batch,
            claimable_from,
            now,
        })
    }
}
