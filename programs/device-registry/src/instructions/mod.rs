pub mod add_device_class;
pub mod add_maker;
pub mod initialize_registry;
pub mod pause;
pub mod register_device;
pub mod retire_device;
pub mod set_device_status;
pub mod set_guardian;
pub mod set_rewards_recipient;
pub mod transfer_device;
pub mod unpause;
pub mod update_device_class;
pub mod update_location;
pub mod update_maker;
pub mod update_metadata;
pub mod update_registry;

mod common;

pub(crate) use common::*;
pub use {
    add_device_class::*, add_maker::*, initialize_registry::*, pause::*, register_device::*,
    retire_device::*, set_device_status::*, set_guardian::*, set_rewards_recipient::*,
    transfer_device::*, unpause::*, update_device_class::*, update_location::*, update_maker::*,
    update_metadata::*, update_registry::*,
};
