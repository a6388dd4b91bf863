//! The economy end to end: tokens to credits to devices to wallet claims,
//! rewards following each device's recipient from epoch to epoch, and burns
//! outside the programs across the supply cap.

use {
    ::rewards::error::RewardsError,
    depin_sdk::{rewards::UsagePurpose, Keypair, Signer},
    depin_tests::{
        assert_rewards_error,
        network::{Network, PRICE, TOKEN},
        OPEN_ONBOARDING_FEE,
    },
};

#[test]
fn the_economy_runs_from_tokens_to_credits_to_devices_to_claims() {
    let mut network = Network::new();
    network.after_epoch(0, 1);
    network.issue(0).unwrap();

    // A member buys credits with tokens from the treasury.
    let member = network.member();
    network.fund_tokens(&member.pubkey(), 100 * TOKEN);
    network.submit_price(PRICE);
    network.buy_dc(&member, 10 * TOKEN).unwrap();
    // $2 × 0.99 per token → 10 tokens buy $19.80 = 1,980,000 DC.
    assert_eq!(network.dc_balance(&member.pubkey()), 1_980_000);
    assert_eq!(network.token_balance(&member.pubkey()), 90 * TOKEN);

    // Credits pay the onboarding fee and network usage.
    let device = Keypair::new();
    network.register(&member, &device).unwrap();
    network
        .spend_dc(&member, 1_000, UsagePurpose::DataTransfer)
        .unwrap();
    assert_eq!(
        network.dc_balance(&member.pubkey()),
        1_980_000 - OPEN_ONBOARDING_FEE - 1_000
    );

    // Epoch 1's batch pays the device's owner.
    network.after_epoch(1, 1);
    network.issue(1).unwrap();
    let batch = network.batch(1, None, &[(device.pubkey(), 500 * TOKEN)]);
    network.finalize(&batch, 2);
    network.after_epoch(1, 2 * 3_600);
    let cranker = Keypair::new();
    network
        .cluster
        .airdrop(&cranker.pubkey(), depin_tests::SOL)
        .unwrap();
    network.claim(&batch, &member.pubkey(), &cranker).unwrap();
    assert_eq!(network.token_balance(&member.pubkey()), 590 * TOKEN);
    assert_eq!(network.claimed(&member.pubkey()), 500 * TOKEN);

    // Burned tokens come back as net emission in a later epoch.
    network.after_epoch(2, 1);
    network.issue(2).unwrap();
    let issued = network.epoch_rewards(2);
    assert!(issued.reemission > 0, "burned tokens are re-emitted");
    network.assert_invariants();
}

const MAX_SUPPLY: u64 = 1_500_000 * TOKEN;

