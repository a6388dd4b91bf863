//! The batch file an oracle publishes, checked end to end against the
//! on-chain commitment; and the size of a claim against a million devices.

use {
    depin_sdk::{
        accounts::BatchStatus,
        batch::{BatchError, BatchFile},
        merkle::{self, Leaf, Node},
        txsize, AccountMeta, Instruction, Keypair, Pubkey, Signer, MAX_TRANSACTION_SIZE,
    },
    depin_tests::oracle::*,
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

/// The accounts a claim needs (the rewards program's `claim`): fee payer,
/// rewards config, oracle config, the epoch batch, the device, its reward
/// record, the reward vault, the vault authority, the owner's token
/// account, the token program, and the event authority; plus the program.
fn claim_instruction(proof_entries: usize) -> (Pubkey, Instruction, Vec<Pubkey>) {
    let payer = Keypair::new().pubkey();
    let program = Keypair::new().pubkey();
    let writable = |key| AccountMeta::new(key, false);
    let readonly = |key| AccountMeta::new_readonly(key, false);
    let [config, oracle_config, batch, device, record, vault, vault_authority, destination, token_program, event_authority] =
        std::array::from_fn(|_| Keypair::new().pubkey());
    let accounts = vec![
        AccountMeta::new(payer, true),
        readonly(config),
        readonly(oracle_config),
        readonly(batch),
        readonly(device),
        writable(record),
        writable(vault),
        readonly(vault_authority),
        writable(destination),
        readonly(token_program),
        readonly(event_authority),
        readonly(program),
    ];
    // Discriminator, leaf index, cumulative amount, proof (Borsh Vec).
    let mut data = vec![0u8; 8 + 4 + 8 + 4];
    data.extend(std::iter::repeat_n(
        0u8,
        proof_entries * merkle::PROOF_NODE_BYTES,
    ));
    // Accounts every claim shares, kept in one lookup table.
    let shared = vec![
        config,
        oracle_config,
        vault,
        vault_authority,
        token_program,
        event_authority,
    ];
    (
        payer,
        Instruction {
            program_id: program,
            accounts,
            data,
        },
        shared,
    )
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
    let v0 = txsize::v0_size(&payer, std::slice::from_ref(&claim), &[table]).unwrap();
    println!(
        "claim, 1,000,000-leaf batch: proof {} bytes; legacy transaction {legacy} bytes; \
         v0 with a lookup table {v0} bytes; limit {MAX_TRANSACTION_SIZE}",
        entries * merkle::PROOF_NODE_BYTES
    );
    // Twelve accounts and an 800-byte proof overflow a legacy transaction;
    // with the shared accounts in a lookup table the claim fits.
    assert!(legacy > MAX_TRANSACTION_SIZE);
    assert!(v0 <= MAX_TRANSACTION_SIZE, "{v0} bytes");
}
