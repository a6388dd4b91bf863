//! `sweep_oracle_rewards`: what no oracle can ever claim goes to the
//! treasury.

use {
    ::rewards::error::RewardsError,
    depin_sdk::{pda, proof_oracle, rewards, Pubkey, Signer},
    depin_tests::{
        assert_rewards_error,
        network::{wallet_batch, Network, TOKEN},
        proof_oracle::DAY,
    },
};

/// What no oracle can ever claim goes to the treasury: a rejected epoch's
/// whole share, a final epoch's split dust, an expired epoch's share; never
/// a pending epoch's, never what a contributor may still claim, never
/// twice, and only by the authority.
#[test]
fn unclaimable_oracle_rewards_are_swept_to_the_treasury_and_nothing_else() {
    let mut network = Network::new();
    network.launch();
    let authority = network.authority.pubkey();
    let treasury = network.config().treasury;
    let sweep = |network: &mut Network, epoch| {
        network.authority_send(rewards::sweep_oracle_rewards(authority, epoch, treasury))
    };
    // All three oracles must agree, so a share splits three ways.
    let oracles = network.oracles.iter().map(Signer::pubkey).collect();
    network
        .authority_send(proof_oracle::set_oracle_set(authority, oracles, 3))
        .unwrap();
    let batch_of = |epoch: u64| wallet_batch(epoch, &[(Pubkey::new_from_array([7; 32]), TOKEN)]);

    // Epoch 1: 50,000 tokens to three contributors leave 2 base units.
    network.after_epoch(1, 1);
    network.issue(1).unwrap();
    let batch = batch_of(1);
    // Pending (two of three votes): nothing can be swept yet.
    network.vote(&batch, 0);
    network.vote(&batch, 1);
    assert_rewards_error(sweep(&mut network, 1), RewardsError::BatchNotSettled);
    network.vote(&batch, 2);
    let oracles = network.epoch_rewards(1).oracles;
    assert_eq!(oracles, 50_000 * TOKEN);
    let dust = oracles % 3;
    assert_eq!(dust, 2);
    // Someone else cannot sweep.
    let stranger = network.member();
    assert_rewards_error(
        network.send(
            &[rewards::sweep_oracle_rewards(
                stranger.pubkey(),
                1,
                treasury,
            )],
            &stranger.keypair,
            &[],
        ),
        RewardsError::NotAuthority,
    );
    let before = network.cluster.token_balance(&treasury);
    sweep(&mut network, 1).unwrap();
    assert_eq!(network.cluster.token_balance(&treasury), before + dust);
    network.cluster.next_blockhash();
    assert_rewards_error(sweep(&mut network, 1), RewardsError::NothingToSweep);
    // Every contributor still gets its full share.
    network.after_epoch(1, 2 * 3_600);
    for index in 0..3 {
        network.claim_oracle(index, 1).unwrap();
    }
    assert_eq!(network.epoch_rewards(1).oracle_paid, oracles - dust);
    network.assert_invariants();

    // Epoch 2: final, then rejected within the challenge window.
    network.after_epoch(2, 1);
    network.issue(2).unwrap();
    network.finalize(&batch_of(2), 3);
    network
        .authority_send(proof_oracle::reject_batch(authority, 2))
        .unwrap();
    let share = network.epoch_rewards(2).oracles;
    let before = network.cluster.token_balance(&treasury);
    sweep(&mut network, 2).unwrap();
    assert_eq!(network.cluster.token_balance(&treasury), before + share);
    assert_rewards_error(network.claim_oracle(0, 2), RewardsError::BatchRejected);

    // Epoch 3: nobody votes; after the deadline anyone marks it expired,
    // then its share is swept.
    network.after_epoch(3, 1);
    network.issue(3).unwrap();
    network.after_epoch(3, 3 * DAY + 1);
    let payer = network.treasury_owner.insecure_clone();
    network
        .send(
            &[proof_oracle::expire_batch(payer.pubkey(), 3)],
            &payer,
            &[],
        )
        .unwrap();
    let share = network.epoch_rewards(3).oracles;
    let before = network.cluster.token_balance(&treasury);
    sweep(&mut network, 3).unwrap();
    assert_eq!(network.cluster.token_balance(&treasury), before + share);
    // A batch account of another epoch is refused.
    network.cluster.next_blockhash();
    let mut wrong = rewards::sweep_oracle_rewards(authority, 2, treasury);
    wrong.accounts[3].pubkey = pda::epoch_batch(3).0;
    assert_rewards_error(network.authority_send(wrong), RewardsError::WrongBatch);
    network.assert_invariants();
}
