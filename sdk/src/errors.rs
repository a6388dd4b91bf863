//! Program errors decoded to their names and messages.

use {
    anchor_lang::{error::ErrorCode as AnchorErrorCode, prelude::Pubkey},
    device_registry::error::{RegistryError, LAST_REGISTRY_ERROR},
    governance::error::{GovernanceError, LAST_GOVERNANCE_ERROR},
    proof_oracle::error::{OracleError, LAST_ORACLE_ERROR},
    rewards::error::{RewardsError, LAST_REWARDS_ERROR},
    solana_instruction_error::InstructionError,
    solana_transaction_error::TransactionError,
    std::fmt,
};

/// A custom program error with its name and human message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramErrorInfo {
    /// The program that failed, by name when it is one the SDK knows.
    pub program: String,
    pub code: u32,
    pub name: String,
    pub message: String,
}

impl fmt::Display for ProgramErrorInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} error {} ({}): {}",
            self.program, self.code, self.name, self.message
        )
    }
}

/// First code of a program's own errors (Anchor's `ERROR_CODE_OFFSET`).
pub const CUSTOM_ERROR_OFFSET: u32 = anchor_lang::error::ERROR_CODE_OFFSET;

/// The registry error with this code, if any.
pub fn registry_error(code: u32) -> Option<RegistryError> {
    let index = code.checked_sub(CUSTOM_ERROR_OFFSET)?;
    if index > LAST_REGISTRY_ERROR as u32 {
        return None;
    }
    // SAFETY: `RegistryError` is `#[repr(u32)]` (Anchor's `#[error_code]`)
    // with fieldless variants numbered 0..=LAST_REGISTRY_ERROR without gaps,
    // and `index` is within that range.
    Some(unsafe { std::mem::transmute::<u32, RegistryError>(index) })
}

/// The proof-oracle error with this code, if any.
pub fn oracle_error(code: u32) -> Option<OracleError> {
    let index = code.checked_sub(CUSTOM_ERROR_OFFSET)?;
    if index > LAST_ORACLE_ERROR as u32 {
        return None;
    }
    // SAFETY: as for `registry_error`: `#[repr(u32)]`, gapless 0..=LAST.
    Some(unsafe { std::mem::transmute::<u32, OracleError>(index) })
}

/// The rewards error with this code, if any.
pub fn rewards_error(code: u32) -> Option<RewardsError> {
    let index = code.checked_sub(CUSTOM_ERROR_OFFSET)?;
    if index > LAST_REWARDS_ERROR as u32 {
        return None;
    }
    // SAFETY: as for `registry_error`: `#[repr(u32)]`, gapless 0..=LAST.
    Some(unsafe { std::mem::transmute::<u32, RewardsError>(index) })
}

/// The governance error with this code, if any.
pub fn governance_error(code: u32) -> Option<GovernanceError> {
    let index = code.checked_sub(CUSTOM_ERROR_OFFSET)?;
    if index > LAST_GOVERNANCE_ERROR as u32 {
        return None;
    }
    // SAFETY: as for `registry_error`: `#[repr(u32)]`, gapless 0..=LAST.
    Some(unsafe { std::mem::transmute::<u32, GovernanceError>(index) })
}

/// The Anchor framework error with this code, if any.
pub fn anchor_error(code: u32) -> Option<AnchorErrorCode> {
    ANCHOR_ERRORS
        .iter()
        .copied()
        .find(|error| u32::from(*error) == code)
}

/// Decodes a custom error code returned by `program_id`.
pub fn decode_custom_error(program_id: &Pubkey, code: u32) -> Option<ProgramErrorInfo> {
    // Anchor programs return their own errors from 6000 and the framework's
    // below that.
    let own = if *program_id == device_registry::ID {
        registry_error(code).map(|error| (error.name(), error.to_string()))
    } else if *program_id == proof_oracle::ID {
        oracle_error(code).map(|error| (error.name(), error.to_string()))
    } else if *program_id == rewards::ID {
        rewards_error(code).map(|error| (error.name(), error.to_string()))
    } else if *program_id == governance::ID {
        governance_error(code).map(|error| (error.name(), error.to_string()))
    } else {
        return None;
    };
    let (name, message) =
        own.or_else(|| anchor_error(code).map(|error| (error.name(), error.to_string())))?;
    Some(ProgramErrorInfo {
        program: program_name(program_id),
        code,
        name,
        message,
    })
}

