//! Rewards: issuance, burn-and-mint, claims — happy paths.

use {
    depin_sdk::{batch::BatchFile, pda, rewards::UsagePurpose, Keypair, Signer},
    depin_tests::{
        network::{leaves, Network, PRICE, TOKEN},
        OPEN_ONBOARDING_FEE,
    },
};

#[test]
fn an_epoch_issues_its_schedule_split_three_ways() {
    let mut network = Network::new();
    network.after_epoch(0, 1);
    network.issue(0).unwrap();
    let issued = network.epoch_rewards(0);
    assert_eq!(issued.emission, 1_000_000 * TOKEN);
    assert_eq!(issued.reemission, 0);
    assert_eq!(issued.devices, 750_000 * TOKEN);
    assert_eq!(issued.oracles, 50_000 * TOKEN);
    assert_eq!(issued.treasury, 200_000 * TOKEN);
    assert_eq!(network.token_supply(), 1_000_000 * TOKEN);
    assert_eq!(
        network.cluster.token_balance(&pda::treasury().0),
        200_000 * TOKEN
    );
    assert_eq!(network.config().next_epoch, 1);
    network.assert_invariants();
}

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

    // Epoch 1's batch pays the device.
    network.after_epoch(1, 1);
    network.issue(1).unwrap();
    let batch = BatchFile::new(1, leaves(&network, &[(device.pubkey(), 500 * TOKEN)])).unwrap();
    network.finalize(&batch, 2);
    network.after_epoch(1, 2 * 3_600);
    let cranker = Keypair::new();
    network
        .cluster
        .airdrop(&cranker.pubkey(), depin_tests::SOL)
        .unwrap();
    network.claim(&batch, &device.pubkey(), &cranker).unwrap();
    assert_eq!(network.token_balance(&member.pubkey()), 590 * TOKEN);
    assert_eq!(
        network.device(&device.pubkey()).rewards_claimed,
        500 * TOKEN
    );

    // Burned tokens come back as net emission in a later epoch.
    network.after_epoch(2, 1);
    network.issue(2).unwrap();
    let issued = network.epoch_rewards(2);
    assert!(issued.reemission > 0, "burned tokens are re-emitted");
    network.assert_invariants();
}
