//! `depin demo`: the whole network on the embedded runtime, end to end:
//! bootstrap, device onboarding paid in data credits, the hand-over to the
//! DAO, then epochs of issuance, oracle batches, claims, credits bought and
//! spent, and a governance proposal that changes the emission.

mod governance;

use {
    anyhow::{anyhow, ensure, Context, Result},
    clap::Args,
    comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table},
    depin_client::{
        bootstrap::{self, MakerSpec, RegistryPlan},
        embedded::EmbeddedCluster,
    },
    depin_sdk::{
        accounts::{Device, EpochRewards, RegistryConfig, RewardsConfig},
        batch::BatchFile,
        device_registry::{self, RegisterDeviceAccounts, RegisterDeviceArgs},
        location,
        merkle::Leaf,
        pda, proof_oracle,
        rewards::{self, quote_data_credits, UsagePurpose},
        token, Keypair, Pubkey, Signer,
    },
    indicatif::{ProgressBar, ProgressStyle},
    rand::{rngs::StdRng, Rng, SeedableRng},
    sha2::{Digest, Sha256},
    std::time::Instant,
    textplots::{Chart, Plot, Shape},
};

const LAMPORTS_PER_SOL: u64 = 1_000_000_000;
/// H3 resolution of simulated device locations (about 300 m² hexagons).
const LOCATION_RESOLUTION: u8 = 12;
/// Network-token price the oracles start from: $2.00 in micro-USD.
const START_PRICE: u64 = 2_000_000;
/// Share of devices offline in an epoch (they earn nothing).
const OFFLINE_PERCENT: u32 = 10;

#[derive(Args)]
pub struct DemoArgs {
    /// Devices to onboard.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    devices: u64,
    /// Device owners (devices are spread over them); default one per 10 devices.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    operators: Option<u64>,
    /// Epochs to run after onboarding.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=1_000))]
    epochs: u64,
    /// Oracles in the set; a majority makes a batch final.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=16))]
    oracles: u8,
    /// Seed of every key and choice, for a reproducible run.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// No progress bars (for logs and CI).
    #[arg(long)]
    quiet: bool,
}

struct Operator {
    keypair: Keypair,
    devices: Vec<usize>,
}

struct SimDevice {
    key: Pubkey,
    owner: usize,
    serial: u64,
    /// Everything the oracles have credited it with.
    earned: u64,
}

/// One row of the per-epoch table.
struct EpochRow {
    epoch: u64,
    issued: EpochRewards,
    tokens_burned: u64,
    dc_minted: u64,
    dc_burned: u64,
    claimed: u64,
    claims: u64,
    price: u64,
    supply: u64,
}

struct Demo {
    cluster: EmbeddedCluster,
    rng: StdRng,
    authority: Keypair,
    oracles: Vec<Keypair>,
    quorum: usize,
    genesis: i64,
    epoch_length: i64,
    challenge_window: i64,
    price: u64,
    decimals: u8,
    discount_bps: u16,
}

fn keypair(rng: &mut StdRng) -> Keypair {
    Keypair::new_from_array(rng.gen())
}

fn progress(quiet: bool, length: u64, what: &str) -> ProgressBar {
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(length)
    };
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{what} {{bar:40}} {{pos}}/{{len}} {{per_sec}} eta {{eta}}"
        ))
        .expect("valid progress template"),
    );
    bar
}

