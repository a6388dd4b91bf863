use {
    super::{burn_fee, now},
    crate::{
        constants::*,
        error::RegistryError,
        events::DeviceRegistered,
        h3,
        seeds::{SEED_CONFIG, SEED_DEVICE, SEED_MAKER},
        state::*,
    },
    anchor_lang::prelude::*,
    anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct RegisterDeviceArgs {
    pub class_id: u8,
    /// H3 cell index of the device, if it has a location already.
    pub location: Option<u64>,
    /// Up to 32 bytes, typically a content hash of off-chain metadata.
    pub metadata: Vec<u8>,
}

/// Registers a device under its owner.
///
/// Proof of possession: the device key itself signs the transaction. Its
/// signature covers the whole message (this program id, the owner, the
/// device key, every account and a recent blockhash), is checked by the
/// runtime before anything runs, and cannot be replayed once the blockhash
/// expires or on another cluster. A device only needs to sign the message
/// bytes it is handed; no on-chain parsing of precompile data is involved.
///
/// Checks: owner and device key sign; the class exists and is enabled; if
/// the class requires it, an approved maker within its quota co-signs (a
/// maker that is given must always sign); the location is a valid H3 cell;
/// metadata is at most 32 bytes; the fee account holds the class's
/// onboarding fee in the registry's fee mint. The device PDA must not exist
/// (a second registration of a live key fails in the system program).
///
/// Effects: burns the onboarding fee; creates the device with a fresh serial;
/// bumps class, maker and registry counters. Emits `DeviceRegistered`.
///
/// Attack surface: signers are the payer (the device account's rent), the
/// owner (authority of the fee burn, and the recorded owner), the device key
/// (proof of possession) and, when a maker account is given, the maker key
/// (`maker_signer` must equal `maker.maker_key`). Trusted accounts: the config
/// PDA (stored canonical bump) with `has_one = fee_mint`; the device PDA
/// `[SEED_DEVICE, device_key]`, created by `init` (canonical bump), so one
/// live registration per key; the maker PDA `[SEED_MAKER, maker.maker_key]`
/// with its stored bump; the fee account, a token account of the fee mint
/// under the given token program (SPL Token or Token-2022, by `Interface`)
/// owned by the owner. Bounds: metadata at most 32 bytes (the device account
/// has a fixed size); the location is a valid H3 cell;
/// `devices_onboarded < quota` is checked per instruction on the maker account
/// as earlier instructions of the same transaction left it, so no transaction
/// registers past the quota; the `Onboarding` pause.
#[event_cpi]
#[derive(Accounts)]
pub struct RegisterDevice<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    pub owner: Signer<'info>,
    pub device_key: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = fee_mint @ RegistryError::WrongFeeMint,
    )]
    pub config: Box<Account<'info, RegistryConfig>>,
    #[account(
        init,
        payer = payer,
        space = Device::SPACE,
        seeds = [SEED_DEVICE, device_key.key().as_ref()],
        bump,
    )]
    pub device: Box<Account<'info, Device>>,
    #[account(
        mut,
        seeds = [SEED_MAKER, maker.maker_key.as_ref()],
        bump = maker.bump,
    )]
    pub maker: Option<Box<Account<'info, Maker>>>,
    pub maker_signer: Option<Signer<'info>>,
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
    pub system_program: Program<'info, System>,
}

impl RegisterDevice<'_> {
    pub fn validate(&self, args: &RegisterDeviceArgs) -> Result<()> {
        self.config
            .require_running(PauseScope::Onboarding, now()?)?;
        let class = self.config.class(args.class_id)?;
        require!(class.enabled, RegistryError::DeviceClassDisabled);
        require!(
            args.metadata.len() <= MAX_METADATA_LEN,
            RegistryError::MetadataTooLong
        );
        if let Some(location) = args.location {
            require!(h3::is_valid_cell(location), RegistryError::InvalidLocation);
        }
        match (&self.maker, &self.maker_signer) {
            (None, _) => require!(!class.maker_required, RegistryError::MakerRequired),
            (Some(_), None) => return err!(RegistryError::MakerSignatureMissing),
            (Some(maker), Some(signer)) => {
                require_keys_eq!(
                    signer.key(),
                    maker.maker_key,
                    RegistryError::WrongMakerSigner
                );
                require!(maker.approved, RegistryError::MakerNotApproved);
                if let Some(quota) = maker.device_quota {
                    require!(
                        maker.devices_onboarded < quota,
                        RegistryError::MakerQuotaExceeded
                    );
                }
            }
        }
        require!(
            self.fee_account.amount >= class.onboarding_fee,
            RegistryError::InsufficientFeeBalance
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: RegisterDeviceArgs) -> Result<()> {
        let accounts = &mut *ctx.accounts;
        let fee = accounts.config.class(args.class_id)?.onboarding_fee;
        burn_fee(
            &accounts.token_program,
            &accounts.fee_mint,
            &accounts.fee_account,
            &accounts.owner,
            fee,
        )?;

        let config = &mut accounts.config;
        config.devices_registered = config
            .devices_registered
            .checked_add(1)
            .ok_or(RegistryError::Overflow)?;
        config.active_devices = config
            .active_devices
            .checked_add(1)
            .ok_or(RegistryError::Overflow)?;
        let class = config.class_mut(args.class_id)?;
        class.devices_registered = class
            .devices_registered
            .checked_add(1)
            .ok_or(RegistryError::Overflow)?;
        class.active_devices = class
            .active_devices
            .checked_add(1)
            .ok_or(RegistryError::Overflow)?;
        config.record_fee(args.class_id, fee)?;

        let maker_id = match &mut accounts.maker {
            Some(maker) => {
                maker.devices_onboarded = maker
                    .devices_onboarded
                    .checked_add(1)
                    .ok_or(RegistryError::Overflow)?;
                maker.invariant()?;
                maker.id
            }
            None => NO_MAKER,
        };

        let timestamp = now()?;
        let device = &mut accounts.device;
        device.device_key = accounts.device_key.key();
        device.owner = accounts.owner.key();
        device.serial = config.devices_registered;
        device.maker_id = maker_id;
        device.class_id = args.class_id;
        device.status = DeviceStatus::Active;
        device.bump = ctx.bumps.device;
        device.location = args.location;
        device.location_changes = 0;
        device.set_metadata(&args.metadata)?;
        device.registered_at = timestamp;
        device.updated_at = timestamp;
        device.rewards_recipient = device.owner;
        device.invariant()?;
        config.invariant()?;

        let event = DeviceRegistered {
            device_key: device.device_key,
            owner: device.owner,
            serial: device.serial,
            class_id: args.class_id,
            maker_id,
            location: args.location,
            fee_burned: fee,
            timestamp,
        };
        emit_cpi!(event);
        Ok(())
    }
}
