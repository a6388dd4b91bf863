//! The adversarial review's defects, each tried as an attack and refused,
//! and the pause switch with its guardian: direct burns against the supply
//! cap, one oracle pricing credits, breaker changes, pauses of every scope,
//! the guardian's bounds, and sweeping unclaimable oracle rewards.

use {
    ::rewards::error::RewardsError,
    ::rewards::state::PauseScope as RewardsScope,
    depin_client::{
        backend::Backend,
        bootstrap::{
            bootstrap_oracle, bootstrap_registry_with_mint, bootstrap_rewards, daily_oracle_args,
            default_rewards_args, MakerSpec, RegistryPlan,
        },
        embedded::EmbeddedCluster,
    },
    depin_sdk::{
        batch::BatchFile,
        device_registry::{self, FeeAccounts},
        governance::LockupKind,
        merkle::Leaf,
        pda,
        proof_oracle::{self, UpdateOracleParamsArgs},
        rewards::{self, BreakerParams, UpdateRewardsArgs, UsagePurpose},
        token, Keypair, Pubkey, Signer,
    },
    depin_tests::{
        assert_oracle_error, assert_registry_error, assert_rewards_error,
        dao::{Dao, YEAR},
        network::{leaves, Member, Network, PRICE, TOKEN},
        proof_oracle::{OracleNet, DAY, GENESIS},
        SF_CELL_2, SOL,
    },
    device_registry::{error::RegistryError, state::PauseScope as RegistryScope},
    proof_oracle::{error::OracleError, state::PauseScope as OracleScope},
};

const MAX_SUPPLY: u64 = 1_500_000 * TOKEN;

// ------------------------------------------------------- direct burns

/// Holders burn tokens and credits through the token programs (1 base unit
/// each, then more) before the cap, at it and across it: issuance, claims,
/// credit purchases, registrations and usage keep working, the cap binds
/// the ledger and the supply, and every invariant holds.
#[test]
fn burns_outside_the_programs_never_break_issuance_claims_or_purchases() {
    let mut network = Network::with_rewards(|args| args.max_supply = Some(MAX_SUPPLY));
    network.launch();
    let member = network.funded_member(100 * TOKEN);
    network.buy_dc(&member, 50 * TOKEN).unwrap();
    let device = Keypair::new();
    network.register(&member, &device).unwrap();
    // Before the cap: one base unit of each.
    network.burn_directly(&member, 1, 1).unwrap();
    network.assert_invariants();

    // Across the cap: epoch 1 would issue 1,000,000 but only the ledger's
    // room under the cap is minted; the direct burn opens no room.
    network.after_epoch(1, 1);
    network.issue(1).unwrap();
    let config = network.config();
    assert_eq!(config.tokens_minted - config.tokens_burned, MAX_SUPPLY);
    assert_eq!(network.token_supply(), MAX_SUPPLY - 1);
    network.assert_invariants();

    // A claim against epoch 1 pays.
    let batch = BatchFile::new(1, leaves(&network, &[(device.pubkey(), 10 * TOKEN)])).unwrap();
    network.finalize(&batch, 2);
    network.after_epoch(1, 2 * 3_600);
    let cranker = network.treasury_owner.insecure_clone();
    let before = network.token_balance(&member.pubkey());
    network.claim(&batch, &device.pubkey(), &cranker).unwrap();
    assert_eq!(network.token_balance(&member.pubkey()), before + 10 * TOKEN);

    // At the cap: more direct burns, then an issuance of nothing succeeds.
    network.burn_directly(&member, 5 * TOKEN, 1_000).unwrap();
    network.after_epoch(2, 1);
    network.issue(2).unwrap();
    assert_eq!(network.epoch_rewards(2).emission, 0);
    assert_eq!(network.epoch_rewards(2).reemission, 0);
    network.assert_invariants();

    // Credits bought at the cap burn tokens through the program: that room
    // is issued again in the next epoch, up to the cap and no further.
    network.submit_price(PRICE);
    network.buy_dc(&member, 20 * TOKEN).unwrap();
    let burned_for_credits = network.config().tokens_burned - config.tokens_burned;
    assert!(burned_for_credits > 0);
    network.spend_dc(&member, 1, UsagePurpose::Storage).unwrap();
    network.register(&member, &Keypair::new()).unwrap();
    network.after_epoch(3, 1);
    network.issue(3).unwrap();
    let epoch3 = network.epoch_rewards(3);
    assert_eq!(epoch3.emission + epoch3.reemission, burned_for_credits);
    let config = network.config();
    assert_eq!(config.tokens_minted - config.tokens_burned, MAX_SUPPLY);
    assert!(network.token_supply() < MAX_SUPPLY);
    network.assert_invariants();
}

