//! `update_maker`: revoking and re-approving.

use {
    depin_sdk::{
        device_registry::{self, error::RegistryError, events::*},
        Signer,
    },
    depin_tests::*,
};

#[test]
fn makers_are_revoked_and_reapproved() {
    let mut registry = Registry::new();
    let authority = registry.authority.pubkey();
    let maker = registry.maker.pubkey();
    let outcome = registry
        .authority_send(device_registry::update_maker(
            authority,
            maker,
            device_registry::UpdateMakerArgs {
                name: "Acme Radios".into(),
                device_quota: Some(10),
                approved: false,
            },
        ))
        .unwrap();
    let updated = outcome.events::<MakerUpdated>(&device_registry::ID);
    assert!(!updated[0].approved);
    assert_eq!(updated[0].device_quota, Some(10));
    assert!(!registry.maker_account(&maker).approved);

    assert_registry_error(
        registry.authority_send(device_registry::update_maker(
            authority,
            maker,
            device_registry::UpdateMakerArgs {
                name: String::new(),
                device_quota: None,
                approved: true,
            },
        )),
        RegistryError::InvalidName,
    );
}
