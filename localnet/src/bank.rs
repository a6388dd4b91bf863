//! The node's ledger over the embedded runtime: slots on a clock, a queue
//! of recent blockhashes, signature statuses by commitment, and a bounded
//! history of transactions with their metadata.

use {
    depin_client::embedded::{EmbeddedCluster, Executed},
    depin_sdk::{Hash, Pubkey},
    solana_account::Account,
    solana_clock::Clock,
    solana_signature::Signature,
    solana_transaction::versioned::VersionedTransaction,
    solana_transaction_error::TransactionError,
    std::collections::{HashMap, VecDeque},
    tokio::sync::broadcast,
};

/// A blockhash is valid for this many blocks, as on a validator.
pub const MAX_PROCESSING_AGE: u64 = 150;
/// Blocks a slot needs on top to be finalized (a validator's rooting depth).
pub const FINALIZATION_DEPTH: u64 = 32;
/// Transactions kept for `getTransaction` and statuses (the default of
/// [`Bank::set_history_limit`]).
pub const HISTORY_LIMIT: usize = 100_000;

/// How far a client wants a slot confirmed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Commitment {
    Processed,
    Confirmed,
    Finalized,
}

impl Commitment {
    pub fn from_config(config: Option<solana_commitment_config::CommitmentConfig>) -> Self {
        use solana_commitment_config::CommitmentLevel;
        match config.map(|config| config.commitment) {
            Some(CommitmentLevel::Processed) => Commitment::Processed,
            Some(CommitmentLevel::Confirmed) => Commitment::Confirmed,
            _ => Commitment::Finalized,
        }
    }

    /// Slots on top of a transaction's slot before it reaches this level.
    pub fn depth(self) -> u64 {
        match self {
            Commitment::Processed => 0,
            Commitment::Confirmed => 1,
            Commitment::Finalized => FINALIZATION_DEPTH,
        }
    }
}

/// A transaction that landed.
pub struct Landed {
    pub slot: u64,
    pub block_time: i64,
    pub transaction: VersionedTransaction,
    pub executed: Executed,
}

/// What subscribers hear about.
#[derive(Clone, Debug)]
pub enum Event {
    /// A new slot began (the previous one is complete).
    Slot { slot: u64 },
    /// A transaction landed in `slot`.
    Transaction {
        signature: Signature,
        slot: u64,
        error: Option<TransactionError>,
        logs: Vec<String>,
        /// Every account it names (for `logsSubscribe` mentions).
        keys: Vec<Pubkey>,
        /// Accounts it may have changed.
        writable: Vec<Pubkey>,
    },
}

/// Why a transaction was not taken.
#[derive(Debug)]
pub enum Refusal {
    /// It would not land: this error, before anything ran.
    Transaction(TransactionError),
    /// The node could not read its own state.
    Node(String),
}

pub struct Bank {
    cluster: EmbeddedCluster,
    /// Newest last: (blockhash, slot it was issued in).
    blockhashes: VecDeque<(Hash, u64)>,
    landed: HashMap<Signature, Landed>,
    order: VecDeque<Signature>,
    /// Most transactions kept; the oldest are forgotten first.
    history_limit: usize,
    genesis_hash: Hash,
    events: broadcast::Sender<Event>,
    /// Seconds added to the wall clock by `depin_warp`.
    warped_seconds: i64,
    /// The clock's time when the node started, and the wall time then.
    started: (i64, std::time::Instant),
}

impl Bank {
    pub fn new(mut cluster: EmbeddedCluster, events: broadcast::Sender<Event>) -> Self {
        cluster.set_blockhash_check(false);
        let clock = cluster.clock();
        let blockhash = cluster.svm().latest_blockhash();
        // Fixed for a state, and the same the embedded runtime reports.
        let genesis_hash = cluster.genesis_hash();
        Self {
            blockhashes: VecDeque::from([(blockhash, clock.slot)]),
            cluster,
            landed: HashMap::new(),
            order: VecDeque::new(),
            history_limit: HISTORY_LIMIT,
            genesis_hash,
            events,
            warped_seconds: 0,
            started: (clock.unix_timestamp, std::time::Instant::now()),
        }
    }