/// Decodes the program error inside a failed transaction, given the program
/// id of each top-level instruction and the transaction's logs. An error
/// raised inside a CPI reaches the transaction as the top-level
/// instruction's, so the program that raised it is read from the first
/// `Program <id> failed: custom program error` line when the logs have one.
pub fn decode_transaction_error(
    error: &TransactionError,
    instruction_programs: &[Pubkey],
    logs: &[String],
) -> Option<ProgramErrorInfo> {
    let TransactionError::InstructionError(index, InstructionError::Custom(code)) = error else {
        return None;
    };
    let hex = format!("failed: custom program error: {code:#x}");
    let raised_by = logs.iter().find_map(|line| {
        line.strip_prefix("Program ")?
            .strip_suffix(hex.as_str())?
            .trim()
            .parse::<Pubkey>()
            .ok()
    });
    let program_id = match raised_by {
        Some(program_id) => program_id,
        None => *instruction_programs.get(usize::from(*index))?,
    };
    decode_custom_error(&program_id, *code)
}

/// A short name for the suite's programs and the SPL programs they call.
pub fn program_name(program_id: &Pubkey) -> String {
    if *program_id == device_registry::ID {
        "device-registry".into()
    } else if *program_id == proof_oracle::ID {
        "proof-oracle".into()
    } else if *program_id == rewards::ID {
        "rewards".into()
    } else if *program_id == governance::ID {
        "governance".into()
    } else if *program_id == anchor_spl::token::ID {
        "spl-token".into()
    } else if *program_id == anchor_spl::token_2022::ID {
        "spl-token-2022".into()
    } else if *program_id == anchor_lang::system_program::ID {
        "system".into()
    } else {
        program_id.to_string()
    }
}

