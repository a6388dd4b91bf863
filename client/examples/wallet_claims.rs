//! Wallet claims, measured: the bytes of one claim transaction against
//! batches of 1,000 / 100,000 / 1,000,000 recipient wallets (legacy, and
//! version 0 with a lookup table of the accounts every claim shares), the
//! transactions a fleet of 10,000 devices needs to be paid, and claims per
//! second on the embedded runtime.
//!
//! `cargo run --release -p depin-client --example wallet_claims [WALLETS_PAID]`
//! (default 2,000 wallets paid for the rate).

use {
    depin_client::{
        bootstrap::{self, NetworkPlan},
        embedded::EmbeddedCluster,
        BackendExt, Client,
    },
    depin_sdk::{
        batch::{BatchFile, DeviceReward},
        pda,
        rewards::{claim_from_batch, claim_rewards_with_account, claim_shared_accounts},
        txsize::{self, LookupTable},
        Keypair, Pubkey, Signer, MAX_TRANSACTION_SIZE,
    },
    std::time::Instant,
};

/// A batch of `wallets` recipients, each paid for `devices_per_wallet`
/// devices (synthetic keys: the batch file does not read the chain).
fn batch(epoch: u64, wallets: u32, devices_per_wallet: u32) -> (BatchFile, Vec<Pubkey>) {
    let recipients: Vec<Pubkey> = (0..wallets).map(|_| Pubkey::new_unique()).collect();
    let rewards = recipients
        .iter()
        .flat_map(|recipient| {
            (0..devices_per_wallet).map(move |device| DeviceReward {
                device_key: Pubkey::new_unique(),
                serial: u64::from(device) + 1,
                amount: 1_000 + u64::from(device % 7),
                recipient: *recipient,
            })
        })
        .collect();
    (
        BatchFile::build(epoch, None, rewards).expect("a batch"),
        recipients,
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paid: u32 = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(2_000);
    let payer = Pubkey::new_unique();
    println!("bytes of one claim transaction (a cluster takes at most {MAX_TRANSACTION_SIZE}):");
    println!(
        "{:>10}  {:>11}  {:>12}  {:>21}  {:>24}",
        "wallets",
        "proof nodes",
        "legacy claim",
        "legacy + ATA creation",
        "v0 + ALT + ATA creation"
    );
    for wallets in [1_000u32, 100_000, 1_000_000] {
        let (batch, recipients) = batch(1, wallets, 1);
        // The deepest proof of the tree (the first leaf's).
        let claim = claim_from_batch(&batch, &recipients[0]).expect("a leaf");
        let nodes = claim.proof.len();
        let with_account = claim_rewards_with_account(payer, claim);
        let claim_only = txsize::legacy_size(&payer, &with_account[1..]);
        let legacy = txsize::legacy_size(&payer, &with_account);
        let table = LookupTable {
            key: Pubkey::new_unique(),
            addresses: claim_shared_accounts(1),
        };
        let v0 = txsize::v0_size(&payer, &with_account, &[table])?;
        let mark = |size: usize| {
            if size <= MAX_TRANSACTION_SIZE {
                format!("{size}")
            } else {
                format!("{size} (too big)")
            }
        };
        println!(
            "{wallets:>10}  {nodes:>11}  {:>12}  {:>21}  {:>24}",
            mark(claim_only),
            mark(legacy),
            mark(v0)
        );
        assert!(v0 <= MAX_TRANSACTION_SIZE, "a v0 claim of {v0} bytes");
    }
    println!(
        "(each proof node is 40 bytes: a sibling's hash and sum; a legacy claim spends \
         the rest on 12 account keys of 32 bytes)"
    );

    // Pay a fleet of 10,000 devices owned by one wallet.
    let mut cluster = EmbeddedCluster::new();
    let deployer = cluster.upgrade_authority().insecure_clone();
    let authority = Keypair::new();
    cluster.airdrop(&authority.pubkey(), 10_000_000_000_000)?;
    let genesis = cluster.clock().unix_timestamp;
    let mut plan = NetworkPlan::standard(vec![authority.pubkey()], 1, genesis, 1);
    plan.hand_over = false;
    plan.oracle.price_min_submissions = 1;
    bootstrap::bootstrap_network(&mut cluster, &deployer, &authority, &plan)?;
    let mut client = Client::new(Box::new(cluster), authority.insecure_clone());
    client.warp(86_400)?;
    client.submit_price(1_000_000)?;
    client.issue_epoch(None)?;

    let (fleet, fleet_wallet) = {
        let (batch, recipients) = batch(0, 1, 10_000);
        (batch, recipients[0])
    };
    let (others, _) = batch(0, paid, 1);
    // One epoch-0 batch: the fleet's wallet plus `paid` one-device wallets.
    let mut devices: Vec<DeviceReward> = fleet.devices().to_vec();
    devices.extend_from_slice(others.devices());
    let epoch_batch = BatchFile::build(0, None, devices)?;
    client.submit_batch(&epoch_batch, "bench://epoch-0")?;
    client.warp(3_600)?;
    let fleet_claim = client.claim_rewards(&epoch_batch, Some(fleet_wallet))?;
    println!(
        "\na fleet of 10,000 devices paying one wallet: {} transaction(s) for {} base units",
        fleet_claim.transactions,
        fleet_claim.total()
    );

    let started = Instant::now();
    let report = client.distribute_rewards(&epoch_batch, &mut |_, _| {})?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "distribute: {} wallets paid in {} transactions, {:.2} s: {:.0} claims per second \
         (embedded runtime, first claims: each creates a token account and a record)",
        report.paid.len(),
        report.transactions,
        seconds,
        report.paid.len() as f64 / seconds
    );
    let record: depin_sdk::rewards::state::RecipientRecord = client
        .backend()
        .fetch(&pda::recipient_record(&fleet_wallet).0)?;
    assert_eq!(record.claimed, fleet_claim.total());
    Ok(())
}
