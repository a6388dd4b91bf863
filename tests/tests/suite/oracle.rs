//! The proof oracle: oracle set, quorum-final batches, expiry, the
//! challenge veto and the price feed.

use {
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_sdk::{
        accounts::BatchStatus,
        pda,
        proof_oracle::{self, InitializeOracleArgs, UpdateOracleParamsArgs},
        proof_oracle::{error::OracleError, events::*},
        Keypair, Pubkey, Signer,
    },
    depin_tests::{proof_oracle::*, *},
};

#[test]
fn quorum_makes_a_batch_final_and_one_vote_short_does_not() {
    let mut net = OracleNet::new(3, 2);
    net.after_epoch(0, 10);
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
    let mut net = OracleNet::new(3, 2);
    net.after_epoch(0, 10);
    net.vote(0, 0, commitment(1)).unwrap();
    net.vote(1, 0, commitment(1)).unwrap();
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
    let mut net = OracleNet::new(3, 2);
    net.after_epoch(0, 10);
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
    let mut net = OracleNet::new(3, 2);
    net.after_epoch(0, 10);
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
    let mut net = OracleNet::new(3, 2);
    net.after_epoch(0, 10);
    let outsider = Keypair::new();
    net.cluster.airdrop(&outsider.pubkey(), SOL).unwrap();
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
    let mut net = OracleNet::new(3, 2);
    net.after_epoch(0, 10);
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
    let mut net = OracleNet::new(3, 2);
    net.after_epoch(0, 10);
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

#[test]
fn removed_oracles_lose_their_pending_votes() {
    let mut net = OracleNet::new(3, 2);
    net.after_epoch(0, 10);
    net.vote(0, 0, commitment(1)).unwrap();

    // Oracle 0 leaves, a new oracle joins.
    let newcomer = Keypair::new();
    net.cluster.airdrop(&newcomer.pubkey(), SOL).unwrap();
    let mut set = net.oracle_keys()[1..].to_vec();
    set.push(newcomer.pubkey());
    let authority = net.authority.pubkey();
    let outcome = net
        .authority_send(proof_oracle::set_oracle_set(authority, set.clone(), 2))
        .unwrap();
    let changed = &outcome.events::<OracleSetChanged>(&proof_oracle::ID)[0];
    assert_eq!(changed.set_version, 2);
    assert_eq!(net.config().set_version, 2);

    assert_oracle_error(net.vote(0, 0, commitment(2)), OracleError::NotAnOracle);
    // One more vote for commitment 1 would have made quorum with oracle 0's.
    net.vote(1, 0, commitment(1)).unwrap();
    let batch = net.batch(0);
    assert_eq!(batch.status, BatchStatus::Pending);
    assert!(batch
        .votes
        .iter()
        .all(|vote| vote.oracle != net.oracles[0].pubkey()));
    net.oracles.push(newcomer);
    net.vote(3, 0, commitment(1)).unwrap();
    assert_eq!(net.batch(0).status, BatchStatus::Final);
}

#[test]
fn a_removed_oracle_added_back_does_not_get_its_old_vote_back() {
    let mut net = OracleNet::new(3, 2);
    net.after_epoch(0, 10);
    net.vote(0, 0, commitment(1)).unwrap();
    let authority = net.authority.pubkey();
    let keys = net.oracle_keys();
    net.authority_send(proof_oracle::set_oracle_set(
        authority,
        keys[1..].to_vec(),
        2,
    ))
    .unwrap();
    net.authority_send(proof_oracle::set_oracle_set(authority, keys.clone(), 2))
        .unwrap();
    let config = net.config();
    // Versions: 1 at genesis, 2 without oracle 0, 3 with it back.
    assert_eq!(config.set_version, 3);
    assert_eq!(config.member_since, vec![3, 1, 1]);
    // Oracle 0's vote from its earlier membership no longer counts.
    net.vote(1, 0, commitment(1)).unwrap();
    let batch = net.batch(0);
    assert_eq!(batch.status, BatchStatus::Pending);
    assert_eq!(batch.votes.len(), 1);
    // Voting again in its new membership does.
    net.vote(0, 0, commitment(1)).unwrap();
    assert_eq!(net.batch(0).status, BatchStatus::Final);
}

#[test]
fn finalize_recounts_after_the_quorum_changes() {
    let mut net = OracleNet::new(3, 3);
    net.after_epoch(0, 10);
    net.vote(0, 0, commitment(1)).unwrap();
    net.vote(1, 0, commitment(1)).unwrap();
    let payer = net.authority.insecure_clone();
    assert_oracle_error(
        net.cluster
            .send(&[proof_oracle::finalize_batch(0)], &payer, &[]),
        OracleError::QuorumNotReached,
    );
    let authority = net.authority.pubkey();
    let keys = net.oracle_keys();
    net.authority_send(proof_oracle::set_oracle_set(authority, keys, 2))
        .unwrap();
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
    let mut net = OracleNet::new(3, 2);
    net.after_epoch(0, 10);
    net.vote(0, 0, commitment(1)).unwrap();
    net.vote(1, 0, commitment(1)).unwrap();
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

#[test]
fn the_authority_vetoes_inside_the_challenge_window_only() {
    let mut net = OracleNet::new(3, 2);
    net.after_epoch(0, 10);
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

#[test]
fn oracle_sets_are_validated() {
    let mut net = OracleNet::new(3, 2);
    let authority = net.authority.pubkey();
    let keys = net.oracle_keys();
    let cases = [
        (keys.clone(), 0, OracleError::InvalidQuorum),
        (keys.clone(), 4, OracleError::InvalidQuorum),
        (vec![], 1, OracleError::InvalidOracleCount),
        (
            (0..17).map(|_| Keypair::new().pubkey()).collect(),
            9,
            OracleError::InvalidOracleCount,
        ),
        (vec![keys[0], keys[0]], 1, OracleError::InvalidOracle),
        (
            vec![keys[0], Pubkey::default()],
            1,
            OracleError::InvalidOracle,
        ),
    ];
    for (oracles, quorum, error) in cases {
        assert_oracle_error(
            net.authority_send(proof_oracle::set_oracle_set(authority, oracles, quorum)),
            error,
        );
    }
    // Sixteen is the most; M = N is fine.
    let sixteen: Vec<Pubkey> = (0..16).map(|_| Keypair::new().pubkey()).collect();
    net.authority_send(proof_oracle::set_oracle_set(authority, sixteen, 16))
        .unwrap();
    assert_eq!(net.config().oracles.len(), 16);

    let intruder = net.oracles[0].insecure_clone();
    assert_oracle_error(
        net.cluster.send(
            &[proof_oracle::set_oracle_set(
                intruder.pubkey(),
                vec![intruder.pubkey()],
                1,
            )],
            &intruder,
            &[],
        ),
        OracleError::NotAuthority,
    );
    let unsigned = strip_signer(proof_oracle::set_oracle_set(authority, keys, 1), &authority);
    assert_anchor_error(
        net.cluster.send(&[unsigned], &intruder, &[]),
        AnchorErrorCode::AccountNotSigner,
    );
}

#[test]
fn initialization_is_checked() {
    let mut cluster = depin_client::embedded::EmbeddedCluster::new();
    let deployer = cluster.upgrade_authority().insecure_clone();
    let oracles: Vec<Pubkey> = (0..3).map(|_| Keypair::new().pubkey()).collect();
    let args = |quorum: u8, epoch_length: i64| InitializeOracleArgs {
        authority: deployer.pubkey(),
        oracles: oracles.clone(),
        quorum,
        genesis_timestamp: GENESIS,
        epoch_length,
        challenge_window: 3_600,
        finality_deadline: DAY,
        price_max_staleness: 600,
        price_min_submissions: 1,
    };
    let mut send = |args: InitializeOracleArgs| {
        cluster.send(
            &[proof_oracle::initialize_oracle(
                deployer.pubkey(),
                deployer.pubkey(),
                args,
            )],
            &deployer,
            &[],
        )
    };
    assert_oracle_error(send(args(0, DAY)), OracleError::InvalidQuorum);
    assert_oracle_error(send(args(4, DAY)), OracleError::InvalidQuorum);
    assert_oracle_error(send(args(2, 0)), OracleError::InvalidDuration);
    assert_oracle_error(send(args(2, -DAY)), OracleError::InvalidDuration);
    let mut too_many_prices = args(2, DAY);
    too_many_prices.price_min_submissions = 17;
    assert_oracle_error(send(too_many_prices), OracleError::InvalidPriceMinimum);
    send(args(2, DAY)).unwrap();
    // Twice: the config exists.
    assert_custom_error(send(args(2, DAY)), 0);

    // Only the upgrade authority initializes.
    let mut cluster = depin_client::embedded::EmbeddedCluster::new();
    let impostor = Keypair::new();
    cluster.airdrop(&impostor.pubkey(), SOL).unwrap();
    let mut impostor_args = args(2, DAY);
    impostor_args.authority = impostor.pubkey();
    assert_oracle_error(
        cluster.send(
            &[proof_oracle::initialize_oracle(
                impostor.pubkey(),
                impostor.pubkey(),
                impostor_args,
            )],
            &impostor,
            &[],
        ),
        OracleError::NotUpgradeAuthority,
    );
}

#[test]
fn parameters_change_within_bounds_by_the_authority_only() {
    let mut net = OracleNet::new(3, 2);
    let authority = net.authority.pubkey();
    let outcome = net
        .authority_send(proof_oracle::update_oracle_params(
            authority,
            UpdateOracleParamsArgs {
                challenge_window: Some(7_200),
                price_min_submissions: Some(2),
                ..Default::default()
            },
        ))
        .unwrap();
    let event = &outcome.events::<OracleParamsUpdated>(&proof_oracle::ID)[0];
    assert_eq!(
        (event.challenge_window, event.price_min_submissions),
        (7_200, 2)
    );
    let config = net.config();
    assert_eq!(config.challenge_window, 7_200);
    assert_eq!(config.finality_deadline, 3 * DAY);

    let bad = [
        (
            UpdateOracleParamsArgs {
                challenge_window: Some(-1),
                ..Default::default()
            },
            OracleError::InvalidDuration,
        ),
        (
            UpdateOracleParamsArgs {
                finality_deadline: Some(i64::MAX),
                ..Default::default()
            },
            OracleError::InvalidDuration,
        ),
        (
            UpdateOracleParamsArgs {
                price_max_staleness: Some(0),
                ..Default::default()
            },
            OracleError::InvalidDuration,
        ),
        (
            UpdateOracleParamsArgs {
                price_min_submissions: Some(0),
                ..Default::default()
            },
            OracleError::InvalidPriceMinimum,
        ),
        (
            UpdateOracleParamsArgs {
                new_authority: Some(Pubkey::default()),
                ..Default::default()
            },
            OracleError::InvalidAuthority,
        ),
    ];
    for (args, error) in bad {
        assert_oracle_error(
            net.authority_send(proof_oracle::update_oracle_params(authority, args)),
            error,
        );
    }
    let intruder = net.oracles[0].insecure_clone();
    assert_oracle_error(
        net.cluster.send(
            &[proof_oracle::update_oracle_params(
                intruder.pubkey(),
                UpdateOracleParamsArgs::default(),
            )],
            &intruder,
            &[],
        ),
        OracleError::NotAuthority,
    );

    // Handing over: the old authority is locked out.
    let dao = Keypair::new();
    net.authority_send(proof_oracle::update_oracle_params(
        authority,
        UpdateOracleParamsArgs {
            new_authority: Some(dao.pubkey()),
            ..Default::default()
        },
    ))
    .unwrap();
    assert_oracle_error(
        net.authority_send(proof_oracle::set_oracle_set(authority, vec![authority], 1)),
        OracleError::NotAuthority,
    );
}

#[test]
fn the_price_is_the_median_of_fresh_prices_from_current_oracles() {
    let mut net = OracleNet::with_min_prices(4, 2, 2);
    let config = net.config();
    // Nothing posted yet.
    assert_eq!(
        net.price_feed().median(&config, net.now()).unwrap_err(),
        OracleError::TooFewPrices.into()
    );
    let outcome = net.price(0, 300).unwrap();
    assert_eq!(
        outcome.events::<PriceSubmitted>(&proof_oracle::ID)[0].price,
        300
    );
    assert_eq!(
        net.price_feed().median(&config, net.now()).unwrap_err(),
        OracleError::TooFewPrices.into()
    );
    net.price(1, 100).unwrap();
    net.price(2, 200).unwrap();
    assert_eq!(net.price_feed().median(&config, net.now()).unwrap(), 200);
    // An even count takes the lower middle: the conservative side.
    net.price(3, 1_000).unwrap();
    assert_eq!(net.price_feed().median(&config, net.now()).unwrap(), 200);
    // An oracle's new price replaces its old one.
    net.price(3, 150).unwrap();
    assert_eq!(net.price_feed().entries.len(), 4);
    assert_eq!(net.price_feed().median(&config, net.now()).unwrap(), 150);

    // Ten minutes later everything is stale; two fresh prices revive it.
    let now = net.now();
    net.cluster
        .warp_to_timestamp(now + config.price_max_staleness + 1);
    assert_eq!(
        net.price_feed().median(&config, net.now()).unwrap_err(),
        OracleError::StalePrice.into()
    );
    net.price(0, 500).unwrap();
    assert_eq!(
        net.price_feed().median(&config, net.now()).unwrap_err(),
        OracleError::StalePrice.into()
    );
    net.price(1, 700).unwrap();
    assert_eq!(net.price_feed().median(&config, net.now()).unwrap(), 500);

    // Prices of removed oracles no longer count.
    let authority = net.authority.pubkey();
    let keys = net.oracle_keys();
    net.authority_send(proof_oracle::set_oracle_set(
        authority,
        keys[1..].to_vec(),
        2,
    ))
    .unwrap();
    let config = net.config();
    assert_eq!(
        net.price_feed().median(&config, net.now()).unwrap_err(),
        OracleError::StalePrice.into()
    );
}

#[test]
fn prices_are_checked() {
    let mut net = OracleNet::new(3, 2);
    assert_oracle_error(net.price(0, 0), OracleError::ZeroPrice);
    let outsider = Keypair::new();
    net.cluster.airdrop(&outsider.pubkey(), SOL).unwrap();
    assert_oracle_error(
        net.cluster.send(
            &[proof_oracle::submit_price(outsider.pubkey(), 100)],
            &outsider,
            &[],
        ),
        OracleError::NotAnOracle,
    );
    // The largest price is accepted; a median needs the quorum (two).
    net.price(0, u64::MAX).unwrap();
    let config = net.config();
    assert_eq!(
        net.price_feed().median(&config, net.now()).unwrap_err(),
        OracleError::TooFewPrices.into()
    );
    net.price(1, u64::MAX).unwrap();
    assert_eq!(
        net.price_feed().median(&config, net.now()).unwrap(),
        u64::MAX
    );
}

#[test]
fn every_signer_of_the_oracle_instructions_is_required() {
    let mut net = OracleNet::new(3, 2);
    net.after_epoch(0, 10);
    net.vote(0, 0, commitment(1)).unwrap();
    net.vote(1, 0, commitment(1)).unwrap();
    let stranger = Keypair::new();
    net.cluster.airdrop(&stranger.pubkey(), SOL).unwrap();
    let authority = net.authority.pubkey();
    let oracle_key = net.oracles[2].pubkey();
    let cases = [
        (proof_oracle::submit_price(oracle_key, 100), oracle_key),
        (proof_oracle::reject_batch(authority, 0), authority),
        (
            proof_oracle::update_oracle_params(authority, UpdateOracleParamsArgs::default()),
            authority,
        ),
    ];
    for (instruction, signer) in cases {
        assert_anchor_error(
            net.cluster
                .send(&[strip_signer(instruction, &signer)], &stranger, &[]),
            AnchorErrorCode::AccountNotSigner,
        );
    }
    assert_eq!(net.batch(0).status, BatchStatus::Final);
    assert!(net.price_feed().entries.is_empty());
}
