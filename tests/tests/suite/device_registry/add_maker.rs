//! `add_maker`: sequential ids, one approval per key, bounded names, the
//! authority only.

use {
    depin_sdk::{
        device_registry::{self, constants::*, error::RegistryError, events::*},
        pda, Keypair, Signer,
    },
    depin_tests::*,
};

#[test]
fn makers_get_sequential_ids_and_events() {
    let mut registry = Registry::new();
    let second = Keypair::new().pubkey();
    let outcome = registry.add_maker(second, "Beta Sensors", None).unwrap();
    let added = outcome.events::<MakerAdded>(&device_registry::ID);
    assert_eq!(added[0].maker_id, 2);
    assert_eq!(added[0].maker_key, second);
    let maker = registry.maker_account(&second);
    assert_eq!(maker.id, 2);
    assert!(maker.approved);
    assert_eq!(maker.device_quota, None);
    assert_eq!(maker.bump, pda::maker(&second).1);
    assert_eq!(registry.config().makers, 2);
}

#[test]
fn a_maker_key_is_approved_once() {
    let mut registry = Registry::new();
    let maker = registry.maker.pubkey();
    assert_already_in_use(registry.add_maker(maker, "Acme again", None));
    assert_eq!(registry.maker_account(&maker).name, "Acme Radios");
}

#[test]
fn maker_names_are_bounded_and_never_seeds() {
    let mut registry = Registry::new();
    let key = Keypair::new().pubkey();
    assert_registry_error(
        registry.add_maker(key, &"m".repeat(MAX_MAKER_NAME_LEN + 1), None),
        RegistryError::InvalidName,
    );
    assert_registry_error(
        registry.add_maker(key, "", None),
        RegistryError::InvalidName,
    );
    // Two makers may share a name: their PDAs come from their keys only.
    registry.add_maker(key, "Acme Radios", None).unwrap();
    assert_ne!(pda::maker(&key).0, pda::maker(&registry.maker.pubkey()).0);
}

#[test]
fn maker_administration_requires_the_authority() {
    let mut registry = Registry::new();
    let intruder = funded_keypair(&mut registry.cluster);
    let result = registry.cluster.send(
        &[device_registry::add_maker(
            intruder.pubkey(),
            intruder.pubkey(),
            device_registry::AddMakerArgs {
                maker_key: intruder.pubkey(),
                name: "Self Approved".into(),
                device_quota: None,
            },
        )],
        &intruder,
        &[],
    );
    assert_registry_error(result, RegistryError::NotAuthority);
    let maker = registry.maker.pubkey();
    let result = registry.cluster.send(
        &[device_registry::update_maker(
            intruder.pubkey(),
            maker,
            device_registry::UpdateMakerArgs {
                name: "Hijacked".into(),
                device_quota: None,
                approved: true,
            },
        )],
        &intruder,
        &[],
    );
    assert_registry_error(result, RegistryError::NotAuthority);
}

#[test]
fn maker_ids_overflow_cleanly() {
    let mut registry = Registry::new();
    let config = pda::registry_config().0;
    poke::<depin_sdk::accounts::RegistryConfig>(&mut registry.cluster, &config, |config| {
        config.makers = u32::MAX;
    });
    assert_registry_error(
        registry.add_maker(Keypair::new().pubkey(), "Overflow", None),
        RegistryError::Overflow,
    );
}
