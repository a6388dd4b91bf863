//! Issuance and device reward claims.

use {
    super::{require_account, Client},
    crate::{
        accounts::{BatchStatus, Device, EpochBatch, RewardsConfig},
        backend::BackendExt,
        batch::BatchFile,
        pda, Instruction, Pubkey, SdkError, TxOutcome,
    },
};

/// One device's standing against a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceClaimStatus {
    pub device_key: Pubkey,
    /// Cumulative amount the batch promises.
    pub earned: u64,
    pub claimed: u64,
}

impl DeviceClaimStatus {
    pub fn owed(&self) -> u64 {
        self.earned.saturating_sub(self.claimed)
    }
}

/// What a claim run paid.
pub struct ClaimReport {
    /// Devices paid and the amount each received.
    pub paid: Vec<(Pubkey, u64)>,
    pub transactions: usize,
}

impl ClaimReport {
    pub fn total(&self) -> u64 {
        self.paid.iter().map(|(_, amount)| amount).sum()
    }
}

impl Client {
    pub fn rewards_config(&self) -> Result<RewardsConfig, SdkError> {
        require_account(
            self,
            &pda::rewards_config().0,
            "the rewards program (run `depin network init`)",
        )
    }

    /// Issues `epoch`'s emission (default: the next one due). Anyone may
    /// crank it once the epoch has ended.
    pub fn issue_epoch(&mut self, epoch: Option<u64>) -> Result<(u64, TxOutcome), SdkError> {
        let config = self.rewards_config()?;
        let epoch = epoch.unwrap_or(config.next_epoch);
        if epoch != config.next_epoch {
            return Err(SdkError::Input(format!(
                "epoch {epoch} cannot be issued: epochs are issued in order and the next \
                 one due is {}",
                config.next_epoch
            )));
        }
        let oracle = self.oracle_config()?;
        let ends = oracle
            .epoch_end(epoch)
            .map_err(|_| SdkError::Input(format!("epoch {epoch} ends past the clock's range")))?;
        let now = self.now()?;
        if now < ends {
            return Err(SdkError::Input(format!(
                "epoch {epoch} has not ended: it ends at unix time {ends}, {} s from now",
                ends - now
            )));
        }
        let payer = self.address();
        let outcome = self.send(
            &[crate::rewards::issue_epoch(payer, epoch, config.treasury)],
            &[],
        )?;
        Ok((epoch, outcome))
    }

    /// Each device's earned and claimed amounts against `batch`; devices not
    /// in the batch or not registered are refused by name.
    pub fn claim_status(
        &self,
        batch: &BatchFile,
        device_keys: &[Pubkey],
    ) -> Result<Vec<DeviceClaimStatus>, SdkError> {
        let addresses: Vec<Pubkey> = device_keys.iter().map(|key| pda::device(key).0).collect();
        let devices = self.fetch_many::<Device>(&addresses)?;
        device_keys
            .iter()
            .zip(devices)
            .map(|(key, device)| {
                let device = device.ok_or_else(|| {
                    SdkError::Input(format!("unknown device {key}: it is not registered"))
                })?;
                let (_, leaf, _) = batch.proof_for(key).ok_or_else(|| {
                    SdkError::Input(format!(
                        "device {key} is not in the batch of epoch {}",
                        batch.epoch
                    ))
                })?;
                Ok(DeviceClaimStatus {
                    device_key: *key,
                    earned: leaf.amount,
                    claimed: device.rewards_claimed,
                })
            })
            .collect()
    }

    /// Checks that `batch` is the final, claimable batch on chain.
    fn require_claimable(&self, batch: &BatchFile) -> Result<(), SdkError> {
        let on_chain: EpochBatch = self
            .fetch_optional(&pda::epoch_batch(batch.epoch).0)?
            .ok_or_else(|| {
                SdkError::Input(format!("no batch was submitted for epoch {}", batch.epoch))
            })?;
        if on_chain.status != BatchStatus::Final {
            return Err(SdkError::Input(format!(
                "the batch of epoch {} is {:?}, not final",
                batch.epoch, on_chain.status
            )));
        }
        if on_chain.commitment != batch.commitment() {
            return Err(SdkError::Input(format!(
                "this batch file does not match the root of epoch {} on chain",
                batch.epoch
            )));
        }
        Ok(())
    }

    /// Claims what `batch` owes the given devices (default: every device
    /// this wallet owns that is in the batch), in as few transactions as
    /// fit. Devices with nothing owed are skipped; if none is owed anything
    /// the claim is refused.
    pub fn claim_rewards(
        &mut self,
        batch: &BatchFile,
        device_keys: Option<&[Pubkey]>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ClaimReport, SdkError> {
        self.require_claimable(batch)?;
        let owner = self.address();
        let keys: Vec<Pubkey> = match device_keys {
            Some(keys) => keys.to_vec(),
            None => self
                .devices_of(&owner)?
                .into_iter()
                .map(|device| device.device_key)
                .filter(|key| batch.proof_for(key).is_some())
                .collect(),
        };
        let owed: Vec<DeviceClaimStatus> = self
            .claim_status(batch, &keys)?
            .into_iter()
            .filter(|status| status.owed() > 0)
            .collect();
        if owed.is_empty() {
            return Err(SdkError::Input(format!(
                "nothing to claim: the batch of epoch {} owes {} nothing more",
                batch.epoch,
                if device_keys.is_some() {
                    "these devices"
                } else {
                    "this wallet's devices"
                }
            )));
        }
        let destination = crate::rewards::token_account(&owner);
        let mut groups: Vec<Vec<Instruction>> = owed
            .iter()
            .map(|status| {
                let claim =
                    crate::rewards::claim_from_batch(batch, &status.device_key, destination)
                        .expect("the device is in the batch");
                vec![crate::rewards::claim_rewards(claim)]
            })
            .collect();
        groups[0].insert(0, crate::rewards::create_token_account(&owner, &owner));
        let outcomes = self.send_packed(&groups, progress)?;
        Ok(ClaimReport {
            paid: owed
                .iter()
                .map(|status| (status.device_key, status.owed()))
                .collect(),
            transactions: outcomes.len(),
        })
    }
}