    /// Keeps at most `limit` transactions (at least one), forgetting the
    /// oldest beyond it now and as new ones land.
    pub fn set_history_limit(&mut self, limit: usize) {
        self.history_limit = limit.max(1);
        self.forget_beyond_limit();
    }

    pub fn history_limit(&self) -> usize {
        self.history_limit
    }

    fn forget_beyond_limit(&mut self) {
        while self.order.len() > self.history_limit {
            if let Some(oldest) = self.order.pop_front() {
                self.landed.remove(&oldest);
            }
        }
    }

    pub fn cluster(&self) -> &EmbeddedCluster {
        &self.cluster
    }

    pub fn cluster_mut(&mut self) -> &mut EmbeddedCluster {
        &mut self.cluster
    }

    pub fn clock(&self) -> Clock {
        self.cluster.clock()
    }

    pub fn slot(&self) -> u64 {
        self.clock().slot
    }

    /// One block per slot: the block height is the slot.
    pub fn block_height(&self) -> u64 {
        self.slot()
    }

    /// The newest slot that reached `commitment`.
    pub fn slot_at(&self, commitment: Commitment) -> u64 {
        self.slot().saturating_sub(commitment.depth())
    }

    pub fn genesis_hash(&self) -> Hash {
        self.genesis_hash
    }

    pub fn latest_blockhash(&self) -> (Hash, u64) {
        let (hash, slot) = *self.blockhashes.back().expect("never empty");
        (hash, slot.saturating_add(MAX_PROCESSING_AGE))
    }

    /// Whether `blockhash` is at most 150 blocks old.
    pub fn is_blockhash_valid(&self, blockhash: &Hash) -> bool {
        let height = self.block_height();
        self.blockhashes.iter().any(|(known, slot)| {
            known == blockhash && height <= slot.saturating_add(MAX_PROCESSING_AGE)
        })
    }

    /// Ages 0 to 150 are valid (as a validator's queue): 151 blockhashes,
    /// so one is still valid at its `lastValidBlockHeight`.
    fn forget_old_blockhashes(&mut self) {
        while self.blockhashes.len() as u64 > MAX_PROCESSING_AGE + 1 {
            self.blockhashes.pop_front();
        }
    }

    /// The next slot: a new block, a new blockhash, time from the wall
    /// clock (plus warps).
    pub fn tick(&mut self) {
        let elapsed = i64::try_from(self.started.1.elapsed().as_secs()).unwrap_or(i64::MAX);
        let now = self
            .started
            .0
            .saturating_add(elapsed)
            .saturating_add(self.warped_seconds);
        let blockhash = self.cluster.advance_slot(now);
        let slot = self.slot();
        self.blockhashes.push_back((blockhash, slot));
        self.forget_old_blockhashes();
        let _ = self.events.send(Event::Slot { slot });
    }

    /// Moves the clock `seconds` forward at once (slots too, one per
    /// 400 ms): a local node's time travel.
    pub fn warp(&mut self, seconds: i64) -> Result<Clock, String> {
        if seconds < 0 {
            return Err("the clock cannot go back".into());
        }
        self.warped_seconds = self.warped_seconds.saturating_add(seconds);
        let target = self.clock().unix_timestamp.saturating_add(seconds);
        self.cluster.warp_to_timestamp(target);
        let blockhash = self.cluster.svm().latest_blockhash();
        let slot = self.slot();
        self.blockhashes.push_back((blockhash, slot));
        self.forget_old_blockhashes();
        let _ = self.events.send(Event::Slot { slot });
        Ok(self.clock())
    }

