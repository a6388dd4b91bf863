//! `register_device` in a maker class: the approved maker co-signs, within
//! its quota.

use {
    crate::device_registry::register_args,
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_sdk::{
        device_registry::{self, error::RegistryError, events::*},
        Instruction, Keypair, SdkError, Signer, TxOutcome,
    },
    depin_tests::*,
    solana_instruction_error::InstructionError,
};

#[test]
fn maker_classes_need_an_approved_maker_cosignature() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let maker = registry.maker.insecure_clone();

    // No maker at all.
    let device = Keypair::new();
    assert_registry_error(
        registry.register_with(&operator, &device, register_args(CLASS_MAKER)),
        RegistryError::MakerRequired,
    );

    // Maker account present, signer flag stripped.
    let mut accounts = registry.register_accounts(&operator, &device);
    accounts.maker_key = Some(maker.pubkey());
    let attested = device_registry::register_device(&accounts, register_args(CLASS_MAKER));
    assert_needs_signer(
        |ix| registry.send_signed(&operator, ix, &[&device]),
        attested.clone(),
        &maker.pubkey(),
    );

    // Maker account present, maker signer slot left empty.
    let mut instruction = attested.clone();
    let signer_slot = instruction
        .accounts
        .iter()
        .position(|meta| meta.pubkey == maker.pubkey())
        .unwrap();
    instruction.accounts[signer_slot] =
        depin_sdk::AccountMeta::new_readonly(device_registry::ID, false);
    assert_registry_error(
        registry.send_signed(&operator, instruction, &[&device]),
        RegistryError::MakerSignatureMissing,
    );

    // Someone else signs in the maker's place (the maker PDA is still the
    // real maker's: only the signer differs).
    let impostor = Keypair::new();
    assert_substitute_refused(
        |ix| registry.send_signed(&operator, ix, &[&device, &impostor]),
        attested,
        &maker.pubkey(),
        &impostor.pubkey(),
        RegistryError::WrongMakerSigner,
    );

    // With the maker's signature it lands and records the maker.
    let outcome = registry
        .register_with_maker(&operator, &device, &maker)
        .unwrap();
    let account = registry.device(&device.pubkey());
    assert_eq!(account.maker_id, 1);
    assert_eq!(account.location, None);
    assert_eq!(registry.maker_account(&maker.pubkey()).devices_onboarded, 1);
    assert_eq!(
        outcome.events::<DeviceRegistered>(&device_registry::ID)[0].maker_id,
        1
    );
    assert_eq!(
        registry.cluster.token_balance(&operator.fee_account),
        OPERATOR_FEE_TOKENS - MAKER_ONBOARDING_FEE
    );
}

#[test]
fn an_unapproved_maker_key_has_no_maker_account() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let stranger = Keypair::new();
    let device = Keypair::new();
    assert_anchor_error(
        registry.register_with_maker(&operator, &device, &stranger),
        AnchorErrorCode::AccountNotInitialized,
    );
}

#[test]
fn revoked_makers_cannot_attest() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let maker = registry.maker.insecure_clone();
    let authority = registry.authority.pubkey();
    registry
        .authority_send(device_registry::update_maker(
            authority,
            maker.pubkey(),
            device_registry::UpdateMakerArgs {
                name: "Acme Radios".into(),
                device_quota: None,
                approved: false,
            },
        ))
        .unwrap();
    assert_registry_error(
        registry.register_with_maker(&operator, &Keypair::new(), &maker),
        RegistryError::MakerNotApproved,
    );
}

#[test]
fn makers_stop_at_their_quota() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let maker = registry.maker.insecure_clone();
    for _ in 0..3 {
        registry
            .register_with_maker(&operator, &Keypair::new(), &maker)
            .unwrap();
    }
    assert_registry_error(
        registry.register_with_maker(&operator, &Keypair::new(), &maker),
        RegistryError::MakerQuotaExceeded,
    );
    assert_eq!(registry.maker_account(&maker.pubkey()).devices_onboarded, 3);
}

/// Sends `count` maker-attested registrations in one transaction.
fn register_many(
    registry: &mut Registry,
    operator: &Operator,
    count: usize,
) -> (Vec<Keypair>, Result<TxOutcome, SdkError>) {
    let maker = registry.maker.insecure_clone();
    let devices: Vec<Keypair> = (0..count).map(|_| Keypair::new()).collect();
    let instructions: Vec<Instruction> = devices
        .iter()
        .map(|device| registry.maker_registration(operator, device, &maker.pubkey()))
        .collect();
    let mut signers: Vec<&Keypair> = devices.iter().collect();
    signers.push(&maker);
    let result = registry
        .cluster
        .send(&instructions, &operator.keypair, &signers);
    (devices, result)
}

#[track_caller]
fn assert_quota_refused(result: Result<TxOutcome, SdkError>, index: u8) {
    let code = u32::from(RegistryError::MakerQuotaExceeded);
    assert_eq!(
        instruction_error(result),
        (index, InstructionError::Custom(code)),
        "expected MakerQuotaExceeded at instruction {index}"
    );
}

/// A maker with quota 3: one transaction of 4 registrations is refused at
/// the fourth, atomically (no device of it exists, no fee is burned, no
/// counter moves); with one device onboarded, a transaction of 3 is refused
/// at its third, and one of 2 fills the quota exactly.
#[test]
fn one_transaction_cannot_register_past_the_maker_quota() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let maker = registry.maker.pubkey();
    assert_eq!(registry.maker_account(&maker).device_quota, Some(3));
    let fees_before = registry.cluster.token_balance(&operator.fee_account);

    let (devices, result) = register_many(&mut registry, &operator, 4);
    assert_quota_refused(result, 3);
    for device in &devices {
        assert!(!registry.device_exists(&device.pubkey()));
    }
    assert_eq!(registry.maker_account(&maker).devices_onboarded, 0);
    let config = registry.config();
    assert_eq!((config.devices_registered, config.active_devices), (0, 0));
    assert_eq!(
        registry.cluster.token_balance(&operator.fee_account),
        fees_before
    );

    // One onboarded: N + 1 counted across transactions.
    let (first, result) = register_many(&mut registry, &operator, 1);
    result.unwrap();
    let (devices, result) = register_many(&mut registry, &operator, 3);
    assert_quota_refused(result, 2);
    assert!(devices
        .iter()
        .all(|device| !registry.device_exists(&device.pubkey())));
    assert_eq!(registry.maker_account(&maker).devices_onboarded, 1);

    let (devices, result) = register_many(&mut registry, &operator, 2);
    result.unwrap();
    assert_eq!(registry.maker_account(&maker).devices_onboarded, 3);
    let serials: Vec<u64> = first
        .iter()
        .chain(&devices)
        .map(|device| registry.device(&device.pubkey()).serial)
        .collect();
    assert_eq!(serials, [1, 2, 3]);
    assert_registry_error(
        register_many(&mut registry, &operator, 1).1,
        RegistryError::MakerQuotaExceeded,
    );
}
