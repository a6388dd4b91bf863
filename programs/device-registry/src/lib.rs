//! DePIN device registry.
//!
//! Operators register hardware under a device class, proving possession of
//! the device's ed25519 key; approved makers co-sign where the class demands
//! it; onboarding and location changes burn fee tokens (data credits once the
//! rewards program runs). The registry authority (the DAO, after bootstrap)
//! manages classes, makers and device status.
//!
//! This file only forwards to the handlers in `instructions/`.

use anchor_lang::prelude::*;
// Links memcpy and the i128/soft-float helpers into the project's own SBF
// build (scripts/sbf); see Cargo.toml.
#[cfg(all(target_os = "solana", target_arch = "bpf"))]
use solana_compiler_builtins as _;

pub mod constants;
pub mod error;
pub mod events;
pub mod h3;
pub mod instructions;
pub mod seeds;
pub mod state;

pub use instructions::*;

declare_id!("HqDtHtkqd4WRJgTHbZneiX6gYY311XNMS51HNhL2oJFm");

#[program]
pub mod device_registry {
    use super::*;

    #[access_control(ctx.accounts.validate(&args))]
    pub fn initialize_registry(
        ctx: Context<InitializeRegistry>,
        args: InitializeRegistryArgs,
    ) -> Result<()> {
        InitializeRegistry::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn update_registry(ctx: Context<UpdateRegistry>, args: UpdateRegistryArgs) -> Result<()> {
        UpdateRegistry::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn add_device_class(ctx: Context<AddDeviceClass>, args: DeviceClassArgs) -> Result<()> {
        AddDeviceClass::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn update_device_class(
        ctx: Context<UpdateDeviceClass>,
        args: UpdateDeviceClassArgs,
    ) -> Result<()> {
        UpdateDeviceClass::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn add_maker(ctx: Context<AddMaker>, args: AddMakerArgs) -> Result<()> {
        AddMaker::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn update_maker(ctx: Context<UpdateMaker>, args: UpdateMakerArgs) -> Result<()> {
        UpdateMaker::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn register_device(ctx: Context<RegisterDevice>, args: RegisterDeviceArgs) -> Result<()> {
        RegisterDevice::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn update_location(ctx: Context<UpdateLocation>, args: UpdateLocationArgs) -> Result<()> {
        UpdateLocation::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn update_metadata(ctx: Context<UpdateMetadata>, args: UpdateMetadataArgs) -> Result<()> {
        UpdateMetadata::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn transfer_device(ctx: Context<TransferDevice>, args: TransferDeviceArgs) -> Result<()> {
        TransferDevice::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn set_device_status(
        ctx: Context<SetDeviceStatus>,
        args: SetDeviceStatusArgs,
    ) -> Result<()> {
        SetDeviceStatus::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn record_rewards_claimed(
        ctx: Context<RecordRewardsClaimed>,
        args: RecordRewardsClaimedArgs,
    ) -> Result<()> {
        RecordRewardsClaimed::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate())]
    pub fn retire_device(ctx: Context<RetireDevice>) -> Result<()> {
        RetireDevice::handler(ctx)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn pause(ctx: Context<Pause>, args: PauseArgs) -> Result<()> {
        Pause::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn unpause(ctx: Context<Unpause>, args: UnpauseArgs) -> Result<()> {
        Unpause::handler(ctx, args)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn set_guardian(ctx: Context<SetGuardian>, args: SetGuardianArgs) -> Result<()> {
        SetGuardian::handler(ctx, args)
    }
}
