//! Report signature checks per second on this machine: one by one
//! (strict, and the oracles' rule on one report) and batched.
//!
//! ```text
//! cargo bench -p depin-reports --bench verify
//! ```
//!
//! Figures, not assertions.

use {
    depin_reports::{network_id, verify_reports, Payload, Report, SignedReport},
    ed25519_dalek::SigningKey,
    std::time::Instant,
};

fn main() {
    const COUNT: usize = 8_192;
    let network = network_id(&[1; 32], &[2; 32]);
    let reports: Vec<SignedReport> = (0..COUNT)
        .map(|index| {
            let mut seed = [0u8; 32];
            seed[..8].copy_from_slice(&(index as u64 + 1).to_le_bytes());
            Report {
                network,
                device: [0; 32],
                epoch: 1,
                sequence: index as u64,
                timestamp: 1_800_000_000,
                payload: Payload::Heartbeat { cell: None },
            }
            .sign(&SigningKey::from_bytes(&seed))
        })
        .collect();
    let rate = |name: &str, started: Instant| {
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{name:<40} {:>9.0} reports/s ({:.1} µs each)",
            COUNT as f64 / seconds,
            seconds * 1e6 / COUNT as f64
        );
    };
    println!("{COUNT} signed heartbeats, one core:");
    let started = Instant::now();
    for report in &reports {
        report.verify_strict().unwrap();
    }
    rate("verify_strict, one by one", started);
    let started = Instant::now();
    for report in &reports {
        verify_reports(std::slice::from_ref(report)).unwrap();
    }
    rate("verify_reports, one at a time", started);
    for size in [16, 64, 256, 1024] {
        let started = Instant::now();
        for chunk in reports.chunks(size) {
            verify_reports(chunk).unwrap();
        }
        rate(&format!("verify_reports, batches of {size}"), started);
    }
    let started = Instant::now();
    for report in &reports {
        SignedReport::decode(&report.encode()).unwrap();
    }
    rate("encode + decode (no signature check)", started);
}
