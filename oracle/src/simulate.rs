//! Simulated devices: a fleet whose keys come from a seed, each sending a
//! heartbeat and a usage report per heartbeat interval, signed, to every
//! oracle of the network — as `depin device simulate` and the demo run
//! them. Some devices stay offline and some misbehave; every answer is
//! tallied by oracle and refusal code.
//!
//! A device sends the reports of every interval of the open epoch that
//! began since it last sent (a device that was cut off sends what it
//! buffered), so the fleet keeps up whatever the clock does, warps
//! included.

use {
    crate::ingest::EpochClock,
    depin_reports::{Payload, Report, SignedReport},
    ed25519_dalek::SigningKey,
    sha2::{Digest, Sha256},
    std::collections::BTreeMap,
};

/// What a simulated device does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Behavior {
    /// A heartbeat and a usage report each interval.
    Honest,
    /// Sends nothing.
    Offline,
    /// Sends each report twice (the copy must be refused as a replay).
    Replays,
    /// Signs with a key that is not its registered one.
    Forges,
}

pub struct SimulatedDevice {
    pub key: SigningKey,
    pub behavior: Behavior,
    /// The start of the last interval it reported.
    sent_through: Option<i64>,
    /// Where in each interval it reports (seconds after the start).
    phase: i64,
}

impl SimulatedDevice {
    pub fn address(&self) -> [u8; 32] {
        self.key.verifying_key().to_bytes()
    }
}

/// How the fleet is made up.
#[derive(Clone, Debug)]
pub struct FleetPlan {
    pub seed: String,
    pub devices: usize,
    /// Of 100: devices that send nothing.
    pub offline_percent: u8,
    /// Of 100: devices that misbehave (replays and forgeries, alternately).
    pub misbehaving_percent: u8,
    pub heartbeat_interval: i64,
    /// Units each usage report claims (within the class's rate).
    pub usage_units: u64,
}

/// The device key `index` of a fleet seeded with `seed` (so a fleet can
/// be registered by one command and run by another).
pub fn device_key(seed: &str, index: usize) -> SigningKey {
    let digest: [u8; 32] = Sha256::new()
        .chain_update(b"depin-simulated-device-v1")
        .chain_update(seed.as_bytes())
        .chain_update((index as u64).to_le_bytes())
        .finalize()
        .into();
    SigningKey::from_bytes(&digest)
}

/// Which devices do what: the first `offline` are offline, the next
/// `misbehaving` alternate replays and forgeries, the rest are honest.
pub fn behavior_of(plan: &FleetPlan, index: usize) -> Behavior {
    let offline = plan.devices * usize::from(plan.offline_percent) / 100;
    let misbehaving = plan.devices * usize::from(plan.misbehaving_percent) / 100;
    if index < offline {
        Behavior::Offline
    } else if index < offline + misbehaving {
        if (index - offline).is_multiple_of(2) {
            Behavior::Replays
        } else {
            Behavior::Forges
        }
    } else {
        Behavior::Honest
    }
}

/// Answers per oracle: accepted, refused by code, unreachable.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tally {
    pub sent: u64,
    pub accepted: u64,
    pub refused: BTreeMap<String, u64>,
    pub failed_requests: u64,
}

pub struct Fleet {
    pub plan: FleetPlan,
    pub devices: Vec<SimulatedDevice>,
    network: [u8; 32],
    epochs: EpochClock,
    http: reqwest::blocking::Client,
}

impl Fleet {
    pub fn new(plan: FleetPlan, network: [u8; 32], epochs: EpochClock) -> Self {
        let devices = (0..plan.devices)
            .map(|index| SimulatedDevice {
                key: device_key(&plan.seed, index),
                behavior: behavior_of(&plan, index),
                sent_through: None,
                phase: (index as i64 * 7) % plan.heartbeat_interval.max(1),
            })
            .collect();
        Self {
            plan,
            devices,
            network,
            epochs,
            http: reqwest::blocking::Client::builder()
                .timeout(std::time::Duration::from_secs(30))
                .build()
                .expect("an HTTP client"),
        }
    }

