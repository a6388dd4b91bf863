//! The network's lookup table through the SDK: created, extended and frozen
//! by the real lookup-table program, refused when it is not the network's,
//! and what lets a claim of a 1,000,000-wallet batch go out as one
//! version-0 transaction; payouts share transactions.

mod common;

use {
    common::{final_batch, network, Over},
    depin_client::backend::BackendExt,
    depin_sdk::{lookup_table, pda, Keypair, Pubkey, SdkError, Signer},
};

on_both_backends!(
    the_network_table_is_created_frozen_and_checked_over,
    the_network_table_is_created_frozen_and_checked,
    the_network_table_is_created_frozen_and_checked_over_depin_localnet
);

fn the_network_table_is_created_frozen_and_checked_over(over: Over) {
    let (mut client, _node) = network(over);
    assert!(client.lookup_tables().unwrap().is_empty(), "none yet");
    let (table, created) = client.create_network_lookup_table().unwrap();
    assert!(created);
    let account = client.backend().account(&table).unwrap().unwrap();
    let checked = lookup_table::check(table, &account.owner, &account.data).unwrap();
    assert_eq!(checked.addresses, lookup_table::network_addresses());
    // The embedded state remembers it; a cluster keeps nothing (users pass
    // it with `--lookup-table`).
    let remembered = match over {
        Over::Embedded => Some(table),
        Over::Localnet => None,
    };
    assert_eq!(client.backend().lookup_table(), remembered);
    // A second call finds it instead of creating another.
    assert_eq!(
        client.create_network_lookup_table().unwrap(),
        (table, false)
    );

    // Not a table, a table of other addresses, a table still mutable.
    let refused = client
        .use_lookup_table(pda::rewards_config().0)
        .unwrap_err();
    assert!(
        refused.to_string().contains("not an address lookup table"),
        "{refused}"
    );
    let payer = client.address();
    let slot = client.backend().clock().unwrap().slot;
    let (create, other) = lookup_table::create(payer, payer, slot);
    client.send(&[create], &[]).unwrap();
    client
        .send(
            &[lookup_table::extend(
                other,
                payer,
                payer,
                vec![Pubkey::new_unique()],
            )],
            &[],
        )
        .unwrap();
    let refused = client.use_lookup_table(other).unwrap_err();
    assert!(refused.to_string().contains("not frozen"), "{refused}");
    client
        .send(&[lookup_table::freeze(other, payer)], &[])
        .unwrap();
    let refused = client.use_lookup_table(other).unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("does not hold the network's addresses"),
        "{refused}"
    );
    let missing = client.use_lookup_table(Pubkey::new_unique()).unwrap_err();
    assert!(missing.to_string().contains("does not exist"), "{missing}");
}

on_both_backends!(
    a_claim_of_a_million_wallet_batch_is_one_v0_transaction_over,
    a_claim_of_a_million_wallet_batch_is_one_v0_transaction,
    a_claim_of_a_million_wallet_batch_is_one_v0_transaction_over_depin_localnet
);

fn a_claim_of_a_million_wallet_batch_is_one_v0_transaction_over(over: Over) {
    let (mut client, _node) = network(over);
    let wallet = Keypair::new().pubkey();
    // The wallet's leaf first: index 0 has the full 20-entry proof.
    let mut wallets = vec![(wallet, 1_000)];
    wallets.extend((1..1_000_000u32).map(|index| {
        let mut key = [0u8; 32];
        key[..4].copy_from_slice(&index.to_le_bytes());
        key[31] = 1;
        (Pubkey::new_from_array(key), 1)
    }));
    let batch = final_batch(&mut client, &wallets);

    // Without the table the claim cannot fit, and nothing is sent.
    let refused = client.claim_rewards(&batch, Some(wallet)).unwrap_err();
    assert!(
        matches!(&refused, SdkError::Input(text) if text.contains("network create-lookup-table")),
        "{refused}"
    );
    assert!(client
        .backend()
        .account(&depin_sdk::rewards::token_account(&wallet))
        .unwrap()
        .is_none());

    client.create_network_lookup_table().unwrap();
    let report = client.claim_rewards(&batch, Some(wallet)).unwrap();
    // The token account and the claim in one version-0 transaction: the
    // table names every shared account in a byte.
    assert_eq!(report.transactions, 1);
    assert_eq!(report.paid, vec![(wallet, 1_000)]);
    assert_eq!(
        client
            .backend()
            .token_balance(&depin_sdk::rewards::token_account(&wallet))
            .unwrap(),
        1_000
    );
}

