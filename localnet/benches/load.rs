//! A bounded load test of `depin localnet` on loopback: K concurrent
//! clients each send M transfers over JSON-RPC (sendTransaction with
//! preflight, as wallets send) and poll each signature until it is
//! confirmed. Prints transactions per second and the send-to-confirmed
//! latency (p50, p99, max); figures, not assertions.
//!
//! ```text
//! cargo bench -p depin-localnet --bench load -- --clients 8 --transactions 250 --slot-ms 400
//! ```
//!
//! Every loop is bounded: M transactions per client, and at most
//! `--seconds` (default 120) for the whole run.

use {
    base64::{engine::general_purpose::STANDARD as BASE64, Engine},
    depin_client::embedded::EmbeddedCluster,
    depin_localnet::{bank::system_transfer, Localnet, LocalnetConfig},
    depin_sdk::{Hash, Keypair, Pubkey, Signer},
    serde_json::{json, Value},
    solana_rpc_client::rpc_client::RpcClient,
    solana_rpc_client_api::request::RpcRequest,
    solana_transaction::{versioned::VersionedTransaction, Transaction},
    std::{
        str::FromStr,
        time::{Duration, Instant},
    },
};

struct Options {
    clients: usize,
    transactions: usize,
    slot_ms: u64,
    seconds: u64,
}

fn options() -> Options {
    let mut options = Options {
        clients: 8,
        transactions: 250,
        slot_ms: 400,
        seconds: 120,
    };
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| arg != "--bench")
        .collect();
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = || -> u64 {
            args.clone()
                .next()
                .and_then(|value| value.parse().ok())
                .unwrap_or_else(|| panic!("{flag} takes a number"))
        };
        match flag.as_str() {
            "--clients" => options.clients = value() as usize,
            "--transactions" => options.transactions = value() as usize,
            "--slot-ms" => options.slot_ms = value(),
            "--seconds" => options.seconds = value(),
            other => panic!(
                "unknown option {other}: --clients K --transactions M --slot-ms MS --seconds S"
            ),
        }
        args.next();
    }
    options
}

fn call(client: &RpcClient, method: &'static str, params: Value) -> Result<Value, String> {
    client
        .send(RpcRequest::Custom { method }, params)
        .map_err(|error| error.to_string())
}

/// One client's run: latencies of its confirmed transactions, and errors.
fn run_client(
    url: &str,
    payer: Keypair,
    recipient: Pubkey,
    count: usize,
    slot_ms: u64,
    deadline: Instant,
) -> (Vec<Duration>, usize) {
    let client = RpcClient::new(url.to_string());
    let mut latencies = Vec::with_capacity(count);
    let mut errors = 0;
    // The blockhash and when to replace it: halfway through its validity,
    // counted in slots (lastValidBlockHeight - the slot it was read at),
    // as a wallet watching the block height does; at any slot length.
    let mut blockhash = Hash::default();
    let mut refresh_at = Instant::now();
    for nth in 0..count {
        if Instant::now() >= deadline {
            break;
        }
        if Instant::now() >= refresh_at {
            let Ok(answer) = call(
                &client,
                "getLatestBlockhash",
                json!([{"commitment": "processed"}]),
            ) else {
                errors += 1;
                continue;
            };
            let hash = answer["value"]["blockhash"]
                .as_str()
                .and_then(|text| Hash::from_str(text).ok());
            let slot = answer["context"]["slot"].as_u64().unwrap_or_default();
            let last_valid = answer["value"]["lastValidBlockHeight"]
                .as_u64()
                .unwrap_or_default();
            let valid_slots = last_valid.saturating_sub(slot);
            blockhash = hash.unwrap_or_default();
            refresh_at = Instant::now() + Duration::from_millis(valid_slots / 2 * slot_ms);
        }
        let transaction = Transaction::new_signed_with_payer(
            &[system_transfer(&payer.pubkey(), &recipient, 1 + nth as u64)],
            Some(&payer.pubkey()),
            &[&payer],
            blockhash,
        );
        let encoded =
            BASE64.encode(bincode::serialize(&VersionedTransaction::from(transaction)).unwrap());
        let started = Instant::now();
        let signature = match call(
            &client,
            "sendTransaction",
            json!([encoded, {"encoding": "base64"}]),
        ) {
            Ok(signature) => signature,
            Err(error) => {
                // A slot clock that ran ahead of the estimate: refresh now.
                if error.contains("Blockhash not found") {
                    refresh_at = Instant::now();
                }
                errors += 1;
                continue;
            }
        };
        loop {
            let answer = call(&client, "getSignatureStatuses", json!([[signature]]));
            let status = answer
                .as_ref()
                .ok()
                .map(|answer| answer["value"][0]["confirmationStatus"].clone());
            if matches!(
                status.as_ref().and_then(Value::as_str),
                Some("confirmed" | "finalized")
            ) {
                latencies.push(started.elapsed());
                break;
            }
            if Instant::now() >= deadline {
                errors += 1;
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    (latencies, errors)
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() - 1) as f64 * fraction).round() as usize;
    sorted[index]
}

fn main() {
    let options = options();
    let deployer = Keypair::new();
    let mut cluster = EmbeddedCluster::with_upgrade_authority(deployer.insecure_clone());
    cluster.warp_to_timestamp(1_800_000_000);
    let payers: Vec<Keypair> = (0..options.clients).map(|_| Keypair::new()).collect();
    let recipient = Pubkey::new_unique();
    for payer in &payers {
        cluster.airdrop(&payer.pubkey(), 100_000_000_000).unwrap();
    }
    cluster.airdrop(&recipient, 1_000_000_000).unwrap();
    let node = Localnet::start(
        cluster,
        LocalnetConfig {
            rpc_port: 0,
            ws_port: 0,
            slot_ms: options.slot_ms,
            save_every: Duration::from_secs(3600),
            ..LocalnetConfig::default()
        },
    )
    .expect("the node starts");
    println!(
        "depin localnet load: {} clients x {} transfers, {} ms slots, at most {} s ({})",
        options.clients, options.transactions, options.slot_ms, options.seconds, node.rpc_url
    );
    let deadline = Instant::now() + Duration::from_secs(options.seconds);
    let started = Instant::now();
    let results: Vec<(Vec<Duration>, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = payers
            .into_iter()
            .map(|payer| {
                let url = node.rpc_url.clone();
                let count = options.transactions;
                let slot_ms = options.slot_ms;
                scope.spawn(move || run_client(&url, payer, recipient, count, slot_ms, deadline))
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap())
            .collect()
    });
    let wall = started.elapsed();
    let errors: usize = results.iter().map(|(_, errors)| errors).sum();
    let mut latencies: Vec<Duration> = results
        .into_iter()
        .flat_map(|(latencies, _)| latencies)
        .collect();
    latencies.sort();
    let confirmed = latencies.len();
    println!(
        "confirmed {confirmed} transactions in {:.1} s: {:.0} tx/s; errors {errors}",
        wall.as_secs_f64(),
        confirmed as f64 / wall.as_secs_f64()
    );
    println!(
        "send -> confirmed latency: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        percentile(&latencies, 0.50).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1000.0
    );
    node.shutdown().unwrap();
}
