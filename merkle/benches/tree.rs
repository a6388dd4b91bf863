//! Builds the tree and every proof for 1,000,000 leaves (or the count given
//! as the first argument) and prints the figures. Run with
//! `cargo bench -p depin-merkle`.

use {
    depin_merkle::{proof_len, verify, Hashing, Leaf, MerkleSumTree, PROOF_NODE_BYTES},
    std::time::Instant,
};

/// Best of five builds, `hashing`'s way.
fn best_build(leaves: &[Leaf], hashing: Hashing) -> (f64, f64, MerkleSumTree) {
    let mut builds = Vec::new();
    let mut tree = None;
    for _ in 0..5 {
        let started = Instant::now();
        tree = Some(MerkleSumTree::build_using(leaves, hashing).expect("tree builds"));
        builds.push(started.elapsed().as_secs_f64());
    }
    builds.sort_by(f64::total_cmp);
    (
        builds[0],
        builds[builds.len() / 2],
        tree.expect("built at least once"),
    )
}

/// Seconds per SHA-256 block compression on this CPU, the fastest the
/// `sha2` crate does it (its SHA extensions where the CPU has them): the
/// floor a tree build is measured against.
fn seconds_per_block() -> f64 {
    let blocks: Vec<[u8; 64]> = (0..1_000_000u32)
        .map(|index| {
            let mut block = [7u8; 64];
            block[..4].copy_from_slice(&index.to_le_bytes());
            block
        })
        .collect();
    let blocks: Vec<sha2::digest::generic_array::GenericArray<u8, _>> =
        blocks.iter().map(|block| (*block).into()).collect();
    let mut best = f64::MAX;
    for _ in 0..3 {
        let mut state = [0x6a09_e667u32; 8];
        let started = Instant::now();
        sha2::compress256(&mut state, &blocks);
        std::hint::black_box(state);
        best = best.min(started.elapsed().as_secs_f64() / blocks.len() as f64);
    }
    best
}

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
    // several builds, each way this CPU can hash (the library picks the
    // faster by timing both once).
    let fastest = Hashing::fastest();
    let (best, median, tree) = best_build(&leaves, fastest);
    // A leaf is one SHA-256 block, a parent two (81-byte preimage): the
    // tree's floor is that many blocks at the single-message rate.
    let blocks = u64::from(leaf_count) + 2 * u64::from(leaf_count - 1);
    let floor = blocks as f64 * seconds_per_block();
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
        "  build tree           {best:.3} s best, {median:.3} s median of 5 (hashing: {})",
        fastest.describe()
    );
    println!(
        "  SHA-256 floor        {floor:.3} s ({blocks} blocks at {:.1} M blocks/s); build = {:.2} x floor",
        1e-6 / (floor / blocks as f64),
        best / floor
    );
    for other in [Hashing::OneAtATime, Hashing::EightLanes] {
        if other != fastest && other.available() {
            let (other_best, _, other_tree) = best_build(&leaves, other);
            assert_eq!(
                other_tree.root(),
                tree.root(),
                "every way gives the same root"
            );
            println!(
                "  the other way        {other_best:.3} s best ({}): {:.2} x the chosen one",
                other.describe(),
                other_best / best
            );
        }
    }
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
