//! Boundaries: each promise asserted at its exact edge and one step past it
//! (seconds of the price, challenge and finality windows; the 16-oracle
//! maximum; maker quotas within one transaction; claims after a
//! re-registration in the retiring transaction; forged event-CPI calls).
//!
//! Edges already pinned elsewhere, not repeated here:
//! * votes at `epoch_end + finality_deadline` accepted, one second later
//!   `DeadlinePassed`; `expire_batch` at the deadline `DeadlineNotPassed`,
//!   one second later accepted: `proof_oracle::batches_expire_after_the_deadline_so_epochs_never_block`;
//! * `reject_batch` at `finalized_at + challenge_window` is
//!   `ChallengeWindowClosed`: `proof_oracle::the_authority_vetoes_inside_the_challenge_window_only`;
//! * `set_oracle_set` with 16 oracles accepted, 17 `InvalidOracleCount`:
//!   `proof_oracle::oracle_sets_are_validated`;
//! * every price `price_max_staleness + 1` seconds old is `StalePrice`:
//!   `rewards_attacks::credits_need_fresh_prices`;
//! * a quota filled by separate transactions: `registry_devices::makers_stop_at_their_quota`.

use {
    ::rewards::{error::RewardsError, events::DataCreditsMinted},
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_client::embedded::EmbeddedCluster,
    depin_sdk::{
        accounts::{BatchStatus, EpochBatch, OracleConfig},
        batch::BatchFile,
        device_registry::{self, RegisterDeviceAccounts, RegisterDeviceArgs},
        merkle::Leaf,
        pda,
        proof_oracle::{self, InitializeOracleArgs},
        proof_oracle::{error::OracleError, events::BatchFinalized},
        rewards, token, AccountMeta, Instruction, Keypair, Pubkey, SdkError, Signer, TxOutcome,
    },
    depin_tests::{
        assert_anchor_error, assert_oracle_error, assert_registry_error, assert_rewards_error,
        assert_signing_refused, instruction_error,
        network::{leaves, Member, Network, TOKEN},
        proof_oracle::{commitment, OracleNet, GENESIS},
        Registry, CLASS_MAKER, SOL,
    },
    device_registry::error::RegistryError,
    solana_instruction_error::InstructionError,
};

fn oracle_config(network: &Network) -> OracleConfig {
    network.cluster.fetch(&pda::oracle_config().0).unwrap()
}

fn epoch_batch(network: &Network, epoch: u64) -> EpochBatch {
    network.cluster.fetch(&pda::epoch_batch(epoch).0).unwrap()
}

/// `oracle` posts `price` in `network`.
fn post(network: &mut Network, oracle: usize, price: u64) {
    let signer = network.oracles[oracle].insecure_clone();
    network
        .send(
            &[proof_oracle::submit_price(signer.pubkey(), price)],
            &signer,
            &[],
        )
        .unwrap();
}

/// The price (after the discount) at which `member` buys credits with one
/// token now.
fn bought_at(network: &mut Network, member: &Member) -> u64 {
    let outcome = network.buy_dc(member, TOKEN).unwrap();
    outcome.events::<DataCreditsMinted>(&::rewards::ID)[0].price
}

/// `median` after the network's credit discount.
fn discounted(network: &Network, median: u64) -> u64 {
    median * (10_000 - u64::from(network.config().price_discount_bps)) / 10_000
}

// ------------------------------------------------------------ time edges

