//! How the suite grows with the network: for each device count given (default
//! 1,000 10,000 100,000), a state with that many devices is built and saved,
//! then `depin` commands run on it as a user runs them, each measured in CPU
//! time and peak memory, together with `oracle submit`, claim sizes and the
//! demo. Run it in release:
//!
//! ```text
//! cargo bench -p depin-cli --bench scale -- 1000 10000 100000 1000000 --demo-up-to 100000
//! ```
//!
//! Figures, not assertions: the README keeps the last run's.

use {
    depin_client::{bootstrap::NetworkPlan, embedded::EmbeddedCluster, Client},
    depin_sdk::{
        batch::{BatchFile, DeviceReward},
        lookup_table,
        proofs::{parse_device_proofs, ProofFormat},
        rewards, txsize, Keypair, Pubkey, Signer,
    },
    rand::{rngs::StdRng, Rng, SeedableRng},
    std::{
        path::{Path, PathBuf},
        process::Command,
        time::Instant,
    },
};

const DEPIN: &str = env!("CARGO_BIN_EXE_depin");
const CLASS: &str = "lora-sensor";

/// CPU seconds and peak memory (MiB) of one finished child.
struct Cost {
    cpu: f64,
    wall: f64,
    peak_mib: f64,
    stdout: String,
}

/// Runs `depin args…` in `directory` and measures it (wait4's rusage; the
/// peak memory is right only while this process is small, as the child
/// starts in its memory: states are built in a child process).
#[allow(clippy::zombie_processes)] // reaped by wait4 below
fn run(directory: &Path, wallet: &str, args: &[&str]) -> Cost {
    use std::io::Read;
    let started = Instant::now();
    let mut child = Command::new(DEPIN)
        .current_dir(directory)
        .env("HOME", directory)
        .env("DEPIN_STATE", directory.join("state.db"))
        .env_remove("DEPIN_URL")
        .arg("-k")
        .arg(directory.join(format!("{wallet}.json")))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("depin starts");
    let pid = child.id() as libc::pid_t;
    let mut stdout_pipe = child.stdout.take().expect("piped");
    let mut stderr_pipe = child.stderr.take().expect("piped");
    let stdout_thread = std::thread::spawn(move || {
        let mut text = String::new();
        stdout_pipe.read_to_string(&mut text).ok();
        text
    });
    let stderr_thread = std::thread::spawn(move || {
        let mut text = String::new();
        stderr_pipe.read_to_string(&mut text).ok();
        text
    });
    // SAFETY: wait4 reaps our own child (never waited for elsewhere); the
    // zeroed rusage is written by it.
    let (status, usage) = unsafe {
        let mut status = 0;
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::wait4(pid, &mut status, 0, &mut usage);
        (status, usage)
    };
    let wall = started.elapsed().as_secs_f64();
    let stdout = stdout_thread.join().expect("stdout thread");
    let stderr = stderr_thread.join().expect("stderr thread");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "depin {args:?} failed ({status}): {stderr}"
    );
    let seconds = |time: libc::timeval| time.tv_sec as f64 + time.tv_usec as f64 / 1e6;
    Cost {
        cpu: seconds(usage.ru_utime) + seconds(usage.ru_stime),
        wall,
        peak_mib: usage.ru_maxrss as f64 / 1024.0,
        stdout,
    }
}

/// The cheapest of three runs (this machine is noisy).
fn best_of_three(directory: &Path, wallet: &str, args: &[&str]) -> Cost {
    (0..3)
        .map(|_| run(directory, wallet, args))
        .min_by(|a, b| a.cpu.total_cmp(&b.cpu))
        .expect("three runs")
}

fn write_keypair(path: &Path, keypair: &Keypair) {
    std::fs::write(
        path,
        serde_json::to_string(&keypair.to_bytes().to_vec()).unwrap(),
    )
    .unwrap();
}

struct Built {
    directory: PathBuf,
    devices: Vec<Pubkey>,
    build_seconds: f64,
    registration_cpu: f64,
}

