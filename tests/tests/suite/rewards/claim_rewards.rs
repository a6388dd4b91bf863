//! `claim_rewards`: a recipient wallet's cumulative claim against a final
//! batch past its challenge window, paying the wallet's whole fleet at once
//! against its `RecipientRecord`.

mod forgeries;
mod million;
mod records;

use {
    ::rewards::{error::RewardsError, events::RewardsClaimed, state::PauseScope},
    depin_sdk::{
        accounts::BatchStatus, device_registry, pda, proof_oracle, rewards, Keypair, Signer,
    },
    depin_tests::{
        assert_rewards_error, funded_keypair,
        network::{wallet_batch, Claims, Network, TOKEN},
        poke,
        proof_oracle::{DAY, GENESIS},
    },
    device_registry::state::DeviceStatus,
};

/// One claim pays the member's two devices (300 + 700) together; a second
/// claim of the same leaf pays nothing; a newer batch pays only the
/// difference, and from then on older batches are superseded, even for a
/// wallet that never claimed from them.
#[test]
fn a_wallet_claim_pays_its_whole_fleet_once_and_then_only_what_is_new() {
    let mut claims = Claims::new();
    let member = claims.member.pubkey();
    let claim = claims.member_claim();
    assert_eq!(claim.amount, Claims::MEMBER_AMOUNT);
    claims.send(claim.clone()).unwrap();
    assert_eq!(claims.network.token_balance(&member), Claims::MEMBER_AMOUNT);
    assert_eq!(claims.network.claimed(&member), Claims::MEMBER_AMOUNT);
    claims.network.cluster.next_blockhash();
    assert_rewards_error(claims.send(claim), RewardsError::NothingToClaim);
    assert_eq!(claims.network.token_balance(&member), Claims::MEMBER_AMOUNT);

    // Epoch 2: device 0 earns 150 more for the member; the payee earns
    // nothing new but keeps its 250 in the batch.
    let network = &mut claims.network;
    network.after_epoch(2, 1);
    network.issue(2).unwrap();
    let batch = network.batch(
        2,
        Some(&claims.batch),
        &[(claims.devices[0].pubkey(), 150 * TOKEN)],
    );
    network.finalize(&batch, 2);
    network.after_epoch(2, 2 * 3_600);
    let cranker = claims.cranker.insecure_clone();
    network.claim(&batch, &member, &cranker).unwrap();
    assert_eq!(network.token_balance(&member), 1_150 * TOKEN);
    assert_eq!(network.claimed(&member), 1_150 * TOKEN);

    // Epoch 1's batch is superseded: the payee's leaf there is refused,
    // the same leaf in epoch 2's batch pays.
    let stale = claims.payee_claim();
    assert_rewards_error(claims.send(stale), RewardsError::BatchSuperseded);
    let payee = claims.payee.pubkey();
    claims.network.claim(&batch, &payee, &cranker).unwrap();
    assert_eq!(claims.network.token_balance(&payee), Claims::PAYEE_AMOUNT);
    claims.network.cluster.next_blockhash();
    assert_rewards_error(
        claims.network.claim(&batch, &member, &cranker),
        RewardsError::NothingToClaim,
    );
    let config = claims.network.config();
    assert_eq!(config.device_claimed, 1_150 * TOKEN + Claims::PAYEE_AMOUNT);
    assert_eq!(config.claim_epoch_floor, 2);
    claims.network.assert_invariants();
}

