//! `set_oracle_set`: validated sets; removed oracles' votes no longer count.

use {
    depin_sdk::{
        accounts::BatchStatus,
        proof_oracle::{self, error::OracleError, events::*},
        Keypair, Pubkey, Signer,
    },
    depin_tests::{proof_oracle::*, *},
};

#[test]
fn removed_oracles_lose_their_pending_votes() {
    let mut net = OracleNet::epoch_zero_ended(2);
    net.vote(0, 0, commitment(1)).unwrap();

    // Oracle 0 leaves, a new oracle joins.
    let newcomer = funded_keypair(&mut net.cluster);
    let mut set = net.oracle_keys()[1..].to_vec();
    set.push(newcomer.pubkey());
    let outcome = net.set_oracles(set.clone(), 2).unwrap();
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
    let mut net = OracleNet::epoch_zero_ended(2);
    net.vote(0, 0, commitment(1)).unwrap();
    let keys = net.oracle_keys();
    net.set_oracles(keys[1..].to_vec(), 2).unwrap();
    net.set_oracles(keys.clone(), 2).unwrap();
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
        assert_oracle_error(net.set_oracles(oracles, quorum), error);
    }
    // Sixteen is the most; M = N is fine.
    let sixteen: Vec<Pubkey> = (0..16).map(|_| Keypair::new().pubkey()).collect();
    net.set_oracles(sixteen, 16).unwrap();
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
    assert_needs_signer(
        |ix| net.cluster.send(&[ix], &intruder, &[]),
        proof_oracle::set_oracle_set(authority, keys, 1),
        &authority,
    );
}
