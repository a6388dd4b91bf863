//! The batch file an oracle publishes (wallet leaves and per-device
//! detail), checked end to end against the on-chain commitment and against
//! the previous batch; and the size of a claim against a million wallets.

use {
    depin_sdk::rewards,
    depin_sdk::{
        accounts::BatchStatus,
        batch::{BatchError, BatchFile, DeviceReward},
        merkle::{self, Leaf, Node},
        txsize, Instruction, Keypair, Pubkey, Signer, MAX_TRANSACTION_SIZE,
    },
    depin_tests::proof_oracle::*,
    rand::{rngs::StdRng, Rng, SeedableRng},
    sha2::{Digest, Sha256},
    std::collections::HashSet,
};

/// `count` devices of random wallets (about three devices a wallet) with
/// random epoch amounts.
fn random_devices(count: usize, seed: u64) -> Vec<DeviceReward> {
    let mut rng = StdRng::seed_from_u64(seed);
    let wallets: Vec<Pubkey> = (0..count.div_ceil(3))
        .map(|_| Pubkey::new_from_array(rng.gen()))
        .collect();
    (0..count)
        .map(|index| DeviceReward {
            device_key: Pubkey::new_from_array(rng.gen()),
            serial: index as u64 + 1,
            amount: rng.gen_range(0..5_000_000),
            recipient: wallets[rng.gen_range(0..wallets.len())],
        })
        .collect()
}

/// `count` wallet leaves with random amounts, without device detail.
fn random_leaves(count: usize, seed: u64) -> Vec<Leaf> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..count)
        .map(|_| Leaf {
            recipient: rng.gen(),
            amount: rng.gen_range(0..5_000_000),
        })
        .collect()
}

/// The header: magic, version, epoch, leaf count, total, root, device count.
const HEADER: usize = 8 + 4 + 8 + 4 + 8 + 32 + 4;

#[test]
fn a_batch_file_round_trips_and_its_hash_is_the_commitment() {
    let devices = random_devices(1_001, 1);
    let batch = BatchFile::build(7, None, devices.clone()).unwrap();
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("epoch-7.batch");
    batch.write(&path).unwrap();
    assert!(!path.with_extension("partial").exists());

    let bytes = std::fs::read(&path).unwrap();
    let commitment = batch.commitment();
    assert_eq!(
        commitment.proof_data_hash,
        <[u8; 32]>::from(Sha256::digest(&bytes))
    );
    let wallets: HashSet<Pubkey> = devices.iter().map(|device| device.recipient).collect();
    assert_eq!(commitment.leaf_count as usize, wallets.len());
    assert_eq!(
        commitment.total,
        devices.iter().map(|device| device.amount).sum::<u64>()
    );
    // Each wallet's leaf is what its devices earned.
    for leaf in batch.leaves() {
        let wallet = Pubkey::new_from_array(leaf.recipient);
        let fleet: u64 = batch.devices_of(&wallet).map(|device| device.amount).sum();
        assert_eq!(leaf.amount, fleet);
    }

    let read = BatchFile::read(&path).unwrap();
    assert_eq!(read.epoch(), 7);
    assert_eq!(read.leaves(), batch.leaves());
    assert_eq!(read.devices(), batch.devices());
    assert_eq!(read.commitment(), commitment);
    read.recompute(None).unwrap();
}

