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

    /// Creates the registry config (the program's upgrade authority only).
    #[access_control(ctx.accounts.validate(&args))]
    pub fn initialize_registry(
        ctx: Context<InitializeRegistry>,
        args: InitializeRegistryArgs,
    ) -> Result<()> {
        InitializeRegistry::handler(ctx, args)
    }

    /// Changes the registry authority or attaches the rewards program's signer.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn update_registry(ctx: Context<UpdateRegistry>, args: UpdateRegistryArgs) -> Result<()> {
        UpdateRegistry::handler(ctx, args)
    }

    /// Adds a device class with its fees in data credits and maker rule.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn add_device_class(ctx: Context<AddDeviceClass>, args: DeviceClassArgs) -> Result<()> {
        AddDeviceClass::handler(ctx, args)
    }

    /// Changes a class's fees, maker rule or enabled flag.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn update_device_class(
        ctx: Context<UpdateDeviceClass>,
        args: UpdateDeviceClassArgs,
    ) -> Result<()> {
        UpdateDeviceClass::handler(ctx, args)
    }

    /// Approves a maker whose key co-signs the devices it attests.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn add_maker(ctx: Context<AddMaker>, args: AddMakerArgs) -> Result<()> {
        AddMaker::handler(ctx, args)
    }

    /// Changes a maker's quota, or revokes or reinstates it.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn update_maker(ctx: Context<UpdateMaker>, args: UpdateMakerArgs) -> Result<()> {
        UpdateMaker::handler(ctx, args)
    }

    /// Onboards a device that proves possession of its key, paying the class fee.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn register_device(ctx: Context<RegisterDevice>, args: RegisterDeviceArgs) -> Result<()> {
        RegisterDevice::handler(ctx, args)
    }

    /// Moves a device to a new H3 cell, paying the class's location fee.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn update_location(ctx: Context<UpdateLocation>, args: UpdateLocationArgs) -> Result<()> {
        UpdateLocation::handler(ctx, args)
    }

    /// Replaces a device's metadata bytes.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn update_metadata(ctx: Context<UpdateMetadata>, args: UpdateMetadataArgs) -> Result<()> {
        UpdateMetadata::handler(ctx, args)
    }

    /// Hands a device, and its reward history, to a new owner.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn transfer_device(ctx: Context<TransferDevice>, args: TransferDeviceArgs) -> Result<()> {
        TransferDevice::handler(ctx, args)
    }

    /// Suspends or reactivates a device (the authority).
    #[access_control(ctx.accounts.validate(&args))]
    pub fn set_device_status(
        ctx: Context<SetDeviceStatus>,
        args: SetDeviceStatusArgs,
    ) -> Result<()> {
        SetDeviceStatus::handler(ctx, args)
    }

    /// Points a device's rewards at another wallet (the owner only).
    #[access_control(ctx.accounts.validate(&args))]
    pub fn set_rewards_recipient(
        ctx: Context<SetRewardsRecipient>,
        args: SetRewardsRecipientArgs,
    ) -> Result<()> {
        SetRewardsRecipient::handler(ctx, args)
    }

    /// Closes a device account and returns its rent to the owner.
    #[access_control(ctx.accounts.validate())]
    pub fn retire_device(ctx: Context<RetireDevice>) -> Result<()> {
        RetireDevice::handler(ctx)
    }

    /// Pauses onboarding or moves (the authority, or the guardian for its maximum).
    #[access_control(ctx.accounts.validate(&args))]
    pub fn pause(ctx: Context<Pause>, args: PauseArgs) -> Result<()> {
        Pause::handler(ctx, args)
    }

    /// Lifts registry pauses (the authority only).
    #[access_control(ctx.accounts.validate(&args))]
    pub fn unpause(ctx: Context<Unpause>, args: UnpauseArgs) -> Result<()> {
        Unpause::handler(ctx, args)
    }

    /// Names or removes the registry's guardian and arms its one pause.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn set_guardian(ctx: Context<SetGuardian>, args: SetGuardianArgs) -> Result<()> {
        SetGuardian::handler(ctx, args)
    }
}
