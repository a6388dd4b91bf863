//! `register_device`: the record and the burned fee, signatures, the device
//! PDA, inputs and counters.

mod fees;
mod makers;

use {
    crate::device_registry::register_args,
    depin_sdk::{
        accounts::{DeviceStatus, RegistryConfig},
        device_registry::{self, constants::*, error::RegistryError, events::*},
        pda, Instruction, Keypair, Pubkey, Signer, Transaction,
    },
    depin_tests::*,
};

#[test]
fn registration_records_the_device_and_burns_the_fee() {
    let mut registry = Registry::new();
    registry.cluster.warp_to_timestamp(1_800_000_000);
    let operator = registry.operator();
    let device = Keypair::new();
    let outcome = registry.register(&operator, &device).unwrap();

    let account = registry.device(&device.pubkey());
    assert_eq!(account.device_key, device.pubkey());
    assert_eq!(account.owner, operator.pubkey());
    assert_eq!(account.serial, 1);
    assert_eq!(account.class_id, CLASS_OPEN);
    assert_eq!(account.maker_id, NO_MAKER);
    assert_eq!(account.status, DeviceStatus::Active);
    assert_eq!(account.bump, pda::device(&device.pubkey()).1);
    assert_eq!(account.location, Some(SF_CELL));
    assert_eq!(account.metadata(), &[7; 32]);
    assert_eq!(account.registered_at, 1_800_000_000);
    // Rewards go to the owner until it points them elsewhere.
    assert_eq!(account.rewards_recipient, operator.pubkey());

    let config = registry.config();
    assert_eq!(config.devices_registered, 1);
    assert_eq!(config.active_devices, 1);
    assert_eq!(config.fees_burned, OPEN_ONBOARDING_FEE);
    assert_eq!(config.classes[0].active_devices, 1);
    assert_eq!(config.classes[0].fees_burned, OPEN_ONBOARDING_FEE);
    assert_eq!(
        registry.cluster.token_balance(&operator.fee_account),
        OPERATOR_FEE_TOKENS - OPEN_ONBOARDING_FEE
    );

    let events = outcome.events::<DeviceRegistered>(&device_registry::ID);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].device_key, device.pubkey());
    assert_eq!(events[0].owner, operator.pubkey());
    assert_eq!(events[0].serial, 1);
    assert_eq!(events[0].fee_burned, OPEN_ONBOARDING_FEE);
    assert_eq!(events[0].location, Some(SF_CELL));
}

#[test]
fn device_account_is_181_bytes() {
    let (registry, operator, device) = Registry::with_device();
    let account = registry.device_account(&device.pubkey());
    assert_eq!(account.data.len(), depin_sdk::accounts::Device::SPACE);
    // 157 bytes with a claimed total (u64); the rewards recipient (a
    // wallet address) that replaced it adds 24.
    assert_eq!(account.data.len(), 181, "{} bytes", account.data.len());
    // Indexers filter devices by owner at a fixed offset.
    let offset = depin_sdk::accounts::DEVICE_OWNER_OFFSET;
    assert_eq!(
        &account.data[offset..offset + 32],
        operator.pubkey().as_ref()
    );
}

#[test]
fn a_separate_payer_can_sponsor_the_rent() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let sponsor = Keypair::new();
    registry
        .cluster
        .airdrop(&sponsor.pubkey(), 10 * SOL)
        .unwrap();
    let device = Keypair::new();
    let owner_lamports = registry.cluster.balance(&operator.pubkey());
    registry
        .cluster
        .send(
            &[sponsored(&registry, &operator, &device, &sponsor)],
            &sponsor,
            &[&operator.keypair, &device],
        )
        .unwrap();
    assert_eq!(registry.cluster.balance(&operator.pubkey()), owner_lamports);
    assert_eq!(registry.device(&device.pubkey()).owner, operator.pubkey());
}

#[test]
fn registering_a_live_device_twice_fails() {
    let (mut registry, operator, device) = Registry::with_device();
    let other = registry.operator();
    assert_already_in_use(registry.register(&other, &device));
    assert_eq!(registry.device(&device.pubkey()).owner, operator.pubkey());
    assert_eq!(registry.config().devices_registered, 1);
    // The failed attempt burned nothing.
    assert_eq!(
        registry.cluster.token_balance(&other.fee_account),
        OPERATOR_FEE_TOKENS
    );
}

#[test]
fn registration_needs_the_device_key_signature() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = Keypair::new();
    let instruction = registry.registration(&operator, &device, register_args(CLASS_OPEN));
    assert_needs_signer(
        |ix| registry.send_as(&operator, ix),
        instruction,
        &device.pubkey(),
    );
    assert!(!registry.device_exists(&device.pubkey()));
}

#[test]
fn registration_needs_the_owner_signature() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = Keypair::new();
    let sponsor = funded_keypair(&mut registry.cluster);
    let instruction = sponsored(&registry, &operator, &device, &sponsor);
    assert_needs_signer(
        |ix| registry.cluster.send(&[ix], &sponsor, &[&device]),
        instruction,
        &operator.pubkey(),
    );
}

#[test]
fn the_device_key_signature_is_bound_to_the_device_account() {
    // A device signature cannot be used to register another key: the PDA
    // comes from the signing key, so a device account for any other key
    // fails the seeds check.
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = Keypair::new();
    let victim = Keypair::new().pubkey();
    let instruction = registry.registration(&operator, &device, register_args(CLASS_OPEN));
    assert_wrong_pda(
        |ix| registry.send_signed(&operator, ix, &[&device]),
        instruction,
        &pda::device(&device.pubkey()).0,
        &pda::device(&victim).0,
    );
}

