//! The rewards program: issuance, device and oracle reward claims, and
//! data credits (bought by burning tokens, spent by burning credits).

use {
    crate::{
        backend::BackendExt,
        proof_oracle::{in_words, short_root},
        require_account, Client,
    },
    depin_sdk::{
        accounts::{BatchStatus, EpochBatch, EpochRewards, PriceFeed, RewardsConfig},
        batch::BatchFile,
        pda,
        rewards::{
            constants::BPS,
            quote_data_credits,
            state::{schedule_entry, RecipientRecord},
            DataCreditQuote, UsagePurpose,
        },
        Instruction, Pubkey, SdkError, Signature, TxOutcome,
    },
    std::collections::HashMap,
};

/// One recipient wallet's standing against a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalletClaimStatus {
    pub recipient: Pubkey,
    /// Cumulative amount the batch promises the wallet (its whole fleet).
    pub earned: u64,
    /// Paid so far (its `RecipientRecord`; 0 before its first claim).
    pub claimed: u64,
}

impl WalletClaimStatus {
    pub fn owed(&self) -> u64 {
        self.earned.saturating_sub(self.claimed)
    }
}

/// What a claim run paid.
#[derive(Debug)]
pub struct ClaimReport {
    /// Wallets paid and the amount each received.
    pub paid: Vec<(Pubkey, u64)>,
    pub transactions: usize,
    /// The signature of each transaction, in order.
    pub signatures: Vec<Signature>,
}

/// Tokens issued to devices in every epoch up to one (cumulative, as batch
/// amounts are).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceIssuance {
    /// Issued so far to devices in epochs up to it (exact).
    pub issued: u64,
    /// The most devices can have been issued through it: `issued` plus, for
    /// epochs not issued yet, their scheduled emission and the most net
    /// emission can add.
    pub at_most: u64,
    /// Whether some of those epochs are not issued yet (`at_most` is then
    /// an estimate from above).
    pub estimated: bool,
}

/// What issuing an epoch would do, and when it can.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IssueCheck {
    pub epoch: u64,
    /// Unix time at which the epoch ends (issuance opens).
    pub ends_at: i64,
    /// Tokens the issuance would mint (emission and net emission).
    pub amount: u64,
    /// Unix time from which the token circuit breaker lets that amount
    /// through (`now` or earlier when it does already); `None` when the
    /// breaker's limit is below the amount, so it never will.
    pub breaker_clears_at: Option<i64>,
    pub now: i64,
}

impl IssueCheck {
    /// Whether the epoch can be issued now.
    pub fn ready(&self) -> bool {
        self.now >= self.ends_at && self.breaker_clears_at.is_some_and(|at| at <= self.now)
    }
}

