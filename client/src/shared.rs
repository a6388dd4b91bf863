//! One embedded runtime shared by several clients in one process (an
//! oracle node's loop, its ingest clock, simulated devices, a test): each
//! call takes the lock for its own duration, as RPC requests would.

use {
    crate::{
        backend::{AccountFilter, Backend},
        embedded::EmbeddedCluster,
    },
    depin_sdk::{
        txsize::LookupTable as AddressLookupTableAccount, Instruction, Keypair, Pubkey, SdkError,
        Simulation, TxOutcome,
    },
    solana_account::Account,
    solana_clock::Clock,
    std::sync::{Arc, Mutex, MutexGuard},
};

#[derive(Clone)]
pub struct SharedCluster(Arc<Mutex<EmbeddedCluster>>);

impl SharedCluster {
    pub fn new(cluster: EmbeddedCluster) -> Self {
        Self(Arc::new(Mutex::new(cluster)))
    }

    /// A client acting for `wallet` on this cluster.
    pub fn client(&self, wallet: Keypair) -> crate::Client {
        crate::Client::new(Box::new(self.clone()), wallet)
    }

    /// The runtime itself, for what the [`Backend`] does not offer.
    pub fn lock(&self) -> MutexGuard<'_, EmbeddedCluster> {
        // A panic elsewhere leaves the ledger as the last transaction left it.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Backend for SharedCluster {
    fn describe(&self) -> String {
        self.lock().describe()
    }

    fn get_multiple_accounts(
        &self,
        addresses: &[Pubkey],
    ) -> Result<Vec<Option<Account>>, SdkError> {
        self.lock().get_multiple_accounts(addresses)
    }

    fn get_program_accounts(
        &self,
        program_id: &Pubkey,
        filters: &[AccountFilter],
    ) -> Result<Vec<(Pubkey, Account)>, SdkError> {
        self.lock().get_program_accounts(program_id, filters)
    }

    fn send(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<TxOutcome, SdkError> {
        Backend::send(&mut *self.lock(), instructions, payer, signers)
    }

    fn send_with_lookup_tables(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
        lookup_tables: &[AddressLookupTableAccount],
    ) -> Result<TxOutcome, SdkError> {
        self.lock()
            .send_with_lookup_tables(instructions, payer, signers, lookup_tables)
    }

    fn simulate(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<Simulation, SdkError> {
        self.lock().simulate(instructions, payer, signers)
    }

    fn simulate_with_lookup_tables(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
        lookup_tables: &[AddressLookupTableAccount],
    ) -> Result<Simulation, SdkError> {
        self.lock()
            .simulate_with_lookup_tables(instructions, payer, signers, lookup_tables)
    }

    fn clock(&self) -> Result<Clock, SdkError> {
        Backend::clock(&*self.lock())
    }

    fn genesis_hash(&self) -> Result<depin_sdk::Hash, SdkError> {
        Backend::genesis_hash(&*self.lock())
    }

    fn wait_for_next_slot(&mut self) -> Result<(), SdkError> {
        self.lock().wait_for_next_slot()
    }

    fn lookup_table(&self) -> Option<Pubkey> {
        self.lock().lookup_table()
    }

    fn remember_lookup_table(&mut self, table: Pubkey) -> bool {
        self.lock().remember_lookup_table(table)
    }

    fn minimum_balance_for_rent_exemption(&self, data_len: usize) -> Result<u64, SdkError> {
        self.lock().minimum_balance_for_rent_exemption(data_len)
    }

    fn airdrop(&mut self, to: &Pubkey, lamports: u64) -> Result<(), SdkError> {
        Backend::airdrop(&mut *self.lock(), to, lamports)
    }

    fn persist(&self) -> Result<(), SdkError> {
        self.lock().persist()
    }

    fn warp(&mut self, seconds: i64) -> Result<Clock, SdkError> {
        Backend::warp(&mut *self.lock(), seconds)
    }
}