/// A wallet's leaf carries its amount forward from the previous final
/// batch and adds what its devices earned this epoch, so anyone holding
/// both files recomputes the leaves; a file whose leaves or device detail
/// were altered, or that is checked against the wrong previous batch, does
/// not recompute, and its hash (the commitment) changes with any byte.
#[test]
fn batches_are_recomputable_from_the_previous_final_batch() {
    let first = BatchFile::build(1, None, random_devices(300, 2)).unwrap();
    let mut devices = random_devices(30, 3);
    // Some of epoch 2's devices pay wallets of epoch 1, the rest new ones.
    let old_wallets: Vec<Pubkey> = first
        .leaves()
        .iter()
        .map(|leaf| Pubkey::new_from_array(leaf.recipient))
        .collect();
    for (device, wallet) in devices.iter_mut().zip(old_wallets.iter().step_by(7)) {
        device.recipient = *wallet;
    }
    let second = BatchFile::build(2, Some(&first), devices.clone()).unwrap();
    second.recompute(Some(&first)).unwrap();
    for leaf in second.leaves() {
        let wallet = Pubkey::new_from_array(leaf.recipient);
        let before = first
            .proof_for(&wallet)
            .map_or(0, |(_, leaf, _)| leaf.amount);
        let now: u64 = second.devices_of(&wallet).map(|device| device.amount).sum();
        assert_eq!(leaf.amount, before + now);
    }
    // Every wallet of epoch 1 keeps its leaf, with or without devices now.
    assert!(old_wallets
        .iter()
        .all(|wallet| second.proof_for(wallet).is_some()));
    assert!(matches!(
        second.recompute(None),
        Err(BatchError::NotRecomputable(_))
    ));

    // A leaf raised by one unit, device detail unchanged.
    let mut leaves = second.leaves().to_vec();
    leaves[0].amount += 1;
    let inflated = BatchFile::new(2, leaves, second.devices().to_vec()).unwrap();
    assert!(matches!(
        inflated.recompute(Some(&first)),
        Err(BatchError::NotRecomputable(_))
    ));
    // A device's amount altered in the file: it still reads (the tree is
    // over the leaves), but no longer recomputes or matches the commitment.
    let mut bytes = second.to_bytes();
    let device_amount = HEADER + second.leaves().len() * 40 + 40;
    bytes[device_amount] ^= 1;
    let altered = BatchFile::from_bytes(&bytes).unwrap();
    assert!(matches!(
        altered.recompute(Some(&first)),
        Err(BatchError::NotRecomputable(_))
    ));
    assert_ne!(
        altered.commitment().proof_data_hash,
        second.commitment().proof_data_hash
    );
    assert_eq!(altered.root(), second.root());
}

/// A batch may carry the evidence its amounts were computed from
/// (version 3): it reads back byte for byte, the commitment's hash covers
/// it, and a batch without evidence is still written as version 2.
#[test]
fn a_batch_carries_its_evidence_under_its_hash() {
    let plain = BatchFile::build(4, None, random_devices(20, 3)).unwrap();
    let plain_bytes = plain.to_bytes();
    assert_eq!(
        u32::from_le_bytes(plain_bytes[8..12].try_into().unwrap()),
        2
    );
    assert!(plain.evidence().is_empty());

    let evidence = b"reports, registry snapshot, pool, rule".to_vec();
    let carrying = BatchFile::build(4, None, random_devices(20, 3))
        .unwrap()
        .with_evidence(evidence.clone());
    let bytes = carrying.to_bytes();
    assert_eq!(u32::from_le_bytes(bytes[8..12].try_into().unwrap()), 3);
    assert_eq!(&bytes[..plain_bytes.len()][12..], &plain_bytes[12..]);
    assert_eq!(bytes.len(), plain_bytes.len() + 4 + evidence.len());
    let read = BatchFile::from_bytes(&bytes).unwrap();
    assert_eq!(read.evidence(), &evidence[..]);
    assert_eq!(read.leaves(), plain.leaves());
    // The hash covers the evidence: a changed byte of it is another batch.
    assert_eq!(
        carrying.commitment().proof_data_hash,
        <[u8; 32]>::from(Sha256::digest(&bytes))
    );
    assert_ne!(
        carrying.commitment().proof_data_hash,
        plain.commitment().proof_data_hash
    );
    // Truncated evidence, a wrong or zero length: refused.
    for broken in [
        bytes[..bytes.len() - 1].to_vec(),
        [bytes.clone(), vec![0]].concat(),
        bytes[..plain_bytes.len()].to_vec(),
        {
            let mut zero = bytes[..plain_bytes.len()].to_vec();
            zero.extend_from_slice(&0u32.to_le_bytes());
            zero
        },
    ] {
        assert!(
            matches!(
                BatchFile::from_bytes(&broken),
                Err(BatchError::WrongLength { .. })
            ),
            "{} bytes",
            broken.len()
        );
    }
}

