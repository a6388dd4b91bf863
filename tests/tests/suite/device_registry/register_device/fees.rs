//! `register_device`: the fee is paid in full, in the fee mint, from the
//! owner's account, through the real programs.

use {
    crate::device_registry::register_args,
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_sdk::{
        device_registry::{self, error::RegistryError},
        pda, token, Keypair, Signer,
    },
    depin_tests::*,
};

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
    let fake_mint = create_mint(&mut registry.cluster, &authority, 0);
    let fake_account =
        token::associated_token_address(&operator.pubkey(), &fake_mint, &anchor_spl::token::ID);
    let setup = [
        token::create_associated_token_account(
            &authority.pubkey(),
            &operator.pubkey(),
            &fake_mint,
            &anchor_spl::token::ID,
        ),
        token::mint_to(&fake_mint, &fake_account, &authority.pubkey(), 1_000_000),
    ];
    registry.cluster.send(&setup, &authority, &[]).unwrap();

    let device = Keypair::new();
    let paying = |registry: &mut Registry, fee_mint, fee_account| {
        let mut accounts = registry.register_accounts(&operator, &device);
        accounts.fee_mint = fee_mint;
        accounts.fee_account = fee_account;
        let instruction = device_registry::register_device(&accounts, register_args(CLASS_OPEN));
        registry.send_signed(&operator, instruction, &[&device])
    };
    assert_registry_error(
        paying(&mut registry, fake_mint, fake_account),
        RegistryError::WrongFeeMint,
    );
    // Right mint, but a token account of the wrong mint.
    let fee_mint = registry.fee_mint.pubkey();
    assert_anchor_error(
        paying(&mut registry, fee_mint, fake_account),
        AnchorErrorCode::ConstraintTokenMint,
    );
    // Someone else's fee account.
    let victim = registry.operator();
    assert_registry_error(
        paying(&mut registry, fee_mint, victim.fee_account),
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
    let instruction = registry.registration(&operator, &device, register_args(CLASS_OPEN));
    for program in [anchor_spl::token::ID, anchor_lang::system_program::ID] {
        assert_substitute_refused(
            |ix| registry.send_signed(&operator, ix, &[&device]),
            instruction.clone(),
            &program,
            &fake_program,
            AnchorErrorCode::InvalidProgramId,
        );
    }
}

#[test]
fn the_same_account_cannot_fill_two_mutable_slots() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let device = Keypair::new();
    let instruction = registry.registration(&operator, &device, register_args(CLASS_OPEN));
    // Every mutable typed account of the registry has a distinct type, so a
    // duplicate fails to deserialize before anything is written.
    let fee_as_mint = substitute(
        instruction.clone(),
        &operator.fee_account,
        &registry.fee_mint.pubkey(),
    );
    let (_, error) = instruction_error(registry.send_signed(&operator, fee_as_mint, &[&device]));
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
        .send_signed(&operator, config_as_device, &[&device])
        .is_err());
    assert_eq!(registry.config().devices_registered, 0);
    assert_eq!(
        registry.cluster.token_balance(&operator.fee_account),
        OPERATOR_FEE_TOKENS
    );
}