    /// The reports due at `now`: for each device, each interval of the
    /// open epoch that began since its last report and whose report time
    /// has come.
    pub fn due(&mut self, now: i64) -> Vec<SignedReport> {
        let Some(epoch) = self.epochs.epoch_at(now) else {
            return Vec::new();
        };
        let start = self.epochs.start(epoch);
        let interval = self.plan.heartbeat_interval.max(1);
        let mut reports = Vec::new();
        for device in &mut self.devices {
            let mut at = match device.sent_through {
                Some(last) if last >= start => last + interval,
                _ => start,
            };
            while at + device.phase <= now && at < start + self.epochs.length {
                device.sent_through = Some(at);
                let timestamp = at + device.phase;
                if device.behavior == Behavior::Offline {
                    at += interval;
                    continue;
                }
                let signer = match device.behavior {
                    // Its reports say its key, signed by another.
                    Behavior::Forges => {
                        SigningKey::from_bytes(&Sha256::digest(device.key.to_bytes()).into())
                    }
                    _ => device.key.clone(),
                };
                let device_key = device.key.verifying_key().to_bytes();
                let report = |sequence: u64, payload: Payload| {
                    let mut signed = Report {
                        network: self.network,
                        device: device_key,
                        epoch,
                        sequence,
                        timestamp,
                        payload,
                    }
                    .sign(&signer);
                    // `sign` writes the signer's key: keep the claimed one.
                    signed.report.device = device_key;
                    signed
                };
                let sequence = (timestamp as u64) * 4;
                let heartbeat = report(sequence, Payload::Heartbeat { cell: None });
                let usage = report(
                    sequence + 1,
                    Payload::Usage {
                        units: self.plan.usage_units,
                        interval_seconds: interval as u32,
                    },
                );
                reports.extend([heartbeat, usage]);
                if device.behavior == Behavior::Replays {
                    reports.extend([heartbeat, usage]);
                }
                at += interval;
            }
        }
        reports
    }

    /// Sends `reports` to every oracle (binary, up to 1,000 a request;
    /// the oracles in parallel) and tallies the answers by oracle.
    pub fn send(&self, reports: &[SignedReport], oracles: &[String]) -> BTreeMap<String, Tally> {
        // Replays go in the next request after their original.
        let (firsts, copies) = split_copies(reports);
        std::thread::scope(|scope| {
            let sending: Vec<_> = oracles
                .iter()
                .map(|oracle| {
                    let (firsts, copies) = (&firsts, &copies);
                    scope.spawn(move || (oracle.clone(), self.send_to(oracle, [firsts, copies])))
                })
                .collect();
            sending
                .into_iter()
                .map(|thread| thread.join().expect("a sending thread"))
                .collect()
        })
    }

    fn send_to(&self, oracle: &str, parts: [&Vec<SignedReport>; 2]) -> Tally {
        let mut tally = Tally::default();
        let url = format!("{}/v1/reports", oracle.trim_end_matches('/'));
        for part in parts {
            for chunk in part.chunks(crate::server::MAX_REPORTS_PER_REQUEST) {
                tally.sent += chunk.len() as u64;
                let body: Vec<u8> = chunk.iter().flat_map(|signed| signed.encode()).collect();
                let answer = self
                    .http
                    .post(&url)
                    .header("content-type", "application/octet-stream")
                    .body(body)
                    .send()
                    .and_then(|response| response.json::<serde_json::Value>());
                match answer {
                    Ok(body) => {
                        tally.accepted += body["accepted"].as_u64().unwrap_or(0);
                        for refusal in body["refused"].as_array().into_iter().flatten() {
                            let code = refusal["error"].as_str().unwrap_or("unknown").to_string();
                            *tally.refused.entry(code).or_default() += 1;
                        }
                    }
                    Err(_) => tally.failed_requests += 1,
                }
            }
        }
        tally
    }
}

/// The reports in order with repeated ones moved to a second list.
fn split_copies(reports: &[SignedReport]) -> (Vec<SignedReport>, Vec<SignedReport>) {
    let mut seen = std::collections::HashSet::new();
    let (mut firsts, mut copies) = (Vec::new(), Vec::new());
    for signed in reports {
        if seen.insert((signed.report.device, signed.report.sequence)) {
            firsts.push(*signed);
        } else {
            copies.push(*signed);
        }
    }
    (firsts, copies)
}
