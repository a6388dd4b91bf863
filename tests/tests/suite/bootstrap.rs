//! The bootstrap: squatted program addresses, and a half-done deployment
//! finished and handed to the DAO.

use {
    depin_client::{
        bootstrap::{
            bootstrap_oracle, bootstrap_registry_with_mint, bootstrap_rewards, daily_oracle_args,
            default_rewards_args, MakerSpec, RegistryPlan,
        },
        embedded::EmbeddedCluster,
    },
    depin_sdk::{governance::dao_authority, pda, token, Keypair, Pubkey, Signer},
    depin_tests::{proof_oracle::GENESIS, SOL},
};

/// Anyone can send lamports to any address, the programs' PDAs included,
/// before the deployer initializes them; that must not block (or fool) the
/// bootstrap. The data-credit mint is created by hand in
/// `initialize_rewards`, where a plain `create_account` would fail forever.
#[test]
fn lamports_sent_to_program_addresses_first_do_not_block_initialization() {
    let mut cluster = EmbeddedCluster::new();
    let deployer = cluster.upgrade_authority().insecure_clone();
    cluster.warp_to_timestamp(GENESIS);
    let maker_key = Pubkey::new_unique();
    for address in [
        pda::maker(&maker_key).0,
        pda::dc_mint().0,
        pda::token_mint().0,
        pda::rewards_config().0,
        pda::oracle_config().0,
        pda::registry_config().0,
    ] {
        cluster.airdrop(&address, SOL).unwrap();
    }
    let authority = Keypair::new();
    cluster.airdrop(&authority.pubkey(), 10 * SOL).unwrap();
    bootstrap_oracle(
        &mut cluster,
        &deployer,
        &daily_oracle_args(authority.pubkey(), vec![authority.pubkey()], 1, GENESIS),
    )
    .unwrap();
    let config = bootstrap_rewards(
        &mut cluster,
        &deployer,
        &authority.pubkey(),
        &default_rewards_args(authority.pubkey(), 0),
    )
    .unwrap();
    assert_eq!(config.dc_mint, pda::dc_mint().0);
    assert_eq!(cluster.mint_supply(&pda::dc_mint().0), Some(0));
    let dc_mint = cluster.account(&pda::dc_mint().0).unwrap();
    assert_eq!(dc_mint.owner, token::TOKEN_2022_PROGRAM_ID);
    let plan = RegistryPlan {
        fee_decimals: 0,
        classes: vec![],
        makers: vec![MakerSpec {
            maker_key,
            name: "acme".into(),
            device_quota: None,
        }],
    };
    bootstrap_registry_with_mint(&mut cluster, &deployer, &authority, pda::dc_mint().0, &plan)
        .unwrap();
    let maker: depin_sdk::accounts::Maker = cluster.fetch(&pda::maker(&maker_key).0).unwrap();
    assert_eq!(maker.name, "acme");
}

#[test]
fn the_bootstrap_finishes_a_half_done_deployment_and_hands_everything_to_the_dao() {
    use {
        depin_client::{
            bootstrap::{self, NetworkPlan, RegistryPlan},
            embedded::EmbeddedCluster,
        },
        depin_sdk::token,
    };
    let mut cluster = EmbeddedCluster::new();
    let deployer = cluster.upgrade_authority().insecure_clone();
    let authority = Keypair::new();
    cluster.airdrop(&authority.pubkey(), 100 * SOL).unwrap();
    let oracles = (0..3).map(|_| Keypair::new().pubkey()).collect();
    let plan = NetworkPlan {
        oracle: bootstrap::daily_oracle_args(authority.pubkey(), oracles, 2, GENESIS),
        rewards: bootstrap::default_rewards_args(authority.pubkey(), 0),
        registry: RegistryPlan {
            fee_decimals: 0,
            classes: bootstrap::default_classes(),
            makers: vec![],
        },
        governance: depin_tests::dao::test_governance_args(),
        dao_lamports: 2 * SOL,
        hand_over: true,
    };
    // Interrupted after the first two steps.
    bootstrap::bootstrap_oracle(&mut cluster, &deployer, &plan.oracle).unwrap();
    bootstrap::bootstrap_rewards(&mut cluster, &deployer, &authority.pubkey(), &plan.rewards)
        .unwrap();

    let done = bootstrap::bootstrap_network(&mut cluster, &deployer, &authority, &plan).unwrap();
    let dao = dao_authority();
    assert_eq!(done.registry.authority, dao);
    assert_eq!(done.registry.fee_mint, pda::dc_mint().0);
    assert_eq!(done.registry.classes.len(), 3);
    assert_eq!(done.oracle.authority, dao);
    assert_eq!(done.rewards.authority, dao);
    assert_eq!(done.governance.dao_authority, dao);
    let treasury = cluster.account(&done.rewards.treasury).unwrap();
    assert_eq!(token::token_account_owner(&treasury.data), Some(dao));
    assert_eq!(cluster.balance(&dao), 2 * SOL);
    assert!(done.handed_over.registry && done.handed_over.treasury);

    // A rerun changes nothing and duplicates nothing.
    let again = bootstrap::bootstrap_network(&mut cluster, &deployer, &authority, &plan).unwrap();
    assert_eq!(again.handed_over, Default::default());
    assert_eq!(again.registry.classes.len(), 3);
    assert_eq!(cluster.balance(&dao), 2 * SOL);
}
