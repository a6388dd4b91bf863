//! Device lifecycle: registration, location, metadata, transfer, retirement.

use {
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_sdk::{
        accounts::{DeviceStatus, RegistryConfig},
        device_registry::{self, RegisterDeviceArgs},
        device_registry::{constants::*, error::RegistryError, events::*},
        pda, token, Keypair, Pubkey, Signer, Transaction,
    },
    depin_tests::*,
};

const SYSTEM_ACCOUNT_ALREADY_IN_USE: u32 = 0;

fn register_args(class_id: u8) -> RegisterDeviceArgs {
    RegisterDeviceArgs {
        class_id,
        location: Some(SF_CELL),
        metadata: vec![1, 2, 3],
    }
}

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
    assert_eq!(account.rewards_claimed, 0);

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
fn device_account_fits_in_160_bytes() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = registry.new_device(&operator);
    let account = registry
        .cluster
        .account(&pda::device(&device.pubkey()).0)
        .unwrap();
    assert_eq!(account.data.len(), depin_sdk::accounts::Device::SPACE);
    assert!(account.data.len() <= 160, "{} bytes", account.data.len());
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
    let mut accounts = registry.register_accounts(&operator, &device);
    accounts.payer = sponsor.pubkey();
    let owner_lamports = registry.cluster.balance(&operator.pubkey());
    registry
        .cluster
        .send(
            &[device_registry::register_device(
                &accounts,
                register_args(CLASS_OPEN),
            )],
            &sponsor,
            &[&operator.keypair, &device],
        )
        .unwrap();
    assert_eq!(registry.cluster.balance(&operator.pubkey()), owner_lamports);
    assert_eq!(registry.device(&device.pubkey()).owner, operator.pubkey());
}

#[test]
fn registering_a_live_device_twice_fails() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = registry.new_device(&operator);
    let other = registry.operator();
    assert_custom_error(
        registry.register(&other, &device),
        SYSTEM_ACCOUNT_ALREADY_IN_USE,
    );
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
    let instruction = strip_signer(
        device_registry::register_device(
            &registry.register_accounts(&operator, &device),
            register_args(CLASS_OPEN),
        ),
        &device.pubkey(),
    );
    assert_anchor_error(
        registry.send_as(&operator, instruction),
        AnchorErrorCode::AccountNotSigner,
    );
    assert!(registry
        .cluster
        .account(&pda::device(&device.pubkey()).0)
        .is_none());
}

