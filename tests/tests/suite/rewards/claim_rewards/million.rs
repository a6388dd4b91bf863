//! A wallet of a 1,000,000-wallet batch is paid in one transaction: the
//! 20-entry proof is too long for a legacy transaction, so the claim goes
//! as version 0 with the accounts every claim shares in an address lookup
//! table, and the program pays it like any other.

use {
    depin_sdk::{rewards, txsize, Keypair, Pubkey, Signer, MAX_TRANSACTION_SIZE},
    depin_tests::network::{wallet_batch, Network},
    solana_account::Account,
    solana_address_lookup_table_interface::state::{AddressLookupTable, LookupTableMeta},
    solana_message::{v0, AddressLookupTableAccount, VersionedMessage},
    solana_transaction::versioned::VersionedTransaction,
    std::borrow::Cow,
};

#[test]
fn a_wallet_of_a_million_wallet_batch_is_paid_in_one_v0_transaction() {
    let mut network = Network::new();
    network.launch();
    let wallet = Keypair::new();
    // The wallet's leaf first: index 0 has the full 20-entry proof.
    let mut amounts = vec![(wallet.pubkey(), 1_000)];
    amounts.extend((1..1_000_000u32).map(|index| {
        let mut key = [0u8; 32];
        key[..4].copy_from_slice(&index.to_le_bytes());
        key[31] = 1;
        (Pubkey::new_from_array(key), 1)
    }));
    let batch = wallet_batch(0, &amounts);
    network.finalize(&batch, 2);
    network.warp(3_601);

    let payer = Keypair::new();
    network
        .cluster
        .airdrop(&payer.pubkey(), 1_000_000_000)
        .unwrap();
    let claim = rewards::claim_from_batch(&batch, &wallet.pubkey()).unwrap();
    assert_eq!(claim.proof.len(), 20);
    let instructions = rewards::claim_rewards_with_account(payer.pubkey(), claim);
    assert!(txsize::legacy_size(&payer.pubkey(), &instructions) > MAX_TRANSACTION_SIZE);

    // The lookup table a payout crank would create and extend for the
    // batch, written in place (its program's own checks are not under test).
    let table_key = Pubkey::new_unique();
    let addresses = rewards::claim_shared_accounts(0);
    let table = AddressLookupTable {
        meta: LookupTableMeta::new(payer.pubkey()),
        addresses: Cow::Owned(addresses.clone()),
    };
    let data = table.serialize_for_tests().unwrap();
    let rent = network.cluster.rent().minimum_balance(data.len());
    network
        .cluster
        .svm_mut()
        .set_account(
            table_key,
            Account {
                lamports: rent,
                data,
                owner: solana_address_lookup_table_interface::program::ID,
                executable: false,
                rent_epoch: 0,
            },
        )
        .unwrap();
    let lookup = AddressLookupTableAccount {
        key: table_key,
        addresses,
    };
    let message = v0::Message::try_compile(
        &payer.pubkey(),
        &instructions,
        std::slice::from_ref(&lookup),
        network.cluster.svm().latest_blockhash(),
    )
    .unwrap();
    let transaction =
        VersionedTransaction::try_new(VersionedMessage::V0(message), &[&payer]).unwrap();
    let size = bincode::serialize(&transaction).unwrap().len();
    assert!(size <= MAX_TRANSACTION_SIZE, "{size} bytes");

    let before = network.config().device_claimed;
    network
        .cluster
        .svm_mut()
        .send_transaction(transaction)
        .unwrap_or_else(|failed| panic!("{:?}\n{:#?}", failed.err, failed.meta.logs));
    assert_eq!(network.token_balance(&wallet.pubkey()), 1_000);
    assert_eq!(network.claimed(&wallet.pubkey()), 1_000);
    assert_eq!(network.config().device_claimed, before + 1_000);
}
