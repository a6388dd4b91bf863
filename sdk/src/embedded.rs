//! The suite on an in-process Solana runtime: the programs run natively
//! through [`depin_runtime`], SPL Token / Token-2022 / ATA run as their real
//! SBF builds, and transactions go through the same checks as on a cluster
//! (signatures, account locks, blockhash, duplicate signatures, rent, fees).
//!
//! One difference to a cluster: only the latest blockhash is valid (a
//! cluster accepts any of the last 150). [`EmbeddedCluster::send`] always
//! signs with the latest one.

use {
    crate::{
        errors, events::InnerInstruction, SdkError, TransactionFailure, TxOutcome,
        MAX_TRANSACTION_SIZE,
    },
    anchor_lang::{prelude::Pubkey, solana_program::instruction::Instruction, AccountDeserialize},
    depin_runtime::{LiteSVM, ProgramDeployment},
    litesvm::types::TransactionMetadata,
    solana_keypair::Keypair,
    solana_signer::Signer,
    solana_transaction::Transaction,
};

pub use litesvm::types::FailedTransactionMetadata;
pub use solana_account::Account;
pub use solana_clock::Clock;
pub use solana_rent::Rent;

/// The suite's programs as native builtins.
pub fn programs() -> Vec<ProgramDeployment> {
    vec![
        ProgramDeployment {
            name: "device_registry",
            program_id: device_registry::ID,
            entry: depin_runtime::native_program!(device_registry::entry),
        },
        ProgramDeployment {
            name: "proof_oracle",
            program_id: proof_oracle::ID,
            entry: depin_runtime::native_program!(proof_oracle::entry),
        },
        ProgramDeployment {
            name: "rewards",
            program_id: rewards::ID,
            entry: depin_runtime::native_program!(rewards::entry),
        },
        ProgramDeployment {
            name: "governance",
            program_id: governance::ID,
            entry: depin_runtime::native_program!(governance::entry),
        },
    ]
}

/// Lamports given to the upgrade authority of a fresh embedded cluster.
pub const DEPLOYER_LAMPORTS: u64 = 1_000_000_000_000;

pub struct EmbeddedCluster {
    svm: LiteSVM,
    upgrade_authority: Keypair,
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
        }
    }

    /// The programs' upgrade authority (signs `initialize_*`).
    pub fn upgrade_authority(&self) -> &Keypair {
        &self.upgrade_authority
    }

    pub fn svm(&self) -> &LiteSVM {
        &self.svm
    }

    pub fn svm_mut(&mut self) -> &mut LiteSVM {
        &mut self.svm
    }

    pub fn airdrop(&mut self, to: &Pubkey, lamports: u64) -> Result<(), SdkError> {
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
        let mut all: Vec<&Keypair> = vec![payer];
        for signer in signers {
            if !all.iter().any(|known| known.pubkey() == signer.pubkey()) {
                all.push(signer);
            }
        }
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
        check_size(&transaction)?;
        let keys = transaction.message.account_keys.clone();
        let programs: Vec<Pubkey> = transaction
            .message
            .instructions
            .iter()
            .map(|instruction| keys[usize::from(instruction.program_id_index)])
            .collect();
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
        crate::accounts::decode(address, &account.data)
    }

    pub fn balance(&self, address: &Pubkey) -> u64 {
        self.svm.get_balance(address).unwrap_or(0)
    }

    /// Balance of a token account; 0 when it does not exist.
    pub fn token_balance(&self, address: &Pubkey) -> u64 {
        self.account(address)
            .and_then(|account| crate::token::token_account_amount(&account.data))
            .unwrap_or(0)
    }

    pub fn mint_supply(&self, mint: &Pubkey) -> Option<u64> {
        self.account(mint)
            .and_then(|account| crate::token::mint_supply(&account.data))
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

/// Serialized size of a signed transaction (signatures + message).
pub fn transaction_size(transaction: &Transaction) -> usize {
    let signatures = transaction.signatures.len();
    short_vec_len(signatures) + signatures * 64 + transaction.message_data().len()
}

fn short_vec_len(mut value: usize) -> usize {
    let mut bytes = 1;
    while value >= 0x80 {
        value >>= 7;
        bytes += 1;
    }
    bytes
}

fn check_size(transaction: &Transaction) -> Result<(), SdkError> {
    let size = transaction_size(transaction);
    if size > MAX_TRANSACTION_SIZE {
        return Err(SdkError::TransactionTooLarge {
            size,
            limit: MAX_TRANSACTION_SIZE,
        });
    }
    Ok(())
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
        program_error: errors::decode_transaction_error(&failed.err, programs),
        error: failed.err,
        logs: failed.meta.logs,
    }))
}
