//! `finalize_batch`: a recount under the current quorum, up to the deadline
//! second, on its own epoch's batch.

use {
    depin_sdk::{
        accounts::BatchStatus,
        pda,
        proof_oracle::{self, error::OracleError, events::BatchFinalized},
        Signer,
    },
    depin_tests::{
        assert_oracle_error, assert_substitute_refused,
        proof_oracle::{commitment, OracleNet},
    },
};

#[test]
fn finalize_recounts_after_the_quorum_changes() {
    let mut net = OracleNet::with_two_votes(3);
    let payer = net.authority.insecure_clone();
    assert_oracle_error(
        net.cluster
            .send(&[proof_oracle::finalize_batch(0)], &payer, &[]),
        OracleError::QuorumNotReached,
    );
    let keys = net.oracle_keys();
    net.set_oracles(keys, 2).unwrap();
    let outcome = net
        .cluster
        .send(&[proof_oracle::finalize_batch(0)], &payer, &[])
        .unwrap();
    assert_eq!(
        outcome.events::<BatchFinalized>(&proof_oracle::ID)[0].votes,
        2
    );
    assert_eq!(net.batch(0).status, BatchStatus::Final);
    assert_oracle_error(
        net.cluster
            .send(&[proof_oracle::finalize_batch(0)], &payer, &[]),
        OracleError::BatchAlreadyFinal,
    );
}

/// `finalize_batch` has the same inclusive deadline as votes: at
/// `epoch_end + finality_deadline` it makes a batch final, one second later
/// it is `DeadlinePassed` (and the batch can only expire).
#[test]
fn finalize_batch_works_through_the_deadline_second_and_not_after() {
    let mut net = OracleNet::new(3, 3);
    let payer = net.authority.insecure_clone();
    // Two of three votes on epochs 0 and 1: pending under quorum 3.
    net.after_epoch(1, 10);
    for epoch in [0, 1] {
        net.vote(0, epoch, commitment(1)).unwrap();
        net.vote(1, epoch, commitment(1)).unwrap();
        assert_eq!(net.batch(epoch).status, BatchStatus::Pending);
    }
    net.set_oracles(net.oracle_keys(), 2).unwrap();
    let deadline = net.config().finality_deadline;

    net.after_epoch(0, deadline + 1);
    assert_oracle_error(
        net.cluster
            .send(&[proof_oracle::finalize_batch(0)], &payer, &[]),
        OracleError::DeadlinePassed,
    );
    assert_eq!(net.batch(0).status, BatchStatus::Pending);

    net.after_epoch(1, deadline);
    let outcome = net
        .cluster
        .send(&[proof_oracle::finalize_batch(1)], &payer, &[])
        .unwrap();
    assert_eq!(
        outcome.events::<BatchFinalized>(&proof_oracle::ID)[0].votes,
        2
    );
    let batch = net.batch(1);
    assert_eq!(
        (batch.status, batch.finalized_at),
        (BatchStatus::Final, net.now())
    );
}

#[test]
fn oracle_accounts_cannot_stand_in_for_each_other() {
    let mut net = OracleNet::epoch_zero_ended(2);
    net.vote(0, 0, commitment(1)).unwrap();
    let payer = net.authority.insecure_clone();
    // The price feed passed as a batch.
    let forged = depin_tests::substitute(
        proof_oracle::finalize_batch(0),
        &pda::epoch_batch(0).0,
        &pda::price_feed().0,
    );
    assert!(net.cluster.send(&[forged], &payer, &[]).is_err());
    // Another epoch's batch passed for epoch 0.
    net.after_epoch(1, 10);
    net.vote(0, 1, commitment(2)).unwrap();
    let forged = depin_tests::substitute(
        proof_oracle::finalize_batch(0),
        &pda::epoch_batch(0).0,
        &pda::epoch_batch(1).0,
    );
    depin_tests::assert_anchor_error(
        net.cluster.send(&[forged], &payer, &[]),
        anchor_lang::error::ErrorCode::ConstraintSeeds,
    );
    // The batch passed where the config is expected.
    let authority = net.authority.pubkey();
    assert_substitute_refused(
        |ix| net.authority_send(ix),
        proof_oracle::reject_batch(authority, 0),
        &pda::oracle_config().0,
        &pda::epoch_batch(0).0,
        anchor_lang::error::ErrorCode::AccountDiscriminatorMismatch,
    );
}
