//! The light Rust SDK of the DePIN program suite: what a wallet, a
//! dashboard or an oracle node needs to talk to the programs, and nothing
//! else (no runtime, no RPC client, no async). `depin-client` adds the
//! backends and a typed `Client` on top.
//!
//! One module per program, named after it, holds that program's
//! instruction builders (from the program's own Anchor types, so they
//! cannot drift) and re-exports its state, events, errors and constants:
//! [`device_registry`], [`proof_oracle`], [`rewards`], [`governance`].
//!
//! * [`pda`]: every program-derived address;
//! * [`accounts`], [`events`], [`errors`]: decoding of accounts, events and
//!   program errors (names and messages);
//! * [`batch`], [`proofs`], [`merkle`]: batch files, oracle input files and
//!   the Merkle-sum tree the programs verify claims against;
//! * [`token`], [`location`], [`amount`], [`txsize`]: SPL Token, H3,
//!   decimal amounts and transaction sizes.

pub mod accounts;
pub mod amount;
pub mod batch;
pub mod describe;
pub mod device_registry;
pub mod errors;
pub mod events;
pub mod governance;
pub mod location;
pub mod lookup_table;
pub mod pause;
pub mod pda;
pub mod proof_oracle;
pub mod proofs;
pub mod rewards;
pub mod token;
pub mod txsize;

/// The program crates themselves (their Anchor account and instruction
/// types); the per-program modules above re-export what clients need.
pub mod programs {
    pub use {::device_registry, ::governance, ::proof_oracle, ::rewards};
}

pub use {
    anchor_lang::prelude::Pubkey,
    anchor_lang::solana_program::instruction::{AccountMeta, Instruction},
    depin_merkle as merkle, solana_compute_budget_interface as compute_budget,
    solana_hash::Hash,
    solana_keypair::Keypair,
    solana_signature::Signature,
    solana_signer::Signer,
    solana_transaction::Transaction,
    solana_transaction_error::TransactionError,
};

use {errors::ProgramErrorInfo, events::InnerInstruction, std::fmt};