on_both_backends!(
    payouts_share_transactions_through_the_table_over,
    payouts_share_transactions_through_the_table,
    payouts_share_transactions_through_the_table_over_depin_localnet
);

fn payouts_share_transactions_through_the_table_over(over: Over) {
    let (mut client, _node) = network(over);
    client.create_network_lookup_table().unwrap();
    let wallets: Vec<(Pubkey, u64)> = (0..40)
        .map(|index| (Keypair::new().pubkey(), 100 + index))
        .collect();
    let batch = final_batch(&mut client, &wallets);
    let report = client.distribute_rewards(&batch, &mut |_, _| {}).unwrap();
    assert_eq!(report.paid.len(), 40);
    // Token accounts several per transaction, then claims several per
    // transaction: fewer transactions than wallets.
    assert!(
        report.transactions < 40,
        "{} transactions for 40 wallets",
        report.transactions
    );
    for (wallet, amount) in &wallets {
        assert_eq!(
            client
                .backend()
                .token_balance(&depin_sdk::rewards::token_account(wallet))
                .unwrap(),
            *amount
        );
    }
    // A rerun pays nobody twice.
    let again = client.distribute_rewards(&batch, &mut |_, _| {}).unwrap();
    assert!(again.paid.is_empty());
    assert_eq!(again.transactions, 0);
}

on_both_backends!(
    devices_register_several_per_transaction_each_signing_its_own_over,
    devices_register_several_per_transaction_each_signing_its_own,
    devices_register_several_per_transaction_each_signing_its_own_over_depin_localnet
);

fn devices_register_several_per_transaction_each_signing_its_own_over(over: Over) {
    let (mut client, _node) = network(over);
    client.create_network_lookup_table().unwrap();
    let owner = client.address();
    let tokens = depin_sdk::rewards::tokens_for_data_credits(40_000 * 30, 500_000, 100, 6).unwrap();
    client.treasury_grant(&owner, tokens).unwrap();
    client.mint_data_credits(tokens).unwrap();
    let keys: Vec<Keypair> = (0..30).map(|_| Keypair::new()).collect();
    fn entries(keys: &[Keypair]) -> Vec<depin_client::DeviceToRegister<'_>> {
        keys.iter()
            .enumerate()
            .map(|(index, device)| depin_client::DeviceToRegister {
                device,
                class: if index % 2 == 0 {
                    "lora-sensor"
                } else {
                    "wifi-indoor"
                },
                maker: None,
                location: None,
                metadata: vec![index as u8],
            })
            .collect()
    }

    // Refused before anything is sent: an unknown class, a device listed
    // twice, more fees than credits.
    let mut unknown = entries(&keys[..3]);
    unknown[2].class = "teleporter";
    let refused = client
        .register_devices(&unknown, &mut |_, _| {})
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("entry 3: unknown device class"),
        "{refused}"
    );
    let mut twice = entries(&keys[..3]);
    twice[2].device = &keys[0];
    let refused = client.register_devices(&twice, &mut |_, _| {}).unwrap_err();
    assert!(refused.to_string().contains("listed twice"), "{refused}");
    let many: Vec<Keypair> = (0..100).map(|_| Keypair::new()).collect();
    let mut expensive = entries(&many);
    for entry in &mut expensive {
        entry.class = "5g-outdoor";
    }
    let refused = client
        .register_devices(&expensive, &mut |_, _| {})
        .unwrap_err();
    assert!(
        refused.to_string().contains("insufficient data credits"),
        "{refused}"
    );
    assert_eq!(
        client.devices_of(&owner).unwrap().len(),
        0,
        "nothing was sent"
    );

    let mut seen = Vec::new();
    let outcomes = client
        .register_devices(&entries(&keys), &mut |done, total| seen.push((done, total)))
        .unwrap();
    assert!(
        outcomes.len() < 30,
        "{} transactions for 30 devices",
        outcomes.len()
    );
    assert_eq!(seen.last(), Some(&(30, 30)));
    let devices = client.devices_of(&owner).unwrap();
    assert_eq!(devices.len(), 30);
    for (index, key) in keys.iter().enumerate() {
        let device = client.device(&key.pubkey()).unwrap();
        assert_eq!(device.metadata[0], index as u8);
    }
    // Once registered, a device is refused by name.
    let refused = client
        .register_devices(&entries(&keys[5..6]), &mut |_, _| {})
        .unwrap_err();
    assert!(
        refused.to_string().contains("already registered (entry 1)"),
        "{refused}"
    );
}
