//! The rewards program: issuance, device and oracle reward claims, and
//! data credits (bought by burning tokens, spent by burning credits).

use {
    crate::{backend::BackendExt, require_account, Client},
    depin_sdk::{
        accounts::{BatchStatus, Device, EpochBatch, RewardsConfig},
        batch::BatchFile,
        pda,
        rewards::UsagePurpose,
        Instruction, Pubkey, SdkError, TxOutcome,
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
            &*self.backend,
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
            &[depin_sdk::rewards::issue_epoch(
                payer,
                epoch,
                config.treasury,
            )],
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
            .backend
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
        let destination = depin_sdk::rewards::token_account(&owner);
        let mut groups: Vec<Vec<Instruction>> = owed
            .iter()
            .map(|status| {
                let claim =
                    depin_sdk::rewards::claim_from_batch(batch, &status.device_key, destination)
                        .expect("the device is in the batch");
                vec![depin_sdk::rewards::claim_rewards(claim)]
            })
            .collect();
        groups[0].insert(0, depin_sdk::rewards::create_token_account(&owner, &owner));
        let outcomes = self.send_packed(&groups, progress)?;
        Ok(ClaimReport {
            paid: owed
                .iter()
                .map(|status| (status.device_key, status.owed()))
                .collect(),
            transactions: outcomes.len(),
        })
    }

    /// This oracle's share of `epoch`'s oracle rewards (it must have voted
    /// for the final root).
    pub fn claim_oracle_rewards(&mut self, epoch: u64) -> Result<TxOutcome, SdkError> {
        let oracle = self.address();
        self.send(
            &[
                depin_sdk::rewards::create_token_account(&oracle, &oracle),
                depin_sdk::rewards::claim_oracle_rewards(
                    oracle,
                    epoch,
                    depin_sdk::rewards::token_account(&oracle),
                ),
            ],
            &[],
        )
    }

    /// Burns `tokens` (base units) for data credits at the oracle price
    /// (`mint_data_credits`).
    pub fn mint_data_credits(&mut self, tokens: u64) -> Result<TxOutcome, SdkError> {
        let owner = self.address();
        let held = self
            .backend
            .token_balance(&depin_sdk::rewards::token_account(&owner))?;
        if held < tokens {
            return Err(SdkError::Input(format!(
                "insufficient funds: buying credits for {tokens} token base units needs them, \
                 and this wallet holds {held}"
            )));
        }
        self.send(
            &[
                depin_sdk::rewards::create_dc_account(&owner, &owner),
                depin_sdk::rewards::mint_data_credits(
                    owner,
                    depin_sdk::rewards::dc_account(&owner),
                    tokens,
                ),
            ],
            &[],
        )
    }

    /// Spends `amount` data credits on `purpose` (`burn_data_credits`).
    pub fn burn_data_credits(
        &mut self,
        amount: u64,
        purpose: UsagePurpose,
    ) -> Result<TxOutcome, SdkError> {
        let owner = self.address();
        let held = self
            .backend
            .token_balance(&depin_sdk::rewards::dc_account(&owner))?;
        if held < amount {
            return Err(SdkError::Input(format!(
                "insufficient data credits: burning {amount} DC, this wallet holds {held} DC"
            )));
        }
        self.send(
            &[depin_sdk::rewards::burn_data_credits(
                owner, amount, purpose,
            )],
            &[],
        )
    }
}