#[test]
fn a_device_signature_cannot_be_reused_for_another_owner() {
    // The device signs one registration (for `operator`); an attacker who
    // sees that signature tries to register the device to itself with it.
    let mut registry = Registry::new();
    let operator = registry.operator();
    let attacker = registry.operator();
    let device = Keypair::new();
    let honest = registry
        .cluster
        .transaction(
            &[registry.registration(&operator, &device, register_args(CLASS_OPEN))],
            &operator.keypair,
            &[&device],
        )
        .unwrap();
    let device_signature = honest
        .message
        .account_keys
        .iter()
        .position(|key| *key == device.pubkey())
        .map(|index| honest.signatures[index])
        .unwrap();

    let mut forged = Transaction::new_with_payer(
        &[registry.registration(&attacker, &device, register_args(CLASS_OPEN))],
        Some(&attacker.pubkey()),
    );
    forged.message.recent_blockhash = honest.message.recent_blockhash;
    forged.partial_sign(&[&attacker.keypair], honest.message.recent_blockhash);
    let device_index = forged
        .message
        .account_keys
        .iter()
        .position(|key| *key == device.pubkey())
        .unwrap();
    forged.signatures[device_index] = device_signature;
    let result = registry.cluster.send_transaction(forged);
    assert_eq!(
        result.unwrap_err().transaction_error(),
        Some(&depin_sdk::TransactionError::SignatureFailure)
    );
    assert!(!registry.device_exists(&device.pubkey()));
}

#[test]
fn a_non_canonical_device_address_is_refused() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = Keypair::new();
    let (canonical, bump) = pda::device(&device.pubkey());
    let other_bump = (0..bump)
        .rev()
        .find_map(|candidate| {
            Pubkey::create_program_address(
                &[
                    device_registry::seeds::SEED_DEVICE,
                    device.pubkey().as_ref(),
                    &[candidate],
                ],
                &device_registry::ID,
            )
            .ok()
        })
        .expect("another valid bump exists");
    let instruction = registry.registration(&operator, &device, register_args(CLASS_OPEN));
    assert_wrong_pda(
        |ix| registry.send_signed(&operator, ix, &[&device]),
        instruction,
        &canonical,
        &other_bump,
    );
}

#[test]
fn disabled_and_unknown_classes_take_no_devices() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let authority = registry.authority.pubkey();
    let mut disabled = open_class();
    disabled.enabled = false;
    registry
        .authority_send(device_registry::update_device_class(
            authority, CLASS_OPEN, disabled,
        ))
        .unwrap();
    assert_registry_error(
        registry.register(&operator, &Keypair::new()),
        RegistryError::DeviceClassDisabled,
    );
    assert_registry_error(
        registry.register_with(&operator, &Keypair::new(), register_args(9)),
        RegistryError::UnknownDeviceClass,
    );
}

#[test]
fn metadata_is_bounded() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = Keypair::new();
    let mut args = register_args(CLASS_OPEN);
    args.metadata = vec![9; MAX_METADATA_LEN + 1];
    assert_registry_error(
        registry.register_with(&operator, &device, args.clone()),
        RegistryError::MetadataTooLong,
    );
    args.metadata = vec![9; 4096];
    assert!(registry
        .register_with(&operator, &device, args.clone())
        .is_err());
    args.metadata = vec![9; MAX_METADATA_LEN];
    registry.register_with(&operator, &device, args).unwrap();
    assert_eq!(
        registry.device(&device.pubkey()).metadata(),
        &[9; MAX_METADATA_LEN]
    );
}

#[test]
fn locations_must_be_h3_cells() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = Keypair::new();
    for bad in [0, u64::MAX, SF_CELL | (1 << 63), SF_CELL + 1] {
        let mut args = register_args(CLASS_OPEN);
        args.location = Some(bad);
        assert_registry_error(
            registry.register_with(&operator, &device, args),
            RegistryError::InvalidLocation,
        );
    }
}

#[test]
fn counters_refuse_to_wrap_at_their_maximum() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let config = pda::registry_config().0;
    poke::<RegistryConfig>(&mut registry.cluster, &config, |config| {
        config.fees_burned = u64::MAX - 1;
        config.classes[0].fees_burned = u64::MAX - 1;
    });
    assert_registry_error(
        registry.register(&operator, &Keypair::new()),
        RegistryError::Overflow,
    );
    poke::<RegistryConfig>(&mut registry.cluster, &config, |config| {
        config.fees_burned = 0;
        config.classes[0].fees_burned = 0;
        config.devices_registered = u64::MAX;
        config.classes[0].devices_registered = u64::MAX;
    });
    assert_registry_error(
        registry.register(&operator, &Keypair::new()),
        RegistryError::Overflow,
    );
    // Nothing was burned by the failed attempts.
    assert_eq!(
        registry.cluster.token_balance(&operator.fee_account),
        OPERATOR_FEE_TOKENS
    );
}

/// `operator`'s registration of `device` with `sponsor` paying the rent.
fn sponsored(
    registry: &Registry,
    operator: &Operator,
    device: &Keypair,
    sponsor: &Keypair,
) -> Instruction {
    let mut accounts = registry.register_accounts(operator, device);
    accounts.payer = sponsor.pubkey();
    device_registry::register_device(&accounts, register_args(CLASS_OPEN))
}