// ------------------------------------------------------- price quorum

/// With `price_min_submissions = 1` in a 2-of-3 set, one fresh oracle used
/// to be the whole median; now a median needs the quorum of fresh prices.
#[test]
fn one_fresh_oracle_cannot_set_the_price_of_credits() {
    let mut net = OracleNet::with_min_prices(3, 2, 1);
    for index in 0..3 {
        net.price(index, PRICE).unwrap();
    }
    let staleness = net.config().price_max_staleness;
    net.cluster.warp_to_timestamp(net.now() + staleness + 1);
    net.price(0, PRICE / 1_000).unwrap();
    assert_eq!(
        net.price_feed().median(&net.config(), net.now()),
        Err(OracleError::StalePrice.into())
    );
    net.price(1, PRICE).unwrap();
    assert_eq!(
        net.price_feed().median(&net.config(), net.now()),
        Ok(PRICE / 1_000),
        "two fresh prices of a 2-of-3 set: the lower middle"
    );

    // Through the rewards program: a lone fresh price sells nothing.
    let mut network = Network::new();
    network.launch();
    let member = network.funded_member(10 * TOKEN);
    let authority = network.authority.pubkey();
    network
        .authority_send(proof_oracle::update_oracle_params(
            authority,
            UpdateOracleParamsArgs {
                price_min_submissions: Some(1),
                ..Default::default()
            },
        ))
        .unwrap();
    network
        .cluster
        .warp_to_timestamp(network.now() + staleness + 1);
    let oracle = network.oracles[0].insecure_clone();
    network
        .send(
            &[proof_oracle::submit_price(oracle.pubkey(), PRICE / 1_000)],
            &oracle,
            &[],
        )
        .unwrap();
    assert_rewards_error(network.buy_dc(&member, TOKEN), RewardsError::StalePrice);
    network.assert_invariants();
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
        net.authority_send(proof_oracle::set_oracle_set(authority, two.clone(), 2)),
        OracleError::PriceMinimumAboveSetSize,
    );
    net.authority_send(proof_oracle::update_oracle_params(authority, params(2)))
        .unwrap();
    net.authority_send(proof_oracle::set_oracle_set(authority, two, 2))
        .unwrap();
    assert_eq!(net.config().oracles.len(), 2);

    // At initialization too.
    let mut fresh = OracleNet::new(1, 1);
    let deployer = fresh.cluster.upgrade_authority().insecure_clone();
    let oracles = vec![Pubkey::new_unique(), Pubkey::new_unique()];
    let mut args = daily_oracle_args(authority, oracles, 2, GENESIS);
    args.price_min_submissions = 3;
    let mut cluster = EmbeddedCluster::new();
    cluster.airdrop(&deployer.pubkey(), SOL).unwrap();
    let deployer = cluster.upgrade_authority().insecure_clone();
    assert_oracle_error(
        cluster.send(
            &[proof_oracle::initialize_oracle(
                deployer.pubkey(),
                deployer.pubkey(),
                args,
            )],
            &deployer,
            &[],
        ),
        OracleError::PriceMinimumAboveSetSize,
    );
    let _ = fresh.price(0, PRICE);
}

// ------------------------------------------------- initialization

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

