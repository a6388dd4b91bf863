//! A randomized economy: hundreds of epochs of registrations, credit
//! purchases and spending, issuance (with a lagging crank) up to and across
//! the supply cap, batches, device and oracle claims, plus the adversarial
//! moves: holders burning tokens and credits outside the programs, and
//! pauses of random scopes. Checked against a model and the ledger
//! invariants after every step.

use {
    ::rewards::state::PauseScope,
    depin_sdk::{
        batch::BatchFile, device_registry, rewards, rewards::UsagePurpose, Keypair, SdkError,
        Signer, TxOutcome,
    },
    depin_tests::network::{leaves, Member, Network, PRICE, TOKEN},
    device_registry::state::PauseScope as RegistryScope,
    rand::{rngs::StdRng, Rng, SeedableRng},
    std::collections::HashMap,
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

/// Runs `operation` unless `paused`, in which case it must fail with
/// `pause_error` (and nothing happened).
fn unless_paused(
    paused: bool,
    pause_error: &str,
    operation: impl FnOnce() -> Result<TxOutcome, SdkError>,
) -> Option<Result<TxOutcome, SdkError>> {
    let result = operation();
    if paused {
        assert!(
            failed_with(&result, pause_error),
            "expected {pause_error}, got {:?}",
            result.map(|_| ())
        );
        return None;
    }
    Some(result)
}

#[test]
fn the_economy_holds_its_invariants_over_hundreds_of_random_epochs() {
    let mut rng = StdRng::seed_from_u64(0xdeb1_2026);
    let mut network = Network::with_rewards(|args| args.max_supply = Some(MAX_SUPPLY));
    let authority = network.authority.pubkey();
    let mut pauses = 0u32;
    let mut issued_at_cap = 0u32;
    let mut members: Vec<Member> = Vec::new();
    // Device key → (owner index, cumulative earned in the model).
    let mut devices: Vec<(Keypair, usize)> = Vec::new();
    let mut earned: HashMap<[u8; 32], u64> = HashMap::new();
    let mut paid: HashMap<[u8; 32], u64> = HashMap::new();
    let mut claims = 0u32;
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
        if paused != 0 {
            network
                .authority_send(rewards::pause(authority, paused))
                .unwrap();
            pauses += 1;
        }
        if onboarding_paused {
            network
                .authority_send(device_registry::pause(
                    authority,
                    RegistryScope::Onboarding.bit(),
                ))
                .unwrap();
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
                network.assert_invariants();
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
                devices.push((device, owner));
            }
        }

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
        network.assert_invariants();

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
            network.assert_invariants();
        }

        // The oracles reward this epoch's work out of what has been issued.
        if !devices.is_empty() && network.config().next_epoch > epoch {
            let config = network.config();
            let budget = config.device_issued - earned.values().sum::<u64>();
            let mut handed = 0u64;
            for (device, _) in &devices {
                let share = rng.gen_range(0..=(budget - handed) / devices.len() as u64);
                *earned.entry(device.pubkey().to_bytes()).or_default() += share;
                handed += share;
            }
            let amounts: Vec<_> = devices
                .iter()
                .map(|(device, _)| (device.pubkey(), earned[&device.pubkey().to_bytes()]))
                .collect();
            let batch = BatchFile::new(epoch, leaves(&network, &amounts)).unwrap();
            // Two of the three oracles make it final.
            let absent = rng.gen_range(0..3);
            let voters: Vec<usize> = (0..3).filter(|index| *index != absent).collect();
            for voter in &voters {
                network.vote(&batch, *voter);
            }
            network.after_epoch(epoch, 2 * 3_600);

            let cranker = network.treasury_owner.insecure_clone();
            for (device, _) in &devices {
                let key = device.pubkey().to_bytes();
                let owed = earned[&key] - paid.get(&key).copied().unwrap_or(0);
                if !rng.gen_bool(0.5) {
                    continue;
                }
                let Some(result) = unless_paused(
                    is_paused(PauseScope::DeviceClaims),
                    "DeviceClaimsPaused",
                    || network.claim(&batch, &device.pubkey(), &cranker),
                ) else {
                    continue;
                };
                if owed == 0 {
                    assert_eq!(
                        result
                            .unwrap_err()
                            .program_error()
                            .map(|info| info.name.clone()),
                        Some("NothingToClaim".into())
                    );
                } else {
                    result.unwrap();
                    paid.insert(key, earned[&key]);
                    claims += 1;
                }
                assert_eq!(
                    network.device(&device.pubkey()).rewards_claimed,
                    paid.get(&key).copied().unwrap_or(0)
                );
            }

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
        network.assert_invariants();

        if paused != 0 {
            network
                .authority_send(rewards::unpause(authority, paused))
                .unwrap();
        }
        if onboarding_paused {
            network
                .authority_send(device_registry::unpause(
                    authority,
                    RegistryScope::Onboarding.bit(),
                ))
                .unwrap();
        }
    }

    // Every member's tokens are what the model paid them plus what they
    // were funded minus what they burned: checked through the ledger above;
    // here, the run did exercise the paths it claims to.
    let config = network.config();
    assert!(claims > 50, "only {claims} claims");
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
    let total_paid: u64 = paid.values().sum();
    assert_eq!(config.device_claimed, total_paid);
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