/// A network with `count` devices of one owner (the deployer), epochs 0
/// and 1 issued, saved as `state.db`.
fn build_state(count: u64) -> Built {
    let directory = std::env::temp_dir().join(format!("depin-scale-{count}"));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap();
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(count);
    let deployer = Keypair::new_from_array(rng.gen());
    write_keypair(&directory.join("deployer.json"), &deployer);
    let mut cluster = EmbeddedCluster::with_upgrade_authority(deployer.insecure_clone());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    cluster.warp_to_timestamp(now - 3 * 86_400);
    cluster.set_state_path(&directory.join("state.db"));
    let genesis = cluster.clock().unix_timestamp;
    let mut client = Client::new(Box::new(cluster), deployer.insecure_clone());
    let mut plan = NetworkPlan::standard(vec![deployer.pubkey()], 1, genesis, 1_000_000_000);
    plan.hand_over = false;
    client.init_network(&plan).unwrap();
    client.create_network_lookup_table().unwrap();
    client.warp(86_401).unwrap();
    client.submit_price(2_000_000).unwrap();
    client.issue_epoch(None).unwrap();
    // Credits for every device's onboarding fee (5,000 each), and the three
    // `device register` commands measured.
    let tokens = rewards::tokens_for_data_credits(5_000 * (count + 3), 2_000_000, 100, 6).unwrap();
    client.treasury_grant(&deployer.pubkey(), tokens).unwrap();
    // Rent of every device account (about 0.0022 SOL each) beyond the
    // deployer's 1,000 SOL.
    client
        .airdrop(&deployer.pubkey(), count * 3_000_000)
        .unwrap();
    client.mint_data_credits(tokens).unwrap();
    let cpu_before = cpu_seconds();
    let mut devices = Vec::with_capacity(count as usize);
    for index in 0..count {
        let device = Keypair::new_from_array(rng.gen());
        if index == 0 {
            write_keypair(&directory.join("device-0.json"), &device);
        }
        client
            .register_device(&device, CLASS, None, None, Vec::new())
            .unwrap();
        devices.push(device.pubkey());
    }
    let registration_cpu = cpu_seconds() - cpu_before;
    // Epoch 1 ends and is issued: `oracle submit --epoch 1` is due.
    client.warp(86_400).unwrap();
    client.issue_epoch(None).unwrap();
    client.backend().persist().unwrap();
    Built {
        directory,
        devices,
        build_seconds: started.elapsed().as_secs_f64(),
        registration_cpu,
    }
}

