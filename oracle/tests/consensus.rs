//! Oracles check each other: the leader rotates with the epoch and after
//! each missed deadline; a follower votes an honest leader's batch and
//! refuses, naming every reason, a batch that inflates, drops reports
//! beyond the tolerance, uses another pool, other parameters or a false
//! registry snapshot.

mod common;

use {
    common::{devices, evidence, network, params, window},
    depin_oracle::{
        consensus::{decide, leader, CloseSchedule, Decision, FollowerView},
        proof_data::close_epoch,
    },
    depin_sdk::{batch::BatchFile, Pubkey},
};

const SCHEDULE: CloseSchedule = CloseSchedule {
    grace: 600,
    deadline: 900,
};

#[test]
fn the_leader_rotates_with_the_epoch_and_after_each_missed_deadline() {
    let oracles = [
        Pubkey::new_unique(),
        Pubkey::new_unique(),
        Pubkey::new_unique(),
    ];
    let end = 1_800_086_400;
    // Not before the close begins.
    assert_eq!(leader(7, &oracles, end, end + 599, SCHEDULE), None);
    assert_eq!(leader(7, &[], end, end + 10_000, SCHEDULE), None);
    // Epoch 7: 7 mod 3 = oracle 1, then 2, then 0, then 1 again.
    assert_eq!(
        leader(7, &oracles, end, end + 600, SCHEDULE),
        Some(oracles[1])
    );
    assert_eq!(
        leader(7, &oracles, end, end + 1_499, SCHEDULE),
        Some(oracles[1])
    );
    assert_eq!(
        leader(7, &oracles, end, end + 1_500, SCHEDULE),
        Some(oracles[2])
    );
    assert_eq!(
        leader(7, &oracles, end, end + 2_400, SCHEDULE),
        Some(oracles[0])
    );
    assert_eq!(
        leader(7, &oracles, end, end + 3_300, SCHEDULE),
        Some(oracles[1])
    );
    // Every oracle leads some epoch.
    let leaders: std::collections::HashSet<Pubkey> = (0..3)
        .map(|epoch| leader(epoch, &oracles, end, end + 600, SCHEDULE).unwrap())
        .collect();
    assert_eq!(leaders.len(), 3);
    // Extreme epochs and times do not overflow.
    assert!(leader(u64::MAX, &oracles, i64::MAX - 10, i64::MAX, SCHEDULE).is_none());
    assert!(leader(u64::MAX, &oracles, 0, i64::MAX, SCHEDULE).is_some());
}

fn view<'a>(
    own_devices: &'a [depin_reports::rule::DeviceInput],
    own_reports: &'a [depin_reports::SignedReport],
    rule: &'a depin_reports::rule::RuleParams,
) -> FollowerView<'a> {
    FollowerView {
        network: network(),
        window: window(1),
        pool: 1_000_000_000,
        params: rule,
        devices: own_devices,
        own_reports,
        tolerance: 2,
    }
}

fn refused(decision: Decision, expected: &str) {
    match decision {
        Decision::Refuse(reasons) => assert!(
            reasons.iter().any(|reason| reason.contains(expected)),
            "expected a reason containing {expected:?}: {reasons:?}"
        ),
        Decision::Vote(_) => panic!("voted; expected a refusal containing {expected:?}"),
    }
}

#[test]
fn a_follower_votes_an_honest_batch() {
    let (batch, _) = close_epoch(None, evidence(1)).unwrap();
    let (own_devices, own_reports, rule) = (devices(), evidence(1).reports, params());
    assert_eq!(
        decide(&batch, None, &view(&own_devices, &own_reports, &rule)),
        Decision::Vote(batch.commitment())
    );
    // Within the tolerance: two reports reached only this follower.
    let mut partial = evidence(1);
    partial.reports.truncate(partial.reports.len() - 2);
    let (leader_batch, _) = close_epoch(None, partial).unwrap();
    assert!(matches!(
        decide(
            &leader_batch,
            None,
            &view(&own_devices, &own_reports, &rule)
        ),
        Decision::Vote(_)
    ));
}

#[test]
fn a_follower_refuses_a_dishonest_batch_and_says_why() {
    let (own_devices, own_reports, rule) = (devices(), evidence(1).reports, params());
    let honest = close_epoch(None, evidence(1)).unwrap().0;

    // Inflated: the amounts are not the rule's.
    let mut inflated_devices = honest.devices().to_vec();
    inflated_devices[0].amount += 1;
    let inflated = BatchFile::build(1, None, inflated_devices)
        .unwrap()
        .with_evidence(honest.evidence().to_vec());
    refused(
        decide(&inflated, None, &view(&own_devices, &own_reports, &rule)),
        "does not recompute",
    );

    // Dropped: more of the follower's reports missing than the tolerance.
    let mut dropped = evidence(1);
    dropped.reports.truncate(dropped.reports.len() - 3);
    let dropped = close_epoch(None, dropped).unwrap().0;
    refused(
        decide(&dropped, None, &view(&own_devices, &own_reports, &rule)),
        "3 of this oracle's reports are missing",
    );

    // Another pool than the chain issued.
    let mut richer = evidence(1);
    richer.pool *= 2;
    let richer = close_epoch(None, richer).unwrap().0;
    refused(
        decide(&richer, None, &view(&own_devices, &own_reports, &rule)),
        "the chain issued 1000000000",
    );

    // Other rule parameters.
    let mut tuned = evidence(1);
    tuned.params.uptime_share_bps = 9_000;
    let tuned = close_epoch(None, tuned).unwrap().0;
    refused(
        decide(&tuned, None, &view(&own_devices, &own_reports, &rule)),
        "rule parameters differ",
    );

    // A false snapshot: a suspended device listed as active, a device left out.
    let mut own_suspended = devices();
    own_suspended[1].active = false;
    refused(
        decide(&honest, None, &view(&own_suspended, &own_reports, &rule)),
        "is listed as",
    );
    let mut shrunk = evidence(1);
    shrunk.devices.remove(0);
    let shrunk = close_epoch(None, shrunk).unwrap().0;
    refused(
        decide(&shrunk, None, &view(&own_devices, &own_reports, &rule)),
        "is left out of the registry snapshot",
    );

    // Another epoch's window, and a batch with no evidence at all.
    let mut other_view = view(&own_devices, &own_reports, &rule);
    other_view.window = window(2);
    refused(decide(&honest, None, &other_view), "not the epoch's");
    let bare = BatchFile::build(1, None, honest.devices().to_vec()).unwrap();
    refused(
        decide(&bare, None, &view(&own_devices, &own_reports, &rule)),
        "no evidence",
    );
}
