//! Program errors decoded to their names and messages.

use {
    anchor_lang::{error::ErrorCode as AnchorErrorCode, prelude::Pubkey},
    device_registry::error::RegistryError,
    governance::error::GovernanceError,
    proof_oracle::error::OracleError,
    rewards::error::RewardsError,
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
    error_with_code(REGISTRY_ERRORS, code)
}

/// The proof-oracle error with this code, if any.
pub fn oracle_error(code: u32) -> Option<OracleError> {
    error_with_code(ORACLE_ERRORS, code)
}

/// The rewards error with this code, if any.
pub fn rewards_error(code: u32) -> Option<RewardsError> {
    error_with_code(REWARDS_ERRORS, code)
}

/// The governance error with this code, if any.
pub fn governance_error(code: u32) -> Option<GovernanceError> {
    error_with_code(GOVERNANCE_ERRORS, code)
}

/// The Anchor framework error with this code, if any.
pub fn anchor_error(code: u32) -> Option<AnchorErrorCode> {
    error_with_code(ANCHOR_ERRORS, code)
}

/// The error of `errors` whose code (as the program returns it, offset
/// included) is `code`. Codes come from the enum's own `From<_> for u32`,
/// so they cannot disagree with what the program returns.
fn error_with_code<E: Copy + Into<u32>>(errors: &[E], code: u32) -> Option<E> {
    errors.iter().copied().find(|error| (*error).into() == code)
}