/// Anyone may submit any wallet's claim: the tokens go to the recipient's
/// token account, the submitter pays the fee (and, at the wallet's first
/// claim, the record's rent) and gets nothing; the recipient needs no
/// lamports, not even an account.
#[test]
fn anyone_may_submit_a_wallets_claim_and_the_tokens_go_to_the_recipient() {
    let mut claims = Claims::new();
    let payee = claims.payee.pubkey();
    assert!(claims.network.cluster.account(&payee).is_none());
    let cranker = claims.cranker.pubkey();
    let outcome = claims.send(claims.payee_claim()).unwrap();
    assert_eq!(claims.network.token_balance(&payee), Claims::PAYEE_AMOUNT);
    assert_eq!(claims.network.token_balance(&cranker), 0);
    assert_eq!(claims.network.cluster.balance(&payee), 0);
    let event = &outcome.events::<RewardsClaimed>(&rewards::ID)[0];
    assert_eq!(
        (
            event.recipient,
            event.payer,
            event.batch_epoch,
            event.amount,
            event.total_claimed
        ),
        (
            payee,
            cranker,
            1,
            Claims::PAYEE_AMOUNT,
            Claims::PAYEE_AMOUNT
        )
    );

    // A stranger submits the member's claim: the member's lamports do not
    // move, its tokens arrive.
    let stranger = funded_keypair(&mut claims.network.cluster);
    let member = claims.member.pubkey();
    let lamports = claims.network.cluster.balance(&member);
    claims
        .network
        .send(
            &[rewards::claim_rewards(
                stranger.pubkey(),
                claims.member_claim(),
            )],
            &stranger,
            &[],
        )
        .unwrap();
    assert_eq!(claims.network.token_balance(&member), Claims::MEMBER_AMOUNT);
    assert_eq!(claims.network.cluster.balance(&member), lamports);
    assert_eq!(claims.network.token_balance(&stranger.pubkey()), 0);
    claims.network.assert_invariants();
}

#[test]
fn claims_wait_for_a_final_unchallenged_batch() {
    let mut network = Network::new();
    network.launch();
    let (member, device) = network.member_with_device(10 * TOKEN, 10 * TOKEN);
    let wallet = member.pubkey();
    let cranker = network.treasury_owner.insecure_clone();
    let batch = network.batch(0, None, &[(device.pubkey(), TOKEN)]);
    // One vote of the two needed.
    network.vote(&batch, 0);
    assert_rewards_error(
        network.claim(&batch, &wallet, &cranker),
        RewardsError::BatchNotFinal,
    );
    network.vote(&batch, 1);
    assert_rewards_error(
        network.claim(&batch, &wallet, &cranker),
        RewardsError::BatchInChallengeWindow,
    );
    // The authority vetoes it inside the window.
    let authority = network.authority.pubkey();
    network
        .authority_send(proof_oracle::reject_batch(authority, 0))
        .unwrap();
    network.after_epoch(0, 2 * 3_600);
    assert_rewards_error(
        network.claim(&batch, &wallet, &cranker),
        RewardsError::BatchRejected,
    );
    // An expired batch is not final either.
    network.after_epoch(1, 4 * DAY);
    network.cluster.warp_to_timestamp(GENESIS + 6 * DAY);
    network
        .authority_send(proof_oracle::expire_batch(authority, 1))
        .unwrap();
    let expired = network.batch(1, None, &[(device.pubkey(), TOKEN)]);
    assert_rewards_error(
        network.claim(&expired, &wallet, &cranker),
        RewardsError::BatchNotFinal,
    );
    assert!(network.recipient_record(&wallet).is_none());
    assert_eq!(network.token_balance(&wallet), 0);
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
    let wallet = member.pubkey();
    let cranker = network.treasury_owner.insecure_clone();

    // Two batches made final in the same second: epoch 0 to claim against,
    // epoch 1 to veto.
    network.after_epoch(1, 10);
    let claimed = network.batch(0, None, &[(device.pubkey(), TOKEN)]);
    let vetoed = network.batch(1, Some(&claimed), &[(device.pubkey(), TOKEN)]);
    network.finalize(&claimed, 2);
    network.finalize(&vetoed, 2);
    let finalized_at = network.epoch_batch(0).finalized_at;
    assert_eq!(network.epoch_batch(1).finalized_at, finalized_at);
    let window = network.oracle_config().challenge_window;
    let window_end = finalized_at + window;

    network.cluster.warp_to_timestamp(window_end - 1);
    assert_rewards_error(
        network.claim(&claimed, &wallet, &cranker),
        RewardsError::BatchInChallengeWindow,
    );
    let authority = network.authority.pubkey();
    network
        .authority_send(proof_oracle::reject_batch(authority, 1))
        .unwrap();
    assert_eq!(network.epoch_batch(1).status, BatchStatus::Rejected);

    network.cluster.warp_to_timestamp(window_end);
    network.claim(&claimed, &wallet, &cranker).unwrap();
    assert_eq!(network.token_balance(&wallet), TOKEN);
    assert_eq!(network.claimed(&wallet), TOKEN);
    // The vetoed batch never pays.
    assert_rewards_error(
        network.claim(&vetoed, &wallet, &cranker),
        RewardsError::BatchRejected,
    );
    network.assert_invariants();
}

