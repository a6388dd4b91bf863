//! `submit_batch`: votes of current oracles on ended epochs; a quorum of
//! matching votes makes a batch final.

use {
    depin_sdk::{
        accounts::BatchStatus,
        pda,
        proof_oracle::{
            self,
            error::OracleError,
            events::{BatchFinalized, BatchVoteSubmitted},
        },
        Signer,
    },
    depin_tests::{proof_oracle::*, *},
};

#[test]
fn quorum_makes_a_batch_final_and_one_vote_short_does_not() {
    let mut net = OracleNet::epoch_zero_ended(2);
    let outcome = net.vote(0, 0, commitment(1)).unwrap();
    let vote = &outcome.events::<BatchVoteSubmitted>(&proof_oracle::ID)[0];
    assert_eq!((vote.matching_votes, vote.replaced), (1, false));
    assert!(outcome
        .events::<BatchFinalized>(&proof_oracle::ID)
        .is_empty());
    assert_eq!(net.batch(0).status, BatchStatus::Pending);

    let outcome = net.vote(1, 0, commitment(1)).unwrap();
    let finalized = &outcome.events::<BatchFinalized>(&proof_oracle::ID)[0];
    assert_eq!(finalized.commitment, commitment(1));
    assert_eq!(finalized.votes, 2);
    let batch = net.batch(0);
    assert_eq!(batch.status, BatchStatus::Final);
    assert_eq!(batch.commitment, commitment(1));
    assert_eq!(batch.epoch, 0);
    assert_eq!(batch.bump, pda::epoch_batch(0).1);
    assert_eq!(batch.finalized_at, net.now());
    assert!(batch.invariant().is_ok());
}

#[test]
fn a_final_batch_takes_no_more_votes() {
    let mut net = OracleNet::with_two_votes(2);
    assert_oracle_error(
        net.vote(2, 0, commitment(1)),
        OracleError::BatchAlreadyFinal,
    );
    assert_oracle_error(
        net.vote(2, 0, commitment(9)),
        OracleError::BatchAlreadyFinal,
    );
    assert_eq!(net.batch(0).commitment, commitment(1));
}

#[test]
fn conflicting_votes_stay_visible_and_never_make_quorum() {
    let mut net = OracleNet::epoch_zero_ended(2);
    net.vote(0, 0, commitment(1)).unwrap();
    net.vote(1, 0, commitment(2)).unwrap();
    // Same root, different total: still a different commitment.
    let mut other_total = commitment(1);
    other_total.total += 1;
    net.vote(2, 0, other_total).unwrap();
    let batch = net.batch(0);
    assert_eq!(batch.status, BatchStatus::Pending);
    let votes: Vec<_> = batch.votes.iter().map(|vote| vote.commitment).collect();
    assert_eq!(votes, vec![commitment(1), commitment(2), other_total]);
    // Same root and total, different proof data: different again.
    let mut other_data = commitment(1);
    other_data.proof_data_hash = [0xAA; 32];
    let mut net = OracleNet::new(2, 2);
    net.after_epoch(0, 10);
    net.vote(0, 0, commitment(1)).unwrap();
    net.vote(1, 0, other_data).unwrap();
    assert_eq!(net.batch(0).status, BatchStatus::Pending);
}

#[test]
fn an_oracle_votes_once_but_may_correct_its_vote_before_finality() {
    let mut net = OracleNet::epoch_zero_ended(2);
    net.vote(0, 0, commitment(1)).unwrap();
    assert_oracle_error(net.vote(0, 0, commitment(1)), OracleError::DuplicateVote);

    // Oracle 0 corrects itself to commitment 2: its vote for 1 is gone.
    let outcome = net.vote(0, 0, commitment(2)).unwrap();
    assert!(outcome.events::<BatchVoteSubmitted>(&proof_oracle::ID)[0].replaced);
    assert_eq!(net.batch(0).votes.len(), 1);
    net.vote(1, 0, commitment(1)).unwrap();
    assert_eq!(net.batch(0).status, BatchStatus::Pending);
    net.vote(2, 0, commitment(2)).unwrap();
    let batch = net.batch(0);
    assert_eq!(batch.status, BatchStatus::Final);
    assert_eq!(batch.commitment, commitment(2));
}

#[test]
fn only_current_oracles_vote() {
    let mut net = OracleNet::epoch_zero_ended(2);
    let outsider = funded_keypair(&mut net.cluster);
    let result = net.cluster.send(
        &[proof_oracle::submit_batch(
            outsider.pubkey(),
            0,
            commitment(1),
            String::new(),
        )],
        &outsider,
        &[],
    );
    assert_oracle_error(result, OracleError::NotAnOracle);
    assert!(net.cluster.account(&pda::epoch_batch(0).0).is_none());

    let oracle_key = net.oracles[0].pubkey();
    let unsigned = strip_signer(
        proof_oracle::submit_batch(oracle_key, 0, commitment(1), String::new()),
        &oracle_key,
    );
    let result = net.cluster.send(&[unsigned], &outsider, &[]);
    // The oracle pays for the batch account, so it must sign.
    assert!(result.is_err());
    assert!(net.cluster.account(&pda::epoch_batch(0).0).is_none());
}

