//! The batch file an oracle publishes for an epoch: every device's
//! cumulative reward (the leaves) and the whole Merkle-sum tree, so claim
//! proofs can be served straight from it. Anyone who downloads it can check
//! it against the on-chain commitment: its SHA-256 is the commitment's
//! `proof_data_hash`, and reading it rebuilds the tree and compares every
//! level and the root.
//!
//! Layout (integers little-endian):
//!
//! | bytes | field |
//! |---|---|
//! | 8 | magic `DPNBATCH` |
//! | 4 | version (1) |
//! | 8 | epoch |
//! | 4 | leaf count `n` |
//! | 8 | total |
//! | 32 | root hash |
//! | 48 × n | leaves: device key, serial, cumulative amount |
//! | 40 × … | each level above the leaves, bottom up: hash, sum |

use {
    crate::merkle::{Leaf, MerkleError, MerkleSumTree, Node},
    anchor_lang::prelude::Pubkey,
    proof_oracle::state::Commitment,
    sha2::{Digest, Sha256},
    std::{
        collections::HashMap,
        fs,
        io::Write,
        path::{Path, PathBuf},
        sync::OnceLock,
    },
};

pub const MAGIC: &[u8; 8] = b"DPNBATCH";
pub const VERSION: u32 = 1;
const HEADER_LEN: usize = 8 + 4 + 8 + 4 + 8 + 32;
const LEAF_LEN: usize = 48;
const NODE_LEN: usize = 40;

#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("not a batch file (bad magic bytes)")]
    BadMagic,
    #[error("batch file version {0} is not supported (this build reads version {VERSION})")]
    UnsupportedVersion(u32),
    #[error("batch file is {actual} bytes; its header announces {expected}")]
    WrongLength { expected: usize, actual: usize },
    #[error("device {0} appears twice in the batch")]
    DuplicateDevice(Pubkey),
    #[error("level {level} of the stored tree differs from the tree rebuilt from the leaves")]
    TreeMismatch { level: usize },
    #[error("the stored root or total differs from the tree rebuilt from the leaves")]
    RootMismatch,
    #[error("{0}")]
    Merkle(#[from] MerkleError),
}

/// One epoch's batch: leaves and tree.
pub struct BatchFile {
    pub epoch: u64,
    leaves: Vec<Leaf>,
    tree: MerkleSumTree,
    index: OnceLock<HashMap<[u8; 32], u32>>,
}

impl BatchFile {
    /// Builds the tree over `leaves` (one per device).
    pub fn new(epoch: u64, leaves: Vec<Leaf>) -> Result<Self, BatchError> {
        let tree = MerkleSumTree::build(&leaves)?;
        let batch = Self {
            epoch,
            leaves,
            tree,
            index: OnceLock::new(),
        };
        batch.check_unique_devices()?;
        Ok(batch)
    }

    fn check_unique_devices(&self) -> Result<(), BatchError> {
        let mut index = HashMap::with_capacity(self.leaves.len());
        for (position, leaf) in self.leaves.iter().enumerate() {
            if index.insert(leaf.device_key, position as u32).is_some() {
                return Err(BatchError::DuplicateDevice(Pubkey::new_from_array(
                    leaf.device_key,
                )));
            }
        }
        let _ = self.index.set(index);
        Ok(())
    }

    pub fn leaves(&self) -> &[Leaf] {
        &self.leaves
    }

    pub fn tree(&self) -> &MerkleSumTree {
        &self.tree
    }

    pub fn root(&self) -> Node {
        self.tree.root()
    }

    /// The on-chain commitment of this file.
    pub fn commitment(&self) -> Commitment {
        let root = self.root();
        Commitment {
            root: root.hash,
            leaf_count: self.tree.leaf_count(),
            total: root.sum,
            proof_data_hash: Sha256::digest(self.to_bytes()).into(),
        }
    }

