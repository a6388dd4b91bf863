//! The reward rule's promises (`src/rule.rs`): the pool is accounted for
//! to the last unit and never exceeded, caps hold, only active registered
//! devices earn, more uptime or usage never earns less, and the order
//! reports arrive in never matters. Plus the README's worked example.

use {
    depin_reports::{
        rule::{compute, ClassParams, DeviceInput, EpochWindow, Outcome, ParamsError, RuleParams},
        Payload, Report, SignedReport,
    },
    proptest::prelude::*,
};

const HOUR: i64 = 3600;
const WINDOW: EpochWindow = EpochWindow {
    epoch: 7,
    start: 1_800_000_000,
    end: 1_800_000_000 + 24 * HOUR,
};

fn params(classes: Vec<ClassParams>) -> RuleParams {
    RuleParams {
        version: 1,
        heartbeat_interval_seconds: 3600,
        uptime_share_bps: 4_000,
        classes,
    }
}

fn class(uptime_weight: u64, usage_weight: u64, cap: u64) -> ClassParams {
    ClassParams {
        uptime_weight,
        usage_weight,
        max_units_per_second: 1_000,
        cap_per_epoch: cap,
    }
}

fn device(index: u8, class: u16, active: bool) -> DeviceInput {
    DeviceInput {
        device: [index; 32],
        serial: u64::from(index),
        class,
        active,
        recipient: [index.wrapping_add(100); 32],
    }
}

/// Signatures are the ingest's business; the rule reads contents.
fn report(device: u8, sequence: u64, offset: i64, payload: Payload) -> SignedReport {
    SignedReport {
        report: Report {
            network: [0; 32],
            device: [device; 32],
            epoch: WINDOW.epoch,
            sequence,
            timestamp: WINDOW.start + offset,
            payload,
        },
        signature: [0; 64],
    }
}

fn heartbeat(device: u8, sequence: u64, offset: i64) -> SignedReport {
    report(device, sequence, offset, Payload::Heartbeat { cell: None })
}

fn usage(device: u8, sequence: u64, offset: i64, units: u64) -> SignedReport {
    report(
        device,
        sequence,
        offset,
        Payload::Usage {
            units,
            interval_seconds: 3600,
        },
    )
}

fn reward_of(outcome: &Outcome, index: u8) -> u64 {
    outcome
        .results
        .iter()
        .find(|result| result.device == [index; 32])
        .map_or(0, |result| result.reward)
}

fn accounted(outcome: &Outcome, pool: u64) {
    assert_eq!(
        outcome.distributed + outcome.dust + outcome.capped + outcome.unallocated,
        pool,
        "{outcome:?}"
    );
    assert_eq!(
        outcome
            .results
            .iter()
            .map(|result| result.reward)
            .sum::<u64>(),
        outcome.distributed
    );
}

