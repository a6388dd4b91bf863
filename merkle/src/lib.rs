//! The reward commitment of a proof batch: a Merkle-sum tree.
//!
//! Each leaf is one **recipient wallet's cumulative** reward: `(wallet,
//! amount)`, the sum of what every device that pointed its rewards at the
//! wallet has earned for it. One proof against the newest batch claims
//! everything a wallet is owed, for its whole fleet, in one transaction.
//! Every node carries the sum of the amounts below it and commits to its
//! children's sums, and the root's sum is the batch's `total`. A proof
//! therefore never verifies an amount larger than the total, and all leaves
//! together add up to exactly the total: what a batch can pay out is bounded
//! on-chain by the numbers the oracle quorum signed, not by trust.
//!
//! Hashes (SHA-256, fixed-length fields, little-endian integers):
//!
//! * leaf: `H(0x02 ‖ wallet ‖ amount)` — 41 bytes, one block;
//! * inner: `H(0x01 ‖ left.hash ‖ left.sum ‖ right.hash ‖ right.sum)`.
//!
//! The different prefixes keep an inner node from being presented as a leaf
//! (second pre-image), and a wallet leaf from being read as the per-device
//! leaf of earlier batches (`0x00 ‖ device ‖ serial ‖ amount`), whose
//! prefix stays reserved. A level with an odd number of nodes promotes its last
//! node unchanged; a proof is the list of siblings from the leaf up, and its
//! exact length follows from the leaf index and leaf count, so a proof with
//! missing or extra entries is rejected.
//!
//! This crate is `no_std`; verification allocates nothing and runs on-chain.
//! The `alloc` feature adds tree building and proof generation.

#![no_std]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(all(feature = "std", target_arch = "x86_64"))]
mod simd;
#[cfg(feature = "alloc")]
mod tree;
#[cfg(feature = "alloc")]
pub use tree::{
    leaf_nodes, leaf_nodes_using, parent_level, parent_level_using, Hashing, MerkleSumTree,
};

use solana_sha256_hasher::hashv;

/// The prefix of the retired per-device leaf; never used again.
pub const DEVICE_LEAF_PREFIX: u8 = 0x00;
pub const NODE_PREFIX: u8 = 0x01;
/// The prefix of a wallet leaf.
pub const LEAF_PREFIX: u8 = 0x02;
/// Bytes of one proof entry (sibling hash and sum).
pub const PROOF_NODE_BYTES: usize = 40;
/// Deepest tree: leaf counts are `u32`, so at most 32 levels above leaves.
pub const MAX_DEPTH: usize = 32;

/// One recipient wallet's cumulative reward.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Leaf {
    /// The wallet the rewards are paid to (a device's rewards recipient).
    pub recipient: [u8; 32],
    /// Everything attributed to the wallet since the first batch.
    pub amount: u64,
}

/// A node: its hash and the sum of the amounts below it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub struct Node {
    pub hash: [u8; 32],
    pub sum: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MerkleError {
    /// A tree needs at least one leaf.
    Empty,
    /// More leaves than a `u32` index can address.
    TooManyLeaves,
    /// Amounts add up past `u64::MAX`.
    SumOverflow,
    /// The leaf index is not below the leaf count.
    IndexOutOfRange,
    /// The proof has fewer entries than the path needs.
    ProofTooShort,
    /// The proof has more entries than the path needs.
    ProofTooLong,
    /// The recomputed root differs from the committed one.
    RootMismatch,
}

impl core::fmt::Display for MerkleError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            MerkleError::Empty => "a tree needs at least one leaf",
            MerkleError::TooManyLeaves => "more leaves than a u32 index addresses",
            MerkleError::SumOverflow => "amounts add up past u64::MAX",
            MerkleError::IndexOutOfRange => "leaf index is not below the leaf count",
            MerkleError::ProofTooShort => "proof has fewer entries than the path needs",
            MerkleError::ProofTooLong => "proof has more entries than the path needs",
            MerkleError::RootMismatch => "proof does not lead to the committed root",
        })
    }
}

