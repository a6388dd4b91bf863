//! `initialize_rewards`: once, by the upgrade authority.

use {
    ::rewards::error::RewardsError,
    depin_sdk::{rewards, Keypair, Signer},
    depin_tests::{assert_already_in_use, assert_rewards_error, network::Network, SOL},
};

#[test]
fn initialization_needs_the_upgrade_authority_and_happens_once() {
    let intruder = Keypair::new();
    let args = depin_client::bootstrap::default_rewards_args(intruder.pubkey(), 0);
    let mut fresh = depin_client::embedded::EmbeddedCluster::new();
    fresh.airdrop(&intruder.pubkey(), 10 * SOL).unwrap();
    let instruction = rewards::initialize_rewards(
        intruder.pubkey(),
        intruder.pubkey(),
        intruder.pubkey(),
        args.clone(),
    );
    assert_rewards_error(
        fresh.send(&[instruction], &intruder, &[]),
        RewardsError::NotUpgradeAuthority,
    );
    let mut network = Network::new();
    let deployer = network.cluster.upgrade_authority().insecure_clone();
    let again = rewards::initialize_rewards(
        deployer.pubkey(),
        deployer.pubkey(),
        deployer.pubkey(),
        args,
    );
    // The config exists: the system program refuses to create it again.
    assert_already_in_use(network.send(&[again], &deployer, &[]));
}
