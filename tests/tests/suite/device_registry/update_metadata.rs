//! `update_metadata`: the owner only, bounded.

use {
    depin_sdk::{
        device_registry::{self, constants::*, error::RegistryError, events::*},
        Signer,
    },
    depin_tests::*,
};

#[test]
fn owners_update_metadata() {
    let (mut registry, operator, device) = Registry::with_device();
    let outcome = registry
        .send_as(
            &operator,
            device_registry::update_metadata(operator.pubkey(), device.pubkey(), vec![5; 10]),
        )
        .unwrap();
    assert_eq!(registry.device(&device.pubkey()).metadata(), &[5; 10]);
    assert_eq!(
        outcome.events::<DeviceMetadataUpdated>(&device_registry::ID)[0].metadata,
        vec![5; 10]
    );
    // Shorter metadata leaves no trailing bytes of the old one.
    registry
        .send_as(
            &operator,
            device_registry::update_metadata(operator.pubkey(), device.pubkey(), vec![]),
        )
        .unwrap();
    let account = registry.device(&device.pubkey());
    assert!(account.metadata().is_empty());
    assert_eq!(account.metadata, [0; MAX_METADATA_LEN]);

    assert_registry_error(
        registry.send_as(
            &operator,
            device_registry::update_metadata(operator.pubkey(), device.pubkey(), vec![1; 33]),
        ),
        RegistryError::MetadataTooLong,
    );
    let intruder = registry.operator();
    assert_registry_error(
        registry.send_as(
            &intruder,
            device_registry::update_metadata(intruder.pubkey(), device.pubkey(), vec![1]),
        ),
        RegistryError::NotDeviceOwner,
    );
}