#[test]
fn registration_needs_the_owner_signature() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = Keypair::new();
    let sponsor = Keypair::new();
    registry.cluster.airdrop(&sponsor.pubkey(), SOL).unwrap();
    let mut accounts = registry.register_accounts(&operator, &device);
    accounts.payer = sponsor.pubkey();
    let instruction = strip_signer(
        device_registry::register_device(&accounts, register_args(CLASS_OPEN)),
        &operator.pubkey(),
    );
    assert_anchor_error(
        registry.cluster.send(&[instruction], &sponsor, &[&device]),
        AnchorErrorCode::AccountNotSigner,
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
    let instruction = substitute(
        device_registry::register_device(
            &registry.register_accounts(&operator, &device),
            register_args(CLASS_OPEN),
        ),
        &pda::device(&device.pubkey()).0,
        &pda::device(&victim).0,
    );
    assert_anchor_error(
        registry
            .cluster
            .send(&[instruction], &operator.keypair, &[&device]),
        AnchorErrorCode::ConstraintSeeds,
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
            &[device_registry::register_device(
                &registry.register_accounts(&operator, &device),
                register_args(CLASS_OPEN),
            )],
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
        &[device_registry::register_device(
            &registry.register_accounts(&attacker, &device),
            register_args(CLASS_OPEN),
        )],
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
    assert!(registry
        .cluster
        .account(&pda::device(&device.pubkey()).0)
        .is_none());
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
    let instruction = substitute(
        device_registry::register_device(
            &registry.register_accounts(&operator, &device),
            register_args(CLASS_OPEN),
        ),
        &canonical,
        &other_bump,
    );
    assert_anchor_error(
        registry
            .cluster
            .send(&[instruction], &operator.keypair, &[&device]),
        AnchorErrorCode::ConstraintSeeds,
    );
}

#[test]
fn maker_classes_need_an_approved_maker_cosignature() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let maker = registry.maker.insecure_clone();

    // No maker at all.
    let device = Keypair::new();
    let instruction = device_registry::register_device(
        &registry.register_accounts(&operator, &device),
        register_args(CLASS_MAKER),
    );
    assert_registry_error(
        registry
            .cluster
            .send(&[instruction], &operator.keypair, &[&device]),
        RegistryError::MakerRequired,
    );

    // Maker account present, signer flag stripped.
    let mut accounts = registry.register_accounts(&operator, &device);
    accounts.maker_key = Some(maker.pubkey());
    let instruction = strip_signer(
        device_registry::register_device(&accounts, register_args(CLASS_MAKER)),
        &maker.pubkey(),
    );
    assert_anchor_error(
        registry
            .cluster
            .send(&[instruction], &operator.keypair, &[&device]),
        AnchorErrorCode::AccountNotSigner,
    );

    // Maker account present, maker signer slot left empty.
    let mut instruction = device_registry::register_device(&accounts, register_args(CLASS_MAKER));
    let signer_slot = instruction
        .accounts
        .iter()
        .position(|meta| meta.pubkey == maker.pubkey())
        .unwrap();
    instruction.accounts[signer_slot] =
        depin_sdk::AccountMeta::new_readonly(device_registry::ID, false);
    assert_registry_error(
        registry
            .cluster
            .send(&[instruction], &operator.keypair, &[&device]),
        RegistryError::MakerSignatureMissing,
    );

    // Someone else signs in the maker's place.
    let impostor = Keypair::new();
    let instruction = substitute(
        device_registry::register_device(&accounts, register_args(CLASS_MAKER)),
        &maker.pubkey(),
        &impostor.pubkey(),
    );
    // The maker PDA still belongs to the real maker; only the signer differs.
    let instruction = substitute(
        instruction,
        &pda::maker(&impostor.pubkey()).0,
        &pda::maker(&maker.pubkey()).0,
    );
    assert_registry_error(
        registry
            .cluster
            .send(&[instruction], &operator.keypair, &[&device, &impostor]),
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
    let device = Keypair::new();
    let instruction = device_registry::register_device(
        &registry.register_accounts(&operator, &device),
        register_args(9),
    );
    assert_registry_error(
        registry
            .cluster
            .send(&[instruction], &operator.keypair, &[&device]),
        RegistryError::UnknownDeviceClass,
    );
}

#[test]
fn registration_needs_the_full_fee() {
    let mut registry = Registry::new();
    let operator = registry.operator_with_tokens(OPEN_ONBOARDING_FEE - 1);
    assert_registry_error(
        registry.register(&operator, &Keypair::new()),
        RegistryError::InsufficientFeeBalance,
    );
    let exact = registry.operator_with_tokens(OPEN_ONBOARDING_FEE);
    registry.register(&exact, &Keypair::new()).unwrap();
    assert_eq!(registry.cluster.token_balance(&exact.fee_account), 0);
}

#[test]
fn fees_must_be_paid_in_the_fee_mint_from_the_owners_account() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let authority = registry.authority.insecure_clone();
    // A look-alike mint with a funded account of the operator.
    let fake_mint = Keypair::new();
    let rent = registry.cluster.rent().minimum_balance(token::MINT_LEN);
    let fake_account = token::associated_token_address(
        &operator.pubkey(),
        &fake_mint.pubkey(),
        &anchor_spl::token::ID,
    );
    let mut setup = token::create_mint(
        &authority.pubkey(),
        &fake_mint.pubkey(),
        &authority.pubkey(),
        0,
        rent,
    );
    setup.push(token::create_associated_token_account(
        &authority.pubkey(),
        &operator.pubkey(),
        &fake_mint.pubkey(),
        &anchor_spl::token::ID,
    ));
    setup.push(token::mint_to(
        &fake_mint.pubkey(),
        &fake_account,
        &authority.pubkey(),
        1_000_000,
    ));
    registry
        .cluster
        .send(&setup, &authority, &[&fake_mint])
        .unwrap();

    let device = Keypair::new();
    let mut accounts = registry.register_accounts(&operator, &device);
    accounts.fee_mint = fake_mint.pubkey();
    accounts.fee_account = fake_account;
    assert_registry_error(
        registry.cluster.send(
            &[device_registry::register_device(
                &accounts,
                register_args(CLASS_OPEN),
            )],
            &operator.keypair,
            &[&device],
        ),
        RegistryError::WrongFeeMint,
    );

    // Right mint, but a token account of the wrong mint.
    let mut accounts = registry.register_accounts(&operator, &device);
    accounts.fee_account = fake_account;
    assert_anchor_error(
        registry.cluster.send(
            &[device_registry::register_device(
                &accounts,
                register_args(CLASS_OPEN),
            )],
            &operator.keypair,
            &[&device],
        ),
        AnchorErrorCode::ConstraintTokenMint,
    );

    // Someone else's fee account.
    let victim = registry.operator();
    let mut accounts = registry.register_accounts(&operator, &device);
    accounts.fee_account = victim.fee_account;
    assert_registry_error(
        registry.cluster.send(
            &[device_registry::register_device(
                &accounts,
                register_args(CLASS_OPEN),
            )],
            &operator.keypair,
            &[&device],
        ),
        RegistryError::WrongFeeAccountOwner,
    );
    assert_eq!(
        registry.cluster.token_balance(&victim.fee_account),
        OPERATOR_FEE_TOKENS
    );
}

