//! The embedded runtime behaves like a cluster for what the programs rely on.

use {
    depin_sdk::{
        device_registry, device_registry::error::RegistryError, SdkError, Signer, TransactionError,
    },
    depin_tests::*,
};

#[test]
fn cpi_into_real_spl_token_changes_balances() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let supply_before = registry
        .cluster
        .mint_supply(&registry.fee_mint.pubkey())
        .unwrap();
    registry.new_device(&operator);

    assert_eq!(
        registry.cluster.token_balance(&operator.fee_account),
        OPERATOR_FEE_TOKENS - OPEN_ONBOARDING_FEE
    );
    assert_eq!(
        registry
            .cluster
            .mint_supply(&registry.fee_mint.pubkey())
            .unwrap(),
        supply_before - OPEN_ONBOARDING_FEE
    );
}

#[test]
fn program_error_surfaces_as_its_custom_code() {
    let mut registry = Registry::new();
    let mut class = open_class();
    class.name = String::new();
    let result = registry.add_class(class);
    let error = result.as_ref().unwrap_err();
    let info = error.program_error().expect("decoded program error");
    assert_eq!(info.name, "InvalidName");
    assert_eq!(info.code, u32::from(RegistryError::InvalidName));
    assert!(error
        .to_string()
        .contains("Name is empty or longer than 32 bytes"));
    assert_registry_error(result, RegistryError::InvalidName);
}

#[test]
fn same_transaction_twice_in_one_slot_is_already_processed() {
    let mut registry = Registry::new();
    let authority = registry.authority.insecure_clone();
    let instruction =
        device_registry::update_device_class(authority.pubkey(), CLASS_OPEN, open_class());
    let transaction = registry
        .cluster
        .transaction(std::slice::from_ref(&instruction), &authority, &[])
        .unwrap();
    registry
        .cluster
        .send_transaction(transaction.clone())
        .unwrap();
    let again = registry.cluster.send_transaction(transaction.clone());
    assert_eq!(
        again.unwrap_err().transaction_error(),
        Some(&TransactionError::AlreadyProcessed)
    );

    // Once the blockhash moves on, the old transaction has expired...
    registry.cluster.next_blockhash();
    let expired = registry.cluster.send_transaction(transaction);
    assert_eq!(
        expired.unwrap_err().transaction_error(),
        Some(&TransactionError::BlockhashNotFound)
    );
    // ...and the same instruction signed over the new blockhash lands.
    registry
        .cluster
        .send(&[instruction], &authority, &[])
        .unwrap();
}

#[test]
fn rent_sysvar_reaches_native_programs() {
    // Anchor's `init` pays rent from `Rent::get()` inside the program; the
    // runtime rejects accounts below its own rent-exempt minimum, so a
    // landed registration proves both agree.
    let (registry, _, device) = Registry::with_device();
    let account = registry.device_account(&device.pubkey());
    assert_eq!(
        account.lamports,
        registry.cluster.rent().minimum_balance(account.data.len())
    );
}

#[test]
fn clock_sysvar_reaches_native_programs() {
    let mut registry = Registry::new();
    registry.cluster.warp_to_timestamp(1_900_000_000);
    let operator = registry.operator();
    let device = registry.new_device(&operator);
    assert_eq!(
        registry.device(&device.pubkey()).registered_at,
        1_900_000_000
    );
}

#[test]
fn transactions_over_the_size_limit_are_refused_before_sending() {
    let mut registry = Registry::new();
    let authority = registry.authority.insecure_clone();
    let instructions: Vec<_> = (0..40)
        .map(|_| device_registry::update_device_class(authority.pubkey(), CLASS_OPEN, open_class()))
        .collect();
    let result = registry.cluster.send(&instructions, &authority, &[]);
    match result {
        Err(SdkError::TransactionTooLarge { size, limit }) => {
            assert!(size > limit);
            assert_eq!(limit, 1232);
        }
        other => panic!("expected TransactionTooLarge, got {other:?}"),
    }
}
