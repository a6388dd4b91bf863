//! `depin demo`: the whole network on the embedded runtime, end to end:
//! the deployment, device onboarding paid in data credits, the hand-over to
//! the DAO, then epochs of issuance, oracle batches, claims, credits bought
//! and spent, and a governance proposal that changes the emission.
//!
//! The demo runs what users run: the deployment is
//! [`depin_client::bootstrap::bootstrap_network`] (as `depin network init`),
//! and every wallet (the bootstrap authority, the oracles, device owners,
//! token holders) acts through its own [`depin_client::Client`], with the
//! methods the CLI's commands call, over one shared embedded cluster.
//!
//! - [`setup`]: the deployment, device owners and their devices;
//! - [`simulation`]: the epochs and the ledger checks after each;
//! - [`governance`]: the hand-over to the DAO and a proposal's whole life;
//! - [`report`]: the tables and the chart.

mod governance;
mod oracles;
mod report;
mod setup;
mod simulation;

use {
    anyhow::Result,
    clap::Args,
    indicatif::{ProgressBar, ProgressStyle},
    rand::{rngs::StdRng, SeedableRng},
    setup::Demo,
    std::time::Instant,
};

const LAMPORTS_PER_SOL: u64 = 1_000_000_000;

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
    let mut phases = Phases::default();
    let start = PhaseStart::now();
    let (mut demo, maker) = Demo::deploy(&mut rng, args.oracles, args.devices, operator_count)?;
    phases.add("deployment", start);
    demo.phases = phases;

    // Epoch 0 ends: the first issuance fills the pools and the treasury,
    // the oracles post a price, and owners buy the credits their devices'
    // onboarding burns.
    let start = PhaseStart::now();
    demo.warp_past_epoch(0, 1)?;
    demo.issue(0)?;
    demo.post_prices()?;
    demo.phases.add("issuance and prices", start);
    let mut fleet = demo.onboard(args.devices, operator_count, &maker, args.quiet)?;
    let start = PhaseStart::now();
    demo.check_invariants()?;
    demo.phases.add("ledger checks", start);

    // Token holders lock tokens; the DAO takes over the network.
    let start = PhaseStart::now();
    let mut dao = demo.set_up_dao()?;
    demo.phases.add("governance", start);
    // Halfway through, a proposal cuts the emission from the epoch after
    // the one running when it executes.
    let round_epoch = ((args.epochs - 1) / 2).max(1);
    let mut governance = None;

    // One oracle node per oracle, and the fleet that reports to them.
    let start = PhaseStart::now();
    let mut network = demo.start_oracle_nodes(fleet.devices.len())?;
    demo.phases.add("starting oracle nodes", start);

    let bar = progress(args.quiet, args.epochs, "running epochs");
    let economy_started = Instant::now();
    let mut rows = Vec::new();
    for epoch in 1..=args.epochs {
        rows.push(demo.run_epoch(epoch, &mut fleet, &mut network, epoch == args.epochs)?);
        if epoch == round_epoch {
            let start = PhaseStart::now();
            governance = Some(demo.governance_round(&mut dao)?);
            demo.phases.add("governance", start);
        }
        bar.inc(1);
    }
    bar.finish_and_clear();

    demo.print_report(&report::Run {
        seed: args.seed,
        operators: operator_count,
        fleet: &fleet,
        network: &network,
        rows: &rows,
        governance: governance.as_ref(),
        economy_seconds: economy_started.elapsed().as_secs_f64(),
        started,
    })
}

/// Where the demo's time goes: wall-clock and CPU seconds per phase, in the
/// order phases first ran.
#[derive(Default)]
pub(super) struct Phases {
    spent: Vec<(&'static str, f64, f64)>,
}

/// A phase's start: the wall clock and this process's CPU time.
#[derive(Clone, Copy)]
pub(super) struct PhaseStart {
    wall: Instant,
    cpu: f64,
}

/// The process's peak resident memory (Linux reports KiB).
pub(super) fn peak_memory_mib() -> u64 {
    // SAFETY: getrusage writes into the zeroed struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    u64::try_from(usage.ru_maxrss).unwrap_or(0) / 1024
}

/// User + system CPU seconds of this process so far.
pub(super) fn cpu_seconds() -> f64 {
    // SAFETY: getrusage writes into the zeroed struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let seconds = |time: libc::timeval| time.tv_sec as f64 + time.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

impl PhaseStart {
    pub(super) fn now() -> Self {
        Self {
            wall: Instant::now(),
            cpu: cpu_seconds(),
        }
    }
}

impl Phases {
    /// Adds the time since `start` to `phase`; returns its CPU seconds.
    pub(super) fn add(&mut self, phase: &'static str, start: PhaseStart) -> f64 {
        let wall = start.wall.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - start.cpu;
        match self.spent.iter_mut().find(|(name, _, _)| *name == phase) {
            Some((_, total_wall, total_cpu)) => {
                *total_wall += wall;
                *total_cpu += cpu;
            }
            None => self.spent.push((phase, wall, cpu)),
        }
        cpu
    }

    pub(super) fn cpu(&self, phase: &str) -> f64 {
        self.spent
            .iter()
            .find(|(name, _, _)| *name == phase)
            .map_or(0.0, |(_, _, cpu)| *cpu)
    }

    pub(super) fn rows(&self) -> &[(&'static str, f64, f64)] {
        &self.spent
    }
}
