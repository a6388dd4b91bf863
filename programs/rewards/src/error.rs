use anchor_lang::prelude::*;

/// A variant's code is 6000 plus its position, and clients match on codes:
/// new variants go at the end, so existing codes never change.
#[error_code]
pub enum RewardsError {
    #[msg("Signer is not the program's upgrade authority")]
    NotUpgradeAuthority,
    #[msg("Signer is not the rewards authority")]
    NotAuthority,
    #[msg("Authority is the default address")]
    InvalidAuthority,
    #[msg("Emission schedule must have 1 to 16 entries with increasing start epochs")]
    InvalidSchedule,
    #[msg("Emission split must sum to 10,000 basis points")]
    InvalidSplit,
    #[msg("Schedule change would alter an epoch that has started or been issued")]
    RetroactiveScheduleChange,
    #[msg("Parameter out of range")]
    InvalidParameter,
    #[msg("Epoch was already issued")]
    EpochAlreadyIssued,
    #[msg("Epochs are issued in order; an earlier epoch is still unissued")]
    EpochNotNext,
    #[msg("Epoch has not ended yet")]
    EpochNotEnded,
    #[msg("Circuit breaker: this mint would exceed the limit for the window")]
    CircuitBreakerTripped,
    #[msg("Too few oracle prices to price data credits")]
    MissingPrice,
    #[msg("Oracle prices are stale")]
    StalePrice,
    #[msg("Amount is zero")]
    ZeroAmount,
    #[msg("Amount is worth less than one data credit")]
    AmountTooSmall,
    #[msg("Token balance is below the amount")]
    InsufficientBalance,
    #[msg("Batch is not final")]
    BatchNotFinal,
    #[msg("Batch is still in its challenge window")]
    BatchInChallengeWindow,
    #[msg("Batch was rejected")]
    BatchRejected,
    #[msg("A newer batch has been claimed against; claim against it")]
    BatchSuperseded,
    #[msg("Batch total exceeds the tokens issued to devices")]
    BatchExceedsIssuance,
    #[msg("Batch is not the batch of this epoch")]
    WrongBatch,
    #[msg("Merkle proof does not match the batch root")]
    InvalidProof,
    #[msg("Merkle proof is longer than 32 nodes")]
    ProofTooLong,
    #[msg("Nothing to claim: the wallet has been paid its cumulative amount")]
    NothingToClaim,
    /// Retired with per-device claims; kept so later codes never move.
    #[msg("Device is suspended (retired)")]
    DeviceSuspended,
    #[msg("Claims would exceed the tokens issued to the pool")]
    PoolExhausted,
    #[msg("Signer did not vote for this epoch's final batch")]
    NotContributingOracle,
    #[msg("Oracle has already claimed this epoch")]
    OracleAlreadyClaimed,
    #[msg("Destination token account has the wrong mint")]
    WrongDestinationMint,
    #[msg("Destination token account is not owned by the recipient")]
    WrongDestinationOwner,
    #[msg("Token account has the wrong mint")]
    WrongMint,
    #[msg("Arithmetic overflow")]
    Overflow,
    #[msg("Rewards state invariant violated")]
    InvariantViolated,
    #[msg("Paused: epoch issuance is paused")]
    IssuancePaused,
    #[msg("Paused: device reward claims are paused")]
    DeviceClaimsPaused,
    #[msg("Paused: oracle reward claims are paused")]
    OracleClaimsPaused,
    #[msg("Paused: data-credit purchases are paused")]
    CreditPurchasesPaused,
    #[msg("Pause scopes are empty or name a scope this program does not have")]
    InvalidPauseScopes,
    #[msg("Signer is neither the rewards authority nor the guardian")]
    NotAuthorityOrGuardian,
    #[msg("The guardian has used its pause; the authority must arm it again")]
    GuardianSpent,
    #[msg("Guardian pause must be between 1 second and 30 days")]
    InvalidGuardianPause,
    #[msg("The epoch's batch is still pending: its oracle share may yet be claimed")]
    BatchNotSettled,
    #[msg("Nothing of this epoch's oracle share is unclaimable")]
    NothingToSweep,
    #[msg("The recipient record belongs to another wallet")]
    RecipientMismatch,
}