/// What a wallet was attributed is the wallet's: suspending the devices
/// that earned it, selling one and retiring another do not take it back
/// (claims look at no device).
#[test]
fn a_wallet_keeps_what_its_devices_earned_after_they_are_suspended_sold_or_retired() {
    let mut claims = Claims::new();
    let authority = claims.network.authority.pubkey();
    let member = claims.member.keypair.insecure_clone();
    let devices: Vec<_> = claims.devices.iter().map(Signer::pubkey).collect();
    claims
        .network
        .authority_send(device_registry::set_device_status(
            authority,
            devices[0],
            DeviceStatus::Suspended,
        ))
        .unwrap();
    claims
        .network
        .send(
            &[
                device_registry::transfer_device(
                    member.pubkey(),
                    devices[1],
                    Keypair::new().pubkey(),
                ),
                device_registry::retire_device(member.pubkey(), devices[2]),
            ],
            &member,
            &[],
        )
        .unwrap();
    claims.send(claims.member_claim()).unwrap();
    claims.send(claims.payee_claim()).unwrap();
    assert_eq!(
        claims.network.token_balance(&member.pubkey()),
        Claims::MEMBER_AMOUNT
    );
    assert_eq!(
        claims.network.token_balance(&claims.payee.pubkey()),
        Claims::PAYEE_AMOUNT
    );
    claims.network.assert_invariants();
}

#[test]
fn a_batch_promising_more_than_was_issued_pays_nothing() {
    let mut claims = Claims::new();
    let issued = claims.network.config().device_issued;
    let member = claims.member.pubkey();
    let network = &mut claims.network;
    network.after_epoch(2, 1);
    let greedy = wallet_batch(2, &[(member, issued + 1)]);
    network.finalize(&greedy, 2);
    network.after_epoch(2, 2 * 3_600);
    let cranker = claims.cranker.insecure_clone();
    assert_rewards_error(
        network.claim(&greedy, &member, &cranker),
        RewardsError::BatchExceedsIssuance,
    );
    // At the issuance exactly, it pays.
    network.after_epoch(3, 1);
    let exact = wallet_batch(3, &[(member, issued)]);
    network.finalize(&exact, 2);
    network.after_epoch(3, 2 * 3_600);
    network.claim(&exact, &member, &cranker).unwrap();
    assert_eq!(network.token_balance(&member), issued);
    network.assert_invariants();
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
    let claim = claims.member_claim();
    assert_rewards_error(claims.send(claim), RewardsError::PoolExhausted);
    assert!(claims
        .network
        .recipient_record(&claims.member.pubkey())
        .is_none());
}

/// The `DeviceClaims` pause refuses every wallet's claim, first or not,
/// and creates no record; unpaused, the same claims pay.
#[test]
fn the_device_claims_pause_refuses_wallet_claims() {
    let mut claims = Claims::new();
    claims.send(claims.member_claim()).unwrap();
    let authority = claims.network.authority.pubkey();
    claims
        .network
        .authority_send(rewards::pause(authority, PauseScope::DeviceClaims.bit()))
        .unwrap();
    assert_rewards_error(
        claims.send(claims.payee_claim()),
        RewardsError::DeviceClaimsPaused,
    );
    assert!(claims
        .network
        .recipient_record(&claims.payee.pubkey())
        .is_none());
    // Another pause scope leaves claims alone.
    claims
        .network
        .authority_send(rewards::unpause(authority, PauseScope::DeviceClaims.bit()))
        .unwrap();
    claims
        .network
        .authority_send(rewards::pause(authority, PauseScope::OracleClaims.bit()))
        .unwrap();
    claims.send(claims.payee_claim()).unwrap();
    assert_eq!(
        claims.network.claimed(&claims.payee.pubkey()),
        Claims::PAYEE_AMOUNT
    );
    claims.network.assert_invariants();
}
