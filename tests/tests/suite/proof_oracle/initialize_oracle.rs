//! `initialize_oracle`: bounds, once, by the upgrade authority; at most 16
//! oracles.

use {
    depin_client::embedded::EmbeddedCluster,
    depin_sdk::{
        accounts::OracleConfig,
        pda,
        proof_oracle::{self, error::OracleError, InitializeOracleArgs},
        Keypair, Pubkey, Signer,
    },
    depin_tests::{assert_already_in_use, assert_oracle_error, funded_keypair, proof_oracle::*},
};

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
    let mut send = |args| initialize_oracle(&mut cluster, args);
    assert_oracle_error(send(args(0, DAY)), OracleError::InvalidQuorum);
    assert_oracle_error(send(args(4, DAY)), OracleError::InvalidQuorum);
    assert_oracle_error(send(args(2, 0)), OracleError::InvalidDuration);
    assert_oracle_error(send(args(2, -DAY)), OracleError::InvalidDuration);
    let mut too_many_prices = args(2, DAY);
    too_many_prices.price_min_submissions = 17;
    assert_oracle_error(send(too_many_prices), OracleError::InvalidPriceMinimum);
    send(args(2, DAY)).unwrap();
    // Twice: the config exists.
    assert_already_in_use(send(args(2, DAY)));

    // Only the upgrade authority initializes.
    let mut cluster = depin_client::embedded::EmbeddedCluster::new();
    let impostor = funded_keypair(&mut cluster);
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

fn oracle_args(authority: Pubkey, count: usize) -> InitializeOracleArgs {
    let mut args = depin_client::bootstrap::daily_oracle_args(
        authority,
        (0..count).map(|_| Keypair::new().pubkey()).collect(),
        1,
        GENESIS,
    );
    args.quorum = count.min(16) as u8;
    args.price_min_submissions = count.min(16) as u8;
    args
}

/// Initialization takes 16 oracles (with M = N = 16 and a price minimum of
/// 16) and refuses 17 with `InvalidOracleCount`.
#[test]
fn initialization_takes_sixteen_oracles_and_refuses_seventeen() {
    let mut cluster = EmbeddedCluster::new();
    let deployer = cluster.upgrade_authority().insecure_clone();
    let mut initialize = |args| initialize_oracle(&mut cluster, args);
    assert_oracle_error(
        initialize(oracle_args(deployer.pubkey(), 17)),
        OracleError::InvalidOracleCount,
    );
    let sixteen = oracle_args(deployer.pubkey(), 16);
    initialize(sixteen.clone()).unwrap();
    let config: OracleConfig = cluster.fetch(&pda::oracle_config().0).unwrap();
    assert_eq!(config.oracles, sixteen.oracles);
    assert_eq!((config.quorum, config.price_min_submissions), (16, 16));
}
