use {
    super::now,
    crate::{
        error::RegistryError,
        events::DeviceStatusChanged,
        seeds::{SEED_CONFIG, SEED_DEVICE},
        state::*,
    },
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct SetDeviceStatusArgs {
    pub status: DeviceStatus,
}

/// Suspends or reinstates a device.
///
/// Checks: the authority signs; the status changes. Emits
/// `DeviceStatusChanged`.
///
/// Attack surface: only the authority (`has_one` on the config PDA, stored
/// canonical bump). The device is any device account (owner/type-checked by
/// `Account<Device>`, at `[SEED_DEVICE, device.device_key]` with its stored
/// bump). No bound beyond a real change of status.
#[event_cpi]
#[derive(Accounts)]
pub struct SetDeviceStatus<'info> {
    pub authority: Signer<'info>,
    #[account(
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ RegistryError::NotAuthority,
    )]
    pub config: Box<Account<'info, RegistryConfig>>,
    #[account(
        mut,
        seeds = [SEED_DEVICE, device.device_key.as_ref()],
        bump = device.bump,
    )]
    pub device: Box<Account<'info, Device>>,
}

impl SetDeviceStatus<'_> {
    pub fn validate(&self, args: &SetDeviceStatusArgs) -> Result<()> {
        require!(
            self.device.status != args.status,
            RegistryError::StatusUnchanged
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: SetDeviceStatusArgs) -> Result<()> {
        let timestamp = now()?;
        let device = &mut ctx.accounts.device;
        device.status = args.status;
        device.updated_at = timestamp;
        device.invariant()?;
        emit_cpi!(DeviceStatusChanged {
            device_key: device.device_key,
            serial: device.serial,
            status: args.status,
            timestamp,
        });
        Ok(())
    }
}