pub fn run(args: DemoArgs) -> Result<()> {
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(args.seed);
    let operator_count = args
        .operators
        .unwrap_or_else(|| args.devices.div_ceil(10))
        .min(args.devices);
    let mut demo = Demo::bootstrap(&mut rng, args.oracles)?;
    let maker = keypair(&mut demo.rng);
    demo.add_maker(&maker)?;

    // Epoch 0 ends: the first issuance fills the pools and the treasury,
    // the oracles post a price, and owners buy the credits their devices'
    // onboarding burns.
    demo.warp_past_epoch(0, 1);
    demo.issue(0)?;
    demo.post_prices()?;
    let classes = demo.registry()?.classes;
    ensure!(!classes.is_empty(), "the registry has no device classes");
    let plan: Vec<(usize, u8)> = (0..args.devices)
        .map(|index| {
            let class = demo.rng.gen_range(0..classes.len()) as u8;
            ((index % operator_count) as usize, class)
        })
        .collect();
    let mut fees = vec![0u64; operator_count as usize];
    for (owner, class) in &plan {
        fees[*owner] += classes[usize::from(*class)].onboarding_fee;
    }
    let mut operators = demo.create_operators(&fees)?;

    let bar = progress(args.quiet, args.devices, "registering devices");
    let onboarding_started = Instant::now();
    let mut devices = Vec::with_capacity(plan.len());
    for (index, (owner, class_id)) in plan.iter().enumerate() {
        let device = keypair(&mut demo.rng);
        let maker_required = classes[usize::from(*class_id)].maker_required;
        demo.register(
            &operators[*owner],
            &device,
            *class_id,
            maker_required.then_some(&maker),
        )
        .with_context(|| format!("registering device {} of {}", index + 1, args.devices))?;
        operators[*owner].devices.push(devices.len());
        let serial = demo
            .cluster
            .fetch::<Device>(&pda::device(&device.pubkey()).0)?
            .serial;
        devices.push(SimDevice {
            key: device.pubkey(),
            owner: *owner,
            serial,
            earned: 0,
        });
        bar.inc(1);
    }
    bar.finish_and_clear();
    let onboarding_seconds = onboarding_started.elapsed().as_secs_f64();
    let rent_per_device = demo.check_device_account(&devices[0].key)?;
    demo.check_invariants()?;

    // Token holders lock tokens; the DAO takes over the network.
    let dao = demo.set_up_dao()?;
    // Halfway through, a proposal cuts the emission from two epochs later
    // (the epoch after the one running when it executes).
    let round_epoch = ((args.epochs - 1) / 2).max(1);
    let mut governance_report = None;

    let bar = progress(args.quiet, args.epochs, "running epochs");
    let economy_started = Instant::now();
    let mut rows = Vec::new();
    let mut claim_count = 0u64;
    for epoch in 1..=args.epochs {
        let row = demo.run_epoch(epoch, &mut devices, &operators, epoch == args.epochs)?;
        claim_count += row.claims;
        rows.push(row);
        if epoch == round_epoch {
            governance_report = Some(demo.governance_round(&dao, epoch + 2)?);
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let economy_seconds = economy_started.elapsed().as_secs_f64();

    let registry = demo.registry()?;
    println!(
        "DePIN network on the embedded runtime (seed {}): {} devices, {} owners, {} oracles (quorum {}), {} epochs",
        args.seed,
        devices.len(),
        operator_count,
        demo.oracles.len(),
        demo.quorum,
        args.epochs
    );
    println!("{}", class_table(&registry));
    if let Some(report) = &governance_report {
        let (votes, life) = demo.governance_tables(report);
        println!("{}", demo.governance_summary(report));
        println!("{votes}");
        println!("{life}");
    }
    println!("{}", demo.epoch_table(&rows));
    println!("{}", demo.supply_chart(&rows));
    let config = demo.rewards_config()?;
    let mut summary = Table::new();
    summary
        .load_preset(UTF8_FULL_CONDENSED)
        .set_header(vec!["measure", "value"]);
    let rows_out: Vec<(&str, String)> = vec![
        ("network token supply", demo.tokens(demo.token_supply())),
        (
            "tokens minted (emission + re-emission)",
            demo.tokens(config.tokens_minted),
        ),
        (
            "tokens burned for data credits",
            demo.tokens(config.tokens_burned),
        ),
        ("tokens re-emitted", demo.tokens(config.tokens_reemitted)),
        (
            "device pool issued / claimed",
            format!(
                "{} / {}",
                demo.tokens(config.device_issued),
                demo.tokens(config.device_claimed)
            ),
        ),
        (
            "oracle pool issued / claimed",
            format!(
                "{} / {}",
                demo.tokens(config.oracle_issued),
                demo.tokens(config.oracle_claimed)
            ),
        ),
        ("treasury issued", demo.tokens(config.treasury_issued)),
        (
            "data credits minted / burned / supply",
            format!(
                "{} / {} / {}",
                config.dc_minted,
                config.dc_burned + registry.fees_burned,
                demo.dc_supply()
            ),
        ),
        ("device claims paid", claim_count.to_string()),
        ("device account data (bytes)", Device::SPACE.to_string()),
        (
            "rent per device (lamports)",
            format!(
                "{rent_per_device} ({:.6} SOL)",
                rent_per_device as f64 / LAMPORTS_PER_SOL as f64
            ),
        ),
        (
            "registrations per second",
            format!("{:.0}", args.devices as f64 / onboarding_seconds),
        ),
    ];
    for (measure, value) in rows_out {
        summary.add_row(vec![Cell::new(measure), right(value)]);
    }
    println!("{summary}");
    println!(
        "ledger invariants hold after every epoch: supply = minted − burned for tokens and credits; claims ≤ issuance; locked tokens = vault"
    );
    println!(
        "{} devices onboarded in {:.1} s; {} epochs in {:.1} s ({:.1} s in all)",
        devices.len(),
        onboarding_seconds,
        args.epochs,
        economy_seconds,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn right(value: impl ToString) -> Cell {
    Cell::new(value.to_string()).set_alignment(CellAlignment::Right)
}

fn class_table(config: &RegistryConfig) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
        "class",
        "maker co-signs",
        "onboarding fee (DC)",
        "devices",
        "fees burned (DC)",
    ]);
    for class in &config.classes {
        table.add_row(vec![
            Cell::new(&class.name),
            Cell::new(if class.maker_required { "yes" } else { "no" }),
            right(class.onboarding_fee),
            right(class.active_devices),
            right(class.fees_burned),
        ]);
    }
    table.add_row(vec![
        Cell::new("total"),
        Cell::new(""),
        Cell::new(""),
        right(config.active_devices),
        right(config.fees_burned),
    ]);
    table
}

impl Demo {
    /// A fresh cluster with the oracle, rewards and registry bootstrapped
    /// by one authority (the DAO's stand-in), which also owns the treasury.
    fn bootstrap(rng: &mut StdRng, oracle_count: u8) -> Result<Self> {
        let mut rng = StdRng::seed_from_u64(rng.gen());
        let mut cluster = EmbeddedCluster::with_upgrade_authority(keypair(&mut rng));
        let deployer = cluster.upgrade_authority().insecure_clone();
        let authority = keypair(&mut rng);
        cluster.airdrop(&authority.pubkey(), 100_000 * LAMPORTS_PER_SOL)?;
        let oracles: Vec<Keypair> = (0..oracle_count).map(|_| keypair(&mut rng)).collect();
        for oracle in &oracles {
            cluster.airdrop(&oracle.pubkey(), 100 * LAMPORTS_PER_SOL)?;
        }
        let quorum = usize::from(oracle_count) / 2 + 1;
        let genesis = cluster.clock().unix_timestamp;
        let oracle_args = bootstrap::daily_oracle_args(
            authority.pubkey(),
            oracles.iter().map(Signer::pubkey).collect(),
            quorum as u8,
            genesis,
        );
        bootstrap::bootstrap_oracle(&mut cluster, &deployer, &oracle_args)
            .context("bootstrapping the oracle")?;
        let rewards_args = bootstrap::default_rewards_args(authority.pubkey(), 0);
        bootstrap::bootstrap_rewards(&mut cluster, &deployer, &authority.pubkey(), &rewards_args)
            .context("bootstrapping rewards")?;
        let plan = RegistryPlan {
            fee_decimals: 0,
            classes: bootstrap::default_classes(),
            makers: vec![],
        };
        bootstrap::bootstrap_registry_with_mint(
            &mut cluster,
            &deployer,
            &authority,
            pda::dc_mint().0,
            &plan,
        )
        .context("bootstrapping the registry")?;
        bootstrap::attach_rewards_to_registry(&mut cluster, &authority)
            .context("attaching rewards to the registry")?;
        Ok(Self {
            cluster,
            rng,
            authority,
            oracles,
            quorum,
            genesis,
            epoch_length: oracle_args.epoch_length,
            challenge_window: oracle_args.challenge_window,
            price: START_PRICE,
            decimals: rewards_args.token_decimals,
            discount_bps: rewards_args.price_discount_bps,
        })
    }

    fn add_maker(&mut self, maker: &Keypair) -> Result<()> {
        let plan = RegistryPlan {
            fee_decimals: 0,
            classes: vec![],
            makers: vec![MakerSpec {
                maker_key: maker.pubkey(),
                name: "Acme Radios".into(),
                device_quota: None,
            }],
        };
        let deployer = self.cluster.upgrade_authority().insecure_clone();
        bootstrap::bootstrap_registry_with_mint(
            &mut self.cluster,
            &deployer,
            &self.authority,
            pda::dc_mint().0,
            &plan,
        )
        .context("approving the maker")?;
        Ok(())
    }

    fn warp_past_epoch(&mut self, epoch: u64, seconds: i64) {
        let end = self.genesis + (epoch as i64 + 1) * self.epoch_length;
        self.cluster.warp_to_timestamp(end + seconds);
    }

    fn registry(&self) -> Result<RegistryConfig> {
        Ok(self.cluster.fetch(&pda::registry_config().0)?)
    }

    fn rewards_config(&self) -> Result<RewardsConfig> {
        Ok(self.cluster.fetch(&pda::rewards_config().0)?)
    }

    fn token_supply(&self) -> u64 {
        self.cluster.mint_supply(&pda::token_mint().0).unwrap_or(0)
    }

    fn dc_supply(&self) -> u64 {
        self.cluster.mint_supply(&pda::dc_mint().0).unwrap_or(0)
    }

    /// Whole tokens with two decimals (display only).
    fn tokens(&self, amount: u64) -> String {
        let unit = 10u64.pow(u32::from(self.decimals));
        format!("{}.{:02}", amount / unit, (amount % unit) * 100 / unit)
    }

    fn issue(&mut self, epoch: u64) -> Result<()> {
        let treasury = self.rewards_config()?.treasury;
        self.cluster
            .send(
                &[rewards::issue_epoch(
                    self.authority.pubkey(),
                    epoch,
                    treasury,
                )],
                &self.authority,
                &[],
            )
            .with_context(|| format!("issuing epoch {epoch}"))?;
        Ok(())
    }

    /// Every oracle posts the price, which drifts by up to ±5 % an epoch.
    fn post_prices(&mut self) -> Result<()> {
        let drift = self.rng.gen_range(-500i64..=500);
        self.price = (self.price as i64 + self.price as i64 * drift / 10_000).max(1) as u64;
        for oracle in &self.oracles {
            self.cluster
                .send(
                    &[proof_oracle::submit_price(oracle.pubkey(), self.price)],
                    oracle,
                    &[],
                )
                .context("posting a price")?;
        }
        Ok(())
    }

    /// Fewest tokens that buy `dc` credits at the current price.
    fn tokens_for_credits(&self, dc: u64) -> Result<u64> {
        rewards::tokens_for_data_credits(dc, self.price, self.discount_bps, self.decimals)
            .map_err(|error| anyhow!("pricing {dc} credits: {error}"))
    }

    /// Owners with SOL, token and credit accounts, tokens from the
    /// treasury, and the credits their onboarding fees need.
    fn create_operators(&mut self, fees: &[u64]) -> Result<Vec<Operator>> {
        let mut operators = Vec::with_capacity(fees.len());
        let treasury = pda::treasury().0;
        for fee in fees {
            let keypair = keypair(&mut self.rng);
            self.cluster
                .airdrop(&keypair.pubkey(), 10 * LAMPORTS_PER_SOL)?;
            let owner = keypair.pubkey();
            let onboarding_tokens = self.tokens_for_credits(*fee)?;
            let spare = 50 * 10u64.pow(u32::from(self.decimals));
            self.cluster
                .send(
                    &[
                        rewards::create_token_account(&self.authority.pubkey(), &owner),
                        rewards::create_dc_account(&self.authority.pubkey(), &owner),
                        token::transfer(
                            &treasury,
                            &rewards::token_account(&owner),
                            &self.authority.pubkey(),
                            onboarding_tokens + spare,
                        ),
                    ],
                    &self.authority,
                    &[],
                )
                .context("funding a device owner from the treasury")?;
            if *fee > 0 {
                self.cluster
                    .send(
                        &[rewards::mint_data_credits(
                            owner,
                            rewards::dc_account(&owner),
                            onboarding_tokens,
                        )],
                        &keypair,
                        &[],
                    )
                    .context("buying onboarding credits")?;
            }
            operators.push(Operator {
                keypair,
                devices: Vec::new(),
            });
        }
        Ok(operators)
    }

    fn register(
        &mut self,
        operator: &Operator,
        device: &Keypair,
        class_id: u8,
        maker: Option<&Keypair>,
    ) -> Result<()> {
        let owner = operator.keypair.pubkey();
        let instruction = device_registry::register_device(
            &RegisterDeviceAccounts {
                payer: owner,
                owner,
                device_key: device.pubkey(),
                maker_key: maker.map(Signer::pubkey),
                fee_mint: pda::dc_mint().0,
                fee_account: rewards::dc_account(&owner),
                token_program: token::TOKEN_2022_PROGRAM_ID,
            },
            RegisterDeviceArgs {
                class_id,
                location: Some(location::random_cell(&mut self.rng, LOCATION_RESOLUTION)),
                metadata: Sha256::digest(device.pubkey().as_ref()).to_vec(),
            },
        );
        let mut signers = vec![device];
        signers.extend(maker);
        self.cluster
            .send(&[instruction], &operator.keypair, &signers)?;
        Ok(())
    }

    /// Checks the first device's account size and rent; returns the rent.
    fn check_device_account(&self, device_key: &Pubkey) -> Result<u64> {
        let account = self
            .cluster
            .account(&pda::device(device_key).0)
            .context("the first device's account is missing")?;
        let rent = self.cluster.rent().minimum_balance(account.data.len());
        ensure!(
            account.lamports == rent && account.data.len() == Device::SPACE,
            "device account holds {} lamports and {} bytes; expected {rent} and {}",
            account.lamports,
            account.data.len(),
            Device::SPACE
        );
        Ok(rent)
    }

    /// One epoch: issuance, the oracles' batch of simulated work, claims
    /// after the challenge window, oracle claims, credits bought and spent.
    fn run_epoch(
        &mut self,
        epoch: u64,
        devices: &mut [SimDevice],
        operators: &[Operator],
        last: bool,
    ) -> Result<EpochRow> {
        let before = self.rewards_config()?;
        let registry_before = self.registry()?;
        self.warp_past_epoch(epoch, 1);
        self.post_prices()?;
        self.issue(epoch)?;
        let issued: EpochRewards = self.cluster.fetch(&pda::epoch_rewards(epoch).0)?;

        // Simulated proofs of work: the epoch's device share divided by
        // work done; offline devices earn nothing.
        let work: Vec<u64> = devices
            .iter()
            .map(|_| {
                if self.rng.gen_ratio(OFFLINE_PERCENT, 100) {
                    0
                } else {
                    self.rng.gen_range(1..=100)
                }
            })
            .collect();
        let total_work: u64 = work.iter().sum::<u64>().max(1);
        for (device, units) in devices.iter_mut().zip(&work) {
            let share = u128::from(issued.devices) * u128::from(*units) / u128::from(total_work);
            device.earned += u64::try_from(share)?;
        }
        let leaves: Vec<Leaf> = devices
            .iter()
            .map(|device| Leaf {
                device_key: device.key.to_bytes(),
                serial: device.serial,
                amount: device.earned,
            })
            .collect();
        let batch = BatchFile::new(epoch, leaves)?;
        let commitment = batch.commitment();
        let voters: Vec<usize> =
            rand::seq::index::sample(&mut self.rng, self.oracles.len(), self.quorum).into_vec();
        for index in &voters {
            let oracle = &self.oracles[*index];
            self.cluster
                .send(
                    &[proof_oracle::submit_batch(
                        oracle.pubkey(),
                        epoch,
                        commitment,
                        format!("https://batches.example/epoch-{epoch}.bin"),
                    )],
                    oracle,
                    &[],
                )
                .context("submitting a batch")?;
        }

        // Past the challenge window, devices claim (about half of them each
        // epoch; all of them in the last one), paid by their owners.
        self.warp_past_epoch(epoch, 1 + self.challenge_window);
        let mut claims = 0;
        for device in devices.iter() {
            if !(last || self.rng.gen_bool(0.5)) {
                continue;
            }
            let owner = &operators[device.owner].keypair;
            let on_chain: Device = self.cluster.fetch(&pda::device(&device.key).0)?;
            if on_chain.rewards_claimed >= device.earned {
                continue;
            }
            let claim = rewards::claim_from_batch(
                &batch,
                &device.key,
                rewards::token_account(&owner.pubkey()),
            )
            .context("device missing from its batch")?;
            self.cluster
                .send(&[rewards::claim_rewards(claim)], owner, &[])
                .context("claiming rewards")?;
            claims += 1;
        }
        for index in &voters {
            let oracle = &self.oracles[*index];
            self.cluster
                .send(
                    &[
                        rewards::create_token_account(&oracle.pubkey(), &oracle.pubkey()),
                        rewards::claim_oracle_rewards(
                            oracle.pubkey(),
                            epoch,
                            rewards::token_account(&oracle.pubkey()),
                        ),
                    ],
                    oracle,
                    &[],
                )
                .context("claiming oracle rewards")?;
        }

        // Users buy credits with some of their tokens and spend them.
        self.post_prices()?;
        for operator in operators {
            let owner = operator.keypair.pubkey();
            let tokens = self.cluster.token_balance(&rewards::token_account(&owner));
            let offer = tokens / 10;
            if self.rng.gen_bool(0.5)
                && quote_data_credits(offer, self.price, self.discount_bps, self.decimals).is_ok()
            {
                self.cluster
                    .send(
                        &[rewards::mint_data_credits(
                            owner,
                            rewards::dc_account(&owner),
                            offer,
                        )],
                        &operator.keypair,
                        &[],
                    )
                    .context("buying data credits")?;
            }
            let credits = self.cluster.token_balance(&rewards::dc_account(&owner));
            if credits > 0 {
                let spend = self.rng.gen_range(1..=credits.div_ceil(2));
                self.cluster
                    .send(
                        &[rewards::burn_data_credits(
                            owner,
                            spend,
                            UsagePurpose::DataTransfer,
                        )],
                        &operator.keypair,
                        &[],
                    )
                    .context("spending data credits")?;
            }
        }
        self.check_invariants()?;
        let after = self.rewards_config()?;
        let registry_after = self.registry()?;
        Ok(EpochRow {
            epoch,
            issued,
            tokens_burned: after.tokens_burned - before.tokens_burned,
            dc_minted: after.dc_minted - before.dc_minted,
            dc_burned: after.dc_burned - before.dc_burned + registry_after.fees_burned
                - registry_before.fees_burned,
            claimed: after.device_claimed - before.device_claimed,
            claims,
            price: self.price,
            supply: self.token_supply(),
        })
    }

    /// The ledger against the mints and pools (what the tests check too).
    fn check_invariants(&self) -> Result<()> {
        let config = self.rewards_config()?;
        config
            .invariant()
            .map_err(|error| anyhow!("rewards invariant violated: {error}"))?;
        let registry = self.registry()?;
        registry
            .invariant()
            .map_err(|error| anyhow!("registry invariant violated: {error}"))?;
        ensure!(
            self.token_supply() == config.tokens_minted - config.tokens_burned,
            "token supply {} ≠ minted {} − burned {}",
            self.token_supply(),
            config.tokens_minted,
            config.tokens_burned
        );
        ensure!(
            self.dc_supply() == config.dc_minted - config.dc_burned - registry.fees_burned,
            "credit supply {} ≠ minted {} − burned {} − fees {}",
            self.dc_supply(),
            config.dc_minted,
            config.dc_burned,
            registry.fees_burned
        );
        ensure!(
            self.cluster.token_balance(&pda::device_pool().0)
                == config.device_issued - config.device_claimed
                && self.cluster.token_balance(&pda::oracle_pool().0)
                    == config.oracle_issued - config.oracle_claimed,
            "a pool's balance differs from issued − claimed"
        );
        let governance = pda::governance_config().0;
        if self.cluster.account(&governance).is_some() {
            let config: depin_sdk::accounts::GovernanceConfig = self.cluster.fetch(&governance)?;
            config
                .invariant()
                .map_err(|error| anyhow!("governance invariant violated: {error}"))?;
            ensure!(
                self.cluster.token_balance(&config.vault) == config.total_locked,
                "the governance vault differs from the tokens locked in positions"
            );
        }
        Ok(())
    }

    fn epoch_table(&self, rows: &[EpochRow]) -> Table {
        let mut table = Table::new();
        table.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
            "epoch",
            "price ($)",
            "emitted",
            "re-emitted",
            "burned for DC",
            "DC minted",
            "DC burned",
            "claimed",
            "claims",
            "supply",
        ]);
        for row in rows {
            table.add_row(vec![
                right(row.epoch),
                right(format!("{:.4}", row.price as f64 / 1e6)),
                right(self.tokens(row.issued.emission)),
                right(self.tokens(row.issued.reemission)),
                right(self.tokens(row.tokens_burned)),
                right(row.dc_minted),
                right(row.dc_burned),
                right(self.tokens(row.claimed)),
                right(row.claims),
                right(self.tokens(row.supply)),
            ]);
        }
        table
    }

    /// Token supply (whole tokens) by epoch, as a terminal chart.
    fn supply_chart(&self, rows: &[EpochRow]) -> String {
        let unit = 10f32.powi(i32::from(self.decimals));
        let points: Vec<(f32, f32)> = rows
            .iter()
            .map(|row| (row.epoch as f32, row.supply as f32 / unit))
            .collect();
        let first = rows.first().map_or(0.0, |row| row.epoch as f32);
        let last = rows
            .last()
            .map_or(1.0, |row| row.epoch as f32)
            .max(first + 1.0);
        let shape = Shape::Lines(&points);
        let mut chart = Chart::new(120, 40, first, last);
        let chart = chart.lineplot(&shape);
        chart.axis();
        chart.figures();
        format!("network token supply (whole tokens) by epoch\n{chart}")
    }
}
