//! `update_device_class`: changes and events; unknown classes.

use {
    depin_sdk::{
        device_registry::{self, error::RegistryError, events::*},
        Signer,
    },
    depin_tests::*,
};

#[test]
fn classes_are_added_updated_and_emit_events() {
    let mut registry = Registry::empty();
    let outcome = registry.add_class(open_class()).unwrap();
    let added = outcome.events::<DeviceClassAdded>(&device_registry::ID);
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].class_id, 0);
    assert_eq!(added[0].onboarding_fee, OPEN_ONBOARDING_FEE);

    let mut changed = open_class();
    changed.onboarding_fee = 1;
    changed.enabled = false;
    let outcome = registry
        .authority_send(device_registry::update_device_class(
            registry.authority.pubkey(),
            0,
            changed.clone(),
        ))
        .unwrap();
    let updated = outcome.events::<DeviceClassUpdated>(&device_registry::ID);
    assert_eq!(updated[0].onboarding_fee, 1);
    assert!(!updated[0].enabled);
    let class = &registry.config().classes[0];
    assert_eq!(class.onboarding_fee, 1);
    assert!(!class.enabled);
}

#[test]
fn updating_an_unknown_class_fails() {
    let mut registry = Registry::new();
    let authority = registry.authority.pubkey();
    assert_registry_error(
        registry.authority_send(device_registry::update_device_class(
            authority,
            2,
            open_class(),
        )),
        RegistryError::UnknownDeviceClass,
    );
    assert_registry_error(
        registry.authority_send(device_registry::update_device_class(
            authority,
            u8::MAX,
            open_class(),
        )),
        RegistryError::UnknownDeviceClass,
    );
}
