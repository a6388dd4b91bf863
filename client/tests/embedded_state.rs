//! The embedded runtime's state survives a save and a load: accounts, the
//! clock, and programs that keep working on the loaded state.

use {
    depin_client::{
        backend::BackendExt,
        bootstrap::NetworkPlan,
        embedded::{EmbeddedCluster, StateFileError},
        Client,
    },
    depin_sdk::{pda, Keypair, Signer},
};

#[test]
fn a_saved_network_loads_and_keeps_working() {
    let directory = std::env::temp_dir().join(format!("depin-state-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("state.bin");
    let deployer = Keypair::new();
    let mut cluster = EmbeddedCluster::with_upgrade_authority(deployer.insecure_clone());
    cluster.warp_to_timestamp(1_800_000_000);
    let genesis = cluster.clock().unix_timestamp;
    cluster.set_state_path(&path);
    let mut client = Client::new(Box::new(cluster), deployer.insecure_clone());
    let plan = NetworkPlan::standard(vec![deployer.pubkey()], 1, genesis, 1_000_000_000);
    client.init_network(&plan).unwrap();
    client.warp(86_400).unwrap();
    client.backend().persist().unwrap();
    let before = client.network_status().unwrap();
    let treasury_before = client
        .backend()
        .account(&pda::treasury().0)
        .unwrap()
        .unwrap();

    let loaded = EmbeddedCluster::load(&path, deployer.insecure_clone()).unwrap();
    let mut client = Client::new(Box::new(loaded), deployer.insecure_clone());
    let after = client.network_status().unwrap();
    assert_eq!(after.clock.unix_timestamp, before.clock.unix_timestamp);
    assert_eq!(after.clock.slot, before.clock.slot);
    assert_eq!(after.registry.unwrap().classes.len(), 3);
    assert_eq!(after.governance.unwrap().token_mint, pda::token_mint().0);
    assert_eq!(
        client
            .backend()
            .account(&pda::treasury().0)
            .unwrap()
            .unwrap(),
        treasury_before
    );
    // The programs run on the loaded state: epoch 0 is issued, and a rerun
    // of the bootstrap changes nothing.
    client.submit_price(500_000).unwrap();
    let (epoch, _) = client.issue_epoch(None).unwrap();
    assert_eq!(epoch, 0);
    assert_eq!(client.rewards_config().unwrap().next_epoch, 1);
    let rerun = client.init_network(&plan).unwrap();
    assert_eq!(rerun.handed_over, Default::default());

    // A file that is not a state file is refused with its path.
    std::fs::write(directory.join("junk.bin"), b"not a state").unwrap();
    let error = EmbeddedCluster::load(&directory.join("junk.bin"), Keypair::new())
        .err()
        .expect("refused");
    assert!(matches!(error, StateFileError::Corrupt { .. }));
    assert!(error.to_string().contains("junk.bin"), "{error}");
    let missing = EmbeddedCluster::load(&directory.join("missing.bin"), Keypair::new())
        .err()
        .expect("refused");
    assert!(matches!(missing, StateFileError::Read { .. }));
    std::fs::remove_dir_all(&directory).ok();
}
