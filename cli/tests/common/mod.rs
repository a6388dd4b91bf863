//! The harness every CLI test file shares: a sandbox with its own HOME,
//! state file and keypairs, and the `depin` binary run inside it.
#![allow(dead_code)]

use {
    assert_cmd::Command,
    predicates::str::contains,
    serde_json::Value,
    std::path::{Path, PathBuf},
};

/// A journey `$on(&Sandbox)` as two tests, in a sandbox named `$sandbox`:
/// `$embedded` on the embedded runtime, `$localnet` with every command over
/// JSON-RPC to a `depin localnet` (both backends tested end to end).
#[macro_export]
macro_rules! on_both_backends {
    ($sandbox:literal, $on:ident, $embedded:ident, $localnet:ident $(,)?) => {
        #[test]
        fn $embedded() {
            $on(&Sandbox::new($sandbox));
        }

        #[test]
        fn $localnet() {
            $on(&Sandbox::over_localnet($sandbox));
        }
    };
}

/// A directory with its own embedded state file and keypairs; HOME points
/// into it so no Solana config of the machine is read. Over a node
/// ([`Sandbox::over_localnet`]) every command but `keygen`, `address` and
/// help goes to a `depin localnet` with `-u` instead.
pub struct Sandbox {
    pub directory: PathBuf,
    localnet: Option<std::cell::RefCell<Option<Localnet>>>,
}

/// A `depin localnet` child process serving `node-state.bin` in a
/// directory, `deployer.json` its programs' upgrade authority.
pub struct Localnet {
    child: std::process::Child,
    pub url: String,
    /// What it printed after its URL.
    output: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Localnet {
    pub fn start(directory: &Path, slot_ms: u64) -> Self {
        use std::io::BufRead;
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("depin"))
            .current_dir(directory)
            .env("HOME", directory)
            .env_remove("DEPIN_URL")
            .args([
                "-k",
                "deployer.json",
                "--state",
                "node-state.bin",
                "localnet",
            ])
            .args([
                "--rpc-port",
                "0",
                "--ws-port",
                "0",
                "--slot-ms",
                &slot_ms.to_string(),
            ])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("depin localnet starts");
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let url = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|line| line.strip_prefix("JSON-RPC URL: ").map(str::to_string))
            .expect("depin localnet prints its URL");
        // Keep reading, so the node never blocks on a full pipe.
        let output = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let kept = output.clone();
        let reader = std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                kept.lock().unwrap().push(line);
            }
        });
        Self {
            child,
            url,
            output,
            reader: Some(reader),
        }
    }

    /// SIGTERM (the node stops and saves); its exit status and what it
    /// printed.
    pub fn stop(self) -> (std::process::ExitStatus, Vec<String>) {
        self.stop_with(libc::SIGTERM)
    }

    /// As [`Localnet::stop`], with `signal` (SIGINT is Ctrl-C).
    pub fn stop_with(mut self, signal: i32) -> (std::process::ExitStatus, Vec<String>) {
        // SAFETY: kill on the child's own pid.
        unsafe { libc::kill(self.child.id() as i32, signal) };
        let status = self.child.wait().unwrap();
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        let printed = self.output.lock().unwrap().clone();
        (status, printed)
    }
}

