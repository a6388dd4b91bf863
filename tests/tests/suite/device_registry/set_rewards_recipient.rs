//! `set_rewards_recipient`: the owner, and nothing but the owner, points a
//! device's rewards at a wallet; a transfer resets it to the new owner.

use {
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_sdk::{
        device_registry::{self, error::RegistryError, events::*},
        pda, Pubkey, Signer,
    },
    depin_tests::*,
};

/// A device pays its owner until the owner names another wallet, which it
/// may change again or point back at itself; each change is an event.
#[test]
fn owners_point_their_devices_rewards_at_any_wallet() {
    let (mut registry, operator, device) = Registry::with_device();
    let device_key = device.pubkey();
    assert_eq!(
        registry.device(&device_key).rewards_recipient,
        operator.pubkey()
    );
    let payout = Pubkey::new_unique();
    registry.cluster.warp_to_timestamp(1_900_000_000);
    let outcome = registry
        .send_as(
            &operator,
            device_registry::set_rewards_recipient(operator.pubkey(), device_key, payout),
        )
        .unwrap();
    let event = &outcome.events::<RewardsRecipientSet>(&device_registry::ID)[0];
    assert_eq!(
        (
            event.device_key,
            event.serial,
            event.owner,
            event.previous,
            event.recipient,
            event.timestamp
        ),
        (
            device_key,
            1,
            operator.pubkey(),
            operator.pubkey(),
            payout,
            1_900_000_000
        )
    );
    let account = registry.device(&device_key);
    assert_eq!(
        (account.rewards_recipient, account.owner, account.updated_at),
        (payout, operator.pubkey(), 1_900_000_000)
    );

    // Back to the owner's own wallet.
    let outcome = registry
        .send_as(
            &operator,
            device_registry::set_rewards_recipient(
                operator.pubkey(),
                device_key,
                operator.pubkey(),
            ),
        )
        .unwrap();
    let event = &outcome.events::<RewardsRecipientSet>(&device_registry::ID)[0];
    assert_eq!(
        (event.previous, event.recipient),
        (payout, operator.pubkey())
    );
    assert_eq!(
        registry.device(&device_key).rewards_recipient,
        operator.pubkey()
    );
}

/// Nothing but the owner sets the recipient: not a stranger naming itself
/// or the owner, not the wallet the rewards go to, not the registry
/// authority, not the owner's key without its signature, not through
/// another account in the device's place.
#[test]
fn nothing_but_the_owner_sets_the_recipient() {
    let (mut registry, operator, device) = Registry::with_device();
    let device_key = device.pubkey();
    let payee = registry.operator();
    registry
        .send_as(
            &operator,
            device_registry::set_rewards_recipient(operator.pubkey(), device_key, payee.pubkey()),
        )
        .unwrap();
    let thief = registry.operator();
    for (intruder, recipient) in [
        (&thief, thief.pubkey()),
        (&thief, operator.pubkey()),
        // The current recipient cannot redirect what it receives either.
        (&payee, thief.pubkey()),
    ] {
        assert_registry_error(
            registry.send_as(
                intruder,
                device_registry::set_rewards_recipient(intruder.pubkey(), device_key, recipient),
            ),
            RegistryError::NotDeviceOwner,
        );
    }
    let authority = registry.authority.pubkey();
    assert_registry_error(
        registry.authority_send(device_registry::set_rewards_recipient(
            authority, device_key, authority,
        )),
        RegistryError::NotDeviceOwner,
    );
    assert_needs_signer(
        |ix| registry.send_as(&thief, ix),
        device_registry::set_rewards_recipient(operator.pubkey(), device_key, thief.pubkey()),
        &operator.pubkey(),
    );
    // Another account in the device's place: the registry config (another
    // type), and a copy of the device owned by another program.
    let instruction =
        device_registry::set_rewards_recipient(operator.pubkey(), device_key, thief.pubkey());
    let device_pda = pda::device(&device_key).0;
    assert_substitute_refused(
        |ix| registry.send_as(&operator, ix),
        instruction.clone(),
        &device_pda,
        &pda::registry_config().0,
        AnchorErrorCode::AccountDiscriminatorMismatch,
    );
    let copy = Pubkey::new_unique();
    let mut account = registry.device_account(&device_key);
    account.owner = ::rewards::ID;
    registry
        .cluster
        .svm_mut()
        .set_account(copy, account)
        .unwrap();
    assert_substitute_refused(
        |ix| registry.send_as(&operator, ix),
        instruction,
        &device_pda,
        &copy,
        AnchorErrorCode::AccountOwnedByWrongProgram,
    );
    assert_eq!(
        registry.device(&device_key).rewards_recipient,
        payee.pubkey()
    );
}

/// The default address (no one could claim for it) and the current
/// recipient are refused.
#[test]
fn the_recipient_must_be_a_real_wallet_and_a_change() {
    let (mut registry, operator, device) = Registry::with_device();
    let device_key = device.pubkey();
    let set = |recipient| {
        device_registry::set_rewards_recipient(operator.pubkey(), device_key, recipient)
    };
    assert_registry_error(
        registry.send_as(&operator, set(Pubkey::default())),
        RegistryError::InvalidRewardsRecipient,
    );
    // The owner is the recipient already.
    assert_registry_error(
        registry.send_as(&operator, set(operator.pubkey())),
        RegistryError::RewardsRecipientUnchanged,
    );
    let payout = Pubkey::new_unique();
    registry.send_as(&operator, set(payout)).unwrap();
    registry.cluster.next_blockhash();
    assert_registry_error(
        registry.send_as(&operator, set(payout)),
        RegistryError::RewardsRecipientUnchanged,
    );
    assert_eq!(registry.device(&device_key).rewards_recipient, payout);
}

/// A transfer hands the rewards to the new owner whatever the seller had
/// set; the seller and its payout wallet have no say any more, the buyer
/// does. A retired device has no recipient to set.
#[test]
fn a_transfer_resets_the_recipient_to_the_new_owner() {
    let (mut registry, operator, device) = Registry::with_device();
    let device_key = device.pubkey();
    let payout = registry.operator();
    let buyer = registry.operator();
    registry
        .send_as(
            &operator,
            device_registry::set_rewards_recipient(operator.pubkey(), device_key, payout.pubkey()),
        )
        .unwrap();
    registry
        .send_as(
            &operator,
            device_registry::transfer_device(operator.pubkey(), device_key, buyer.pubkey()),
        )
        .unwrap();
    let account = registry.device(&device_key);
    assert_eq!(
        (account.owner, account.rewards_recipient),
        (buyer.pubkey(), buyer.pubkey())
    );
    for former in [&operator, &payout] {
        assert_registry_error(
            registry.send_as(
                former,
                device_registry::set_rewards_recipient(
                    former.pubkey(),
                    device_key,
                    payout.pubkey(),
                ),
            ),
            RegistryError::NotDeviceOwner,
        );
    }
    let treasury = Pubkey::new_unique();
    registry
        .send_as(
            &buyer,
            device_registry::set_rewards_recipient(buyer.pubkey(), device_key, treasury),
        )
        .unwrap();
    assert_eq!(registry.device(&device_key).rewards_recipient, treasury);

    registry
        .send_as(
            &buyer,
            device_registry::retire_device(buyer.pubkey(), device_key),
        )
        .unwrap();
    assert_program_error(
        registry.send_as(
            &buyer,
            device_registry::set_rewards_recipient(buyer.pubkey(), device_key, buyer.pubkey()),
        ),
        AnchorErrorCode::AccountNotInitialized,
    );
}
