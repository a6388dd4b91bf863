//! The embedded state database: a kill during a commit leaves a whole
//! state, damage is detected and refused, a `DEPINSV2` file migrates, and a
//! command reads and writes only the accounts it touches.

use {
    depin_client::{
        backend::{AccountFilter, Backend, BackendExt},
        embedded::{EmbeddedCluster, StateFileError},
        store::{AccountStore, StoreMeta},
    },
    depin_sdk::{Keypair, Pubkey, Signer},
    rand::{Rng, SeedableRng},
    sha2::{Digest, Sha256},
    solana_account::Account,
    std::{
        path::{Path, PathBuf},
        process::{Command, Stdio},
        time::Duration,
    },
};

/// Accounts every commit of the crash test rewrites together.
const ACCOUNTS_PER_COMMIT: u8 = 50;

fn directory(name: &str) -> PathBuf {
    let directory = std::env::temp_dir().join(format!("depin-store-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap();
    directory
}

fn meta(slot: u64) -> StoreMeta {
    StoreMeta {
        upgrade_authority: [7; 32],
        slot,
        epoch_start_timestamp: 0,
        epoch: 0,
        leader_schedule_epoch: 0,
        unix_timestamp: 1_800_000_000,
        blockhash: [9; 32],
        faucet: vec![1; 64],
        lookup_table: None,
    }
}

/// Account `index`'s address (never zero: that is the system program).
fn address(index: u8) -> Pubkey {
    Pubkey::new_from_array([index.wrapping_add(1); 32])
}

/// The contents of account `index` at commit `generation`: every byte of
/// every account says which commit wrote it.
fn account(generation: u64, index: u8) -> Account {
    let size = if index == 0 { 40_000 } else { 600 };
    Account {
        lamports: generation + 1,
        data: vec![(generation % 251) as u8; size],
        owner: address(200),
        executable: false,
        rent_epoch: u64::MAX,
    }
}

fn generation_state(generation: u64) -> Vec<(Pubkey, Account)> {
    (0..ACCOUNTS_PER_COMMIT)
        .map(|index| (address(index), account(generation, index)))
        .collect()
}

/// The child of [`a_kill_during_a_commit_leaves_the_previous_or_the_next_state`]:
/// commits generation after generation until it is killed.
#[test]
#[ignore = "run by the crash test as a child process"]
fn committing_child() {
    let Some(path) = std::env::var_os("DEPIN_STORE_CHILD") else {
        return;
    };
    let store = AccountStore::open(Path::new(&path)).unwrap();
    let first = store.meta().unwrap().slot;
    let mut generation = first;
    loop {
        generation += 1;
        let changes = generation_state(generation)
            .into_iter()
            .map(|(address, account)| (address, Some(account)));
        store.commit(&meta(generation), changes).unwrap();
        if generation == first + 1 {
            // The parent kills only after this, however slow the start.
            println!("{FIRST_COMMIT}");
        }
    }
}

const FIRST_COMMIT: &str = "the child committed its first generation";

/// What a state must look like after any crash: one generation everywhere.
fn assert_whole(path: &Path) -> u64 {
    let store = AccountStore::open(path).expect("the state opens after a kill");
    let generation = store.meta().unwrap().slot;
    let accounts = store.program_accounts(&address(200), None).unwrap();
    assert_eq!(accounts, generation_state(generation), "a mixed state");
    assert_eq!(store.verify().unwrap(), u64::from(ACCOUNTS_PER_COMMIT));
    generation
}

#[test]
fn a_kill_during_a_commit_leaves_the_previous_or_the_next_state() {
    let directory = directory("crash");
    let path = directory.join("state.db");
    AccountStore::create(&path, &meta(0), generation_state(0)).unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut last = 0;
    for _ in 0..12 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "committing_child", "--ignored", "--nocapture"])
            .env("DEPIN_STORE_CHILD", &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        while !line.contains(FIRST_COMMIT) {
            line.clear();
            let read = std::io::BufRead::read_line(&mut stdout, &mut line).unwrap();
            assert!(read > 0, "the child ended before its first commit");
        }
        std::thread::sleep(Duration::from_millis(rng.gen_range(30..250)));
        child.kill().unwrap(); // SIGKILL: no chance to finish the write
        child.wait().unwrap();
        let generation = assert_whole(&path);
        assert!(generation >= last, "a kill lost a committed generation");
        last = generation;
    }
    assert!(
        last > 0,
        "the child never committed: the test measured nothing"
    );
    std::fs::remove_dir_all(&directory).ok();
}

