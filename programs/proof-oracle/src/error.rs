use anchor_lang::prelude::*;

/// A variant's code is 6000 plus its position, and clients match on codes:
/// new variants go at the end, so existing codes never change.
#[error_code]
pub enum OracleError {
    #[msg("Signer is not the program's upgrade authority")]
    NotUpgradeAuthority,
    #[msg("Signer is not the oracle authority")]
    NotAuthority,
    #[msg("Signer is not in the oracle set")]
    NotAnOracle,
    #[msg("The oracle set is empty or has more than 16 oracles")]
    InvalidOracleCount,
    #[msg("An oracle appears twice in the set, or is the default address")]
    InvalidOracle,
    #[msg("Quorum must be between 1 and the number of oracles")]
    InvalidQuorum,
    #[msg("A duration is negative, zero where it must not be, or longer than a year")]
    InvalidDuration,
    #[msg("Minimum price submissions must be between 1 and 16")]
    InvalidPriceMinimum,
    #[msg("The epoch has not ended yet")]
    EpochNotEnded,
    #[msg("The epoch's finality deadline has passed")]
    DeadlinePassed,
    #[msg("The epoch's finality deadline has not passed")]
    DeadlineNotPassed,
    #[msg("The batch is already final")]
    BatchAlreadyFinal,
    #[msg("The batch has expired")]
    BatchExpired,
    #[msg("The batch was rejected")]
    BatchRejected,
    #[msg("The batch is not final")]
    BatchNotFinal,
    #[msg("No commitment has reached the quorum")]
    QuorumNotReached,
    #[msg("The challenge window of this batch has closed")]
    ChallengeWindowClosed,
    #[msg("This oracle already cast this very vote")]
    DuplicateVote,
    #[msg("A batch commits to at least one leaf")]
    EmptyBatch,
    #[msg("URI is longer than 128 bytes")]
    UriTooLong,
    #[msg("Price must be above zero")]
    ZeroPrice,
    #[msg(
        "Fewer oracles posted a price than a median needs (the price minimum, at least the quorum)"
    )]
    TooFewPrices,
    #[msg("Too few prices are fresh enough")]
    StalePrice,
    #[msg("Arithmetic overflow")]
    Overflow,
    #[msg("Oracle state invariant violated")]
    InvariantViolated,
    #[msg("New authority is the default address")]
    InvalidAuthority,
    #[msg("Pause scopes are empty or name a scope this program does not have")]
    InvalidPauseScopes,
    #[msg("Signer is neither the oracle authority nor the guardian")]
    NotAuthorityOrGuardian,
    #[msg("The guardian has used its pause; the authority must arm it again")]
    GuardianSpent,
    #[msg("Guardian pause must be between 1 second and 30 days")]
    InvalidGuardianPause,
    #[msg("Paused: batch votes and finalization are paused")]
    BatchVotesPaused,
    #[msg("Paused: price submissions are paused")]
    PricesPaused,
    #[msg(
        "Minimum price submissions would exceed the number of oracles, so no price could ever form"
    )]
    PriceMinimumAboveSetSize,
}