#[test]
fn tampered_or_truncated_batch_files_are_refused() {
    let batch = BatchFile::build(1, None, random_devices(300, 2)).unwrap();
    let bytes = batch.to_bytes();

    let mut amount_changed = bytes.clone();
    amount_changed[HEADER + 32] ^= 1; // first leaf's amount
    assert!(matches!(
        BatchFile::from_bytes(&amount_changed),
        Err(BatchError::TreeMismatch { level: 1 })
    ));
    let mut wallet_changed = bytes.clone();
    wallet_changed[HEADER] ^= 1; // first leaf's wallet
    assert!(BatchFile::from_bytes(&wallet_changed).is_err());
    let mut node_changed = bytes.clone();
    let last = node_changed.len() - 1;
    node_changed[last] ^= 1; // the stored root node's sum
    assert!(matches!(
        BatchFile::from_bytes(&node_changed),
        Err(BatchError::TreeMismatch { .. })
    ));
    let mut root_changed = bytes.clone();
    root_changed[40] ^= 1; // header root hash
    assert!(matches!(
        BatchFile::from_bytes(&root_changed),
        Err(BatchError::RootMismatch)
    ));
    let mut count_changed = bytes.clone();
    count_changed[64] ^= 1; // device count
    assert!(matches!(
        BatchFile::from_bytes(&count_changed),
        Err(BatchError::WrongLength { .. })
    ));
    assert!(matches!(
        BatchFile::from_bytes(&bytes[..bytes.len() - 1]),
        Err(BatchError::WrongLength { .. })
    ));
    assert!(matches!(
        BatchFile::from_bytes(&bytes[..10]),
        Err(BatchError::WrongLength { .. })
    ));
    let mut magic = bytes.clone();
    magic[0] = b'X';
    assert!(matches!(
        BatchFile::from_bytes(&magic),
        Err(BatchError::BadMagic)
    ));
    // Version 1 (per-device leaves) and unknown versions.
    for version in [1, 9] {
        let mut changed = bytes.clone();
        changed[8] = version;
        assert!(matches!(
            BatchFile::from_bytes(&changed),
            Err(BatchError::UnsupportedVersion(found)) if found == u32::from(version)
        ));
    }
    let missing = BatchFile::read(std::path::Path::new("/nonexistent/epoch.batch"));
    let message = missing.err().unwrap().to_string();
    assert!(message.contains("/nonexistent/epoch.batch"), "{message}");
}

/// A wallet has one leaf and a device one line of detail per batch, and
/// every device pays a wallet of the batch.
#[test]
fn wallets_and_devices_appear_once_per_batch() {
    let mut leaves = random_leaves(10, 3);
    leaves[7].recipient = leaves[2].recipient;
    let twice = Pubkey::new_from_array(leaves[2].recipient);
    assert!(matches!(
        BatchFile::new(1, leaves, vec![]),
        Err(BatchError::DuplicateRecipient(key)) if key == twice
    ));
    let mut devices = random_devices(10, 4);
    devices[7].device_key = devices[2].device_key;
    let twice = devices[2].device_key;
    assert!(matches!(
        BatchFile::build(1, None, devices),
        Err(BatchError::DuplicateDevice(key)) if key == twice
    ));
    let device = random_devices(1, 5)[0];
    assert!(matches!(
        BatchFile::new(1, random_leaves(3, 6), vec![device]),
        Err(BatchError::UnknownRecipient { device: key, .. }) if key == device.device_key
    ));
    let mut huge = random_devices(2, 7);
    huge[1].recipient = huge[0].recipient;
    huge[0].amount = u64::MAX;
    huge[1].amount = 1;
    assert!(matches!(
        BatchFile::build(1, None, huge),
        Err(BatchError::Overflow)
    ));
    assert!(matches!(
        BatchFile::new(1, vec![], vec![]),
        Err(BatchError::Merkle(_))
    ));
}

