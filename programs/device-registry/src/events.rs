//! Events for indexers, emitted through Anchor's self-CPI (`emit_cpi!`):
//! they land in the transaction's inner instructions, which RPC nodes keep
//! in full, unlike program logs that are truncated at 10 KB.

use {crate::state::DeviceStatus, anchor_lang::prelude::*};

#[event]
pub struct RegistryInitialized {
    pub authority: Pubkey,
    pub fee_mint: Pubkey,
}

#[event]
pub struct RegistryUpdated {
    pub authority: Pubkey,
    pub fee_mint: Pubkey,
}

#[event]
pub struct DeviceClassAdded {
    pub class_id: u8,
    pub name: String,
    pub onboarding_fee: u64,
    pub location_fee: u64,
    pub maker_required: bool,
    pub enabled: bool,
}

#[event]
pub struct DeviceClassUpdated {
    pub class_id: u8,
    pub name: String,
    pub onboarding_fee: u64,
    pub location_fee: u64,
    pub maker_required: bool,
    pub enabled: bool,
}

#[event]
pub struct MakerAdded {
    pub maker_key: Pubkey,
    pub maker_id: u32,
    pub name: String,
    pub device_quota: Option<u64>,
}

#[event]
pub struct MakerUpdated {
    pub maker_key: Pubkey,
    pub maker_id: u32,
    pub name: String,
    pub device_quota: Option<u64>,
    pub approved: bool,
}

#[event]
pub struct DeviceRegistered {
    pub device_key: Pubkey,
    pub owner: Pubkey,
    pub serial: u64,
    pub class_id: u8,
    pub maker_id: u32,
    pub location: Option<u64>,
    pub fee_burned: u64,
    pub timestamp: i64,
}

#[event]
pub struct DeviceLocationUpdated {
    pub device_key: Pubkey,
    pub serial: u64,
    pub old_location: Option<u64>,
    pub new_location: u64,
    pub fee_burned: u64,
    pub timestamp: i64,
}

#[event]
pub struct DeviceMetadataUpdated {
    pub device_key: Pubkey,
    pub serial: u64,
    pub metadata: Vec<u8>,
    pub timestamp: i64,
}

#[event]
pub struct DeviceTransferred {
    pub device_key: Pubkey,
    pub serial: u64,
    pub old_owner: Pubkey,
    pub new_owner: Pubkey,
    pub timestamp: i64,
}

#[event]
pub struct RewardsRecipientSet {
    pub device_key: Pubkey,
    pub serial: u64,
    pub owner: Pubkey,
    pub previous: Pubkey,
    pub recipient: Pubkey,
    pub timestamp: i64,
}

#[event]
pub struct DeviceStatusChanged {
    pub device_key: Pubkey,
    pub serial: u64,
    pub status: DeviceStatus,
    pub timestamp: i64,
}

#[event]
pub struct DeviceRetired {
    pub device_key: Pubkey,
    pub serial: u64,
    pub owner: Pubkey,
    pub timestamp: i64,
}

/// Scopes paused (`scopes` is a `PauseScope` mask) by the authority (until
/// it unpauses) or by the guardian (until `until`).
#[event]
pub struct Paused {
    pub scopes: u8,
    pub by: depin_pause::PausedBy,
    pub signer: Pubkey,
    pub until: i64,
}

#[event]
pub struct Unpaused {
    pub scopes: u8,
}

/// The guardian named (default key: none), armed for one pause of at most
/// `max_pause` seconds.
#[event]
pub struct GuardianSet {
    pub guardian: Pubkey,
    pub max_pause: i64,
}
