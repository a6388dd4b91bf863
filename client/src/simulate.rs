//! Simulate-only: a [`Backend`] wrapper that simulates every transaction
//! instead of sending it. The first send ends the operation with
//! [`SdkError::SimulatedOnly`] (what it would do) or the failure it would
//! meet; reads and everything else pass through. Nothing changes on the
//! cluster, and nothing is persisted.

use {
    crate::backend::{AccountFilter, Backend},
    depin_sdk::{
        txsize::LookupTable as AddressLookupTableAccount, Instruction, Keypair, Pubkey, SdkError,
        Simulation, TxOutcome,
    },
    solana_account::Account,
    solana_clock::Clock,
};

pub struct SimulateOnly<B: Backend + ?Sized> {
    inner: Box<B>,
}

impl<B: Backend + ?Sized> SimulateOnly<B> {
    pub fn new(inner: Box<B>) -> Self {
        Self { inner }
    }

    pub fn into_inner(self) -> Box<B> {
        self.inner
    }
}

impl<B: Backend + ?Sized> Backend for SimulateOnly<B> {
    fn describe(&self) -> String {
        format!("{} (simulating only)", self.inner.describe())
    }

    fn get_multiple_accounts(
        &self,
        addresses: &[Pubkey],
    ) -> Result<Vec<Option<Account>>, SdkError> {
        self.inner.get_multiple_accounts(addresses)
    }

    fn get_program_accounts(
        &self,
        program_id: &Pubkey,
        filters: &[AccountFilter],
    ) -> Result<Vec<(Pubkey, Account)>, SdkError> {
        self.inner.get_program_accounts(program_id, filters)
    }

    fn send(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<TxOutcome, SdkError> {
        let simulation = self.inner.simulate(instructions, payer, signers)?;
        match simulation.failure {
            Some(failure) => Err(SdkError::TransactionFailed(failure)),
            None => Err(SdkError::SimulatedOnly(Box::new(simulation))),
        }
    }

    fn send_with_lookup_tables(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
        lookup_tables: &[AddressLookupTableAccount],
    ) -> Result<TxOutcome, SdkError> {
        let simulation =
            self.inner
                .simulate_with_lookup_tables(instructions, payer, signers, lookup_tables)?;
        match simulation.failure {
            Some(failure) => Err(SdkError::TransactionFailed(failure)),
            None => Err(SdkError::SimulatedOnly(Box::new(simulation))),
        }
    }

    fn simulate(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<Simulation, SdkError> {
        self.inner.simulate(instructions, payer, signers)
    }

    fn simulate_with_lookup_tables(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
        lookup_tables: &[AddressLookupTableAccount],
    ) -> Result<Simulation, SdkError> {
        self.inner
            .simulate_with_lookup_tables(instructions, payer, signers, lookup_tables)
    }

    fn lookup_table(&self) -> Option<Pubkey> {
        self.inner.lookup_table()
    }

    fn clock(&self) -> Result<Clock, SdkError> {
        self.inner.clock()
    }

    fn genesis_hash(&self) -> Result<depin_sdk::Hash, SdkError> {
        self.inner.genesis_hash()
    }

    fn minimum_balance_for_rent_exemption(&self, data_len: usize) -> Result<u64, SdkError> {
        self.inner.minimum_balance_for_rent_exemption(data_len)
    }

    fn airdrop(&mut self, to: &Pubkey, lamports: u64) -> Result<(), SdkError> {
        Err(would(format!("would airdrop {lamports} lamports to {to}")))
    }

    fn budget_instructions(&self) -> Vec<Instruction> {
        self.inner.budget_instructions()
    }

    /// Nothing was changed, so nothing is written.
    fn persist(&self) -> Result<(), SdkError> {
        Ok(())
    }

    fn warp(&mut self, seconds: i64) -> Result<Clock, SdkError> {
        Err(would(format!("would move the clock forward {seconds} s")))
    }
}

/// The stop of an action that is no transaction (an airdrop, a warp): what
/// it would have done.
fn would(action: String) -> SdkError {
    SdkError::SimulatedOnly(Box::new(Simulation {
        logs: vec![action],
        compute_units: 0,
        failure: None,
    }))
}
