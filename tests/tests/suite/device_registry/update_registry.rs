//! `update_registry`: handing over the authority and changing the fee mint.

use {
    depin_sdk::{
        device_registry::{self, error::RegistryError, events::*},
        Keypair, Pubkey, Signer,
    },
    depin_tests::*,
};

#[test]
fn authority_hands_over_and_the_old_one_is_locked_out() {
    let mut registry = Registry::new();
    let dao = funded_keypair(&mut registry.cluster);
    let outcome = registry
        .authority_send(device_registry::update_registry(
            registry.authority.pubkey(),
            Some(dao.pubkey()),
            None,
        ))
        .unwrap();
    let events = outcome.events::<RegistryUpdated>(&device_registry::ID);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].authority, dao.pubkey());
    assert_eq!(registry.config().authority, dao.pubkey());

    assert_registry_error(
        registry.add_class(open_class()),
        RegistryError::NotAuthority,
    );
    registry
        .cluster
        .send(
            &[device_registry::add_device_class(
                dao.pubkey(),
                open_class(),
            )],
            &dao,
            &[],
        )
        .unwrap();
    assert_eq!(registry.config().classes.len(), 3);
}

#[test]
fn fee_mint_changes_and_old_mint_is_refused() {
    let mut registry = Registry::new();
    let authority = registry.authority.insecure_clone();
    let new_mint = create_mint(&mut registry.cluster, &authority, 0);
    let operator = registry.operator(); // holds tokens of the old mint
    registry
        .authority_send(device_registry::update_registry(
            authority.pubkey(),
            None,
            Some(new_mint),
        ))
        .unwrap();
    assert_eq!(registry.config().fee_mint, new_mint);
    assert_registry_error(
        registry.register(&operator, &Keypair::new()),
        RegistryError::WrongFeeMint,
    );
}

#[test]
fn update_registry_rejects_non_authority_and_missing_signature() {
    let mut registry = Registry::new();
    let intruder = funded_keypair(&mut registry.cluster);
    let result = registry.cluster.send(
        &[device_registry::update_registry(
            intruder.pubkey(),
            Some(intruder.pubkey()),
            None,
        )],
        &intruder,
        &[],
    );
    assert_registry_error(result, RegistryError::NotAuthority);

    let authority = registry.authority.pubkey();
    assert_needs_signer(
        |ix| registry.cluster.send(&[ix], &intruder, &[]),
        device_registry::update_registry(authority, Some(intruder.pubkey()), None),
        &authority,
    );
    assert_eq!(registry.config().authority, authority);

    assert_registry_error(
        registry.authority_send(device_registry::update_registry(
            authority,
            Some(Pubkey::default()),
            None,
        )),
        RegistryError::InvalidAuthority,
    );
    assert_eq!(registry.config().authority, authority);
}
