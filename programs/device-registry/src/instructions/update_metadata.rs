use {
    super::now,
    crate::{
        constants::MAX_METADATA_LEN, error::RegistryError, events::DeviceMetadataUpdated,
        seeds::SEED_DEVICE, state::*,
    },
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct UpdateMetadataArgs {
    pub metadata: Vec<u8>,
}

/// Replaces a device's metadata.
///
/// Checks: the owner signs; the device is active; at most 32 bytes.
/// Emits `DeviceMetadataUpdated`.
///
/// Attack surface: only the device's owner (`has_one` on the device PDA,
/// stored bump). Bound: at most 32 bytes, the fixed metadata field (its tail
/// is zeroed). No config account is read, so metadata changes are not behind a
/// pause switch.
#[event_cpi]
#[derive(Accounts)]
pub struct UpdateMetadata<'info> {
    pub owner: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_DEVICE, device.device_key.as_ref()],
        bump = device.bump,
        has_one = owner @ RegistryError::NotDeviceOwner,
    )]
    pub device: Box<Account<'info, Device>>,
}

impl UpdateMetadata<'_> {
    pub fn validate(&self, args: &UpdateMetadataArgs) -> Result<()> {
        require!(
            self.device.status == DeviceStatus::Active,
            RegistryError::DeviceSuspended
        );
        require!(
            args.metadata.len() <= MAX_METADATA_LEN,
            RegistryError::MetadataTooLong
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: UpdateMetadataArgs) -> Result<()> {
        let timestamp = now()?;
        let device = &mut ctx.accounts.device;
        device.set_metadata(&args.metadata)?;
        device.updated_at = timestamp;
        device.invariant()?;
        emit_cpi!(DeviceMetadataUpdated {
            device_key: device.device_key,
            serial: device.serial,
            metadata: args.metadata,
            timestamp,
        });
        Ok(())
    }
}
