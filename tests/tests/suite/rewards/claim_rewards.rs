//! `claim_rewards`: cumulative claims against a final batch past its
//! challenge window.

mod forgeries;

use {
    ::rewards::error::RewardsError,
    depin_sdk::{
        accounts::BatchStatus, batch::BatchFile, device_registry, pda, proof_oracle, rewards,
        Signer,
    },
    depin_tests::{
        assert_rewards_error,
        network::{leaves, Claims, Network, TOKEN},
        poke,
        proof_oracle::{DAY, GENESIS},
    },
    device_registry::state::DeviceStatus,
};

#[test]
fn a_claim_pays_once_and_then_only_what_is_new() {
    let mut claims = Claims::new();
    let claim = claims.claim_of(0);
    claims.send(claim.clone()).unwrap();
    claims.network.cluster.next_blockhash();
    assert_rewards_error(claims.send(claim), RewardsError::NothingToClaim);
    assert_eq!(
        claims.network.token_balance(&claims.member.pubkey()),
        300 * TOKEN
    );
    // A fleet claim: both devices' claims in one transaction pay only the
    // second device now.
    let fleet = [claims.claim_of(0), claims.claim_of(1)];
    let cranker = claims.cranker.insecure_clone();
    assert_rewards_error(
        claims
            .network
            .send(&fleet.clone().map(rewards::claim_rewards), &cranker, &[]),
        RewardsError::NothingToClaim,
    );
    claims
        .network
        .send(&[rewards::claim_rewards(fleet[1].clone())], &cranker, &[])
        .unwrap();
    assert_eq!(
        claims.network.token_balance(&claims.member.pubkey()),
        1_000 * TOKEN
    );

    // Epoch 2 raises device 0 to 450: it gets the 150 difference.
    let network = &mut claims.network;
    network.after_epoch(2, 1);
    network.issue(2).unwrap();
    let amounts = [
        (claims.devices[0].pubkey(), 450 * TOKEN),
        (claims.devices[1].pubkey(), 700 * TOKEN),
    ];
    let batch = BatchFile::new(2, leaves(network, &amounts)).unwrap();
    network.finalize(&batch, 2);
    network.after_epoch(2, 2 * 3_600);
    network
        .claim(&batch, &claims.devices[0].pubkey(), &cranker)
        .unwrap();
    assert_eq!(
        network.token_balance(&claims.member.pubkey()),
        1_150 * TOKEN
    );
    // The older batch is superseded.
    claims.batch = batch;
    let old = BatchFile::new(
        1,
        leaves(
            &claims.network,
            &[
                (claims.devices[0].pubkey(), 300 * TOKEN),
                (claims.devices[1].pubkey(), 700 * TOKEN),
            ],
        ),
    )
    .unwrap();
    let stale = rewards::claim_from_batch(
        &old,
        &claims.devices[1].pubkey(),
        claims.member.token_account(),
    )
    .unwrap();
    assert_rewards_error(claims.send(stale), RewardsError::BatchSuperseded);
    claims.network.assert_invariants();
}

#[test]
fn several_devices_claim_in_one_transaction() {
    let mut claims = Claims::new();
    let fleet = [claims.claim_of(0), claims.claim_of(1)];
    let cranker = claims.cranker.insecure_clone();
    claims
        .network
        .send(&fleet.map(rewards::claim_rewards), &cranker, &[])
        .unwrap();
    assert_eq!(
        claims.network.token_balance(&claims.member.pubkey()),
        1_000 * TOKEN
    );
    claims.network.assert_invariants();
}

#[test]
fn claims_wait_for_a_final_unchallenged_batch() {
    let mut network = Network::new();
    network.launch();
    let (_, device) = network.member_with_device(10 * TOKEN, 10 * TOKEN);
    let cranker = network.treasury_owner.insecure_clone();
    let batch = BatchFile::new(0, leaves(&network, &[(device.pubkey(), TOKEN)])).unwrap();
    // One vote of the two needed.
    network.vote(&batch, 0);
    assert_rewards_error(
        network.claim(&batch, &device.pubkey(), &cranker),
        RewardsError::BatchNotFinal,
    );
    network.vote(&batch, 1);
    assert_rewards_error(
        network.claim(&batch, &device.pubkey(), &cranker),
        RewardsError::BatchInChallengeWindow,
    );
    // The authority vetoes it inside the window.
    let authority = network.authority.pubkey();
    network
        .authority_send(proof_oracle::reject_batch(authority, 0))
        .unwrap();
    network.after_epoch(0, 2 * 3_600);
    assert_rewards_error(
        network.claim(&batch, &device.pubkey(), &cranker),
        RewardsError::BatchRejected,
    );
    // An expired batch is not final either.
    network.after_epoch(1, 4 * DAY);
    network.cluster.warp_to_timestamp(GENESIS + 6 * DAY);
    network
        .authority_send(proof_oracle::expire_batch(authority, 1))
        .unwrap();
    let expired = BatchFile::new(1, leaves(&network, &[(device.pubkey(), TOKEN)])).unwrap();
    assert_rewards_error(
        network.claim(&expired, &device.pubkey(), &cranker),
        RewardsError::BatchNotFinal,
    );
}

