//! `reject_batch`: the authority's veto inside the challenge window.

use {
    depin_sdk::{
        accounts::BatchStatus,
        pda,
        proof_oracle::{self, error::OracleError, events::BatchRejected},
        Signer,
    },
    depin_tests::{proof_oracle::*, *},
};

#[test]
fn the_authority_vetoes_inside_the_challenge_window_only() {
    let mut net = OracleNet::epoch_zero_ended(2);
    let authority = net.authority.pubkey();
    assert!(net.cluster.account(&pda::epoch_batch(0).0).is_none());
    net.vote(0, 0, commitment(1)).unwrap();
    assert_oracle_error(
        net.authority_send(proof_oracle::reject_batch(authority, 0)),
        OracleError::BatchNotFinal,
    );
    net.vote(1, 0, commitment(1)).unwrap();
    let window = net.config().challenge_window;
    let batch = net.batch(0);
    assert!(!batch.is_claimable(net.now()));

    // Someone else cannot veto.
    let intruder = net.oracles[2].insecure_clone();
    assert_oracle_error(
        net.cluster.send(
            &[proof_oracle::reject_batch(intruder.pubkey(), 0)],
            &intruder,
            &[],
        ),
        OracleError::NotAuthority,
    );
    let outcome = net
        .authority_send(proof_oracle::reject_batch(authority, 0))
        .unwrap();
    assert_eq!(
        outcome.events::<BatchRejected>(&proof_oracle::ID)[0].commitment,
        commitment(1)
    );
    let batch = net.batch(0);
    assert_eq!(batch.status, BatchStatus::Rejected);
    net.after_epoch(0, 10 + window + 1);
    assert!(!batch.is_claimable(net.now()));
    assert_oracle_error(net.vote(2, 0, commitment(1)), OracleError::BatchRejected);

    // Epoch 1: the window passes without a veto; the batch becomes
    // claimable and can no longer be rejected.
    net.after_epoch(1, 10);
    net.vote(0, 1, commitment(2)).unwrap();
    net.vote(1, 1, commitment(2)).unwrap();
    let finalized_at = net.now();
    net.cluster.warp_to_timestamp(finalized_at + window - 1);
    assert!(!net.batch(1).is_claimable(net.now()));
    net.cluster.warp_to_timestamp(finalized_at + window);
    assert!(net.batch(1).is_claimable(net.now()));
    assert_oracle_error(
        net.authority_send(proof_oracle::reject_batch(authority, 1)),
        OracleError::ChallengeWindowClosed,
    );
}
