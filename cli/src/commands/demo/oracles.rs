//! The demo's oracle network, as a real one runs: one node per oracle
//! (the code of `depin oracle serve`, in this process on loopback ports,
//! over the demo's shared runtime), and the simulated fleet signing a
//! heartbeat and a usage report per interval and sending them to every
//! node. Some devices stay offline, some replay their reports, some sign
//! with a key that is not theirs; the demo checks each epoch's batch
//! against a model of the rule written here and shows what each kind of
//! device earned.

use {
    super::setup::Demo,
    anyhow::{anyhow, ensure, Context, Result},
    depin_client::{backend::Backend, shared::SharedCluster, Client},
    depin_oracle::{
        consensus::CloseSchedule,
        ingest::EpochClock,
        node::{start, NodeSettings, RunningNode},
        simulate::{Behavior, Fleet, FleetPlan},
        store::{ReportStore, SqliteStore},
    },
    depin_reports::rule::{ClassParams, RuleParams},
    depin_sdk::{
        accounts::{BatchStatus, EpochBatch},
        batch::BatchFile,
        Keypair,
    },
    std::{
        collections::{BTreeMap, HashMap},
        path::PathBuf,
        sync::Arc,
        time::{Duration, Instant},
    },
};

/// Four report intervals a day: a heartbeat and a usage report each.
const HEARTBEAT_INTERVAL: i64 = 21_600;
/// Units each usage report claims.
const USAGE_UNITS: u64 = 500;
/// Of 100 devices: offline all along, and misbehaving (half replay,
/// half forge).
const OFFLINE_PERCENT: u8 = 10;
const MISBEHAVING_PERCENT: u8 = 10;
/// The rule's split of each epoch's device pool: uptime, then usage.
const UPTIME_SHARE_BPS: u16 = 6_000;
/// The nodes wait this long after an epoch ends before closing it.
const GRACE_SECONDS: i64 = 120;
/// How long the demo waits for the nodes to make a batch final: a
/// follower's check grows with the reports (minutes at a million devices).
fn finality_wait(devices: usize) -> Duration {
    Duration::from_secs(120) + Duration::from_millis(2) * devices as u32
}

/// What each kind of device did and earned over the run.
#[derive(Default)]
pub(super) struct BehaviorLedger {
    /// Per behavior: devices, reports sent to each node, refused by the
    /// nodes (each node refuses the same ones), tokens earned.
    pub(super) rows: BTreeMap<Behavior, BehaviorRow>,
    /// Refusals by the nodes' code (all nodes agree, checked).
    pub(super) refused: BTreeMap<String, u64>,
    pub(super) accepted: u64,
}

#[derive(Default, Clone)]
pub(super) struct BehaviorRow {
    pub(super) devices: u64,
    pub(super) sent: u64,
    pub(super) earned: u64,
}

pub(super) struct OracleNetwork {
    nodes: Vec<RunningNode>,
    urls: Vec<String>,
    fleet: Fleet,
    behaviors: HashMap<[u8; 32], Behavior>,
    directory: PathBuf,
    pub(super) rule: RuleParams,
    pub(super) ledger: BehaviorLedger,
}

impl Drop for OracleNetwork {
    fn drop(&mut self) {
        for node in self.nodes.drain(..) {
            node.stop();
        }
        let _ = std::fs::remove_dir_all(&self.directory);
    }
}

/// The demo's reward rule: every class weighs the same, so every device
/// that reported the whole epoch earns the same amount.
fn demo_rule(classes: usize) -> RuleParams {
    let class = ClassParams {
        uptime_weight: 1,
        usage_weight: 1,
        max_units_per_second: 1_000,
        cap_per_epoch: u64::MAX,
    };
    RuleParams {
        version: 1,
        heartbeat_interval_seconds: HEARTBEAT_INTERVAL as u32,
        uptime_share_bps: UPTIME_SHARE_BPS,
        classes: vec![class; classes],
    }
}

impl OracleNetwork {
    /// The nodes' proof API (any node: each serves every final batch).
    pub(super) fn urls(&self) -> &[String] {
        &self.urls
    }

