use anchor_lang::prelude::*;

/// A variant's code is 6000 plus its position, and clients match on codes:
/// new variants go at the end, so existing codes never change.
#[error_code]
pub enum RegistryError {
    #[msg("Signer is not the program's upgrade authority")]
    NotUpgradeAuthority,
    #[msg("Signer is not the registry authority")]
    NotAuthority,
    #[msg("Fee mint does not match the registry's fee mint")]
    WrongFeeMint,
    #[msg("Fee token account is not owned by the device owner")]
    WrongFeeAccountOwner,
    #[msg("Fee token account balance is below the fee")]
    InsufficientFeeBalance,
    #[msg("The registry already holds the maximum number of device classes")]
    TooManyDeviceClasses,
    #[msg("Device class does not exist")]
    UnknownDeviceClass,
    #[msg("Device class is disabled")]
    DeviceClassDisabled,
    #[msg("Name is empty or longer than 32 bytes")]
    InvalidName,
    #[msg("Metadata is longer than 32 bytes")]
    MetadataTooLong,
    #[msg("Location is not a valid H3 cell index")]
    InvalidLocation,
    #[msg("Location is the device's current location")]
    LocationUnchanged,
    #[msg("This device class requires a maker's co-signature")]
    MakerRequired,
    #[msg("Maker account given without the maker's signature")]
    MakerSignatureMissing,
    #[msg("Signer is not the maker's key")]
    WrongMakerSigner,
    #[msg("Maker is not approved")]
    MakerNotApproved,
    #[msg("Maker has onboarded its whole device quota")]
    MakerQuotaExceeded,
    #[msg("Signer is not the device owner")]
    NotDeviceOwner,
    #[msg("New owner is the current owner or the default address")]
    InvalidNewOwner,
    #[msg("Device is suspended")]
    DeviceSuspended,
    #[msg("Device already has this status")]
    StatusUnchanged,
    #[msg("Arithmetic overflow")]
    Overflow,
    #[msg("Registry state invariant violated")]
    InvariantViolated,
    #[msg("Authority is the default address")]
    InvalidAuthority,
    /// Retired with `record_rewards_claimed` (claims are per wallet now);
    /// kept so later codes never move.
    #[msg("Signer is not the registry's rewards authority (retired)")]
    NotRewardsAuthority,
    /// Retired with `record_rewards_claimed`; kept so later codes never move.
    #[msg("Recorded rewards may only grow (retired)")]
    RewardsNotIncreasing,
    #[msg("Pause scopes are empty or name a scope this program does not have")]
    InvalidPauseScopes,
    #[msg("Signer is neither the registry authority nor the guardian")]
    NotAuthorityOrGuardian,
    #[msg("The guardian has used its pause; the authority must arm it again")]
    GuardianSpent,
    #[msg("Guardian pause must be between 1 second and 30 days")]
    InvalidGuardianPause,
    #[msg("Paused: device onboarding is paused")]
    OnboardingPaused,
    #[msg("Paused: device moves and transfers are paused")]
    MovesPaused,
    #[msg("Rewards recipient is the default address")]
    InvalidRewardsRecipient,
    #[msg("Device already pays its rewards to this wallet")]
    RewardsRecipientUnchanged,
}
