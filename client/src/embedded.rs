//! The suite on an in-process Solana runtime: the programs run natively
//! through [`depin_runtime`], SPL Token / Token-2022 / ATA run as their real
//! SBF builds, and transactions go through the same checks as on a cluster
//! (signatures, account locks, blockhash, duplicate signatures, rent, fees).
//!
//! One difference to a cluster: only the latest blockhash is valid (a
//! cluster accepts any of the last 150). [`EmbeddedCluster::send`] always
//! signs with the latest one.
//!
//! Between runs the state lives in a SQLite database ([`crate::store`]):
//! a command loads only the accounts it names and writes back only those
//! its transactions changed.

use {
    crate::backend::{AccountFilter, Backend},
    crate::store::{AccountChange, AccountStore, StoreMeta},
    anchor_lang::{prelude::Pubkey, solana_program::instruction::Instruction, AccountDeserialize},
    depin_runtime::{LiteSVM, ProgramDeployment},
    depin_sdk::{
        errors,
        events::InnerInstruction,
        programs::{device_registry, governance, proof_oracle, rewards},
        txsize::check_size,
        SdkError, Simulation, TransactionFailure, TxOutcome,
    },
    litesvm::types::TransactionMetadata,
    serde::Deserialize,
    sha2::{Digest, Sha256},
    solana_account::ReadableAccount,
    solana_address_lookup_table_interface::state::AddressLookupTable,
    solana_keypair::Keypair,
    solana_message::{v0, AddressLookupTableAccount, VersionedMessage},
    solana_signer::Signer,
    solana_transaction::{versioned::VersionedTransaction, Transaction},
    std::{
        cell::OnceCell,
        collections::HashSet,
        fs,
        path::{Path, PathBuf},
    },
};

pub use crate::store::StateFileError;

pub use litesvm::types::FailedTransactionMetadata;
pub use solana_account::Account;
pub use solana_clock::Clock;
pub use solana_rent::Rent;

/// The suite's programs (native builtins, or their SBF builds with
/// `DEPIN_PROGRAMS=sbf`).
pub fn programs() -> Vec<ProgramDeployment> {
    vec![
        ProgramDeployment {
            name: "device_registry",
            program_id: device_registry::ID,
            entry: depin_runtime::native_program!(device_registry::entry),
            has_sbf_build: true,
        },
        ProgramDeployment {
            name: "proof_oracle",
            program_id: proof_oracle::ID,
            entry: depin_runtime::native_program!(proof_oracle::entry),
            has_sbf_build: true,
        },
        ProgramDeployment {
            name: "rewards",
            program_id: rewards::ID,
            entry: depin_runtime::native_program!(rewards::entry),
            has_sbf_build: true,
        },
        ProgramDeployment {
            name: "governance",
            program_id: governance::ID,
            entry: depin_runtime::native_program!(governance::entry),
            has_sbf_build: true,
        },
    ]
}

/// Lamports given to the upgrade authority of a fresh embedded cluster.
pub const DEPLOYER_LAMPORTS: u64 = 1_000_000_000_000;

/// The suite on an in-process runtime, either wholly in memory (a fresh
/// cluster, tests, the demo) or over a state database ([`AccountStore`]):
/// then the runtime starts empty, loads the accounts a transaction or a
/// read names from the store on first use, and [`Backend::persist`] writes
/// back only the accounts committed transactions changed.
pub struct EmbeddedCluster {
    /// Built on first use over a store (a read-only command never pays for
    /// the programs' loading).
    svm: OnceCell<LiteSVM>,
    upgrade_authority: Keypair,
    /// Where [`Backend::persist`] saves a cluster that has no store yet.
    state_path: Option<PathBuf>,
    store: Option<AccountStore>,
    /// The store's network row, kept current (clock, blockhash, faucet).
    meta: Option<StoreMeta>,
    /// Addresses whose runtime copy is the truth (loaded from the store, or
    /// named by a transaction that ran here).
    loaded: HashSet<Pubkey>,
    /// Addresses committed transactions may have changed since the store
    /// was opened.
    dirty: HashSet<Pubkey>,
    /// `svm_mut` handed out the runtime: anything in it may have changed.
    all_dirty: bool,
    /// Whether anything may have changed since the state was loaded (a
    /// read-only command never writes the state).
    changed: bool,
    /// The network's lookup table (saved in the network row).
    lookup_table: Option<Pubkey>,
    /// Signers' public keys, decompressed once (most of a signature
    /// check's cost) for the checks this cluster makes itself.
    verifying_keys:
        std::cell::RefCell<std::collections::HashMap<Pubkey, ed25519_dalek::VerifyingKey>>,
}

/// Most public keys [`EmbeddedCluster`] keeps decompressed.
const VERIFYING_KEYS_KEPT: usize = 1 << 16;

/// LiteSVM's own signature checks off: [`EmbeddedCluster`] makes them
/// itself, with decompressed keys kept, before the runtime sees a
/// transaction.
fn without_sigverify(svm: LiteSVM) -> LiteSVM {
    svm.with_sigverify(false)
}

/// Owners of the accounts a fresh runtime creates by itself (sysvars,
/// builtins, loaded programs and their program data, feature gates); the
/// state leaves them out.
const RECREATED_OWNERS: [Pubkey; 7] = [
    solana_sdk_ids::sysvar::ID,
    solana_sdk_ids::native_loader::ID,
    solana_sdk_ids::bpf_loader_upgradeable::ID,
    solana_sdk_ids::bpf_loader::ID,
    solana_sdk_ids::bpf_loader_deprecated::ID,
    solana_sdk_ids::loader_v4::ID,
    solana_sdk_ids::feature::ID,
];