/// A price exactly `price_max_staleness` seconds old still counts toward
/// the median; one second older it does not. The median needs
/// `max(price_min_submissions, quorum)` = 2 fresh prices here, so the
/// oldest needed price decides.
#[test]
fn a_price_exactly_as_old_as_the_staleness_bound_still_counts() {
    let mut network = Network::new();
    network.launch();
    let member = network.member();
    network.fund_tokens(&member.pubkey(), 10 * TOKEN);
    let config = oracle_config(&network);
    let staleness = config.price_max_staleness;
    assert_eq!(config.price_quorum(), 2);

    let t0 = network.now();
    post(&mut network, 0, 2_000_000);
    network.cluster.warp_to_timestamp(t0 + 1);
    post(&mut network, 1, 3_000_000);

    // Oracle 0's price is exactly `staleness` old: both count; the lower
    // middle of two is oracle 0's.
    network.cluster.warp_to_timestamp(t0 + staleness);
    let expected = discounted(&network, 2_000_000);
    assert_eq!(bought_at(&mut network, &member), expected);

    // One second later oracle 0's price is out, and one fresh price is not
    // enough.
    network.cluster.warp_to_timestamp(t0 + staleness + 1);
    assert_rewards_error(network.buy_dc(&member, TOKEN), RewardsError::StalePrice);

    // Oracle 1's price, now exactly `staleness` old, counts with a new one.
    post(&mut network, 2, 4_000_000);
    let expected = discounted(&network, 3_000_000);
    assert_eq!(bought_at(&mut network, &member), expected);
    network.cluster.warp_to_timestamp(t0 + 1 + staleness + 1);
    assert_rewards_error(network.buy_dc(&member, TOKEN), RewardsError::StalePrice);
    network.assert_invariants();
}

/// Claims open at `finalized_at + challenge_window` exactly and are
/// refused one second earlier with `BatchInChallengeWindow`, the last
/// second in which the authority can still veto (the veto's closing edge
/// is pinned in the oracle tests).
#[test]
fn claims_open_at_the_exact_end_of_the_challenge_window() {
    let mut network = Network::new();
    network.launch();
    let member = network.funded_member(10 * TOKEN);
    network.buy_dc(&member, 10 * TOKEN).unwrap();
    let device = Keypair::new();
    network.register(&member, &device).unwrap();
    let cranker = network.treasury_owner.insecure_clone();

    // Two batches made final in the same second: epoch 0 to claim against,
    // epoch 1 to veto.
    network.after_epoch(1, 10);
    let claimed = BatchFile::new(0, leaves(&network, &[(device.pubkey(), TOKEN)])).unwrap();
    let vetoed = BatchFile::new(1, leaves(&network, &[(device.pubkey(), 2 * TOKEN)])).unwrap();
    network.finalize(&claimed, 2);
    network.finalize(&vetoed, 2);
    let finalized_at = epoch_batch(&network, 0).finalized_at;
    assert_eq!(epoch_batch(&network, 1).finalized_at, finalized_at);
    let window = oracle_config(&network).challenge_window;
    let window_end = finalized_at + window;

    network.cluster.warp_to_timestamp(window_end - 1);
    assert_rewards_error(
        network.claim(&claimed, &device.pubkey(), &cranker),
        RewardsError::BatchInChallengeWindow,
    );
    let authority = network.authority.pubkey();
    network
        .authority_send(proof_oracle::reject_batch(authority, 1))
        .unwrap();
    assert_eq!(epoch_batch(&network, 1).status, BatchStatus::Rejected);

    network.cluster.warp_to_timestamp(window_end);
    network.claim(&claimed, &device.pubkey(), &cranker).unwrap();
    assert_eq!(network.token_balance(&member.pubkey()), TOKEN);
    assert_eq!(network.device(&device.pubkey()).rewards_claimed, TOKEN);
    network.assert_invariants();
}

/// `finalize_batch` has the same inclusive deadline as votes: at
/// `epoch_end + finality_deadline` it makes a batch final, one second later
/// it is `DeadlinePassed` (and the batch can only expire).
#[test]
fn finalize_batch_works_through_the_deadline_second_and_not_after() {
    let mut net = OracleNet::new(3, 3);
    let authority = net.authority.pubkey();
    let payer = net.authority.insecure_clone();
    // Two of three votes on epochs 0 and 1: pending under quorum 3.
    net.after_epoch(1, 10);
    for epoch in [0, 1] {
        net.vote(0, epoch, commitment(1)).unwrap();
        net.vote(1, epoch, commitment(1)).unwrap();
        assert_eq!(net.batch(epoch).status, BatchStatus::Pending);
    }
    net.authority_send(proof_oracle::set_oracle_set(
        authority,
        net.oracle_keys(),
        2,
    ))
    .unwrap();
    let deadline = net.config().finality_deadline;

    net.after_epoch(0, deadline + 1);
    assert_oracle_error(
        net.cluster
            .send(&[proof_oracle::finalize_batch(0)], &payer, &[]),
        OracleError::DeadlinePassed,
    );
    assert_eq!(net.batch(0).status, BatchStatus::Pending);

    net.after_epoch(1, deadline);
    let outcome = net
        .cluster
        .send(&[proof_oracle::finalize_batch(1)], &payer, &[])
        .unwrap();
    assert_eq!(
        outcome.events::<BatchFinalized>(&proof_oracle::ID)[0].votes,
        2
    );
    let batch = net.batch(1);
    assert_eq!(
        (batch.status, batch.finalized_at),
        (BatchStatus::Final, net.now())
    );
}

