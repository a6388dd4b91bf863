//! The demo's network: the deployment through `bootstrap_network` (what
//! `depin network init` runs), one [`Client`] per wallet over one shared
//! embedded cluster, and the device owners with their devices.

use {
    super::{governance, progress, LAMPORTS_PER_SOL},
    anyhow::{anyhow, ensure, Context, Result},
    depin_client::{
        backend::{Backend, BackendExt},
        bootstrap::{self, MakerSpec, NetworkPlan},
        embedded::EmbeddedCluster,
        shared::SharedCluster,
        Client,
    },
    depin_sdk::{
        accounts::{Device, OracleConfig},
        location, pda, rewards, Keypair, Pubkey, Signer,
    },
    rand::{rngs::StdRng, Rng, SeedableRng},
    sha2::{Digest, Sha256},
    std::time::Instant,
};

/// H3 resolution of simulated device locations (about 300 m² hexagons).
const LOCATION_RESOLUTION: u8 = 12;
/// Network-token price the oracles start from: $2.00 in micro-USD.
const START_PRICE: u64 = 2_000_000;
/// Whole tokens each device owner gets beyond what its onboarding costs.
const SPARE_TOKENS: u64 = 50;
/// One device in this many pays its rewards to the fleet wallet instead of
/// its owner (`set_rewards_recipient`).
const FLEET_WALLET_ONE_IN: u32 = 10;

/// Sizes epoch 0's emission so that its treasury share can fund every
/// owner's onboarding credits (at the dearest class) and spare tokens: the
/// standard emission pays a few thousand owners, not a hundred thousand.
/// The token breaker widens to let that one epoch out.
fn fund_the_fleet(plan: &mut NetworkPlan, device_count: u64, operator_count: u64) -> Result<()> {
    let rewards = &mut plan.rewards;
    let unit = 10u64.pow(u32::from(rewards.token_decimals));
    let dearest = plan
        .registry
        .classes
        .iter()
        .map(|class| class.onboarding_fee)
        .max()
        .unwrap_or(0);
    let per_owner_credits = dearest.saturating_mul(device_count.div_ceil(operator_count));
    let onboarding = rewards::tokens_for_data_credits(
        per_owner_credits,
        START_PRICE,
        rewards.price_discount_bps,
        rewards.token_decimals,
    )
    .map_err(|error| anyhow!("pricing the onboarding credits: {error}"))?;
    let needed = u128::from(onboarding + SPARE_TOKENS * unit) * u128::from(operator_count);
    let first = rewards
        .schedule
        .first()
        .cloned()
        .context("the standard schedule has an epoch-0 entry")?;
    let treasury_bps = u128::from(first.split.treasury_bps.max(1));
    // Twice what the owners need: the demo's token holders are funded too.
    let epoch_zero = u64::try_from((2 * needed * 10_000).div_ceil(treasury_bps))?;
    if epoch_zero <= first.tokens_per_epoch {
        return Ok(());
    }
    rewards.schedule[0].start_epoch = rewards.first_epoch + 1;
    rewards.schedule.insert(
        0,
        depin_sdk::rewards::ScheduleEntry {
            start_epoch: rewards.first_epoch,
            tokens_per_epoch: epoch_zero,
            split: first.split,
        },
    );
    rewards.token_breaker.limit = rewards
        .token_breaker
        .limit
        .max(epoch_zero.saturating_add(rewards.token_breaker.limit));
    Ok(())
}

pub(super) fn keypair(rng: &mut StdRng) -> Keypair {
    Keypair::new_from_array(rng.gen())
}

/// The running network and the wallets that run it.
pub(super) struct Demo {
    /// Makes the clients of wallets that join later (owners, holders).
    pub(super) cluster: SharedCluster,
    pub(super) rng: StdRng,
    /// The bootstrap authority: it deploys, funds device owners and token
    /// holders from the treasury until the hand-over, and cranks issuance
    /// and proposals (which anyone may).
    pub(super) authority: Client,
    pub(super) oracles: Vec<Client>,
    /// The oracles' keys, for their nodes.
    pub(super) oracle_keys: Vec<Keypair>,
    /// The oracle config as deployed: epochs, quorum, challenge window.
    pub(super) oracle_config: OracleConfig,
    /// Decimals of the network token's mint.
    pub(super) decimals: u8,
    /// The credit price's discount under the oracle median.
    pub(super) discount_bps: u16,
    /// The price the oracles post, in micro-USD per token.
    pub(super) price: u64,
    /// Seed of the simulated devices' keys.
    pub(super) fleet_seed: String,
    /// Where the time goes.
    pub(super) phases: super::Phases,
}

/// A wallet that is paid device rewards: a device owner, or the fleet
/// wallet some owners point devices at.
pub(super) struct Operator {
    pub(super) client: Client,
    /// Indexes into [`Fleet::devices`] (none for the fleet wallet).
    pub(super) devices: Vec<usize>,
    /// What the wallet has been paid so far (its claims and payouts).
    pub(super) claimed: u64,
}

