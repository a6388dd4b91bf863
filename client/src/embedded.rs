//! The suite on an in-process Solana runtime: the programs run natively
//! through [`depin_runtime`], SPL Token / Token-2022 / ATA run as their real
//! SBF builds, and transactions go through the same checks as on a cluster
//! (signatures, account locks, blockhash, duplicate signatures, rent, fees).
//!
//! One difference to a cluster: only the latest blockhash is valid (a
//! cluster accepts any of the last 150). [`EmbeddedCluster::send`] always
//! signs with the latest one.

use {
    crate::backend::{AccountFilter, Backend},
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
    serde::{Deserialize, Serialize},
    sha2::{Digest, Sha256},
    solana_account::ReadableAccount,
    solana_keypair::Keypair,
    solana_signer::Signer,
    solana_transaction::Transaction,
    std::{fs, io::Write, path::Path},
};

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

pub struct EmbeddedCluster {
    svm: LiteSVM,
    upgrade_authority: Keypair,
    /// Where [`Backend::persist`] saves the state.
    state_path: Option<std::path::PathBuf>,
    /// Whether anything may have changed since the state was loaded (a
    /// read-only command never rewrites the state file).
    changed: bool,
}

/// Owners of the accounts a fresh runtime creates by itself (sysvars,
/// builtins, loaded programs and their program data, feature gates); the
/// state file leaves them out.
const RECREATED_OWNERS: [Pubkey; 7] = [
    solana_sdk_ids::sysvar::ID,
    solana_sdk_ids::native_loader::ID,
    solana_sdk_ids::bpf_loader_upgradeable::ID,
    solana_sdk_ids::bpf_loader::ID,
    solana_sdk_ids::bpf_loader_deprecated::ID,
    solana_sdk_ids::loader_v4::ID,
    solana_sdk_ids::feature::ID,
];

/// First bytes of a saved embedded state, and the format's version; a
/// SHA-256 of the rest follows, so damage is detected, not believed.
const STATE_MAGIC: &[u8; 8] = b"DEPINSV2";
const OLD_STATE_MAGIC: &[u8; 8] = b"DEPINSV1";

/// An embedded cluster's state on disk: every account but the programs and
/// sysvars a fresh runtime recreates, and the clock.
#[derive(Serialize, Deserialize)]
struct SavedState {
    upgrade_authority: [u8; 32],
    slot: u64,
    unix_timestamp: i64,
    /// The latest blockhash: the next run moves on from it, so the same
    /// intent sent twice in two runs gets two signatures.
    blockhash: [u8; 32],
    /// The runtime's faucet key (its account is one of the saved ones).
    faucet: Vec<u8>,
    accounts: Vec<SavedAccount>,
}

#[derive(Serialize, Deserialize)]
struct SavedAccount {
    address: [u8; 32],
    lamports: u64,
    owner: [u8; 32],
    executable: bool,
    rent_epoch: u64,
    data: Vec<u8>,
}

/// Why a saved embedded state could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StateFileError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a depin embedded state file ({reason})")]
    Corrupt { path: String, reason: String },
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

impl EmbeddedCluster {
    /// A fresh cluster with the suite deployed; a new funded keypair is the
    /// programs' upgrade authority.
    pub fn new() -> Self {
        Self::with_upgrade_authority(Keypair::new())
    }

    pub fn with_upgrade_authority(upgrade_authority: Keypair) -> Self {
        let mut svm = depin_runtime::new_runtime(&programs(), &upgrade_authority.pubkey());
        svm.airdrop(&upgrade_authority.pubkey(), DEPLOYER_LAMPORTS)
            .expect("airdrop to the deployer");
        Self {
            svm,
            upgrade_authority,
            state_path: None,
            changed: true,
        }
    }

