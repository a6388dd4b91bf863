//! `update_oracle_params`: bounded parameters, by the authority only.

use {
    depin_client::{bootstrap::daily_oracle_args, embedded::EmbeddedCluster},
    depin_sdk::{
        proof_oracle::{self, error::OracleError, events::*, UpdateOracleParamsArgs},
        Keypair, Pubkey, Signer,
    },
    depin_tests::{
        assert_oracle_error,
        network::PRICE,
        proof_oracle::{initialize_oracle, OracleNet, DAY, GENESIS},
        SOL,
    },
};

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
        net.set_oracles(vec![authority], 1),
        OracleError::NotAuthority,
    );
}

/// Every change that would leave the price minimum above the set size (no
/// purchase could ever succeed) is refused with a named error.
#[test]
fn a_price_minimum_above_the_set_size_is_refused() {
    let mut net = OracleNet::with_min_prices(3, 2, 2);
    let authority = net.authority.pubkey();
    let params = |minimum| UpdateOracleParamsArgs {
        price_min_submissions: Some(minimum),
        ..Default::default()
    };
    assert_oracle_error(
        net.authority_send(proof_oracle::update_oracle_params(authority, params(4))),
        OracleError::PriceMinimumAboveSetSize,
    );
    net.authority_send(proof_oracle::update_oracle_params(authority, params(3)))
        .unwrap();
    let two = net.oracle_keys()[..2].to_vec();
    assert_oracle_error(
        net.set_oracles(two.clone(), 2),
        OracleError::PriceMinimumAboveSetSize,
    );
    net.authority_send(proof_oracle::update_oracle_params(authority, params(2)))
        .unwrap();
    net.set_oracles(two, 2).unwrap();
    assert_eq!(net.config().oracles.len(), 2);

    // At initialization too.
    let mut fresh = OracleNet::new(1, 1);
    let deployer = fresh.cluster.upgrade_authority().insecure_clone();
    let oracles = vec![Pubkey::new_unique(), Pubkey::new_unique()];
    let mut args = daily_oracle_args(authority, oracles, 2, GENESIS);
    args.price_min_submissions = 3;
    let mut cluster = EmbeddedCluster::new();
    cluster.airdrop(&deployer.pubkey(), SOL).unwrap();
    assert_oracle_error(
        initialize_oracle(&mut cluster, args),
        OracleError::PriceMinimumAboveSetSize,
    );
    let _ = fresh.price(0, PRICE);
}
