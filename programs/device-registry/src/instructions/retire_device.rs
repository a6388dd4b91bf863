use {
    super::now,
    crate::{
        error::RegistryError,
        events::DeviceRetired,
        seeds::{SEED_CONFIG, SEED_DEVICE},
        state::*,
    },
    anchor_lang::prelude::*,
};

/// Retires a device: closes its account and returns the rent to the owner.
///
/// The same device key may register again later. It then gets a new serial;
/// reward proofs commit to the serial, so nothing owed to the old
/// registration can be claimed twice through the new one.
///
/// Checks: the owner signs; the device is active (a suspended device cannot
/// escape its suspension by retiring and re-registering). Effects: class and
/// registry active counts drop by one. Emits `DeviceRetired`.
///
/// Attack surface: only the owner (`has_one` on the device PDA, stored bump),
/// who also receives the rent (`close = owner`). The config PDA (stored
/// canonical bump) is written for the active counts. Once closed the account
/// is no device: later instructions of the same transaction cannot use it, and
/// a registration of the same key in the same transaction gets a new serial
/// and its owner as rewards recipient. Suspended devices cannot retire; retirement is
/// not behind a pause switch.
#[event_cpi]
#[derive(Accounts)]
pub struct RetireDevice<'info> {
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_CONFIG],
        bump = config.bump,
    )]
    pub config: Box<Account<'info, RegistryConfig>>,
    #[account(
        mut,
        close = owner,
        seeds = [SEED_DEVICE, device.device_key.as_ref()],
        bump = device.bump,
        has_one = owner @ RegistryError::NotDeviceOwner,
    )]
    pub device: Box<Account<'info, Device>>,
}

impl RetireDevice<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(
            self.device.status == DeviceStatus::Active,
            RegistryError::DeviceSuspended
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let device = &ctx.accounts.device;
        let config = &mut ctx.accounts.config;
        config.active_devices = config
            .active_devices
            .checked_sub(1)
            .ok_or(RegistryError::Overflow)?;
        let class = config.class_mut(device.class_id)?;
        class.active_devices = class
            .active_devices
            .checked_sub(1)
            .ok_or(RegistryError::Overflow)?;
        config.invariant()?;
        emit_cpi!(DeviceRetired {
            device_key: device.device_key,
            serial: device.serial,
            owner: device.owner,
            timestamp: now()?,
        });
        Ok(())
    }
}