#[test]
fn a_fake_token_or_system_program_is_refused() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = Keypair::new();
    let fake_program = Keypair::new().pubkey();
    let instruction = device_registry::register_device(
        &registry.register_accounts(&operator, &device),
        register_args(CLASS_OPEN),
    );
    let forged = substitute(instruction.clone(), &anchor_spl::token::ID, &fake_program);
    assert_anchor_error(
        registry
            .cluster
            .send(&[forged], &operator.keypair, &[&device]),
        AnchorErrorCode::InvalidProgramId,
    );
    let forged = substitute(instruction, &anchor_lang::system_program::ID, &fake_program);
    assert_anchor_error(
        registry
            .cluster
            .send(&[forged], &operator.keypair, &[&device]),
        AnchorErrorCode::InvalidProgramId,
    );
}

#[test]
fn metadata_is_bounded() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = Keypair::new();
    let mut args = register_args(CLASS_OPEN);
    args.metadata = vec![9; MAX_METADATA_LEN + 1];
    let instruction = device_registry::register_device(
        &registry.register_accounts(&operator, &device),
        args.clone(),
    );
    assert_registry_error(
        registry
            .cluster
            .send(&[instruction], &operator.keypair, &[&device]),
        RegistryError::MetadataTooLong,
    );
    args.metadata = vec![9; 4096];
    let instruction = device_registry::register_device(
        &registry.register_accounts(&operator, &device),
        args.clone(),
    );
    assert!(registry
        .cluster
        .send(&[instruction], &operator.keypair, &[&device])
        .is_err());
    args.metadata = vec![9; MAX_METADATA_LEN];
    let instruction =
        device_registry::register_device(&registry.register_accounts(&operator, &device), args);
    registry
        .cluster
        .send(&[instruction], &operator.keypair, &[&device])
        .unwrap();
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
        let instruction =
            device_registry::register_device(&registry.register_accounts(&operator, &device), args);
        assert_registry_error(
            registry
                .cluster
                .send(&[instruction], &operator.keypair, &[&device]),
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

#[test]
fn the_same_account_cannot_fill_two_mutable_slots() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = Keypair::new();
    let instruction = device_registry::register_device(
        &registry.register_accounts(&operator, &device),
        register_args(CLASS_OPEN),
    );
    // Every mutable typed account of the registry has a distinct type, so a
    // duplicate fails to deserialize before anything is written.
    let fee_as_mint = substitute(
        instruction.clone(),
        &operator.fee_account,
        &registry.fee_mint.pubkey(),
    );
    let (_, error) = instruction_error(registry.cluster.send(
        &[fee_as_mint],
        &operator.keypair,
        &[&device],
    ));
    assert_eq!(
        error,
        solana_instruction_error::InstructionError::InvalidAccountData
    );
    let config_as_device = substitute(
        instruction,
        &pda::device(&device.pubkey()).0,
        &pda::registry_config().0,
    );
    assert!(registry
        .cluster
        .send(&[config_as_device], &operator.keypair, &[&device])
        .is_err());
    assert_eq!(registry.config().devices_registered, 0);
    assert_eq!(
        registry.cluster.token_balance(&operator.fee_account),
        OPERATOR_FEE_TOKENS
    );
}