/// An Anchor instruction from the program's generated account and data types.
pub(crate) fn anchor_instruction(
    program_id: Pubkey,
    accounts: impl anchor_lang::ToAccountMetas,
    data: impl anchor_lang::InstructionData,
) -> Instruction {
    Instruction {
        program_id,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

/// Largest serialized transaction a cluster accepts (an IPv6 packet's MTU
/// minus headers).
pub const MAX_TRANSACTION_SIZE: usize = 1232;

/// A transaction that reached the runtime and failed there.
#[derive(Clone, Debug)]
pub struct TransactionFailure {
    pub signature: Signature,
    pub error: TransactionError,
    /// The failing program's error, decoded, when it is one the SDK knows.
    pub program_error: Option<ProgramErrorInfo>,
    pub logs: Vec<String>,
}

impl TransactionFailure {
    /// Whether the failure was a lack of SOL or tokens: the fee payer could
    /// not pay, or a transfer, burn or account creation ran short.
    pub fn is_insufficient_funds(&self) -> bool {
        matches!(
            self.error,
            TransactionError::InsufficientFundsForFee
                | TransactionError::InsufficientFundsForRent { .. }
                | TransactionError::AccountNotFound
        ) || self.logs.iter().any(|line| {
            // What SPL Token and the system program log when short.
            line.contains("Error: insufficient funds") || line.contains("insufficient lamports")
        })
    }
}

impl fmt::Display for TransactionFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.error, &self.program_error) {
            (TransactionError::InstructionError(index, _), Some(info)) => {
                write!(f, "transaction failed at instruction {index}: {info}")
            }
            (TransactionError::AccountNotFound, _) => write!(
                f,
                "insufficient funds: the fee payer has no SOL (the account does not exist)"
            ),
            (error, _) if self.is_insufficient_funds() => {
                write!(f, "insufficient funds: {error}")
            }
            (error, _) => write!(f, "transaction failed: {error}"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SdkError {
    #[error("{0}")]
    TransactionFailed(Box<TransactionFailure>),
    #[error("transaction is {size} bytes; a cluster accepts at most {limit}")]
    TransactionTooLarge { size: usize, limit: usize },
    #[error("account {0} does not exist")]
    AccountNotFound(Pubkey),
    #[error("account {address} is not a valid {expected}: {reason}")]
    AccountDecode {
        address: Pubkey,
        expected: String,
        reason: String,
    },
    #[error("cannot sign: {0}")]
    Signing(String),
    /// The cluster could not be reached or answered with an error that is
    /// not a transaction failure.
    #[error("RPC request to {url} failed: {reason}")]
    Rpc { url: String, reason: String },
    /// Sent, but not confirmed after every attempt.
    #[error("transaction not confirmed after {attempts} attempts (last signature {signature})")]
    NotConfirmed { attempts: u32, signature: Signature },
    /// Simulate-only mode: the transaction was simulated, not sent.
    #[error("simulated only, nothing was sent")]
    SimulatedOnly(Box<Simulation>),
    #[error("{0}")]
    Unsupported(String),
    /// Where a backend keeps its state between runs (the embedded
    /// runtime's state file) could not be read or written.
    #[error("{0}")]
    LocalState(String),
    /// Input the SDK refuses before sending anything.
    #[error("{0}")]
    Input(String),
}

impl SdkError {
    /// The decoded program error of a failed transaction.
    pub fn program_error(&self) -> Option<&ProgramErrorInfo> {
        match self {
            SdkError::TransactionFailed(failure) => failure.program_error.as_ref(),
            _ => None,
        }
    }

    /// The raw transaction error of a failed transaction.
    pub fn transaction_error(&self) -> Option<&TransactionError> {
        match self {
            SdkError::TransactionFailed(failure) => Some(&failure.error),
            _ => None,
        }
    }
}

/// What a simulated transaction did.
#[derive(Clone, Debug)]
pub struct Simulation {
    pub logs: Vec<String>,
    pub compute_units: u64,
    /// Why it would fail, or `None` if it would succeed.
    pub failure: Option<Box<TransactionFailure>>,
}

/// What a landed transaction produced.
#[derive(Clone, Debug)]
pub struct TxOutcome {
    pub signature: Signature,
    pub logs: Vec<String>,
    pub inner_instructions: Vec<InnerInstruction>,
    pub compute_units: u64,
    pub fee: u64,
}

impl TxOutcome {
    /// Events of type `E` emitted by `program_id` in this transaction.
    pub fn events<E>(&self, program_id: &Pubkey) -> Vec<E>
    where
        E: anchor_lang::Event + anchor_lang::Discriminator + anchor_lang::AnchorDeserialize,
    {
        events::events_of(&self.inner_instructions, program_id)
    }
}

impl fmt::Display for TxOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.signature)
    }
}

/// The `pause`, `unpause` and `set_guardian` builders of a program with
/// pause switches, whose config PDA is `$config()`; expanded inside each
/// program's builder module (its `build`, `accounts`, `instruction` and
/// argument types).
macro_rules! pause_builders {
    ($config:path) => {
        /// Pauses the scopes of `scopes` (a `PauseScope` mask), signed by the
        /// authority (until it unpauses) or the guardian (for its maximum).
        pub fn pause(signer: Pubkey, scopes: u8) -> Instruction {
            build(
                accounts::Pause {
                    signer,
                    config: $config().0,
                    event_authority: event_authority(),
                    program: PROGRAM_ID,
                },
                instruction::Pause {
                    args: PauseArgs { scopes },
                },
            )
        }

        pub fn unpause(authority: Pubkey, scopes: u8) -> Instruction {
            build(
                accounts::Unpause {
                    authority,
                    config: $config().0,
                    event_authority: event_authority(),
                    program: PROGRAM_ID,
                },
                instruction::Unpause {
                    args: UnpauseArgs { scopes },
                },
            )
        }

        /// Names the guardian (`Pubkey::default()` removes it) and arms its pause.
        pub fn set_guardian(authority: Pubkey, guardian: Pubkey, max_pause: i64) -> Instruction {
            build(
                accounts::SetGuardian {
                    authority,
                    config: $config().0,
                    event_authority: event_authority(),
                    program: PROGRAM_ID,
                },
                instruction::SetGuardian {
                    args: SetGuardianArgs {
                        guardian,
                        max_pause,
                    },
                },
            )
        }
    };
}
pub(crate) use pause_builders;