// ------------------------------------------------------------ 16 oracles

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
    let mut initialize = |args: InitializeOracleArgs| {
        cluster.send(
            &[proof_oracle::initialize_oracle(
                deployer.pubkey(),
                deployer.pubkey(),
                args,
            )],
            &deployer,
            &[],
        )
    };
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

/// Sixteen oracles with 128-byte URIs fill a batch: fifteen votes leave it
/// pending, the sixteenth makes it final with 16 votes. Their 16 prices
/// fill the feed, and the median needs all 16 (the quorum).
#[test]
fn sixteen_votes_with_maximal_uris_fit_a_batch() {
    let mut net = OracleNet::new(16, 16);
    net.after_epoch(0, 10);
    let uri = |index: usize| format!("{index:02}{}", "u".repeat(126));
    for index in 0..16 {
        let oracle = net.oracles[index].insecure_clone();
        let outcome = net
            .cluster
            .send(
                &[proof_oracle::submit_batch(
                    oracle.pubkey(),
                    0,
                    commitment(1),
                    uri(index),
                )],
                &oracle,
                &[],
            )
            .unwrap();
        let finalized = outcome.events::<BatchFinalized>(&proof_oracle::ID);
        if index < 15 {
            assert!(finalized.is_empty());
            assert_eq!(net.batch(0).status, BatchStatus::Pending);
        } else {
            assert_eq!(finalized[0].votes, 16);
        }
    }
    let batch = net.batch(0);
    assert_eq!(batch.status, BatchStatus::Final);
    assert_eq!(batch.votes.len(), 16);
    assert!(batch.votes.iter().all(|vote| vote.uri.len() == 128));
    assert_eq!(batch.uri, uri(0));

    let config = net.config();
    for index in 0..16 {
        net.price(index, 1_000 + index as u64).unwrap();
        let median = net.price_feed().median(&config, net.now());
        if index < 15 {
            assert_eq!(median.unwrap_err(), OracleError::TooFewPrices.into());
        } else {
            assert_eq!(median.unwrap(), 1_007);
        }
    }
    assert_eq!(net.price_feed().entries.len(), 16);
}

/// With 16 contributing votes every oracle, the one at vote index 15 (the
/// last bit of the claim mask) included, takes exactly a sixteenth, once.
#[test]
fn sixteen_contributing_oracles_each_claim_a_sixteenth() {
    let mut network = Network::new();
    network.launch();
    let authority = network.authority.pubkey();
    let oracles: Vec<Keypair> = (0..16).map(|_| Keypair::new()).collect();
    for oracle in &oracles {
        network.cluster.airdrop(&oracle.pubkey(), SOL).unwrap();
    }
    network
        .authority_send(proof_oracle::set_oracle_set(
            authority,
            oracles.iter().map(Signer::pubkey).collect(),
            16,
        ))
        .unwrap();
    network.oracles = oracles;
    let batch = BatchFile::new(
        0,
        vec![Leaf {
            device_key: [9; 32],
            serial: 1,
            amount: TOKEN,
        }],
    )
    .unwrap();
    network.finalize(&batch, 15);
    assert_eq!(epoch_batch(&network, 0).status, BatchStatus::Pending);
    network.vote(&batch, 15);
    let final_batch = epoch_batch(&network, 0);
    assert_eq!(
        (final_batch.status, final_batch.votes.len()),
        (BatchStatus::Final, 16)
    );
    network.after_epoch(0, 2 * 3_600);

    let share = network.epoch_rewards(0).oracles / 16;
    assert!(share > 0);
    for index in (0..16).rev() {
        network.claim_oracle(index, 0).unwrap();
        let owner = network.oracles[index].pubkey();
        assert_eq!(network.token_balance(&owner), share);
    }
    network.cluster.next_blockhash();
    assert_rewards_error(
        network.claim_oracle(15, 0),
        RewardsError::OracleAlreadyClaimed,
    );
    let epoch = network.epoch_rewards(0);
    assert_eq!(epoch.oracle_claimed_mask, u16::MAX);
    assert_eq!(epoch.oracle_paid, 16 * share);
    network.assert_invariants();
}

