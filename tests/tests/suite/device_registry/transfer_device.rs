//! `transfer_device`: the owner hands a device over.

use {
    depin_sdk::{
        device_registry::{self, error::RegistryError, events::*},
        Pubkey, Signer,
    },
    depin_tests::*,
};

#[test]
fn owners_transfer_devices() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let buyer = registry.operator();
    let device = registry.new_device(&operator);
    let outcome = registry
        .send_as(
            &operator,
            device_registry::transfer_device(operator.pubkey(), device.pubkey(), buyer.pubkey()),
        )
        .unwrap();
    let event = &outcome.events::<DeviceTransferred>(&device_registry::ID)[0];
    assert_eq!(
        (event.old_owner, event.new_owner),
        (operator.pubkey(), buyer.pubkey())
    );
    let account = registry.device(&device.pubkey());
    assert_eq!(account.owner, buyer.pubkey());
    assert_eq!(account.serial, 1);
    // The buyer's rewards are the buyer's.
    assert_eq!(account.rewards_recipient, buyer.pubkey());

    // The seller has no say any more; the buyer does.
    assert_registry_error(
        registry.send_as(
            &operator,
            device_registry::transfer_device(operator.pubkey(), device.pubkey(), operator.pubkey()),
        ),
        RegistryError::NotDeviceOwner,
    );
    registry
        .send_as(
            &buyer,
            device_registry::update_metadata(buyer.pubkey(), device.pubkey(), vec![1]),
        )
        .unwrap();
}

#[test]
fn transfers_are_checked() {
    let (mut registry, operator, device) = Registry::with_device();
    for new_owner in [operator.pubkey(), Pubkey::default()] {
        assert_registry_error(
            registry.send_as(
                &operator,
                device_registry::transfer_device(operator.pubkey(), device.pubkey(), new_owner),
            ),
            RegistryError::InvalidNewOwner,
        );
    }
    let thief = registry.operator();
    assert_registry_error(
        registry.send_as(
            &thief,
            device_registry::transfer_device(thief.pubkey(), device.pubkey(), thief.pubkey()),
        ),
        RegistryError::NotDeviceOwner,
    );
    assert_needs_signer(
        |ix| registry.send_as(&thief, ix),
        device_registry::transfer_device(operator.pubkey(), device.pubkey(), thief.pubkey()),
        &operator.pubkey(),
    );
    assert_eq!(registry.device(&device.pubkey()).owner, operator.pubkey());
}
