//! `expire_batch`: after the finality deadline, never a final batch.

use {
    depin_sdk::{
        accounts::BatchStatus,
        proof_oracle::{self, error::OracleError, events::*},
        Signer,
    },
    depin_tests::{proof_oracle::*, *},
};

#[test]
fn batches_expire_after_the_deadline_so_epochs_never_block() {
    let mut net = OracleNet::new(3, 2);
    let payer = net.authority.insecure_clone();
    let deadline = net.config().finality_deadline;
    net.after_epoch(0, deadline);
    assert_oracle_error(
        net.cluster.send(
            &[proof_oracle::expire_batch(payer.pubkey(), 0)],
            &payer,
            &[],
        ),
        OracleError::DeadlineNotPassed,
    );
    net.vote(0, 0, commitment(1)).unwrap();
    net.after_epoch(0, deadline + 1);
    assert_oracle_error(net.vote(1, 0, commitment(1)), OracleError::DeadlinePassed);
    let outcome = net
        .cluster
        .send(
            &[proof_oracle::expire_batch(payer.pubkey(), 0)],
            &payer,
            &[],
        )
        .unwrap();
    assert_eq!(
        outcome.events::<BatchExpired>(&proof_oracle::ID)[0].epoch,
        0
    );
    let batch = net.batch(0);
    assert_eq!(batch.status, BatchStatus::Expired);
    // Expiring did not wipe the recorded vote (no re-initialization).
    assert_eq!(batch.votes.len(), 1);
    assert_oracle_error(
        net.cluster.send(
            &[proof_oracle::expire_batch(payer.pubkey(), 0)],
            &payer,
            &[],
        ),
        OracleError::BatchExpired,
    );

    // An epoch nobody voted on expires too, creating its account.
    net.after_epoch(1, deadline + 1);
    net.cluster
        .send(
            &[proof_oracle::expire_batch(payer.pubkey(), 1)],
            &payer,
            &[],
        )
        .unwrap();
    let batch = net.batch(1);
    assert_eq!((batch.status, batch.epoch), (BatchStatus::Expired, 1));
}

#[test]
fn final_batches_cannot_be_expired() {
    let mut net = OracleNet::with_two_votes(2);
    let deadline = net.config().finality_deadline;
    net.after_epoch(0, deadline + 1);
    let payer = net.authority.insecure_clone();
    assert_oracle_error(
        net.cluster.send(
            &[proof_oracle::expire_batch(payer.pubkey(), 0)],
            &payer,
            &[],
        ),
        OracleError::BatchAlreadyFinal,
    );
}
