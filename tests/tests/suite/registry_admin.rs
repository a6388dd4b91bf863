//! Registry administration: initialization, authority, classes, makers and
//! device status.

use {
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_sdk::{
        accounts::DeviceStatus,
        device_registry,
        device_registry::{constants::*, error::RegistryError, events::*},
        pda, token, Keypair, Pubkey, Signer,
    },
    depin_tests::*,
};

const SYSTEM_ACCOUNT_ALREADY_IN_USE: u32 = 0;

#[test]
fn initialize_records_authority_and_fee_mint() {
    let registry = Registry::empty();
    let config = registry.config();
    assert_eq!(config.authority, registry.authority.pubkey());
    assert_eq!(config.fee_mint, registry.fee_mint.pubkey());
    assert_eq!(config.bump, pda::registry_config().1);
    assert!(config.classes.is_empty());
    assert_eq!(config.devices_registered, 0);
}

#[test]
fn initialize_requires_the_upgrade_authority() {
    let (mut cluster, impostor, mint) = depin_tests::cluster_with_mint(0);
    let instruction = device_registry::initialize_registry(
        impostor.pubkey(),
        impostor.pubkey(),
        mint,
        impostor.pubkey(),
    );
    assert_registry_error(
        cluster.send(std::slice::from_ref(&instruction), &impostor, &[]),
        RegistryError::NotUpgradeAuthority,
    );

    // A ProgramData look-alike at another address is not the program's.
    let fake = Keypair::new().pubkey();
    let forged = substitute(instruction, &pda::program_data(&device_registry::ID), &fake);
    let result = cluster.send(&[forged], &impostor, &[]);
    assert!(result.is_err());
    assert!(cluster.account(&pda::registry_config().0).is_none());

    // The upgrade authority must sign.
    let deployer = cluster.upgrade_authority().insecure_clone();
    let unsigned = strip_signer(
        device_registry::initialize_registry(
            impostor.pubkey(),
            deployer.pubkey(),
            mint,
            impostor.pubkey(),
        ),
        &deployer.pubkey(),
    );
    assert_anchor_error(
        cluster.send(&[unsigned], &impostor, &[]),
        AnchorErrorCode::AccountNotSigner,
    );
}

#[test]
fn initialize_twice_fails() {
    let mut registry = Registry::empty();
    let deployer = registry.cluster.upgrade_authority().insecure_clone();
    let instruction = device_registry::initialize_registry(
        deployer.pubkey(),
        deployer.pubkey(),
        registry.fee_mint.pubkey(),
        deployer.pubkey(),
    );
    assert_custom_error(
        registry.cluster.send(&[instruction], &deployer, &[]),
        SYSTEM_ACCOUNT_ALREADY_IN_USE,
    );
    assert_eq!(registry.config().authority, registry.authority.pubkey());
}

#[test]
fn initialize_rejects_a_fee_mint_that_is_not_a_mint() {
    let mut cluster = depin_client::embedded::EmbeddedCluster::new();
    let deployer = cluster.upgrade_authority().insecure_clone();
    let not_a_mint = Keypair::new().pubkey();
    cluster.airdrop(&not_a_mint, SOL).unwrap();
    let instruction = device_registry::initialize_registry(
        deployer.pubkey(),
        deployer.pubkey(),
        not_a_mint,
        deployer.pubkey(),
    );
    assert_anchor_error(
        cluster.send(&[instruction], &deployer, &[]),
        AnchorErrorCode::AccountOwnedByWrongProgram,
    );
}

#[test]
fn authority_hands_over_and_the_old_one_is_locked_out() {
    let mut registry = Registry::new();
    let dao = Keypair::new();
    registry.cluster.airdrop(&dao.pubkey(), SOL).unwrap();
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
    let new_mint = Keypair::new();
    let rent = registry.cluster.rent().minimum_balance(token::MINT_LEN);
    let authority = registry.authority.insecure_clone();
    registry
        .cluster
        .send(
            &token::create_mint(
                &authority.pubkey(),
                &new_mint.pubkey(),
                &authority.pubkey(),
                0,
                rent,
            ),
            &authority,
            &[&new_mint],
        )
        .unwrap();
    let operator = registry.operator(); // holds tokens of the old mint
    registry
        .authority_send(device_registry::update_registry(
            authority.pubkey(),
            None,
            Some(new_mint.pubkey()),
        ))
        .unwrap();
    assert_eq!(registry.config().fee_mint, new_mint.pubkey());
    assert_registry_error(
        registry.register(&operator, &Keypair::new()),
        RegistryError::WrongFeeMint,
    );
}

#[test]
fn update_registry_rejects_non_authority_and_missing_signature() {
    let mut registry = Registry::new();
    let intruder = Keypair::new();
    registry.cluster.airdrop(&intruder.pubkey(), SOL).unwrap();
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
    let unsigned = strip_signer(
        device_registry::update_registry(authority, Some(intruder.pubkey()), None),
        &authority,
    );
    assert_anchor_error(
        registry.cluster.send(&[unsigned], &intruder, &[]),
        AnchorErrorCode::AccountNotSigner,
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
    let intruder = Keypair::new();
    registry.cluster.airdrop(&intruder.pubkey(), SOL).unwrap();
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
    assert_anchor_error(
        registry.cluster.send(
            &[strip_signer(
                device_registry::add_device_class(authority, open_class()),
                &authority,
            )],
            &intruder,
            &[],
        ),
        AnchorErrorCode::AccountNotSigner,
    );
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
    assert_custom_error(
        registry.add_maker(maker, "Acme again", None),
        SYSTEM_ACCOUNT_ALREADY_IN_USE,
    );
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

#[test]
fn maker_administration_requires_the_authority() {
    let mut registry = Registry::new();
    let intruder = Keypair::new();
    registry.cluster.airdrop(&intruder.pubkey(), SOL).unwrap();
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

#[test]
fn authority_suspends_and_reinstates_devices() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = registry.new_device(&operator);
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
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = registry.new_device(&operator);
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
    let unsigned = strip_signer(
        device_registry::set_device_status(authority, device.pubkey(), DeviceStatus::Suspended),
        &authority,
    );
    assert_anchor_error(
        registry.send_as(&operator, unsigned),
        AnchorErrorCode::AccountNotSigner,
    );
    assert_eq!(
        registry.device(&device.pubkey()).status,
        DeviceStatus::Active
    );
}

#[test]
fn config_and_maker_accounts_cannot_stand_in_for_each_other() {
    let mut registry = Registry::new();
    let authority = registry.authority.pubkey();
    let maker_pda = pda::maker(&registry.maker.pubkey()).0;
    // Type cosplay: a Maker account passed where the config is expected.
    let forged = substitute(
        device_registry::add_device_class(authority, open_class()),
        &pda::registry_config().0,
        &maker_pda,
    );
    assert_anchor_error(
        registry.authority_send(forged),
        AnchorErrorCode::AccountDiscriminatorMismatch,
    );
}
