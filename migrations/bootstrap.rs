//! The bootstrap of a fresh deployment: oracle, rewards, registry,
//! governance, then every authority handed to the DAO.
//!
//! `cargo run -p depin-sdk --example bootstrap` runs it on the embedded
//! runtime (twice, to show that a rerun changes nothing) and prints who owns
//! what. Against a cluster the same `depin_client::bootstrap::bootstrap_network`
//! runs over RPC (`depin network init`, once the SDK's RPC backend lands).

use {
    depin_client::{
        bootstrap::{self, NetworkPlan},
        embedded::EmbeddedCluster,
    },
    depin_sdk::{governance, pda, Keypair, Signer},
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut cluster = EmbeddedCluster::new();
    let deployer = cluster.upgrade_authority().insecure_clone();
    let authority = Keypair::new();
    cluster.airdrop(&authority.pubkey(), 100_000_000_000)?;
    let oracles: Vec<_> = (0..3).map(|_| Keypair::new().pubkey()).collect();
    let genesis = cluster.clock().unix_timestamp;
    let plan = NetworkPlan::standard(oracles, 2, genesis, 100_000_000_000);

    let first = bootstrap::bootstrap_network(&mut cluster, &deployer, &authority, &plan)?;
    let again = bootstrap::bootstrap_network(&mut cluster, &deployer, &authority, &plan)?;
    let dao = governance::dao_authority();
    let owners = [
        (
            "registry config",
            pda::registry_config().0,
            first.registry.authority,
        ),
        (
            "oracle config",
            pda::oracle_config().0,
            first.oracle.authority,
        ),
        (
            "rewards config",
            pda::rewards_config().0,
            first.rewards.authority,
        ),
        ("governance config", pda::governance_config().0, dao),
    ];
    println!("DAO authority: {dao}");
    for (what, address, owner) in owners {
        let by = if owner == dao {
            "the DAO"
        } else {
            "someone else"
        };
        println!("{what:<18} {address}  owned by {by}");
    }
    println!("handed over now: {:?}", first.handed_over);
    println!("handed over by the rerun: {:?}", again.handed_over);
    if [
        first.registry.authority,
        first.oracle.authority,
        first.rewards.authority,
    ]
    .iter()
    .any(|owner| *owner != dao)
    {
        return Err("the bootstrap left an authority outside the DAO".into());
    }
    Ok(())
}