/// Every Anchor framework error; names, codes and messages come from Anchor.
const ANCHOR_ERRORS: &[AnchorErrorCode] = &[
    AnchorErrorCode::InstructionMissing,
    AnchorErrorCode::InstructionFallbackNotFound,
    AnchorErrorCode::InstructionDidNotDeserialize,
    AnchorErrorCode::InstructionDidNotSerialize,
    AnchorErrorCode::IdlInstructionStub,
    AnchorErrorCode::IdlInstructionInvalidProgram,
    AnchorErrorCode::IdlAccountNotEmpty,
    AnchorErrorCode::EventInstructionStub,
    AnchorErrorCode::ConstraintMut,
    AnchorErrorCode::ConstraintHasOne,
    AnchorErrorCode::ConstraintSigner,
    AnchorErrorCode::ConstraintRaw,
    AnchorErrorCode::ConstraintOwner,
    AnchorErrorCode::ConstraintRentExempt,
    AnchorErrorCode::ConstraintSeeds,
    AnchorErrorCode::ConstraintExecutable,
    AnchorErrorCode::ConstraintState,
    AnchorErrorCode::ConstraintAssociated,
    AnchorErrorCode::ConstraintAssociatedInit,
    AnchorErrorCode::ConstraintClose,
    AnchorErrorCode::ConstraintAddress,
    AnchorErrorCode::ConstraintZero,
    AnchorErrorCode::ConstraintTokenMint,
    AnchorErrorCode::ConstraintTokenOwner,
    AnchorErrorCode::ConstraintMintMintAuthority,
    AnchorErrorCode::ConstraintMintFreezeAuthority,
    AnchorErrorCode::ConstraintMintDecimals,
    AnchorErrorCode::ConstraintSpace,
    AnchorErrorCode::ConstraintAccountIsNone,
    AnchorErrorCode::ConstraintTokenTokenProgram,
    AnchorErrorCode::ConstraintMintTokenProgram,
    AnchorErrorCode::ConstraintAssociatedTokenTokenProgram,
    AnchorErrorCode::ConstraintMintGroupPointerExtension,
    AnchorErrorCode::ConstraintMintGroupPointerExtensionAuthority,
    AnchorErrorCode::ConstraintMintGroupPointerExtensionGroupAddress,
    AnchorErrorCode::ConstraintMintGroupMemberPointerExtension,
    AnchorErrorCode::ConstraintMintGroupMemberPointerExtensionAuthority,
    AnchorErrorCode::ConstraintMintGroupMemberPointerExtensionMemberAddress,
    AnchorErrorCode::ConstraintMintMetadataPointerExtension,
    AnchorErrorCode::ConstraintMintMetadataPointerExtensionAuthority,
    AnchorErrorCode::ConstraintMintMetadataPointerExtensionMetadataAddress,
    AnchorErrorCode::ConstraintMintCloseAuthorityExtension,
    AnchorErrorCode::ConstraintMintCloseAuthorityExtensionAuthority,
    AnchorErrorCode::ConstraintMintPermanentDelegateExtension,
    AnchorErrorCode::ConstraintMintPermanentDelegateExtensionDelegate,
    AnchorErrorCode::ConstraintMintTransferHookExtension,
    AnchorErrorCode::ConstraintMintTransferHookExtensionAuthority,
    AnchorErrorCode::ConstraintMintTransferHookExtensionProgramId,
    AnchorErrorCode::ConstraintDuplicateMutableAccount,
    AnchorErrorCode::AccountAlreadyMigrated,
    AnchorErrorCode::AccountNotMigrated,
    AnchorErrorCode::ConstraintMintPausableExtension,
    AnchorErrorCode::ConstraintMintPausableAuthority,
    AnchorErrorCode::RequireViolated,
    AnchorErrorCode::RequireEqViolated,
    AnchorErrorCode::RequireKeysEqViolated,
    AnchorErrorCode::RequireNeqViolated,
    AnchorErrorCode::RequireKeysNeqViolated,
    AnchorErrorCode::RequireGtViolated,
    AnchorErrorCode::RequireGteViolated,
    AnchorErrorCode::AccountDiscriminatorAlreadySet,
    AnchorErrorCode::AccountDiscriminatorNotFound,
    AnchorErrorCode::AccountDiscriminatorMismatch,
    AnchorErrorCode::AccountDidNotDeserialize,
    AnchorErrorCode::AccountDidNotSerialize,
    AnchorErrorCode::AccountNotEnoughKeys,
    AnchorErrorCode::AccountNotMutable,
    AnchorErrorCode::AccountOwnedByWrongProgram,
    AnchorErrorCode::InvalidProgramId,
    AnchorErrorCode::InvalidProgramExecutable,
    AnchorErrorCode::AccountNotSigner,
    AnchorErrorCode::AccountNotSystemOwned,
    AnchorErrorCode::AccountNotInitialized,
    AnchorErrorCode::AccountNotProgramData,
    AnchorErrorCode::AccountNotAssociatedTokenAccount,
    AnchorErrorCode::AccountSysvarMismatch,
    AnchorErrorCode::AccountReallocExceedsLimit,
    AnchorErrorCode::AccountDuplicateReallocs,
    AnchorErrorCode::DeclaredProgramIdMismatch,
    AnchorErrorCode::TryingToInitPayerAsProgramAccount,
    AnchorErrorCode::InvalidNumericConversion,
    AnchorErrorCode::Deprecated,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_codes_round_trip() {
        for index in 0..=LAST_REGISTRY_ERROR as u32 {
            let code = CUSTOM_ERROR_OFFSET + index;
            let error = registry_error(code).expect("code in range");
            assert_eq!(u32::from(error), code);
            let info = decode_custom_error(&device_registry::ID, code).unwrap();
            assert_eq!(info.name, error.name());
            assert!(!info.message.is_empty());
        }
        assert!(registry_error(CUSTOM_ERROR_OFFSET + LAST_REGISTRY_ERROR as u32 + 1).is_none());
        assert!(registry_error(CUSTOM_ERROR_OFFSET - 1).is_none());
    }

    #[test]
    fn oracle_codes_round_trip() {
        for index in 0..=LAST_ORACLE_ERROR as u32 {
            let code = CUSTOM_ERROR_OFFSET + index;
            let error = oracle_error(code).expect("code in range");
            assert_eq!(u32::from(error), code);
            let info = decode_custom_error(&proof_oracle::ID, code).unwrap();
            assert_eq!(info.name, error.name());
            assert_eq!(info.program, "proof-oracle");
        }
        assert!(oracle_error(CUSTOM_ERROR_OFFSET + LAST_ORACLE_ERROR as u32 + 1).is_none());
    }

    #[test]
    fn rewards_codes_round_trip() {
        for index in 0..=LAST_REWARDS_ERROR as u32 {
            let code = CUSTOM_ERROR_OFFSET + index;
            let error = rewards_error(code).expect("code in range");
            assert_eq!(u32::from(error), code);
            let info = decode_custom_error(&rewards::ID, code).unwrap();
            assert_eq!(info.name, error.name());
            assert_eq!(info.program, "rewards");
        }
        assert!(rewards_error(CUSTOM_ERROR_OFFSET + LAST_REWARDS_ERROR as u32 + 1).is_none());
    }

    #[test]
    fn governance_codes_round_trip() {
        for index in 0..=LAST_GOVERNANCE_ERROR as u32 {
            let code = CUSTOM_ERROR_OFFSET + index;
            let error = governance_error(code).expect("code in range");
            assert_eq!(u32::from(error), code);
            let info = decode_custom_error(&governance::ID, code).unwrap();
            assert_eq!(info.name, error.name());
            assert_eq!(info.program, "governance");
        }
        assert!(governance_error(CUSTOM_ERROR_OFFSET + LAST_GOVERNANCE_ERROR as u32 + 1).is_none());
    }

    #[test]
    fn anchor_codes_decode() {
        let info = decode_custom_error(&device_registry::ID, 2006).unwrap();
        assert_eq!(info.name, "ConstraintSeeds");
        let info = decode_custom_error(&device_registry::ID, 3012).unwrap();
        assert_eq!(info.name, "AccountNotInitialized");
        // Codes are unique.
        let mut codes: Vec<u32> = ANCHOR_ERRORS.iter().map(|e| u32::from(*e)).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ANCHOR_ERRORS.len());
    }

    #[test]
    fn transaction_error_names_the_failing_program() {
        let error = TransactionError::InstructionError(1, InstructionError::Custom(6004));
        let info =
            decode_transaction_error(&error, &[anchor_spl::token::ID, device_registry::ID], &[])
                .unwrap();
        assert_eq!(info.name, "InsufficientFeeBalance");
        assert_eq!(info.program, "device-registry");
        // Same code from another program is not a registry error.
        assert!(decode_transaction_error(
            &error,
            &[device_registry::ID, anchor_spl::token::ID],
            &[]
        )
        .is_none());
    }

    #[test]
    fn an_error_raised_in_a_cpi_is_named_after_the_program_that_raised_it() {
        // Governance executed a proposal whose rewards instruction failed.
        let error = TransactionError::InstructionError(0, InstructionError::Custom(6005));
        let logs = vec![
            format!("Program {} invoke [1]", governance::ID),
            format!("Program {} invoke [2]", rewards::ID),
            format!(
                "Program {} failed: custom program error: 0x1775",
                rewards::ID
            ),
            format!(
                "Program {} failed: custom program error: 0x1775",
                governance::ID
            ),
        ];
        let info = decode_transaction_error(&error, &[governance::ID], &logs).unwrap();
        assert_eq!(info.program, "rewards");
        assert_eq!(Some(info.name), rewards_error(6005).map(|e| e.name()));
        // Without logs the top-level program is all there is.
        let info = decode_transaction_error(&error, &[governance::ID], &[]).unwrap();
        assert_eq!(info.program, "governance");
    }
}
