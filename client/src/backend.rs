//! The one interface the client talks to a cluster through. Two
//! implementations: [`crate::rpc::RpcBackend`] (a validator over JSON-RPC)
//! and [`crate::embedded::EmbeddedCluster`] (the in-process runtime).

use {
    anchor_lang::AccountDeserialize,
    depin_sdk::{
        txsize::LookupTable as AddressLookupTableAccount, Instruction, Keypair, Pubkey, SdkError,
        Simulation, TxOutcome,
    },
    solana_account::Account,
    solana_clock::Clock,
};

/// Most accounts one `getMultipleAccounts` request may ask for.
pub const MAX_MULTIPLE_ACCOUNTS: usize = 100;

/// A `getProgramAccounts` filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccountFilter {
    /// The account data is exactly this long.
    DataSize(u64),
    /// The account data holds `bytes` at `offset`.
    Memcmp { offset: usize, bytes: Vec<u8> },
}

impl AccountFilter {
    pub fn matches(&self, data: &[u8]) -> bool {
        match self {
            AccountFilter::DataSize(size) => data.len() as u64 == *size,
            AccountFilter::Memcmp { offset, bytes } => offset
                .checked_add(bytes.len())
                .and_then(|end| data.get(*offset..end))
                .is_some_and(|found| found == bytes.as_slice()),
        }
    }
}

/// A cluster: reads accounts, sends and simulates transactions.
pub trait Backend {
    /// Where this backend sends, for messages (`embedded: state.bin`, a URL).
    fn describe(&self) -> String;

    /// The accounts at `addresses`, in order; `None` where none exists.
    fn get_multiple_accounts(&self, addresses: &[Pubkey])
        -> Result<Vec<Option<Account>>, SdkError>;

    /// Every account `program_id` owns that passes all `filters`.
    fn get_program_accounts(
        &self,
        program_id: &Pubkey,
        filters: &[AccountFilter],
    ) -> Result<Vec<(Pubkey, Account)>, SdkError>;

    /// Signs `instructions` with a fresh blockhash (`payer` pays the fee,
    /// `signers` are the other required signers), sends them in one
    /// transaction and waits until it is confirmed or failed.
    fn send(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<TxOutcome, SdkError>;

    /// As [`Backend::send`], as a version-0 transaction that names the
    /// accounts in `lookup_tables` through them (one byte each instead of
    /// 32). Without tables, a legacy transaction.
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
        Err(SdkError::Unsupported(format!(
            "{} cannot send version-0 transactions",
            self.describe()
        )))
    }

