//! `set_device_status`: the authority suspends and reinstates; a suspended
//! device is frozen.

use {
    depin_sdk::{
        accounts::DeviceStatus,
        device_registry::{self, error::RegistryError, events::*},
        Signer,
    },
    depin_tests::*,
};

#[test]
fn authority_suspends_and_reinstates_devices() {
    let (mut registry, _, device) = Registry::with_device();
    let authority = registry.authority.pubkey();

    let outcome = registry
        .authority_send(device_registry::set_device_status(
            authority,
            device.pubkey(),
            DeviceStatus::Suspended,
        ))
        .unwrap();
    let events = outcome.events::<DeviceStatusChanged>(&device_registry::ID);
    assert_eq!(events[0].status, DeviceStatus::Suspended);
    assert_eq!(
        registry.device(&device.pubkey()).status,
        DeviceStatus::Suspended
    );

    assert_registry_error(
        registry.authority_send(device_registry::set_device_status(
            authority,
            device.pubkey(),
            DeviceStatus::Suspended,
        )),
        RegistryError::StatusUnchanged,
    );
    registry
        .authority_send(device_registry::set_device_status(
            authority,
            device.pubkey(),
            DeviceStatus::Active,
        ))
        .unwrap();
    assert_eq!(
        registry.device(&device.pubkey()).status,
        DeviceStatus::Active
    );
}

#[test]
fn only_the_authority_changes_device_status() {
    let (mut registry, operator, device) = Registry::with_device();
    let result = registry.send_as(
        &operator,
        device_registry::set_device_status(
            operator.pubkey(),
            device.pubkey(),
            DeviceStatus::Suspended,
        ),
    );
    assert_registry_error(result, RegistryError::NotAuthority);
    let authority = registry.authority.pubkey();
    assert_needs_signer(
        |ix| registry.send_as(&operator, ix),
        device_registry::set_device_status(authority, device.pubkey(), DeviceStatus::Suspended),
        &authority,
    );
    assert_eq!(
        registry.device(&device.pubkey()).status,
        DeviceStatus::Active
    );
}

#[test]
fn suspended_devices_are_frozen_for_their_owner() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let buyer = registry.operator();
    let device = registry.new_device(&operator);
    let authority = registry.authority.pubkey();
    registry
        .authority_send(device_registry::set_device_status(
            authority,
            device.pubkey(),
            DeviceStatus::Suspended,
        ))
        .unwrap();
    let fees = registry.fees(&operator);
    let attempts = [
        device_registry::update_location(operator.pubkey(), device.pubkey(), fees, SF_CELL_2),
        device_registry::update_metadata(operator.pubkey(), device.pubkey(), vec![1]),
        device_registry::transfer_device(operator.pubkey(), device.pubkey(), buyer.pubkey()),
        device_registry::retire_device(operator.pubkey(), device.pubkey()),
    ];
    for instruction in attempts {
        assert_registry_error(
            registry.send_as(&operator, instruction),
            RegistryError::DeviceSuspended,
        );
    }
    assert_eq!(registry.device(&device.pubkey()).owner, operator.pubkey());
}
