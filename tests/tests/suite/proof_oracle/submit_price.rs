//! `submit_price`: the median of fresh prices from current oracles.

use {
    ::rewards::error::RewardsError,
    depin_sdk::{
        proof_oracle::{self, error::OracleError, events::*, UpdateOracleParamsArgs},
        Signer,
    },
    depin_tests::{
        assert_oracle_error, assert_rewards_error, funded_keypair,
        network::{Network, PRICE, TOKEN},
        proof_oracle::OracleNet,
    },
};

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
    let keys = net.oracle_keys();
    net.set_oracles(keys[1..].to_vec(), 2).unwrap();
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
    let outsider = funded_keypair(&mut net.cluster);
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

/// With `price_min_submissions = 1` in a 2-of-3 set, one fresh oracle used
/// to be the whole median; now a median needs the quorum of fresh prices.
#[test]
fn one_fresh_oracle_cannot_set_the_price_of_credits() {
    let mut net = OracleNet::with_min_prices(3, 2, 1);
    for index in 0..3 {
        net.price(index, PRICE).unwrap();
    }
    let staleness = net.config().price_max_staleness;
    net.warp(staleness + 1);
    net.price(0, PRICE / 1_000).unwrap();
    assert_eq!(
        net.price_feed().median(&net.config(), net.now()),
        Err(OracleError::StalePrice.into())
    );
    net.price(1, PRICE).unwrap();
    assert_eq!(
        net.price_feed().median(&net.config(), net.now()),
        Ok(PRICE / 1_000),
        "two fresh prices of a 2-of-3 set: the lower middle"
    );

    // Through the rewards program: a lone fresh price sells nothing.
    let mut network = Network::new();
    network.launch();
    let member = network.funded_member(10 * TOKEN);
    let authority = network.authority.pubkey();
    network
        .authority_send(proof_oracle::update_oracle_params(
            authority,
            UpdateOracleParamsArgs {
                price_min_submissions: Some(1),
                ..Default::default()
            },
        ))
        .unwrap();
    network.warp(staleness + 1);
    let oracle = network.oracles[0].insecure_clone();
    network
        .send(
            &[proof_oracle::submit_price(oracle.pubkey(), PRICE / 1_000)],
            &oracle,
            &[],
        )
        .unwrap();
    assert_rewards_error(network.buy_dc(&member, TOKEN), RewardsError::StalePrice);
    network.assert_invariants();
}
