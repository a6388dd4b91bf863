//! `update_location`: the owner moves a device and pays the location fee.

use {
    depin_sdk::{
        device_registry::{self, error::RegistryError, events::*},
        pda, Keypair, Pubkey, Signer,
    },
    depin_tests::*,
};

#[test]
fn owners_move_devices_and_pay_the_location_fee() {
    let (mut registry, operator, device) = Registry::with_device();
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
    assert_needs_signer(
        |ix| registry.send_as(&intruder, ix),
        device_registry::update_location(operator.pubkey(), device.pubkey(), fees, SF_CELL_2),
        &operator.pubkey(),
    );
    assert_eq!(registry.device(&device.pubkey()).location, Some(SF_CELL));
}

#[test]
fn location_change_counter_refuses_to_wrap() {
    let (mut registry, operator, device) = Registry::with_device();
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
