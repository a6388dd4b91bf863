//! The batch file an oracle publishes for an epoch: every recipient
//! wallet's cumulative reward (the leaves), the per-device detail of this
//! epoch (device, registration serial, epoch amount, recipient) that the
//! leaves were computed from, and the whole Merkle-sum tree, so claim proofs
//! can be served straight from it. Anyone who downloads it can check it
//! against the on-chain commitment: its SHA-256 is the commitment's
//! `proof_data_hash`, and reading it rebuilds the tree and compares every
//! level and the root. With the previous final batch, anyone can recompute
//! the leaves ([`BatchFile::recompute`]): a wallet's amount is its amount in
//! the previous batch plus what its devices earned this epoch.
//!
//! Layout (integers little-endian):
//!
//! | bytes | field |
//! |---|---|
//! | 8 | magic `DPNBATCH` |
//! | 4 | version (2) |
//! | 8 | epoch |
//! | 4 | leaf count `n` |
//! | 8 | total |
//! | 32 | root hash |
//! | 4 | device count `m` |
//! | 40 × n | leaves, by wallet: wallet, cumulative amount |
//! | 80 × m | devices, by key: device key, serial, epoch amount, recipient |
//! | 40 × … | each level above the leaves, bottom up: hash, sum |
//!
//! Version 3 adds, after the levels, the **evidence** the device amounts
//! were computed from (`u32` length, then the bytes; the oracle node's
//! reports, registry snapshot, pool and rule parameters, see
//! `depin_oracle::proof_data`). A batch without evidence (amounts from a
//! file, `oracle submit`) is written as version 2, byte for byte as
//! before.

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
/// The version written for a batch without evidence.
pub const VERSION: u32 = 2;
/// The version written for a batch that carries its evidence.
pub const VERSION_WITH_EVIDENCE: u32 = 3;
const HEADER_LEN: usize = 8 + 4 + 8 + 4 + 8 + 32 + 4;
const LEAF_LEN: usize = 40;
const DEVICE_LEN: usize = 80;
const NODE_LEN: usize = 40;

/// What one device earned in a batch's epoch, and the wallet it was
/// attributed to (the device's rewards recipient when the epoch closed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceReward {
    pub device_key: Pubkey,
    /// The registration the reward is for (device registry serial).
    pub serial: u64,
    /// Earned in this epoch (token base units).
    pub amount: u64,
    pub recipient: Pubkey,
}

#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("not a batch file (bad magic bytes)")]
    BadMagic,
    #[error("batch file version {0} is not supported (this build reads versions {VERSION} and {VERSION_WITH_EVIDENCE})")]
    UnsupportedVersion(u32),
    #[error("batch file is {actual} bytes; its header announces {expected}")]
    WrongLength { expected: usize, actual: usize },
    #[error("device {0} appears twice in the batch")]
    DuplicateDevice(Pubkey),
    #[error("wallet {0} appears twice in the batch")]
    DuplicateRecipient(Pubkey),
    #[error("device {device} pays wallet {recipient}, which has no leaf in the batch")]
    UnknownRecipient { device: Pubkey, recipient: Pubkey },
    #[error("the wallets' cumulative amounts overflow")]
    Overflow,
    #[error("the leaves are not the previous batch plus this epoch's devices: {0}")]
    NotRecomputable(String),
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

/// One epoch's batch: wallet leaves, device detail and tree.
pub struct BatchFile {
    epoch: u64,
    leaves: Vec<Leaf>,
    devices: Vec<DeviceReward>,
    tree: MerkleSumTree,
    /// Where each wallet's leaf is, for leaves not in wallet order (leaves
    /// in order are found by binary search).
    index: Option<HashMap<[u8; 32], u32>>,
    /// What the device amounts were computed from (empty: none published).
    evidence: Vec<u8>,
    /// The file's bytes are hashed once (the commitment's `proof_data_hash`).
    data_hash: OnceLock<[u8; 32]>,
}

impl BatchFile {
    /// The batch of `epoch`: every wallet of `previous` (the last final
    /// batch before it) keeps its cumulative amount, plus what the devices
    /// attributed to it earned this epoch. Leaves are ordered by wallet and
    /// devices by key, so any two oracles with the same inputs build the
    /// same bytes.
    pub fn build(
        epoch: u64,
        previous: Option<&BatchFile>,
        mut devices: Vec<DeviceReward>,
    ) -> Result<Self, BatchError> {
        // Every wallet's amounts, sorted by wallet and summed: a sort, not a
        // tree map, since a million devices is a million entries.
        let mut amounts: Vec<([u8; 32], u64)> =
            Vec::with_capacity(previous.map_or(0, |batch| batch.leaves.len()) + devices.len());
        if let Some(batch) = previous {
            amounts.extend(
                batch
                    .leaves
                    .iter()
                    .map(|leaf| (leaf.recipient, leaf.amount)),
            );
        }
        amounts.extend(
            devices
                .iter()
                .map(|device| (device.recipient.to_bytes(), device.amount)),
        );
        amounts.sort_unstable_by_key(|(recipient, _)| *recipient);
        let mut leaves: Vec<Leaf> = Vec::with_capacity(amounts.len());
        for (recipient, amount) in amounts {
            match leaves.last_mut() {
                Some(last) if last.recipient == recipient => {
                    last.amount = last
                        .amount
                        .checked_add(amount)
                        .ok_or(BatchError::Overflow)?;
                }
                _ => leaves.push(Leaf { recipient, amount }),
            }
        }
        devices.sort_unstable_by_key(|device| device.device_key);
        Self::new(epoch, leaves, devices)
    }

