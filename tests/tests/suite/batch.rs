//! The batch file an oracle publishes, checked end to end against the
//! on-chain commitment; and the size of a claim against a million devices.

use {
    depin_sdk::rewards,
    depin_sdk::{
        accounts::BatchStatus,
        batch::{BatchError, BatchFile},
        merkle::{self, Leaf, Node},
        txsize, Instruction, Keypair, Pubkey, Signer, MAX_TRANSACTION_SIZE,
    },
    depin_tests::proof_oracle::*,
    rand::{rngs::StdRng, Rng, SeedableRng},
    sha2::{Digest, Sha256},
};

fn random_leaves(count: usize, seed: u64) -> Vec<Leaf> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..count)
        .map(|index| Leaf {
            device_key: rng.gen(),
            serial: index as u64 + 1,
            amount: rng.gen_range(0..5_000_000),
        })
        .collect()
}

#[test]
fn a_batch_file_round_trips_and_its_hash_is_the_commitment() {
    let batch = BatchFile::new(7, random_leaves(1_001, 1)).unwrap();
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
    assert_eq!(commitment.leaf_count, 1_001);
    assert_eq!(
        commitment.total,
        batch.leaves().iter().map(|leaf| leaf.amount).sum::<u64>()
    );

    let read = BatchFile::read(&path).unwrap();
    assert_eq!(read.epoch, 7);
    assert_eq!(read.leaves(), batch.leaves());
    assert_eq!(read.commitment(), commitment);
}

#[test]
fn tampered_or_truncated_batch_files_are_refused() {
    let batch = BatchFile::new(1, random_leaves(300, 2)).unwrap();
    let bytes = batch.to_bytes();
    let header = 64;

    let mut amount_changed = bytes.clone();
    amount_changed[header + 40] ^= 1; // first leaf's amount
    assert!(matches!(
        BatchFile::from_bytes(&amount_changed),
        Err(BatchError::TreeMismatch { level: 1 })
    ));
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
    let mut version = bytes.clone();
    version[8] = 9;
    assert!(matches!(
        BatchFile::from_bytes(&version),
        Err(BatchError::UnsupportedVersion(9))
    ));
    let missing = BatchFile::read(std::path::Path::new("/nonexistent/epoch.batch"));
    let message = missing.err().unwrap().to_string();
    assert!(message.contains("/nonexistent/epoch.batch"), "{message}");
}

#[test]
fn a_device_appears_once_per_batch() {
    let mut leaves = random_leaves(10, 3);
    leaves[7].device_key = leaves[2].device_key;
    assert!(matches!(
        BatchFile::new(1, leaves),
        Err(BatchError::DuplicateDevice(key)) if key == Pubkey::new_from_array(random_leaves(10, 3)[2].device_key)
    ));
    assert!(matches!(
        BatchFile::new(1, vec![]),
        Err(BatchError::Merkle(_))
    ));
}

#[test]
fn proofs_from_a_published_batch_verify_against_the_final_commitment() {
    let mut net = OracleNet::new(3, 2);
    let batch = BatchFile::new(0, random_leaves(5_000, 4)).unwrap();
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
        let device = Pubkey::new_from_array(leaf.device_key);
        let (index, found, proof) = batch.proof_for(&device).unwrap();
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
    assert!(batch.proof_for(&Keypair::new().pubkey()).is_none());
}

/// The rewards program's real claim instruction with a proof of
/// `proof_entries` nodes, and the accounts every claim of the batch shares.
fn claim_instruction(proof_entries: usize) -> (Pubkey, Instruction, Vec<Pubkey>) {
    let payer = Pubkey::new_from_array([4; 32]);
    let claim = rewards::claim_rewards(rewards::DeviceClaim {
        batch_epoch: 7,
        device_key: Keypair::new().pubkey(),
        // One owner's fleet: every claim pays the same account.
        destination: Pubkey::new_from_array([3; 32]),
        amount: u64::MAX,
        index: u32::MAX,
        proof: vec![
            rewards::ProofNode {
                hash: [9; 32],
                sum: u64::MAX
            };
            proof_entries
        ],
    });
    (payer, claim, rewards::claim_shared_accounts(7))
}

#[test]
fn a_claim_against_a_million_device_batch_fits_in_one_transaction() {
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
        "claim, 1,000,000-leaf batch: proof {} bytes; legacy transaction {legacy} bytes; \
         v0 with a lookup table {v0} bytes; limit {MAX_TRANSACTION_SIZE}",
        entries * merkle::PROOF_NODE_BYTES
    );
    // Eleven accounts and an 800-byte proof overflow a legacy transaction;
    // with the shared accounts in a lookup table the claim fits.
    assert!(legacy > MAX_TRANSACTION_SIZE);
    assert!(v0 <= MAX_TRANSACTION_SIZE, "{v0} bytes");
}

#[test]
fn fleet_claims_fit_several_devices_of_small_batches_per_transaction() {
    // How many claims of one owner's devices one v0 transaction carries,
    // by batch size, with the shared accounts and the fleet's device
    // accounts in a lookup table: the proofs dominate.
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
            // The fleet's device account (the one account not shared).
            for meta in &claim.accounts {
                if !table.addresses.contains(&meta.pubkey) {
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
            "{leaves}-leaf batch: {} claims per transaction",
            claims.len()
        );
        fitted.push(claims.len());
    }
    assert!(fitted[0] >= 3, "{fitted:?}");
    assert!(fitted.windows(2).all(|pair| pair[0] >= pair[1]));
    assert_eq!(fitted[3], 1);
}
