//! `initialize_registry`: once, by the upgrade authority, with a real fee
//! mint and authority.

use {
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_client::embedded::EmbeddedCluster,
    depin_sdk::{
        device_registry::{self, error::RegistryError},
        pda, Keypair, Pubkey, Signer,
    },
    depin_tests::*,
};

#[test]
fn initialize_records_authority_and_fee_mint() {
    let registry = Registry::empty();
    let config = registry.config();
    assert_eq!(config.authority, registry.authority.pubkey());
    assert_eq!(config.fee_mint, registry.fee_mint.pubkey());
    assert_eq!(config.bump, pda::registry_config().1);
    assert!(config.classes.is_empty());
    assert_eq!(config.devices_registered, 0);
}

#[test]
fn initialize_requires_the_upgrade_authority() {
    let (mut cluster, impostor, mint) = depin_tests::cluster_with_mint(0);
    let instruction = device_registry::initialize_registry(
        impostor.pubkey(),
        impostor.pubkey(),
        mint,
        impostor.pubkey(),
    );
    assert_registry_error(
        cluster.send(std::slice::from_ref(&instruction), &impostor, &[]),
        RegistryError::NotUpgradeAuthority,
    );

    // A ProgramData look-alike at another address is not the program's.
    let fake = Keypair::new().pubkey();
    let forged = substitute(instruction, &pda::program_data(&device_registry::ID), &fake);
    let result = cluster.send(&[forged], &impostor, &[]);
    assert!(result.is_err());
    assert!(cluster.account(&pda::registry_config().0).is_none());

    // The upgrade authority must sign.
    let deployer = cluster.upgrade_authority().insecure_clone();
    assert_needs_signer(
        |ix| cluster.send(&[ix], &impostor, &[]),
        device_registry::initialize_registry(
            impostor.pubkey(),
            deployer.pubkey(),
            mint,
            impostor.pubkey(),
        ),
        &deployer.pubkey(),
    );
}

#[test]
fn initialize_twice_fails() {
    let mut registry = Registry::empty();
    let deployer = registry.cluster.upgrade_authority().insecure_clone();
    let instruction = device_registry::initialize_registry(
        deployer.pubkey(),
        deployer.pubkey(),
        registry.fee_mint.pubkey(),
        deployer.pubkey(),
    );
    assert_already_in_use(registry.cluster.send(&[instruction], &deployer, &[]));
    assert_eq!(registry.config().authority, registry.authority.pubkey());
}

#[test]
fn initialize_rejects_a_fee_mint_that_is_not_a_mint() {
    let mut cluster = depin_client::embedded::EmbeddedCluster::new();
    let deployer = cluster.upgrade_authority().insecure_clone();
    let not_a_mint = Keypair::new().pubkey();
    cluster.airdrop(&not_a_mint, SOL).unwrap();
    let instruction = device_registry::initialize_registry(
        deployer.pubkey(),
        deployer.pubkey(),
        not_a_mint,
        deployer.pubkey(),
    );
    assert_anchor_error(
        cluster.send(&[instruction], &deployer, &[]),
        AnchorErrorCode::AccountOwnedByWrongProgram,
    );
}

/// A registry whose authority is the default address could never be
/// administered: refused, as the oracle and rewards programs refuse it.
#[test]
fn a_registry_cannot_be_initialized_for_the_default_authority() {
    let mut cluster = EmbeddedCluster::new();
    let deployer = cluster.upgrade_authority().insecure_clone();
    let fee_mint = create_mint(&mut cluster, &deployer, 0);
    let initialize = |authority| {
        device_registry::initialize_registry(
            deployer.pubkey(),
            deployer.pubkey(),
            fee_mint,
            authority,
        )
    };
    assert_registry_error(
        cluster.send(&[initialize(Pubkey::default())], &deployer, &[]),
        RegistryError::InvalidAuthority,
    );
    cluster
        .send(&[initialize(deployer.pubkey())], &deployer, &[])
        .unwrap();
}
