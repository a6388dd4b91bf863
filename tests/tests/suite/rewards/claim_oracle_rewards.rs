//! `claim_oracle_rewards`: the oracles that made a batch final share the
//! oracle pool, once each.

use {
    ::rewards::error::RewardsError,
    depin_sdk::{accounts::BatchStatus, pda, proof_oracle, rewards, Keypair, Pubkey, Signer},
    depin_tests::{
        assert_rewards_error, assert_substitute_refused,
        network::{wallet_batch, Claims, Network, TOKEN},
        SOL,
    },
};

#[test]
fn oracles_that_made_the_batch_final_share_the_oracle_pool() {
    let mut claims = Claims::new();
    let network = &mut claims.network;
    let share = network.epoch_rewards(1).oracles / 2;
    let claim =
        |network: &mut Network, index: usize, epoch: u64| network.claim_oracle(index, epoch);
    claim(network, 0, 1).unwrap();
    claim(network, 1, 1).unwrap();
    assert_eq!(network.token_balance(&network.oracles[0].pubkey()), share);
    network.cluster.next_blockhash();
    assert_rewards_error(claim(network, 0, 1), RewardsError::OracleAlreadyClaimed);
    // Oracle 2 did not vote.
    assert_rewards_error(claim(network, 2, 1), RewardsError::NotContributingOracle);
    // Epoch 0 has no batch yet.
    assert!(claim(network, 0, 0).is_err());
    // A batch of another epoch.
    let oracle = network.oracles[0].insecure_clone();
    assert_substitute_refused(
        |ix| network.send(&[ix], &oracle, &[]),
        rewards::claim_oracle_rewards(oracle.pubkey(), 0, rewards::token_account(&oracle.pubkey())),
        &pda::epoch_batch(0).0,
        &pda::epoch_batch(1).0,
        RewardsError::WrongBatch,
    );
    network.assert_invariants();
}

/// With 16 contributing votes every oracle, the one at vote index 15 (the
/// last bit of the claim mask) included, takes exactly a sixteenth, once.
#[test]
fn sixteen_contributing_oracles_each_claim_a_sixteenth() {
    let mut network = Network::new();
    network.launch();
    let authority = network.authority.pubkey();
    let oracles: Vec<Keypair> = (0..16).map(|_| Keypair::new()).collect();
    for oracle in &oracles {
        network.cluster.airdrop(&oracle.pubkey(), SOL).unwrap();
    }
    network
        .authority_send(proof_oracle::set_oracle_set(
            authority,
            oracles.iter().map(Signer::pubkey).collect(),
            16,
        ))
        .unwrap();
    network.oracles = oracles;
    let batch = wallet_batch(0, &[(Pubkey::new_from_array([9; 32]), TOKEN)]);
    network.finalize(&batch, 15);
    assert_eq!(network.epoch_batch(0).status, BatchStatus::Pending);
    network.vote(&batch, 15);
    let final_batch = network.epoch_batch(0);
    assert_eq!(
        (final_batch.status, final_batch.votes.len()),
        (BatchStatus::Final, 16)
    );
    network.after_epoch(0, 2 * 3_600);

    let share = network.epoch_rewards(0).oracles / 16;
    assert!(share > 0);
    for index in (0..16).rev() {
        network.claim_oracle(index, 0).unwrap();
        let owner = network.oracles[index].pubkey();
        assert_eq!(network.token_balance(&owner), share);
    }
    network.cluster.next_blockhash();
    assert_rewards_error(
        network.claim_oracle(15, 0),
        RewardsError::OracleAlreadyClaimed,
    );
    let epoch = network.epoch_rewards(0);
    assert_eq!(epoch.oracle_claimed_mask, u16::MAX);
    assert_eq!(epoch.oracle_paid, 16 * share);
    network.assert_invariants();
}
