//! `retire_device`: the owner closes the record; the key may register again.

use {
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_sdk::{
        device_registry::{self, error::RegistryError, events::*},
        pda, Signer,
    },
    depin_tests::*,
};

#[test]
fn retiring_returns_the_rent_and_the_key_can_register_again() {
    let (mut registry, operator, device) = Registry::with_device();
    let device_pda = pda::device(&device.pubkey()).0;
    let rent = registry.cluster.balance(&device_pda);
    let before = registry.cluster.balance(&operator.pubkey());
    let outcome = registry
        .send_as(
            &operator,
            device_registry::retire_device(operator.pubkey(), device.pubkey()),
        )
        .unwrap();
    let event = &outcome.events::<DeviceRetired>(&device_registry::ID)[0];
    assert_eq!((event.device_key, event.serial), (device.pubkey(), 1));
    assert!(registry.cluster.account(&device_pda).is_none());
    assert_eq!(
        registry.cluster.balance(&operator.pubkey()),
        before + rent - outcome.fee
    );
    let config = registry.config();
    assert_eq!(config.active_devices, 0);
    assert_eq!(config.devices_registered, 1);
    assert_eq!(config.classes[0].active_devices, 0);

    // Policy: the key may register again, under a new serial (the batch
    // files' per-device detail tells the registrations apart).
    registry.register(&operator, &device).unwrap();
    let account = registry.device(&device.pubkey());
    assert_eq!(account.serial, 2);
    assert_eq!(account.rewards_recipient, operator.pubkey());
    assert_eq!(registry.config().active_devices, 1);
}

#[test]
fn only_the_owner_retires() {
    let (mut registry, operator, device) = Registry::with_device();
    let thief = registry.operator();
    assert_registry_error(
        registry.send_as(
            &thief,
            device_registry::retire_device(thief.pubkey(), device.pubkey()),
        ),
        RegistryError::NotDeviceOwner,
    );
    assert_needs_signer(
        |ix| registry.send_as(&thief, ix),
        device_registry::retire_device(operator.pubkey(), device.pubkey()),
        &operator.pubkey(),
    );
    assert!(registry
        .cluster
        .account(&pda::device(&device.pubkey()).0)
        .is_some());
}

#[test]
fn a_retired_device_cannot_be_used_in_the_same_transaction() {
    let (mut registry, operator, device) = Registry::with_device();
    let result = registry.cluster.send(
        &[
            device_registry::retire_device(operator.pubkey(), device.pubkey()),
            device_registry::update_metadata(operator.pubkey(), device.pubkey(), vec![1]),
        ],
        &operator.keypair,
        &[],
    );
    let (index, _) = instruction_error(result);
    assert_eq!(index, 1);
    // The transaction is atomic: the device is still there, unchanged.
    let account = registry.device(&device.pubkey());
    assert_eq!(account.metadata(), &[7; 32]);
    assert_eq!(registry.config().active_devices, 1);
}

#[test]
fn a_retired_device_cannot_be_retired_again() {
    let (mut registry, operator, device) = Registry::with_device();
    registry
        .send_as(
            &operator,
            device_registry::retire_device(operator.pubkey(), device.pubkey()),
        )
        .unwrap();
    assert_anchor_error(
        registry.send_as(
            &operator,
            device_registry::retire_device(operator.pubkey(), device.pubkey()),
        ),
        AnchorErrorCode::AccountNotInitialized,
    );
    assert_eq!(registry.config().active_devices, 0);
}