/// First bytes of the single-file states of earlier depin versions.
const STATE_V2_MAGIC: &[u8; 8] = b"DEPINSV2";
const STATE_V1_MAGIC: &[u8; 8] = b"DEPINSV1";

/// A `DEPINSV2` state file: every account but the programs and sysvars a
/// fresh runtime recreates, and the clock. Read only to migrate it.
#[derive(Deserialize)]
struct SavedStateV2 {
    upgrade_authority: [u8; 32],
    slot: u64,
    unix_timestamp: i64,
    blockhash: [u8; 32],
    faucet: Vec<u8>,
    accounts: Vec<SavedAccountV2>,
}

#[derive(Deserialize)]
struct SavedAccountV2 {
    address: [u8; 32],
    lamports: u64,
    owner: [u8; 32],
    executable: bool,
    rent_epoch: u64,
    data: Vec<u8>,
}

/// A transaction as [`EmbeddedCluster::execute`] ran it.
pub struct Executed {
    pub meta: TransactionMetadata,
    /// Why it failed (it may still have run and paid its fee: `ran`).
    pub error: Option<depin_sdk::TransactionError>,
    /// Its account keys, static then from lookup tables (writable first).
    pub keys: Vec<Pubkey>,
    /// Lamports of `keys` before and after.
    pub pre_balances: Vec<u64>,
    pub post_balances: Vec<u64>,
    /// The accounts it may have changed (none when it never ran).
    pub writable: Vec<Pubkey>,
    /// Whether it ran (and was charged); a refused one changed nothing.
    pub ran: bool,
}

/// A transaction as [`EmbeddedCluster::simulate_transaction`] ran it.
pub struct Simulated {
    pub meta: TransactionMetadata,
    pub error: Option<depin_sdk::TransactionError>,
    /// The accounts as the transaction left them (when it succeeded).
    pub post_accounts: Vec<(Pubkey, Account)>,
    pub keys: Vec<Pubkey>,
}

impl From<StateFileError> for SdkError {
    fn from(error: StateFileError) -> Self {
        SdkError::LocalState(error.to_string())
    }
}

impl Default for EmbeddedCluster {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether a runtime account belongs in the saved state.
fn is_saved(account: &impl ReadableAccount) -> bool {
    account.lamports() > 0 && !account.executable() && !RECREATED_OWNERS.contains(account.owner())
}

impl EmbeddedCluster {
    /// A fresh cluster with the suite deployed; a new funded keypair is the
    /// programs' upgrade authority.
    pub fn new() -> Self {
        Self::with_upgrade_authority(Keypair::new())
    }

    pub fn with_upgrade_authority(upgrade_authority: Keypair) -> Self {
        let mut svm = without_sigverify(depin_runtime::new_runtime(
            &programs(),
            &upgrade_authority.pubkey(),
        ));
        svm.airdrop(&upgrade_authority.pubkey(), DEPLOYER_LAMPORTS)
            .expect("airdrop to the deployer");
        Self {
            svm: OnceCell::from(svm),
            upgrade_authority,
            state_path: None,
            store: None,
            meta: None,
            loaded: HashSet::new(),
            dirty: HashSet::new(),
            all_dirty: false,
            changed: true,
            lookup_table: None,
            verifying_keys: Default::default(),
        }
    }

    /// The state saved at `path` by [`EmbeddedCluster::save`] (or a
    /// `DEPINSV2` file of an earlier depin, migrated first: see
    /// [`EmbeddedCluster::migrate`]). Nothing is read beyond the network
    /// row until a command asks. The upgrade authority's secret key is not
    /// saved; `upgrade_authority` is a placeholder keypair unless it is the
    /// same key.
    pub fn load(path: &Path, upgrade_authority: Keypair) -> Result<Self, StateFileError> {
        Self::migrate(path)?;
        let store = AccountStore::open(path)?;
        let meta = store.meta()?;
        if meta.faucet.len() != 64 {
            return Err(StateFileError::Corrupt {
                path: path.display().to_string(),
                reason: "the faucet key is not 64 bytes".into(),
            });
        }
        Ok(Self {
            svm: OnceCell::new(),
            upgrade_authority,
            state_path: Some(path.to_path_buf()),
            store: Some(store),
            lookup_table: meta.lookup_table.map(Pubkey::new_from_array),
            meta: Some(meta),
            loaded: HashSet::new(),
            dirty: HashSet::new(),
            all_dirty: false,
            changed: false,
            verifying_keys: Default::default(),
        })
    }

