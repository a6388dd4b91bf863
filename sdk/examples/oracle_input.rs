//! What an oracle does with an epoch's input before any chain read: parse
//! one `device,amount` line per device and build the batch (wallet totals,
//! the Merkle-sum tree, the per-device detail). Prints the figures for
//! 1,000,000 lines (or the count given):
//!
//! ```text
//! cargo run --release -p depin-sdk --example oracle_input -- 1000000
//! ```

use {
    depin_sdk::{
        batch::{BatchFile, DeviceReward},
        proofs::{parse_device_proofs, ProofFormat},
        Pubkey,
    },
    std::time::Instant,
};

fn main() {
    let count: u64 = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(1_000_000);
    let devices: Vec<Pubkey> = (0..count).map(|_| Pubkey::new_unique()).collect();
    // One wallet per ten devices, as in the demo.
    let wallets: Vec<Pubkey> = (0..count.div_ceil(10))
        .map(|_| Pubkey::new_unique())
        .collect();
    let csv: String = devices
        .iter()
        .enumerate()
        .map(|(index, device)| format!("{device},{}\n", 1 + index % 1_000))
        .collect();
    let mut best = (f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..3 {
        let started = Instant::now();
        let proofs = parse_device_proofs(&csv, ProofFormat::Csv).expect("valid input");
        let parse = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let rewards: Vec<DeviceReward> = proofs
            .iter()
            .enumerate()
            .map(|(index, proof)| DeviceReward {
                device_key: proof.device_key,
                serial: index as u64,
                amount: proof.amount,
                recipient: wallets[index % wallets.len()],
            })
            .collect();
        let batch = BatchFile::build(1, None, rewards).expect("a batch");
        let build = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let commitment = batch.commitment();
        let hash = started.elapsed().as_secs_f64();
        std::hint::black_box(commitment);
        best = (best.0.min(parse), best.1.min(build), best.2.min(hash));
    }
    println!(
        "{count} lines, {} wallets: parse {:.3} s + build {:.3} s = {:.3} s (best of 3); the file's hash {:.3} s",
        wallets.len(),
        best.0,
        best.1,
        best.0 + best.1,
        best.2
    );
}