// --------------------------------------------------------- maker quotas

fn maker_registration(registry: &Registry, operator_key: Pubkey, device: &Keypair) -> Instruction {
    let fee_account = token::associated_token_address(
        &operator_key,
        &registry.fee_mint.pubkey(),
        &anchor_spl::token::ID,
    );
    device_registry::register_device(
        &RegisterDeviceAccounts {
            payer: operator_key,
            owner: operator_key,
            device_key: device.pubkey(),
            maker_key: Some(registry.maker.pubkey()),
            fee_mint: registry.fee_mint.pubkey(),
            fee_account,
            token_program: anchor_spl::token::ID,
        },
        RegisterDeviceArgs {
            class_id: CLASS_MAKER,
            location: None,
            metadata: vec![],
        },
    )
}

/// Sends `count` maker-attested registrations in one transaction.
fn register_many(
    registry: &mut Registry,
    operator: &Keypair,
    count: usize,
) -> (Vec<Keypair>, Result<TxOutcome, SdkError>) {
    let devices: Vec<Keypair> = (0..count).map(|_| Keypair::new()).collect();
    let instructions: Vec<Instruction> = devices
        .iter()
        .map(|device| maker_registration(registry, operator.pubkey(), device))
        .collect();
    let maker = registry.maker.insecure_clone();
    let mut signers: Vec<&Keypair> = devices.iter().collect();
    signers.push(&maker);
    let result = registry.cluster.send(&instructions, operator, &signers);
    (devices, result)
}

#[track_caller]
fn assert_quota_refused(result: Result<TxOutcome, SdkError>, index: u8) {
    let code = u32::from(RegistryError::MakerQuotaExceeded);
    assert_eq!(
        instruction_error(result),
        (index, InstructionError::Custom(code)),
        "expected MakerQuotaExceeded at instruction {index}"
    );
}

/// A maker with quota 3: one transaction of 4 registrations is refused at
/// the fourth, atomically (no device of it exists, no fee is burned, no
/// counter moves); with one device onboarded, a transaction of 3 is refused
/// at its third, and one of 2 fills the quota exactly.
#[test]
fn one_transaction_cannot_register_past_the_maker_quota() {
    let mut registry = Registry::new();
    let operator = registry.operator();
    let owner = operator.keypair.insecure_clone();
    let maker = registry.maker.pubkey();
    assert_eq!(registry.maker_account(&maker).device_quota, Some(3));
    let fees_before = registry.cluster.token_balance(&operator.fee_account);

    let (devices, result) = register_many(&mut registry, &owner, 4);
    assert_quota_refused(result, 3);
    for device in &devices {
        assert!(registry
            .cluster
            .account(&pda::device(&device.pubkey()).0)
            .is_none());
    }
    assert_eq!(registry.maker_account(&maker).devices_onboarded, 0);
    let config = registry.config();
    assert_eq!((config.devices_registered, config.active_devices), (0, 0));
    assert_eq!(
        registry.cluster.token_balance(&operator.fee_account),
        fees_before
    );

    // One onboarded: N + 1 counted across transactions.
    let (first, result) = register_many(&mut registry, &owner, 1);
    result.unwrap();
    let (devices, result) = register_many(&mut registry, &owner, 3);
    assert_quota_refused(result, 2);
    assert!(devices.iter().all(|device| registry
        .cluster
        .account(&pda::device(&device.pubkey()).0)
        .is_none()));
    assert_eq!(registry.maker_account(&maker).devices_onboarded, 1);

    let (devices, result) = register_many(&mut registry, &owner, 2);
    result.unwrap();
    assert_eq!(registry.maker_account(&maker).devices_onboarded, 3);
    let serials: Vec<u64> = first
        .iter()
        .chain(&devices)
        .map(|device| registry.device(&device.pubkey()).serial)
        .collect();
    assert_eq!(serials, [1, 2, 3]);
    assert_registry_error(
        register_many(&mut registry, &owner, 1).1,
        RegistryError::MakerQuotaExceeded,
    );
}