    /// Converts a `DEPINSV2` state file at `path` into a state database in
    /// place; returns whether it did. The old file is first copied to
    /// `<path>.v2`, and the database replaces it by one rename, so a crash
    /// at any point leaves a loadable state at `path`.
    pub fn migrate(path: &Path) -> Result<bool, StateFileError> {
        let display = path.display().to_string();
        let read_error = |source| StateFileError::Read {
            path: display.clone(),
            source,
        };
        let corrupt = |reason: String| StateFileError::Corrupt {
            path: display.clone(),
            reason,
        };
        let mut magic = [0u8; 8];
        {
            use std::io::Read;
            let mut file = fs::File::open(path).map_err(read_error)?;
            if file.read(&mut magic).map_err(read_error)? < magic.len() {
                return Ok(false);
            }
        }
        if &magic == STATE_V1_MAGIC {
            return Err(corrupt(
                "it was written by an older depin; move it away to start a new embedded network"
                    .into(),
            ));
        }
        if &magic != STATE_V2_MAGIC {
            return Ok(false);
        }
        let bytes = fs::read(path).map_err(read_error)?;
        let checked = &bytes[magic.len()..];
        if checked.len() < 32 {
            return Err(corrupt("truncated".into()));
        }
        let (checksum, body) = checked.split_at(32);
        if Sha256::digest(body).as_slice() != checksum {
            return Err(corrupt(
                "its checksum does not match: the file was damaged or edited".into(),
            ));
        }
        let saved: SavedStateV2 =
            bincode::deserialize(body).map_err(|error| corrupt(error.to_string()))?;
        if saved.faucet.len() != 64 {
            return Err(corrupt("the faucet key is not 64 bytes".into()));
        }
        let write_error = |source| StateFileError::Write {
            path: display.clone(),
            source,
        };
        let mut backup = path.as_os_str().to_owned();
        backup.push(".v2");
        fs::copy(path, &backup)
            .and_then(|_| fs::File::open(&backup)?.sync_all())
            .map_err(write_error)?;
        // The clock's other fields were never saved; a fresh runtime's.
        let clock = Clock {
            slot: saved.slot,
            unix_timestamp: saved.unix_timestamp,
            ..Clock::default()
        };
        let mut meta = StoreMeta {
            upgrade_authority: saved.upgrade_authority,
            slot: 0,
            epoch_start_timestamp: 0,
            epoch: 0,
            leader_schedule_epoch: 0,
            unix_timestamp: 0,
            blockhash: saved.blockhash,
            faucet: saved.faucet,
            lookup_table: None,
        };
        meta.set_clock(&clock);
        AccountStore::create(
            path,
            &meta,
            saved.accounts.into_iter().map(|account| {
                (
                    Pubkey::new_from_array(account.address),
                    Account {
                        lamports: account.lamports,
                        data: account.data,
                        owner: Pubkey::new_from_array(account.owner),
                        executable: account.executable,
                        rent_epoch: account.rent_epoch,
                    },
                )
            }),
        )?;
        Ok(true)
    }

    /// Saves the whole state as a new state database at `path`, replacing
    /// any state there at once (written aside, then renamed), so an
    /// interrupted save never leaves a half-written state.
    pub fn save(&self, path: &Path) -> Result<(), StateFileError> {
        let mut accounts = self.saved_accounts()?;
        accounts.sort_by_key(|(address, _)| *address);
        AccountStore::create(path, &self.current_meta(), accounts)
    }

    /// Every account of the state: the store's, overlaid with this run's.
    fn saved_accounts(&self) -> Result<Vec<(Pubkey, Account)>, StateFileError> {
        let mut accounts: std::collections::BTreeMap<Pubkey, Account> = match &self.store {
            Some(store) => {
                let mut all = std::collections::BTreeMap::new();
                for owner in store.owners()? {
                    all.extend(store.program_accounts(&owner, None)?);
                }
                all
            }
            None => Default::default(),
        };
        if let Some(svm) = self.svm.get() {
            for (address, account) in svm.accounts_db().inner.iter() {
                if self.store.is_none() || self.loaded.contains(address) || self.all_dirty {
                    if is_saved(account) {
                        accounts.insert(*address, Account::from(account.clone()));
                    } else if self.loaded.contains(address) {
                        accounts.remove(address);
                    }
                }
            }
            for address in &self.loaded {
                if svm.get_account(address).is_none() {
                    accounts.remove(address);
                }
            }
        }
        Ok(accounts.into_iter().collect())
    }

    /// The network row as it stands now.
    fn current_meta(&self) -> StoreMeta {
        match (self.svm.get(), &self.meta) {
            (None, Some(meta)) => StoreMeta {
                lookup_table: self.lookup_table.map(|table| table.to_bytes()),
                ..meta.clone()
            },
            _ => {
                let svm = self.svm();
                let mut meta = StoreMeta {
                    upgrade_authority: self.upgrade_authority_address().to_bytes(),
                    slot: 0,
                    epoch_start_timestamp: 0,
                    epoch: 0,
                    leader_schedule_epoch: 0,
                    unix_timestamp: 0,
                    blockhash: svm.latest_blockhash().to_bytes(),
                    faucet: svm.airdrop_keypair_bytes().to_vec(),
                    lookup_table: self.lookup_table.map(|table| table.to_bytes()),
                };
                meta.set_clock(&svm.get_sysvar::<Clock>());
                meta
            }
        }
    }

    /// The runtime, built on first use: the programs, then the saved clock,
    /// blockhash and faucet of the store. Over a store it holds only the
    /// accounts loaded so far ([`EmbeddedCluster::load_accounts`]).
    pub fn svm(&self) -> &LiteSVM {
        self.svm.get_or_init(|| {
            let meta = self
                .meta
                .as_ref()
                .expect("a cluster without a runtime has a store");
            let authority = Pubkey::new_from_array(meta.upgrade_authority);
            let mut svm = without_sigverify(depin_runtime::new_runtime(&programs(), &authority));
            svm.set_sysvar(&meta.clock());
            depin_runtime::record_slot_hash(&mut svm);
            let faucet: [u8; 64] = meta
                .faucet
                .as_slice()
                .try_into()
                .expect("checked when the store was opened");
            svm.set_airdrop_keypair(faucet);
            svm.set_latest_blockhash(depin_sdk::Hash::new_from_array(meta.blockhash));
            // A new block for this run: nothing it signs can repeat a
            // signature of an earlier run.
            svm.expire_blockhash();
            svm
        })
    }