    /// A batch from its parts, checked: unique wallets and devices, every
    /// device's wallet among the leaves.
    pub fn new(
        epoch: u64,
        leaves: Vec<Leaf>,
        devices: Vec<DeviceReward>,
    ) -> Result<Self, BatchError> {
        let tree = MerkleSumTree::build(&leaves)?;
        // Leaves in wallet order (what `build` makes) are unique when
        // strictly ascending and found by binary search; others get a map.
        let in_order = leaves
            .windows(2)
            .all(|pair| pair[0].recipient < pair[1].recipient);
        let index = if in_order {
            None
        } else {
            let mut index = HashMap::with_capacity(leaves.len());
            for (position, leaf) in leaves.iter().enumerate() {
                if index.insert(leaf.recipient, position as u32).is_some() {
                    return Err(BatchError::DuplicateRecipient(Pubkey::new_from_array(
                        leaf.recipient,
                    )));
                }
            }
            Some(index)
        };
        let position = |recipient: &[u8; 32]| match &index {
            Some(index) => index.get(recipient).copied(),
            None => leaves
                .binary_search_by(|leaf| leaf.recipient.cmp(recipient))
                .ok()
                .map(|position| position as u32),
        };
        // Devices strictly ascending by key (what `build` makes) are unique.
        let devices_in_order = devices
            .windows(2)
            .all(|pair| pair[0].device_key < pair[1].device_key);
        let mut seen = std::collections::HashSet::new();
        for device in &devices {
            if !devices_in_order && !seen.insert(device.device_key) {
                return Err(BatchError::DuplicateDevice(device.device_key));
            }
            if position(&device.recipient.to_bytes()).is_none() {
                return Err(BatchError::UnknownRecipient {
                    device: device.device_key,
                    recipient: device.recipient,
                });
            }
        }
        Ok(Self {
            epoch,
            leaves,
            devices,
            tree,
            index,
            evidence: Vec::new(),
            data_hash: OnceLock::new(),
        })
    }

    /// Checks that the leaves are exactly `previous` plus this epoch's
    /// devices: what anyone can recompute from the published evidence.
    pub fn recompute(&self, previous: Option<&BatchFile>) -> Result<(), BatchError> {
        let rebuilt = Self::build(self.epoch, previous, self.devices.clone())?;
        if rebuilt.leaves == self.leaves {
            return Ok(());
        }
        let differs = rebuilt
            .leaves
            .iter()
            .zip(&self.leaves)
            .find(|(expected, found)| expected != found)
            .map(|(expected, found)| {
                format!(
                    "wallet {} should have {}, the file says {} for wallet {}",
                    Pubkey::new_from_array(expected.recipient),
                    expected.amount,
                    found.amount,
                    Pubkey::new_from_array(found.recipient)
                )
            })
            .unwrap_or_else(|| {
                format!(
                    "{} wallets expected, {} in the file",
                    rebuilt.leaves.len(),
                    self.leaves.len()
                )
            });
        Err(BatchError::NotRecomputable(differs))
    }

    /// This batch carrying `evidence` (written as version 3).
    pub fn with_evidence(mut self, evidence: Vec<u8>) -> Self {
        self.evidence = evidence;
        self.data_hash = OnceLock::new();
        self
    }

    /// The evidence the file carries (empty for version 2).
    pub fn evidence(&self) -> &[u8] {
        &self.evidence
    }

    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    pub fn leaves(&self) -> &[Leaf] {
        &self.leaves
    }

    /// This epoch's per-device detail, by device key.
    pub fn devices(&self) -> &[DeviceReward] {
        &self.devices
    }

