//! `depin device simulate`: a fleet of simulated devices (keys from a
//! seed) that sign heartbeats and usage reports and send them to every
//! oracle named, round after round; some offline, some misbehaving
//! (`depin_oracle::simulate`).

use {
    super::with_client,
    crate::context::Context,
    anyhow::{bail, Context as _, Result},
    clap::Args,
    depin_client::device_registry::DeviceToRegister,
    depin_oracle::{
        ingest::EpochClock,
        simulate::{Behavior, Fleet, FleetPlan, Tally},
    },
    depin_sdk::{accounts::Device, pda, Keypair, Signer},
    serde_json::json,
    std::{collections::BTreeMap, time::Duration},
};

#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// How many devices.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub devices: u64,
    /// An oracle's base URL (repeat for each oracle of the network).
    #[arg(long = "oracle")]
    pub oracles: Vec<String>,
    /// The fleet's seed: the same seed gives the same device keys.
    #[arg(long, default_value = "depin-simulated")]
    pub seed: String,
    /// Register the fleet's devices that are not registered yet (owned by
    /// the wallet, which pays their onboarding fees in data credits).
    #[arg(long)]
    pub register: bool,
    /// The class registered devices join.
    #[arg(long, default_value = "wifi-indoor")]
    pub class: String,
    /// Percent of devices that send nothing.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub offline: u8,
    /// Percent of devices that misbehave (replay their reports, or sign
    /// with a key that is not theirs).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub misbehaving: u8,
    /// The heartbeat interval (the oracles' rule's).
    #[arg(long, default_value = "1h")]
    pub interval: String,
    /// Units each usage report claims.
    #[arg(long, default_value_t = 1_000)]
    pub usage_units: u64,
    /// Rounds of sending (0: only register).
    #[arg(long, default_value_t = 1)]
    pub rounds: u64,
    /// Time between rounds.
    #[arg(long, default_value = "10s")]
    pub every: String,
}

fn seconds(text: &str, flag: &str) -> Result<u64> {
    Ok(humantime::parse_duration(text)
        .map_err(|error| anyhow::anyhow!("{flag} '{text}': {error}; try 10s or 1h"))?
        .as_secs())
}

pub fn run(context: &Context, args: SimulateArgs) -> Result<()> {
    let interval = seconds(&args.interval, "--interval")?;
    if interval == 0 || interval > u64::from(u32::MAX) {
        bail!("--interval must be 1 s to 136 years");
    }
    let every = Duration::from_secs(seconds(&args.every, "--every")?);
    if args.rounds > 0 && args.oracles.is_empty() {
        bail!("name the network's oracles with --oracle URL (repeat for each)");
    }
    if u16::from(args.offline) + u16::from(args.misbehaving) > 100 {
        bail!("--offline and --misbehaving add up to more than 100 percent");
    }
    let plan = FleetPlan {
        seed: args.seed.clone(),
        devices: args.devices as usize,
        offline_percent: args.offline,
        misbehaving_percent: args.misbehaving,
        heartbeat_interval: interval as i64,
        usage_units: args.usage_units,
    };
    with_client(context, |client| {
        let config = client.oracle_config()?;
        let mut fleet = Fleet::new(
            plan,
            client.network_id()?,
            EpochClock {
                genesis: config.genesis_timestamp,
                length: config.epoch_length,
            },
        );
        let mut registered = 0usize;
        if args.register {
            let keys: Vec<Keypair> = fleet
                .devices
                .iter()
                .map(|device| Keypair::new_from_array(device.key.to_bytes()))
                .collect();
            let addresses: Vec<_> = keys
                .iter()
                .map(|key| pda::device(&key.pubkey()).0)
                .collect();
            let known = client.fetch_many::<Device>(&addresses)?;
            let missing: Vec<DeviceToRegister> = keys
                .iter()
                .zip(&known)
                .filter(|(_, device)| device.is_none())
                .map(|(key, _)| DeviceToRegister {
                    device: key,
                    class: &args.class,
                    maker: None,
                    location: None,
                    metadata: Vec::new(),
                })
                .collect();
            registered = missing.len();
            if !missing.is_empty() {
                client
                    .register_devices(&missing, &mut |_, _| {})
                    .context("registering the simulated devices")?;
            }
        }
        let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
        for round in 0..args.rounds {
            if round > 0 {
                std::thread::sleep(every);
            }
            let due = fleet.due(client.now()?);
            for (oracle, tally) in fleet.send(&due, &args.oracles) {
                let total = tallies.entry(oracle).or_default();
                total.sent += tally.sent;
                total.accepted += tally.accepted;
                total.failed_requests += tally.failed_requests;
                for (code, count) in tally.refused {
                    *total.refused.entry(code).or_default() += count;
                }
            }
        }
        let mut behaviors: BTreeMap<Behavior, usize> = BTreeMap::new();
        for device in &fleet.devices {
            *behaviors.entry(device.behavior).or_default() += 1;
        }
        let mut lines = vec![format!(
            "{} devices ({}), {registered} newly registered, {} rounds",
            fleet.devices.len(),
            behaviors
                .iter()
                .map(|(behavior, count)| format!("{count} {behavior:?}").to_lowercase())
                .collect::<Vec<_>>()
                .join(", "),
            args.rounds
        )];
        for (oracle, tally) in &tallies {
            let refused: Vec<String> = tally
                .refused
                .iter()
                .map(|(code, count)| format!("{count} {code}"))
                .collect();
            lines.push(format!(
                "{oracle}: sent {}, accepted {}, refused {}{}",
                tally.sent,
                tally.accepted,
                if refused.is_empty() {
                    "0".into()
                } else {
                    refused.join(", ")
                },
                if tally.failed_requests > 0 {
                    format!(", {} requests failed", tally.failed_requests)
                } else {
                    String::new()
                }
            ));
        }
        context.print(
            lines.join("\n"),
            json!({
                "devices": fleet.devices.len(),
                "behaviors": behaviors.iter().map(|(behavior, count)| (format!("{behavior:?}").to_lowercase(), *count)).collect::<BTreeMap<_, _>>(),
                "registered": registered,
                "rounds": args.rounds,
                "oracles": tallies,
            }),
        );
        Ok(())
    })
}