    /// Whether the runtime was built (reads of saved accounts never build
    /// it).
    pub fn has_runtime(&self) -> bool {
        self.svm.get().is_some()
    }

    fn runtime(&mut self) -> &mut LiteSVM {
        self.svm();
        self.svm.get_mut().expect("built just now")
    }

    /// Loads `addresses` from the store into the runtime (once each), so a
    /// transaction naming them runs on their saved contents.
    pub fn load_accounts(&mut self, addresses: &[Pubkey]) -> Result<(), StateFileError> {
        if self.store.is_none() {
            return Ok(());
        }
        self.svm();
        for address in addresses {
            if self.loaded.contains(address) {
                continue;
            }
            let saved = self.store.as_ref().expect("checked").get(address)?;
            let svm = self.svm.get_mut().expect("built above");
            if let Some(account) = saved {
                svm.set_account(*address, account)
                    .map_err(|error| StateFileError::Corrupt {
                        path: self.state_path_display(),
                        reason: format!("account {address}: {error:?}"),
                    })?;
            }
            self.loaded.insert(*address);
        }
        Ok(())
    }

    /// Loads what a transaction names: its static keys, then the addresses
    /// its lookup tables hold.
    fn load_transaction_accounts(
        &mut self,
        transaction: &VersionedTransaction,
    ) -> Result<(), StateFileError> {
        if self.store.is_none() {
            return Ok(());
        }
        self.load_accounts(transaction.message.static_account_keys())?;
        if let Some(lookups) = transaction.message.address_table_lookups() {
            let tables: Vec<Pubkey> = lookups.iter().map(|lookup| lookup.account_key).collect();
            self.load_accounts(&tables)?;
            let mut addresses = Vec::new();
            for table in &tables {
                if let Some(account) = self.svm().get_account(table) {
                    if let Ok(table) = AddressLookupTable::deserialize(&account.data) {
                        addresses.extend(table.addresses.iter().copied());
                    }
                }
            }
            self.load_accounts(&addresses)?;
        }
        Ok(())
    }

    fn state_path_display(&self) -> String {
        self.state_path
            .as_ref()
            .map(|path| path.display().to_string())
            .unwrap_or_default()
    }

    /// The account at `address`, or an error naming a damaged state.
    pub fn try_account(&self, address: &Pubkey) -> Result<Option<Account>, StateFileError> {
        let Some(store) = &self.store else {
            return Ok(self
                .svm()
                .get_account(address)
                .filter(|account| account.lamports > 0));
        };
        if let Some(svm) = self.svm.get() {
            if let Some(account) = svm.get_account(address) {
                return Ok(Some(account).filter(|account| account.lamports > 0));
            }
            if self.loaded.contains(address) {
                return Ok(None);
            }
        }
        match store.get(address)? {
            Some(account) => Ok(Some(account).filter(|account| account.lamports > 0)),
            // Programs, their data and sysvars live in the runtime only.
            None => Ok(self
                .svm()
                .get_account(address)
                .filter(|account| account.lamports > 0)),
        }
    }

    /// Makes [`Backend::persist`] save to `path` (a cluster without a
    /// store saves its whole state there).
    pub fn set_state_path(&mut self, path: &Path) {
        self.state_path = Some(path.to_path_buf());
    }

    /// The upgrade authority's address (what [`EmbeddedCluster::load`]
    /// restores even without its secret key).
    pub fn upgrade_authority_address(&self) -> Pubkey {
        match &self.meta {
            Some(meta) => Pubkey::new_from_array(meta.upgrade_authority),
            None => self.upgrade_authority.pubkey(),
        }
    }

    /// This network's genesis hash: SHA-256 of `"depin-embedded-genesis-v1"`
    /// and the programs' upgrade authority, fixed for a state (it is what
    /// `depin localnet` answers to `getGenesisHash`).
    pub fn genesis_hash(&self) -> depin_sdk::Hash {
        let mut hasher = Sha256::new();
        hasher.update(b"depin-embedded-genesis-v1");
        hasher.update(self.upgrade_authority_address().to_bytes());
        depin_sdk::Hash::new_from_array(hasher.finalize().into())
    }

    /// The programs' upgrade authority (signs `initialize_*`).
    pub fn upgrade_authority(&self) -> &Keypair {
        &self.upgrade_authority
    }

    /// The runtime, to change it directly (tests). Over a store, only
    /// loaded accounts are in it ([`EmbeddedCluster::load_accounts`]), and
    /// everything in it is saved by the next [`Backend::persist`].
    pub fn svm_mut(&mut self) -> &mut LiteSVM {
        self.changed = true;
        self.all_dirty = true;
        self.runtime()
    }

    pub fn airdrop(&mut self, to: &Pubkey, lamports: u64) -> Result<(), SdkError> {
        self.changed = true;
        let faucet = self.svm().airdrop_pubkey();
        self.load_accounts(&[faucet, *to])?;
        self.dirty.extend([faucet, *to]);
        self.runtime()
            .airdrop(to, lamports)
            .map(|_| ())
            .map_err(|failed| failure(failed, &[]))
    }

