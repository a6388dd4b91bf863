//! A load generator for a node's HTTP API: `clients` concurrent senders,
//! each for its share of `devices` simulated devices, post signed reports
//! (`POST /v1/reports`, binary, `reports_per_request` a request) for up
//! to `duration` or until their reports run out; or ask the proof API
//! for claims. Reports are signed before the clock starts, so what is
//! measured is the node, not the devices' signing. Every loop is bounded
//! in count and time.
//!
//! Used by `cargo bench -p depin-oracle --bench load` (figures) and by a
//! short test in CI (correctness under concurrency: every acknowledged
//! report is stored once).

use {
    crate::ingest::DeviceState,
    depin_reports::{Payload, Report, SignedReport},
    ed25519_dalek::SigningKey,
    sha2::{Digest, Sha256},
    std::{
        collections::HashMap,
        time::{Duration, Instant},
    },
};

#[derive(Clone, Debug)]
pub struct LoadPlan {
    pub devices: usize,
    pub clients: usize,
    pub duration: Duration,
    pub reports_per_request: usize,
    /// Reports each device signs ahead (the most it can send).
    pub reports_per_device: usize,
}

impl LoadPlan {
    /// The node's device directory for this plan: every load device active.
    pub fn directory(&self) -> HashMap<[u8; 32], DeviceState> {
        (0..self.devices)
            .map(|index| {
                (
                    load_device_key(index).verifying_key().to_bytes(),
                    DeviceState { active: true },
                )
            })
            .collect()
    }
}

/// What the senders saw.
#[derive(Clone, Debug, Default)]
pub struct LoadReport {
    pub requests: u64,
    pub sent: u64,
    pub accepted: u64,
    pub refused: u64,
    /// Requests that got no answer, or a 5xx.
    pub failed_requests: u64,
    pub elapsed: Duration,
    /// Per request, sorted.
    pub latencies: Vec<Duration>,
    /// The reports answered 202, per client (for checking the store).
    pub acknowledged: Vec<SignedReport>,
}

impl LoadReport {
    pub fn accepted_per_second(&self) -> f64 {
        self.accepted as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }

    /// The latency at `percent` (0..=100) of requests.
    pub fn percentile(&self, percent: usize) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let at = (self.latencies.len() * percent / 100).min(self.latencies.len() - 1);
        self.latencies[at]
    }
}

/// The key of load device `index` (distinct from the simulated fleet's).
pub fn load_device_key(index: usize) -> SigningKey {
    SigningKey::from_bytes(
        &Sha256::new()
            .chain_update(b"depin-load-device-v1")
            .chain_update((index as u64).to_le_bytes())
            .finalize()
            .into(),
    )
}

/// Each device's heartbeats for `epoch`, signed: sequences 1.., one a
/// minute from `start`.
pub fn sign_reports(
    plan: &LoadPlan,
    network: [u8; 32],
    epoch: u64,
    start: i64,
) -> Vec<Vec<SignedReport>> {
    let mut per_client = vec![Vec::new(); plan.clients.max(1)];
    for device in 0..plan.devices {
        let key = load_device_key(device);
        let client = device % plan.clients.max(1);
        for sequence in 1..=plan.reports_per_device as u64 {
            per_client[client].push(
                Report {
                    network,
                    device: [0; 32],
                    epoch,
                    sequence,
                    timestamp: start + sequence as i64 * 60,
                    payload: Payload::Heartbeat { cell: None },
                }
                .sign(&key),
            );
        }
    }
    // Interleave devices so each request carries many of them, in
    // sequence order per device.
    for reports in &mut per_client {
        reports.sort_by_key(|signed| (signed.report.sequence, signed.report.device));
    }
    per_client
}

/// Posts `reports` (one list per client) to `base` concurrently.
pub fn run_ingest_load(base: &str, plan: &LoadPlan, reports: Vec<Vec<SignedReport>>) -> LoadReport {
    let url = format!("{}/v1/reports", base.trim_end_matches('/'));
    let started = Instant::now();
    let deadline = started + plan.duration;
    let parts: Vec<LoadReport> = std::thread::scope(|scope| {
        let senders: Vec<_> = reports
            .into_iter()
            .map(|reports| {
                let url = url.clone();
                scope.spawn(move || {
                    let http = reqwest::blocking::Client::builder()
                        .timeout(Duration::from_secs(30))
                        .build()
                        .expect("an HTTP client");
                    let mut part = LoadReport::default();
                    for chunk in reports.chunks(plan.reports_per_request.max(1)) {
                        if Instant::now() >= deadline {
                            break;
                        }
                        let body: Vec<u8> =
                            chunk.iter().flat_map(|signed| signed.encode()).collect();
                        let sent_at = Instant::now();
                        let answer = http
                            .post(&url)
                            .header("content-type", "application/octet-stream")
                            .body(body)
                            .send()
                            .and_then(|response| {
                                let status = response.status();
                                response
                                    .json::<serde_json::Value>()
                                    .map(|body| (status, body))
                            });
                        part.latencies.push(sent_at.elapsed());
                        part.requests += 1;
                        part.sent += chunk.len() as u64;
                        match answer {
                            Ok((status, body)) if !status.is_server_error() => {
                                let refused: Vec<usize> = body["refused"]
                                    .as_array()
                                    .into_iter()
                                    .flatten()
                                    .filter_map(|refusal| refusal["index"].as_u64())
                                    .map(|index| index as usize)
                                    .collect();
                                part.accepted += body["accepted"].as_u64().unwrap_or(0);
                                part.refused += refused.len() as u64;
                                part.acknowledged.extend(
                                    chunk
                                        .iter()
                                        .enumerate()
                                        .filter(|(index, _)| !refused.contains(index))
                                        .map(|(_, signed)| *signed),
                                );
                            }
                            _ => part.failed_requests += 1,
                        }
                    }
                    part
                })
            })
            .collect();
        senders
            .into_iter()
            .map(|sender| sender.join().expect("a sender"))
            .collect()
    });
    let mut total = LoadReport {
        elapsed: started.elapsed(),
        ..LoadReport::default()
    };
    for part in parts {
        total.requests += part.requests;
        total.sent += part.sent;
        total.accepted += part.accepted;
        total.refused += part.refused;
        total.failed_requests += part.failed_requests;
        total.latencies.extend(part.latencies);
        total.acknowledged.extend(part.acknowledged);
    }
    total.latencies.sort();
    total
}