/// A purchase of data credits priced now, at the oracle median.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreditQuote {
    /// Millionths of a dollar per whole token: the oracle median.
    pub median: u64,
    /// The price, the median's discount, the credits and the tokens burned.
    pub quote: DataCreditQuote,
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

    /// Whether `epoch` (default: the next one due) can be issued now, how
    /// much it would mint, and when the epoch clock and the token breaker
    /// allow it. Epochs are issued in order: any other is refused.
    pub fn issue_check(&self, epoch: Option<u64>) -> Result<IssueCheck, SdkError> {
        let config = self.rewards_config()?;
        let epoch = epoch.unwrap_or(config.next_epoch);
        if epoch < config.next_epoch {
            return Err(SdkError::Input(format!(
                "epoch {epoch} is already issued (EpochAlreadyIssued); the next one due is {}",
                config.next_epoch
            )));
        }
        if epoch != config.next_epoch {
            return Err(SdkError::Input(format!(
                "epoch {epoch} cannot be issued: epochs are issued in order and the next \
                 one due is {}",
                config.next_epoch
            )));
        }
        let oracle = self.oracle_config()?;
        let ends_at = oracle
            .epoch_end(epoch)
            .map_err(|_| SdkError::Input(format!("epoch {epoch} ends past the clock's range")))?;
        let now = self.now()?;
        // What `issue_epoch` mints: the schedule's emission and the net
        // emission, within the supply cap.
        let scheduled =
            schedule_entry(&config.schedule, epoch).map_or(0, |entry| entry.tokens_per_epoch);
        let headroom = config.supply_headroom();
        let emission = scheduled.min(headroom);
        let amount = emission + config.net_emission(epoch).min(headroom - emission);
        Ok(IssueCheck {
            epoch,
            ends_at,
            amount,
            breaker_clears_at: breaker_clears_at(&config.token_breaker, amount, now),
            now,
        })
    }

    /// Issues `epoch`'s emission (default: the next one due). Anyone may
    /// crank it once the epoch has ended; refused before sending while the
    /// epoch runs or the token breaker would trip.
    pub fn issue_epoch(&mut self, epoch: Option<u64>) -> Result<(u64, TxOutcome), SdkError> {
        let check = self.issue_check(epoch)?;
        let epoch = check.epoch;
        if check.now < check.ends_at {
            return Err(SdkError::Input(format!(
                "epoch {epoch} has not ended (EpochNotEnded): it ends {}",
                in_words(check.ends_at - check.now)
            )));
        }
        match check.breaker_clears_at {
            Some(at) if at <= check.now => {}
            Some(at) => {
                return Err(SdkError::Input(format!(
                    "issuing epoch {epoch} would trip the token circuit breaker \
                     (CircuitBreakerTripped): it mints {} and the breaker allows it {}",
                    self.tokens_text(check.amount),
                    in_words(at - check.now)
                )))
            }
            None => {
                return Err(SdkError::Input(format!(
                    "issuing epoch {epoch} would trip the token circuit breaker \
                     (CircuitBreakerTripped): it mints {}, more than the breaker ever allows \
                     in one window; the rewards authority must raise the limit",
                    self.tokens_text(check.amount)
                )))
            }
        }
        let treasury = self.rewards_config()?.treasury;
        let payer = self.address();
        let outcome = self.send(
            &[depin_sdk::rewards::issue_epoch(payer, epoch, treasury)],
            &[],
        )?;
        Ok((epoch, outcome))
    }

    /// Tokens issued to devices through `epoch` (cumulative since genesis):
    /// exact for epochs issued, and for epochs not issued yet at most their
    /// schedule's device share of emission plus the net-emission cap.
    pub fn device_issuance_through(&self, epoch: u64) -> Result<DeviceIssuance, SdkError> {
        let config = self.rewards_config()?;
        if epoch < config.next_epoch {
            // Everything issued so far, less the epochs after `epoch`.
            let later: Vec<Pubkey> = (epoch + 1..config.next_epoch)
                .map(|later| pda::epoch_rewards(later).0)
                .collect();
            let later_devices = self
                .fetch_many::<EpochRewards>(&later)?
                .into_iter()
                .flatten()
                .fold(0u64, |sum, issued| sum.saturating_add(issued.devices));
            let issued = config.device_issued.saturating_sub(later_devices);
            return Ok(DeviceIssuance {
                issued,
                at_most: issued,
                estimated: false,
            });
        }
        let mut at_most = config.device_issued;
        let unissued = epoch - config.next_epoch + 1;
        if unissued > 100_000 {
            at_most = u64::MAX;
        } else {
            for later in config.next_epoch..=epoch {
                let most = schedule_entry(&config.schedule, later).map_or(0, |entry| {
                    let minted =
                        u128::from(entry.tokens_per_epoch) + u128::from(config.net_emission_cap);
                    minted * u128::from(entry.split.devices_bps) / u128::from(BPS)
                });
                at_most = at_most.saturating_add(u64::try_from(most).unwrap_or(u64::MAX));
            }
        }
        Ok(DeviceIssuance {
            issued: config.device_issued,
            at_most,
            estimated: true,
        })
    }

    /// Each wallet's earned and claimed amounts against `batch` (records
    /// read in batches of 100); a wallet with no leaf is refused by name.
    pub fn claim_status(
        &self,
        batch: &BatchFile,
        recipients: &[Pubkey],
    ) -> Result<Vec<WalletClaimStatus>, SdkError> {
        let addresses: Vec<Pubkey> = recipients
            .iter()
            .map(|recipient| pda::recipient_record(recipient).0)
            .collect();
        let records = self.fetch_many::<RecipientRecord>(&addresses)?;
        recipients
            .iter()
            .zip(records)
            .map(|(recipient, record)| {
                let (_, leaf, _) = batch.proof_for(recipient).ok_or_else(|| {
                    SdkError::Input(format!(
                        "wallet {recipient} has no rewards in the batch of epoch {}: none of \
                         its devices has earned anything yet",
                        batch.epoch()
                    ))
                })?;
                Ok(WalletClaimStatus {
                    recipient: *recipient,
                    earned: leaf.amount,
                    claimed: record.map_or(0, |record| record.claimed),
                })
            })
            .collect()
    }

    /// Checks `batch` (a file someone published) against the chain before
    /// anything it promises is believed: the epoch's batch account exists
    /// and is final, its commitment (root, leaf count, total, file hash)
    /// is the file's, and the total is within what was issued to devices
    /// through that epoch. Returns the batch account; the challenge window
    /// is the caller's to check (`challenge_ends_at`).
    pub fn verify_batch(&self, batch: &BatchFile) -> Result<EpochBatch, SdkError> {
        let epoch = batch.epoch();
        let on_chain = self.epoch_batch(epoch)?.ok_or_else(|| {
            SdkError::Input(format!(
                "no batch for epoch {epoch} on chain: this file was never voted final (or \
                 belongs to another network)"
            ))
        })?;
        match on_chain.status {
            BatchStatus::Final => {}
            BatchStatus::Pending => {
                return Err(SdkError::Input(format!(
                    "the batch of epoch {epoch} is not final on chain (BatchNotFinal): {} \
                     vote(s) so far; nothing is owed until a quorum agrees",
                    on_chain.votes.len()
                )))
            }
            BatchStatus::Rejected => {
                return Err(SdkError::Input(format!(
                    "the batch of epoch {epoch} was rejected by the oracle authority \
                     (BatchRejected): it pays nothing; a later epoch's batch carries the \
                     cumulative amounts"
                )))
            }
            BatchStatus::Expired => {
                return Err(SdkError::Input(format!(
                    "the batch of epoch {epoch} expired without a quorum (BatchNotFinal): it \
                     pays nothing; a later epoch's batch carries the cumulative amounts"
                )))
            }
        }
        let file = batch.commitment();
        let chain = on_chain.commitment;
        if file != chain {
            let mut differences = Vec::new();
            if file.root != chain.root {
                differences.push(format!(
                    "root {}… in the file, {}… on chain",
                    short_root(&file.root),
                    short_root(&chain.root)
                ));
            }
            if file.leaf_count != chain.leaf_count {
                differences.push(format!(
                    "{} wallets in the file, {} on chain",
                    file.leaf_count, chain.leaf_count
                ));
            }
            if file.total != chain.total {
                differences.push(format!(
                    "a total of {} in the file, {} on chain",
                    self.tokens_text(file.total),
                    self.tokens_text(chain.total)
                ));
            }
            if file.proof_data_hash != chain.proof_data_hash {
                differences.push(format!(
                    "file hash {}… , {}… on chain",
                    short_root(&file.proof_data_hash),
                    short_root(&chain.proof_data_hash)
                ));
            }
            return Err(SdkError::Input(format!(
                "this batch file does not match the root of epoch {epoch} on chain: {}",
                differences.join("; ")
            )));
        }
        let config = self.rewards_config()?;
        let issuance = self.device_issuance_through(epoch)?;
        let bound = if issuance.estimated {
            config.device_issued
        } else {
            issuance.issued
        };
        if chain.total > bound {
            return Err(SdkError::Input(if issuance.estimated {
                format!(
                    "the batch of epoch {epoch} totals {}, more than the {} issued to devices \
                     so far, and epoch {epoch} is not issued yet: claims wait until it is \
                     (`depin rewards issue`) (BatchExceedsIssuance)",
                    self.tokens_text(chain.total),
                    self.tokens_text(bound)
                )
            } else {
                format!(
                    "the batch of epoch {epoch} totals {}, more than the {} issued to devices \
                     through epoch {epoch}: it promises what was never issued \
                     (BatchExceedsIssuance)",
                    self.tokens_text(chain.total),
                    self.tokens_text(bound)
                )
            }));
        }
        Ok(on_chain)
    }

    /// Claims what `batch` owes `recipient` (default: this wallet) for its
    /// whole fleet, in one transaction whatever the number of devices:
    /// the recipient's token account is created if missing, then one
    /// `claim_rewards`. This wallet pays the fee (anyone may claim for
    /// anyone; the tokens only ever go to the recipient).
    pub fn claim_rewards(
        &mut self,
        batch: &BatchFile,
        recipient: Option<Pubkey>,
    ) -> Result<ClaimReport, SdkError> {
        self.require_claimable(batch)?;
        let recipient = recipient.unwrap_or_else(|| self.address());
        let status = self
            .claim_status(batch, &[recipient])?
            .pop()
            .expect("one status per wallet");
        if status.owed() == 0 {
            return Err(SdkError::Input(format!(
                "nothing to claim: wallet {recipient} has been paid all {} the batch of epoch \
                 {} owes it",
                self.tokens_text(status.earned),
                batch.epoch()
            )));
        }
        let claim = depin_sdk::rewards::claim_from_batch(batch, &recipient)
            .expect("the wallet is in the batch");
        let signatures = self.send_claim(claim)?;
        Ok(ClaimReport {
            paid: vec![(recipient, status.owed())],
            transactions: signatures.len(),
            signatures,
        })
    }

    /// Claims with a leaf and proof from elsewhere (an oracle's proof API),
    /// believed only once checked against the chain: the epoch's batch is
    /// final and out of its challenge window, and the leaf with its proof
    /// leads to the root and total final on chain. Pays what the leaf is
    /// owed beyond what the wallet has been paid.
    pub fn claim_with_proof(
        &mut self,
        claim: depin_sdk::rewards::WalletClaim,
    ) -> Result<ClaimReport, SdkError> {
        let claimed = self.check_claim_proof(&claim)?;
        if claim.amount <= claimed {
            return Err(SdkError::Input(format!(
                "nothing to claim: wallet {} has been paid all {} the batch of epoch {} owes it",
                claim.recipient,
                self.tokens_text(claim.amount),
                claim.batch_epoch
            )));
        }
        let recipient = claim.recipient;
        let owed = claim.amount - claimed;
        let signatures = self.send_claim(claim)?;
        Ok(ClaimReport {
            paid: vec![(recipient, owed)],
            transactions: signatures.len(),
            signatures,
        })
    }

    /// The checks of [`Client::claim_with_proof`] without sending: the
    /// batch final and claimable, the leaf and proof leading to its root.
    /// Returns what the wallet has been paid so far.
    pub fn check_claim_proof(
        &self,
        claim: &depin_sdk::rewards::WalletClaim,
    ) -> Result<u64, SdkError> {
        Ok(self.check_claim_proofs(std::slice::from_ref(claim))?[0])
    }

    /// [`Client::check_claim_proof`] for many claims (each epoch's batch
    /// read once): what each wallet has been paid so far, in order.
    pub fn check_claim_proofs(
        &self,
        claims: &[depin_sdk::rewards::WalletClaim],
    ) -> Result<Vec<u64>, SdkError> {
        use depin_sdk::merkle::{verify, Leaf, Node};
        let now = self.now()?;
        let mut batches: HashMap<u64, EpochBatch> = HashMap::new();
        for claim in claims {
            let epoch = claim.batch_epoch;
            if let std::collections::hash_map::Entry::Vacant(entry) = batches.entry(epoch) {
                let on_chain = self.epoch_batch(epoch)?.ok_or_else(|| {
                    SdkError::Input(format!(
                        "no batch for epoch {epoch} on chain: the proof is for a batch never voted"
                    ))
                })?;
                if on_chain.status != BatchStatus::Final {
                    return Err(SdkError::Input(format!(
                        "the batch of epoch {epoch} is not final on chain ({:?}): nothing is owed \
                         under it",
                        on_chain.status
                    )));
                }
                if now < on_chain.challenge_ends_at {
                    return Err(SdkError::Input(format!(
                        "the batch of epoch {epoch} is in its challenge window \
                         (BatchInChallengeWindow): claims open {}",
                        in_words(on_chain.challenge_ends_at - now)
                    )));
                }
                entry.insert(on_chain);
            }
            let commitment = &batches[&epoch].commitment;
            let leaf = Leaf {
                recipient: claim.recipient.to_bytes(),
                amount: claim.amount,
            };
            let proof: Vec<Node> = claim
                .proof
                .iter()
                .map(|step| Node {
                    hash: step.hash,
                    sum: step.sum,
                })
                .collect();
            let root = Node {
                hash: commitment.root,
                sum: commitment.total,
            };
            verify(&leaf, claim.index, commitment.leaf_count, &proof, &root).map_err(|error| {
                SdkError::Input(format!(
                    "the proof for wallet {} does not lead to the root final on chain for epoch \
                     {epoch} ({error:?}): refusing to believe it",
                    claim.recipient
                ))
            })?;
        }
        let records = self.fetch_many::<RecipientRecord>(
            &claims
                .iter()
                .map(|claim| pda::recipient_record(&claim.recipient).0)
                .collect::<Vec<_>>(),
        )?;
        Ok(records
            .into_iter()
            .map(|record| record.map_or(0, |record| record.claimed))
            .collect())
    }

    /// The API of the oracle node that published the newest batch claimable
    /// now (final, challenge window over): the base of a vote's `uri` for
    /// the final commitment, when it is an oracle node's
    /// (`<base>/v1/epochs/<epoch>/data`).
    pub fn proof_api(&self) -> Result<String, SdkError> {
        let now = self.now()?;
        let newest = self
            .program_accounts_of::<EpochBatch>(&depin_sdk::proof_oracle::ID, vec![])?
            .into_iter()
            .map(|(_, batch)| batch)
            .filter(|batch| batch.is_claimable(now))
            .max_by_key(|batch| batch.epoch)
            .ok_or_else(|| {
                SdkError::Input(
                    "no batch is claimable yet (final, its challenge window over)".into(),
                )
            })?;
        let suffix = format!("/v1/epochs/{}/data", newest.epoch);
        newest
            .votes
            .iter()
            .filter(|vote| vote.commitment == newest.commitment)
            .find_map(|vote| vote.uri.strip_suffix(&suffix).map(str::to_string))
            .ok_or_else(|| {
                SdkError::Input(format!(
                    "the batch of epoch {} was not published by an oracle node (its uri is {}): \
                     claim with --batch FILE",
                    newest.epoch, newest.uri
                ))
            })
    }

    /// Pays every wallet `batch` still owes (a payout crank, for networks
    /// that pay without asking operators to claim), this wallet paying fees
    /// and first-claim rent: the missing token accounts first, many per
    /// transaction, then the claims, as many per transaction as fit
    /// (version 0 through the network's lookup table when there is one).
    /// Resumable: what was paid is read from the chain, so a rerun after an
    /// interruption pays only the rest. `progress(done, total)` after each
    /// claim transaction.
    pub fn distribute_rewards(
        &mut self,
        batch: &BatchFile,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ClaimReport, SdkError> {
        self.require_claimable(batch)?;
        let recipients: Vec<Pubkey> = batch
            .leaves()
            .iter()
            .map(|leaf| Pubkey::new_from_array(leaf.recipient))
            .collect();
        let owed: Vec<(depin_sdk::rewards::WalletClaim, u64)> = self
            .claim_status(batch, &recipients)?
            .into_iter()
            .filter(|status| status.owed() > 0)
            .map(|status| {
                let claim = depin_sdk::rewards::claim_from_batch(batch, &status.recipient)
                    .expect("every leaf's wallet is in the batch");
                (claim, status.owed())
            })
            .collect();
        self.pay_claims(owed, progress)
    }

    /// [`Client::distribute_rewards`] from claims an oracle's proof API
    /// gave (`POST /v1/claims`), each checked against the root final on
    /// chain before anything is sent; pays the wallets still owed.
    pub fn distribute_claims(
        &mut self,
        claims: Vec<depin_sdk::rewards::WalletClaim>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ClaimReport, SdkError> {
        let paid = self.check_claim_proofs(&claims)?;
        let owed = claims
            .into_iter()
            .zip(paid)
            .filter(|(claim, paid)| claim.amount > *paid)
            .map(|(claim, paid)| {
                let owed = claim.amount - paid;
                (claim, owed)
            })
            .collect();
        self.pay_claims(owed, progress)
    }

    /// Pays each claim (with what it still owes): missing token accounts
    /// first, many per transaction, then the claims packed.
    fn pay_claims(
        &mut self,
        owed: Vec<(depin_sdk::rewards::WalletClaim, u64)>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ClaimReport, SdkError> {
        let payer = self.address();
        let paid: Vec<(Pubkey, u64)> = owed
            .iter()
            .map(|(claim, owed)| (claim.recipient, *owed))
            .collect();
        let claims: Vec<Vec<Instruction>> = owed
            .into_iter()
            .map(|(claim, _)| depin_sdk::rewards::claim_rewards_with_account(payer, claim))
            .collect();
        // Every claim must fit alone before anything (a token account
        // included) is sent: the one with the longest proof decides.
        let tables = self.lookup_tables()?;
        if let Some(longest) = claims.iter().max_by_key(|claim| claim[1].data.len()) {
            self.check_claim_fits(&longest[1..], &tables)?;
        }
        let destinations: Vec<Pubkey> = paid
            .iter()
            .map(|(recipient, _)| depin_sdk::rewards::token_account(recipient))
            .collect();
        let exists = self.backend.get_multiple_accounts(&destinations)?;
        let accounts: Vec<Vec<Instruction>> = claims
            .iter()
            .zip(exists)
            .filter(|(_, account)| account.is_none())
            .map(|(claim, _)| claim[..1].to_vec())
            .collect();
        let created = self.send_packed(&accounts, &mut |_, _| {})?;
        let claims: Vec<Vec<Instruction>> = claims
            .into_iter()
            .map(|claim| claim[1..].to_vec())
            .collect();
        let sent = self.send_packed(&claims, progress)?;
        Ok(ClaimReport {
            paid,
            transactions: created.len() + sent.len(),
            signatures: created
                .iter()
                .chain(&sent)
                .map(|outcome| outcome.signature)
                .collect(),
        })
    }

    /// Refuses a claim no transaction can carry, naming the way out.
    fn check_claim_fits(
        &self,
        claim: &[Instruction],
        tables: &[depin_sdk::txsize::LookupTable],
    ) -> Result<(), SdkError> {
        let size = self.transaction_bytes(claim, tables);
        if size <= depin_sdk::MAX_TRANSACTION_SIZE {
            return Ok(());
        }
        Err(if tables.is_empty() {
            SdkError::Input(format!(
                "a claim of this batch takes {size} bytes as a legacy transaction (the limit is \
                 {}): it needs a version-0 transaction through the network's lookup table \
                 (`depin network create-lookup-table`, then `--lookup-table`)",
                depin_sdk::MAX_TRANSACTION_SIZE
            ))
        } else {
            SdkError::TransactionTooLarge {
                size,
                limit: depin_sdk::MAX_TRANSACTION_SIZE,
            }
        })
    }

    /// One wallet claim: the recipient's token account created if missing
    /// and the claim, in one transaction when they fit; else the account
    /// first, alone, and the claim in a transaction of its own (version 0
    /// through the network's lookup table when there is one: a proof for a
    /// million wallets fits only that way).
    fn send_claim(
        &mut self,
        claim: depin_sdk::rewards::WalletClaim,
    ) -> Result<Vec<Signature>, SdkError> {
        let payer = self.address();
        let tables = self.lookup_tables()?;
        let destination = depin_sdk::rewards::token_account(&claim.recipient);
        let together = depin_sdk::rewards::claim_rewards_with_account(payer, claim);
        if self.transaction_bytes(&together, &tables) <= depin_sdk::MAX_TRANSACTION_SIZE {
            return Ok(vec![self.send_compact(&together, &[])?.signature]);
        }
        self.check_claim_fits(&together[1..], &tables)?;
        let mut signatures = Vec::new();
        if !self.backend.exists(&destination)? {
            signatures.push(self.send(&together[..1], &[])?.signature);
        }
        signatures.push(self.send_compact(&together[1..], &[])?.signature);
        Ok(signatures)
    }

    /// The batch is checked against the chain and out of its challenge window.
    fn require_claimable(&self, batch: &BatchFile) -> Result<EpochBatch, SdkError> {
        let on_chain = self.verify_batch(batch)?;
        let now = self.now()?;
        if now < on_chain.challenge_ends_at {
            return Err(SdkError::Input(format!(
                "the batch of epoch {} is in its challenge window (BatchInChallengeWindow): \
                 claims open {}",
                batch.epoch(),
                in_words(on_chain.challenge_ends_at - now)
            )));
        }
        Ok(on_chain)
    }

    /// What this oracle may claim of `epoch`'s oracle rewards: its share,
    /// or why there is none, in words (the epoch is not issued, it has no
    /// batch, the batch is not claimable, this oracle did not vote for the
    /// final root, or it already claimed).
    pub fn oracle_share(&self, epoch: u64) -> Result<u64, SdkError> {
        let oracle = self.address();
        let issued: Option<EpochRewards> =
            self.backend.fetch_optional(&pda::epoch_rewards(epoch).0)?;
        let Some(issued) = issued else {
            let next = self.rewards_config()?.next_epoch;
            return Err(SdkError::Input(if epoch < next {
                format!("epoch {epoch} issued nothing: the rewards program started later")
            } else {
                format!(
                    "epoch {epoch} is not issued yet: once it has ended anyone may issue it \
                     (`depin rewards issue`; the next one due is {next})"
                )
            }));
        };
        let batch = self.epoch_batch(epoch)?.ok_or_else(|| {
            SdkError::Input(format!(
                "no batch for epoch {epoch} on chain: no oracle voted for it, so its oracle \
                 share pays nobody"
            ))
        })?;
        match batch.status {
            BatchStatus::Final => {}
            BatchStatus::Pending => {
                return Err(SdkError::Input(format!(
                    "the batch of epoch {epoch} is not final yet (BatchNotFinal): {} vote(s) \
                     so far",
                    batch.votes.len()
                )))
            }
            BatchStatus::Rejected => {
                return Err(SdkError::Input(format!(
                    "the batch of epoch {epoch} was rejected (BatchRejected): its oracle share \
                     pays nobody (`depin rewards sweep {epoch}` moves it to the treasury)"
                )))
            }
            BatchStatus::Expired => {
                return Err(SdkError::Input(format!(
                    "the batch of epoch {epoch} expired without a quorum (BatchNotFinal): its \
                     oracle share pays nobody (`depin rewards sweep {epoch}` moves it to the \
                     treasury)"
                )))
            }
        }
        let now = self.now()?;
        if now < batch.challenge_ends_at {
            return Err(SdkError::Input(format!(
                "the batch of epoch {epoch} is in its challenge window \
                 (BatchInChallengeWindow): claims open {}",
                in_words(batch.challenge_ends_at - now)
            )));
        }
        let index = batch
            .votes
            .iter()
            .position(|vote| vote.oracle == oracle && vote.commitment == batch.commitment)
            .filter(|index| *index < 16)
            .ok_or_else(|| {
                SdkError::Input(format!(
                    "{oracle} did not vote for the final root of epoch {epoch} \
                     (NotContributingOracle): only the oracles that made the batch final share \
                     its oracle rewards"
                ))
            })?;
        if issued.oracle_claimed_mask & (1 << index) != 0 {
            return Err(SdkError::Input(format!(
                "this oracle has already claimed its share of epoch {epoch} \
                 (OracleAlreadyClaimed)"
            )));
        }
        let contributors = u64::from(batch.matching_votes(&batch.commitment)).max(1);
        let share = issued.oracles / contributors;
        if share == 0 {
            return Err(SdkError::Input(format!(
                "epoch {epoch}'s oracle share is {} among {contributors} oracles: nothing to \
                 claim (NothingToClaim)",
                self.tokens_text(issued.oracles)
            )));
        }
        Ok(share)
    }

    /// This oracle's share of `epoch`'s oracle rewards (it must have voted
    /// for the final root); checked first with [`Client::oracle_share`].
    /// Returns the share paid and the transaction.
    pub fn claim_oracle_rewards(&mut self, epoch: u64) -> Result<(u64, TxOutcome), SdkError> {
        let share = self.oracle_share(epoch)?;
        let oracle = self.address();
        let outcome = self.send(
            &[
                depin_sdk::rewards::create_token_account(&oracle, &oracle),
                depin_sdk::rewards::claim_oracle_rewards(
                    oracle,
                    epoch,
                    depin_sdk::rewards::token_account(&oracle),
                ),
            ],
            &[],
        )?;
        Ok((share, outcome))
    }

    /// Prices a purchase of data credits with `tokens` (base units) now:
    /// the oracle median less the rewards program's discount, as
    /// `mint_data_credits` will price it.
    pub fn quote_data_credits(&self, tokens: u64) -> Result<CreditQuote, SdkError> {
        let config = self.rewards_config()?;
        let oracle = self.oracle_config()?;
        let feed: PriceFeed =
            require_account(&*self.backend, &pda::price_feed().0, "the price feed")?;
        let now = self.now()?;
        let median = feed.median(&oracle, now).map_err(|_| {
            SdkError::Input(format!(
                "no token price: fewer than {} oracles posted a price in the last {} \
                 (StalePrice); oracles post with `depin oracle price`",
                oracle.price_quorum(),
                in_words(oracle.price_max_staleness).trim_start_matches("in ")
            ))
        })?;
        let quote = quote_data_credits(
            tokens,
            median,
            config.price_discount_bps,
            config.token_decimals,
        )
        .map_err(|error| {
            SdkError::Input(format!(
                "{} buy no data credits at ${} per token: {error}",
                self.tokens_text(tokens),
                depin_sdk::amount::format_amount(median, 6)
            ))
        })?;
        Ok(CreditQuote { median, quote })
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
                "insufficient funds: buying credits for {} needs them, and this wallet holds {}",
                self.tokens_text(tokens),
                self.tokens_text(held)
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

/// The earliest time from `now` on at which `breaker` lets `amount` through
/// (its recorded mints age out slot by slot); `None` if its limit is below
/// the amount.
fn breaker_clears_at(
    breaker: &depin_sdk::rewards::state::CircuitBreaker,
    amount: u64,
    now: i64,
) -> Option<i64> {
    if amount > breaker.limit {
        return None;
    }
    let fits = |at: i64| {
        breaker
            .window_total(at)
            .checked_add(amount)
            .is_some_and(|total| total <= breaker.limit)
    };
    if fits(now) {
        return Some(now);
    }
    // Slots of ceil(window / 8) seconds: the window total only drops when
    // a slot boundary passes, and after nine of them nothing recorded
    // before `now` counts any more.
    let slot = (breaker.window_seconds.max(1) as u64).div_ceil(8) as i64;
    let first = (now / slot + 1) * slot;
    (0..=9)
        .map(|step| first + step * slot)
        .find(|at| fits(*at))
        .or(Some(first + 9 * slot))
}