// ------------------------------------------- re-registration and claims

fn registration(member: &Member, device: &Keypair) -> Instruction {
    device_registry::register_device(
        &RegisterDeviceAccounts {
            payer: member.pubkey(),
            owner: member.pubkey(),
            device_key: device.pubkey(),
            maker_key: None,
            fee_mint: pda::dc_mint().0,
            fee_account: member.dc_account(),
            token_program: token::TOKEN_2022_PROGRAM_ID,
        },
        RegisterDeviceArgs {
            class_id: 0,
            location: None,
            metadata: vec![],
        },
    )
}

/// Issues `epoch` (after its end) and makes a batch of `leaves` for it
/// final and claimable.
fn claimable_batch(network: &mut Network, epoch: u64, leaves: Vec<Leaf>) -> BatchFile {
    network.after_epoch(epoch, 1);
    network.issue(epoch).unwrap();
    let batch = BatchFile::new(epoch, leaves).unwrap();
    network.finalize(&batch, 2);
    let window = oracle_config(network).challenge_window;
    network.cluster.warp_to_timestamp(network.now() + window);
    batch
}

/// A device retired and registered again in one transaction gets a new
/// serial and `rewards_claimed = 0`. Leaves of the old serial, claimed or
/// not, never pay the new registration (`InvalidProof`, also inside the
/// re-registering transaction, which then rolls back whole), and the old
/// registration's claimed total does not reduce what the new one is owed.
#[test]
fn re_registration_in_the_retiring_transaction_gets_a_new_serial_and_no_old_claims() {
    let mut network = Network::new();
    network.launch();
    let member = network.funded_member(10 * TOKEN);
    network.buy_dc(&member, 10 * TOKEN).unwrap();
    let device = Keypair::new();
    network.register(&member, &device).unwrap();
    let old_serial = network.device(&device.pubkey()).serial;
    let old_leaf = |amount| Leaf {
        device_key: device.pubkey().to_bytes(),
        serial: old_serial,
        amount,
    };
    let cranker = network.treasury_owner.insecure_clone();

    // The old registration is paid 300 in epoch 1 and is owed 500 in all
    // by epoch 2.
    let paid = claimable_batch(&mut network, 1, vec![old_leaf(300 * TOKEN)]);
    network.claim(&paid, &device.pubkey(), &cranker).unwrap();
    let owed = claimable_batch(&mut network, 2, vec![old_leaf(500 * TOKEN)]);
    assert_eq!(
        network.device(&device.pubkey()).rewards_claimed,
        300 * TOKEN
    );

    let owner = member.keypair.insecure_clone();
    let retire = device_registry::retire_device(member.pubkey(), device.pubkey());
    let claim_old = |batch: &BatchFile| {
        rewards::claim_rewards(
            rewards::claim_from_batch(batch, &device.pubkey(), member.token_account()).unwrap(),
        )
    };
    // Retire, register again and claim the old leaf, all in one go.
    let result = network.send(
        &[
            retire.clone(),
            registration(&member, &device),
            claim_old(&owed),
        ],
        &owner,
        &[&device],
    );
    let code = u32::from(RewardsError::InvalidProof);
    assert_eq!(
        instruction_error(result),
        (2, InstructionError::Custom(code))
    );
    let account = network.device(&device.pubkey());
    assert_eq!(
        (account.serial, account.rewards_claimed),
        (old_serial, 300 * TOKEN)
    );

    // Retire and register again: a new serial, nothing claimed.
    network
        .send(
            &[retire, registration(&member, &device)],
            &owner,
            &[&device],
        )
        .unwrap();
    let account = network.device(&device.pubkey());
    assert_eq!(account.serial, old_serial + 1);
    assert_eq!(account.rewards_claimed, 0);
    let registry = network
        .cluster
        .fetch::<depin_sdk::accounts::RegistryConfig>(&pda::registry_config().0)
        .unwrap();
    assert_eq!(
        (registry.devices_registered, registry.active_devices),
        (old_serial + 1, 1)
    );

    // Old leaves, claimed or not, do not pay the new registration.
    let balance = network.token_balance(&member.pubkey());
    for batch in [&owed, &paid] {
        assert_rewards_error(
            network.send(&[claim_old(batch)], &cranker, &[]),
            RewardsError::InvalidProof,
        );
    }

    // The new registration's first leaf pays in full: the old 300 claimed
    // does not carry over.
    let fresh_leaves = leaves(&network, &[(device.pubkey(), 50 * TOKEN)]);
    let fresh = claimable_batch(&mut network, 3, fresh_leaves);
    network.claim(&fresh, &device.pubkey(), &cranker).unwrap();
    assert_eq!(
        network.token_balance(&member.pubkey()),
        balance + 50 * TOKEN
    );
    assert_eq!(network.device(&device.pubkey()).rewards_claimed, 50 * TOKEN);
    network.assert_invariants();
}