impl Sandbox {
    pub fn new(name: &str) -> Self {
        let directory =
            std::env::temp_dir().join(format!("depin-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&directory);
        std::fs::create_dir_all(&directory).unwrap();
        Self {
            directory,
            localnet: None,
        }
    }

    /// A sandbox whose commands run against a `depin localnet` (started at
    /// the first command that needs a cluster, with `deployer.json` as the
    /// programs' upgrade authority).
    pub fn over_localnet(name: &str) -> Self {
        let mut sandbox = Self::new(&format!("{name}-localnet"));
        sandbox.localnet = Some(std::cell::RefCell::new(None));
        sandbox
    }

    /// The node's URL, starting it if needed.
    pub fn localnet_url(&self) -> Option<String> {
        let cell = self.localnet.as_ref()?;
        let mut node = cell.borrow_mut();
        Some(
            node.get_or_insert_with(|| Localnet::start(&self.directory, 20))
                .url
                .clone(),
        )
    }

    /// The sandbox's cluster as a library client sees it: the node over
    /// JSON-RPC, or the embedded state file (whose changes `persist` saves).
    pub fn backend(&self, payer: depin_sdk::Keypair) -> Box<dyn depin_client::backend::Backend> {
        match self.localnet_url() {
            Some(url) => Box::new(depin_client::rpc::RpcBackend::new(
                &url,
                depin_client::rpc::RpcOptions::default(),
            )),
            None => Box::new(
                depin_client::embedded::EmbeddedCluster::load(&self.path("state.bin"), payer)
                    .unwrap(),
            ),
        }
    }

    /// Stops the sandbox's node with `signal`, if it started one.
    pub fn stop_localnet(&self, signal: i32) -> Option<(std::process::ExitStatus, Vec<String>)> {
        let node = self.localnet.as_ref()?.borrow_mut().take()?;
        Some(node.stop_with(signal))
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.directory.join(name)
    }

    pub fn command(&self, wallet: &str, args: &[&str]) -> Command {
        let mut command = Command::cargo_bin("depin").unwrap();
        command
            .current_dir(&self.directory)
            .env("HOME", &self.directory)
            .env_remove("DEPIN_URL")
            .env_remove("DEPIN_CONFIG")
            .env("DEPIN_STATE", self.path("state.bin"))
            .arg("-k")
            .arg(self.path(&format!("{wallet}.json")))
            .args(args);
        let local = args
            .iter()
            .find(|arg| !arg.starts_with('-') && **arg != "json")
            .is_some_and(|command| ["keygen", "address"].contains(command))
            || args
                .iter()
                .any(|arg| ["--help", "-h", "help"].contains(arg));
        if !local {
            if let Some(url) = self.localnet_url() {
                command.env("DEPIN_URL", url);
            }
        }
        command
    }

    /// Runs a command that must succeed and returns its JSON output.
    pub fn json(&self, wallet: &str, args: &[&str]) -> Value {
        let mut full = vec!["--output", "json"];
        full.extend_from_slice(args);
        let output = self.command(wallet, &full).output().unwrap();
        assert!(
            output.status.success(),
            "depin {args:?} as {wallet} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
            panic!(
                "depin {args:?}: output is not JSON ({error}): {}",
                String::from_utf8_lossy(&output.stdout)
            )
        })
    }

    /// Runs a command that must fail; returns stderr. The state file must
    /// not change.
    pub fn fails(&self, wallet: &str, args: &[&str], message: &str) {
        let before = std::fs::read(self.path("state.bin")).ok();
        self.command(wallet, args)
            .assert()
            .failure()
            .stderr(contains(message));
        assert_eq!(
            std::fs::read(self.path("state.bin")).ok(),
            before,
            "a failed `depin {args:?}` changed the state"
        );
    }

    /// Runs a command that must succeed and returns its display output.
    pub fn display(&self, wallet: &str, args: &[&str]) -> String {
        let output = self.command(wallet, args).output().unwrap();
        assert!(
            output.status.success(),
            "depin {args:?} as {wallet} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Runs a command that must fail and returns its stderr. The state
    /// file must not change.
    pub fn refused(&self, wallet: &str, args: &[&str]) -> String {
        let before = std::fs::read(self.path("state.bin")).ok();
        let output = self.command(wallet, args).output().unwrap();
        assert!(
            !output.status.success(),
            "depin {args:?} as {wallet} succeeded: {}",
            String::from_utf8_lossy(&output.stdout)
        );
        assert_eq!(
            std::fs::read(self.path("state.bin")).ok(),
            before,
            "a refused `depin {args:?}` changed the state"
        );
        String::from_utf8_lossy(&output.stderr).into_owned()
    }

    pub fn keygen(&self, name: &str) -> String {
        let out = self.path(&format!("{name}.json"));
        let value = self.json("deployer", &["keygen", "--outfile", out.to_str().unwrap()]);
        value["address"].as_str().unwrap().to_string()
    }

    /// Registers the device whose keypair is `<device>.json` as `wallet`.
    pub fn register(&self, wallet: &str, device: &str, class: &str) -> Value {
        let keypair = self.path(&format!("{device}.json"));
        self.json(
            wallet,
            &[
                "device",
                "register",
                "--device-keypair",
                text(&keypair),
                "--class",
                class,
            ],
        )
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(node) = self.localnet.take().and_then(|cell| cell.into_inner()) {
            node.stop();
        }
        let _ = std::fs::remove_dir_all(&self.directory);
    }
}

/// `network show`'s JSON without its clock: over localnet the clock follows
/// the wall clock, so it may move on between two reads.
pub fn without_clock(mut shown: Value) -> Value {
    shown.as_object_mut().unwrap().remove("unixTimestamp");
    shown
}

pub fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Deploys with the deployer as the only oracle, issues epoch 0 and pays an
/// operator 5,000 tokens from the treasury; returns the operator's address.
pub fn deployed(sandbox: &Sandbox) -> String {
    sandbox.keygen("deployer");
    let init = sandbox.json("deployer", &["network", "init", "--keep-authority"]);
    assert_eq!(init["quorum"], 1);
    assert_eq!(init["handedOver"], false);
    sandbox.json("deployer", &["warp", "1d"]);
    sandbox.json("deployer", &["oracle", "price", "0.5"]);
    let issued = sandbox.json("deployer", &["rewards", "issue"]);
    assert_eq!(issued["epoch"], 0);
    let operator = sandbox.keygen("operator");
    sandbox.json("deployer", &["network", "grant", &operator, "5000"]);
    sandbox.json("operator", &["airdrop", "10"]);
    operator
}

/// The oracle tests' fleet: 10 devices, 2 offline, 2 replaying, 2 forging.
pub const FLEET_DEVICES: u64 = 10;
pub const FLEET_SEED: &str = "oracle-network";
pub const FLEET_UNITS: u64 = 1_000;

/// The rule the oracle tests' nodes run: hourly heartbeats, 60 % of the
/// pool for uptime, no caps that bind; one entry per default class.
pub fn oracle_rule() -> depin_reports::rule::RuleParams {
    let class = depin_reports::rule::ClassParams {
        uptime_weight: 1,
        usage_weight: 1,
        max_units_per_second: 1_000,
        cap_per_epoch: u64::MAX,
    };
    depin_reports::rule::RuleParams {
        version: 1,
        heartbeat_interval_seconds: 3_600,
        uptime_share_bps: 6_000,
        classes: vec![class.clone(), class.clone(), class],
    }
}

pub fn fleet_plan() -> depin_oracle::simulate::FleetPlan {
    depin_oracle::simulate::FleetPlan {
        seed: FLEET_SEED.into(),
        devices: FLEET_DEVICES as usize,
        offline_percent: 20,
        misbehaving_percent: 40,
        heartbeat_interval: 3_600,
        usage_units: FLEET_UNITS,
    }
}

/// The rule, modelled independently for the fleet reporting a whole
/// epoch: every earning device (honest or replaying) was up all 24 hours
/// and reported the same units, so each gets an equal share of each part
/// (rounded down); offline and forging devices get nothing.
pub fn fleet_model(pool: u64) -> std::collections::HashMap<[u8; 32], u64> {
    use depin_oracle::simulate::{behavior_of, device_key, Behavior};
    let plan = fleet_plan();
    let earning: Vec<[u8; 32]> = (0..plan.devices)
        .filter(|index| {
            matches!(
                behavior_of(&plan, *index),
                Behavior::Honest | Behavior::Replays
            )
        })
        .map(|index| device_key(&plan.seed, index).verifying_key().to_bytes())
        .collect();
    let uptime_part = pool * 6_000 / 10_000;
    let usage_part = pool - uptime_part;
    let count = earning.len() as u64;
    earning
        .into_iter()
        .map(|device| (device, uptime_part / count + usage_part / count))
        .collect()
}

/// A network of three oracles (quorum 2), epoch 0 issued, and an operator
/// whose simulated fleet is registered. Returns the oracles' names in the
/// set's order (keypairs `<name>.json`).
pub fn three_oracle_network(sandbox: &Sandbox) -> [&'static str; 3] {
    let names = ["oracle-a", "oracle-b", "oracle-c"];
    sandbox.keygen("deployer");
    let keys: Vec<String> = names.iter().map(|name| sandbox.keygen(name)).collect();
    sandbox.json(
        "deployer",
        &[
            "network",
            "init",
            "--keep-authority",
            "--oracle",
            &keys[0],
            "--oracle",
            &keys[1],
            "--oracle",
            &keys[2],
            "--quorum",
            "2",
        ],
    );
    for key in &keys {
        sandbox.json("deployer", &["airdrop", "10", "--to", key]);
    }
    sandbox.json("deployer", &["warp", "1d"]);
    for name in names {
        sandbox.json(name, &["oracle", "price", "0.5"]);
    }
    assert_eq!(sandbox.json("deployer", &["rewards", "issue"])["epoch"], 0);
    let operator = sandbox.keygen("operator");
    sandbox.json("deployer", &["network", "grant", &operator, "5000"]);
    sandbox.json("operator", &["airdrop", "10"]);
    sandbox.json("operator", &["credits", "buy", "1000", "--yes"]);
    let registered = sandbox.json(
        "operator",
        &[
            "device",
            "simulate",
            "--devices",
            &FLEET_DEVICES.to_string(),
            "--seed",
            FLEET_SEED,
            "--register",
            "--rounds",
            "0",
        ],
    );
    assert_eq!(registered["registered"], FLEET_DEVICES);
    names
}

/// The JSON an oracle node answers at `url` (`null` if it does not).
pub fn get_json(url: &str) -> Value {
    reqwest::blocking::get(url)
        .and_then(|response| response.json())
        .unwrap_or(Value::Null)
}

/// Polls `check` every 50 ms for up to 90 s.
pub fn wait_for(what: &str, mut check: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !check() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(90),
            "waited 90 s for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
