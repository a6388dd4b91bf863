use {
    super::now,
    crate::{
        error::RegistryError,
        events::DeviceTransferred,
        seeds::{SEED_CONFIG, SEED_DEVICE},
        state::*,
    },
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct TransferDeviceArgs {
    pub new_owner: Pubkey,
}

/// Hands a device to a new owner. Its rewards recipient is reset to the new
/// owner: epochs the oracles close from now on pay the new owner's wallet.
///
/// Checks: the current owner signs; the device is active; the new owner is
/// neither the current one nor the default address. Emits `DeviceTransferred`.
///
/// Attack surface: only the current owner (`has_one` on the device PDA, stored
/// bump); the new owner does not sign. The config PDA (stored canonical bump)
/// is read only for the `Moves` pause. The default address is refused as new
/// owner (no one can sign for it, so the device would be stranded).
#[event_cpi]
#[derive(Accounts)]
pub struct TransferDevice<'info> {
    pub owner: Signer<'info>,
    /// Read for the pause switch (`PauseScope::Moves`).
    #[account(seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, RegistryConfig>>,
    #[account(
        mut,
        seeds = [SEED_DEVICE, device.device_key.as_ref()],
        bump = device.bump,
        has_one = owner @ RegistryError::NotDeviceOwner,
    )]
    pub device: Box<Account<'info, Device>>,
}

impl TransferDevice<'_> {
    pub fn validate(&self, args: &TransferDeviceArgs) -> Result<()> {
        self.config.require_running(PauseScope::Moves, now()?)?;
        require!(
            self.device.status == DeviceStatus::Active,
            RegistryError::DeviceSuspended
        );
        require!(
            args.new_owner != self.owner.key() && args.new_owner != Pubkey::default(),
            RegistryError::InvalidNewOwner
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: TransferDeviceArgs) -> Result<()> {
        let timestamp = now()?;
        let device = &mut ctx.accounts.device;
        let old_owner = device.owner;
        device.owner = args.new_owner;
        // The new owner's rewards are the new owner's until it says otherwise.
        device.rewards_recipient = args.new_owner;
        device.updated_at = timestamp;
        device.invariant()?;
        emit_cpi!(DeviceTransferred {
            device_key: device.device_key,
            serial: device.serial,
            old_owner,
            new_owner: args.new_owner,
            timestamp,
        });
        Ok(())
    }
}
