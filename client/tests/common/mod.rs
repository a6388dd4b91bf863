//! What the client test files share: a deployed network on either
//! backend.
#![allow(dead_code)]

use {
    depin_client::{
        backend::Backend,
        bootstrap::NetworkPlan,
        embedded::EmbeddedCluster,
        rpc::{RpcBackend, RpcOptions},
        Client,
    },
    depin_localnet::{Localnet, LocalnetConfig},
    depin_sdk::{
        batch::{BatchFile, DeviceReward},
        Keypair, Pubkey, Signer,
    },
};

/// A journey `$over(Over)` as two tests: `$embedded` on the embedded
/// runtime, `$localnet` over JSON-RPC to a `depin localnet`.
#[macro_export]
macro_rules! on_both_backends {
    ($over:ident, $embedded:ident, $localnet:ident $(,)?) => {
        #[test]
        fn $embedded() {
            $over(Over::Embedded);
        }

        #[test]
        fn $localnet() {
            $over(Over::Localnet);
        }
    };
}

/// Where the SDK talks to the cluster: the embedded runtime in this
/// process, or the same runtime served by a `depin localnet` node over
/// JSON-RPC (the RPC backend, end to end).
#[derive(Clone, Copy)]
pub enum Over {
    Embedded,
    Localnet,
}

/// A deployed network whose single oracle (quorum 1) is the deployer, with
/// epoch 0 ended and issued; the node, when there is one, serves until
/// dropped.
pub fn network(over: Over) -> (Client, Option<Localnet>) {
    let deployer = Keypair::new();
    let mut cluster = EmbeddedCluster::with_upgrade_authority(deployer.insecure_clone());
    cluster.warp_to_timestamp(1_800_000_000);
    let genesis = cluster.clock().unix_timestamp;
    let (backend, node): (Box<dyn Backend>, _) = match over {
        Over::Embedded => (Box::new(cluster), None),
        Over::Localnet => {
            let node = Localnet::start(
                cluster,
                LocalnetConfig {
                    rpc_port: 0,
                    ws_port: 0,
                    slot_ms: 20,
                    ..LocalnetConfig::default()
                },
            )
            .expect("the node starts");
            let backend = RpcBackend::new(&node.rpc_url, RpcOptions::default());
            (Box::new(backend), Some(node))
        }
    };
    let mut client = Client::new(backend, deployer.insecure_clone());
    let mut plan = NetworkPlan::standard(vec![deployer.pubkey()], 1, genesis, 1_000_000_000);
    plan.hand_over = false;
    client.init_network(&plan).unwrap();
    client.warp(86_400).unwrap();
    client.submit_price(500_000).unwrap();
    client.issue_epoch(None).unwrap();
    (client, node)
}

/// A batch for epoch 0 paying `wallets` (synthetic devices, one each),
/// final and out of its challenge window.
pub fn final_batch(client: &mut Client, wallets: &[(Pubkey, u64)]) -> BatchFile {
    let rewards = wallets
        .iter()
        .enumerate()
        .map(|(index, (wallet, amount))| {
            let mut device = [0u8; 32];
            device[..8].copy_from_slice(&(index as u64).to_le_bytes());
            device[31] = 7;
            DeviceReward {
                device_key: Pubkey::new_from_array(device),
                serial: index as u64,
                amount: *amount,
                recipient: *wallet,
            }
        })
        .collect();
    let batch = BatchFile::build(0, None, rewards).unwrap();
    client
        .submit_batch(&batch, "https://example.org/epoch-0")
        .unwrap();
    let window = client.epoch_batch(0).unwrap().unwrap().challenge_ends_at;
    let now = client.backend().clock().unwrap().unix_timestamp;
    client.warp(window - now).unwrap();
    batch
}
