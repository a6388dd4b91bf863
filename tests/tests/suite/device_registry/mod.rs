//! The device registry, one file per instruction.

mod add_device_class;
mod add_maker;
mod initialize_registry;
mod register_device;
mod retire_device;
mod set_device_status;
mod set_rewards_recipient;
mod transfer_device;
mod update_device_class;
mod update_location;
mod update_maker;
mod update_metadata;
mod update_registry;

use {depin_sdk::device_registry::RegisterDeviceArgs, depin_tests::*};

fn register_args(class_id: u8) -> RegisterDeviceArgs {
    RegisterDeviceArgs {
        class_id,
        location: Some(SF_CELL),
        metadata: vec![1, 2, 3],
    }
}