    /// The state saved at `path` by [`EmbeddedCluster::save`]: the suite's
    /// programs freshly loaded, then every saved account and the clock. The
    /// upgrade authority's secret key is not saved; `upgrade_authority` is
    /// a placeholder keypair unless it is the same key.
    pub fn load(path: &Path, upgrade_authority: Keypair) -> Result<Self, StateFileError> {
        let display = path.display().to_string();
        let bytes = fs::read(path).map_err(|source| StateFileError::Read {
            path: display.clone(),
            source,
        })?;
        let corrupt = |reason: String| StateFileError::Corrupt {
            path: display.clone(),
            reason,
        };
        if bytes.starts_with(OLD_STATE_MAGIC) {
            return Err(corrupt(
                "it was written by an older depin; move it away to start a new embedded network"
                    .into(),
            ));
        }
        let checked = bytes
            .strip_prefix(STATE_MAGIC.as_slice())
            .ok_or_else(|| corrupt("wrong header".into()))?;
        if checked.len() < 32 {
            return Err(corrupt("truncated".into()));
        }
        let (checksum, body) = checked.split_at(32);
        if Sha256::digest(body).as_slice() != checksum {
            return Err(corrupt(
                "its checksum does not match: the file was damaged or edited".into(),
            ));
        }
        let saved: SavedState =
            bincode::deserialize(body).map_err(|error| corrupt(error.to_string()))?;
        let faucet: [u8; 64] = saved
            .faucet
            .as_slice()
            .try_into()
            .map_err(|_| corrupt("the faucet key is not 64 bytes".into()))?;
        let authority = Pubkey::new_from_array(saved.upgrade_authority);
        let mut svm = depin_runtime::new_runtime(&programs(), &authority);
        for account in saved.accounts {
            svm.set_account(
                Pubkey::new_from_array(account.address),
                Account {
                    lamports: account.lamports,
                    data: account.data,
                    owner: Pubkey::new_from_array(account.owner),
                    executable: account.executable,
                    rent_epoch: account.rent_epoch,
                },
            )
            .map_err(|error| corrupt(format!("{error:?}")))?;
        }
        depin_runtime::set_clock(&mut svm, saved.unix_timestamp, saved.slot);
        svm.set_airdrop_keypair(faucet);
        svm.set_latest_blockhash(depin_sdk::Hash::new_from_array(saved.blockhash));
        // A new block for this run: nothing it signs can repeat a signature
        // of an earlier run.
        svm.expire_blockhash();
        Ok(Self {
            svm,
            upgrade_authority,
            state_path: Some(path.to_path_buf()),
            changed: false,
        })
    }

    /// Saves the state to `path` atomically (a temporary file renamed over
    /// it), so an interrupted save never leaves a half-written state.
    pub fn save(&self, path: &Path) -> Result<(), StateFileError> {
        let clock = self.clock();
        let mut accounts: Vec<SavedAccount> = self
            .svm
            .accounts_db()
            .inner
            .iter()
            .filter(|(_, account)| {
                account.lamports() > 0
                    && !account.executable()
                    && !RECREATED_OWNERS.contains(account.owner())
            })
            .map(|(address, account)| SavedAccount {
                address: address.to_bytes(),
                lamports: account.lamports(),
                owner: account.owner().to_bytes(),
                executable: account.executable(),
                rent_epoch: account.rent_epoch(),
                data: account.data().to_vec(),
            })
            .collect();
        accounts.sort_by_key(|account| account.address);
        let saved = SavedState {
            upgrade_authority: self.upgrade_authority.pubkey().to_bytes(),
            slot: clock.slot,
            unix_timestamp: clock.unix_timestamp,
            blockhash: self.svm.latest_blockhash().to_bytes(),
            faucet: self.svm.airdrop_keypair_bytes().to_vec(),
            accounts,
        };
        let display = path.display().to_string();
        let write_error = |source| StateFileError::Write {
            path: display.clone(),
            source,
        };
        let body = bincode::serialize(&saved).map_err(|error| StateFileError::Write {
            path: display.clone(),
            source: std::io::Error::other(error.to_string()),
        })?;
        let mut bytes = STATE_MAGIC.to_vec();
        bytes.extend_from_slice(&Sha256::digest(&body));
        bytes.extend_from_slice(&body);
        let temporary = path.with_extension("partial");
        let mut file = fs::File::create(&temporary).map_err(write_error)?;
        file.write_all(&bytes).map_err(write_error)?;
        file.sync_all().map_err(write_error)?;
        fs::rename(&temporary, path).map_err(write_error)
    }

    /// Makes [`Backend::persist`] save to `path`.
    pub fn set_state_path(&mut self, path: &Path) {
        self.state_path = Some(path.to_path_buf());
    }

    /// The upgrade authority's address (what [`EmbeddedCluster::load`]
    /// restores even without its secret key).
    pub fn upgrade_authority_address(&self) -> Pubkey {
        self.upgrade_authority.pubkey()
    }

    /// The programs' upgrade authority (signs `initialize_*`).
    pub fn upgrade_authority(&self) -> &Keypair {
        &self.upgrade_authority
    }

    pub fn svm(&self) -> &LiteSVM {
        &self.svm
    }

    pub fn svm_mut(&mut self) -> &mut LiteSVM {
        self.changed = true;
        &mut self.svm
    }

