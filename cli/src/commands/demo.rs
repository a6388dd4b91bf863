//! `depin demo`: the network on the embedded runtime, end to end.

use {
    anyhow::{ensure, Context, Result},
    clap::Args,
    comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table},
    depin_sdk::{
        accounts::Device,
        bootstrap::{self, MakerSpec, RegistryPlan},
        embedded::EmbeddedCluster,
        location, pda,
        registry::{self, RegisterDeviceAccounts, RegisterDeviceArgs},
        token, Keypair, Pubkey, Signer,
    },
    indicatif::{ProgressBar, ProgressStyle},
    rand::{rngs::StdRng, Rng, SeedableRng},
    sha2::{Digest, Sha256},
    std::time::Instant,
};

const LAMPORTS_PER_SOL: u64 = 1_000_000_000;
/// H3 resolution of simulated device locations (about 300 m² hexagons).
const LOCATION_RESOLUTION: u8 = 12;

#[derive(Args)]
pub struct DemoArgs {
    /// Devices to onboard.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    devices: u64,
    /// Device owners (devices are spread over them); default one per 10 devices.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    operators: Option<u64>,
    /// Seed of every key and choice, for a reproducible run.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// No progress bar (for logs and CI).
    #[arg(long)]
    quiet: bool,
}

struct Operator {
    keypair: Keypair,
    fee_account: Pubkey,
}

fn keypair(rng: &mut StdRng) -> Keypair {
    Keypair::new_from_array(rng.gen())
}

