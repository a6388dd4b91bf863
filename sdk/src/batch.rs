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

/// What a batch file's header announces (read without checking the tree).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchHeader {
    pub epoch: u64,
    pub leaf_count: u32,
    pub total: u64,
    pub root: [u8; 32],
}

/// What a path holds, compared with a batch about to be written there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExistingBatch {
    /// Nothing.
    Absent,
    /// Byte for byte the same batch.
    Identical,
    /// Something else: another batch (its header, if it reads as one), or
    /// a file that is no batch at all.
    Different { header: Option<BatchHeader> },
}

/// A batch file written beside its destination, not yet in place.
#[must_use = "a staged batch is removed unless published"]
pub struct StagedBatch {
    partial: PathBuf,
    path: PathBuf,
    published: bool,
}

impl StagedBatch {
    /// The destination.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the bytes wait until published.
    pub fn partial_path(&self) -> &Path {
        &self.partial
    }

    /// Renames the staged file into place (atomically: a reader never sees
    /// half a batch).
    /// If the rename fails the staged file is kept (the error names it), so
    /// the bytes of a batch already voted for are never lost.
    pub fn publish(mut self) -> Result<(), BatchError> {
        self.published = true;
        fs::rename(&self.partial, &self.path).map_err(|source| BatchError::Io {
            path: self.partial.clone(),
            source,
        })
    }
}

impl Drop for StagedBatch {
    fn drop(&mut self) {
        if !self.published {
            let _ = fs::remove_file(&self.partial);
        }
    }
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
        self.stage(path)?.publish()
    }

    /// Writes the file next to `path` (as `<name>.partial`, synced to disk)
    /// without publishing it yet: [`StagedBatch::publish`] renames it into
    /// place, and dropping the stage unpublished removes it. An oracle stages
    /// before it votes and publishes once the vote has landed, so a refused
    /// vote leaves no file behind and a full disk is found before voting.
    pub fn stage(&self, path: &Path) -> Result<StagedBatch, BatchError> {
        let io = |source| BatchError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut name = path.file_name().unwrap_or_default().to_owned();
        name.push(".partial");
        let partial = path.with_file_name(name);
        let staged = StagedBatch {
            partial,
            path: path.to_path_buf(),
            published: false,
        };
        let mut file = fs::File::create(&staged.partial).map_err(io)?;
        file.write_all(&self.to_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        Ok(staged)
    }

    /// What `path` holds compared with this batch: nothing, the very same
    /// bytes, or something else (another batch, perhaps another oracle's,
    /// or not a batch file at all).
    pub fn compare_with_file(&self, path: &Path) -> Result<ExistingBatch, BatchError> {
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(ExistingBatch::Absent)
            }
            Err(source) => {
                return Err(BatchError::Io {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        if bytes == self.to_bytes() {
            return Ok(ExistingBatch::Identical);
        }
        Ok(ExistingBatch::Different {
            header: Self::header_of(&bytes),
        })
    }

    /// The header of a batch file's bytes, if they start like one.
    pub fn header_of(bytes: &[u8]) -> Option<BatchHeader> {
        if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
            return None;
        }
        let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8"));
        Some(BatchHeader {
            epoch: u64_at(12),
            leaf_count: u32::from_le_bytes(bytes[20..24].try_into().expect("4")),
            total: u64_at(24),
            root: bytes[32..64].try_into().expect("32"),
        })
    }

    pub fn read(path: &Path) -> Result<Self, BatchError> {
        let bytes = fs::read(path).map_err(|source| BatchError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(&bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(amount: u64) -> BatchFile {
        let leaf = Leaf {
            device_key: [7; 32],
            serial: 1,
            amount,
        };
        BatchFile::new(3, vec![leaf]).unwrap()
    }

    fn scratch(name: &str) -> PathBuf {
        let directory =
            std::env::temp_dir().join(format!("depin-batch-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&directory);
        fs::create_dir_all(&directory).unwrap();
        directory
    }

    #[test]
    fn a_stage_dropped_unpublished_leaves_nothing() {
        let directory = scratch("stage");
        let path = directory.join("epoch-3.batch");
        let staged = batch(10).stage(&path).unwrap();
        assert!(staged.partial_path().exists());
        drop(staged);
        assert!(fs::read_dir(&directory).unwrap().next().is_none());
        batch(10).stage(&path).unwrap().publish().unwrap();
        assert_eq!(
            BatchFile::read(&path).unwrap().commitment(),
            batch(10).commitment()
        );
        assert_eq!(fs::read_dir(&directory).unwrap().count(), 1);
        fs::remove_dir_all(&directory).unwrap();
    }

    #[test]
    fn an_existing_file_is_compared_byte_for_byte() {
        let directory = scratch("compare");
        let path = directory.join("epoch-3.batch");
        assert_eq!(
            batch(10).compare_with_file(&path).unwrap(),
            ExistingBatch::Absent
        );
        batch(10).write(&path).unwrap();
        assert_eq!(
            batch(10).compare_with_file(&path).unwrap(),
            ExistingBatch::Identical
        );
        let ExistingBatch::Different {
            header: Some(header),
        } = batch(11).compare_with_file(&path).unwrap()
        else {
            panic!("a different batch");
        };
        assert_eq!((header.epoch, header.total, header.leaf_count), (3, 10, 1));
        fs::write(&path, "junk").unwrap();
        assert_eq!(
            batch(10).compare_with_file(&path).unwrap(),
            ExistingBatch::Different { header: None }
        );
        fs::remove_dir_all(&directory).unwrap();
    }
}
