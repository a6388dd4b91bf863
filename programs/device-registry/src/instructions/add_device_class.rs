use {
    crate::{
        constants::*, error::RegistryError, events::DeviceClassAdded, seeds::SEED_CONFIG, state::*,
    },
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct DeviceClassArgs {
    pub name: String,
    pub onboarding_fee: u64,
    pub location_fee: u64,
    pub maker_required: bool,
    pub enabled: bool,
}

impl DeviceClassArgs {
    pub fn validate(&self) -> Result<()> {
        require!(
            is_valid_name(&self.name, MAX_CLASS_NAME_LEN),
            RegistryError::InvalidName
        );
        Ok(())
    }
}

/// Appends a device class; its id is its position.
///
/// Checks: the authority signs; the name is 1..=32 bytes; fewer than
/// `MAX_DEVICE_CLASSES` exist. Emits `DeviceClassAdded`.
///
/// Attack surface: only the authority (`has_one` on the config PDA, stored
/// canonical bump). The name bound (1..=32 bytes) and the class count (at most
/// 16) keep the config within its fixed allocated space; fees are unbounded
/// `u64`s chosen by the authority.
#[event_cpi]
#[derive(Accounts)]
pub struct AddDeviceClass<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ RegistryError::NotAuthority,
    )]
    pub config: Box<Account<'info, RegistryConfig>>,
}

impl AddDeviceClass<'_> {
    pub fn validate(&self, args: &DeviceClassArgs) -> Result<()> {
        args.validate()?;
        require!(
            self.config.classes.len() < MAX_DEVICE_CLASSES,
            RegistryError::TooManyDeviceClasses
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: DeviceClassArgs) -> Result<()> {
        let config = &mut ctx.accounts.config;
        // Bounded by MAX_DEVICE_CLASSES (16) in validate.
        let class_id = config.classes.len() as u8;
        config.classes.push(DeviceClass {
            name: args.name.clone(),
            onboarding_fee: args.onboarding_fee,
            location_fee: args.location_fee,
            maker_required: args.maker_required,
            enabled: args.enabled,
            active_devices: 0,
            devices_registered: 0,
            fees_burned: 0,
        });
        config.invariant()?;
        emit_cpi!(DeviceClassAdded {
            class_id,
            name: args.name,
            onboarding_fee: args.onboarding_fee,
            location_fee: args.location_fee,
            maker_required: args.maker_required,
            enabled: args.enabled,
        });
        Ok(())
    }
}