pub(super) struct SimDevice {
    pub(super) key: Pubkey,
}

/// The device owners and their devices after onboarding.
pub(super) struct Fleet {
    pub(super) operators: Vec<Operator>,
    /// A wallet that owns no device but is paid for some of the owners'
    /// (a fleet's treasury): one claim covers all of them.
    pub(super) fleet_wallet: Operator,
    /// Devices whose rewards go to the fleet wallet.
    pub(super) paying_fleet_wallet: usize,
    pub(super) devices: Vec<SimDevice>,
    pub(super) registration_seconds: f64,
    pub(super) rent_per_device: u64,
}

impl Fleet {
    /// Every wallet that can be owed rewards: the owners, then the fleet
    /// wallet.
    pub(super) fn wallets_mut(&mut self) -> impl Iterator<Item = &mut Operator> {
        self.operators
            .iter_mut()
            .chain(std::iter::once(&mut self.fleet_wallet))
    }
}

impl Demo {
    /// A fresh cluster deployed by `bootstrap_network`: the oracle set of
    /// `oracle_count` keys, rewards, the registry with the standard classes
    /// and a maker (returned: it co-signs its devices), and governance. The
    /// bootstrap authority keeps its powers (it funds the first owners and
    /// holders from the treasury) until [`Demo::set_up_dao`] hands them over.
    pub(super) fn deploy(
        rng: &mut StdRng,
        oracle_count: u8,
        device_count: u64,
        operator_count: u64,
    ) -> Result<(Self, Keypair)> {
        let mut rng = StdRng::seed_from_u64(rng.gen());
        let deployer = keypair(&mut rng);
        let mut cluster = EmbeddedCluster::with_upgrade_authority(deployer.insecure_clone());
        let authority = keypair(&mut rng);
        cluster.airdrop(&authority.pubkey(), 100_000 * LAMPORTS_PER_SOL)?;
        let oracles: Vec<Keypair> = (0..oracle_count).map(|_| keypair(&mut rng)).collect();
        for oracle in &oracles {
            cluster.airdrop(&oracle.pubkey(), 100 * LAMPORTS_PER_SOL)?;
        }
        let maker = keypair(&mut rng);
        let fleet_seed = format!("demo-{:016x}", rng.gen::<u64>());

        // The standard network from now on, a majority of the oracles
        // deciding; its governance rules are the demo's (below).
        let quorum = oracle_count / 2 + 1;
        let genesis = cluster.clock().unix_timestamp;
        let mut plan = NetworkPlan::standard(
            oracles.iter().map(Signer::pubkey).collect(),
            quorum,
            genesis,
            0,
        );
        plan.registry.makers.push(MakerSpec {
            maker_key: maker.pubkey(),
            name: "Acme Radios".into(),
            device_quota: None,
        });
        plan.governance = governance::governance_args(plan.rewards.token_decimals);
        fund_the_fleet(&mut plan, device_count, operator_count)?;
        plan.dao_lamports = LAMPORTS_PER_SOL;
        // The authority seeds owners and holders from the treasury first.
        plan.hand_over = false;
        let deployment = bootstrap::bootstrap_network(&mut cluster, &deployer, &authority, &plan)
            .context("bootstrapping the network")?;

        let cluster = SharedCluster::new(cluster);
        let mut authority = cluster.client(authority);
        // Claims of large batches need version-0 transactions through it.
        authority
            .create_network_lookup_table()
            .context("creating the network's lookup table")?;
        let decimals = authority.token_decimals()?;
        let demo = Self {
            oracle_keys: oracles.iter().map(Keypair::insecure_clone).collect(),
            oracles: oracles
                .into_iter()
                .map(|oracle| cluster.client(oracle))
                .collect(),
            cluster,
            rng,
            authority,
            oracle_config: deployment.oracle,
            decimals,
            discount_bps: deployment.rewards.price_discount_bps,
            price: START_PRICE,
            fleet_seed,
            phases: Default::default(),
        };
        Ok((demo, maker))
    }

    /// The cluster, as any client reads it.
    pub(super) fn chain(&self) -> &dyn Backend {
        self.authority.backend()
    }

    /// Base units in one whole token: `10^decimals`.
    pub(super) fn unit(&self) -> u64 {
        10u64.pow(u32::from(self.decimals))
    }

    /// Fewest tokens that buy `dc` credits at the current price.
    fn tokens_for_credits(&self, dc: u64) -> Result<u64> {
        rewards::tokens_for_data_credits(dc, self.price, self.discount_bps, self.decimals)
            .map_err(|error| anyhow!("pricing {dc} credits: {error}"))
    }