/// Holders burn tokens and credits through the token programs (1 base unit
/// each, then more) before the cap, at it and across it: issuance, claims,
/// credit purchases, registrations and usage keep working, the cap binds
/// the ledger and the supply, and every invariant holds.
#[test]
fn burns_outside_the_programs_never_break_issuance_claims_or_purchases() {
    let mut network = Network::with_rewards(|args| args.max_supply = Some(MAX_SUPPLY));
    network.launch();
    let (member, device) = network.member_with_device(100 * TOKEN, 50 * TOKEN);
    // Before the cap: one base unit of each.
    network.burn_directly(&member, 1, 1).unwrap();
    network.assert_invariants();

    // Across the cap: epoch 1 would issue 1,000,000 but only the ledger's
    // room under the cap is minted; the direct burn opens no room.
    network.after_epoch(1, 1);
    network.issue(1).unwrap();
    let config = network.config();
    assert_eq!(config.tokens_minted - config.tokens_burned, MAX_SUPPLY);
    assert_eq!(network.token_supply(), MAX_SUPPLY - 1);
    network.assert_invariants();

    // A claim against epoch 1 pays.
    let batch = network.batch(1, None, &[(device.pubkey(), 10 * TOKEN)]);
    network.finalize(&batch, 2);
    network.after_epoch(1, 2 * 3_600);
    let cranker = network.treasury_owner.insecure_clone();
    let before = network.token_balance(&member.pubkey());
    network.claim(&batch, &member.pubkey(), &cranker).unwrap();
    assert_eq!(network.token_balance(&member.pubkey()), before + 10 * TOKEN);

    // At the cap: more direct burns, then an issuance of nothing succeeds.
    network.burn_directly(&member, 5 * TOKEN, 1_000).unwrap();
    network.after_epoch(2, 1);
    network.issue(2).unwrap();
    assert_eq!(network.epoch_rewards(2).emission, 0);
    assert_eq!(network.epoch_rewards(2).reemission, 0);
    network.assert_invariants();

    // Credits bought at the cap burn tokens through the program: that room
    // is issued again in the next epoch, up to the cap and no further.
    network.submit_price(PRICE);
    network.buy_dc(&member, 20 * TOKEN).unwrap();
    let burned_for_credits = network.config().tokens_burned - config.tokens_burned;
    assert!(burned_for_credits > 0);
    network.spend_dc(&member, 1, UsagePurpose::Storage).unwrap();
    network.register(&member, &Keypair::new()).unwrap();
    network.after_epoch(3, 1);
    network.issue(3).unwrap();
    let epoch3 = network.epoch_rewards(3);
    assert_eq!(epoch3.emission + epoch3.reemission, burned_for_credits);
    let config = network.config();
    assert_eq!(config.tokens_minted - config.tokens_burned, MAX_SUPPLY);
    assert!(network.token_supply() < MAX_SUPPLY);
    network.assert_invariants();
}

/// Each epoch's device rewards go to the recipient the registry records
/// when the oracles close the epoch: the owner, then the payout wallet the
/// owner named, then the buyer after a sale. Each wallet's leaf carries its
/// total forward, so every wallet claims everything from the newest batch,
/// in one claim, whoever sends it.
#[test]
fn device_rewards_follow_the_recipient_recorded_when_each_epoch_closes() {
    let mut network = Network::new();
    network.launch();
    let (seller, device) = network.member_with_device(10 * TOKEN, 10 * TOKEN);
    let buyer = network.member();
    let payout = Keypair::new().pubkey();
    let key = device.pubkey();
    let mut batches: Vec<depin_sdk::batch::BatchFile> = Vec::new();
    for epoch in 1..=3 {
        match epoch {
            2 => drop(network.set_recipient(&seller, &key, &payout).unwrap()),
            3 => drop(
                network
                    .send_as(
                        &seller,
                        depin_sdk::device_registry::transfer_device(
                            seller.pubkey(),
                            key,
                            buyer.pubkey(),
                        ),
                    )
                    .unwrap(),
            ),
            _ => {}
        }
        network.after_epoch(epoch, 1);
        network.issue(epoch).unwrap();
        let batch = network.batch(epoch, batches.last(), &[(key, epoch * TOKEN)]);
        network.finalize(&batch, 2);
        batches.push(batch);
    }
    let newest = batches.last().unwrap();
    network.after_epoch(3, 2 * 3_600);
    let cranker = network.treasury_owner.insecure_clone();
    let seller_before = network.token_balance(&seller.pubkey());
    for (wallet, earned) in [
        (seller.pubkey(), TOKEN),
        (payout, 2 * TOKEN),
        (buyer.pubkey(), 3 * TOKEN),
    ] {
        assert_eq!(newest.proof_for(&wallet).unwrap().1.amount, earned);
        network.claim(newest, &wallet, &cranker).unwrap();
        assert_eq!(network.claimed(&wallet), earned);
    }
    assert_eq!(
        network.token_balance(&seller.pubkey()),
        seller_before + TOKEN
    );
    assert_eq!(network.token_balance(&payout), 2 * TOKEN);
    assert_eq!(network.token_balance(&buyer.pubkey()), 3 * TOKEN);
    // The seller's first batch (epoch 1) is superseded now.
    network.cluster.next_blockhash();
    assert_rewards_error(
        network.claim(&batches[0], &seller.pubkey(), &cranker),
        RewardsError::BatchSuperseded,
    );
    network.assert_invariants();
}
