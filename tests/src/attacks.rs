//! Assertions for the attacks every instruction must refuse, so that a test
//! states each attack in one line: a signer that does not sign, an account
//! swapped for another (a wrong PDA, another program's account, an account
//! of another type, a fake program), an account created a second time.
//!
//! Each takes `send`, how the attacker's transaction goes out (who pays,
//! who else signs): `|ix| registry.send_as(&thief, ix)`,
//! `|ix| dao.send_as(&payer, &[ix])`, `|ix| net.cluster.send(&[ix], &payer, &[])`.

use {
    crate::{instruction_error, strip_signer, substitute, SOL, SYSTEM_ACCOUNT_ALREADY_IN_USE},
    ::proof_oracle::error::OracleError,
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_client::embedded::EmbeddedCluster,
    depin_sdk::{Instruction, Keypair, Pubkey, SdkError, Signer, TxOutcome},
    device_registry::error::RegistryError,
    governance::error::GovernanceError,
    rewards::error::RewardsError,
    solana_instruction_error::InstructionError,
};

/// What sending a transaction gives.
pub type TxResult = Result<TxOutcome, SdkError>;

/// An error a program answers with: Anchor's own or one of the programs'.
pub trait ProgramError: Copy {
    /// The custom error code it surfaces as.
    fn code(self) -> u32;
    fn name(self) -> String;
}

macro_rules! program_errors {
    ($($error:ty),*) => {$(
        impl ProgramError for $error {
            fn code(self) -> u32 {
                u32::from(self)
            }
            fn name(self) -> String {
                <$error>::name(&self)
            }
        }
    )*};
}

program_errors!(
    AnchorErrorCode,
    RegistryError,
    OracleError,
    RewardsError,
    GovernanceError
);

/// Asserts the transaction failed with the program error `expected`.
#[track_caller]
pub fn assert_program_error(result: TxResult, expected: impl ProgramError) {
    let (code, name) = (expected.code(), expected.name());
    let (_, error) = instruction_error(result);
    assert_eq!(
        error,
        InstructionError::Custom(code),
        "expected {name} ({code})"
    );
}

/// Asserts `instruction` is refused with `AccountNotSigner` when `key` does
/// not sign it: its signer flag cleared, as a malicious or buggy client
/// could send it, so that the program's own check is what refuses.
#[track_caller]
pub fn assert_needs_signer(
    send: impl FnOnce(Instruction) -> TxResult,
    instruction: Instruction,
    key: &Pubkey,
) {
    assert_program_error(
        send(strip_signer(instruction, key)),
        AnchorErrorCode::AccountNotSigner,
    );
}

/// Asserts `instruction` is refused with `expected` once the account `from`
/// is replaced by `to` (another program's account, an account of another
/// type, a fake program, someone else's account).
#[track_caller]
pub fn assert_substitute_refused(
    send: impl FnOnce(Instruction) -> TxResult,
    instruction: Instruction,
    from: &Pubkey,
    to: &Pubkey,
    expected: impl ProgramError,
) {
    assert_program_error(send(substitute(instruction, from, to)), expected);
}

/// Asserts `instruction` is refused with `ConstraintSeeds` once the PDA
/// `from` is replaced by `to`, an address the program does not derive for
/// this call (another key's, another epoch's, a non-canonical bump).
#[track_caller]
pub fn assert_wrong_pda(
    send: impl FnOnce(Instruction) -> TxResult,
    instruction: Instruction,
    from: &Pubkey,
    to: &Pubkey,
) {
    assert_substitute_refused(
        send,
        instruction,
        from,
        to,
        AnchorErrorCode::ConstraintSeeds,
    );
}

/// Asserts the transaction failed because an account it creates exists
/// already: a second initialization, registration, approval or vote.
#[track_caller]
pub fn assert_already_in_use(result: TxResult) {
    let (_, error) = instruction_error(result);
    assert_eq!(
        error,
        InstructionError::Custom(SYSTEM_ACCOUNT_ALREADY_IN_USE),
        "expected the system program's AccountAlreadyInUse"
    );
}

/// A new keypair with one SOL for fees: an intruder, a stranger, a sponsor.
pub fn funded_keypair(cluster: &mut EmbeddedCluster) -> Keypair {
    let keypair = Keypair::new();
    cluster.airdrop(&keypair.pubkey(), SOL).unwrap();
    keypair
}
