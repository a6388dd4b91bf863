//! `add_device_class`: bounded names and list, the authority only, its own
//! config.

use {
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_sdk::{
        device_registry::{self, constants::*, error::RegistryError},
        pda, Signer,
    },
    depin_tests::*,
};

#[test]
fn class_names_are_bounded() {
    let mut registry = Registry::empty();
    let mut class = open_class();
    class.name = "x".repeat(MAX_CLASS_NAME_LEN);
    registry.add_class(class.clone()).unwrap();
    class.name = "x".repeat(MAX_CLASS_NAME_LEN + 1);
    assert_registry_error(
        registry.add_class(class.clone()),
        RegistryError::InvalidName,
    );
    class.name = String::new();
    assert_registry_error(
        registry.add_class(class.clone()),
        RegistryError::InvalidName,
    );
    let authority = registry.authority.pubkey();
    class.name = "y".repeat(MAX_CLASS_NAME_LEN + 1);
    assert_registry_error(
        registry.authority_send(device_registry::update_device_class(authority, 0, class)),
        RegistryError::InvalidName,
    );
}

#[test]
fn class_list_is_bounded() {
    let mut registry = Registry::empty();
    for index in 0..MAX_DEVICE_CLASSES {
        let mut class = open_class();
        class.name = format!("class-{index}");
        registry.add_class(class).unwrap();
    }
    assert_registry_error(
        registry.add_class(open_class()),
        RegistryError::TooManyDeviceClasses,
    );
    assert_eq!(registry.config().classes.len(), MAX_DEVICE_CLASSES);
}

#[test]
fn class_changes_require_the_authority() {
    let mut registry = Registry::new();
    let intruder = funded_keypair(&mut registry.cluster);
    assert_registry_error(
        registry.cluster.send(
            &[device_registry::add_device_class(
                intruder.pubkey(),
                open_class(),
            )],
            &intruder,
            &[],
        ),
        RegistryError::NotAuthority,
    );
    assert_registry_error(
        registry.cluster.send(
            &[device_registry::update_device_class(
                intruder.pubkey(),
                0,
                open_class(),
            )],
            &intruder,
            &[],
        ),
        RegistryError::NotAuthority,
    );
    let authority = registry.authority.pubkey();
    assert_needs_signer(
        |ix| registry.cluster.send(&[ix], &intruder, &[]),
        device_registry::add_device_class(authority, open_class()),
        &authority,
    );
}

#[test]
fn config_and_maker_accounts_cannot_stand_in_for_each_other() {
    let mut registry = Registry::new();
    let authority = registry.authority.pubkey();
    let maker_pda = pda::maker(&registry.maker.pubkey()).0;
    // Type cosplay: a Maker account passed where the config is expected.
    assert_substitute_refused(
        |ix| registry.authority_send(ix),
        device_registry::add_device_class(authority, open_class()),
        &pda::registry_config().0,
        &maker_pda,
        AnchorErrorCode::AccountDiscriminatorMismatch,
    );
}
