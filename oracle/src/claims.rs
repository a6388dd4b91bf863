//! The proof API's answers: for a wallet, its leaf in the newest claimable
//! batch this node holds (final on chain, challenge window over), the
//! proof, what the chain says it has been paid and what is owed; for a
//! device, what it earned epoch by epoch.
//!
//! Every answer is checked against the chain before it is given: the
//! batch file's commitment must be the final one on chain. Loaded batch
//! files are kept per epoch (the newest few), so a burst of requests reads
//! each file once.

use {
    crate::node::{hex, DataDir, EpochRecord},
    depin_client::{Backend, Client},
    depin_sdk::{
        accounts::BatchStatus, batch::BatchFile, pda, programs::rewards::state::RecipientRecord,
        Keypair, Pubkey, SdkError,
    },
    serde::{Deserialize, Serialize},
    std::{
        collections::BTreeMap,
        sync::{Arc, Mutex},
    },
};

/// Makes a chain client's backend (the loop's and each request's own).
pub type ChainFactory = Arc<dyn Fn() -> Result<Box<dyn Backend>, SdkError> + Send + Sync>;

/// Most wallets in one `POST /v1/claims`.
pub const MAX_WALLETS_PER_REQUEST: usize = 1_000;
/// Batch files kept in memory.
const CACHED_BATCHES: usize = 4;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProofStep {
    pub hash: String,
    pub sum: u64,
}

/// A wallet's standing in a batch: what `claim_rewards` takes, and what
/// the chain says it has been paid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WalletClaim {
    pub wallet: String,
    pub epoch: u64,
    /// The batch's root (hex) and leaf count, as final on chain.
    pub root: String,
    pub leaf_count: u32,
    pub leaf_index: u32,
    /// Everything the batch attributes to the wallet since the first batch.
    pub amount: u64,
    pub proof: Vec<ProofStep>,
    /// Paid so far (the wallet's record on chain).
    pub paid: u64,
    pub owed: u64,
}

