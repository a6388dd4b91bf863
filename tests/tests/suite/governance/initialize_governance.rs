//! `initialize_governance`: once, by the upgrade authority, with parameters
//! in range.

use {
    ::governance::error::GovernanceError,
    depin_sdk::{governance, pda, Signer},
    depin_tests::{
        assert_already_in_use, assert_governance_error, cluster_with_mint,
        dao::{test_governance_args, Dao, Governed},
    },
};

#[test]
fn initialization_is_once_and_by_the_upgrade_authority() {
    let mut dao = Dao::new();
    let deployer = dao.net.cluster.upgrade_authority().insecure_clone();
    let again = governance::initialize_governance(
        deployer.pubkey(),
        deployer.pubkey(),
        pda::token_mint().0,
        test_governance_args(),
    );
    assert_already_in_use(dao.send_as(&deployer, &[again]));

    let (mut cluster, impostor, mint) = cluster_with_mint(6);
    let init = governance::initialize_governance(
        impostor.pubkey(),
        impostor.pubkey(),
        mint,
        test_governance_args(),
    );
    assert_governance_error(
        cluster.send(&[init], &impostor, &[]),
        GovernanceError::NotUpgradeAuthority,
    );

    // Parameters out of range.
    let deployer = cluster.upgrade_authority().insecure_clone();
    let mut weak = test_governance_args();
    weak.rules.approval_threshold_bps = 4_999;
    let mut instant = test_governance_args();
    instant.rules.voting_period_secs = 0;
    let mut no_quorum = test_governance_args();
    no_quorum.rules.quorum = governance::Quorum::LockedFraction { bps: 0 };
    let mut unbounded = test_governance_args();
    unbounded.power.max_extra_bps = 1_000_000;
    let mut inverted = test_governance_args();
    inverted.power.min_lockup_secs = inverted.power.max_lockup_secs + 1;
    let mut duplicated = test_governance_args();
    duplicated.allowed_programs.push(::rewards::ID);
    let mut itself = test_governance_args();
    itself.allowed_programs.push(::governance::ID);
    for (args, error) in [
        (weak, GovernanceError::InvalidProposalRules),
        (instant, GovernanceError::InvalidProposalRules),
        (no_quorum, GovernanceError::InvalidProposalRules),
        (unbounded, GovernanceError::InvalidPowerParams),
        (inverted, GovernanceError::InvalidPowerParams),
        (duplicated, GovernanceError::InvalidAllowedPrograms),
        (itself, GovernanceError::InvalidAllowedPrograms),
    ] {
        let init =
            governance::initialize_governance(deployer.pubkey(), deployer.pubkey(), mint, args);
        assert_governance_error(cluster.send(&[init], &deployer, &[]), error);
    }
}
