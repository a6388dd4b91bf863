//! Instruction builders for the device registry. Accounts and data come from
//! the program crate's Anchor-generated client types, so they cannot drift
//! from the program.

/// The program's own modules: its accounts (`state`), `events`, `error`
/// codes, `constants` and PDA `seeds`.
pub use ::device_registry::{constants, error, events, h3, instructions, seeds, state, ID};
pub use device_registry::{
    instructions::{
        AddMakerArgs, DeviceClassArgs, InitializeRegistryArgs, PauseArgs, RegisterDeviceArgs,
        SetDeviceStatusArgs, SetGuardianArgs, SetRewardsRecipientArgs, TransferDeviceArgs,
        UnpauseArgs, UpdateDeviceClassArgs, UpdateLocationArgs, UpdateMakerArgs,
        UpdateMetadataArgs, UpdateRegistryArgs,
    },
    state::{DeviceStatus, PauseScope},
};
use {
    crate::pda,
    anchor_lang::{
        prelude::Pubkey, solana_program::instruction::Instruction, system_program, InstructionData,
        ToAccountMetas,
    },
    device_registry::{accounts, instruction},
};

const PROGRAM_ID: Pubkey = device_registry::ID;

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    crate::anchor_instruction(PROGRAM_ID, accounts, data)
}

fn event_authority() -> Pubkey {
    pda::event_authority(&PROGRAM_ID)
}

pub fn initialize_registry(
    payer: Pubkey,
    upgrade_authority: Pubkey,
    fee_mint: Pubkey,
    authority: Pubkey,
) -> Instruction {
    build(
        accounts::InitializeRegistry {
            payer,
            upgrade_authority,
            program_data: pda::program_data(&PROGRAM_ID),
            config: pda::registry_config().0,
            fee_mint,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::InitializeRegistry {
            args: InitializeRegistryArgs { authority },
        },
    )
}

pub fn update_registry(
    authority: Pubkey,
    new_authority: Option<Pubkey>,
    new_fee_mint: Option<Pubkey>,
) -> Instruction {
    update_registry_with(
        authority,
        UpdateRegistryArgs { new_authority },
        new_fee_mint,
    )
}

/// `update_registry` with its arguments as the program takes them.
pub fn update_registry_with(
    authority: Pubkey,
    args: UpdateRegistryArgs,
    new_fee_mint: Option<Pubkey>,
) -> Instruction {
    build(
        accounts::UpdateRegistry {
            authority,
            config: pda::registry_config().0,
            new_fee_mint,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::UpdateRegistry { args },
    )
}

pub fn add_device_class(authority: Pubkey, class: DeviceClassArgs) -> Instruction {
    build(
        accounts::AddDeviceClass {
            authority,
            config: pda::registry_config().0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::AddDeviceClass { args: class },
    )
}

pub fn update_device_class(authority: Pubkey, class_id: u8, class: DeviceClassArgs) -> Instruction {
    build(
        accounts::UpdateDeviceClass {
            authority,
            config: pda::registry_config().0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::UpdateDeviceClass {
            args: UpdateDeviceClassArgs { class_id, class },
        },
    )
}

pub fn add_maker(payer: Pubkey, authority: Pubkey, args: AddMakerArgs) -> Instruction {
    build(
        accounts::AddMaker {
            payer,
            authority,
            config: pda::registry_config().0,
            maker: pda::maker(&args.maker_key).0,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::AddMaker { args },
    )
}

pub fn update_maker(authority: Pubkey, maker_key: Pubkey, args: UpdateMakerArgs) -> Instruction {
    build(
        accounts::UpdateMaker {
            authority,
            config: pda::registry_config().0,
            maker: pda::maker(&maker_key).0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::UpdateMaker { args },
    )
}

/// Everything `register_device` needs besides its arguments.
#[derive(Clone, Debug)]
pub struct RegisterDeviceAccounts {
    /// Pays the device account's rent.
    pub payer: Pubkey,
    pub owner: Pubkey,
    /// The device's ed25519 public key; it must sign the transaction.
    pub device_key: Pubkey,
    /// The maker's co-signing key, for classes that need an attestation.
    pub maker_key: Option<Pubkey>,
    pub fee_mint: Pubkey,
    /// The owner's token account of the fee mint.
    pub fee_account: Pubkey,
    /// SPL Token or Token-2022, whichever owns the fee mint.
    pub token_program: Pubkey,
}

pub fn register_device(accounts: &RegisterDeviceAccounts, args: RegisterDeviceArgs) -> Instruction {
    build(
        accounts::RegisterDevice {
            payer: accounts.payer,
            owner: accounts.owner,
            device_key: accounts.device_key,
            config: pda::registry_config().0,
            device: pda::device(&accounts.device_key).0,
            maker: accounts.maker_key.map(|key| pda::maker(&key).0),
            maker_signer: accounts.maker_key,
            fee_mint: accounts.fee_mint,
            fee_account: accounts.fee_account,
            token_program: accounts.token_program,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::RegisterDevice { args },
    )
}

/// Fee accounts of an owner-paid instruction.
#[derive(Clone, Copy, Debug)]
pub struct FeeAccounts {
    pub fee_mint: Pubkey,
    pub fee_account: Pubkey,
    pub token_program: Pubkey,
}

pub fn update_location(
    owner: Pubkey,
    device_key: Pubkey,
    fees: FeeAccounts,
    location: u64,
) -> Instruction {
    build(
        accounts::UpdateLocation {
            owner,
            config: pda::registry_config().0,
            device: pda::device(&device_key).0,
            fee_mint: fees.fee_mint,
            fee_account: fees.fee_account,
            token_program: fees.token_program,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::UpdateLocation {
            args: UpdateLocationArgs { location },
        },
    )
}

pub fn update_metadata(owner: Pubkey, device_key: Pubkey, metadata: Vec<u8>) -> Instruction {
    build(
        accounts::UpdateMetadata {
            owner,
            device: pda::device(&device_key).0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::UpdateMetadata {
            args: UpdateMetadataArgs { metadata },
        },
    )
}

pub fn transfer_device(owner: Pubkey, device_key: Pubkey, new_owner: Pubkey) -> Instruction {
    build(
        accounts::TransferDevice {
            owner,
            config: pda::registry_config().0,
            device: pda::device(&device_key).0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::TransferDevice {
            args: TransferDeviceArgs { new_owner },
        },
    )
}

pub fn set_device_status(
    authority: Pubkey,
    device_key: Pubkey,
    status: DeviceStatus,
) -> Instruction {
    build(
        accounts::SetDeviceStatus {
            authority,
            config: pda::registry_config().0,
            device: pda::device(&device_key).0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::SetDeviceStatus {
            args: SetDeviceStatusArgs { status },
        },
    )
}

pub fn retire_device(owner: Pubkey, device_key: Pubkey) -> Instruction {
    build(
        accounts::RetireDevice {
            owner,
            config: pda::registry_config().0,
            device: pda::device(&device_key).0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::RetireDevice {},
    )
}

/// Points a device's rewards at `recipient` (the owner signs).
pub fn set_rewards_recipient(owner: Pubkey, device_key: Pubkey, recipient: Pubkey) -> Instruction {
    build(
        accounts::SetRewardsRecipient {
            owner,
            device: pda::device(&device_key).0,
            event_authority: event_authority(),
            program: PROGRAM_ID,
        },
        instruction::SetRewardsRecipient {
            args: SetRewardsRecipientArgs { recipient },
        },
    )
}

crate::pause_builders!(pda::registry_config);
