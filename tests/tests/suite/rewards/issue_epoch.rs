//! `issue_epoch`: each ended epoch once, in order, under the breaker and the
//! supply cap.

use {
    crate::rewards::SPLIT,
    ::rewards::error::RewardsError,
    depin_sdk::{
        pda,
        rewards::{BreakerParams, ScheduleEntry},
    },
    depin_tests::{
        assert_rewards_error,
        network::{Network, TOKEN},
        proof_oracle::DAY,
    },
};

#[test]
fn an_epoch_issues_its_schedule_split_three_ways() {
    let mut network = Network::new();
    network.after_epoch(0, 1);
    network.issue(0).unwrap();
    let issued = network.epoch_rewards(0);
    assert_eq!(issued.emission, 1_000_000 * TOKEN);
    assert_eq!(issued.reemission, 0);
    assert_eq!(issued.devices, 750_000 * TOKEN);
    assert_eq!(issued.oracles, 50_000 * TOKEN);
    assert_eq!(issued.treasury, 200_000 * TOKEN);
    assert_eq!(network.token_supply(), 1_000_000 * TOKEN);
    assert_eq!(
        network.cluster.token_balance(&pda::treasury().0),
        200_000 * TOKEN
    );
    assert_eq!(network.config().next_epoch, 1);
    network.assert_invariants();
}

#[test]
fn issue_epoch_early_twice_or_out_of_order_fails() {
    let mut network = Network::new();
    network.after_epoch(0, -1);
    assert_rewards_error(network.issue(0), RewardsError::EpochNotEnded);
    network.after_epoch(1, 0);
    assert_rewards_error(network.issue(1), RewardsError::EpochNotNext);
    network.issue(0).unwrap();
    network.cluster.next_blockhash();
    assert_rewards_error(network.issue(0), RewardsError::EpochAlreadyIssued);
    network.issue(1).unwrap();
    assert_eq!(network.config().next_epoch, 2);
    network.assert_invariants();
}

#[test]
fn the_token_breaker_stops_a_burst_of_issuance() {
    // One epoch's emission per day; a crank catching up two epochs in one
    // day trips the breaker, and a day later lets it through (the breaker
    // counts in eighths of its window, so "a day" is rounded up by one).
    let mut network = Network::with_rewards(|args| {
        args.token_breaker = BreakerParams {
            window_seconds: DAY,
            limit: 1_000_000 * TOKEN,
        };
    });
    network.after_epoch(1, 0);
    network.issue(0).unwrap();
    assert_rewards_error(network.issue(1), RewardsError::CircuitBreakerTripped);
    assert_eq!(
        network.config().next_epoch,
        1,
        "nothing of the failed issue stays"
    );
    network.after_epoch(2, -1);
    assert_rewards_error(network.issue(1), RewardsError::CircuitBreakerTripped);
    network.after_epoch(2, DAY / 8);
    network.issue(1).unwrap();
    network.assert_invariants();
}

#[test]
fn max_supply_caps_issuance() {
    let mut network = Network::with_rewards(|args| {
        args.max_supply = Some(1_500_000 * TOKEN);
    });
    network.after_epoch(1, 0);
    network.issue(0).unwrap();
    network.warp(2 * DAY);
    network.issue(1).unwrap();
    assert_eq!(network.epoch_rewards(1).emission, 500_000 * TOKEN);
    assert_eq!(network.token_supply(), 1_500_000 * TOKEN);
    network.after_epoch(2, 3 * DAY);
    network.issue(2).unwrap();
    assert_eq!(network.epoch_rewards(2).emission, 0);
    network.assert_invariants();
}

#[test]
fn issuance_at_maximum_amounts_fails_with_overflow_not_a_wrap() {
    let mut network = Network::with_rewards(|args| {
        args.max_supply = None;
        args.schedule = vec![ScheduleEntry {
            start_epoch: 0,
            tokens_per_epoch: u64::MAX,
            split: SPLIT,
        }];
        args.token_breaker.limit = u64::MAX;
    });
    network.after_epoch(1, 0);
    network.issue(0).unwrap();
    assert_eq!(network.token_supply(), u64::MAX);
    network.warp(2 * DAY);
    assert_rewards_error(network.issue(1), RewardsError::Overflow);
    network.assert_invariants();
}
