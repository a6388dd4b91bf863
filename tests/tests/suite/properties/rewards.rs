//! A randomized economy: hundreds of epochs of registrations, credit
//! purchases and spending, issuance (with a lagging crank) up to and across
//! the supply cap, device transfers and rewards-recipient changes, batches
//! attributing each epoch's device rewards to the recipients recorded when
//! the oracles close it, wallet and oracle claims, plus the adversarial
//! moves: holders burning tokens and credits outside the programs, claims
//! against superseded batches, and pauses of random scopes. Checked against
//! a model of what each wallet earned and was paid, and the ledger
//! invariants, after every step.

use {
    ::rewards::state::PauseScope,
    depin_sdk::{
        batch::{BatchFile, DeviceReward},
        device_registry, rewards,
        rewards::UsagePurpose,
        Keypair, Pubkey, SdkError, Signer, TxOutcome,
    },
    depin_tests::network::{Member, Network, PRICE, TOKEN},
    device_registry::state::PauseScope as RegistryScope,
    rand::{rngs::StdRng, Rng, SeedableRng},
    std::collections::BTreeMap,
};

const EPOCHS: u64 = 220;
/// Reached after about 150 epochs of 1,000,000 tokens.
const MAX_SUPPLY: u64 = 150_000_000 * TOKEN;

/// Whether `result` failed with the program error `name`.
fn failed_with(result: &Result<TxOutcome, SdkError>, name: &str) -> bool {
    result
        .as_ref()
        .err()
        .and_then(|error| error.program_error())
        .is_some_and(|info| info.name == name)
}

/// Asserts `result` failed with the program error `name`.
#[track_caller]
fn assert_failed_with(result: Result<TxOutcome, SdkError>, name: &str) {
    assert!(
        failed_with(&result, name),
        "expected {name}, got {:?}",
        result.map(|_| ())
    );
}

/// Runs `operation` unless `paused`, in which case it must fail with
/// `pause_error` (and nothing happened).
fn unless_paused(
    paused: bool,
    pause_error: &str,
    operation: impl FnOnce() -> Result<TxOutcome, SdkError>,
) -> Option<Result<TxOutcome, SdkError>> {
    let result = operation();
    if paused {
        assert_failed_with(result, pause_error);
        return None;
    }
    Some(result)
}

/// A device in the model: its key, owner (a member) and rewards recipient.
struct ModelDevice {
    keypair: Keypair,
    owner: usize,
    recipient: Pubkey,
}

/// What each wallet earned (attributed by the batches) and was paid.
#[derive(Default)]
struct Wallets {
    earned: BTreeMap<Pubkey, u64>,
    paid: BTreeMap<Pubkey, u64>,
}

impl Wallets {
    fn earned(&self, wallet: &Pubkey) -> u64 {
        self.earned.get(wallet).copied().unwrap_or(0)
    }

    fn paid(&self, wallet: &Pubkey) -> u64 {
        self.paid.get(wallet).copied().unwrap_or(0)
    }

    /// The ledger invariants, and for every wallet: paid ≤ earned, paid =
    /// its record on chain; the pool paid exactly what the wallets were.
    #[track_caller]
    fn assert_hold(&self, network: &Network) {
        network.assert_invariants();
        for (wallet, earned) in &self.earned {
            let paid = self.paid(wallet);
            assert!(paid <= *earned, "{wallet} paid {paid} > earned {earned}");
            assert_eq!(network.claimed(wallet), paid, "{wallet}'s record");
        }
        assert!(self
            .paid
            .keys()
            .all(|wallet| self.earned.contains_key(wallet)));
        assert_eq!(
            network.config().device_claimed,
            self.paid.values().sum::<u64>()
        );
    }
}