    /// A device's leaf, its index and its proof.
    pub fn proof_for(&self, device_key: &Pubkey) -> Option<(u32, Leaf, Vec<Node>)> {
        let index = *self
            .index
            .get_or_init(|| {
                self.leaves
                    .iter()
                    .enumerate()
                    .map(|(position, leaf)| (leaf.device_key, position as u32))
                    .collect()
            })
            .get(&device_key.to_bytes())?;
        let proof = self.tree.proof(index).ok()?;
        Some((index, self.leaves[index as usize], proof))
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let levels = self.tree.levels();
        let nodes: usize = levels.iter().skip(1).map(Vec::len).sum();
        let mut bytes =
            Vec::with_capacity(HEADER_LEN + self.leaves.len() * LEAF_LEN + nodes * NODE_LEN);
        let root = self.root();
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&VERSION.to_le_bytes());
        bytes.extend_from_slice(&self.epoch.to_le_bytes());
        bytes.extend_from_slice(&self.tree.leaf_count().to_le_bytes());
        bytes.extend_from_slice(&root.sum.to_le_bytes());
        bytes.extend_from_slice(&root.hash);
        for leaf in &self.leaves {
            bytes.extend_from_slice(&leaf.device_key);
            bytes.extend_from_slice(&leaf.serial.to_le_bytes());
            bytes.extend_from_slice(&leaf.amount.to_le_bytes());
        }
        for level in levels.iter().skip(1) {
            for node in level {
                bytes.extend_from_slice(&node.hash);
                bytes.extend_from_slice(&node.sum.to_le_bytes());
            }
        }
        bytes
    }

    /// Parses a batch file and checks the stored tree against the leaves.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, BatchError> {
        if bytes.len() < HEADER_LEN {
            return Err(BatchError::WrongLength {
                expected: HEADER_LEN,
                actual: bytes.len(),
            });
        }
        if &bytes[..8] != MAGIC {
            return Err(BatchError::BadMagic);
        }
        let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4"));
        let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8"));
        let version = u32_at(8);
        if version != VERSION {
            return Err(BatchError::UnsupportedVersion(version));
        }
        let epoch = u64_at(12);
        let leaf_count = u32_at(20) as usize;
        let total = u64_at(24);
        let root_hash: [u8; 32] = bytes[32..64].try_into().expect("32");
        if leaf_count == 0 {
            return Err(MerkleError::Empty.into());
        }
        let mut widths = Vec::new();
        let mut width = leaf_count;
        while width > 1 {
            width = width.div_ceil(2);
            widths.push(width);
        }
        let expected = widths
            .iter()
            .try_fold(HEADER_LEN + leaf_count * LEAF_LEN, |length, width| {
                length.checked_add(width * NODE_LEN)
            })
            .unwrap_or(usize::MAX);
        if bytes.len() != expected {
            return Err(BatchError::WrongLength {
                expected,
                actual: bytes.len(),
            });
        }
        let leaves: Vec<Leaf> = bytes[HEADER_LEN..HEADER_LEN + leaf_count * LEAF_LEN]
            .chunks_exact(LEAF_LEN)
            .map(|chunk| Leaf {
                device_key: chunk[..32].try_into().expect("32"),
                serial: u64::from_le_bytes(chunk[32..40].try_into().expect("8")),
                amount: u64::from_le_bytes(chunk[40..48].try_into().expect("8")),
            })
            .collect();
        let batch = Self::new(epoch, leaves)?;
        let mut offset = HEADER_LEN + leaf_count * LEAF_LEN;
        for (level_index, level) in batch.tree.levels().iter().enumerate().skip(1) {
            let stored = &bytes[offset..offset + level.len() * NODE_LEN];
            let matches = stored
                .chunks_exact(NODE_LEN)
                .zip(level)
                .all(|(chunk, node)| {
                    chunk[..32] == node.hash && chunk[32..40] == node.sum.to_le_bytes()
                });
            if !matches {
                return Err(BatchError::TreeMismatch { level: level_index });
            }
            offset += level.len() * NODE_LEN;
        }
        let root = batch.root();
        if root.hash != root_hash || root.sum != total {
            return Err(BatchError::RootMismatch);
        }
        Ok(batch)
    }

    /// Writes the file atomically: a reader never sees half a batch.
    pub fn write(&self, path: &Path) -> Result<(), BatchError> {
        let io = |source| BatchError::Io {
            path: path.to_path_buf(),
            source,
        };
        let partial = path.with_extension("partial");
        let mut file = fs::File::create(&partial).map_err(io)?;
        file.write_all(&self.to_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        fs::rename(&partial, path).map_err(io)
    }

    pub fn read(path: &Path) -> Result<Self, BatchError> {
        let bytes = fs::read(path).map_err(|source| BatchError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(&bytes)
    }
}