#[test]
fn damage_is_detected_and_refused() {
    let directory = directory("damage");
    let path = directory.join("state.db");
    let marked = address(150);
    let marker: Vec<u8> = (0..600u32).map(|index| (index * 7 + 3) as u8).collect();
    let mut accounts = generation_state(3);
    accounts.push((
        marked,
        Account {
            lamports: 1,
            data: marker.clone(),
            owner: address(200),
            executable: false,
            rent_epoch: 0,
        },
    ));
    AccountStore::create(&path, &meta(3), accounts).unwrap();
    let pristine = std::fs::read(&path).unwrap();

    // One byte of one account's data.
    let at = pristine
        .windows(marker.len())
        .position(|window| window == marker.as_slice())
        .expect("the account's data is in the file");
    let mut damaged = pristine.clone();
    damaged[at + 300] ^= 0x40;
    std::fs::write(&path, &damaged).unwrap();
    let store = AccountStore::open(&path).unwrap();
    assert!(
        store.get(&address(1)).unwrap().is_some(),
        "others still read"
    );
    for refused in [
        store.get(&marked).unwrap_err(),
        store.program_accounts(&address(200), None).unwrap_err(),
        store.verify().unwrap_err(),
    ] {
        assert!(
            matches!(refused, StateFileError::Corrupt { .. }),
            "{refused}"
        );
        assert!(
            refused.to_string().contains("checksum does not match"),
            "{refused}"
        );
    }
    drop(store);

    // The header.
    let mut damaged = pristine.clone();
    damaged[0] = b'X';
    std::fs::write(&path, &damaged).unwrap();
    let refused = AccountStore::open(&path).err().expect("refused");
    assert!(refused.to_string().contains("wrong header"), "{refused}");

    // A SQLite database that is not a depin state.
    let other = directory.join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    let refused = AccountStore::open(&other).err().expect("refused");
    assert!(
        refused.to_string().contains("not a depin state"),
        "{refused}"
    );

    // A state of another format version.
    std::fs::write(&path, &pristine).unwrap();
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99")
        .unwrap();
    let refused = AccountStore::open(&path).err().expect("refused");
    assert!(refused.to_string().contains("format 99"), "{refused}");

    // The network row.
    std::fs::write(&path, &pristine).unwrap();
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("UPDATE network SET checksum = zeroblob(32)")
        .unwrap();
    let refused = AccountStore::open(&path).unwrap().meta().unwrap_err();
    assert!(refused.to_string().contains("network row"), "{refused}");

    // Missing.
    let refused = AccountStore::open(&directory.join("missing.db"))
        .err()
        .expect("refused");
    assert!(matches!(refused, StateFileError::Read { .. }));
    std::fs::remove_dir_all(&directory).ok();
}

/// The `DEPINSV2` single-file layout, written as the previous depin did.
#[derive(serde::Serialize)]
struct StateV2 {
    upgrade_authority: [u8; 32],
    slot: u64,
    unix_timestamp: i64,
    blockhash: [u8; 32],
    faucet: Vec<u8>,
    accounts: Vec<AccountV2>,
}

#[derive(serde::Serialize)]
struct AccountV2 {
    address: [u8; 32],
    lamports: u64,
    owner: [u8; 32],
    executable: bool,
    rent_epoch: u64,
    data: Vec<u8>,
}