#[test]
fn the_economy_holds_its_invariants_over_hundreds_of_random_epochs() {
    let mut rng = StdRng::seed_from_u64(0xdeb1_2026);
    let mut network = Network::with_rewards(|args| args.max_supply = Some(MAX_SUPPLY));
    let authority = network.authority.pubkey();
    let cranker = network.treasury_owner.insecure_clone();
    let mut pauses = 0u32;
    let mut issued_at_cap = 0u32;
    let mut members: Vec<Member> = Vec::new();
    // Wallets that own nothing and have no lamports: payout wallets.
    let payouts: Vec<Pubkey> = (0..5).map(|_| Pubkey::new_unique()).collect();
    let mut devices: Vec<ModelDevice> = Vec::new();
    let mut wallets = Wallets::default();
    // The last final batch: each new batch carries its wallets forward.
    let mut previous: Option<BatchFile> = None;
    let (mut claims, mut claims_for_payouts, mut claims_by_wallets) = (0u32, 0u32, 0u32);
    let (mut transfers, mut recipient_changes, mut superseded) = (0u32, 0u32, 0u32);
    let mut trips = 0u32;

    for epoch in 0..EPOCHS {
        network.after_epoch(epoch, 1);
        network.submit_price(rng.gen_range(PRICE / 4..PRICE * 4));

        // Sometimes the authority pauses random scopes for this epoch.
        let paused = if rng.gen_bool(0.1) {
            rng.gen_range(1..=PauseScope::ALL)
        } else {
            0
        };
        let onboarding_paused = rng.gen_bool(0.05);
        let moves_paused = rng.gen_bool(0.05);
        if paused != 0 {
            network
                .authority_send(rewards::pause(authority, paused))
                .unwrap();
            pauses += 1;
        }
        let registry_paused = [
            (onboarding_paused, RegistryScope::Onboarding),
            (moves_paused, RegistryScope::Moves),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .fold(0, |bits, (_, scope)| bits | scope.bit());
        if registry_paused != 0 {
            network
                .authority_send(device_registry::pause(authority, registry_paused))
                .unwrap();
            pauses += 1;
        }
        let is_paused = |scope: PauseScope| paused & scope.bit() != 0;

        // Issue every unissued epoch that has ended, unless the crank "lags".
        if rng.gen_bool(0.8) {
            while network.config().next_epoch <= epoch {
                let next = network.config().next_epoch;
                let Some(result) =
                    unless_paused(is_paused(PauseScope::Issuance), "IssuancePaused", || {
                        network.issue(next)
                    })
                else {
                    break;
                };
                match result {
                    Ok(_) => {
                        let config = network.config();
                        if config.tokens_minted - config.tokens_burned == MAX_SUPPLY {
                            issued_at_cap += 1;
                        }
                    }
                    Err(error) => {
                        assert_eq!(
                            error.program_error().map(|info| info.name.as_str()),
                            Some("CircuitBreakerTripped")
                        );
                        trips += 1;
                        break;
                    }
                }
                wallets.assert_hold(&network);
            }
        }

        // New members and devices.
        if members.len() < 12 && rng.gen_bool(0.3) {
            let member = network.member();
            network.fund_tokens(&member.pubkey(), rng.gen_range(10..1_000) * TOKEN);
            members.push(member);
        }
        for _ in 0..rng.gen_range(0..3) {
            if members.is_empty() {
                break;
            }
            let owner = rng.gen_range(0..members.len());
            let balance = network.dc_balance(&members[owner].pubkey());
            if balance < depin_tests::OPEN_ONBOARDING_FEE {
                let tokens = network
                    .token_balance(&members[owner].pubkey())
                    .min(5 * TOKEN);
                if tokens >= TOKEN {
                    if let Some(result) = unless_paused(
                        is_paused(PauseScope::CreditPurchases),
                        "CreditPurchasesPaused",
                        || network.buy_dc(&members[owner], tokens),
                    ) {
                        result.unwrap();
                    }
                }
                continue;
            }
            let device = Keypair::new();
            if unless_paused(onboarding_paused, "OnboardingPaused", || {
                network.register(&members[owner], &device)
            })
            .is_some_and(|result| result.is_ok())
            {
                devices.push(ModelDevice {
                    keypair: device,
                    owner,
                    recipient: members[owner].pubkey(),
                });
            }
        }

        // Owners sell devices to other members and point rewards at other
        // wallets (members' or payout wallets) before the epoch closes.
        move_devices(
            &mut rng,
            &mut network,
            &members,
            &payouts,
            &mut devices,
            moves_paused,
            (&mut transfers, &mut recipient_changes),
        );
        wallets.assert_hold(&network);

        // Random purchases and usage.
        for member in &members {
            let tokens = network.token_balance(&member.pubkey());
            if tokens > 0 && rng.gen_bool(0.3) {
                let offer = rng.gen_range(1..=tokens.min(20 * TOKEN));
                let Some(result) = unless_paused(
                    is_paused(PauseScope::CreditPurchases),
                    "CreditPurchasesPaused",
                    || network.buy_dc(member, offer),
                ) else {
                    continue;
                };
                match result {
                    Ok(_) => {}
                    Err(error) => assert_eq!(
                        error.program_error().map(|info| info.name.as_str()),
                        Some("AmountTooSmall"),
                        "a purchase fails only below one credit"
                    ),
                }
            }
            let credits = network.dc_balance(&member.pubkey());
            if credits > 0 && rng.gen_bool(0.3) {
                let purpose = [
                    UsagePurpose::DataTransfer,
                    UsagePurpose::Storage,
                    UsagePurpose::Compute,
                    UsagePurpose::Other,
                ][rng.gen_range(0..4)];
                network
                    .spend_dc(member, rng.gen_range(1..=credits), purpose)
                    .unwrap();
            }
        }
        wallets.assert_hold(&network);

        // A holder burns tokens and credits outside the programs.
        if !members.is_empty() && rng.gen_bool(0.15) {
            let member = &members[rng.gen_range(0..members.len())];
            let tokens = network.token_balance(&member.pubkey());
            let credits = network.dc_balance(&member.pubkey());
            let burn_tokens = rng.gen_range(0..=tokens.min(3 * TOKEN));
            let burn_credits = rng.gen_range(0..=credits.min(100_000));
            if burn_tokens + burn_credits > 0 {
                network
                    .burn_directly(member, burn_tokens, burn_credits)
                    .unwrap();
            }
            wallets.assert_hold(&network);
        }

        // The oracles close this epoch: each device's reward, out of what
        // has been issued, goes to the recipient the registry records now.
        if !devices.is_empty() && network.config().next_epoch > epoch {
            let config = network.config();
            let budget = config.device_issued - wallets.earned.values().sum::<u64>();
            let mut handed = 0u64;
            let mut amounts = Vec::new();
            for device in &devices {
                let share = rng.gen_range(0..=(budget - handed) / devices.len() as u64);
                handed += share;
                amounts.push((device.keypair.pubkey(), share));
            }
            let rewards: Vec<DeviceReward> = network.device_rewards(&amounts);
            for (reward, device) in rewards.iter().zip(&devices) {
                assert_eq!(
                    reward.recipient, device.recipient,
                    "the registry's recipient"
                );
                *wallets.earned.entry(reward.recipient).or_default() += reward.amount;
            }
            let batch = BatchFile::build(epoch, previous.as_ref(), rewards).unwrap();
            batch.recompute(previous.as_ref()).unwrap();
            assert_eq!(batch.leaves().len(), wallets.earned.len());
            for leaf in batch.leaves() {
                let wallet = Pubkey::new_from_array(leaf.recipient);
                assert_eq!(leaf.amount, wallets.earned(&wallet), "{wallet}'s leaf");
            }
            // Two of the three oracles make it final.
            let absent = rng.gen_range(0..3);
            let voters: Vec<usize> = (0..3).filter(|index| *index != absent).collect();
            for voter in &voters {
                network.vote(&batch, *voter);
            }
            network.after_epoch(epoch, 2 * 3_600);

            // Wallets claim, each submitted by a crank or by the wallet.
            let recipients: Vec<Pubkey> = wallets.earned.keys().copied().collect();
            for wallet in recipients {
                if !rng.gen_bool(0.5) {
                    continue;
                }
                let owed = wallets.earned(&wallet) - wallets.paid(&wallet);
                let member = members.iter().find(|member| member.pubkey() == wallet);
                let payer = match member {
                    Some(member) if rng.gen_bool(0.5) => member.keypair.insecure_clone(),
                    _ => cranker.insecure_clone(),
                };
                let before = network.token_balance(&wallet);
                let Some(result) = unless_paused(
                    is_paused(PauseScope::DeviceClaims),
                    "DeviceClaimsPaused",
                    || network.claim(&batch, &wallet, &payer),
                ) else {
                    continue;
                };
                if owed == 0 {
                    assert_failed_with(result, "NothingToClaim");
                } else {
                    result.unwrap();
                    assert_eq!(network.token_balance(&wallet), before + owed);
                    wallets.paid.insert(wallet, wallets.earned(&wallet));
                    claims += 1;
                    claims_for_payouts += u32::from(payouts.contains(&wallet));
                    claims_by_wallets += u32::from(payer.pubkey() == wallet);
                }
                wallets.assert_hold(&network);
            }

            // A claim against the previous batch once a newer one paid.
            if let Some(older) = &previous {
                let floor = network.config().claim_epoch_floor;
                if older.epoch() < floor && rng.gen_bool(0.6) {
                    let leaf = older.leaves()[rng.gen_range(0..older.leaves().len())];
                    let wallet = Pubkey::new_from_array(leaf.recipient);
                    if let Some(result) = unless_paused(
                        is_paused(PauseScope::DeviceClaims),
                        "DeviceClaimsPaused",
                        || network.claim(older, &wallet, &cranker),
                    ) {
                        assert_failed_with(result, "BatchSuperseded");
                        superseded += 1;
                    }
                    wallets.assert_hold(&network);
                }
            }
            previous = Some(batch);

            // One of the voters claims its share of this epoch (nothing
            // once the cap leaves an epoch without issuance).
            let share = network.epoch_rewards(epoch).oracles / 2;
            if let Some(result) = unless_paused(
                is_paused(PauseScope::OracleClaims),
                "OracleClaimsPaused",
                || network.claim_oracle(voters[rng.gen_range(0..2)], epoch),
            ) {
                if share == 0 {
                    assert!(failed_with(&result, "NothingToClaim"));
                } else {
                    result.unwrap();
                }
            }
        }
        wallets.assert_hold(&network);

        // More moves after the close: they count from the next epoch.
        move_devices(
            &mut rng,
            &mut network,
            &members,
            &payouts,
            &mut devices,
            moves_paused,
            (&mut transfers, &mut recipient_changes),
        );
        wallets.assert_hold(&network);

        if paused != 0 {
            network
                .authority_send(rewards::unpause(authority, paused))
                .unwrap();
        }
        if registry_paused != 0 {
            network
                .authority_send(device_registry::unpause(authority, registry_paused))
                .unwrap();
        }
    }

    println!(
        "{EPOCHS} epochs: {} devices, {} wallets earned; {claims} wallet claims \
         ({claims_for_payouts} to payout wallets, {claims_by_wallets} sent by the wallet), \
         {transfers} transfers, {recipient_changes} recipient changes, \
         {superseded} superseded claims refused, {pauses} pauses",
        devices.len(),
        wallets.earned.len()
    );
    // Every member's tokens are what the model paid them plus what they
    // were funded minus what they burned: checked through the ledger above;
    // here, the run did exercise the paths it claims to.
    let config = network.config();
    assert!(claims > 50, "only {claims} claims");
    assert!(
        claims_for_payouts > 5,
        "only {claims_for_payouts} payout claims"
    );
    assert!(
        claims_by_wallets > 5,
        "only {claims_by_wallets} claims by wallets"
    );
    assert!(transfers > 10, "only {transfers} transfers");
    assert!(
        recipient_changes > 10,
        "only {recipient_changes} recipient changes"
    );
    assert!(superseded > 5, "only {superseded} superseded claims");
    assert!(config.tokens_burned > 0 && config.tokens_reemitted > 0);
    assert!(config.dc_burned > 0 && config.dc_minted > config.dc_burned);
    assert!(devices.len() > 20, "only {} devices", devices.len());
    let _ = trips;
    assert!(pauses > 10, "only {pauses} pauses");
    assert!(network.tokens_burned_outside > 0 && network.dc_burned_outside > 0);
    assert!(
        issued_at_cap > 10,
        "only {issued_at_cap} issuances at the cap"
    );
    let total_paid: u64 = wallets.paid.values().sum();
    assert_eq!(config.device_claimed, total_paid);
    assert!(
        wallets
            .earned
            .keys()
            .filter(|wallet| payouts.contains(wallet))
            .count()
            >= 3
    );
}

/// Up to two random moves: an owner sells a device to another member
/// (refused with `MovesPaused` while moves are paused; the recipient
/// becomes the buyer), or points its rewards at another wallet (a
/// member's or a payout wallet; never paused). The registry must agree
/// with the model after each.
fn move_devices(
    rng: &mut StdRng,
    network: &mut Network,
    members: &[Member],
    payouts: &[Pubkey],
    devices: &mut [ModelDevice],
    moves_paused: bool,
    (transfers, recipient_changes): (&mut u32, &mut u32),
) {
    if devices.is_empty() || members.len() < 2 {
        return;
    }
    for _ in 0..rng.gen_range(0..=2) {
        let device = &mut devices[rng.gen_range(0..devices.len())];
        let key = device.keypair.pubkey();
        let owner = &members[device.owner];
        if rng.gen_bool(0.4) {
            let buyer = (device.owner + rng.gen_range(1..members.len())) % members.len();
            let transfer =
                device_registry::transfer_device(owner.pubkey(), key, members[buyer].pubkey());
            let result = network.send_as(owner, transfer);
            if moves_paused {
                assert_failed_with(result, "MovesPaused");
            } else {
                result.unwrap();
                device.owner = buyer;
                device.recipient = members[buyer].pubkey();
                *transfers += 1;
            }
        } else {
            let recipient = if rng.gen_bool(0.5) {
                payouts[rng.gen_range(0..payouts.len())]
            } else {
                members[rng.gen_range(0..members.len())].pubkey()
            };
            let result = network.set_recipient(owner, &key, &recipient);
            if recipient == device.recipient {
                assert_failed_with(result, "RewardsRecipientUnchanged");
            } else {
                result.unwrap();
                device.recipient = recipient;
                *recipient_changes += 1;
            }
        }
        let on_chain = network.device(&key);
        assert_eq!(
            (on_chain.owner, on_chain.rewards_recipient),
            (members[device.owner].pubkey(), device.recipient)
        );
        network.cluster.next_blockhash();
    }
}

#[derive(Clone, Debug)]
enum BreakerMove {
    Advance(i64),
    Mint(u64),
    /// A new window, as a share (1..=100 %) of the current one, and limit.
    Set(u8, u64),
}

fn breaker_move() -> impl proptest::strategy::Strategy<Value = BreakerMove> {
    use proptest::prelude::*;
    prop_oneof![
        (0i64..200_000).prop_map(BreakerMove::Advance),
        (0u64..600).prop_map(BreakerMove::Mint),
        (1u8..=100, 1u64..1_500).prop_map(|(share, limit)| BreakerMove::Set(share, limit)),
    ]
}

proptest::proptest! {
    /// Whatever the mints and parameter changes (windows that never grow:
    /// a longer window cannot count what the shorter one already released),
    /// every trailing window of the length in force holds at most the limit
    /// in force, counting mints made before the change too.
    #[test]
    fn breaker_changes_never_let_a_window_hold_more_than_its_limit(
        moves in proptest::collection::vec(breaker_move(), 1..80)
    ) {
        use ::rewards::state::{BreakerParams, CircuitBreaker};
        let mut breaker = CircuitBreaker::new(BreakerParams { window_seconds: 86_400, limit: 1_000 });
        let mut now = 1_800_000_000i64;
        let mut minted: Vec<(i64, u64)> = Vec::new();
        for step in moves {
            match step {
                BreakerMove::Advance(seconds) => now += seconds,
                BreakerMove::Mint(amount) => {
                    if breaker.record(now, amount).is_ok() {
                        minted.push((now, amount));
                        let window = breaker.window_seconds;
                        let held: u64 = minted
                            .iter()
                            .filter(|(at, _)| *at > now - window)
                            .map(|(_, amount)| amount)
                            .sum();
                        proptest::prop_assert!(
                            held <= breaker.limit,
                            "{held} in the last {window} s, limit {}", breaker.limit
                        );
                    }
                }
                BreakerMove::Set(share, limit) => {
                    let window = (breaker.window_seconds * i64::from(share) / 100).max(1);
                    breaker.set(BreakerParams { window_seconds: window, limit }, now);
                }
            }
        }
    }
}