    /// What the nodes said about epoch `epoch`, for an error message.
    fn records(&self, epoch: u64) -> String {
        self.urls
            .iter()
            .map(|url| {
                let answer = reqwest::blocking::get(format!("{url}/v1/epochs/{epoch}"))
                    .and_then(|response| response.text())
                    .unwrap_or_else(|error| error.to_string());
                format!("{url}: {answer}")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Demo {
    /// One node per oracle, each with its own report store and data
    /// directory, and the fleet of `devices` simulated devices (the keys
    /// onboarding registered).
    pub(super) fn start_oracle_nodes(&self, devices: usize) -> Result<OracleNetwork> {
        let directory =
            std::env::temp_dir().join(format!("depin-demo-{}-oracles", std::process::id()));
        let _ = std::fs::remove_dir_all(&directory);
        std::fs::create_dir_all(&directory)
            .with_context(|| format!("creating {}", directory.display()))?;
        let classes = self.authority.registry_config()?.classes.len();
        let rule = demo_rule(classes);
        let mut nodes = Vec::with_capacity(self.oracle_keys.len());
        for (index, key) in self.oracle_keys.iter().enumerate() {
            let home = directory.join(format!("oracle-{index}"));
            std::fs::create_dir_all(&home)?;
            let store: Arc<dyn ReportStore> = Arc::new(
                SqliteStore::open(&home.join("reports.db"))
                    .map_err(|error| anyhow!("opening oracle {index}'s report store: {error}"))?,
            );
            let settings = NodeSettings {
                rule: rule.clone(),
                schedule: CloseSchedule {
                    grace: GRACE_SECONDS,
                    deadline: 600,
                },
                clock_skew: 60,
                max_reports_per_device_per_epoch: 100,
                missing_report_tolerance: 0,
                data_dir: home.join("data"),
                listen: "127.0.0.1:0".parse().expect("an address"),
                public_url: None,
                tick: Duration::from_millis(20),
                directory_refresh: Duration::from_secs(3_600),
                api_requests_per_second: 10_000,
                api_burst: 10_000,
                quiet: true,
            };
            let (backend, clock): (SharedCluster, SharedCluster) =
                (self.cluster.clone(), self.cluster.clone());
            let node = start(
                settings,
                key.insecure_clone(),
                Arc::new(move || Ok(Box::new(backend.clone()) as Box<dyn Backend>)),
                store,
                // The nodes read the runtime's clock, which the demo warps.
                Some(Arc::new(move || clock.lock().clock().unix_timestamp)),
            )
            .map_err(|error| anyhow!("starting oracle {index}'s node: {error}"))?;
            nodes.push(node);
        }
        let reader = Client::new(Box::new(self.cluster.clone()), Keypair::new());
        let config = reader.oracle_config()?;
        let plan = FleetPlan {
            seed: self.fleet_seed.clone(),
            devices,
            offline_percent: OFFLINE_PERCENT,
            misbehaving_percent: MISBEHAVING_PERCENT,
            heartbeat_interval: HEARTBEAT_INTERVAL,
            usage_units: USAGE_UNITS,
        };
        let fleet = Fleet::new(
            plan,
            reader.network_id()?,
            EpochClock {
                genesis: config.genesis_timestamp,
                length: config.epoch_length,
            },
        );
        let behaviors: HashMap<[u8; 32], Behavior> = fleet
            .devices
            .iter()
            .map(|device| (device.address(), device.behavior))
            .collect();
        let mut ledger = BehaviorLedger::default();
        for behavior in behaviors.values() {
            ledger.rows.entry(*behavior).or_default().devices += 1;
        }
        Ok(OracleNetwork {
            urls: nodes.iter().map(|node| node.public_url.clone()).collect(),
            nodes,
            fleet,
            behaviors,
            directory,
            rule,
            ledger,
        })
    }

    /// The fleet reports epoch `epoch`: a second before it ends, each
    /// device sends what it has not sent of the epoch (every interval),
    /// to every node. Every node must accept and refuse the same reports.
    pub(super) fn report_epoch(&mut self, network: &mut OracleNetwork, epoch: u64) -> Result<()> {
        let end = self
            .oracle_config
            .epoch_end(epoch)
            .map_err(|error| anyhow!("the end of epoch {epoch}: {error}"))?;
        let now = self.chain().clock()?.unix_timestamp;
        self.authority.warp(end - 1 - now)?;
        let due = network.fleet.due(end - 1);
        for signed in &due {
            let behavior = network.behaviors[&signed.report.device];
            network.ledger.rows.entry(behavior).or_default().sent += 1;
        }
        let tallies = network.fleet.send(&due, &network.urls);
        let mut answers = tallies.values();
        let first = answers.next().context("no oracle node")?.clone();
        ensure!(
            first.failed_requests == 0,
            "requests to an oracle node failed: {tallies:?}"
        );
        for tally in answers {
            ensure!(
                tally.accepted == first.accepted && tally.refused == first.refused,
                "the oracle nodes answered the same reports differently: {tallies:?}"
            );
        }
        network.ledger.accepted += first.accepted;
        for (code, count) in first.refused {
            *network.ledger.refused.entry(code).or_default() += count;
        }
        Ok(())
    }

    /// Past the grace period the nodes close `epoch`: the leader builds the
    /// batch from its reports and votes, the followers recompute it from
    /// its evidence and vote; returns the batch once final, the file
    /// downloaded from the leader's vote and checked against the chain.
    pub(super) fn close_epoch(
        &mut self,
        network: &OracleNetwork,
        epoch: u64,
    ) -> Result<(EpochBatch, BatchFile)> {
        self.warp_past_epoch(epoch, GRACE_SECONDS + 1)?;
        let started = Instant::now();
        let batch = loop {
            if let Some(batch) = self.authority.epoch_batch(epoch)? {
                if batch.status == BatchStatus::Final {
                    break batch;
                }
            }
            let wait = finality_wait(network.behaviors.len());
            ensure!(
                started.elapsed() < wait,
                "epoch {epoch}'s batch is not final after {} s; the nodes say:\n{}",
                wait.as_secs(),
                network.records(epoch)
            );
            std::thread::sleep(Duration::from_millis(10));
        };
        let uri = &batch
            .votes
            .iter()
            .find(|vote| vote.commitment == batch.commitment)
            .context("a final batch without a vote for it")?
            .uri;
        let bytes = reqwest::blocking::get(uri)
            .and_then(|response| response.error_for_status())
            .and_then(|response| response.bytes())
            .with_context(|| format!("downloading epoch {epoch}'s proof data from {uri}"))?;
        let file = BatchFile::from_bytes(&bytes)
            .map_err(|error| anyhow!("epoch {epoch}'s proof data at {uri}: {error}"))?;
        ensure!(
            file.commitment() == batch.commitment,
            "the proof data at {uri} is not the batch final on chain"
        );
        Ok((batch, file))
    }

    /// Each device's amount in `file` against the rule, modelled here: the
    /// devices that reported the whole epoch (honest ones, and replayers,
    /// whose copies were refused) share the uptime part and the usage part
    /// equally, rounded down; offline and forging devices get nothing.
    pub(super) fn check_against_model(
        &self,
        network: &mut OracleNetwork,
        file: &BatchFile,
        pool: u64,
    ) -> Result<()> {
        let earning = network
            .behaviors
            .values()
            .filter(|behavior| matches!(behavior, Behavior::Honest | Behavior::Replays))
            .count() as u64;
        let uptime_part = pool * u64::from(UPTIME_SHARE_BPS) / 10_000;
        let each = uptime_part / earning.max(1) + (pool - uptime_part) / earning.max(1);
        let mut paid: HashMap<[u8; 32], u64> = HashMap::new();
        for line in file.devices() {
            *paid.entry(line.device_key.to_bytes()).or_default() += line.amount;
        }
        for (device, behavior) in &network.behaviors {
            let amount = paid.get(device).copied().unwrap_or(0);
            let expected = match behavior {
                Behavior::Honest | Behavior::Replays => each,
                Behavior::Offline | Behavior::Forges => 0,
            };
            ensure!(
                amount == expected,
                "a {behavior:?} device earned {amount} in epoch {}, the rule gives {expected}",
                file.epoch()
            );
            network.ledger.rows.entry(*behavior).or_default().earned += amount;
        }
        Ok(())
    }
}