    /// `device_count` devices of random classes, at random locations,
    /// spread over `operator_count` owners, each owner funded with the
    /// credits its devices' onboarding burns; registered one by one as
    /// `depin device register` does. One device in ten pays its rewards
    /// to a fleet wallet (`depin device set-rewards-recipient`).
    pub(super) fn onboard(
        &mut self,
        device_count: u64,
        operator_count: u64,
        maker: &Keypair,
        quiet: bool,
    ) -> Result<Fleet> {
        let classes = self.authority.registry_config()?.classes;
        ensure!(!classes.is_empty(), "the registry has no device classes");
        let plan: Vec<(usize, u8)> = (0..device_count)
            .map(|index| {
                let class = self.rng.gen_range(0..classes.len()) as u8;
                ((index % operator_count) as usize, class)
            })
            .collect();
        let mut fees = vec![0u64; operator_count as usize];
        for (owner, class) in &plan {
            fees[*owner] += classes[usize::from(*class)].onboarding_fee;
        }
        let start = super::PhaseStart::now();
        let mut owned = vec![0u64; operator_count as usize];
        for (owner, _) in &plan {
            owned[*owner] += 1;
        }
        let mut operators = self.create_operators(&fees, &owned)?;
        let fleet_wallet = self.cluster.client(keypair(&mut self.rng));
        let fleet_address = fleet_wallet.address();
        self.authority
            .airdrop(&fleet_address, 10 * LAMPORTS_PER_SOL)
            .context("funding the fleet wallet")?;
        let mut paying_fleet_wallet = 0;

        self.phases.add("funding owners", start);
        let bar = progress(quiet, device_count, "registering devices");
        let start = super::PhaseStart::now();
        let started = Instant::now();
        let mut devices = Vec::with_capacity(plan.len());
        for (index, (owner, class_id)) in plan.iter().enumerate() {
            // The simulated fleet's key for this index (it signs reports).
            let device = Keypair::new_from_array(
                depin_oracle::simulate::device_key(&self.fleet_seed, index).to_bytes(),
            );
            let class = &classes[usize::from(*class_id)];
            let location = location::random_cell(&mut self.rng, LOCATION_RESOLUTION);
            operators[*owner]
                .client
                .register_device(
                    &device,
                    &class.name,
                    class.maker_required.then_some(maker),
                    Some(location),
                    Sha256::digest(device.pubkey().as_ref()).to_vec(),
                )
                .with_context(|| format!("registering device {} of {device_count}", index + 1))?;
            if self.rng.gen_ratio(1, FLEET_WALLET_ONE_IN) {
                operators[*owner]
                    .client
                    .set_rewards_recipient(&device.pubkey(), &fleet_address)
                    .context("pointing a device's rewards at the fleet wallet")?;
                paying_fleet_wallet += 1;
            }
            operators[*owner].devices.push(devices.len());
            devices.push(SimDevice {
                key: device.pubkey(),
            });
            bar.inc(1);
        }
        bar.finish_and_clear();
        let registration_seconds = started.elapsed().as_secs_f64();
        self.phases.add("registering devices", start);
        let rent_per_device = self.check_device_account(&devices[0].key)?;
        Ok(Fleet {
            operators,
            fleet_wallet: Operator {
                client: fleet_wallet,
                devices: Vec::new(),
                claimed: 0,
            },
            paying_fleet_wallet,
            devices,
            registration_seconds,
            rent_per_device,
        })
    }

    /// Owners with SOL, tokens from the treasury, and the credits their
    /// onboarding fees need.
    fn create_operators(&mut self, fees: &[u64], owned: &[u64]) -> Result<Vec<Operator>> {
        let mut operators = Vec::with_capacity(fees.len());
        for (fee, devices) in fees.iter().zip(owned) {
            let mut client = self.cluster.client(keypair(&mut self.rng));
            let owner = client.address();
            // Fees and rents: one SOL, and a hundredth per device (a device
            // account's rent is about 0.002); the faucet holds a million.
            client.airdrop(&owner, LAMPORTS_PER_SOL + devices * LAMPORTS_PER_SOL / 100)?;
            let onboarding_tokens = self.tokens_for_credits(*fee)?;
            self.authority
                .treasury_grant(&owner, onboarding_tokens + SPARE_TOKENS * self.unit())
                .context("funding a device owner from the treasury")?;
            if *fee > 0 {
                client
                    .mint_data_credits(onboarding_tokens)
                    .context("buying onboarding credits")?;
            }
            operators.push(Operator {
                client,
                devices: Vec::new(),
                claimed: 0,
            });
        }
        Ok(operators)
    }

    /// Checks the first device's account size and rent; returns the rent.
    fn check_device_account(&self, device_key: &Pubkey) -> Result<u64> {
        let account = self
            .chain()
            .account(&pda::device(device_key).0)?
            .context("the first device's account is missing")?;
        let rent = self
            .chain()
            .minimum_balance_for_rent_exemption(account.data.len())?;
        ensure!(
            account.lamports == rent && account.data.len() == Device::SPACE,
            "device account holds {} lamports and {} bytes; expected {rent} and {}",
            account.lamports,
            account.data.len(),
            Device::SPACE
        );
        Ok(rent)
    }
}
