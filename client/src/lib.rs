//! The client of the DePIN program suite: one [`Backend`] interface over a
//! cluster ([`rpc::RpcBackend`]) or the in-process runtime
//! ([`embedded::EmbeddedCluster`], feature `embedded`), and a typed
//! [`Client`] for every operation the `depin` CLI offers.
//!
//! [`Client`]'s methods carry the names of the instructions they send and
//! live in one module per program, as the builders do in `depin-sdk`:
//! [`device_registry`], [`proof_oracle`], [`rewards`], [`governance`];
//! plus [`pause`] (the three programs' pause switches), [`network`]
//! (deployment and status) and [`wallet`] (balances, SOL, the local clock).
//! One `Client` acts for one wallet (`payer`), which pays the fees and
//! signs as owner, oracle, voter or authority.

pub mod backend;
pub mod bootstrap;
pub mod device_registry;
#[cfg(feature = "embedded")]
pub mod embedded;
pub mod governance;
pub mod network;
pub mod pause;
pub mod proof_oracle;
pub mod rewards;
pub mod rpc;
#[cfg(feature = "embedded")]
pub mod shared;
pub mod simulate;
#[cfg(feature = "embedded")]
pub mod store;
pub mod wallet;

pub use {
    backend::{AccountFilter, Backend, BackendExt},
    depin_sdk::{
        self as sdk, Instruction, Keypair, Pubkey, SdkError, Signature, Signer, Simulation,
        Transaction, TransactionFailure, TxOutcome,
    },
    device_registry::{DeviceToRegister, Registration},
    governance::AdminOutcome,
    network::NetworkStatus,
    pause::{
        parse_pause_scopes, pause_statuses, PausableProgram, PauseScope, PauseStatus, PAUSE_SCOPES,
    },
    proof_oracle::OracleStatus,
    rewards::{ClaimReport, WalletClaimStatus},
    simulate::SimulateOnly,
    wallet::Balances,
};

// The light SDK's modules, for `crate::pda` and friends in this crate.
use depin_sdk::{txsize, txsize::LookupTable, MAX_TRANSACTION_SIZE};

pub struct Client {
    backend: Box<dyn Backend>,
    payer: Keypair,
    /// The lookup tables version-0 transactions compile against; `None`
    /// until first needed (then the backend's remembered network table,
    /// checked, or none).
    lookup_tables: Option<Vec<LookupTable>>,
}

impl Client {
    pub fn new(backend: Box<dyn Backend>, payer: Keypair) -> Self {
        Self {
            backend,
            payer,
            lookup_tables: None,
        }
    }

    /// The wallet this client acts for.
    /// The network device reports are signed for: the registry program and
    /// the cluster's genesis hash (`depin_reports::network_id`).
    pub fn network_id(&self) -> Result<[u8; 32], SdkError> {
        let genesis = self.backend.genesis_hash()?;
        Ok(depin_reports::network_id(
            &depin_sdk::programs::device_registry::ID.to_bytes(),
            &genesis.to_bytes(),
        ))
    }

    pub fn payer(&self) -> &Keypair {
        &self.payer
    }

    pub fn address(&self) -> Pubkey {
        self.payer.pubkey()
    }

    /// The cluster this client reads from and sends to.
    pub fn backend(&self) -> &dyn Backend {
        self.backend.as_ref()
    }

    pub fn backend_mut(&mut self) -> &mut dyn Backend {
        self.backend.as_mut()
    }

    /// Gives the backend back (e.g. to save an embedded state).
    pub fn into_backend(self) -> Box<dyn Backend> {
        self.backend
    }

