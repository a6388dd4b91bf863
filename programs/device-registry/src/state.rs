use {
    crate::{constants::*, error::RegistryError},
    anchor_lang::prelude::*,
    depin_pause::{PauseError, PauseState},
};

/// What the pause switch of the device registry can stop, one bit each in a pause
/// mask.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum PauseScope {
    /// `register_device`.
    Onboarding = 0,
    /// `update_location` and `transfer_device`.
    Moves = 1,
}

impl PauseScope {
    pub const COUNT: u8 = 2;
    pub const ALL: u8 = (1 << Self::COUNT) - 1;

    pub fn bit(self) -> u8 {
        1 << self as u8
    }

    fn paused_error(self) -> RegistryError {
        match self {
            Self::Onboarding => RegistryError::OnboardingPaused,
            Self::Moves => RegistryError::MovesPaused,
        }
    }
}

/// The device registry's error for a refused pause operation.
pub fn pause_error(error: PauseError) -> Error {
    match error {
        PauseError::InvalidScopes => error!(RegistryError::InvalidPauseScopes),
        PauseError::NotAuthorityOrGuardian => error!(RegistryError::NotAuthorityOrGuardian),
        PauseError::GuardianSpent => error!(RegistryError::GuardianSpent),
        PauseError::InvalidGuardianPause => error!(RegistryError::InvalidGuardianPause),
    }
}

/// The registry's configuration. One per deployment, at `[SEED_CONFIG]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct RegistryConfig {
    /// Signs every administrative instruction; handed to the DAO.
    pub authority: Pubkey,
    /// Mint whose tokens are burned for onboarding and location fees.
    pub fee_mint: Pubkey,
    pub bump: u8,
    /// Makers ever approved; the next maker gets id `makers + 1`.
    pub makers: u32,
    /// Registrations ever made. A device's `serial` is this count after its
    /// registration, so serials are unique across re-registrations.
    pub devices_registered: u64,
    /// Devices currently registered (registered minus retired).
    pub active_devices: u64,
    /// Fee tokens burned, onboarding and location fees together.
    pub fees_burned: u64,
    /// Location changes after onboarding, all devices.
    pub location_changes: u64,
    /// Device classes; a class id is its index here. Classes are never
    /// removed (devices refer to them), only disabled.
    #[max_len(MAX_DEVICE_CLASSES)]
    pub classes: Vec<DeviceClass>,
    /// Pause switches of `PauseScope`, and the guardian.
    pub pause: PauseState,
}

#[derive(AnchorSerialize, AnchorDeserialize, Clone, InitSpace, Debug, PartialEq, Eq)]
pub struct DeviceClass {
    #[max_len(MAX_CLASS_NAME_LEN)]
    pub name: String,
    /// Fee tokens burned to onboard a device of this class.
    pub onboarding_fee: u64,
    /// Fee tokens burned for each location change after onboarding.
    pub location_fee: u64,
    /// Whether an approved maker must co-sign each registration.
    pub maker_required: bool,
    /// Disabled classes accept no new devices; existing ones keep working.
    pub enabled: bool,
    pub active_devices: u64,
    pub devices_registered: u64,
    pub fees_burned: u64,
}

/// A hardware maker approved by the authority, at `[SEED_MAKER, maker_key]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Maker {
    /// The key that co-signs registrations of this maker's devices.
    pub maker_key: Pubkey,
    /// Short id recorded in each device this maker attested (from 1).
    pub id: u32,
    /// Revoked makers (false) can no longer attest devices.
    pub approved: bool,
    /// Most devices this maker may attest; `None` is unlimited.
    pub device_quota: Option<u64>,
    pub devices_onboarded: u64,
    pub bump: u8,
    #[max_len(MAX_MAKER_NAME_LEN)]
    pub name: String,
}

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, InitSpace, Debug, PartialEq, Eq)]
pub enum DeviceStatus {
    Active,
    /// Set by the authority; a suspended device earns nothing and its owner
    /// can neither change, transfer nor retire it until it is reinstated.
    Suspended,
}

/// A registered device, at `[SEED_DEVICE, device_key]`. 181 bytes of data.
///
/// Field order is part of the interface: indexers filter on `owner` at
/// byte offset 40 (`getProgramAccounts` memcmp).
#[account]
#[derive(InitSpace, Debug)]
pub struct Device {
    /// The device's ed25519 public key (proved at registration).
    pub device_key: Pubkey,
    pub owner: Pubkey,
    /// Unique per registration (see `RegistryConfig::devices_registered`).
    /// Batch files name it in their per-device detail, so an epoch's reward
    /// is tied to one registration of a key.
    pub serial: u64,
    /// Maker that attested the device, or `NO_MAKER`.
    pub maker_id: u32,
    pub class_id: u8,
    pub status: DeviceStatus,
    pub bump: u8,
    /// H3 cell index, validated on write.
    pub location: Option<u64>,
    pub location_changes: u32,
    pub metadata_len: u8,
    /// Metadata bytes; only the first `metadata_len` are meaningful.
    pub metadata: [u8; MAX_METADATA_LEN],
    pub registered_at: i64,
    pub updated_at: i64,
    /// The wallet this device's rewards are attributed to (the owner's by
    /// default; `set_rewards_recipient`; a transfer resets it).
    pub rewards_recipient: Pubkey,
}