pub fn run(args: DemoArgs) -> Result<()> {
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(args.seed);
    let operator_count = args
        .operators
        .unwrap_or_else(|| args.devices.div_ceil(10))
        .min(args.devices);

    let mut cluster = EmbeddedCluster::with_upgrade_authority(keypair(&mut rng));
    let authority = keypair(&mut rng);
    let fee_mint = keypair(&mut rng);
    let maker = keypair(&mut rng);
    cluster.airdrop(&authority.pubkey(), 10_000 * LAMPORTS_PER_SOL)?;

    let plan = RegistryPlan {
        fee_decimals: 0,
        classes: bootstrap::default_classes(),
        makers: vec![MakerSpec {
            maker_key: maker.pubkey(),
            name: "Acme Radios".into(),
            device_quota: None,
        }],
    };
    let deployment = bootstrap::bootstrap_registry(&mut cluster, &authority, &fee_mint, &plan)
        .context("bootstrapping the registry")?;
    let classes = deployment.config.classes.clone();
    ensure!(!classes.is_empty(), "the registry has no device classes");

    // Decide every device up front, so each owner gets exactly the fee
    // tokens its devices will burn.
    let devices: Vec<(usize, u8)> = (0..args.devices)
        .map(|index| {
            let owner = (index % operator_count) as usize;
            let class = rng.gen_range(0..classes.len()) as u8;
            (owner, class)
        })
        .collect();
    let mut fees_needed = vec![0u64; operator_count as usize];
    for (owner, class) in &devices {
        fees_needed[*owner] += classes[usize::from(*class)].onboarding_fee;
    }

    let operators = create_operators(
        &mut cluster,
        &authority,
        &fee_mint.pubkey(),
        &fees_needed,
        &mut rng,
    )?;
    let supply_before = cluster.mint_supply(&fee_mint.pubkey()).unwrap_or(0);

    let progress = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(args.devices)
    };
    progress.set_style(
        ProgressStyle::with_template(
            "registering devices {bar:40} {pos}/{len} {per_sec} eta {eta}",
        )
        .expect("valid progress template"),
    );
    let onboarding_started = Instant::now();
    let mut sample_device = None;
    for (index, (owner, class_id)) in devices.iter().enumerate() {
        let operator = &operators[*owner];
        let device = keypair(&mut rng);
        let class = &classes[usize::from(*class_id)];
        let maker_key = class.maker_required.then(|| maker.pubkey());
        let instruction = registry::register_device(
            &RegisterDeviceAccounts {
                payer: operator.keypair.pubkey(),
                owner: operator.keypair.pubkey(),
                device_key: device.pubkey(),
                maker_key,
                fee_mint: fee_mint.pubkey(),
                fee_account: operator.fee_account,
                token_program: token::SPL_TOKEN_PROGRAM_ID,
            },
            RegisterDeviceArgs {
                class_id: *class_id,
                location: Some(location::random_cell(&mut rng, LOCATION_RESOLUTION)),
                metadata: Sha256::digest(device.pubkey().as_ref()).to_vec(),
            },
        );
        let mut signers = vec![&device];
        if class.maker_required {
            signers.push(&maker);
        }
        cluster
            .send(&[instruction], &operator.keypair, &signers)
            .with_context(|| format!("registering device {} of {}", index + 1, args.devices))?;
        sample_device.get_or_insert(device.pubkey());
        progress.inc(1);
    }
    progress.finish_and_clear();
    let onboarding_seconds = onboarding_started.elapsed().as_secs_f64();

    let config = cluster.fetch::<depin_sdk::accounts::RegistryConfig>(&pda::registry_config().0)?;
    config
        .invariant()
        .map_err(|error| anyhow::anyhow!("registry invariant violated: {error}"))?;
    let supply_after = cluster.mint_supply(&fee_mint.pubkey()).unwrap_or(0);
    ensure!(
        supply_before - supply_after == config.fees_burned,
        "fee mint supply fell by {} but the registry counted {} burned",
        supply_before - supply_after,
        config.fees_burned
    );

    let sample = sample_device.context("no device was registered")?;
    let device_account = cluster
        .account(&pda::device(&sample).0)
        .context("the first device's account is missing")?;
    let device_bytes = device_account.data.len();
    let rent = cluster.rent();
    let rent_per_device = rent.minimum_balance(device_bytes);
    ensure!(
        device_account.lamports == rent_per_device,
        "device account holds {} lamports, rent-exempt minimum is {}",
        device_account.lamports,
        rent_per_device
    );
    let decoded: Device = cluster.fetch(&pda::device(&sample).0)?;
    ensure!(
        decoded.device_key == sample,
        "device account decodes to another key"
    );

    let mut per_class = Table::new();
    per_class.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
        "class",
        "maker co-signs",
        "onboarding fee (DC)",
        "devices",
        "fees burned (DC)",
    ]);
    for class in &config.classes {
        per_class.add_row(vec![
            Cell::new(&class.name),
            Cell::new(if class.maker_required { "yes" } else { "no" }),
            right(class.onboarding_fee),
            right(class.active_devices),
            right(class.fees_burned),
        ]);
    }
    per_class.add_row(vec![
        Cell::new("total"),
        Cell::new(""),
        Cell::new(""),
        right(config.active_devices),
        right(config.fees_burned),
    ]);

    let mut summary = Table::new();
    summary
        .load_preset(UTF8_FULL_CONDENSED)
        .set_header(vec!["measure", "value"]);
    summary.add_row(vec![Cell::new("device owners"), right(operator_count)]);
    summary.add_row(vec![
        Cell::new("fee mint supply (DC)"),
        Cell::new(format!("{supply_before} -> {supply_after}")).set_alignment(CellAlignment::Right),
    ]);
    summary.add_row(vec![
        Cell::new("device account data (bytes)"),
        right(device_bytes),
    ]);
    summary.add_row(vec![
        Cell::new("rent per device (lamports)"),
        Cell::new(format!(
            "{rent_per_device} ({:.6} SOL)",
            rent_per_device as f64 / LAMPORTS_PER_SOL as f64
        ))
        .set_alignment(CellAlignment::Right),
    ]);
    summary.add_row(vec![
        Cell::new("rent locked by all devices (SOL)"),
        Cell::new(format!(
            "{:.4}",
            (rent_per_device * config.active_devices) as f64 / LAMPORTS_PER_SOL as f64
        ))
        .set_alignment(CellAlignment::Right),
    ]);
    summary.add_row(vec![
        Cell::new("registrations per second"),
        Cell::new(format!("{:.0}", args.devices as f64 / onboarding_seconds))
            .set_alignment(CellAlignment::Right),
    ]);

    println!(
        "Device registry on the embedded runtime (seed {})",
        args.seed
    );
    println!("{per_class}");
    println!("{summary}");
    println!(
        "registry invariants hold; {} devices onboarded in {:.1} s ({:.1} s in all)",
        config.active_devices,
        onboarding_seconds,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn right(value: impl ToString) -> Cell {
    Cell::new(value.to_string()).set_alignment(CellAlignment::Right)
}

/// Funds each owner with SOL and exactly the fee tokens its devices need.
fn create_operators(
    cluster: &mut EmbeddedCluster,
    authority: &Keypair,
    fee_mint: &Pubkey,
    fees_needed: &[u64],
    rng: &mut StdRng,
) -> Result<Vec<Operator>> {
    let mut operators = Vec::with_capacity(fees_needed.len());
    for fees in fees_needed {
        let keypair = keypair(rng);
        cluster.airdrop(&keypair.pubkey(), 10 * LAMPORTS_PER_SOL)?;
        let fee_account = token::associated_token_address(
            &keypair.pubkey(),
            fee_mint,
            &token::SPL_TOKEN_PROGRAM_ID,
        );
        let mut instructions = vec![token::create_associated_token_account(
            &authority.pubkey(),
            &keypair.pubkey(),
            fee_mint,
            &token::SPL_TOKEN_PROGRAM_ID,
        )];
        if *fees > 0 {
            instructions.push(token::mint_to(
                fee_mint,
                &fee_account,
                &authority.pubkey(),
                *fees,
            ));
        }
        cluster
            .send(&instructions, authority, &[])
            .context("funding a device owner")?;
        operators.push(Operator {
            keypair,
            fee_account,
        });
    }
    Ok(operators)
}