    /// Sends `instructions` in one transaction paid and signed by the
    /// payer, plus `signers`.
    pub fn send(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<TxOutcome, SdkError> {
        self.backend.send(instructions, &self.payer, signers)
    }

    /// Sends `instructions` in one transaction, version 0 through the
    /// network's lookup table when there is one ([`Client::lookup_tables`]).
    pub fn send_compact(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<TxOutcome, SdkError> {
        let tables = self.lookup_tables()?;
        self.backend
            .send_with_lookup_tables(instructions, &self.payer, signers, &tables)
    }

    /// The lookup tables this client's version-0 transactions use: the one
    /// given to [`Client::use_lookup_table`], else the network table the
    /// backend remembers (checked against the chain), else none (legacy
    /// transactions).
    pub fn lookup_tables(&mut self) -> Result<Vec<LookupTable>, SdkError> {
        if let Some(tables) = &self.lookup_tables {
            return Ok(tables.clone());
        }
        let tables = match self.backend.lookup_table() {
            Some(table) => vec![self.read_lookup_table(table)?],
            None => Vec::new(),
        };
        self.lookup_tables = Some(tables.clone());
        Ok(tables)
    }

    /// Makes `table` the lookup table of this client's transactions, once
    /// the chain shows it is the frozen network table.
    pub fn use_lookup_table(&mut self, table: Pubkey) -> Result<(), SdkError> {
        let checked = self.read_lookup_table(table)?;
        self.lookup_tables = Some(vec![checked]);
        Ok(())
    }

    fn read_lookup_table(&self, table: Pubkey) -> Result<LookupTable, SdkError> {
        let account = self
            .backend
            .account(&table)?
            .ok_or_else(|| SdkError::Input(format!("lookup table {table} does not exist")))?;
        depin_sdk::lookup_table::check(table, &account.owner, &account.data)
            .map_err(|error| SdkError::Input(error.to_string()))
    }

    /// Creates the network's lookup table ([`depin_sdk::lookup_table`]):
    /// create, extend with every constant address, freeze, then wait a slot
    /// so it is usable. The backend remembers it where it can; this client
    /// uses it from now on. Returns the table, and whether it was created
    /// (`false`: the table this client uses, or the one the backend
    /// remembers, is already the network's: a rerun creates no second one).
    pub fn create_network_lookup_table(&mut self) -> Result<(Pubkey, bool), SdkError> {
        let in_use = self
            .lookup_tables
            .as_ref()
            .and_then(|tables| tables.first())
            .map(|table| table.key);
        if let Some(table) = in_use.or(self.backend.lookup_table()) {
            if self.use_lookup_table(table).is_ok() {
                return Ok((table, false));
            }
        }
        let payer = self.address();
        let slot = self.backend.clock()?.slot;
        let (create, table) = depin_sdk::lookup_table::create(payer, payer, slot);
        self.send(&[create], &[])?;
        for chunk in depin_sdk::lookup_table::network_addresses()
            .chunks(depin_sdk::lookup_table::ADDRESSES_PER_EXTEND)
        {
            self.send(
                &[depin_sdk::lookup_table::extend(
                    table,
                    payer,
                    payer,
                    chunk.to_vec(),
                )],
                &[],
            )?;
        }
        self.send(&[depin_sdk::lookup_table::freeze(table, payer)], &[])?;
        self.backend.wait_for_next_slot()?;
        self.use_lookup_table(table)?;
        self.backend.remember_lookup_table(table);
        Ok((table, true))
    }

    /// Bytes of a transaction of `instructions` (with the backend's budget
    /// instructions) as this client sends it: version 0 through `tables`,
    /// or legacy without.
    pub(crate) fn transaction_bytes(
        &self,
        instructions: &[Instruction],
        tables: &[LookupTable],
    ) -> usize {
        let payer = self.address();
        let mut all = self.backend.budget_instructions();
        all.extend_from_slice(instructions);
        if tables.is_empty() {
            return txsize::legacy_size(&payer, &all);
        }
        // A message v0 cannot compile (too many accounts) never fits.
        txsize::v0_size(&payer, &all, tables).unwrap_or(usize::MAX)
    }

    /// Sends groups of instructions (each group must stay in one
    /// transaction), packing as many groups per transaction as fit in
    /// 1,232 bytes (version 0 through the network's lookup table when
    /// there is one) and [`txsize::MAX_PACKED_INSTRUCTIONS`]. A group that cannot fit alone is refused before
    /// anything is sent. `progress(groups_done, groups_total)` is called
    /// after every transaction.
    pub fn send_packed(
        &mut self,
        groups: &[Vec<Instruction>],
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<TxOutcome>, SdkError> {
        let unsigned: Vec<(Vec<Instruction>, Vec<&Keypair>)> = groups
            .iter()
            .map(|group| (group.clone(), Vec::new()))
            .collect();
        self.send_packed_signed(&unsigned, progress)
    }

    /// [`Client::send_packed`] for groups that need signers besides the
    /// payer (a device's proof of possession, a maker): each transaction is
    /// signed by the signers of the groups it carries, whose signatures
    /// count in its size.
    pub fn send_packed_signed(
        &mut self,
        groups: &[(Vec<Instruction>, Vec<&Keypair>)],
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<TxOutcome>, SdkError> {
        let tables = self.lookup_tables()?;
        let size_of = |instructions: &[Instruction]| self.transaction_bytes(instructions, &tables);
        // (instructions, their signers, how many groups)
        let mut transactions: Vec<(Vec<Instruction>, Vec<&Keypair>, usize)> = Vec::new();
        for (group, signers) in groups {
            let alone = size_of(group);
            if alone > MAX_TRANSACTION_SIZE {
                return Err(SdkError::TransactionTooLarge {
                    size: alone,
                    limit: MAX_TRANSACTION_SIZE,
                });
            }
            let fits = transactions.last().is_some_and(|(current, _, _)| {
                let mut candidate = current.clone();
                candidate.extend_from_slice(group);
                candidate.len() <= txsize::MAX_PACKED_INSTRUCTIONS
                    && size_of(&candidate) <= MAX_TRANSACTION_SIZE
            });
            match transactions.last_mut() {
                Some((current, current_signers, count)) if fits => {
                    current.extend_from_slice(group);
                    current_signers.extend(signers.iter().copied());
                    *count += 1;
                }
                _ => transactions.push((group.clone(), signers.clone(), 1)),
            }
        }
        let total = groups.len();
        let mut done = 0;
        let mut outcomes = Vec::with_capacity(transactions.len());
        for (instructions, signers, count) in transactions {
            outcomes.push(self.backend.send_with_lookup_tables(
                &instructions,
                &self.payer,
                &signers,
                &tables,
            )?);
            done += count;
            progress(done, total);
        }
        Ok(outcomes)
    }

    /// Every account of `program_id` whose data starts with the Anchor
    /// discriminator of `T`, decoded, with more filters.
    pub fn program_accounts_of<T>(
        &self,
        program_id: &Pubkey,
        mut filters: Vec<AccountFilter>,
    ) -> Result<Vec<(Pubkey, T)>, SdkError>
    where
        T: anchor_lang::AccountDeserialize + anchor_lang::Discriminator,
    {
        filters.insert(
            0,
            AccountFilter::Memcmp {
                offset: 0,
                bytes: T::DISCRIMINATOR.to_vec(),
            },
        );
        self.backend
            .get_program_accounts(program_id, &filters)?
            .into_iter()
            .map(|(address, account)| {
                depin_sdk::accounts::decode(&address, &account.data)
                    .map(|decoded| (address, decoded))
            })
            .collect()
    }

    /// Accounts fetched in `getMultipleAccounts` batches and decoded;
    /// `None` where an account does not exist.
    pub fn fetch_many<T: anchor_lang::AccountDeserialize>(
        &self,
        addresses: &[Pubkey],
    ) -> Result<Vec<Option<T>>, SdkError> {
        self.backend
            .get_multiple_accounts(addresses)?
            .into_iter()
            .zip(addresses)
            .map(|(account, address)| {
                account
                    .map(|account| depin_sdk::accounts::decode(address, &account.data))
                    .transpose()
            })
            .collect()
    }

    /// The cluster's unix time.
    pub fn now(&self) -> Result<i64, SdkError> {
        Ok(self.backend.clock()?.unix_timestamp)
    }
}

/// `Some(value)` of an account that must exist, with a plain message.
pub(crate) fn require_account<T: anchor_lang::AccountDeserialize>(
    backend: &(impl Backend + ?Sized),
    address: &Pubkey,
    what: &str,
) -> Result<T, SdkError> {
    backend
        .fetch_optional(address)?
        .ok_or_else(|| SdkError::Input(format!("{what} does not exist (account {address})")))
}