/// The README's worked example.
#[test]
fn the_worked_example() {
    // Two classes: hotspots (uptime weight 2, a byte is worth 1) and
    // sensors (uptime weight 1, no usage). A pool of 1,000,000.
    let rule = params(vec![class(2, 1, 1_000_000), class(1, 0, 150_000)]);
    let devices = [
        device(1, 0, true),
        device(2, 0, true),
        device(3, 1, true),
        device(4, 1, false),
    ];
    let mut reports = Vec::new();
    // Hotspot 1: up all 24 hours, 3,000,000 units served.
    for hour in 0..24 {
        reports.push(heartbeat(1, hour as u64, hour * HOUR + 5));
    }
    reports.push(usage(1, 100, 12 * HOUR, 3_000_000));
    // Hotspot 2: up 12 hours (two heartbeats in hour 0 count once),
    // 1,000,000 units.
    reports.push(heartbeat(2, 0, 10));
    for hour in 0..12 {
        reports.push(heartbeat(2, hour as u64 + 1, hour * HOUR + 20));
    }
    reports.push(usage(2, 50, 6 * HOUR, 1_000_000));
    // Sensor 3: up 24 hours. Sensor 4: suspended, earns nothing.
    for hour in 0..24 {
        reports.push(heartbeat(3, hour as u64, hour * HOUR + 30));
        reports.push(heartbeat(4, hour as u64, hour * HOUR + 30));
    }
    let outcome = compute(&rule, &WINDOW, 1_000_000, &devices, &reports).unwrap();
    // Uptime part 400,000 over weights 48 + 24 + 24 = 96;
    // usage part 600,000 over 3,000,000 + 1,000,000.
    let expected = [
        (1u8, 24, 3_000_000, 200_000, 450_000, 650_000),
        (2, 12, 1_000_000, 100_000, 150_000, 250_000),
        (3, 24, 0, 100_000, 0, 100_000),
    ];
    assert_eq!(outcome.results.len(), 3);
    for (result, (index, uptime, usage, uptime_reward, usage_reward, reward)) in
        outcome.results.iter().zip(expected)
    {
        assert_eq!(result.device, [index; 32]);
        assert_eq!(result.recipient, [index + 100; 32]);
        assert_eq!(
            (
                result.uptime,
                result.usage,
                result.uptime_reward,
                result.usage_reward,
                result.reward
            ),
            (uptime, usage, uptime_reward, usage_reward, reward)
        );
    }
    assert_eq!(
        (outcome.distributed, outcome.dust, outcome.capped),
        (1_000_000, 0, 0)
    );
    assert_eq!(
        outcome.ignored_reports, 24,
        "the suspended sensor's heartbeats"
    );

    // With the sensor class capped at 60,000, 40,000 stays in the pool.
    let capped = params(vec![class(2, 1, 1_000_000), class(1, 0, 60_000)]);
    let outcome = compute(&capped, &WINDOW, 1_000_000, &devices, &reports).unwrap();
    assert_eq!(reward_of(&outcome, 3), 60_000);
    assert_eq!((outcome.distributed, outcome.capped), (960_000, 40_000));
}

#[test]
fn reports_that_do_not_count() {
    let rule = params(vec![class(1, 1, u64::MAX)]);
    let devices = [device(1, 0, true)];
    let counted = compute(&rule, &WINDOW, 1000, &devices, &[heartbeat(1, 1, 0)]).unwrap();
    assert_eq!(reward_of(&counted, 1), 400);
    let ignored = |report: SignedReport| {
        let outcome = compute(
            &rule,
            &WINDOW,
            1000,
            &devices,
            &[heartbeat(1, 1, 0), report],
        )
        .unwrap();
        assert_eq!(outcome.ignored_reports, 1, "{report:?}");
        assert_eq!(reward_of(&outcome, 1), 400);
    };
    // Another epoch, before or after the window, an unknown device, the
    // same sequence again (even with other content).
    let mut other_epoch = usage(1, 2, 10, 5);
    other_epoch.report.epoch = 8;
    ignored(other_epoch);
    ignored(usage(1, 3, -1, 5));
    ignored(usage(1, 4, 24 * HOUR + 1, 5));
    ignored(usage(9, 1, 10, 5));
    ignored(usage(1, 1, 10, 5));
    // The window's last instant counts (in the last interval).
    let edge = compute(
        &rule,
        &WINDOW,
        1000,
        &devices,
        &[heartbeat(1, 1, 24 * HOUR)],
    )
    .unwrap();
    assert_eq!(edge.results[0].uptime, 1);
    // Usage above the class's rate is cut to it.
    let greedy = compute(&rule, &WINDOW, 1000, &devices, &[usage(1, 1, 10, u64::MAX)]).unwrap();
    assert_eq!(greedy.results[0].usage, 1_000 * 3600);
}

#[test]
fn parameters_are_checked() {
    let mut bad = params(vec![]);
    bad.version = 2;
    assert_eq!(
        compute(&bad, &WINDOW, 1, &[], &[]),
        Err(ParamsError::Version(2))
    );
    let mut bad = params(vec![]);
    bad.heartbeat_interval_seconds = 0;
    assert_eq!(
        compute(&bad, &WINDOW, 1, &[], &[]),
        Err(ParamsError::Interval)
    );
    let mut bad = params(vec![]);
    bad.uptime_share_bps = 10_001;
    assert_eq!(
        compute(&bad, &WINDOW, 1, &[], &[]),
        Err(ParamsError::Share(10_001))
    );
    let bad = params(vec![]);
    let odd = EpochWindow {
        end: WINDOW.start + 5000,
        ..WINDOW
    };
    assert_eq!(compute(&bad, &odd, 1, &[], &[]), Err(ParamsError::Window));
    let backwards = EpochWindow {
        end: WINDOW.start,
        ..WINDOW
    };
    assert_eq!(
        compute(&bad, &backwards, 1, &[], &[]),
        Err(ParamsError::Window)
    );
    // Nobody qualified: the whole pool is unallocated, nothing is paid.
    let empty = compute(&params(vec![class(1, 1, 10)]), &WINDOW, 777, &[], &[]).unwrap();
    assert_eq!((empty.distributed, empty.unallocated), (0, 777));
}