#[test]
fn a_v2_state_file_is_migrated_in_place_with_a_backup() {
    let directory = directory("migrate");
    let path = directory.join("state.bin");
    let faucet = Keypair::new();
    let wallet = Keypair::new();
    let saved = StateV2 {
        upgrade_authority: [5; 32],
        slot: 4_321,
        unix_timestamp: 1_800_000_123,
        blockhash: [6; 32],
        faucet: faucet.to_bytes().to_vec(),
        accounts: vec![
            AccountV2 {
                address: wallet.pubkey().to_bytes(),
                lamports: 5_000_000_000,
                owner: [0; 32],
                executable: false,
                rent_epoch: u64::MAX,
                data: Vec::new(),
            },
            AccountV2 {
                address: faucet.pubkey().to_bytes(),
                lamports: 1_000_000_000_000,
                owner: [0; 32],
                executable: false,
                rent_epoch: u64::MAX,
                data: Vec::new(),
            },
        ],
    };
    let body = bincode::serialize(&saved).unwrap();
    let mut file = b"DEPINSV2".to_vec();
    file.extend_from_slice(&Sha256::digest(&body));
    file.extend_from_slice(&body);
    std::fs::write(&path, &file).unwrap();

    let mut cluster = EmbeddedCluster::load(&path, Keypair::new()).unwrap();
    assert_eq!(std::fs::read(directory.join("state.bin.v2")).unwrap(), file);
    assert_eq!(cluster.clock().slot, 4_321);
    assert_eq!(cluster.clock().unix_timestamp, 1_800_000_123);
    assert_eq!(cluster.balance(&wallet.pubkey()), 5_000_000_000);
    assert_eq!(
        cluster.upgrade_authority_address(),
        Pubkey::new_from_array([5; 32])
    );
    // The migrated state works: the saved faucet pays an airdrop.
    let receiver = Pubkey::new_unique();
    cluster.airdrop(&receiver, 1_000_000_000).unwrap();
    cluster.persist().unwrap();
    let again = EmbeddedCluster::load(&path, Keypair::new()).unwrap();
    assert_eq!(again.balance(&receiver), 1_000_000_000);
    assert_eq!(
        again.balance(&faucet.pubkey()),
        1_000_000_000_000 - 1_000_000_000 - 5_000,
        "the faucet paid the airdrop and its fee"
    );
    assert!(!EmbeddedCluster::migrate(&path).unwrap(), "migrated once");

    // A damaged v2 file is refused, not migrated.
    let mut damaged = file.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    std::fs::write(&path, &damaged).unwrap();
    let refused = EmbeddedCluster::load(&path, Keypair::new())
        .err()
        .expect("refused");
    assert!(
        refused.to_string().contains("checksum does not match"),
        "{refused}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), damaged, "left as it was");
    std::fs::remove_dir_all(&directory).ok();
}

#[test]
fn a_command_reads_and_writes_only_what_it_touches() {
    let directory = directory("lazy");
    let path = directory.join("state.db");
    let deployer = Keypair::new();
    let mut cluster = EmbeddedCluster::with_upgrade_authority(deployer.insecure_clone());
    let owner = Pubkey::new_unique();
    let bystanders: Vec<Pubkey> = (0..20).map(|_| Pubkey::new_unique()).collect();
    for bystander in &bystanders {
        cluster.airdrop(bystander, 1_000_000).unwrap();
    }
    cluster.save(&path).unwrap();
    let store = AccountStore::open(&path).unwrap();
    let before = store.program_accounts(&Pubkey::default(), None).unwrap();
    drop(store);

    // A transfer loads two accounts and writes back the two it changed.
    let mut cluster = EmbeddedCluster::load(&path, deployer.insecure_clone()).unwrap();
    let transfer = solana_system_interface_transfer(&deployer.pubkey(), &owner, 1_000_000_777);
    cluster.send(&[transfer], &deployer, &[]).unwrap();
    assert!(
        !cluster
            .svm()
            .accounts_db()
            .inner
            .contains_key(&bystanders[0]),
        "an account nobody named was loaded"
    );
    // Before the save, reads see this run's state over the store's.
    assert_eq!(cluster.balance(&owner), 1_000_000_777);
    let system = cluster
        .get_program_accounts(&Pubkey::default(), &[AccountFilter::DataSize(0)])
        .unwrap();
    assert!(system.iter().any(|(address, _)| *address == owner));
    cluster.persist().unwrap();

    let store = AccountStore::open(&path).unwrap();
    let after = store.program_accounts(&Pubkey::default(), None).unwrap();
    let changed: Vec<Pubkey> = after
        .iter()
        .filter(|entry| !before.contains(entry))
        .map(|(address, _)| *address)
        .collect();
    let mut expected = vec![deployer.pubkey(), owner];
    expected.sort();
    assert_eq!(changed, expected, "only the payer and the receiver changed");
    assert_eq!(after.len(), before.len() + 1);
    let reloaded = EmbeddedCluster::load(&path, Keypair::new()).unwrap();
    assert_eq!(reloaded.balance(&owner), 1_000_000_777);
    assert_eq!(
        reloaded.account(&owner).unwrap(),
        store.get(&owner).unwrap().unwrap()
    );
    std::fs::remove_dir_all(&directory).ok();
}

/// A system-program transfer (the client crate has no system-interface
/// dependency of its own).
fn solana_system_interface_transfer(
    from: &Pubkey,
    to: &Pubkey,
    lamports: u64,
) -> depin_sdk::Instruction {
    let mut data = 2u32.to_le_bytes().to_vec();
    data.extend_from_slice(&lamports.to_le_bytes());
    depin_sdk::Instruction {
        program_id: Pubkey::default(),
        accounts: vec![
            depin_sdk::AccountMeta::new(*from, true),
            depin_sdk::AccountMeta::new(*to, false),
        ],
        data,
    }
}

#[test]
fn reads_of_a_loaded_state_need_no_runtime() {
    let directory = directory("reads");
    let path = directory.join("state.db");
    let cluster = EmbeddedCluster::new();
    let wallet = cluster.upgrade_authority_address();
    cluster.save(&path).unwrap();
    let loaded = EmbeddedCluster::load(&path, Keypair::new()).unwrap();
    assert!(loaded.balance(&wallet) > 0);
    assert_eq!(loaded.clock(), cluster.clock());
    assert!(
        !loaded.has_runtime(),
        "reading saved accounts and the clock started the runtime"
    );
    // An address the store lacks may be one a fresh runtime creates.
    assert!(loaded.account(&depin_sdk::programs::rewards::ID).is_some());
    assert!(loaded.has_runtime());
    assert_eq!(loaded.token_balance(&Pubkey::new_unique()), 0);
    let _ = loaded.mint_supply(&Pubkey::new_unique());
    assert!(loaded
        .fetch_optional::<depin_sdk::programs::rewards::state::RewardsConfig>(
            &depin_sdk::pda::rewards_config().0
        )
        .unwrap()
        .is_none());
    std::fs::remove_dir_all(&directory).ok();
}