    /// Runs the transaction without committing anything.
    fn simulate(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<Simulation, SdkError>;

    /// As [`Backend::simulate`], as a version-0 transaction through
    /// `lookup_tables`.
    fn simulate_with_lookup_tables(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
        lookup_tables: &[AddressLookupTableAccount],
    ) -> Result<Simulation, SdkError> {
        if lookup_tables.is_empty() {
            return self.simulate(instructions, payer, signers);
        }
        Err(SdkError::Unsupported(format!(
            "{} cannot simulate version-0 transactions",
            self.describe()
        )))
    }

    fn clock(&self) -> Result<Clock, SdkError>;

    /// The cluster's genesis hash: with the registry program id it names
    /// the network device reports are signed for
    /// ([`crate::Client::network_id`]).
    fn genesis_hash(&self) -> Result<depin_sdk::Hash, SdkError> {
        Err(SdkError::Unsupported(format!(
            "{} does not say its genesis hash",
            self.describe()
        )))
    }

    /// Returns once the cluster is past the slot it is in now (addresses
    /// added to a lookup table in a slot are usable from the next one).
    fn wait_for_next_slot(&mut self) -> Result<(), SdkError> {
        let start = self.clock()?.slot;
        for _ in 0..150 {
            std::thread::sleep(std::time::Duration::from_millis(200));
            if self.clock()?.slot > start {
                return Ok(());
            }
        }
        Err(SdkError::Unsupported(format!(
            "{} stayed at slot {start} for 30 s",
            self.describe()
        )))
    }

    /// The network's lookup table, where this backend remembers it (the
    /// embedded state keeps the one `depin network init` created).
    fn lookup_table(&self) -> Option<Pubkey> {
        None
    }

    /// Keeps `table` as the network's lookup table; `false` where the
    /// backend keeps nothing (a cluster: pass it with `--lookup-table`).
    fn remember_lookup_table(&mut self, table: Pubkey) -> bool {
        let _ = table;
        false
    }

    fn minimum_balance_for_rent_exemption(&self, data_len: usize) -> Result<u64, SdkError>;

    /// Asks for SOL (a test cluster's faucet, or the embedded runtime).
    fn airdrop(&mut self, to: &Pubkey, lamports: u64) -> Result<(), SdkError>;

    /// Instructions this backend puts in front of every transaction (the
    /// RPC backend's compute budget), so packing can count their bytes.
    fn budget_instructions(&self) -> Vec<Instruction> {
        Vec::new()
    }

    /// Writes the state where it is kept between runs (the embedded
    /// runtime's state file); a cluster keeps its own.
    fn persist(&self) -> Result<(), SdkError> {
        Ok(())
    }

    /// Moves the clock forward by `seconds`; only the embedded runtime can.
    fn warp(&mut self, seconds: i64) -> Result<Clock, SdkError> {
        let _ = seconds;
        Err(SdkError::Unsupported(format!(
            "time passes by itself on {}; only the embedded runtime can warp",
            self.describe()
        )))
    }
}

/// Reads built on [`Backend`] for every backend.
pub trait BackendExt: Backend {
    fn account(&self, address: &Pubkey) -> Result<Option<Account>, SdkError> {
        Ok(self
            .get_multiple_accounts(std::slice::from_ref(address))?
            .pop()
            .flatten())
    }

    fn exists(&self, address: &Pubkey) -> Result<bool, SdkError> {
        Ok(self.account(address)?.is_some())
    }

    /// Fetches and decodes an Anchor account.
    fn fetch<T: AccountDeserialize>(&self, address: &Pubkey) -> Result<T, SdkError> {
        let account = self
            .account(address)?
            .ok_or(SdkError::AccountNotFound(*address))?;
        depin_sdk::accounts::decode(address, &account.data)
    }

    /// Fetches and decodes an Anchor account that may not exist.
    fn fetch_optional<T: AccountDeserialize>(
        &self,
        address: &Pubkey,
    ) -> Result<Option<T>, SdkError> {
        self.account(address)?
            .map(|account| depin_sdk::accounts::decode(address, &account.data))
            .transpose()
    }

    fn balance(&self, address: &Pubkey) -> Result<u64, SdkError> {
        Ok(self.account(address)?.map_or(0, |account| account.lamports))
    }

    /// Balance of a token account; 0 when it does not exist.
    fn token_balance(&self, address: &Pubkey) -> Result<u64, SdkError> {
        Ok(self
            .account(address)?
            .and_then(|account| depin_sdk::token::token_account_amount(&account.data))
            .unwrap_or(0))
    }

    fn mint_supply(&self, mint: &Pubkey) -> Result<u64, SdkError> {
        self.account(mint)?
            .and_then(|account| depin_sdk::token::mint_supply(&account.data))
            .ok_or(SdkError::AccountNotFound(*mint))
    }
}

impl<B: Backend + ?Sized> BackendExt for B {}

/// `payer` first, then the other signers without repeats.
pub(crate) fn unique_signers<'a>(payer: &'a Keypair, signers: &[&'a Keypair]) -> Vec<&'a Keypair> {
    use depin_sdk::Signer;
    let mut all: Vec<&Keypair> = vec![payer];
    for signer in signers {
        if !all.iter().any(|known| known.pubkey() == signer.pubkey()) {
            all.push(signer);
        }
    }
    all
}