fn arbitrary_case() -> impl Strategy<Value = (RuleParams, Vec<DeviceInput>, Vec<SignedReport>, u64)>
{
    let classes = prop::collection::vec(
        (0u64..5, 0u64..5, 1u64..2_000, 1u64..u64::MAX).prop_map(|(uptime, usage, rate, cap)| {
            ClassParams {
                uptime_weight: uptime,
                usage_weight: usage,
                max_units_per_second: rate,
                cap_per_epoch: cap,
            }
        }),
        1..4,
    );
    (classes, 0u16..10_001).prop_flat_map(|(classes, share)| {
        let class_count = classes.len() as u16;
        let devices =
            prop::collection::vec((0..class_count + 1, prop::bool::weighted(0.85)), 1..12)
                .prop_map(|list| {
                    list.into_iter()
                        .enumerate()
                        .map(|(index, (class, active))| device(index as u8, class, active))
                        .collect::<Vec<_>>()
                });
        let reports = prop::collection::vec(
            (
                0u8..14,
                0u64..40,
                -HOUR..25 * HOUR,
                prop::option::of(0u64..10_000_000),
                6u64..9,
            ),
            0..150,
        )
        .prop_map(|list| {
            list.into_iter()
                .map(|(device, sequence, offset, units, epoch)| {
                    let mut made = match units {
                        None => heartbeat(device, sequence, offset),
                        Some(units) => usage(device, sequence, offset, units),
                    };
                    made.report.epoch = epoch;
                    made
                })
                .collect::<Vec<_>>()
        });
        let rule = RuleParams {
            version: 1,
            heartbeat_interval_seconds: 3600,
            uptime_share_bps: share,
            classes: classes.clone(),
        };
        (Just(rule), devices, reports, 0u64..u64::MAX / 2)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_pool_is_accounted_for_and_never_exceeded((rule, devices, reports, pool) in arbitrary_case()) {
        let outcome = compute(&rule, &WINDOW, pool, &devices, &reports).unwrap();
        accounted(&outcome, pool);
        prop_assert!(outcome.dust < 2 * outcome.results.len().max(1) as u64);
        for result in &outcome.results {
            let device = devices.iter().find(|device| device.device == result.device).unwrap();
            prop_assert!(device.active, "an inactive device earned");
            let class = &rule.classes[usize::from(device.class)];
            prop_assert!(result.reward <= class.cap_per_epoch);
            prop_assert!(result.uptime <= 24);
            prop_assert!(result.usage <= class.max_units_per_second * 24 * 3600);
        }
    }

    #[test]
    fn arrival_order_never_matters((rule, devices, reports, pool) in arbitrary_case(), seed: u64) {
        let outcome = compute(&rule, &WINDOW, pool, &devices, &reports).unwrap();
        let mut shuffled = reports.clone();
        // A deterministic shuffle from the seed.
        let mut state = seed | 1;
        for index in (1..shuffled.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.swap(index, (state % (index as u64 + 1)) as usize);
        }
        prop_assert_eq!(compute(&rule, &WINDOW, pool, &devices, &shuffled).unwrap(), outcome);
    }

    #[test]
    fn more_uptime_or_usage_never_earns_less(
        (rule, devices, reports, pool) in arbitrary_case(),
        target in 0u8..12,
        hour in 0i64..24,
        units in 1u64..1_000_000,
    ) {
        let before = compute(&rule, &WINDOW, pool, &devices, &reports).unwrap();
        let fresh = 1_000 + reports.len() as u64;
        for extra in [heartbeat(target, fresh, hour * HOUR + 1), usage(target, fresh, hour * HOUR + 1, units)] {
            let mut more = reports.clone();
            more.push(extra);
            let after = compute(&rule, &WINDOW, pool, &devices, &more).unwrap();
            prop_assert!(reward_of(&after, target) >= reward_of(&before, target));
        }
    }
}