#[test]
fn batches_are_only_for_ended_epochs() {
    let mut net = OracleNet::new(3, 2);
    // In the middle of epoch 0.
    net.cluster.warp_to_timestamp(GENESIS + DAY / 2);
    assert_oracle_error(net.vote(0, 0, commitment(1)), OracleError::EpochNotEnded);
    assert_oracle_error(net.vote(0, 5, commitment(1)), OracleError::EpochNotEnded);
    // The last second of epoch 0 is still epoch 0.
    net.cluster.warp_to_timestamp(GENESIS + DAY - 1);
    assert_oracle_error(net.vote(0, 0, commitment(1)), OracleError::EpochNotEnded);
    net.cluster.warp_to_timestamp(GENESIS + DAY);
    net.vote(0, 0, commitment(1)).unwrap();
    assert_eq!(net.config().current_epoch(net.now()), Some(1));
}

#[test]
fn epoch_numbers_at_their_maximum_overflow_cleanly() {
    let mut net = OracleNet::epoch_zero_ended(2);
    assert_oracle_error(net.vote(0, u64::MAX, commitment(1)), OracleError::Overflow);
    assert_oracle_error(
        net.vote(0, i64::MAX as u64, commitment(1)),
        OracleError::Overflow,
    );
}

#[test]
fn votes_do_not_carry_over_to_another_epoch() {
    let mut net = OracleNet::new(3, 2);
    net.after_epoch(1, 10);
    net.vote(0, 0, commitment(1)).unwrap();
    net.vote(1, 0, commitment(1)).unwrap();
    assert_eq!(net.batch(0).status, BatchStatus::Final);
    // The same commitment replayed into epoch 1 needs its own quorum.
    net.vote(0, 1, commitment(1)).unwrap();
    let batch = net.batch(1);
    assert_eq!(batch.status, BatchStatus::Pending);
    assert_eq!(batch.votes.len(), 1);
    assert_eq!(batch.epoch, 1);
}

#[test]
fn malformed_commitments_are_refused() {
    let mut net = OracleNet::epoch_zero_ended(2);
    let mut empty = commitment(1);
    empty.leaf_count = 0;
    assert_oracle_error(net.vote(0, 0, empty), OracleError::EmptyBatch);
    let oracle_key = net.oracles[0].pubkey();
    let signer = net.oracles[0].insecure_clone();
    let long_uri = "u".repeat(129);
    assert_oracle_error(
        net.cluster.send(
            &[proof_oracle::submit_batch(
                oracle_key,
                0,
                commitment(1),
                long_uri,
            )],
            &signer,
            &[],
        ),
        OracleError::UriTooLong,
    );
    net.cluster
        .send(
            &[proof_oracle::submit_batch(
                oracle_key,
                0,
                commitment(1),
                "u".repeat(128),
            )],
            &signer,
            &[],
        )
        .unwrap();
}

/// Sixteen oracles with 128-byte URIs fill a batch: fifteen votes leave it
/// pending, the sixteenth makes it final with 16 votes. Their 16 prices
/// fill the feed, and the median needs all 16 (the quorum).
#[test]
fn sixteen_votes_with_maximal_uris_fit_a_batch() {
    let mut net = OracleNet::new(16, 16);
    net.after_epoch(0, 10);
    let uri = |index: usize| format!("{index:02}{}", "u".repeat(126));
    for index in 0..16 {
        let oracle = net.oracles[index].insecure_clone();
        let outcome = net
            .cluster
            .send(
                &[proof_oracle::submit_batch(
                    oracle.pubkey(),
                    0,
                    commitment(1),
                    uri(index),
                )],
                &oracle,
                &[],
            )
            .unwrap();
        let finalized = outcome.events::<BatchFinalized>(&proof_oracle::ID);
        if index < 15 {
            assert!(finalized.is_empty());
            assert_eq!(net.batch(0).status, BatchStatus::Pending);
        } else {
            assert_eq!(finalized[0].votes, 16);
        }
    }
    let batch = net.batch(0);
    assert_eq!(batch.status, BatchStatus::Final);
    assert_eq!(batch.votes.len(), 16);
    assert!(batch.votes.iter().all(|vote| vote.uri.len() == 128));
    assert_eq!(batch.uri, uri(0));

    let config = net.config();
    for index in 0..16 {
        net.price(index, 1_000 + index as u64).unwrap();
        let median = net.price_feed().median(&config, net.now());
        if index < 15 {
            assert_eq!(median.unwrap_err(), OracleError::TooFewPrices.into());
        } else {
            assert_eq!(median.unwrap(), 1_007);
        }
    }
    assert_eq!(net.price_feed().entries.len(), 16);
}
