use {
    crate::{error::RegistryError, events::DeviceClassUpdated, seeds::SEED_CONFIG, state::*},
    anchor_lang::prelude::*,
};

use super::DeviceClassArgs;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct UpdateDeviceClassArgs {
    pub class_id: u8,
    pub class: DeviceClassArgs,
}

/// Replaces a class's name, fees, maker rule and enabled flag; its counters
/// stay. New fees apply to later registrations and moves only.
///
/// Checks: the authority signs; the class exists; the name is valid.
/// Emits `DeviceClassUpdated`.
///
/// Attack surface: only the authority (`has_one` on the config PDA, stored
/// canonical bump). The class id must index an existing class
/// (`UnknownDeviceClass`); the name bound keeps the config within its fixed
/// space. The class's counters are never written from arguments.
#[event_cpi]
#[derive(Accounts)]
pub struct UpdateDeviceClass<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ RegistryError::NotAuthority,
    )]
    pub config: Box<Account<'info, RegistryConfig>>,
}

impl UpdateDeviceClass<'_> {
    pub fn validate(&self, args: &UpdateDeviceClassArgs) -> Result<()> {
        args.class.validate()?;
        self.config.class(args.class_id)?;
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: UpdateDeviceClassArgs) -> Result<()> {
        let config = &mut ctx.accounts.config;
        let class = config.class_mut(args.class_id)?;
        class.name = args.class.name.clone();
        class.onboarding_fee = args.class.onboarding_fee;
        class.location_fee = args.class.location_fee;
        class.maker_required = args.class.maker_required;
        class.enabled = args.class.enabled;
        config.invariant()?;
        emit_cpi!(DeviceClassUpdated {
            class_id: args.class_id,
            name: args.class.name,
            onboarding_fee: args.class.onboarding_fee,
            location_fee: args.class.location_fee,
            maker_required: args.class.maker_required,
            enabled: args.class.enabled,
        });
        Ok(())
    }
}
