use {depin_merkle::*, proptest::prelude::*};

fn leaves_strategy(max: usize) -> impl Strategy<Value = Vec<Leaf>> {
    prop::collection::vec((any::<[u8; 32]>(), 0u64..1_000_000_000_000), 1..max).prop_map(|raw| {
        raw.into_iter()
            .map(|(recipient, amount)| Leaf { recipient, amount })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_leaf_verifies_and_sums_add_up(leaves in leaves_strategy(300)) {
        let tree = MerkleSumTree::build(&leaves).unwrap();
        let root = tree.root();
        let count = tree.leaf_count();
        prop_assert_eq!(root.sum, leaves.iter().map(|leaf| leaf.amount).sum::<u64>());
        let depth = u32::BITS - (count - 1).leading_zeros();
        for (index, leaf) in leaves.iter().enumerate() {
            let index = index as u32;
            let proof = tree.proof(index).unwrap();
            prop_assert_eq!(proof.len(), proof_len(index, count));
            prop_assert!(proof.len() <= depth as usize);
            prop_assert_eq!(verify(leaf, index, count, &proof, &root), Ok(()));
            prop_assert!(leaf.amount <= root.sum);
        }
    }

    #[test]
    fn altered_leaves_fail(leaves in leaves_strategy(100), pick in any::<prop::sample::Index>(), delta in 1u64..1_000) {
        let tree = MerkleSumTree::build(&leaves).unwrap();
        let (root, count) = (tree.root(), tree.leaf_count());
        let index = pick.index(leaves.len());
        let proof = tree.proof(index as u32).unwrap();
        let leaf = leaves[index];

        let mut more = leaf;
        more.amount = leaf.amount.saturating_add(delta);
        prop_assert!(verify(&more, index as u32, count, &proof, &root).is_err());
        let mut less = leaf;
        less.amount = leaf.amount.wrapping_sub(delta);
        prop_assert!(verify(&less, index as u32, count, &proof, &root).is_err());
        let mut other_wallet = leaf;
        other_wallet.recipient[0] ^= 1;
        prop_assert!(verify(&other_wallet, index as u32, count, &proof, &root).is_err());
    }

    #[test]
    fn altered_siblings_and_indexes_fail(leaves in leaves_strategy(100), pick in any::<prop::sample::Index>(), entry in any::<prop::sample::Index>(), delta in 1u64..1_000) {
        prop_assume!(leaves.len() > 1);
        let tree = MerkleSumTree::build(&leaves).unwrap();
        let (root, count) = (tree.root(), tree.leaf_count());
        let index = pick.index(leaves.len()) as u32;
        let proof = tree.proof(index).unwrap();
        let leaf = leaves[index as usize];
        prop_assume!(!proof.is_empty());
        let entry = entry.index(proof.len());

        let mut hash_changed = proof.clone();
        hash_changed[entry].hash[31] ^= 0x80;
        prop_assert_eq!(verify(&leaf, index, count, &hash_changed, &root), Err(MerkleError::RootMismatch));

        // Moving value from a sibling to the claimed leaf keeps every sum
        // equal, yet the hashes give it away.
        let mut inflated = leaf;
        inflated.amount = leaf.amount.saturating_add(delta);
        let mut sum_moved = proof.clone();
        sum_moved[entry].sum = sum_moved[entry].sum.saturating_sub(delta);
        prop_assert!(verify(&inflated, index, count, &sum_moved, &root).is_err());

        let other_index = (index + 1) % count;
        if leaves[other_index as usize] != leaf {
            prop_assert!(verify(&leaf, other_index, count, &proof, &root).is_err());
        }
        prop_assert_eq!(verify(&leaf, count, count, &proof, &root), Err(MerkleError::IndexOutOfRange));

        let mut short = proof.clone();
        short.pop();
        prop_assert_eq!(verify(&leaf, index, count, &short, &root), Err(MerkleError::ProofTooShort));
        let mut long = proof.clone();
        long.push(Node::default());
        prop_assert_eq!(verify(&leaf, index, count, &long, &root), Err(MerkleError::ProofTooLong));
    }

    /// An inner node cannot be passed off as a leaf one level up: leaves and
    /// inner nodes are hashed with different prefixes.
    #[test]
    fn inner_nodes_are_not_leaves(leaves in leaves_strategy(64)) {
        prop_assume!(leaves.len() >= 4);
        let tree = MerkleSumTree::build(&leaves).unwrap();
        let root = tree.root();
        let level_one = &tree.levels()[1];
        let upper = MerkleSumTree::from_leaf_nodes(level_one.clone()).unwrap();
        prop_assert_eq!(upper.root(), root);
        for (position, inner) in level_one.iter().enumerate() {
            let proof = upper.proof(position as u32).unwrap();
            // The forger picks leaf fields that carry the inner node's data.
            let forged = Leaf { recipient: inner.hash, amount: inner.sum };
            prop_assert!(verify(&forged, position as u32, level_one.len() as u32, &proof, &root).is_err());
        }
    }
}

#[test]
fn sums_past_u64_max_are_refused() {
    let leaves = [
        Leaf {
            recipient: [1; 32],
            amount: u64::MAX,
        },
        Leaf {
            recipient: [2; 32],
            amount: 1,
        },
    ];
    assert_eq!(MerkleSumTree::build(&leaves), Err(MerkleError::SumOverflow));
    assert_eq!(MerkleSumTree::build(&[]), Err(MerkleError::Empty));
}

#[test]
fn a_single_leaf_is_its_own_root() {
    let leaf = Leaf {
        recipient: [9; 32],
        amount: 77,
    };
    let tree = MerkleSumTree::build(&[leaf]).unwrap();
    assert_eq!(tree.root(), leaf.node());
    assert!(tree.proof(0).unwrap().is_empty());
    assert_eq!(verify(&leaf, 0, 1, &[], &tree.root()), Ok(()));
}

#[test]
fn hashes_are_pinned() {
    // Changing the hashing breaks every published batch: pin it.
    let leaf = Leaf {
        recipient: [0; 32],
        amount: 2,
    };
    let node = leaf.node();
    let mut preimage = vec![2u8];
    preimage.extend_from_slice(&[0; 32]);
    preimage.extend_from_slice(&2u64.to_le_bytes());
    assert_eq!(node.hash, solana_sha256_hasher::hash(&preimage).to_bytes());
    // Not the retired device leaf (0x00 ‖ key ‖ serial ‖ amount) of the
    // same bytes, nor a node.
    assert_ne!(preimage[0], DEVICE_LEAF_PREFIX);
    assert_ne!(preimage[0], NODE_PREFIX);
    let inner = parent(&node, &node).unwrap();
    let mut preimage = vec![1u8];
    for _ in 0..2 {
        preimage.extend_from_slice(&node.hash);
        preimage.extend_from_slice(&2u64.to_le_bytes());
    }
    assert_eq!(inner.hash, solana_sha256_hasher::hash(&preimage).to_bytes());
    assert_eq!(inner.sum, 4);
}

#[test]
fn a_million_leaves_need_twenty_proof_entries() {
    assert_eq!(proof_len(0, 1_000_000), 20);
    // The last leaf skips the levels where it is the odd one out.
    assert!(proof_len(999_999, 1_000_000) < 20);
    assert!((0..1_000_000)
        .step_by(9_973)
        .all(|index| proof_len(index, 1_000_000) <= 20));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The batched (AVX2) hashing used to build trees gives exactly the
    /// scalar hashes that on-chain verification computes (where the CPU
    /// has AVX2; elsewhere both are one at a time).
    #[test]
    fn batched_hashing_matches_scalar(leaves in leaves_strategy(200)) {
        let batched = leaf_nodes_using(&leaves, Hashing::EightLanes);
        let scalar: Vec<Node> = leaves.iter().map(Leaf::node).collect();
        prop_assert_eq!(&batched, &scalar);
        let parents = parent_level_using(&batched, Hashing::EightLanes).unwrap();
        let expected: Vec<Node> = scalar
            .chunks(2)
            .map(|pair| if pair.len() == 2 { parent(&pair[0], &pair[1]).unwrap() } else { pair[0] })
            .collect();
        prop_assert_eq!(parents, expected);
    }
}

#[test]
fn batched_hashing_refuses_sum_overflow() {
    let huge = Node {
        hash: [1; 32],
        sum: u64::MAX,
    };
    let level = vec![huge; 32];
    assert_eq!(parent_level(&level), Err(MerkleError::SumOverflow));
    assert_eq!(
        parent_level_using(&level, Hashing::EightLanes),
        Err(MerkleError::SumOverflow)
    );
}