#[test]
fn owners_move_devices_and_pay_the_location_fee() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = registry.new_device(&operator);
    let fees = registry.fees(&operator);
    let outcome = registry
        .send_as(
            &operator,
            device_registry::update_location(operator.pubkey(), device.pubkey(), fees, SF_CELL_2),
        )
        .unwrap();
    let account = registry.device(&device.pubkey());
    assert_eq!(account.location, Some(SF_CELL_2));
    assert_eq!(account.location_changes, 1);
    let config = registry.config();
    assert_eq!(config.location_changes, 1);
    assert_eq!(config.fees_burned, OPEN_ONBOARDING_FEE + OPEN_LOCATION_FEE);
    assert_eq!(
        registry.cluster.token_balance(&operator.fee_account),
        OPERATOR_FEE_TOKENS - OPEN_ONBOARDING_FEE - OPEN_LOCATION_FEE
    );
    let events = outcome.events::<DeviceLocationUpdated>(&device_registry::ID);
    assert_eq!(events[0].old_location, Some(SF_CELL));
    assert_eq!(events[0].new_location, SF_CELL_2);
    assert_eq!(events[0].fee_burned, OPEN_LOCATION_FEE);
}

#[test]
fn location_updates_are_checked() {
    let mut registry = Registry::new();
    let operator = registry.operator_with_tokens(OPEN_ONBOARDING_FEE + OPEN_LOCATION_FEE - 1);
    let device = registry.new_device(&operator);
    let fees = registry.fees(&operator);
    let send = |registry: &mut Registry, signer: &Keypair, owner: Pubkey, location: u64| {
        registry.cluster.send(
            &[device_registry::update_location(
                owner,
                device.pubkey(),
                fees,
                location,
            )],
            signer,
            &[],
        )
    };
    assert_registry_error(
        send(&mut registry, &operator.keypair, operator.pubkey(), SF_CELL),
        RegistryError::LocationUnchanged,
    );
    assert_registry_error(
        send(&mut registry, &operator.keypair, operator.pubkey(), 42),
        RegistryError::InvalidLocation,
    );
    assert_registry_error(
        send(
            &mut registry,
            &operator.keypair,
            operator.pubkey(),
            SF_CELL_2,
        ),
        RegistryError::InsufficientFeeBalance,
    );
    let intruder = registry.operator();
    assert_registry_error(
        send(
            &mut registry,
            &intruder.keypair,
            intruder.pubkey(),
            SF_CELL_2,
        ),
        RegistryError::NotDeviceOwner,
    );
    let unsigned = strip_signer(
        device_registry::update_location(operator.pubkey(), device.pubkey(), fees, SF_CELL_2),
        &operator.pubkey(),
    );
    assert_anchor_error(
        registry.send_as(&intruder, unsigned),
        AnchorErrorCode::AccountNotSigner,
    );
    assert_eq!(registry.device(&device.pubkey()).location, Some(SF_CELL));
}

#[test]
fn location_change_counter_refuses_to_wrap() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = registry.new_device(&operator);
    poke::<depin_sdk::accounts::Device>(
        &mut registry.cluster,
        &pda::device(&device.pubkey()).0,
        |device| device.location_changes = u32::MAX,
    );
    let fees = registry.fees(&operator);
    assert_registry_error(
        registry.send_as(
            &operator,
            device_registry::update_location(operator.pubkey(), device.pubkey(), fees, SF_CELL_2),
        ),
        RegistryError::Overflow,
    );
}

#[test]
fn owners_update_metadata() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = registry.new_device(&operator);
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