/// A registry whose authority is the default address could never be
/// administered: refused, as the oracle and rewards programs refuse it.
#[test]
fn a_registry_cannot_be_initialized_for_the_default_authority() {
    let mut cluster = EmbeddedCluster::new();
    let deployer = cluster.upgrade_authority().insecure_clone();
    let fee_mint = Keypair::new();
    let rent = cluster
        .minimum_balance_for_rent_exemption(token::MINT_LEN)
        .unwrap();
    cluster
        .send(
            &token::create_mint(
                &deployer.pubkey(),
                &fee_mint.pubkey(),
                &deployer.pubkey(),
                0,
                rent,
            ),
            &deployer,
            &[&fee_mint],
        )
        .unwrap();
    let initialize = |authority| {
        device_registry::initialize_registry(
            deployer.pubkey(),
            deployer.pubkey(),
            fee_mint.pubkey(),
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

// ---------------------------------------------------- challenge window

/// A batch's challenge window is fixed when it becomes final: a longer
/// window set afterwards neither reopens the veto nor closes claims; a
/// shorter one neither opens claims early nor cuts the veto short.
#[test]
fn a_challenge_window_change_never_reaches_a_batch_already_final() {
    let Running {
        mut network,
        device,
        batch,
        ..
    } = running();
    // `running` ends 2 h after epoch 1; the batch became final 1 s after it.
    let finalized_at = network
        .cluster
        .fetch::<proof_oracle::state::EpochBatch>(&pda::epoch_batch(1).0)
        .unwrap()
        .finalized_at;
    let authority = network.authority.pubkey();
    let window = |seconds| {
        proof_oracle::update_oracle_params(
            authority,
            UpdateOracleParamsArgs {
                challenge_window: Some(seconds),
                ..Default::default()
            },
        )
    };
    network.authority_send(window(4 * 3_600)).unwrap();
    assert_oracle_error(
        network.authority_send(proof_oracle::reject_batch(authority, 1)),
        OracleError::ChallengeWindowClosed,
    );
    let cranker = network.treasury_owner.insecure_clone();
    network.claim(&batch, &device.pubkey(), &cranker).unwrap();

    // Epoch 2 becomes final under a one-hour window, which then shrinks to
    // a minute: claims still wait the hour, and the veto still holds.
    network.authority_send(window(3_600)).unwrap();
    network.after_epoch(2, 1);
    network.issue(2).unwrap();
    let batch2 = BatchFile::new(2, leaves(&network, &[(device.pubkey(), 20 * TOKEN)])).unwrap();
    network.finalize(&batch2, 2);
    let final_at = network.now();
    network.authority_send(window(60)).unwrap();
    network.cluster.warp_to_timestamp(final_at + 61);
    assert_rewards_error(
        network.claim(&batch2, &device.pubkey(), &cranker),
        RewardsError::BatchInChallengeWindow,
    );
    network.cluster.warp_to_timestamp(final_at + 3_599);
    network
        .authority_send(proof_oracle::reject_batch(authority, 2))
        .unwrap();
    assert!(finalized_at > 0);
    network.assert_invariants();
}

// ------------------------------------------------------ circuit breaker

/// Changing a breaker's window used to clear what it had recorded, so a
/// second limit's worth could be minted inside one day.
#[test]
fn changing_a_breakers_window_keeps_what_it_recorded() {
    let mut network = Network::with_rewards(|args| {
        args.dc_breaker = BreakerParams {
            window_seconds: DAY,
            limit: 1_000_000,
        };
    });
    network.launch();
    let member = network.funded_member(100 * TOKEN);
    // Five tokens buy 990,000 DC: nearly the whole limit.
    network.buy_dc(&member, 5 * TOKEN).unwrap();
    let authority = network.authority.pubkey();
    for window in [DAY / 2, 2 * DAY] {
        network
            .authority_send(rewards::update_rewards(
                authority,
                UpdateRewardsArgs {
                    dc_breaker: Some(BreakerParams {
                        window_seconds: window,
                        limit: 1_000_000,
                    }),
                    ..Default::default()
                },
                None,
            ))
            .unwrap();
        network.cluster.next_blockhash();
        assert_rewards_error(
            network.buy_dc(&member, TOKEN),
            RewardsError::CircuitBreakerTripped,
        );
    }
    // Once the (two-day) window has passed, purchases resume.
    network
        .cluster
        .warp_to_timestamp(network.now() + 2 * DAY + DAY / 4);
    network.submit_price(PRICE);
    network.buy_dc(&member, TOKEN).unwrap();
    network.assert_invariants();
}

// ------------------------------------------------------------- pauses

fn rewards_pause(signer: &Keypair, network: &mut Network, scopes: u8) -> TxResult {
    network.send(&[rewards::pause(signer.pubkey(), scopes)], signer, &[])
}

type TxResult = Result<depin_sdk::TxOutcome, depin_sdk::SdkError>;

/// A network with an issued epoch 1, a member with credits and a device,
/// and a final batch of epoch 1 past its challenge window.
struct Running {
    network: Network,
    member: Member,
    device: Keypair,
    batch: BatchFile,
}

fn running() -> Running {
    let mut network = Network::new();
    network.launch();
    let member = network.funded_member(100 * TOKEN);
    network.buy_dc(&member, 50 * TOKEN).unwrap();
    let device = Keypair::new();
    network.register(&member, &device).unwrap();
    network.after_epoch(1, 1);
    network.issue(1).unwrap();
    let batch = BatchFile::new(1, leaves(&network, &[(device.pubkey(), 10 * TOKEN)])).unwrap();
    network.finalize(&batch, 2);
    network.after_epoch(1, 2 * 3_600);
    Running {
        network,
        member,
        device,
        batch,
    }
}

fn fees(member: &Member) -> FeeAccounts {
    FeeAccounts {
        fee_mint: pda::dc_mint().0,
        fee_account: member.dc_account(),
        token_program: token::TOKEN_2022_PROGRAM_ID,
    }
}

/// Each scope of each program, paused by its authority, refuses its
/// instructions with a named error while the others keep running; unpausing
/// restores them.
#[test]
fn every_paused_scope_refuses_with_its_own_error_and_nothing_else_stops() {
    let Running {
        mut network,
        member,
        device,
        batch,
    } = running();
    let authority = network.authority.insecure_clone();
    let cranker = network.treasury_owner.insecure_clone();
    let owner = member.keypair.insecure_clone();

    // Rewards: issuance, device claims, oracle claims, credit purchases.
    rewards_pause(&authority, &mut network, RewardsScope::ALL).unwrap();
    network.after_epoch(2, 1);
    assert_rewards_error(network.issue(2), RewardsError::IssuancePaused);
    assert_rewards_error(
        network.claim(&batch, &device.pubkey(), &cranker),
        RewardsError::DeviceClaimsPaused,
    );
    assert_rewards_error(network.claim_oracle(0, 1), RewardsError::OracleClaimsPaused);
    network.submit_price(PRICE);
    assert_rewards_error(
        network.buy_dc(&member, TOKEN),
        RewardsError::CreditPurchasesPaused,
    );
    // Not paused: spending credits, registering, moving.
    network
        .spend_dc(&member, 1, UsagePurpose::DataTransfer)
        .unwrap();
    network.register(&member, &Keypair::new()).unwrap();
    network.assert_invariants();
    // Scope by scope back.
    for (scope, check) in [
        (RewardsScope::Issuance, 0),
        (RewardsScope::DeviceClaims, 1),
        (RewardsScope::OracleClaims, 2),
        (RewardsScope::CreditPurchases, 3),
    ] {
        network
            .authority_send(rewards::unpause(authority.pubkey(), scope.bit()))
            .unwrap();
        match check {
            0 => drop(network.issue(2).unwrap()),
            1 => drop(network.claim(&batch, &device.pubkey(), &cranker).unwrap()),
            2 => drop(network.claim_oracle(0, 1).unwrap()),
            _ => drop(network.buy_dc(&member, TOKEN).unwrap()),
        }
    }
    network.assert_invariants();

    // Registry: onboarding; moves and transfers.
    network
        .authority_send(device_registry::pause(
            authority.pubkey(),
            RegistryScope::Onboarding.bit(),
        ))
        .unwrap();
    assert_registry_error(
        network.register(&member, &Keypair::new()),
        RegistryError::OnboardingPaused,
    );
    network
        .send(
            &[device_registry::update_location(
                owner.pubkey(),
                device.pubkey(),
                fees(&member),
                SF_CELL_2,
            )],
            &owner,
            &[],
        )
        .unwrap();
    network
        .authority_send(device_registry::pause(
            authority.pubkey(),
            RegistryScope::Moves.bit(),
        ))
        .unwrap();
    assert_registry_error(
        network.send(
            &[device_registry::update_location(
                owner.pubkey(),
                device.pubkey(),
                fees(&member),
                depin_tests::SF_CELL,
            )],
            &owner,
            &[],
        ),
        RegistryError::MovesPaused,
    );
    let new_owner = Pubkey::new_unique();
    assert_registry_error(
        network.send(
            &[device_registry::transfer_device(
                owner.pubkey(),
                device.pubkey(),
                new_owner,
            )],
            &owner,
            &[],
        ),
        RegistryError::MovesPaused,
    );
    network
        .authority_send(device_registry::unpause(
            authority.pubkey(),
            RegistryScope::ALL,
        ))
        .unwrap();
    network.register(&member, &Keypair::new()).unwrap();
    network
        .send(
            &[device_registry::transfer_device(
                owner.pubkey(),
                device.pubkey(),
                new_owner,
            )],
            &owner,
            &[],
        )
        .unwrap();

    // Oracle: batch votes (and finalization); prices.
    network
        .authority_send(proof_oracle::pause(authority.pubkey(), OracleScope::ALL))
        .unwrap();
    let oracle_key = network.oracles[0].insecure_clone();
    let batch2 = BatchFile::new(2, leaves(&network, &[(device.pubkey(), 20 * TOKEN)])).unwrap();
    assert_oracle_error(
        network.send(
            &[proof_oracle::submit_batch(
                oracle_key.pubkey(),
                2,
                batch2.commitment(),
                "https://batches.example/2.bin".into(),
            )],
            &oracle_key,
            &[],
        ),
        OracleError::BatchVotesPaused,
    );
    assert_oracle_error(
        network.send(&[proof_oracle::finalize_batch(1)], &oracle_key, &[]),
        OracleError::BatchVotesPaused,
    );
    assert_oracle_error(
        network.send(
            &[proof_oracle::submit_price(oracle_key.pubkey(), PRICE)],
            &oracle_key,
            &[],
        ),
        OracleError::PricesPaused,
    );
    network
        .authority_send(proof_oracle::unpause(authority.pubkey(), OracleScope::ALL))
        .unwrap();
    network.finalize(&batch2, 2);
    network.submit_price(PRICE);
    network.assert_invariants();
}

/// The guardian pauses every scope of the three programs in one
/// transaction, for exactly its maximum; it can neither unpause, nor pause
/// again until re-armed, nor change anything else.
#[test]
fn the_guardian_pauses_everything_at_once_within_its_bounds() {
    let Running {
        mut network,
        member,
        device,
        batch,
    } = running();
    let authority = network.authority.insecure_clone();
    let guardian = Keypair::new();
    network.cluster.airdrop(&guardian.pubkey(), SOL).unwrap();
    let max_pause = 3 * DAY;
    for instruction in [
        device_registry::set_guardian(authority.pubkey(), guardian.pubkey(), max_pause),
        proof_oracle::set_guardian(authority.pubkey(), guardian.pubkey(), max_pause),
        rewards::set_guardian(authority.pubkey(), guardian.pubkey(), max_pause),
    ] {
        network.authority_send(instruction).unwrap();
    }
    // A stranger cannot pause; the guardian cannot name a guardian.
    let stranger = Keypair::new();
    network.cluster.airdrop(&stranger.pubkey(), SOL).unwrap();
    assert_rewards_error(
        rewards_pause(&stranger, &mut network, RewardsScope::ALL),
        RewardsError::NotAuthorityOrGuardian,
    );
    assert_rewards_error(
        network.send(
            &[rewards::set_guardian(
                guardian.pubkey(),
                guardian.pubkey(),
                max_pause,
            )],
            &guardian,
            &[],
        ),
        RewardsError::NotAuthority,
    );

    let paused_at = network.now();
    network
        .send(
            &[
                device_registry::pause(guardian.pubkey(), RegistryScope::ALL),
                proof_oracle::pause(guardian.pubkey(), OracleScope::ALL),
                rewards::pause(guardian.pubkey(), RewardsScope::ALL),
            ],
            &guardian,
            &[],
        )
        .unwrap();
    let cranker = network.treasury_owner.insecure_clone();
    assert_rewards_error(
        network.claim(&batch, &device.pubkey(), &cranker),
        RewardsError::DeviceClaimsPaused,
    );
    assert_registry_error(
        network.register(&member, &Keypair::new()),
        RegistryError::OnboardingPaused,
    );
    // The guardian can never unpause, nor pause again (which could stretch
    // its pause past the maximum), nor touch other settings.
    assert_rewards_error(
        network.send(
            &[rewards::unpause(guardian.pubkey(), RewardsScope::ALL)],
            &guardian,
            &[],
        ),
        RewardsError::NotAuthority,
    );
    assert_oracle_error(
        network.send(
            &[proof_oracle::unpause(guardian.pubkey(), OracleScope::ALL)],
            &guardian,
            &[],
        ),
        OracleError::NotAuthority,
    );
    assert_registry_error(
        network.send(
            &[device_registry::unpause(
                guardian.pubkey(),
                RegistryScope::ALL,
            )],
            &guardian,
            &[],
        ),
        RegistryError::NotAuthority,
    );
    network.cluster.next_blockhash();
    assert_rewards_error(
        rewards_pause(&guardian, &mut network, RewardsScope::Issuance.bit()),
        RewardsError::GuardianSpent,
    );
    assert_rewards_error(
        network.send(
            &[rewards::update_rewards(
                guardian.pubkey(),
                UpdateRewardsArgs {
                    price_discount_bps: Some(0),
                    ..Default::default()
                },
                None,
            )],
            &guardian,
            &[],
        ),
        RewardsError::NotAuthority,
    );

    // Last paused second, then the first running one.
    network.cluster.warp_to_timestamp(paused_at + max_pause - 1);
    assert_rewards_error(
        network.claim(&batch, &device.pubkey(), &cranker),
        RewardsError::DeviceClaimsPaused,
    );
    network.cluster.warp_to_timestamp(paused_at + max_pause);
    network.claim(&batch, &device.pubkey(), &cranker).unwrap();
    network.register(&member, &Keypair::new()).unwrap();
    network.submit_price(PRICE);

    // Re-armed by the authority, it can pause once more; the authority
    // unpauses early.
    network
        .authority_send(rewards::set_guardian(
            authority.pubkey(),
            guardian.pubkey(),
            max_pause,
        ))
        .unwrap();
    rewards_pause(&guardian, &mut network, RewardsScope::CreditPurchases.bit()).unwrap();
    assert_rewards_error(
        network.buy_dc(&member, TOKEN),
        RewardsError::CreditPurchasesPaused,
    );
    network
        .authority_send(rewards::unpause(
            authority.pubkey(),
            RewardsScope::CreditPurchases.bit(),
        ))
        .unwrap();
    network.buy_dc(&member, TOKEN).unwrap();
    network.assert_invariants();
}

/// A guardian's pause never shortens the authority's, bad masks and
/// lengths are refused, and removing the guardian disarms it.
#[test]
fn pause_rules_at_their_bounds() {
    let mut network = Network::new();
    let authority = network.authority.insecure_clone();
    let guardian = Keypair::new();
    network.cluster.airdrop(&guardian.pubkey(), SOL).unwrap();
    for scopes in [0, RewardsScope::ALL + 1, 0x80] {
        assert_rewards_error(
            rewards_pause(&authority, &mut network, scopes),
            RewardsError::InvalidPauseScopes,
        );
    }
    assert_oracle_error(
        network.authority_send(proof_oracle::pause(
            authority.pubkey(),
            OracleScope::ALL + 1,
        )),
        OracleError::InvalidPauseScopes,
    );
    assert_registry_error(
        network.authority_send(device_registry::unpause(authority.pubkey(), 0)),
        RegistryError::InvalidPauseScopes,
    );
    for max_pause in [0, -1, 30 * DAY + 1, i64::MAX] {
        assert_rewards_error(
            network.authority_send(rewards::set_guardian(
                authority.pubkey(),
                guardian.pubkey(),
                max_pause,
            )),
            RewardsError::InvalidGuardianPause,
        );
    }
    network
        .authority_send(rewards::set_guardian(
            authority.pubkey(),
            guardian.pubkey(),
            30 * DAY,
        ))
        .unwrap();
    rewards_pause(&authority, &mut network, RewardsScope::Issuance.bit()).unwrap();
    rewards_pause(&guardian, &mut network, RewardsScope::ALL).unwrap();
    let pause = network.config().pause;
    assert_eq!(
        pause.paused_until[0],
        i64::MAX,
        "the authority's pause stays"
    );
    assert_eq!(pause.paused_until[1], network.now() + 30 * DAY);
    assert!(!pause.guardian_armed);
    network.cluster.warp_to_timestamp(network.now() + 31 * DAY);
    network.after_epoch(31, 1);
    assert_rewards_error(network.issue(0), RewardsError::IssuancePaused);
    // Removing the guardian: the default key is nobody and cannot pause.
    network
        .authority_send(rewards::set_guardian(
            authority.pubkey(),
            Pubkey::default(),
            0,
        ))
        .unwrap();
    network.cluster.next_blockhash();
    assert_rewards_error(
        rewards_pause(&guardian, &mut network, RewardsScope::ALL),
        RewardsError::NotAuthorityOrGuardian,
    );
    network
        .authority_send(rewards::unpause(authority.pubkey(), RewardsScope::ALL))
        .unwrap();
    network.issue(0).unwrap();
    network.assert_invariants();
}

// ---------------------------------------------- sweeping oracle rewards

/// What no oracle can ever claim goes to the treasury: a rejected epoch's
/// whole share, a final epoch's split dust, an expired epoch's share; never
/// a pending epoch's, never what a contributor may still claim, never
/// twice, and only by the authority.
#[test]
fn unclaimable_oracle_rewards_are_swept_to_the_treasury_and_nothing_else() {
    let mut network = Network::new();
    network.launch();
    let authority = network.authority.pubkey();
    let treasury = network.config().treasury;
    let sweep = |network: &mut Network, epoch| {
        network.authority_send(rewards::sweep_oracle_rewards(authority, epoch, treasury))
    };
    // All three oracles must agree, so a share splits three ways.
    let oracles = network.oracles.iter().map(Signer::pubkey).collect();
    network
        .authority_send(proof_oracle::set_oracle_set(authority, oracles, 3))
        .unwrap();
    let batch_of = |epoch: u64| {
        let leaf = Leaf {
            device_key: [7; 32],
            serial: 1,
            amount: TOKEN,
        };
        BatchFile::new(epoch, vec![leaf]).unwrap()
    };

    // Epoch 1: 50,000 tokens to three contributors leave 2 base units.
    network.after_epoch(1, 1);
    network.issue(1).unwrap();
    let batch = batch_of(1);
    // Pending (two of three votes): nothing can be swept yet.
    network.vote(&batch, 0);
    network.vote(&batch, 1);
    assert_rewards_error(sweep(&mut network, 1), RewardsError::BatchNotSettled);
    network.vote(&batch, 2);
    let oracles = network.epoch_rewards(1).oracles;
    assert_eq!(oracles, 50_000 * TOKEN);
    let dust = oracles % 3;
    assert_eq!(dust, 2);
    // Someone else cannot sweep.
    let stranger = network.member();
    assert_rewards_error(
        network.send(
            &[rewards::sweep_oracle_rewards(
                stranger.pubkey(),
                1,
                treasury,
            )],
            &stranger.keypair,
            &[],
        ),
        RewardsError::NotAuthority,
    );
    let before = network.cluster.token_balance(&treasury);
    sweep(&mut network, 1).unwrap();
    assert_eq!(network.cluster.token_balance(&treasury), before + dust);
    network.cluster.next_blockhash();
    assert_rewards_error(sweep(&mut network, 1), RewardsError::NothingToSweep);
    // Every contributor still gets its full share.
    network.after_epoch(1, 2 * 3_600);
    for index in 0..3 {
        network.claim_oracle(index, 1).unwrap();
    }
    assert_eq!(network.epoch_rewards(1).oracle_paid, oracles - dust);
    network.assert_invariants();

    // Epoch 2: final, then rejected within the challenge window.
    network.after_epoch(2, 1);
    network.issue(2).unwrap();
    network.finalize(&batch_of(2), 3);
    network
        .authority_send(proof_oracle::reject_batch(authority, 2))
        .unwrap();
    let share = network.epoch_rewards(2).oracles;
    let before = network.cluster.token_balance(&treasury);
    sweep(&mut network, 2).unwrap();
    assert_eq!(network.cluster.token_balance(&treasury), before + share);
    assert_rewards_error(network.claim_oracle(0, 2), RewardsError::BatchRejected);

    // Epoch 3: nobody votes; after the deadline anyone marks it expired,
    // then its share is swept.
    network.after_epoch(3, 1);
    network.issue(3).unwrap();
    network.after_epoch(3, 3 * DAY + 1);
    let payer = network.treasury_owner.insecure_clone();
    network
        .send(
            &[proof_oracle::expire_batch(payer.pubkey(), 3)],
            &payer,
            &[],
        )
        .unwrap();
    let share = network.epoch_rewards(3).oracles;
    let before = network.cluster.token_balance(&treasury);
    sweep(&mut network, 3).unwrap();
    assert_eq!(network.cluster.token_balance(&treasury), before + share);
    // A batch account of another epoch is refused.
    network.cluster.next_blockhash();
    let mut wrong = rewards::sweep_oracle_rewards(authority, 2, treasury);
    wrong.accounts[3].pubkey = pda::epoch_batch(3).0;
    assert_rewards_error(network.authority_send(wrong), RewardsError::WrongBatch);
    network.assert_invariants();
}

// -------------------------------------------------------- under the DAO

/// Once the DAO holds the programs, pausing, naming a guardian and
/// unpausing are proposals: one proposal names the guardian of all three
/// programs and pauses credit purchases; the guardian's own pause then
/// works; the former bootstrap authority can do none of it; another
/// proposal lifts every pause.
#[test]
fn the_dao_pauses_names_the_guardian_and_unpauses_by_proposal() {
    let mut dao = Dao::new();
    for holder in 0..2 {
        let balance = dao.net.token_balance(&dao.holders[holder].pubkey());
        dao.lock(holder, balance, LockupKind::Cliff, YEAR).unwrap();
    }
    let dao_authority = depin_sdk::governance::dao_authority();
    let guardian = Keypair::new();
    dao.net.cluster.airdrop(&guardian.pubkey(), SOL).unwrap();
    let former = dao.net.authority.insecure_clone();
    assert_rewards_error(
        rewards_pause(&former, &mut dao.net, RewardsScope::ALL),
        RewardsError::NotAuthorityOrGuardian,
    );

    let id = dao.propose(
        0,
        &[
            device_registry::set_guardian(dao_authority, guardian.pubkey(), DAY),
            proof_oracle::set_guardian(dao_authority, guardian.pubkey(), DAY),
            rewards::set_guardian(dao_authority, guardian.pubkey(), DAY),
            rewards::pause(dao_authority, RewardsScope::CreditPurchases.bit()),
        ],
    );
    dao.pass(id);
    dao.execute(id).unwrap();
    let member = dao.holders[3].keypair.insecure_clone();
    let member = Member { keypair: member };
    dao.net.submit_price(PRICE);
    assert_rewards_error(
        dao.net.buy_dc(&member, TOKEN),
        RewardsError::CreditPurchasesPaused,
    );
    let pause = dao.net.config().pause;
    assert_eq!(pause.guardian, guardian.pubkey());
    assert!(pause.guardian_armed);

    dao.net
        .send(
            &[
                device_registry::pause(guardian.pubkey(), RegistryScope::ALL),
                proof_oracle::pause(guardian.pubkey(), OracleScope::ALL),
            ],
            &guardian,
            &[],
        )
        .unwrap();
    assert_registry_error(
        dao.net.register(&member, &Keypair::new()),
        RegistryError::OnboardingPaused,
    );

    let id = dao.propose(
        1,
        &[
            device_registry::unpause(dao_authority, RegistryScope::ALL),
            proof_oracle::unpause(dao_authority, OracleScope::ALL),
            rewards::unpause(dao_authority, RewardsScope::ALL),
        ],
    );
    dao.pass(id);
    dao.execute(id).unwrap();
    dao.net.submit_price(PRICE);
    dao.net.buy_dc(&member, TOKEN).unwrap();
    dao.net.register(&member, &Keypair::new()).unwrap();
    dao.net.assert_invariants();
    dao.assert_invariants();
}

// ------------------------------------------- the new instructions' accounts

/// Every new instruction (`pause`, `unpause`, `set_guardian` in three
/// programs, `sweep_oracle_rewards`) refuses a signer that does not sign,
/// another program's config in place of its own (type cosplay), and its
/// config at a different address of the right type is impossible (the
/// config is a PDA checked by seeds, so a substituted one fails them).
#[test]
fn the_new_instructions_need_their_signer_and_their_own_config() {
    let mut network = Network::new();
    network.launch();
    let authority = network.authority.pubkey();
    let treasury = network.config().treasury;
    let stranger = Keypair::new();
    network.cluster.airdrop(&stranger.pubkey(), SOL).unwrap();
    let guardian = Pubkey::new_unique();
    // Per program: its three pause instructions, its config, and another
    // program's config to pass in its place.
    let programs = [
        (
            [
                device_registry::pause(authority, 1),
                device_registry::unpause(authority, 1),
                device_registry::set_guardian(authority, guardian, DAY),
            ],
            pda::registry_config().0,
            pda::oracle_config().0,
        ),
        (
            [
                proof_oracle::pause(authority, 1),
                proof_oracle::unpause(authority, 1),
                proof_oracle::set_guardian(authority, guardian, DAY),
            ],
            pda::oracle_config().0,
            pda::rewards_config().0,
        ),
        (
            [
                rewards::pause(authority, 1),
                rewards::unpause(authority, 1),
                rewards::set_guardian(authority, guardian, DAY),
            ],
            pda::rewards_config().0,
            pda::registry_config().0,
        ),
    ];
    let sweep = rewards::sweep_oracle_rewards(authority, 0, treasury);
    let cases = programs
        .into_iter()
        .flat_map(|(instructions, config, foreign)| {
            instructions.map(|instruction| (instruction, config, foreign))
        })
        .chain([(sweep, pda::rewards_config().0, pda::registry_config().0)]);
    for (instruction, config, foreign) in cases {
        // The authority's signature dropped (a stranger pays).
        let unsigned = depin_tests::strip_signer(instruction.clone(), &authority);
        depin_tests::assert_anchor_error(
            network.send(&[unsigned], &stranger, &[]),
            anchor_lang::error::ErrorCode::AccountNotSigner,
        );
        // Another program's config in place of this one's.
        let cosplay = depin_tests::substitute(instruction.clone(), &config, &foreign);
        let result = network.authority_send(cosplay);
        let (_, error) = depin_tests::instruction_error(result);
        assert!(
            matches!(
                error,
                solana_instruction_error::InstructionError::Custom(code)
                    if code == anchor_lang::error::ErrorCode::AccountOwnedByWrongProgram as u32
                        || code == anchor_lang::error::ErrorCode::AccountDiscriminatorMismatch as u32
            ),
            "{config} replaced by {foreign}: {error:?}"
        );
        network.cluster.next_blockhash();
    }
    // The oracle pool passed as the treasury too (duplicate mutable
    // accounts): the treasury must be the config's. Epoch 0's batch exists
    // once it has expired.
    network.after_epoch(0, 3 * DAY + 1);
    let payer = network.treasury_owner.insecure_clone();
    network
        .send(
            &[proof_oracle::expire_batch(payer.pubkey(), 0)],
            &payer,
            &[],
        )
        .unwrap();
    depin_tests::assert_anchor_error(
        network.authority_send(rewards::sweep_oracle_rewards(
            authority,
            0,
            pda::oracle_pool().0,
        )),
        anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount,
    );
    // Any other token account of the mint as the treasury.
    let other = network.member();
    depin_tests::assert_anchor_error(
        network.authority_send(rewards::sweep_oracle_rewards(
            authority,
            0,
            other.token_account(),
        )),
        anchor_lang::error::ErrorCode::ConstraintAddress,
    );
    network
        .authority_send(rewards::sweep_oracle_rewards(authority, 0, treasury))
        .unwrap();
    // Nothing changed.
    assert_eq!(network.config().pause, Default::default());
    network.assert_invariants();
}
