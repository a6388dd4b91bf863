use {
    super::{burn_fee, now},
    crate::{
        error::RegistryError,
        events::DeviceLocationUpdated,
        h3,
        seeds::{SEED_CONFIG, SEED_DEVICE},
        state::*,
    },
    anchor_lang::prelude::*,
    anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct UpdateLocationArgs {
    /// New H3 cell index.
    pub location: u64,
}

/// Moves a device.
///
/// Checks: the owner signs; the device is active; the location is a valid H3
/// cell and differs from the current one; the fee account holds the class's
/// location fee. Effects: burns the fee, counts the change on the device and
/// in the registry. Emits `DeviceLocationUpdated`.
///
/// Attack surface: only the device's owner (`has_one` on the device PDA
/// `[SEED_DEVICE, device.device_key]`, stored bump). The config PDA (stored
/// canonical bump) pins the fee mint (`has_one`); the fee account must be a
/// token account of that mint under the given token program, owned by the
/// owner. Bounds: a valid H3 cell; a move to the current cell is refused
/// (`LocationUnchanged`), so the counters count real moves only; the `Moves`
/// pause; suspended devices are frozen.
#[event_cpi]
#[derive(Accounts)]
pub struct UpdateLocation<'info> {
    pub owner: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = fee_mint @ RegistryError::WrongFeeMint,
    )]
    pub config: Box<Account<'info, RegistryConfig>>,
    #[account(
        mut,
        seeds = [SEED_DEVICE, device.device_key.as_ref()],
        bump = device.bump,
        has_one = owner @ RegistryError::NotDeviceOwner,
    )]
    pub device: Box<Account<'info, Device>>,
    #[account(mut)]
    pub fee_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        mut,
        token::mint = fee_mint,
        token::token_program = token_program,
        constraint = fee_account.owner == owner.key() @ RegistryError::WrongFeeAccountOwner,
    )]
    pub fee_account: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_program: Interface<'info, TokenInterface>,
}

impl UpdateLocation<'_> {
    pub fn validate(&self, args: &UpdateLocationArgs) -> Result<()> {
        self.config.require_running(PauseScope::Moves, now()?)?;
        require!(
            self.device.status == DeviceStatus::Active,
            RegistryError::DeviceSuspended
        );
        require!(
            h3::is_valid_cell(args.location),
            RegistryError::InvalidLocation
        );
        require!(
            self.device.location != Some(args.location),
            RegistryError::LocationUnchanged
        );
        let fee = self.config.class(self.device.class_id)?.location_fee;
        require!(
            self.fee_account.amount >= fee,
            RegistryError::InsufficientFeeBalance
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: UpdateLocationArgs) -> Result<()> {
        let accounts = &mut *ctx.accounts;
        let class_id = accounts.device.class_id;
        let fee = accounts.config.class(class_id)?.location_fee;
        burn_fee(
            &accounts.token_program,
            &accounts.fee_mint,
            &accounts.fee_account,
            &accounts.owner,
            fee,
        )?;
        let config = &mut accounts.config;
        config.record_fee(class_id, fee)?;
        config.location_changes = config
            .location_changes
            .checked_add(1)
            .ok_or(RegistryError::Overflow)?;

        let timestamp = now()?;
        let device = &mut accounts.device;
        let old_location = device.location.replace(args.location);
        device.location_changes = device
            .location_changes
            .checked_add(1)
            .ok_or(RegistryError::Overflow)?;
        device.updated_at = timestamp;
        device.invariant()?;
        config.invariant()?;

        let event = DeviceLocationUpdated {
            device_key: device.device_key,
            serial: device.serial,
            old_location,
            new_location: args.location,
            fee_burned: fee,
            timestamp,
        };
        emit_cpi!(event);
        Ok(())
    }
}