#[test]
fn owners_transfer_devices() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let buyer = registry.operator();
    let device = registry.new_device(&operator);
    let outcome = registry
        .send_as(
            &operator,
            device_registry::transfer_device(operator.pubkey(), device.pubkey(), buyer.pubkey()),
        )
        .unwrap();
    let event = &outcome.events::<DeviceTransferred>(&device_registry::ID)[0];
    assert_eq!(
        (event.old_owner, event.new_owner),
        (operator.pubkey(), buyer.pubkey())
    );
    let account = registry.device(&device.pubkey());
    assert_eq!(account.owner, buyer.pubkey());
    assert_eq!(account.serial, 1);

    // The seller has no say any more; the buyer does.
    assert_registry_error(
        registry.send_as(
            &operator,
            device_registry::transfer_device(operator.pubkey(), device.pubkey(), operator.pubkey()),
        ),
        RegistryError::NotDeviceOwner,
    );
    registry
        .send_as(
            &buyer,
            device_registry::update_metadata(buyer.pubkey(), device.pubkey(), vec![1]),
        )
        .unwrap();
}

#[test]
fn transfers_are_checked() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = registry.new_device(&operator);
    for new_owner in [operator.pubkey(), Pubkey::default()] {
        assert_registry_error(
            registry.send_as(
                &operator,
                device_registry::transfer_device(operator.pubkey(), device.pubkey(), new_owner),
            ),
            RegistryError::InvalidNewOwner,
        );
    }
    let thief = registry.operator();
    assert_registry_error(
        registry.send_as(
            &thief,
            device_registry::transfer_device(thief.pubkey(), device.pubkey(), thief.pubkey()),
        ),
        RegistryError::NotDeviceOwner,
    );
    let unsigned = strip_signer(
        device_registry::transfer_device(operator.pubkey(), device.pubkey(), thief.pubkey()),
        &operator.pubkey(),
    );
    assert_anchor_error(
        registry.send_as(&thief, unsigned),
        AnchorErrorCode::AccountNotSigner,
    );
    assert_eq!(registry.device(&device.pubkey()).owner, operator.pubkey());
}

#[test]
fn suspended_devices_are_frozen_for_their_owner() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let buyer = registry.operator();
    let device = registry.new_device(&operator);
    let authority = registry.authority.pubkey();
    registry
        .authority_send(device_registry::set_device_status(
            authority,
            device.pubkey(),
            DeviceStatus::Suspended,
        ))
        .unwrap();
    let fees = registry.fees(&operator);
    let attempts = [
        device_registry::update_location(operator.pubkey(), device.pubkey(), fees, SF_CELL_2),
        device_registry::update_metadata(operator.pubkey(), device.pubkey(), vec![1]),
        device_registry::transfer_device(operator.pubkey(), device.pubkey(), buyer.pubkey()),
        device_registry::retire_device(operator.pubkey(), device.pubkey()),
    ];
    for instruction in attempts {
        assert_registry_error(
            registry.send_as(&operator, instruction),
            RegistryError::DeviceSuspended,
        );
    }
    assert_eq!(registry.device(&device.pubkey()).owner, operator.pubkey());
}

#[test]
fn retiring_returns_the_rent_and_the_key_can_register_again() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = registry.new_device(&operator);
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

    // Policy: the key may register again, under a new serial, so reward
    // proofs for the first registration never pay the second.
    registry.register(&operator, &device).unwrap();
    let account = registry.device(&device.pubkey());
    assert_eq!(account.serial, 2);
    assert_eq!(account.rewards_claimed, 0);
    assert_eq!(registry.config().active_devices, 1);
}

#[test]
fn only_the_owner_retires() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = registry.new_device(&operator);
    let thief = registry.operator();
    assert_registry_error(
        registry.send_as(
            &thief,
            device_registry::retire_device(thief.pubkey(), device.pubkey()),
        ),
        RegistryError::NotDeviceOwner,
    );
    let unsigned = strip_signer(
        device_registry::retire_device(operator.pubkey(), device.pubkey()),
        &operator.pubkey(),
    );
    assert_anchor_error(
        registry.send_as(&thief, unsigned),
        AnchorErrorCode::AccountNotSigner,
    );
    assert!(registry
        .cluster
        .account(&pda::device(&device.pubkey()).0)
        .is_some());
}

#[test]
fn a_retired_device_cannot_be_used_in_the_same_transaction() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = registry.new_device(&operator);
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
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = registry.new_device(&operator);
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
