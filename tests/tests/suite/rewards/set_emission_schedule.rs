//! `set_emission_schedule`: never retroactive, valid splits only.

use {
    crate::rewards::SPLIT,
    ::rewards::error::RewardsError,
    depin_sdk::{
        rewards::{self, ScheduleEntry, Split},
        Signer,
    },
    depin_tests::{
        assert_rewards_error,
        network::{Network, TOKEN},
    },
};

#[test]
fn schedule_changes_take_effect_from_the_next_epoch_only() {
    let mut network = Network::with_rewards(|args| args.token_breaker.limit = u64::MAX);
    // During epoch 3 (epochs 0..=2 unissued): epochs up to 3 are fixed.
    network.after_epoch(2, 10);
    let authority = network.authority.pubkey();
    let retro = vec![ScheduleEntry {
        start_epoch: 0,
        tokens_per_epoch: 5 * TOKEN,
        split: SPLIT,
    }];
    assert_rewards_error(
        network.authority_send(rewards::set_emission_schedule(authority, retro)),
        RewardsError::RetroactiveScheduleChange,
    );
    let mut schedule = network.config().schedule;
    schedule.insert(
        1,
        ScheduleEntry {
            start_epoch: 3,
            tokens_per_epoch: 5 * TOKEN,
            split: SPLIT,
        },
    );
    assert_rewards_error(
        network.authority_send(rewards::set_emission_schedule(authority, schedule.clone())),
        RewardsError::RetroactiveScheduleChange,
    );
    schedule[1].start_epoch = 4;
    network
        .authority_send(rewards::set_emission_schedule(authority, schedule))
        .unwrap();
    network.after_epoch(4, 0);
    for epoch in 0..=4 {
        network.issue(epoch).unwrap();
    }
    assert_eq!(network.epoch_rewards(3).emission, 1_000_000 * TOKEN);
    assert_eq!(network.epoch_rewards(4).emission, 5 * TOKEN);
}

#[test]
fn invalid_schedules_and_splits_are_refused() {
    let mut network = Network::new();
    let authority = network.authority.pubkey();
    let entry = |start_epoch, split| ScheduleEntry {
        start_epoch,
        tokens_per_epoch: TOKEN,
        split,
    };
    let bad_split = Split {
        devices_bps: 7_500,
        oracles_bps: 500,
        treasury_bps: 1_999,
    };
    let over_split = Split {
        devices_bps: 10_000,
        oracles_bps: 1,
        treasury_bps: 0,
    };
    for (schedule, error) in [
        (vec![entry(5, bad_split)], RewardsError::InvalidSplit),
        (vec![entry(5, over_split)], RewardsError::InvalidSplit),
        (vec![], RewardsError::InvalidSchedule),
        (
            vec![entry(0, SPLIT), entry(9, SPLIT), entry(9, SPLIT)],
            RewardsError::InvalidSchedule,
        ),
        (
            (0..17).map(|epoch| entry(epoch, SPLIT)).collect(),
            RewardsError::InvalidSchedule,
        ),
    ] {
        assert_rewards_error(
            network.authority_send(rewards::set_emission_schedule(authority, schedule)),
            error,
        );
        network.cluster.next_blockhash();
    }
}
