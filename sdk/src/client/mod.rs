//! The typed client: every operation the `depin` CLI offers, over any
//! [`Backend`]. One `Client` acts for one wallet (`payer`), which pays the
//! fees and signs as owner, oracle, voter or authority.

mod credits;
mod devices;
mod governance;
mod network;
mod oracle;
mod pause;
mod proofs;
mod rewards;

pub use {
    credits::Balances,
    devices::Registration,
    governance::AdminOutcome,
    network::NetworkStatus,
    oracle::OracleStatus,
    pause::{
        parse_pause_scopes, pause_statuses, PausableProgram, PauseScope, PauseStatus, PAUSE_SCOPES,
    },
    proofs::{parse_device_proofs, DeviceProof, ProofFileError, ProofFormat},
    rewards::{ClaimReport, DeviceClaimStatus},
};

use crate::{
    backend::{AccountFilter, Backend, BackendExt, Simulation},
    txsize, Instruction, Keypair, Pubkey, SdkError, Signer, TxOutcome, MAX_TRANSACTION_SIZE,
};

pub struct Client {
    backend: Box<dyn Backend>,
    payer: Keypair,
    simulate_only: bool,
}

impl Client {
    pub fn new(backend: Box<dyn Backend>, payer: Keypair) -> Self {
        Self {
            backend,
            payer,
            simulate_only: false,
        }
    }

    /// Simulate every transaction instead of sending it; the first one
    /// ends the operation with [`SdkError::SimulatedOnly`] (or its failure).
    pub fn simulate_only(mut self, simulate_only: bool) -> Self {
        self.simulate_only = simulate_only;
        self
    }

    /// The wallet this client acts for.
    pub fn payer(&self) -> &Keypair {
        &self.payer
    }

    pub fn address(&self) -> Pubkey {
        self.payer.pubkey()
    }

    pub fn backend(&self) -> &dyn Backend {
        self.backend.as_ref()
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
        let payer = self.payer.insecure_clone();
        self.send_instructions(instructions, &payer, signers)
    }

    /// Sends groups of instructions (each group must stay in one
    /// transaction), packing as many groups per transaction as fit in
    /// 1,232 bytes. A group that cannot fit alone is refused before
    /// anything is sent. `progress(groups_done, groups_total)` is called
    /// after every transaction.
    pub fn send_packed(
        &mut self,
        groups: &[Vec<Instruction>],
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<TxOutcome>, SdkError> {
        let payer = self.address();
        let budget = self.backend.budget_instructions();
        let size_of = |instructions: &[Instruction]| {
            let mut all = budget.clone();
            all.extend_from_slice(instructions);
            txsize::legacy_size(&payer, &all)
        };
        let mut transactions: Vec<(Vec<Instruction>, usize)> = Vec::new();
        for group in groups {
            let alone = size_of(group);
            if alone > MAX_TRANSACTION_SIZE {
                return Err(SdkError::TransactionTooLarge {
                    size: alone,
                    limit: MAX_TRANSACTION_SIZE,
                });
            }
            let fits = transactions.last().is_some_and(|(current, _)| {
                let mut candidate = current.clone();
                candidate.extend_from_slice(group);
                size_of(&candidate) <= MAX_TRANSACTION_SIZE
            });
            match transactions.last_mut() {
                Some((current, count)) if fits => {
                    current.extend_from_slice(group);
                    *count += 1;
                }
                _ => transactions.push((group.clone(), 1)),
            }
        }
        let total = groups.len();
        let mut done = 0;
        let mut outcomes = Vec::with_capacity(transactions.len());
        for (instructions, count) in transactions {
            outcomes.push(self.send(&instructions, &[])?);
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
                crate::accounts::decode(&address, &account.data).map(|decoded| (address, decoded))
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
                    .map(|account| crate::accounts::decode(address, &account.data))
                    .transpose()
            })
            .collect()
    }

    pub(crate) fn now(&self) -> Result<i64, SdkError> {
        Ok(self.backend.get_clock()?.unix_timestamp)
    }
}

impl Backend for Client {
    fn describe(&self) -> String {
        self.backend.describe()
    }

    fn get_multiple_accounts(
        &self,
        addresses: &[Pubkey],
    ) -> Result<Vec<Option<solana_account::Account>>, SdkError> {
        self.backend.get_multiple_accounts(addresses)
    }

    fn get_program_accounts(
        &self,
        program_id: &Pubkey,
        filters: &[AccountFilter],
    ) -> Result<Vec<(Pubkey, solana_account::Account)>, SdkError> {
        self.backend.get_program_accounts(program_id, filters)
    }

    fn send_instructions(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<TxOutcome, SdkError> {
        if !self.simulate_only {
            return self.backend.send_instructions(instructions, payer, signers);
        }
        let simulation = self
            .backend
            .simulate_instructions(instructions, payer, signers)?;
        match simulation.failure {
            Some(failure) => Err(SdkError::TransactionFailed(failure)),
            None => Err(SdkError::SimulatedOnly(Box::new(simulation))),
        }
    }

    fn simulate_instructions(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<Simulation, SdkError> {
        self.backend
            .simulate_instructions(instructions, payer, signers)
    }

    fn get_clock(&self) -> Result<solana_clock::Clock, SdkError> {
        self.backend.get_clock()
    }

    fn minimum_balance_for_rent_exemption(&self, data_len: usize) -> Result<u64, SdkError> {
        self.backend.minimum_balance_for_rent_exemption(data_len)
    }

    fn request_airdrop(&mut self, to: &Pubkey, lamports: u64) -> Result<(), SdkError> {
        self.backend.request_airdrop(to, lamports)
    }

    fn warp(&mut self, seconds: i64) -> Result<solana_clock::Clock, SdkError> {
        self.backend.warp(seconds)
    }

    fn budget_instructions(&self) -> Vec<Instruction> {
        self.backend.budget_instructions()
    }

    fn persist(&self) -> Result<(), SdkError> {
        self.backend.persist()
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