    /// Runs and commits a transaction as the leader would: a known
    /// blockhash, not processed before, valid signatures; then it runs and
    /// lands in the current slot (failed or not, once it ran).
    pub fn process(&mut self, transaction: VersionedTransaction) -> Result<&Landed, Refusal> {
        let signature = *transaction
            .signatures
            .first()
            .ok_or(Refusal::Transaction(TransactionError::SanitizeFailure))?;
        if self.landed.contains_key(&signature) {
            return Err(Refusal::Transaction(TransactionError::AlreadyProcessed));
        }
        if !self.is_blockhash_valid(transaction.message.recent_blockhash()) {
            return Err(Refusal::Transaction(TransactionError::BlockhashNotFound));
        }
        let executed = self
            .cluster
            .execute(transaction.clone())
            .map_err(|error| Refusal::Node(error.to_string()))?;
        if !executed.ran {
            return Err(Refusal::Transaction(
                executed.error.unwrap_or(TransactionError::SanitizeFailure),
            ));
        }
        Ok(self.land(signature, transaction, executed))
    }

    /// An airdrop: a transfer from the runtime's faucet, signed by it
    /// with the latest blockhash, processed as any other transaction.
    pub fn airdrop(&mut self, to: &Pubkey, lamports: u64) -> Result<Signature, Refusal> {
        use depin_sdk::Signer;
        let faucet = depin_sdk::Keypair::try_from(&self.cluster.svm().airdrop_keypair_bytes()[..])
            .map_err(|error| Refusal::Node(format!("the faucet key: {error}")))?;
        // Refused up front, in SOL, as a validator's faucet refuses what it
        // cannot give (rather than a failed transfer's custom error 1).
        let holds = self
            .cluster
            .svm()
            .get_balance(&faucet.pubkey())
            .unwrap_or(0);
        if holds < lamports {
            return Err(Refusal::Node(format!(
                "airdrop refused: {}",
                depin_client::wallet::faucet_shortfall(holds, lamports)
            )));
        }
        let transfer = system_transfer(&faucet.pubkey(), to, lamports);
        let (blockhash, _) = self.latest_blockhash();
        let transaction = solana_transaction::Transaction::new_signed_with_payer(
            &[transfer],
            Some(&faucet.pubkey()),
            &[&faucet],
            blockhash,
        );
        let landed = self.process(VersionedTransaction::from(transaction))?;
        match &landed.executed.error {
            None => Ok(landed.transaction.signatures[0]),
            Some(error) => Err(Refusal::Transaction(error.clone())),
        }
    }

    fn land(
        &mut self,
        signature: Signature,
        transaction: VersionedTransaction,
        executed: Executed,
    ) -> &Landed {
        let slot = self.slot();
        let _ = self.events.send(Event::Transaction {
            signature,
            slot,
            error: executed.error.clone(),
            logs: executed.meta.logs.clone(),
            keys: executed.keys.clone(),
            writable: executed.writable.clone(),
        });
        self.order.push_back(signature);
        self.forget_beyond_limit();
        let block_time = self.clock().unix_timestamp;
        self.landed.entry(signature).or_insert(Landed {
            slot,
            block_time,
            transaction,
            executed,
        })
    }

    pub fn landed(&self, signature: &Signature) -> Option<&Landed> {
        self.landed.get(signature)
    }

    /// Slots on top of the one `signature` landed in.
    pub fn confirmations(&self, landed: &Landed) -> u64 {
        self.slot().saturating_sub(landed.slot)
    }

    pub fn account(&self, address: &Pubkey) -> Result<Option<Account>, String> {
        self.cluster
            .try_account(address)
            .map_err(|error| error.to_string())
    }

    /// Saves what changed since the last save (durably, in one database
    /// transaction).
    pub fn save(&mut self) -> Result<(), String> {
        self.cluster
            .save_changes()
            .map_err(|error| error.to_string())
    }
}

/// The system program's transfer.
pub fn system_transfer(from: &Pubkey, to: &Pubkey, lamports: u64) -> depin_sdk::Instruction {
    let mut data = 2u32.to_le_bytes().to_vec();
    data.extend_from_slice(&lamports.to_le_bytes());
    depin_sdk::Instruction::new_with_bytes(
        solana_sdk_ids::system_program::ID,
        &data,
        vec![
            depin_sdk::AccountMeta::new(*from, true),
            depin_sdk::AccountMeta::new(*to, false),
        ],
    )
}
