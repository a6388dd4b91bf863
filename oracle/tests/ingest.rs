//! The ingest over real HTTP: what is accepted is stored durably, every
//! bad report is refused with its reason and nothing of it is stored.

use {
    depin_oracle::{
        ingest::{DeviceState, EpochClock, Ingest, IngestRules},
        server::{serve_on_loopback, AppState, MAX_BODY_BYTES},
        store::{ReportStore, SqliteStore},
    },
    depin_reports::{json::ReportJson, network_id, Payload, Report, SignedReport},
    ed25519_dalek::SigningKey,
    serde_json::Value,
    std::{
        collections::HashMap,
        io::{Read, Write},
        path::PathBuf,
        sync::{
            atomic::{AtomicI64, Ordering},
            Arc,
        },
    },
};

const GENESIS: i64 = 1_800_000_000;
const DAY: i64 = 86_400;
const SKEW: i64 = 300;
const LIMIT: u32 = 30;

fn network() -> [u8; 32] {
    network_id(&[1; 32], &[2; 32])
}

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

struct Node {
    url: String,
    store: Arc<SqliteStore>,
    now: Arc<AtomicI64>,
    directory: PathBuf,
    _runtime: tokio::runtime::Runtime,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.directory);
    }
}

/// A node whose clock is in epoch 3; devices 1..=5 are active, 6 is
/// suspended, others unregistered.
fn node(name: &str) -> Node {
    let directory =
        std::env::temp_dir().join(format!("depin-oracle-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap();
    let store = Arc::new(SqliteStore::open(&directory.join("reports.db")).unwrap());
    let mut devices = HashMap::new();
    for seed in 1..=5u8 {
        devices.insert(
            key(seed).verifying_key().to_bytes(),
            DeviceState { active: true },
        );
    }
    devices.insert(
        key(6).verifying_key().to_bytes(),
        DeviceState { active: false },
    );
    let rules = IngestRules {
        network: network(),
        epochs: EpochClock {
            genesis: GENESIS,
            length: DAY,
        },
        clock_skew: SKEW,
        max_reports_per_device_per_epoch: LIMIT,
    };
    let ingest = Arc::new(Ingest::new(rules, Arc::new(devices), store.clone()));
    let now = Arc::new(AtomicI64::new(GENESIS + 3 * DAY + 3600));
    let clock_now = now.clone();
    let state = AppState::ingest_only(ingest, Arc::new(move || clock_now.load(Ordering::SeqCst)));
    let (runtime, base) = serve_on_loopback(state).unwrap();
    let url = base.trim_start_matches("http://").to_string();
    Node {
        url,
        store,
        now,
        directory,
        _runtime: runtime,
    }
}

fn report(seed: u8, sequence: u64, epoch: u64, offset: i64, payload: Payload) -> SignedReport {
    Report {
        network: network(),
        device: [0; 32],
        epoch,
        sequence,
        timestamp: GENESIS + epoch as i64 * DAY + offset,
        payload,
    }
    .sign(&key(seed))
}

fn heartbeat(seed: u8, sequence: u64) -> SignedReport {
    report(seed, sequence, 3, 60, Payload::Heartbeat { cell: None })
}

/// POSTs `body`; the status and the JSON answer.
fn post(node: &Node, content_type: &str, body: &[u8]) -> (u16, Value) {
    let mut stream = std::net::TcpStream::connect(&node.url).unwrap();
    write!(
        stream,
        "POST /v1/reports HTTP/1.1\r\nHost: {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        node.url,
        body.len()
    )
    .unwrap();
    let _ = stream.write_all(body);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).to_string();
    let status = answer[9..12].parse().unwrap();
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

fn binary(node: &Node, reports: &[SignedReport]) -> (u16, Value) {
    let body: Vec<u8> = reports.iter().flat_map(|report| report.encode()).collect();
    post(node, "application/octet-stream", &body)
}

fn stored(node: &Node) -> u64 {
    node.store.count(3).unwrap() + node.store.count(2).unwrap()
}

#[test]
fn an_accepted_report_is_stored_before_the_answer() {
    let node = node("accept");
    let (status, body) = binary(&node, &[heartbeat(1, 1)]);
    assert_eq!(
        (status, body["accepted"].as_u64()),
        (202, Some(1)),
        "{body}"
    );
    assert_eq!(node.store.epoch_reports(3).unwrap(), vec![heartbeat(1, 1)]);
    // The JSON form, one object or an array.
    let json = serde_json::to_vec(&ReportJson::from(&heartbeat(1, 2))).unwrap();
    assert_eq!(post(&node, "application/json", &json).0, 202);
    let array = serde_json::to_vec(&vec![
        ReportJson::from(&heartbeat(2, 1)),
        ReportJson::from(&report(
            2,
            2,
            3,
            120,
            Payload::Usage {
                units: 10,
                interval_seconds: 60,
            },
        )),
    ])
    .unwrap();
    assert_eq!(post(&node, "application/json", &array).0, 202);
    assert_eq!(stored(&node), 4);
    // Durable: a store opened afresh on the same file has them.
    let reopened = SqliteStore::open(&node.directory.join("reports.db")).unwrap();
    assert_eq!(reopened.epoch_reports(3).unwrap().len(), 4);
}

#[test]
fn every_bad_report_is_refused_with_its_reason_and_not_stored() {
    let node = node("refuse");
    assert_eq!(binary(&node, &[heartbeat(1, 10)]).0, 202);
    let before = stored(&node);
    let refused = |reports: &[SignedReport], status: u16, code: &str| {
        let (got, body) = binary(&node, reports);
        assert_eq!(
            (got, body["error"].as_str()),
            (status, Some(code)),
            "{body}"
        );
        assert!(body["message"]
            .as_str()
            .is_some_and(|text| !text.is_empty()));
    };
    let mut forged = heartbeat(1, 11);
    forged.signature[0] ^= 1;
    refused(&[forged], 403, "bad_signature");
    let mut other_network = heartbeat(1, 12);
    other_network.report.network = network_id(&[1; 32], &[3; 32]);
    refused(&[other_network], 422, "other_network");
    refused(
        &[report(1, 13, 2, 60, Payload::Heartbeat { cell: None })],
        422,
        "wrong_epoch",
    );
    refused(
        &[report(1, 14, 4, 60, Payload::Heartbeat { cell: None })],
        422,
        "wrong_epoch",
    );
    refused(
        &[report(1, 15, 3, -5, Payload::Heartbeat { cell: None })],
        422,
        "outside_epoch",
    );
    refused(
        &[report(
            1,
            16,
            3,
            3600 + SKEW + 1,
            Payload::Heartbeat { cell: None },
        )],
        422,
        "future_timestamp",
    );
    refused(&[heartbeat(9, 1)], 403, "unregistered_device");
    refused(&[heartbeat(6, 1)], 403, "suspended_device");
    refused(&[heartbeat(1, 10)], 409, "replay");
    refused(&[heartbeat(1, 9)], 409, "replay");
    refused(&[heartbeat(1, u64::MAX)], 400, "out_of_range");
    // Malformed bodies: nothing of them is stored.
    let mut bytes = heartbeat(1, 20).encode().to_vec();
    let (status, body) = post(&node, "application/octet-stream", &bytes[..169]);
    assert_eq!((status, body["error"].as_str()), (400, Some("malformed")));
    bytes.extend(heartbeat(1, 21).encode());
    bytes[170] = 9; // the second report's version
    let (status, body) = post(&node, "application/octet-stream", &bytes);
    assert_eq!(status, 400, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("report 1"),
        "{body}"
    );
    assert_eq!(post(&node, "application/json", b"{not json").0, 400);
    assert_eq!(post(&node, "application/json", br#"{"version": 1}"#).0, 400);
    assert_eq!(post(&node, "text/plain", &heartbeat(1, 22).encode()).0, 400);
    let (status, body) = post(&node, "application/octet-stream", &[]);
    assert_eq!(status, 400, "{body}");
    assert_eq!(stored(&node), before, "refused reports were stored");
    // Over the size limits.
    let oversize = vec![0u8; MAX_BODY_BYTES + 170];
    assert_eq!(post(&node, "application/octet-stream", &oversize).0, 413);
    let too_many: Vec<SignedReport> = (0..1001).map(|index| heartbeat(2, 100 + index)).collect();
    let (status, body) = binary(&node, &too_many);
    assert_eq!(status, 400, "{body}");
    assert_eq!(stored(&node), before);
}

#[test]
fn a_batch_takes_the_good_and_names_the_bad() {
    let node = node("batch");
    let mut forged = heartbeat(2, 2);
    forged.signature[10] ^= 4;
    let (status, body) = binary(
        &node,
        &[heartbeat(2, 1), forged, heartbeat(2, 3), heartbeat(2, 3)],
    );
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["accepted"], 2);
    let refused = body["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 2);
    assert_eq!(
        (refused[0]["index"].as_u64(), refused[0]["error"].as_str()),
        (Some(1), Some("bad_signature"))
    );
    assert_eq!(
        (refused[1]["index"].as_u64(), refused[1]["error"].as_str()),
        (Some(3), Some("replay"))
    );
    assert_eq!(node.store.count(3).unwrap(), 2);
}

#[test]
fn a_flood_from_one_device_is_cut_at_the_limit() {
    let node = node("flood");
    let flood: Vec<SignedReport> = (1..=LIMIT as u64 + 5)
        .map(|sequence| heartbeat(3, sequence))
        .collect();
    let (status, body) = binary(&node, &flood);
    assert_eq!(status, 202);
    assert_eq!(body["accepted"], LIMIT);
    let refused = body["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 5);
    assert!(refused
        .iter()
        .all(|refusal| refusal["error"] == "rate_limited"));
    // Other devices are not affected.
    assert_eq!(binary(&node, &[heartbeat(4, 1)]).0, 202);
}

#[test]
fn the_previous_epoch_is_open_for_the_skew_after_it_ends() {
    let node = node("skew");
    node.now
        .store(GENESIS + 3 * DAY + SKEW - 1, Ordering::SeqCst);
    let late = report(5, 1, 2, DAY - 10, Payload::Heartbeat { cell: None });
    assert_eq!(binary(&node, &[late]).0, 202);
    node.now.store(GENESIS + 3 * DAY + SKEW, Ordering::SeqCst);
    let too_late = report(5, 2, 2, DAY - 5, Payload::Heartbeat { cell: None });
    assert_eq!(binary(&node, &[too_late]).1["error"], "wrong_epoch");
    assert_eq!(node.store.count(2).unwrap(), 1);
}