fn unhex(text: &str, what: &str) -> Result<[u8; 32], String> {
    let bytes: Option<Vec<u8>> = (0..text.len())
        .step_by(2)
        .map(|at| {
            text.get(at..at + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect();
    bytes
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or_else(|| format!("{what} '{text}' is not 32 bytes of hex"))
}

impl WalletClaim {
    /// The claim instruction's input, as the API gave it (the client
    /// checks it against the chain before sending).
    pub fn to_claim(&self) -> Result<depin_sdk::rewards::WalletClaim, String> {
        let recipient: Pubkey = self
            .wallet
            .parse()
            .map_err(|_| format!("wallet '{}' is not an address", self.wallet))?;
        let proof = self
            .proof
            .iter()
            .map(|step| {
                Ok(depin_sdk::merkle::Node {
                    hash: unhex(&step.hash, "a proof hash")?,
                    sum: step.sum,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(depin_sdk::rewards::WalletClaim {
            batch_epoch: self.epoch,
            recipient,
            amount: self.amount,
            index: self.leaf_index,
            proof: depin_sdk::rewards::proof_nodes(&proof),
        })
    }
}

/// `wallet`'s answer from `batch`, given what the chain says it has been
/// paid (the work of one proof-API lookup: find the leaf, build the proof).
pub fn wallet_claim(
    batch: &BatchFile,
    wallet: &Pubkey,
    paid: u64,
) -> Result<WalletClaim, ClaimsError> {
    let commitment = batch.commitment();
    let (index, leaf, proof) = batch.proof_for(wallet).ok_or(ClaimsError::NotInBatch {
        wallet: *wallet,
        epoch: batch.epoch(),
    })?;
    Ok(WalletClaim {
        wallet: wallet.to_string(),
        epoch: batch.epoch(),
        root: hex(&commitment.root),
        leaf_count: commitment.leaf_count,
        leaf_index: index,
        amount: leaf.amount,
        proof: proof
            .iter()
            .map(|node| ProofStep {
                hash: hex(&node.hash),
                sum: node.sum,
            })
            .collect(),
        paid,
        owed: leaf.amount.saturating_sub(paid),
    })
}

/// A page of the newest claimable batch's wallets, in leaf order: how a
/// payout crank learns whom to pay without downloading the batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WalletPage {
    pub epoch: u64,
    pub root: String,
    pub leaf_count: u32,
    /// The first leaf index on this page.
    pub start: u32,
    pub wallets: Vec<String>,
}

/// One epoch of a device's rewards.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceEpochReward {
    pub epoch: u64,
    pub amount: u64,
    pub recipient: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ClaimsError {
    #[error("no batch is claimable yet: none this oracle holds is final on chain with its challenge window over")]
    NothingClaimable,
    #[error("wallet {wallet} has no rewards in the batch of epoch {epoch}")]
    NotInBatch { wallet: Pubkey, epoch: u64 },
    #[error("the chain: {0}")]
    Chain(#[from] SdkError),
    #[error("this oracle's copy of epoch {0}'s batch is missing or is not the one final on chain")]
    Damaged(u64),
}

pub struct ClaimsService {
    data: Arc<DataDir>,
    chain: ChainFactory,
    /// Per epoch: the proof data's hash and the file.
    batches: Mutex<BTreeMap<u64, (String, Arc<BatchFile>)>>,
}

impl ClaimsService {
    pub fn new(data: Arc<DataDir>, chain: ChainFactory) -> Self {
        Self {
            data,
            chain,
            batches: Mutex::new(BTreeMap::new()),
        }
    }

    fn client(&self) -> Result<Client, SdkError> {
        // Reads only: a key that never signs.
        Ok(Client::new((self.chain)()?, Keypair::new()))
    }

    /// The batch of `record`'s epoch as this node holds it, from the cache.
    fn batch(&self, record: &EpochRecord) -> Result<Arc<BatchFile>, ClaimsError> {
        let hash = record
            .proof_data
            .clone()
            .ok_or(ClaimsError::Damaged(record.epoch))?;
        if let Some((cached, batch)) = self.batches.lock().expect("cache").get(&record.epoch) {
            if *cached == hash {
                return Ok(batch.clone());
            }
        }
        let bytes = self
            .data
            .proof_data(&hash)
            .ok_or(ClaimsError::Damaged(record.epoch))?;
        let batch = Arc::new(
            BatchFile::from_bytes(&bytes).map_err(|_| ClaimsError::Damaged(record.epoch))?,
        );
        let mut cache = self.batches.lock().expect("cache");
        cache.insert(record.epoch, (hash, batch.clone()));
        while cache.len() > CACHED_BATCHES {
            let oldest = *cache.keys().next().expect("not empty");
            cache.remove(&oldest);
        }
        Ok(batch)
    }

    /// The newest batch final on chain, past its challenge window, whose
    /// file this node holds and whose commitment is the chain's.
    fn newest_claimable(&self, client: &Client) -> Result<Arc<BatchFile>, ClaimsError> {
        let now = client.now()?;
        // The chain decides what is final: the node's record may not have
        // caught up yet (it learns of finality on its next tick).
        for record in self.data.records_newest_first() {
            if record.proof_data.is_none() {
                continue;
            }
            let Some(on_chain) = client.epoch_batch(record.epoch)? else {
                continue;
            };
            if on_chain.status != BatchStatus::Final || !on_chain.is_claimable(now) {
                continue;
            }
            let batch = self.batch(&record)?;
            if batch.commitment() != on_chain.commitment {
                if record.status == "final" {
                    return Err(ClaimsError::Damaged(record.epoch));
                }
                // This node's file is not the one that became final.
                continue;
            }
            return Ok(batch);
        }
        Err(ClaimsError::NothingClaimable)
    }

    /// Each wallet's claim against the newest claimable batch, in order;
    /// a wallet without a leaf is an error of its own.
    pub fn claims(
        &self,
        wallets: &[Pubkey],
    ) -> Result<Vec<Result<WalletClaim, ClaimsError>>, ClaimsError> {
        let client = self.client()?;
        let batch = self.newest_claimable(&client)?;
        let records = client.fetch_many::<RecipientRecord>(
            &wallets
                .iter()
                .map(|wallet| pda::recipient_record(wallet).0)
                .collect::<Vec<_>>(),
        )?;
        Ok(wallets
            .iter()
            .zip(records)
            .map(|(wallet, record)| {
                wallet_claim(&batch, wallet, record.map_or(0, |record| record.claimed))
            })
            .collect())
    }

    /// Wallets `start..start + limit` of the newest claimable batch.
    pub fn wallets(&self, start: u32, limit: usize) -> Result<WalletPage, ClaimsError> {
        let client = self.client()?;
        let batch = self.newest_claimable(&client)?;
        let commitment = batch.commitment();
        let wallets = batch
            .leaves()
            .iter()
            .skip(start as usize)
            .take(limit)
            .map(|leaf| Pubkey::new_from_array(leaf.recipient).to_string())
            .collect();
        Ok(WalletPage {
            epoch: batch.epoch(),
            root: hex(&commitment.root),
            leaf_count: commitment.leaf_count,
            start,
            wallets,
        })
    }

    /// What `device` earned in each epoch whose batch is final on chain
    /// and held by this node, oldest first.
    pub fn device_rewards(&self, device: &Pubkey) -> Result<Vec<DeviceEpochReward>, ClaimsError> {
        let client = self.client()?;
        let mut rewards = Vec::new();
        let mut records = self.data.records_newest_first();
        records.reverse();
        for record in records {
            if record.proof_data.is_none() {
                continue;
            }
            let Some(on_chain) = client.epoch_batch(record.epoch)? else {
                continue;
            };
            if on_chain.status != BatchStatus::Final {
                continue;
            }
            let batch = self.batch(&record)?;
            if batch.commitment() != on_chain.commitment {
                if record.status == "final" {
                    return Err(ClaimsError::Damaged(record.epoch));
                }
                continue;
            }
            // The device lines are sorted by device.
            let lines = batch.devices();
            if let Ok(at) = lines.binary_search_by_key(device, |line| line.device_key) {
                let line = &lines[at];
                rewards.push(DeviceEpochReward {
                    epoch: record.epoch,
                    amount: line.amount,
                    recipient: line.recipient.to_string(),
                });
            }
        }
        Ok(rewards)
    }
}