// ------------------------------------------------------ forged event CPIs

/// What the runtime reports for a program's `ProgramError::NotEnoughAccountKeys`
/// (the variant is deprecated in favour of `MissingAccount`, which this
/// runtime does not produce for it).
#[allow(deprecated)]
const NOT_ENOUGH_ACCOUNT_KEYS: InstructionError = InstructionError::NotEnoughAccountKeys;

/// Anchor's event-CPI instruction: the tag, then (here) an arbitrary event
/// payload.
fn event_instruction(program_id: Pubkey, accounts: Vec<AccountMeta>) -> Instruction {
    let mut data = anchor_lang::event::EVENT_IX_TAG_LE.to_vec();
    data.extend_from_slice(&[0xAB; 40]);
    Instruction {
        program_id,
        accounts,
        data,
    }
}

/// The `emit_cpi!` self-CPI instruction of each program, called directly by
/// an outside signer: with its own key as the first account it is
/// `ConstraintSeeds`; with the event authority not signing,
/// `ConstraintSigner`; with no account, `NotEnoughAccountKeys`; and a
/// transaction cannot be signed for the event-authority PDA at all.
#[test]
fn forged_event_cpi_calls_are_refused_by_every_program() {
    let mut cluster = EmbeddedCluster::new();
    let attacker = Keypair::new();
    cluster.airdrop(&attacker.pubkey(), SOL).unwrap();
    for program_id in [
        device_registry::ID,
        proof_oracle::ID,
        ::rewards::ID,
        governance::ID,
    ] {
        let event_authority = pda::event_authority(&program_id);
        let forged = event_instruction(
            program_id,
            vec![AccountMeta::new_readonly(attacker.pubkey(), true)],
        );
        assert_anchor_error(
            cluster.send(&[forged], &attacker, &[]),
            AnchorErrorCode::ConstraintSeeds,
        );
        let unsigned = event_instruction(
            program_id,
            vec![AccountMeta::new_readonly(event_authority, false)],
        );
        assert_anchor_error(
            cluster.send(&[unsigned], &attacker, &[]),
            AnchorErrorCode::ConstraintSigner,
        );
        let bare = event_instruction(program_id, vec![]);
        assert_eq!(
            instruction_error(cluster.send(&[bare], &attacker, &[])),
            (0, NOT_ENOUGH_ACCOUNT_KEYS)
        );
        let signed = event_instruction(
            program_id,
            vec![AccountMeta::new_readonly(event_authority, true)],
        );
        assert_signing_refused(cluster.send(&[signed], &attacker, &[]));
    }
}
