//! A challenge-window change never reaches a batch already final.

use {
    crate::security::running,
    ::rewards::error::RewardsError,
    depin_sdk::{
        pda,
        proof_oracle::{self, UpdateOracleParamsArgs},
        Signer,
    },
    depin_tests::{assert_oracle_error, assert_rewards_error, network::TOKEN},
    proof_oracle::error::OracleError,
};

/// A batch's challenge window is fixed when it becomes final: a longer
/// window set afterwards neither reopens the veto nor closes claims; a
/// shorter one neither opens claims early nor cuts the veto short.
#[test]
fn a_challenge_window_change_never_reaches_a_batch_already_final() {
    let (mut network, member, device, batch) = running();
    // `running` ends 2 h after epoch 1; the batch became final 1 s after it.
    let finalized_at = network
        .cluster
        .fetch::<proof_oracle::state::EpochBatch>(&pda::epoch_batch(1).0)
        .unwrap()
        .finalized_at;
    let authority = network.authority.pubkey();
    let window = |seconds| {
        proof_oracle::update_oracle_params(
            authority,
            UpdateOracleParamsArgs {
                challenge_window: Some(seconds),
                ..Default::default()
            },
        )
    };
    network.authority_send(window(4 * 3_600)).unwrap();
    assert_oracle_error(
        network.authority_send(proof_oracle::reject_batch(authority, 1)),
        OracleError::ChallengeWindowClosed,
    );
    let cranker = network.treasury_owner.insecure_clone();
    network.claim(&batch, &member.pubkey(), &cranker).unwrap();

    // Epoch 2 becomes final under a one-hour window, which then shrinks to
    // a minute: claims still wait the hour, and the veto still holds.
    network.authority_send(window(3_600)).unwrap();
    network.after_epoch(2, 1);
    network.issue(2).unwrap();
    let batch2 = network.batch(2, Some(&batch), &[(device.pubkey(), 10 * TOKEN)]);
    network.finalize(&batch2, 2);
    let final_at = network.now();
    network.authority_send(window(60)).unwrap();
    network.cluster.warp_to_timestamp(final_at + 61);
    assert_rewards_error(
        network.claim(&batch2, &member.pubkey(), &cranker),
        RewardsError::BatchInChallengeWindow,
    );
    network.cluster.warp_to_timestamp(final_at + 3_599);
    network
        .authority_send(proof_oracle::reject_batch(authority, 2))
        .unwrap();
    assert!(finalized_at > 0);
    network.assert_invariants();
}