    pub fn airdrop(&mut self, to: &Pubkey, lamports: u64) -> Result<(), SdkError> {
        self.changed = true;
        self.svm
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
            .try_sign(&all, self.svm.latest_blockhash())
            .map_err(|error| SdkError::Signing(error.to_string()))?;
        if self
            .svm
            .get_transaction(&transaction.signatures[0])
            .is_some()
        {
            self.svm.expire_blockhash();
            transaction
                .try_sign(&all, self.svm.latest_blockhash())
                .map_err(|error| SdkError::Signing(error.to_string()))?;
        }
        check_size(&transaction)?;
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
        self.changed = true;
        check_size(&transaction)?;
        let keys = transaction.message.account_keys.clone();
        let programs = top_level_programs(&transaction);
        match self.svm.send_transaction(transaction) {
            Ok(meta) => Ok(outcome(meta, &keys)),
            Err(failed) => Err(failure(failed, &programs)),
        }
    }

    pub fn account(&self, address: &Pubkey) -> Option<Account> {
        self.svm
            .get_account(address)
            .filter(|account| account.lamports > 0)
    }

    /// Fetches and decodes an Anchor account.
    pub fn fetch<T: AccountDeserialize>(&self, address: &Pubkey) -> Result<T, SdkError> {
        let account = self
            .account(address)
            .ok_or(SdkError::AccountNotFound(*address))?;
        depin_sdk::accounts::decode(address, &account.data)
    }

    pub fn balance(&self, address: &Pubkey) -> u64 {
        self.svm.get_balance(address).unwrap_or(0)
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

    /// The cluster's `Rent` sysvar.
    pub fn rent(&self) -> Rent {
        self.svm.get_sysvar::<Rent>()
    }

    pub fn clock(&self) -> Clock {
        self.svm.get_sysvar::<Clock>()
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
        depin_runtime::set_clock(
            &mut self.svm,
            unix_timestamp,
            clock.slot.saturating_add(slots),
        );
        self.svm.expire_blockhash();
    }

    /// Starts a new blockhash, as a cluster does with every block.
    pub fn next_blockhash(&mut self) {
        self.svm.expire_blockhash();
    }
}

impl Backend for EmbeddedCluster {
    fn describe(&self) -> String {
        match &self.state_path {
            Some(path) => format!("the embedded runtime ({})", path.display()),
            None => "the embedded runtime".into(),
        }
    }

    /// Writes the state file only if this run may have changed something.
    fn persist(&self) -> Result<(), SdkError> {
        match &self.state_path {
            Some(_) if !self.changed => Ok(()),
            Some(path) => self.save(path).map_err(SdkError::from),
            None => Ok(()),
        }
    }

    fn get_multiple_accounts(
        &self,
        addresses: &[Pubkey],
    ) -> Result<Vec<Option<Account>>, SdkError> {
        Ok(addresses
            .iter()
            .map(|address| self.account(address))
            .collect())
    }

    fn get_program_accounts(
        &self,
        program_id: &Pubkey,
        filters: &[AccountFilter],
    ) -> Result<Vec<(Pubkey, Account)>, SdkError> {
        let mut found: Vec<(Pubkey, Account)> = self
            .svm
            .accounts_db()
            .inner
            .iter()
            .filter(|(_, account)| {
                account.owner() == program_id
                    && account.lamports() > 0
                    && filters.iter().all(|filter| filter.matches(account.data()))
            })
            .map(|(address, account)| (*address, Account::from(account.clone())))
            .collect();
        found.sort_by_key(|(address, _)| *address);
        Ok(found)
    }

    fn send(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<TxOutcome, SdkError> {
        self.send(instructions, payer, signers)
    }

    fn simulate(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<Simulation, SdkError> {
        let transaction = self.transaction(instructions, payer, signers)?;
        let programs = top_level_programs(&transaction);
        Ok(match self.svm.simulate_transaction(transaction) {
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

fn top_level_programs(transaction: &Transaction) -> Vec<Pubkey> {
    let keys = &transaction.message.account_keys;
    transaction
        .message
        .instructions
        .iter()
        .map(|instruction| keys[usize::from(instruction.program_id_index)])
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

fn failure(failed: FailedTransactionMetadata, programs: &[Pubkey]) -> SdkError {
    SdkError::TransactionFailed(Box::new(TransactionFailure {
        signature: failed.meta.signature,
        program_error: errors::decode_transaction_error(&failed.err, programs, &failed.meta.logs),
        error: failed.err,
        logs: failed.meta.logs,
    }))
}