fn cpu_seconds() -> f64 {
    // SAFETY: getrusage writes into the zeroed struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let seconds = |time: libc::timeval| time.tv_sec as f64 + time.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Bytes of one wallet's claim in a batch of `wallets` wallets: legacy, and
/// version 0 through the network's lookup table.
fn claim_bytes(wallets: u64) -> (usize, usize) {
    let rewards: Vec<DeviceReward> = (0..wallets)
        .map(|index| {
            let mut key = [0u8; 32];
            key[..8].copy_from_slice(&index.to_le_bytes());
            key[31] = 9;
            DeviceReward {
                device_key: Pubkey::new_from_array(key),
                serial: index,
                amount: 1,
                recipient: Pubkey::new_from_array(key),
            }
        })
        .collect();
    let batch = BatchFile::build(1, None, rewards).unwrap();
    let wallet = Pubkey::new_from_array(batch.leaves()[0].recipient);
    let payer = Pubkey::new_unique();
    let claim = rewards::claim_from_batch(&batch, &wallet).unwrap();
    let instructions = rewards::claim_rewards_with_account(payer, claim);
    let table = txsize::LookupTable {
        key: Pubkey::new_unique(),
        addresses: lookup_table::network_addresses(),
    };
    (
        txsize::legacy_size(&payer, &instructions),
        txsize::v0_size(&payer, &instructions, &[table]).unwrap(),
    )
}

/// In a child process (so the measuring parent stays small): builds the
/// state, writes `devices.txt` and `proofs.csv`, and prints the figures
/// that need no `depin` command.
fn build_and_describe(count: u64) {
    let built = build_state(count);
    let directory = &built.directory;
    let state_bytes = std::fs::metadata(directory.join("state.db")).unwrap().len();
    println!(
        "state built in {:.1} s ({:.0} registrations per CPU-second in process); {:.1} MB, {:.0} bytes per device",
        built.build_seconds,
        count as f64 / built.registration_cpu,
        state_bytes as f64 / 1e6,
        state_bytes as f64 / count as f64
    );
    let csv: String = built
        .devices
        .iter()
        .enumerate()
        .map(|(index, device)| format!("{device},{}\n", 1 + index % 1_000))
        .collect();
    std::fs::write(directory.join("proofs.csv"), &csv).unwrap();
    std::fs::write(directory.join("device-0.txt"), built.devices[0].to_string()).unwrap();
    let started = Instant::now();
    let proofs = parse_device_proofs(&csv, ProofFormat::Csv).unwrap();
    let parse = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let rewards: Vec<DeviceReward> = proofs
        .iter()
        .enumerate()
        .map(|(index, proof)| DeviceReward {
            device_key: proof.device_key,
            serial: index as u64,
            amount: proof.amount,
            recipient: proof.device_key,
        })
        .collect();
    BatchFile::build(1, None, rewards).unwrap();
    let build = started.elapsed().as_secs_f64();
    println!(
        "oracle submit without chain reads: parse {parse:.2} s + batch {build:.2} s for {count} lines"
    );
    let (legacy, v0) = claim_bytes(count);
    println!(
        "claim of a {count}-wallet batch: {legacy} bytes legacy, {v0} bytes v0 through the network table (limit {})",
        depin_sdk::MAX_TRANSACTION_SIZE
    );
}

fn main() {
    let arguments: Vec<String> = std::env::args().collect();
    if arguments.get(1).map(String::as_str) == Some("--build-state") {
        build_and_describe(arguments[2].parse().expect("a device count"));
        return;
    }
    let mut counts: Vec<u64> = Vec::new();
    let mut demo_up_to = 100_000u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--demo-up-to" {
            demo_up_to = args
                .next()
                .and_then(|value| value.parse().ok())
                .unwrap_or(0);
        } else if let Ok(count) = arg.parse() {
            counts.push(count);
        }
    }
    if counts.is_empty() {
        counts = vec![1_000, 10_000, 100_000];
    }
    println!("depin at scale ({DEPIN})");
    for count in counts {
        println!("\n== {count} devices ==");
        let built = Command::new(std::env::current_exe().unwrap())
            .args(["--build-state", &count.to_string()])
            .status()
            .unwrap();
        assert!(
            built.success(),
            "building the state of {count} devices failed"
        );
        let directory = &std::env::temp_dir().join(format!("depin-scale-{count}"));
        let device = std::fs::read_to_string(directory.join("device-0.txt")).unwrap();

        for read in [
            &["balance"][..],
            &["network", "show"],
            &["device", "show", &device],
            &["oracle", "status"],
        ] {
            let cost = best_of_three(directory, "deployer", read);
            println!(
                "read  {:<28} {:>7.1} ms CPU {:>7.1} MiB peak",
                read.join(" "),
                cost.cpu * 1e3,
                cost.peak_mib
            );
        }
        let mut write_costs = Vec::new();
        for attempt in 0..3 {
            let device = Keypair::new();
            let name = format!("new-device-{attempt}.json");
            write_keypair(&directory.join(&name), &device);
            let path = directory.join(&name).display().to_string();
            write_costs.push(run(
                directory,
                "deployer",
                &[
                    "device",
                    "register",
                    "--device-keypair",
                    &path,
                    "--class",
                    CLASS,
                ],
            ));
        }
        let register = write_costs
            .into_iter()
            .min_by(|a, b| a.cpu.total_cmp(&b.cpu))
            .unwrap();
        println!(
            "write device register              {:>7.1} ms CPU {:>7.1} MiB peak ({:.0} ms wall, with fsync)",
            register.cpu * 1e3,
            register.peak_mib,
            register.wall * 1e3
        );

        let submit = run(
            directory,
            "deployer",
            &["oracle", "submit", "--epoch", "1", "proofs.csv"],
        );
        println!(
            "oracle submit                      {:>7.2} s wall {:>7.2} s CPU {:>7.1} MiB peak",
            submit.wall, submit.cpu, submit.peak_mib
        );
        if count <= demo_up_to {
            let demo = run(
                directory,
                "deployer",
                &[
                    "demo",
                    "--devices",
                    &count.to_string(),
                    "--epochs",
                    "1",
                    "--quiet",
                ],
            );
            let rates = demo
                .stdout
                .lines()
                .find(|line| line.contains("per CPU-second"))
                .unwrap_or("")
                .to_string();
            println!(
                "demo --epochs 1                    {:>7.1} s CPU {:>7.1} MiB peak; {rates}",
                demo.cpu, demo.peak_mib
            );
        }
        let _ = std::fs::remove_dir_all(directory);
    }
}
