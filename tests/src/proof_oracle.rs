//! A proof-oracle network on the embedded runtime.

use {
    crate::SOL,
    depin_client::{
        bootstrap::{bootstrap_oracle, daily_oracle_args},
        embedded::EmbeddedCluster,
    },
    depin_sdk::{
        accounts::{Commitment, EpochBatch, OracleConfig, PriceFeed},
        pda,
        proof_oracle::{self, InitializeOracleArgs},
        Keypair, Pubkey, SdkError, Signer, TxOutcome,
    },
};

/// Genesis of the test networks' epoch clock.
pub const GENESIS: i64 = 1_800_000_000;
pub const DAY: i64 = 86_400;

pub struct OracleNet {
    pub cluster: EmbeddedCluster,
    pub authority: Keypair,
    pub oracles: Vec<Keypair>,
}

impl OracleNet {
    /// `count` oracles, `quorum` of them make a batch final; daily epochs
    /// from `GENESIS`, one-hour challenge window, three-day deadline, prices
    /// fresh for ten minutes with `min_prices` needed.
    pub fn new(count: usize, quorum: u8) -> Self {
        Self::with_min_prices(count, quorum, 1)
    }

    /// Three oracles under `quorum`, ten seconds after epoch 0 ended: epoch
    /// 0 takes votes.
    pub fn epoch_zero_ended(quorum: u8) -> Self {
        let mut net = Self::new(3, quorum);
        net.after_epoch(0, 10);
        net
    }

    /// `epoch_zero_ended(quorum)`, and oracles 0 and 1 voted for
    /// `commitment(1)` on epoch 0: final under quorum 2, pending under 3.
    pub fn with_two_votes(quorum: u8) -> Self {
        let mut net = Self::epoch_zero_ended(quorum);
        net.vote(0, 0, commitment(1)).unwrap();
        net.vote(1, 0, commitment(1)).unwrap();
        net
    }

    pub fn with_min_prices(count: usize, quorum: u8, min_prices: u8) -> Self {
        let mut cluster = EmbeddedCluster::new();
        cluster.warp_to_timestamp(GENESIS);
        let authority = Keypair::new();
        cluster.airdrop(&authority.pubkey(), 10 * SOL).unwrap();
        let oracles: Vec<Keypair> = (0..count).map(|_| Keypair::new()).collect();
        for oracle in &oracles {
            cluster.airdrop(&oracle.pubkey(), 10 * SOL).unwrap();
        }
        let mut args = daily_oracle_args(
            authority.pubkey(),
            oracles.iter().map(Signer::pubkey).collect(),
            quorum,
            GENESIS,
        );
        args.price_min_submissions = min_prices;
        let deployer = cluster.upgrade_authority().insecure_clone();
        bootstrap_oracle(&mut cluster, &deployer, &args).unwrap();
        Self {
            cluster,
            authority,
            oracles,
        }
    }

    pub fn oracle_keys(&self) -> Vec<Pubkey> {
        self.oracles.iter().map(Signer::pubkey).collect()
    }

    /// Moves the clock to `seconds` after the end of `epoch` (the oracle
    /// program's own epoch arithmetic).
    pub fn after_epoch(&mut self, epoch: u64, seconds: i64) {
        let end = self.config().epoch_end(epoch).expect("epoch in range");
        self.cluster.warp_to_timestamp(end + seconds);
    }

    pub fn vote(
        &mut self,
        oracle: usize,
        epoch: u64,
        commitment: Commitment,
    ) -> Result<TxOutcome, SdkError> {
        let signer = self.oracles[oracle].insecure_clone();
        self.cluster.send(
            &[proof_oracle::submit_batch(
                signer.pubkey(),
                epoch,
                commitment,
                format!("https://batches.example/epoch-{epoch}.bin"),
            )],
            &signer,
            &[],
        )
    }

    pub fn price(&mut self, oracle: usize, price: u64) -> Result<TxOutcome, SdkError> {
        let signer = self.oracles[oracle].insecure_clone();
        self.cluster.send(
            &[proof_oracle::submit_price(signer.pubkey(), price)],
            &signer,
            &[],
        )
    }

    /// The authority replaces the oracle set with `oracles` and `quorum`.
    pub fn set_oracles(&mut self, oracles: Vec<Pubkey>, quorum: u8) -> Result<TxOutcome, SdkError> {
        let authority = self.authority.pubkey();
        self.authority_send(proof_oracle::set_oracle_set(authority, oracles, quorum))
    }

    pub fn authority_send(
        &mut self,
        instruction: depin_sdk::Instruction,
    ) -> Result<TxOutcome, SdkError> {
        let authority = self.authority.insecure_clone();
        self.cluster.send(&[instruction], &authority, &[])
    }

    pub fn batch(&self, epoch: u64) -> EpochBatch {
        self.cluster.fetch(&pda::epoch_batch(epoch).0).unwrap()
    }

    pub fn config(&self) -> OracleConfig {
        self.cluster.fetch(&pda::oracle_config().0).unwrap()
    }

    pub fn price_feed(&self) -> PriceFeed {
        self.cluster.fetch(&pda::price_feed().0).unwrap()
    }

    pub fn now(&self) -> i64 {
        self.cluster.clock().unix_timestamp
    }

    /// Moves the clock `seconds` ahead.
    pub fn warp(&mut self, seconds: i64) {
        let now = self.now();
        self.cluster.warp_to_timestamp(now + seconds);
    }
}

/// A distinct, well-formed commitment per seed.
pub fn commitment(seed: u8) -> Commitment {
    Commitment {
        root: [seed; 32],
        leaf_count: 10,
        total: 1_000 * u64::from(seed),
        proof_data_hash: [seed.wrapping_add(1); 32],
    }
}

/// Sends `initialize_oracle` with `args` as the cluster's upgrade authority
/// (who pays).
pub fn initialize_oracle(
    cluster: &mut EmbeddedCluster,
    args: InitializeOracleArgs,
) -> Result<TxOutcome, SdkError> {
    let deployer = cluster.upgrade_authority().insecure_clone();
    let instruction = proof_oracle::initialize_oracle(deployer.pubkey(), deployer.pubkey(), args);
    cluster.send(&[instruction], &deployer, &[])
}