impl RegistryConfig {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    /// Fails with the scope's named error if it is paused at `now`.
    pub fn require_running(&self, scope: PauseScope, now: i64) -> Result<()> {
        if self.pause.is_paused(scope as u8, now) {
            return Err(error!(scope.paused_error()));
        }
        Ok(())
    }

    pub fn class(&self, class_id: u8) -> Result<&DeviceClass> {
        self.classes
            .get(usize::from(class_id))
            .ok_or_else(|| error!(RegistryError::UnknownDeviceClass))
    }

    pub fn class_mut(&mut self, class_id: u8) -> Result<&mut DeviceClass> {
        self.classes
            .get_mut(usize::from(class_id))
            .ok_or_else(|| error!(RegistryError::UnknownDeviceClass))
    }

    /// Records a fee burn against the class and the registry totals.
    pub fn record_fee(&mut self, class_id: u8, amount: u64) -> Result<()> {
        let class = self.class_mut(class_id)?;
        class.fees_burned = class
            .fees_burned
            .checked_add(amount)
            .ok_or(RegistryError::Overflow)?;
        self.fees_burned = self
            .fees_burned
            .checked_add(amount)
            .ok_or(RegistryError::Overflow)?;
        Ok(())
    }

    /// The per-class counters add up to the registry's, and no more devices
    /// are active than were ever registered.
    pub fn invariant(&self) -> Result<()> {
        require!(
            self.classes.len() <= MAX_DEVICE_CLASSES && self.pause.invariant(PauseScope::COUNT),
            RegistryError::InvariantViolated
        );
        let mut active: u64 = 0;
        let mut registered: u64 = 0;
        let mut fees: u64 = 0;
        for class in &self.classes {
            require!(
                is_valid_name(&class.name, MAX_CLASS_NAME_LEN),
                RegistryError::InvariantViolated
            );
            require!(
                class.active_devices <= class.devices_registered,
                RegistryError::InvariantViolated
            );
            active = active
                .checked_add(class.active_devices)
                .ok_or(RegistryError::InvariantViolated)?;
            registered = registered
                .checked_add(class.devices_registered)
                .ok_or(RegistryError::InvariantViolated)?;
            fees = fees
                .checked_add(class.fees_burned)
                .ok_or(RegistryError::InvariantViolated)?;
        }
        require!(
            active == self.active_devices
                && registered == self.devices_registered
                && fees == self.fees_burned
                && self.active_devices <= self.devices_registered,
            RegistryError::InvariantViolated
        );
        Ok(())
    }
}

impl Maker {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    pub fn invariant(&self) -> Result<()> {
        require!(self.id != NO_MAKER, RegistryError::InvariantViolated);
        require!(
            is_valid_name(&self.name, MAX_MAKER_NAME_LEN),
            RegistryError::InvariantViolated
        );
        Ok(())
    }
}

impl Device {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    pub fn metadata(&self) -> &[u8] {
        &self.metadata[..usize::from(self.metadata_len).min(MAX_METADATA_LEN)]
    }

    pub fn set_metadata(&mut self, metadata: &[u8]) -> Result<()> {
        require!(
            metadata.len() <= MAX_METADATA_LEN,
            RegistryError::MetadataTooLong
        );
        self.metadata = [0; MAX_METADATA_LEN];
        self.metadata[..metadata.len()].copy_from_slice(metadata);
        // Bounded by MAX_METADATA_LEN (32) above, so the cast cannot truncate.
        self.metadata_len = metadata.len() as u8;
        Ok(())
    }

    pub fn invariant(&self) -> Result<()> {
        require!(
            usize::from(self.metadata_len) <= MAX_METADATA_LEN
                && self.metadata[usize::from(self.metadata_len)..]
                    .iter()
                    .all(|byte| *byte == 0),
            RegistryError::InvariantViolated
        );
        require!(
            self.location.is_none_or(crate::h3::is_valid_cell),
            RegistryError::InvariantViolated
        );
        // Cluster time is not guaranteed monotonic, so timestamps are not
        // compared with each other.
        require!(self.serial != 0, RegistryError::InvariantViolated);
        require!(
            self.owner != Pubkey::default() && self.rewards_recipient != Pubkey::default(),
            RegistryError::InvariantViolated
        );
        Ok(())
    }
}

/// A name is 1..=max bytes of UTF-8 (String guarantees the UTF-8).
pub fn is_valid_name(name: &str, max: usize) -> bool {
    !name.is_empty() && name.len() <= max
}
