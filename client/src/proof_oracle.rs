//! Oracle operators: proof batches and prices; the authority's veto of a
//! batch and anyone's expiry of a batch that missed its deadline.

use {
    crate::{backend::BackendExt, require_account, AdminOutcome, Client},
    depin_sdk::{
        accounts::{BatchStatus, Commitment, Device, DeviceStatus, EpochBatch, OracleConfig},
        batch::{BatchFile, DeviceReward},
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
    /// Unix time at which the epoch ends: votes are accepted from then on.
    pub ends_at: i64,
    /// Unix time after which the batch can no longer become final (anyone
    /// may then mark it expired).
    pub deadline: i64,
    pub now: i64,
}

/// "in 3 h 12 min", "2 d 1 h ago", "now": how far `seconds` from now is
/// (what a library caller's error carries; the CLI adds the local time).
pub use depin_sdk::describe::relative as in_words;

/// The first bytes of a root, in hex, for messages.
pub fn short_root(root: &[u8; 32]) -> String {
    root[..8].iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The whole root in hex.
pub fn hex_root(root: &[u8; 32]) -> String {
    root.iter().map(|byte| format!("{byte:02x}")).collect()
}

impl Client {
    pub fn oracle_config(&self) -> Result<OracleConfig, SdkError> {
        require_account(
            &*self.backend,
            &pda::oracle_config().0,
            "the proof oracle (run `depin network init`)",
        )
    }

    /// `epoch`'s batch account, if any oracle voted (or it was expired).
    pub fn epoch_batch(&self, epoch: u64) -> Result<Option<EpochBatch>, SdkError> {
        self.backend.fetch_optional(&pda::epoch_batch(epoch).0)
    }

    /// The newest epoch before `epoch` whose batch is final on chain: the
    /// batch whose wallet totals `epoch`'s batch carries forward.
    pub fn previous_final_epoch(&self, epoch: u64) -> Result<Option<u64>, SdkError> {
        Ok(self
            .program_accounts_of::<EpochBatch>(&depin_sdk::proof_oracle::ID, vec![])?
            .into_iter()
            .map(|(_, batch)| batch)
            .filter(|batch| batch.epoch < epoch && batch.status == BatchStatus::Final)
            .map(|batch| batch.epoch)
            .max())
    }

    /// The batch file for `epoch` from the oracle's per-device lines (what
    /// each device earned in the epoch) and `previous`, the last final
    /// batch before it (checked against the chain): each wallet's amount is
    /// its amount in `previous` plus what the devices attributed to it
    /// earned. A device's serial and rewards recipient are read from the
    /// chain (in batches of 100 accounts); a device that is not registered
    /// or is suspended earns nothing and is refused with its line — the
    /// oracle rule: rewards go to the recipient recorded when the epoch is
    /// closed, and only active devices earn.
    pub fn build_batch(
        &self,
        epoch: u64,
        proofs: &[DeviceProof],
        previous: Option<&BatchFile>,
    ) -> Result<BatchFile, SdkError> {
        let expected = self.previous_final_epoch(epoch)?;
        match (expected, previous) {
            (None, None) => {}
            (Some(expected), Some(previous)) if previous.epoch() == expected => {
                self.verify_batch(previous)?;
            }
            (Some(expected), _) => {
                return Err(SdkError::Input(format!(
                    "the last final batch before epoch {epoch} is epoch {expected}'s: its batch \
                     file carries every wallet's total forward (pass it as the previous batch)"
                )))
            }
            (None, Some(previous)) => {
                return Err(SdkError::Input(format!(
                    "no batch before epoch {epoch} is final on chain, so epoch {}'s file is no \
                     previous batch",
                    previous.epoch()
                )))
            }
        }
        let addresses: Vec<Pubkey> = proofs
            .iter()
            .map(|proof| pda::device(&proof.device_key).0)
            .collect();
        let devices = self.fetch_many::<Device>(&addresses)?;
        let mut rewards = Vec::with_capacity(proofs.len());
        for (proof, device) in proofs.iter().zip(devices) {
            let device = device.ok_or_else(|| {
                SdkError::Input(format!(
                    "line {}: unknown device {}: it is not registered (a retired device earns \
                     nothing)",
                    proof.line, proof.device_key
                ))
            })?;
            if device.status != DeviceStatus::Active {
                return Err(SdkError::Input(format!(
                    "line {}: device {} is suspended: it earns nothing until it is reinstated",
                    proof.line, proof.device_key
                )));
            }
            rewards.push(DeviceReward {
                device_key: proof.device_key,
                serial: device.serial,
                amount: proof.amount,
                recipient: device.rewards_recipient,
            });
        }
        BatchFile::build(epoch, previous, rewards)
            .map_err(|error| SdkError::Input(error.to_string()))
    }

    /// Everything that would make a vote for `batch` fail, found before
    /// sending: this wallet is not an oracle; the epoch has not ended or its
    /// deadline has passed; the batch is no longer pending; this oracle
    /// already cast this very vote; the batch promises devices more than the
    /// rewards program can ever have issued to them by that epoch.
    pub fn check_vote(&self, batch: &BatchFile, uri: &str) -> Result<(), SdkError> {
        let status = self.oracle_status(Some(batch.epoch()))?;
        let epoch = batch.epoch();
        if !status.config.oracles.contains(&self.address()) {
            return Err(SdkError::Input(format!(
                "{} is not in the oracle set; only oracles submit batches",
                self.address()
            )));
        }
        if status.now < status.ends_at {
            return Err(SdkError::Input(format!(
                "epoch {epoch} has not ended (EpochNotEnded): votes open {}",
                in_words(status.ends_at - status.now)
            )));
        }
        if status.now > status.deadline {
            return Err(SdkError::Input(format!(
                "epoch {epoch}'s finality deadline passed {} (DeadlinePassed): its batch can no \
                 longer become final; mark it expired with `depin oracle expire {epoch}` (the \
                 next epoch's batch carries the cumulative amounts)",
                in_words(status.deadline - status.now)
            )));
        }
        if let Some(on_chain) = &status.batch {
            not_pending(epoch, on_chain, &batch.commitment())?;
            let repeated = on_chain.votes.iter().any(|vote| {
                vote.oracle == self.address()
                    && vote.commitment == batch.commitment()
                    && vote.uri == uri
            });
            if repeated {
                return Err(SdkError::Input(format!(
                    "this oracle already voted for this very batch of epoch {epoch} \
                     (DuplicateVote); {} of quorum {} votes agree so far",
                    on_chain.matching_votes(&batch.commitment()),
                    status.config.quorum
                )));
            }
        }
        let issuance = self.device_issuance_through(epoch)?;
        let total = batch.commitment().total;
        if total > issuance.at_most {
            let tokens = |amount: u64| self.tokens_text(amount);
            return Err(SdkError::Input(format!(
                "the batch of epoch {epoch} promises devices {} in total, but the rewards \
                 program {} at most {} to devices through epoch {epoch}: no claim against it \
                 could ever be paid (BatchExceedsIssuance). Amounts are cumulative token base \
                 units (not whole tokens) per wallet",
                tokens(total),
                if issuance.estimated {
                    "will have issued"
                } else {
                    "has issued"
                },
                tokens(issuance.at_most)
            )));
        }
        Ok(())
    }

    /// Votes for `batch`'s root as this wallet (an oracle); the batch is
    /// final once a quorum of oracles voted for the same root. Checked
    /// first with [`Client::check_vote`].
    pub fn submit_batch(&mut self, batch: &BatchFile, uri: &str) -> Result<TxOutcome, SdkError> {
        self.check_vote(batch, uri)?;
        let oracle = self.address();
        self.send(
            &[depin_sdk::proof_oracle::submit_batch(
                oracle,
                batch.epoch(),
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
        let out_of_range =
            |_| SdkError::Input(format!("epoch {epoch} lies beyond the clock's range"));
        let ends_at = config.epoch_end(epoch).map_err(out_of_range)?;
        let deadline = config.finality_deadline_of(epoch).map_err(out_of_range)?;
        let batch = self.epoch_batch(epoch)?;
        let claimable_from = batch
            .as_ref()
            .filter(|batch| batch.status == BatchStatus::Final)
            .map(|batch| batch.challenge_ends_at);
        Ok(OracleStatus {
            config,
            epoch,
            batch,
            claimable_from,
            ends_at,
            deadline,
            now,
        })
    }

    /// The authority's veto of `epoch`'s final batch inside its challenge
    /// window (`reject_batch`): applied at once while this wallet holds the
    /// oracle authority, a DAO proposal once the DAO does (refused when no
    /// proposal could pass before the window closes).
    pub fn reject_batch(&mut self, epoch: u64) -> Result<AdminOutcome, SdkError> {
        let status = self.oracle_status(Some(epoch))?;
        let batch = status
            .batch
            .as_ref()
            .ok_or_else(|| SdkError::Input(format!("no batch for epoch {epoch} on chain")))?;
        if batch.status != BatchStatus::Final {
            return Err(SdkError::Input(format!(
                "the batch of epoch {epoch} is {:?}, not final (BatchNotFinal): only a final \
                 batch can be rejected",
                batch.status
            )));
        }
        if status.now >= batch.challenge_ends_at {
            return Err(SdkError::Input(format!(
                "the challenge window of epoch {epoch}'s batch closed {} \
                 (ChallengeWindowClosed): it can no longer be rejected",
                in_words(batch.challenge_ends_at - status.now)
            )));
        }
        let wallet = self.address();
        let authority = status.config.authority;
        let dao = pda::dao_authority().0;
        if authority == wallet {
            return self
                .send(&[depin_sdk::proof_oracle::reject_batch(wallet, epoch)], &[])
                .map(AdminOutcome::Applied);
        }
        if authority != dao {
            return Err(SdkError::Input(format!(
                "the oracle authority is {authority}: neither this wallet ({wallet}) nor the DAO"
            )));
        }
        let rules = self.governance_config()?.rules;
        let left = batch.challenge_ends_at - status.now;
        let fastest = if rules.early_tipping {
            rules.timelock_secs
        } else {
            rules.voting_period_secs.saturating_add(rules.timelock_secs)
        };
        if fastest >= left {
            return Err(SdkError::Input(format!(
                "the DAO holds the oracle authority, and a proposal needs at least {} (vote \
                 and timelock) before it executes, but epoch {epoch}'s challenge window closes \
                 {}: a veto could not pass in time",
                in_words(fastest).trim_start_matches("in "),
                in_words(left)
            )));
        }
        self.create_proposal(
            &format!("Reject the batch of epoch {epoch}"),
            &format!(
                "Veto of epoch {epoch}'s final batch (root {}), proposed with the depin CLI. \
                 It must execute before the challenge window closes.",
                hex_root(&batch.commitment.root)
            ),
            &[depin_sdk::proof_oracle::reject_batch(dao, epoch)],
        )
        .map(AdminOutcome::Proposed)
    }

    /// Marks `epoch`'s batch expired once its finality deadline has passed
    /// without a quorum (`expire_batch`; anyone may, and pays for the
    /// account if no oracle ever voted).
    pub fn expire_batch(&mut self, epoch: u64) -> Result<TxOutcome, SdkError> {
        let status = self.oracle_status(Some(epoch))?;
        if let Some(batch) = &status.batch {
            match batch.status {
                BatchStatus::Pending => {}
                BatchStatus::Final => {
                    return Err(SdkError::Input(format!(
                        "the batch of epoch {epoch} is final (BatchAlreadyFinal): it does not \
                         expire"
                    )))
                }
                BatchStatus::Expired => {
                    return Err(SdkError::Input(format!(
                        "the batch of epoch {epoch} has already expired (BatchExpired)"
                    )))
                }
                BatchStatus::Rejected => {
                    return Err(SdkError::Input(format!(
                        "the batch of epoch {epoch} was rejected (BatchRejected): it does not \
                         expire"
                    )))
                }
            }
        }
        if status.now <= status.deadline {
            return Err(SdkError::Input(format!(
                "epoch {epoch}'s finality deadline has not passed (DeadlineNotPassed): the \
                 batch may expire {}",
                in_words(status.deadline + 1 - status.now)
            )));
        }
        let payer = self.address();
        self.send(&[depin_sdk::proof_oracle::expire_batch(payer, epoch)], &[])
    }

    /// Base units of the network token as "12.5 tokens" (with the mint's
    /// decimals), or as base units before the network exists.
    pub(crate) fn tokens_text(&self, amount: u64) -> String {
        match self.token_decimals() {
            Ok(decimals) => format!(
                "{} tokens",
                depin_sdk::amount::format_amount(amount, decimals)
            ),
            Err(_) => format!("{amount} token base units"),
        }
    }
}

/// The error a vote for `commitment` gets from a batch that no longer takes
/// votes (`Ok` while it is pending).
fn not_pending(epoch: u64, batch: &EpochBatch, commitment: &Commitment) -> Result<(), SdkError> {
    let reason = match batch.status {
        BatchStatus::Pending => return Ok(()),
        BatchStatus::Final if batch.commitment == *commitment => format!(
            "the batch of epoch {epoch} is already final (BatchAlreadyFinal), with this very \
             root {}",
            short_root(&commitment.root)
        ),
        BatchStatus::Final => format!(
            "the batch of epoch {epoch} is already final (BatchAlreadyFinal) with another root \
             ({}…, not this file's {}…); a wrong batch can be vetoed by the oracle authority \
             during its challenge window (`depin oracle reject {epoch}`)",
            short_root(&batch.commitment.root),
            short_root(&commitment.root)
        ),
        BatchStatus::Expired => format!(
            "the batch of epoch {epoch} has expired (BatchExpired): the next epoch's batch \
             carries the cumulative amounts"
        ),
        BatchStatus::Rejected => format!(
            "the batch of epoch {epoch} was rejected (BatchRejected): the next epoch's batch \
             carries the cumulative amounts"
        ),
    };
    Err(SdkError::Input(reason))
}