/// Declares a list of every variant of an error enum, checked by the
/// compiler: the list also becomes the arms of an exhaustive `match`, so a
/// variant added to the enum but missing here fails to compile
/// ("non-exhaustive patterns"), as does a name that is not a variant (and a
/// repeated one is an unreachable pattern).
macro_rules! every_variant {
    (
        $(#[$attr:meta])*
        $vis:vis const $list:ident: [$enum:ident] = [$($variant:ident),+ $(,)?];
    ) => {
        $(#[$attr])*
        $vis const $list: &[$enum] = &[$($enum::$variant),+];

        const _: fn($enum) = |error| match error {
            $($enum::$variant)|+ => {}
        };
    };
}

every_variant! {
    /// Every [`RegistryError`].
    pub const REGISTRY_ERRORS: [RegistryError] = [
        NotUpgradeAuthority,
        NotAuthority,
        WrongFeeMint,
        WrongFeeAccountOwner,
        InsufficientFeeBalance,
        TooManyDeviceClasses,
        UnknownDeviceClass,
        DeviceClassDisabled,
        InvalidName,
        MetadataTooLong,
        InvalidLocation,
        LocationUnchanged,
        MakerRequired,
        MakerSignatureMissing,
        WrongMakerSigner,
        MakerNotApproved,
        MakerQuotaExceeded,
        NotDeviceOwner,
        InvalidNewOwner,
        DeviceSuspended,
        StatusUnchanged,
        Overflow,
        InvariantViolated,
        InvalidAuthority,
        NotRewardsAuthority,
        RewardsNotIncreasing,
        InvalidPauseScopes,
        NotAuthorityOrGuardian,
        GuardianSpent,
        InvalidGuardianPause,
        OnboardingPaused,
        MovesPaused,
        InvalidRewardsRecipient,
        RewardsRecipientUnchanged,
    ];
}

every_variant! {
    /// Every [`OracleError`].
    pub const ORACLE_ERRORS: [OracleError] = [
        NotUpgradeAuthority,
        NotAuthority,
        NotAnOracle,
        InvalidOracleCount,
        InvalidOracle,
        InvalidQuorum,
        InvalidDuration,
        InvalidPriceMinimum,
        EpochNotEnded,
        DeadlinePassed,
        DeadlineNotPassed,
        BatchAlreadyFinal,
        BatchExpired,
        BatchRejected,
        BatchNotFinal,
        QuorumNotReached,
        ChallengeWindowClosed,
        DuplicateVote,
        EmptyBatch,
        UriTooLong,
        ZeroPrice,
        TooFewPrices,
        StalePrice,
        Overflow,
        InvariantViolated,
        InvalidAuthority,
        InvalidPauseScopes,
        NotAuthorityOrGuardian,
        GuardianSpent,
        InvalidGuardianPause,
        BatchVotesPaused,
        PricesPaused,
        PriceMinimumAboveSetSize,
    ];
}

every_variant! {
    /// Every [`RewardsError`].
    pub const REWARDS_ERRORS: [RewardsError] = [
        NotUpgradeAuthority,
        NotAuthority,
        InvalidAuthority,
        InvalidSchedule,
        InvalidSplit,
        RetroactiveScheduleChange,
        InvalidParameter,
        EpochAlreadyIssued,
        EpochNotNext,
        EpochNotEnded,
        CircuitBreakerTripped,
        MissingPrice,
        StalePrice,
        ZeroAmount,
        AmountTooSmall,
        InsufficientBalance,
        BatchNotFinal,
        BatchInChallengeWindow,
        BatchRejected,
        BatchSuperseded,
        BatchExceedsIssuance,
        WrongBatch,
        InvalidProof,
        ProofTooLong,
        NothingToClaim,
        DeviceSuspended,
        PoolExhausted,
        NotContributingOracle,
        OracleAlreadyClaimed,
        WrongDestinationMint,
        WrongDestinationOwner,
        WrongMint,
        Overflow,
        InvariantViolated,
        IssuancePaused,
        DeviceClaimsPaused,
        OracleClaimsPaused,
        CreditPurchasesPaused,
        InvalidPauseScopes,
        NotAuthorityOrGuardian,
        GuardianSpent,
        InvalidGuardianPause,
        BatchNotSettled,
        NothingToSweep,
        RecipientMismatch,
    ];
}

every_variant! {
    /// Every [`GovernanceError`].
    pub const GOVERNANCE_ERRORS: [GovernanceError] = [
        NotUpgradeAuthority,
        NotDaoAuthority,
        InvalidPowerParams,
        InvalidProposalRules,
        InvalidAllowedPrograms,
        WrongMint,
        ZeroAmount,
        InvalidLockup,
        TooManyPositions,
        UnknownPosition,
        LockupShortened,
        SamePosition,
        StillLocked,
        NotOwner,
        InsufficientPower,
        NoVotingPower,
        InvalidText,
        NotProposer,
        NotDraft,
        NotVoting,
        NotSucceeded,
        NotQueued,
        VotingEnded,
        VotingNotEnded,
        TimelockNotElapsed,
        ProposalExpired,
        NotExpired,
        TooManyInstructions,
        InstructionTooLarge,
        ProgramNotAllowed,
        SelfCallForbidden,
        ForeignSigner,
        AccountMismatch,
        Overflow,
        VaultShortfall,
        InvariantViolated,
        CancelWindowClosed,
        ProposerPowerTooLow,
    ];
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

every_variant! {
    /// Every Anchor framework error; names, codes and messages come from Anchor.
    const ANCHOR_ERRORS: [AnchorErrorCode] = [
        InstructionMissing,
        InstructionFallbackNotFound,
        InstructionDidNotDeserialize,
        InstructionDidNotSerialize,
        IdlInstructionStub,
        IdlInstructionInvalidProgram,
        IdlAccountNotEmpty,
        EventInstructionStub,
        ConstraintMut,
        ConstraintHasOne,
        ConstraintSigner,
        ConstraintRaw,
        ConstraintOwner,
        ConstraintRentExempt,
        ConstraintSeeds,
        ConstraintExecutable,
        ConstraintState,
        ConstraintAssociated,
        ConstraintAssociatedInit,
        ConstraintClose,
        ConstraintAddress,
        ConstraintZero,
        ConstraintTokenMint,
        ConstraintTokenOwner,
        ConstraintMintMintAuthority,
        ConstraintMintFreezeAuthority,
        ConstraintMintDecimals,
        ConstraintSpace,
        ConstraintAccountIsNone,
        ConstraintTokenTokenProgram,
        ConstraintMintTokenProgram,
        ConstraintAssociatedTokenTokenProgram,
        ConstraintMintGroupPointerExtension,
        ConstraintMintGroupPointerExtensionAuthority,
        ConstraintMintGroupPointerExtensionGroupAddress,
        ConstraintMintGroupMemberPointerExtension,
        ConstraintMintGroupMemberPointerExtensionAuthority,
        ConstraintMintGroupMemberPointerExtensionMemberAddress,
        ConstraintMintMetadataPointerExtension,
        ConstraintMintMetadataPointerExtensionAuthority,
        ConstraintMintMetadataPointerExtensionMetadataAddress,
        ConstraintMintCloseAuthorityExtension,
        ConstraintMintCloseAuthorityExtensionAuthority,
        ConstraintMintPermanentDelegateExtension,
        ConstraintMintPermanentDelegateExtensionDelegate,
        ConstraintMintTransferHookExtension,
        ConstraintMintTransferHookExtensionAuthority,
        ConstraintMintTransferHookExtensionProgramId,
        ConstraintDuplicateMutableAccount,
        AccountAlreadyMigrated,
        AccountNotMigrated,
        ConstraintMintPausableExtension,
        ConstraintMintPausableAuthority,
        RequireViolated,
        RequireEqViolated,
        RequireKeysEqViolated,
        RequireNeqViolated,
        RequireKeysNeqViolated,
        RequireGtViolated,
        RequireGteViolated,
        AccountDiscriminatorAlreadySet,
        AccountDiscriminatorNotFound,
        AccountDiscriminatorMismatch,
        AccountDidNotDeserialize,
        AccountDidNotSerialize,
        AccountNotEnoughKeys,
        AccountNotMutable,
        AccountOwnedByWrongProgram,
        InvalidProgramId,
        InvalidProgramExecutable,
        AccountNotSigner,
        AccountNotSystemOwned,
        AccountNotInitialized,
        AccountNotProgramData,
        AccountNotAssociatedTokenAccount,
        AccountSysvarMismatch,
        AccountReallocExceedsLimit,
        AccountDuplicateReallocs,
        DeclaredProgramIdMismatch,
        TryingToInitPayerAsProgramAccount,
        InvalidNumericConversion,
        Deprecated,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks `decode` against `every` variant of a program's error enum:
    /// the codes run from [`CUSTOM_ERROR_OFFSET`] without gaps or repeats
    /// (so a variant missing from the list, or listed twice, fails here as
    /// well as at compile time), each code decodes back to its variant with
    /// Anchor's own name and message, and the codes around them decode to
    /// nothing of the program's.
    fn assert_decodes_every_variant<E>(
        program_id: &Pubkey,
        every: &[E],
        decode: fn(u32) -> Option<E>,
        name: fn(&E) -> String,
    ) where
        E: Copy + Into<u32> + fmt::Display + fmt::Debug,
    {
        let mut codes: Vec<u32> = every.iter().map(|error| (*error).into()).collect();
        codes.sort_unstable();
        let count = u32::try_from(every.len()).unwrap();
        let expected: Vec<u32> = (CUSTOM_ERROR_OFFSET..CUSTOM_ERROR_OFFSET + count).collect();
        assert_eq!(codes, expected, "codes of {every:?}");
        for error in every {
            let code = (*error).into();
            let decoded = decode(code).expect("every listed code decodes");
            assert_eq!(decoded.into(), code);
            assert_eq!(name(&decoded), name(error));
            let info = decode_custom_error(program_id, code).unwrap();
            assert_eq!(info.program, program_name(program_id));
            assert_eq!(info.code, code);
            assert_eq!(info.name, name(error));
            assert_eq!(info.message, error.to_string());
            assert!(!info.message.is_empty());
        }
        let past_the_end = CUSTOM_ERROR_OFFSET + count;
        for unknown in [CUSTOM_ERROR_OFFSET - 1, past_the_end, u32::MAX] {
            assert!(decode(unknown).is_none(), "code {unknown}");
        }
        // Not the program's, nor Anchor's: nothing to name.
        assert!(decode_custom_error(program_id, past_the_end).is_none());
        assert!(decode_custom_error(program_id, u32::MAX).is_none());
    }

    #[test]
    fn registry_codes_round_trip() {
        assert_decodes_every_variant(
            &device_registry::ID,
            REGISTRY_ERRORS,
            registry_error,
            RegistryError::name,
        );
        assert_eq!(
            registry_error(6004).map(|error| error.name()).as_deref(),
            Some("InsufficientFeeBalance")
        );
    }

    #[test]
    fn oracle_codes_round_trip() {
        assert_decodes_every_variant(
            &proof_oracle::ID,
            ORACLE_ERRORS,
            oracle_error,
            OracleError::name,
        );
    }

    #[test]
    fn rewards_codes_round_trip() {
        assert_decodes_every_variant(
            &rewards::ID,
            REWARDS_ERRORS,
            rewards_error,
            RewardsError::name,
        );
    }

    #[test]
    fn governance_codes_round_trip() {
        assert_decodes_every_variant(
            &governance::ID,
            GOVERNANCE_ERRORS,
            governance_error,
            GovernanceError::name,
        );
    }

    #[test]
    fn an_unknown_program_has_no_errors_to_name() {
        let unknown = Pubkey::new_from_array([7; 32]);
        assert!(decode_custom_error(&unknown, CUSTOM_ERROR_OFFSET).is_none());
        assert!(decode_custom_error(&unknown, 2006).is_none());
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