/// Bytes hashed for a leaf.
pub const LEAF_PREIMAGE_LEN: usize = 41;
/// Bytes hashed for an inner node.
pub const NODE_PREIMAGE_LEN: usize = 81;

impl Leaf {
    pub fn preimage(&self) -> [u8; LEAF_PREIMAGE_LEN] {
        let mut bytes = [0u8; LEAF_PREIMAGE_LEN];
        bytes[0] = LEAF_PREFIX;
        bytes[1..33].copy_from_slice(&self.recipient);
        bytes[33..41].copy_from_slice(&self.amount.to_le_bytes());
        bytes
    }

    pub fn node(&self) -> Node {
        Node {
            hash: hashv(&[&self.preimage()]).to_bytes(),
            sum: self.amount,
        }
    }
}

/// What an inner node hashes: prefix, then each child's hash and sum.
pub fn node_preimage(left: &Node, right: &Node) -> [u8; NODE_PREIMAGE_LEN] {
    let mut bytes = [0u8; NODE_PREIMAGE_LEN];
    bytes[0] = NODE_PREFIX;
    bytes[1..33].copy_from_slice(&left.hash);
    bytes[33..41].copy_from_slice(&left.sum.to_le_bytes());
    bytes[41..73].copy_from_slice(&right.hash);
    bytes[73..81].copy_from_slice(&right.sum.to_le_bytes());
    bytes
}

/// The parent of two nodes; `None` if their sums overflow.
pub fn parent(left: &Node, right: &Node) -> Option<Node> {
    let sum = left.sum.checked_add(right.sum)?;
    Some(Node {
        hash: hashv(&[&node_preimage(left, right)]).to_bytes(),
        sum,
    })
}

/// Where a node sits on its way up: its sibling's index at each level, or
/// `None` where it is the odd last node and is promoted.
fn path(mut index: u32, leaf_count: u32) -> impl Iterator<Item = Option<bool>> {
    let mut width = leaf_count;
    core::iter::from_fn(move || {
        if width <= 1 {
            return None;
        }
        let step = if index % 2 == 1 {
            Some(true) // sibling on the left
        } else if index + 1 < width {
            Some(false) // sibling on the right
        } else {
            None // promoted
        };
        index /= 2;
        width = width / 2 + width % 2;
        Some(step)
    })
}

/// Number of proof entries for `index` in a tree of `leaf_count` leaves.
pub fn proof_len(index: u32, leaf_count: u32) -> usize {
    path(index, leaf_count).flatten().count()
}

/// Recomputes the root from a leaf and its proof.
pub fn compute_root(
    leaf: &Leaf,
    index: u32,
    leaf_count: u32,
    proof: &[Node],
) -> Result<Node, MerkleError> {
    if index >= leaf_count {
        return Err(MerkleError::IndexOutOfRange);
    }
    let mut node = leaf.node();
    let mut siblings = proof.iter();
    for step in path(index, leaf_count) {
        let Some(sibling_on_left) = step else {
            continue;
        };
        let sibling = siblings.next().ok_or(MerkleError::ProofTooShort)?;
        node = if sibling_on_left {
            parent(sibling, &node)
        } else {
            parent(&node, sibling)
        }
        .ok_or(MerkleError::SumOverflow)?;
    }
    if siblings.next().is_some() {
        return Err(MerkleError::ProofTooLong);
    }
    Ok(node)
}

/// Checks that `leaf` is leaf `index` of the tree committed as
/// `(root, leaf_count)`, where `root.sum` is the batch total.
pub fn verify(
    leaf: &Leaf,
    index: u32,
    leaf_count: u32,
    proof: &[Node],
    root: &Node,
) -> Result<(), MerkleError> {
    if compute_root(leaf, index, leaf_count, proof)? == *root {
        Ok(())
    } else {
        Err(MerkleError::RootMismatch)
    }
}

impl core::error::Error for MerkleError {}
