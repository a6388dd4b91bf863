//! A proof-oracle network on the embedded runtime.

use {
    crate::SOL,
    depin_client::{
        bootstrap::{bootstrap_oracle, daily_oracle_args},
        embedded::EmbeddedCluster,
    },
    depin_sdk::{
        accounts::{Commitment, EpochBatch, OracleConfig, PriceFeed},
        pda, proof_oracle, Keypair, Pubkey, SdkError, Signer, TxOutcome,
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

    /// Moves the clock to `seconds` after the end of `epoch`.
    pub fn after_epoch(&mut self, epoch: u64, seconds: i64) {
        self.cluster
            .warp_to_timestamp(GENESIS + (epoch as i64 + 1) * DAY + seconds);
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