#[test]
fn proofs_from_a_published_batch_verify_against_the_final_commitment() {
    let mut net = OracleNet::new(3, 2);
    let batch = BatchFile::build(0, None, random_devices(5_000, 4)).unwrap();
    let commitment = batch.commitment();
    net.after_epoch(0, 60);
    net.vote(0, 0, commitment).unwrap();
    net.vote(2, 0, commitment).unwrap();
    let on_chain = net.batch(0);
    assert_eq!(on_chain.status, BatchStatus::Final);
    let root = Node {
        hash: on_chain.commitment.root,
        sum: on_chain.commitment.total,
    };
    for leaf in batch.leaves().iter().step_by(97) {
        let wallet = Pubkey::new_from_array(leaf.recipient);
        let (index, found, proof) = batch.proof_for(&wallet).unwrap();
        assert_eq!(found, *leaf);
        merkle::verify(leaf, index, on_chain.commitment.leaf_count, &proof, &root).unwrap();
        let mut inflated = *leaf;
        inflated.amount += 1;
        assert!(merkle::verify(
            &inflated,
            index,
            on_chain.commitment.leaf_count,
            &proof,
            &root
        )
        .is_err());
    }
    // A device key is not a wallet of the batch.
    let device = batch.devices()[0].device_key;
    assert!(batch.proof_for(&device).is_none());
    assert!(batch.proof_for(&Keypair::new().pubkey()).is_none());
}

/// The rewards program's real claim instruction for a new wallet with a
/// proof of `proof_entries` nodes, its payer, and the accounts every claim
/// of the batch shares.
fn claim_instruction(proof_entries: usize) -> (Pubkey, Instruction, Vec<Pubkey>) {
    let payer = Pubkey::new_from_array([4; 32]);
    let claim = rewards::claim_rewards(
        payer,
        rewards::WalletClaim {
            batch_epoch: 7,
            recipient: Keypair::new().pubkey(),
            amount: u64::MAX,
            index: u32::MAX,
            proof: vec![
                rewards::ProofNode {
                    hash: [9; 32],
                    sum: u64::MAX
                };
                proof_entries
            ],
        },
    );
    (payer, claim, rewards::claim_shared_accounts(7))
}

#[test]
fn a_claim_against_a_million_wallet_batch_fits_in_one_transaction() {
    let entries = merkle::proof_len(0, 1_000_000);
    assert_eq!(entries, 20);
    let (payer, claim, shared) = claim_instruction(entries);
    let legacy = txsize::legacy_size(&payer, std::slice::from_ref(&claim));
    let table = txsize::LookupTable {
        key: Keypair::new().pubkey(),
        addresses: shared,
    };
    let v0 = txsize::v0_size(
        &payer,
        std::slice::from_ref(&claim),
        std::slice::from_ref(&table),
    )
    .unwrap();
    println!(
        "claim, 1,000,000-wallet batch: proof {} bytes; legacy transaction {legacy} bytes; \
         v0 with a lookup table {v0} bytes; limit {MAX_TRANSACTION_SIZE}",
        entries * merkle::PROOF_NODE_BYTES
    );
    // Twelve accounts and an 800-byte proof overflow a legacy transaction;
    // with the shared accounts in a lookup table the claim fits.
    assert_eq!(claim.accounts.len(), 12);
    assert!(legacy > MAX_TRANSACTION_SIZE);
    assert!(v0 <= MAX_TRANSACTION_SIZE, "{v0} bytes");
}

#[test]
fn payout_cranks_fit_several_wallets_claims_of_small_batches_per_transaction() {
    // How many wallets' claims one v0 transaction carries, by batch size,
    // with the shared accounts and each wallet's own accounts (wallet,
    // record, token account) in a lookup table: the proofs dominate.
    let mut fitted = Vec::new();
    for leaves in [100u32, 1_000, 10_000, 1_000_000] {
        let entries = merkle::proof_len(0, leaves);
        let (payer, _, shared) = claim_instruction(entries);
        let mut table = txsize::LookupTable {
            key: Keypair::new().pubkey(),
            addresses: shared,
        };
        let mut claims = Vec::new();
        loop {
            let claim = claim_instruction(entries).1;
            for meta in &claim.accounts {
                if meta.pubkey != payer && !table.addresses.contains(&meta.pubkey) {
                    table.addresses.push(meta.pubkey);
                }
            }
            claims.push(claim);
            let size = txsize::v0_size(&payer, &claims, std::slice::from_ref(&table)).unwrap();
            if size > MAX_TRANSACTION_SIZE {
                claims.pop();
                break;
            }
        }
        println!(
            "{leaves}-wallet batch: {} claims per transaction",
            claims.len()
        );
        fitted.push(claims.len());
    }
    assert!(fitted[0] >= 3, "{fitted:?}");
    assert!(fitted.windows(2).all(|pair| pair[0] >= pair[1]));
    assert_eq!(fitted[3], 1);
}