    /// The devices whose rewards this epoch went to `recipient`.
    pub fn devices_of<'a>(
        &'a self,
        recipient: &'a Pubkey,
    ) -> impl Iterator<Item = &'a DeviceReward> + 'a {
        self.devices
            .iter()
            .filter(move |device| device.recipient == *recipient)
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
            proof_data_hash: *self
                .data_hash
                .get_or_init(|| Sha256::digest(self.to_bytes()).into()),
        }
    }

    /// A wallet's leaf, its index and its proof.
    pub fn proof_for(&self, recipient: &Pubkey) -> Option<(u32, Leaf, Vec<Node>)> {
        let key = recipient.to_bytes();
        let index = match &self.index {
            Some(index) => *index.get(&key)?,
            None => self
                .leaves
                .binary_search_by(|leaf| leaf.recipient.cmp(&key))
                .ok()? as u32,
        };
        let proof = self.tree.proof(index).ok()?;
        Some((index, self.leaves[index as usize], proof))
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let levels = self.tree.levels();
        let nodes: usize = levels.iter().skip(1).map(Vec::len).sum();
        let mut bytes = Vec::with_capacity(
            HEADER_LEN
                + self.leaves.len() * LEAF_LEN
                + self.devices.len() * DEVICE_LEN
                + nodes * NODE_LEN,
        );
        let root = self.root();
        bytes.extend_from_slice(MAGIC);
        let version = if self.evidence.is_empty() {
            VERSION
        } else {
            VERSION_WITH_EVIDENCE
        };
        bytes.extend_from_slice(&version.to_le_bytes());
        bytes.extend_from_slice(&self.epoch.to_le_bytes());
        bytes.extend_from_slice(&self.tree.leaf_count().to_le_bytes());
        bytes.extend_from_slice(&root.sum.to_le_bytes());
        bytes.extend_from_slice(&root.hash);
        bytes.extend_from_slice(&(self.devices.len() as u32).to_le_bytes());
        for leaf in &self.leaves {
            bytes.extend_from_slice(&leaf.recipient);
            bytes.extend_from_slice(&leaf.amount.to_le_bytes());
        }
        for device in &self.devices {
            bytes.extend_from_slice(device.device_key.as_ref());
            bytes.extend_from_slice(&device.serial.to_le_bytes());
            bytes.extend_from_slice(&device.amount.to_le_bytes());
            bytes.extend_from_slice(device.recipient.as_ref());
        }
        for level in levels.iter().skip(1) {
            for node in level {
                bytes.extend_from_slice(&node.hash);
                bytes.extend_from_slice(&node.sum.to_le_bytes());
            }
        }
        if !self.evidence.is_empty() {
            bytes.extend_from_slice(&(self.evidence.len() as u32).to_le_bytes());
            bytes.extend_from_slice(&self.evidence);
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
        if version != VERSION && version != VERSION_WITH_EVIDENCE {
            return Err(BatchError::UnsupportedVersion(version));
        }
        let epoch = u64_at(12);
        let leaf_count = u32_at(20) as usize;
        let total = u64_at(24);
        let root_hash: [u8; 32] = bytes[32..64].try_into().expect("32");
        let device_count = u32_at(64) as usize;
        if leaf_count == 0 {
            return Err(MerkleError::Empty.into());
        }
        let mut widths = Vec::new();
        let mut width = leaf_count;
        while width > 1 {
            width = width.div_ceil(2);
            widths.push(width);
        }
        let tree_end = widths
            .iter()
            .try_fold(
                HEADER_LEN + leaf_count * LEAF_LEN + device_count * DEVICE_LEN,
                |length, width| length.checked_add(width * NODE_LEN),
            )
            .unwrap_or(usize::MAX);
        // Version 3: a u32 evidence length and the evidence follow.
        let evidence_len = match version {
            VERSION => None,
            _ => Some(
                bytes
                    .get(tree_end..tree_end.saturating_add(4))
                    .map(|length| u32::from_le_bytes(length.try_into().expect("4")) as usize)
                    .filter(|length| *length > 0)
                    .ok_or(BatchError::WrongLength {
                        expected: tree_end.saturating_add(5),
                        actual: bytes.len(),
                    })?,
            ),
        };
        let expected = evidence_len.map_or(tree_end, |length| {
            tree_end.saturating_add(4).saturating_add(length)
        });
        if bytes.len() != expected {
            return Err(BatchError::WrongLength {
                expected,
                actual: bytes.len(),
            });
        }
        let leaves: Vec<Leaf> = bytes[HEADER_LEN..HEADER_LEN + leaf_count * LEAF_LEN]
            .chunks_exact(LEAF_LEN)
            .map(|chunk| Leaf {
                recipient: chunk[..32].try_into().expect("32"),
                amount: u64::from_le_bytes(chunk[32..40].try_into().expect("8")),
            })
            .collect();
        let devices_at = HEADER_LEN + leaf_count * LEAF_LEN;
        let devices: Vec<DeviceReward> = bytes[devices_at..devices_at + device_count * DEVICE_LEN]
            .chunks_exact(DEVICE_LEN)
            .map(|chunk| DeviceReward {
                device_key: Pubkey::new_from_array(chunk[..32].try_into().expect("32")),
                serial: u64::from_le_bytes(chunk[32..40].try_into().expect("8")),
                amount: u64::from_le_bytes(chunk[40..48].try_into().expect("8")),
                recipient: Pubkey::new_from_array(chunk[48..80].try_into().expect("32")),
            })
            .collect();
        let batch = Self::new(epoch, leaves, devices)?;
        let mut offset = devices_at + device_count * DEVICE_LEN;
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
        Ok(match evidence_len {
            Some(_) => batch.with_evidence(bytes[tree_end + 4..].to_vec()),
            None => batch,
        })
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

    /// Every wallet's proof is found, whether the leaves are in wallet
    /// order (built: binary search) or not (given: a map), and sums add up
    /// across the previous batch and several devices per wallet.
    #[test]
    fn every_wallet_is_found_in_either_leaf_order() {
        let wallets: Vec<Pubkey> = (0..50).map(|_| Pubkey::new_unique()).collect();
        let devices: Vec<DeviceReward> = (0..200u64)
            .map(|index| DeviceReward {
                device_key: Pubkey::new_unique(),
                serial: index,
                amount: index + 1,
                recipient: wallets[(index % 50) as usize],
            })
            .collect();
        let first = BatchFile::build(1, None, devices.clone()).unwrap();
        let second = BatchFile::build(2, Some(&first), devices).unwrap();
        for (position, wallet) in wallets.iter().enumerate() {
            let earned: u64 = (0..200u64)
                .filter(|index| (index % 50) as usize == position)
                .map(|index| index + 1)
                .sum();
            let (index, leaf, proof) = second.proof_for(wallet).unwrap();
            assert_eq!(leaf.amount, 2 * earned);
            depin_merkle::verify(&leaf, index, 50, &proof, &second.root()).unwrap();
        }
        let mut shuffled = second.leaves().to_vec();
        shuffled.reverse();
        let given = BatchFile::new(2, shuffled, vec![]).unwrap();
        for wallet in &wallets {
            let (index, leaf, proof) = given.proof_for(wallet).unwrap();
            depin_merkle::verify(&leaf, index, 50, &proof, &given.root()).unwrap();
        }
        assert!(given.proof_for(&Pubkey::new_unique()).is_none());
        assert!(second.proof_for(&Pubkey::new_unique()).is_none());
    }

    fn batch(amount: u64) -> BatchFile {
        let device = DeviceReward {
            device_key: Pubkey::new_from_array([7; 32]),
            serial: 1,
            amount,
            recipient: Pubkey::new_from_array([8; 32]),
        };
        BatchFile::build(3, None, vec![device]).unwrap()
    }

    #[test]
    fn wallets_carry_their_totals_forward_and_add_their_fleets_epoch() {
        let (alice, bob) = (Pubkey::new_unique(), Pubkey::new_unique());
        let reward = |amount, recipient| DeviceReward {
            device_key: Pubkey::new_unique(),
            serial: 1,
            amount,
            recipient,
        };
        let first = BatchFile::build(1, None, vec![reward(10, alice), reward(5, alice)]).unwrap();
        assert_eq!(first.proof_for(&alice).unwrap().1.amount, 15);
        let second =
            BatchFile::build(2, Some(&first), vec![reward(7, bob), reward(1, alice)]).unwrap();
        assert_eq!(second.proof_for(&alice).unwrap().1.amount, 16);
        assert_eq!(second.proof_for(&bob).unwrap().1.amount, 7);
        assert_eq!(second.devices_of(&alice).count(), 1);
        second.recompute(Some(&first)).unwrap();
        // Read back, the same; recomputed against no previous batch, not.
        let read = BatchFile::from_bytes(&second.to_bytes()).unwrap();
        assert_eq!(read.commitment(), second.commitment());
        assert_eq!(read.devices(), second.devices());
        assert!(matches!(
            read.recompute(None),
            Err(BatchError::NotRecomputable(_))
        ));
        // A wallet with no devices this epoch keeps its leaf.
        let third = BatchFile::build(3, Some(&second), vec![reward(2, bob)]).unwrap();
        assert_eq!(third.proof_for(&alice).unwrap().1.amount, 16);
    }

    #[test]
    fn a_device_twice_or_paying_an_absent_wallet_is_refused() {
        let wallet = Pubkey::new_unique();
        let device = DeviceReward {
            device_key: Pubkey::new_unique(),
            serial: 1,
            amount: 1,
            recipient: wallet,
        };
        assert!(matches!(
            BatchFile::build(1, None, vec![device, device]),
            Err(BatchError::DuplicateDevice(_))
        ));
        let leaf = Leaf {
            recipient: Pubkey::new_unique().to_bytes(),
            amount: 1,
        };
        assert!(matches!(
            BatchFile::new(1, vec![leaf], vec![device]),
            Err(BatchError::UnknownRecipient { .. })
        ));
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