/// Claims open at `finalized_at + challenge_window` exactly and are
/// refused one second earlier with `BatchInChallengeWindow`, the last
/// second in which the authority can still veto (the veto's closing edge
/// is pinned in the oracle tests).
#[test]
fn claims_open_at_the_exact_end_of_the_challenge_window() {
    let mut network = Network::new();
    network.launch();
    let (member, device) = network.member_with_device(10 * TOKEN, 10 * TOKEN);
    let cranker = network.treasury_owner.insecure_clone();

    // Two batches made final in the same second: epoch 0 to claim against,
    // epoch 1 to veto.
    network.after_epoch(1, 10);
    let claimed = BatchFile::new(0, leaves(&network, &[(device.pubkey(), TOKEN)])).unwrap();
    let vetoed = BatchFile::new(1, leaves(&network, &[(device.pubkey(), 2 * TOKEN)])).unwrap();
    network.finalize(&claimed, 2);
    network.finalize(&vetoed, 2);
    let finalized_at = network.epoch_batch(0).finalized_at;
    assert_eq!(network.epoch_batch(1).finalized_at, finalized_at);
    let window = network.oracle_config().challenge_window;
    let window_end = finalized_at + window;

    network.cluster.warp_to_timestamp(window_end - 1);
    assert_rewards_error(
        network.claim(&claimed, &device.pubkey(), &cranker),
        RewardsError::BatchInChallengeWindow,
    );
    let authority = network.authority.pubkey();
    network
        .authority_send(proof_oracle::reject_batch(authority, 1))
        .unwrap();
    assert_eq!(network.epoch_batch(1).status, BatchStatus::Rejected);

    network.cluster.warp_to_timestamp(window_end);
    network.claim(&claimed, &device.pubkey(), &cranker).unwrap();
    assert_eq!(network.token_balance(&member.pubkey()), TOKEN);
    assert_eq!(network.device(&device.pubkey()).rewards_claimed, TOKEN);
    network.assert_invariants();
}

#[test]
fn suspended_devices_cannot_claim() {
    let mut claims = Claims::new();
    let authority = claims.network.authority.pubkey();
    let device = claims.devices[0].pubkey();
    claims
        .network
        .authority_send(device_registry::set_device_status(
            authority,
            device,
            DeviceStatus::Suspended,
        ))
        .unwrap();
    let claim = claims.claim_of(0);
    assert_rewards_error(claims.send(claim), RewardsError::DeviceSuspended);
}

#[test]
fn a_batch_promising_more_than_was_issued_pays_nothing() {
    let mut claims = Claims::new();
    let issued = claims.network.config().device_issued;
    let network = &mut claims.network;
    network.after_epoch(2, 1);
    let greedy = BatchFile::new(
        2,
        leaves(network, &[(claims.devices[0].pubkey(), issued + 1)]),
    )
    .unwrap();
    network.finalize(&greedy, 2);
    network.after_epoch(2, 2 * 3_600);
    let cranker = claims.cranker.insecure_clone();
    assert_rewards_error(
        network.claim(&greedy, &claims.devices[0].pubkey(), &cranker),
        RewardsError::BatchExceedsIssuance,
    );
}

#[test]
fn claims_at_maximum_amounts_fail_cleanly() {
    let mut claims = Claims::new();
    let config = pda::rewards_config().0;
    // Pretend the pool has paid out all but one token unit.
    poke(
        &mut claims.network.cluster,
        &config,
        |config: &mut rewards::RewardsConfig| {
            config.device_claimed = config.device_issued - 1;
        },
    );
    let claim = claims.claim_of(0);
    assert_rewards_error(claims.send(claim), RewardsError::PoolExhausted);
}
