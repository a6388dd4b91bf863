//! Decoding of program accounts.

use {
    crate::SdkError,
    anchor_lang::{prelude::Pubkey, AccountDeserialize},
};
pub use {
    device_registry::state::{Device, DeviceClass, DeviceStatus, Maker, RegistryConfig},
    governance::state::{GovernanceConfig, Proposal, ProposalState, VoteRecord, Voter},
    proof_oracle::state::{
        BatchStatus, Commitment, EpochBatch, OracleConfig, PriceEntry, PriceFeed, Vote,
    },
    rewards::state::{EpochRewards, RewardsConfig},
};

/// Decodes an Anchor account, checking its discriminator.
pub fn decode<T: AccountDeserialize>(address: &Pubkey, data: &[u8]) -> Result<T, SdkError> {
    let mut bytes = data;
    T::try_deserialize(&mut bytes).map_err(|error| SdkError::AccountDecode {
        address: *address,
        expected: std::any::type_name::<T>()
            .rsplit("::")
            .next()
            .unwrap_or("account")
            .to_string(),
        reason: error.to_string(),
    })
}

/// Byte offset of `Device::owner` (after the discriminator and device key),
/// for `getProgramAccounts` memcmp filters.
pub const DEVICE_OWNER_OFFSET: usize = 8 + 32;
