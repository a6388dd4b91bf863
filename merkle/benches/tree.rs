//! Builds the tree and every proof for 1,000,000 leaves (or the count given
//! as the first argument) and prints the figures. Run with
//! `cargo bench -p depin-merkle`.

use {
    depin_merkle::{proof_len, verify, Leaf, MerkleSumTree, PROOF_NODE_BYTES},
    std::time::Instant,
};

fn main() {
    let leaf_count: u32 = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(1_000_000);
    let leaves: Vec<Leaf> = (0..leaf_count)
        .map(|index| {
            let mut recipient = [0u8; 32];
            recipient[..4].copy_from_slice(&index.to_le_bytes());
            recipient[4..12].copy_from_slice(
                &u64::from(index)
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                    .to_le_bytes(),
            );
            Leaf {
                recipient,
                amount: 1_000 + u64::from(index % 977) * 13,
            }
        })
        .collect();

    // This machine's timings are noisy: report the best and the median of
    // several builds.
    let mut builds = Vec::new();
    let mut tree = None;
    for _ in 0..5 {
        let started = Instant::now();
        tree = Some(MerkleSumTree::build(&leaves).expect("tree builds"));
        builds.push(started.elapsed().as_secs_f64());
    }
    let tree = tree.expect("built at least once");
    builds.sort_by(f64::total_cmp);

    let started = Instant::now();
    let mut proof_bytes = 0usize;
    let mut longest = 0usize;
    for index in 0..leaf_count {
        let proof = tree.proof(index).expect("index in range");
        proof_bytes += proof.len() * PROOF_NODE_BYTES;
        longest = longest.max(proof.len());
    }
    let proofs = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let root = tree.root();
    let sample: Vec<u32> = (0..leaf_count).step_by(97).collect();
    for index in &sample {
        let proof = tree.proof(*index).unwrap();
        verify(&leaves[*index as usize], *index, leaf_count, &proof, &root).expect("verifies");
    }
    let verify_each = started.elapsed().as_secs_f64() / sample.len() as f64;

    println!("merkle-sum tree, {leaf_count} leaves (one thread)");
    println!(
        "  build tree           {:.3} s best, {:.3} s median of {} (batched SHA-256: {})",
        builds[0],
        builds[builds.len() / 2],
        builds.len(),
        if std::is_x86_feature_detected!("avx2") {
            "AVX2, 8 lanes"
        } else {
            "off, scalar"
        }
    );
    println!("  all proofs           {proofs:.3} s");
    println!("  verify one proof     {:.1} µs", verify_each * 1e6);
    println!(
        "  bytes per proof      {:.1} average, {} at most ({} entries x {} bytes)",
        proof_bytes as f64 / f64::from(leaf_count),
        longest * PROOF_NODE_BYTES,
        longest,
        PROOF_NODE_BYTES
    );
    println!(
        "  deepest path         {} entries",
        proof_len(0, leaf_count)
    );
    println!("  root total           {}", root.sum);
}