    /// Builds and signs a transaction with the latest blockhash. `payer`
    /// pays the fee; `signers` are the other required signers (duplicates
    /// are ignored).
    ///
    /// If a transaction with the very same content already landed under
    /// this blockhash, the cluster moves on to a new blockhash first, as time
    /// passes between two sends on a real cluster; otherwise the second send
    /// of a repeated intent would be dropped as a duplicate.
    pub fn transaction(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<Transaction, SdkError> {
        let all = crate::backend::unique_signers(payer, signers);
        let mut transaction = Transaction::new_with_payer(instructions, Some(&payer.pubkey()));
        transaction
            .try_sign(&all, self.svm().latest_blockhash())
            .map_err(|error| SdkError::Signing(error.to_string()))?;
        if self
            .svm()
            .get_transaction(&transaction.signatures[0])
            .is_some()
        {
            self.runtime().expire_blockhash();
            transaction
                .try_sign(&all, self.svm().latest_blockhash())
                .map_err(|error| SdkError::Signing(error.to_string()))?;
        }
        check_size(&transaction)?;
        Ok(transaction)
    }

    /// Builds and signs a v0 transaction that names the accounts in
    /// `lookup_tables` through them, with the latest blockhash.
    pub fn versioned_transaction(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
        lookup_tables: &[AddressLookupTableAccount],
    ) -> Result<VersionedTransaction, SdkError> {
        let all = crate::backend::unique_signers(payer, signers);
        let sign = |blockhash| {
            let message = v0::Message::try_compile(
                &payer.pubkey(),
                instructions,
                lookup_tables,
                blockhash,
            )
            .map_err(|error| SdkError::Input(format!("cannot compile the message: {error}")))?;
            VersionedTransaction::try_new(VersionedMessage::V0(message), &all)
                .map_err(|error| SdkError::Signing(error.to_string()))
        };
        let mut transaction = sign(self.svm().latest_blockhash())?;
        if self
            .svm()
            .get_transaction(&transaction.signatures[0])
            .is_some()
        {
            self.runtime().expire_blockhash();
            transaction = sign(self.svm().latest_blockhash())?;
        }
        depin_sdk::txsize::check_versioned_size(&transaction)?;
        Ok(transaction)
    }

    /// Sends instructions in one transaction and waits for its result.
    pub fn send(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<TxOutcome, SdkError> {
        let transaction = self.transaction(instructions, payer, signers)?;
        self.send_transaction(transaction)
    }

    /// Sends an already signed transaction.
    pub fn send_transaction(&mut self, transaction: Transaction) -> Result<TxOutcome, SdkError> {
        self.send_versioned_transaction(VersionedTransaction::from(transaction))
    }

    /// Sends an already signed transaction of any version.
    pub fn send_versioned_transaction(
        &mut self,
        transaction: VersionedTransaction,
    ) -> Result<TxOutcome, SdkError> {
        self.changed = true;
        depin_sdk::txsize::check_versioned_size(&transaction)?;
        self.load_transaction_accounts(&transaction)?;
        let keys = self.resolved_keys(&transaction);
        let programs = top_level_programs(&transaction, &keys);
        // Only writable accounts can change (the fee payer even when the
        // transaction fails).
        let message = &transaction.message;
        self.dirty.extend(
            keys.iter()
                .enumerate()
                .filter(|(index, _)| {
                    message
                        .is_maybe_writable_with_reserved_addresses(*index, None::<&HashSet<Pubkey>>)
                })
                .map(|(_, key)| *key),
        );
        if let Err(error) = self.check_signatures(&transaction) {
            return Err(refused(error, &transaction));
        }
        match self.runtime().send_transaction(transaction) {
            Ok(meta) => Ok(outcome(meta, &keys)),
            Err(failed) => Err(failure(failed, &programs)),
        }
    }

    /// The checks a validator makes of signatures, with LiteSVM's own
    /// turned off (keys decompressed once instead of per signature): every
    /// required signature verifies (`SignatureFailure`), and a transaction
    /// already processed under the current blockhash is not run again
    /// (`AlreadyProcessed`). A malformed signature list is left to the
    /// runtime's sanitizing, which refuses it as it always did.
    fn check_signatures(
        &self,
        transaction: &VersionedTransaction,
    ) -> Result<(), depin_sdk::TransactionError> {
        let required = usize::from(transaction.message.header().num_required_signatures);
        let keys = transaction.message.static_account_keys();
        if transaction.signatures.len() != required || keys.len() < required {
            return Ok(());
        }
        let message = transaction.message.serialize();
        let mut cache = self.verifying_keys.borrow_mut();
        if cache.len() >= VERIFYING_KEYS_KEPT {
            cache.clear();
        }
        for (signature, key) in transaction.signatures.iter().zip(keys) {
            let verifying_key = match cache.get(key) {
                Some(known) => *known,
                None => {
                    let Ok(decompressed) = ed25519_dalek::VerifyingKey::from_bytes(&key.to_bytes())
                    else {
                        return Err(depin_sdk::TransactionError::SignatureFailure);
                    };
                    cache.insert(*key, decompressed);
                    decompressed
                }
            };
            let signature = ed25519_dalek::Signature::from_bytes(
                signature
                    .as_ref()
                    .try_into()
                    .expect("a signature is 64 bytes"),
            );
            if verifying_key.verify_strict(&message, &signature).is_err() {
                return Err(depin_sdk::TransactionError::SignatureFailure);
            }
        }
        drop(cache);
        let svm = self.svm();
        if transaction.message.recent_blockhash() == &svm.latest_blockhash()
            && svm.get_transaction(&transaction.signatures[0]).is_some()
        {
            return Err(depin_sdk::TransactionError::AlreadyProcessed);
        }
        Ok(())
    }

    /// A transaction's account keys: static ones, then writable and
    /// read-only addresses from its lookup tables (the order instructions
    /// index them in).
    fn resolved_keys(&self, transaction: &VersionedTransaction) -> Vec<Pubkey> {
        let mut keys = transaction.message.static_account_keys().to_vec();
        if let Some(lookups) = transaction.message.address_table_lookups() {
            let table = |key: &Pubkey| {
                self.svm()
                    .get_account(key)
                    .and_then(|account| {
                        AddressLookupTable::deserialize(&account.data)
                            .ok()
                            .map(|table| table.addresses.to_vec())
                    })
                    .unwrap_or_default()
            };
            let mut readonly = Vec::new();
            for lookup in lookups {
                let addresses = table(&lookup.account_key);
                let pick = |indexes: &[u8]| -> Vec<Pubkey> {
                    indexes
                        .iter()
                        .filter_map(|index| addresses.get(usize::from(*index)).copied())
                        .collect()
                };
                keys.extend(pick(&lookup.writable_indexes));
                readonly.extend(pick(&lookup.readonly_indexes));
            }
            keys.extend(readonly);
        }
        keys
    }

    /// The account at `address`.
    ///
    /// # Panics
    /// On a damaged state database; [`Backend::get_multiple_accounts`]
    /// (and [`EmbeddedCluster::try_account`]) return the error instead.
    pub fn account(&self, address: &Pubkey) -> Option<Account> {
        self.try_account(address)
            .unwrap_or_else(|error| panic!("{error}"))
    }

    /// Fetches and decodes an Anchor account.
    pub fn fetch<T: AccountDeserialize>(&self, address: &Pubkey) -> Result<T, SdkError> {
        let account = self
            .try_account(address)?
            .ok_or(SdkError::AccountNotFound(*address))?;
        depin_sdk::accounts::decode(address, &account.data)
    }

    pub fn balance(&self, address: &Pubkey) -> u64 {
        self.account(address).map_or(0, |account| account.lamports)
    }

    /// Balance of a token account; 0 when it does not exist.
    pub fn token_balance(&self, address: &Pubkey) -> u64 {
        self.account(address)
            .and_then(|account| depin_sdk::token::token_account_amount(&account.data))
            .unwrap_or(0)
    }

    pub fn mint_supply(&self, mint: &Pubkey) -> Option<u64> {
        self.account(mint)
            .and_then(|account| depin_sdk::token::mint_supply(&account.data))
    }

    /// The cluster's `Rent` sysvar (LiteSVM's default, as on mainnet).
    pub fn rent(&self) -> Rent {
        match (self.svm.get(), &self.meta) {
            (None, Some(_)) => Rent::default(),
            _ => self.svm().get_sysvar::<Rent>(),
        }
    }

    pub fn clock(&self) -> Clock {
        match (self.svm.get(), &self.meta) {
            (None, Some(meta)) => meta.clock(),
            _ => self.svm().get_sysvar::<Clock>(),
        }
    }

    /// Moves the clock forward to `unix_timestamp` (never backwards), one
    /// slot per 400 ms as on mainnet, and starts a new blockhash.
    pub fn warp_to_timestamp(&mut self, unix_timestamp: i64) {
        self.changed = true;
        let clock = self.clock();
        let elapsed_ms = unix_timestamp
            .saturating_sub(clock.unix_timestamp)
            .max(0)
            .saturating_mul(1000);
        let slots = u64::try_from(elapsed_ms / 400).unwrap_or(0);
        let svm = self.runtime();
        depin_runtime::set_clock(svm, unix_timestamp, clock.slot.saturating_add(slots));
        svm.expire_blockhash();
    }

    /// Starts a new blockhash, as a cluster does with every block.
    pub fn next_blockhash(&mut self) {
        self.runtime().expire_blockhash();
    }

    /// Advances one slot as a validator's next block: the clock's slot by
    /// one and its time to `unix_timestamp` (never back), a new blockhash
    /// (returned) and its `SlotHashes` entry. For a node serving this
    /// runtime on a clock (`depin localnet`).
    pub fn advance_slot(&mut self, unix_timestamp: i64) -> depin_sdk::Hash {
        self.changed = true;
        let slot = self.clock().slot.saturating_add(1);
        let svm = self.runtime();
        svm.expire_blockhash();
        depin_runtime::set_clock(svm, unix_timestamp, slot);
        svm.latest_blockhash()
    }

    /// Turns the runtime's own check that a transaction names the latest
    /// blockhash on or off: a node that keeps a queue of recent blockhashes
    /// checks them itself.
    pub fn set_blockhash_check(&mut self, check: bool) {
        self.runtime();
        let svm = self.svm.take().expect("built just now");
        let _ = self.svm.set(svm.with_blockhash_check(check));
    }

    /// Runs a signed transaction and commits it, returning the runtime's
    /// raw result: its metadata, the error if it failed (the fee is
    /// charged then too), and its resolved account keys. Signatures are
    /// checked first (`SignatureFailure` before anything runs); a
    /// refused transaction has empty metadata and changes nothing.
    pub fn execute(&mut self, transaction: VersionedTransaction) -> Result<Executed, SdkError> {
        self.changed = true;
        self.load_transaction_accounts(&transaction)?;
        let keys = self.resolved_keys(&transaction);
        let message = &transaction.message;
        let writable: Vec<Pubkey> = keys
            .iter()
            .enumerate()
            .filter(|(index, _)| {
                message.is_maybe_writable_with_reserved_addresses(*index, None::<&HashSet<Pubkey>>)
            })
            .map(|(_, key)| *key)
            .collect();
        let balances = |cluster: &Self| -> Vec<u64> {
            keys.iter()
                .map(|key| cluster.svm().get_balance(key).unwrap_or(0))
                .collect()
        };
        let pre_balances = balances(self);
        if let Err(error) = self.check_signatures(&transaction) {
            return Ok(Executed {
                meta: TransactionMetadata {
                    signature: transaction.signatures.first().copied().unwrap_or_default(),
                    ..TransactionMetadata::default()
                },
                error: Some(error),
                post_balances: pre_balances.clone(),
                pre_balances,
                keys,
                writable: Vec::new(),
                ran: false,
            });
        }
        self.dirty.extend(writable.iter().copied());
        let (meta, error, ran) = match self.runtime().send_transaction(transaction) {
            Ok(meta) => (meta, None, true),
            Err(failed) => {
                // A transaction that never ran charged nothing.
                let ran = failed.meta.fee > 0 || !failed.meta.logs.is_empty();
                (failed.meta, Some(failed.err), ran)
            }
        };
        Ok(Executed {
            post_balances: balances(self),
            meta,
            error,
            pre_balances,
            keys,
            writable: if ran { writable } else { Vec::new() },
            ran,
        })
    }

    /// Runs a signed transaction without committing it (no signature
    /// check when `sig_verify` is false, as `simulateTransaction` offers).
    pub fn simulate_transaction(
        &mut self,
        transaction: VersionedTransaction,
        sig_verify: bool,
    ) -> Result<Simulated, SdkError> {
        self.load_transaction_accounts(&transaction)?;
        let keys = self.resolved_keys(&transaction);
        if sig_verify {
            if let Err(error) = self.check_signatures(&transaction) {
                return Ok(Simulated {
                    meta: TransactionMetadata::default(),
                    error: Some(error),
                    post_accounts: Vec::new(),
                    keys,
                });
            }
        }
        Ok(match self.svm().simulate_transaction(transaction) {
            Ok(info) => Simulated {
                meta: info.meta,
                error: None,
                post_accounts: info
                    .post_accounts
                    .into_iter()
                    .map(|(address, account)| (address, Account::from(account)))
                    .collect(),
                keys,
            },
            Err(failed) => Simulated {
                meta: failed.meta,
                error: Some(failed.err),
                post_accounts: Vec::new(),
                keys,
            },
        })
    }

    /// Writes what changed since the last save to the store and starts
    /// counting afresh: a long-running node saves only the accounts each
    /// interval changed. Without a store, the whole state to the state path.
    pub fn save_changes(&mut self) -> Result<(), SdkError> {
        if !self.changed {
            return Ok(());
        }
        self.persist()?;
        if self.store.is_some() {
            self.dirty.clear();
            self.all_dirty = false;
        } else if let Some(path) = self.state_path.clone() {
            // From now on the state file is a store: save only changes.
            let store = AccountStore::open(&path)?;
            self.meta = Some(store.meta()?);
            self.store = Some(store);
            self.loaded = self.svm().accounts_db().inner.keys().copied().collect();
            self.dirty.clear();
            self.all_dirty = false;
        }
        self.changed = false;
        Ok(())
    }

    /// What [`Backend::persist`] writes to the store: the accounts this run
    /// may have changed, as they are now (`None`: closed).
    fn changes(&self) -> Vec<AccountChange> {
        let Some(svm) = self.svm.get() else {
            return Vec::new();
        };
        let mut addresses: Vec<Pubkey> = self.dirty.iter().copied().collect();
        if self.all_dirty {
            addresses.extend(
                svm.accounts_db()
                    .inner
                    .iter()
                    .filter(|(_, account)| is_saved(*account))
                    .map(|(address, _)| *address),
            );
        }
        addresses.sort();
        addresses.dedup();
        addresses
            .into_iter()
            .filter_map(|address| match svm.get_account(&address) {
                Some(account) if is_saved(&account) => Some((address, Some(account))),
                Some(account) if account.lamports > 0 => None,
                _ => Some((address, None)),
            })
            .collect()
    }
}

impl Backend for EmbeddedCluster {
    fn describe(&self) -> String {
        match &self.state_path {
            Some(path) => format!("the embedded runtime ({})", path.display()),
            None => "the embedded runtime".into(),
        }
    }

    /// Over a store: writes the accounts this run's transactions changed
    /// and the clock, in one database transaction; nothing when nothing
    /// changed. Without a store: saves the whole state to the state path.
    fn persist(&self) -> Result<(), SdkError> {
        if !self.changed {
            return Ok(());
        }
        match (&self.store, &self.state_path) {
            (Some(store), _) => Ok(store.commit(&self.current_meta(), self.changes())?),
            (None, Some(path)) => Ok(self.save(path)?),
            (None, None) => Ok(()),
        }
    }

    fn get_multiple_accounts(
        &self,
        addresses: &[Pubkey],
    ) -> Result<Vec<Option<Account>>, SdkError> {
        addresses
            .iter()
            .map(|address| self.try_account(address).map_err(SdkError::from))
            .collect()
    }

    fn get_program_accounts(
        &self,
        program_id: &Pubkey,
        filters: &[AccountFilter],
    ) -> Result<Vec<(Pubkey, Account)>, SdkError> {
        let matches = |account: &Account| {
            account.lamports > 0 && filters.iter().all(|filter| filter.matches(&account.data))
        };
        let mut found: std::collections::BTreeMap<Pubkey, Account> = Default::default();
        if let Some(store) = &self.store {
            // An 8-byte discriminator at offset 0 is answered by the index.
            let kind = filters.iter().find_map(|filter| match filter {
                AccountFilter::Memcmp { offset: 0, bytes } if bytes.len() == 8 => {
                    Some(bytes.as_slice())
                }
                _ => None,
            });
            found.extend(
                store
                    .program_accounts(program_id, kind)?
                    .into_iter()
                    .filter(|(_, account)| matches(account)),
            );
        }
        // This run's accounts are newer than the store's.
        if let Some(svm) = self.svm.get() {
            for (address, account) in svm.accounts_db().inner.iter() {
                if self.store.is_some() && !self.loaded.contains(address) && !self.all_dirty {
                    continue;
                }
                let account = Account::from(account.clone());
                if account.owner == *program_id && matches(&account) {
                    found.insert(*address, account);
                } else {
                    found.remove(address);
                }
            }
            for address in &self.loaded {
                if svm.get_account(address).is_none() {
                    found.remove(address);
                }
            }
        }
        Ok(found.into_iter().collect())
    }

    fn send(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<TxOutcome, SdkError> {
        self.send(instructions, payer, signers)
    }

    fn send_with_lookup_tables(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
        lookup_tables: &[AddressLookupTableAccount],
    ) -> Result<TxOutcome, SdkError> {
        if lookup_tables.is_empty() {
            return self.send(instructions, payer, signers);
        }
        let transaction =
            self.versioned_transaction(instructions, payer, signers, lookup_tables)?;
        self.send_versioned_transaction(transaction)
    }

    fn simulate(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<Simulation, SdkError> {
        let transaction =
            VersionedTransaction::from(self.transaction(instructions, payer, signers)?);
        self.load_transaction_accounts(&transaction)?;
        let keys = self.resolved_keys(&transaction);
        let programs = top_level_programs(&transaction, &keys);
        Ok(match self.svm().simulate_transaction(transaction) {
            Ok(info) => Simulation {
                logs: info.meta.logs,
                compute_units: info.meta.compute_units_consumed,
                failure: None,
            },
            Err(failed) => Simulation {
                logs: failed.meta.logs.clone(),
                compute_units: failed.meta.compute_units_consumed,
                failure: match failure(failed, &programs) {
                    SdkError::TransactionFailed(failure) => Some(failure),
                    _ => None,
                },
            },
        })
    }

    fn clock(&self) -> Result<Clock, SdkError> {
        Ok(self.clock())
    }

    fn genesis_hash(&self) -> Result<depin_sdk::Hash, SdkError> {
        Ok(self.genesis_hash())
    }

    /// One slot on, the time unchanged.
    fn wait_for_next_slot(&mut self) -> Result<(), SdkError> {
        self.changed = true;
        let clock = self.clock();
        let svm = self.runtime();
        depin_runtime::set_clock(svm, clock.unix_timestamp, clock.slot.saturating_add(1));
        svm.expire_blockhash();
        Ok(())
    }

    fn lookup_table(&self) -> Option<Pubkey> {
        self.lookup_table
    }

    fn remember_lookup_table(&mut self, table: Pubkey) -> bool {
        self.changed = true;
        self.lookup_table = Some(table);
        true
    }

    fn minimum_balance_for_rent_exemption(&self, data_len: usize) -> Result<u64, SdkError> {
        Ok(self.rent().minimum_balance(data_len))
    }

    fn airdrop(&mut self, to: &Pubkey, lamports: u64) -> Result<(), SdkError> {
        self.airdrop(to, lamports)
    }

    fn warp(&mut self, seconds: i64) -> Result<Clock, SdkError> {
        if seconds < 0 {
            return Err(SdkError::Input("the clock cannot go back".into()));
        }
        let target = self.clock().unix_timestamp.saturating_add(seconds);
        self.warp_to_timestamp(target);
        Ok(self.clock())
    }
}

fn top_level_programs(transaction: &VersionedTransaction, keys: &[Pubkey]) -> Vec<Pubkey> {
    transaction
        .message
        .instructions()
        .iter()
        .filter_map(|instruction| keys.get(usize::from(instruction.program_id_index)).copied())
        .collect()
}

fn inner_instructions(meta: &TransactionMetadata, keys: &[Pubkey]) -> Vec<InnerInstruction> {
    meta.inner_instructions
        .iter()
        .flatten()
        .filter_map(|inner| {
            let program_id = *keys.get(usize::from(inner.instruction.program_id_index))?;
            Some(InnerInstruction {
                program_id,
                data: inner.instruction.data.clone(),
            })
        })
        .collect()
}

fn outcome(meta: TransactionMetadata, keys: &[Pubkey]) -> TxOutcome {
    TxOutcome {
        signature: meta.signature,
        inner_instructions: inner_instructions(&meta, keys),
        logs: meta.logs,
        compute_units: meta.compute_units_consumed,
        fee: meta.fee,
    }
}

/// A transaction refused before it ran (nothing was charged).
fn refused(error: depin_sdk::TransactionError, transaction: &VersionedTransaction) -> SdkError {
    failure(
        FailedTransactionMetadata {
            err: error,
            meta: TransactionMetadata {
                signature: transaction.signatures.first().copied().unwrap_or_default(),
                ..TransactionMetadata::default()
            },
        },
        &[],
    )
}

fn failure(failed: FailedTransactionMetadata, programs: &[Pubkey]) -> SdkError {
    SdkError::TransactionFailed(Box::new(TransactionFailure {
        signature: failed.meta.signature,
        program_error: errors::decode_transaction_error(&failed.err, programs, &failed.meta.logs),
        error: failed.err,
        logs: failed.meta.logs,
    }))
}
