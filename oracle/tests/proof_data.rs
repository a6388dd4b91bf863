//! A batch recomputed from its evidence: what an honest leader publishes
//! verifies; an inflated device, a dropped or forged report, another
//! network's report, or the wrong previous batch do not, each named.

mod common;

use {
    common::{evidence, key, network, reports},
    depin_oracle::proof_data::{close_epoch, missing_reports, verify, Evidence, ProofDataError},
    depin_reports::network_id,
    depin_sdk::batch::BatchFile,
};

#[test]
fn an_honest_batch_verifies_from_its_file_alone() {
    let (batch, outcome) = close_epoch(None, evidence(1)).unwrap();
    assert_eq!(
        outcome.distributed + outcome.dust + outcome.capped + outcome.unallocated,
        1_000_000_000
    );
    assert_eq!(batch.devices().len(), 5);
    assert_eq!(batch.leaves().len(), 4, "devices 4 and 5 pay one wallet");
    // What a follower downloads: the file's bytes.
    let read = BatchFile::from_bytes(&batch.to_bytes()).unwrap();
    let (evidence_read, recomputed) = verify(&read, None, &network()).unwrap();
    assert_eq!(recomputed, outcome);
    assert_eq!(evidence_read.reports.len(), evidence(1).reports.len());
    // The same reports in another order close to the same bytes.
    let mut shuffled = evidence(1);
    shuffled.reports.reverse();
    shuffled.devices.reverse();
    let (again, _) = close_epoch(None, shuffled).unwrap();
    assert_eq!(again.to_bytes(), batch.to_bytes());
    assert_eq!(again.commitment(), batch.commitment());
}

#[test]
fn the_next_epoch_adds_to_the_previous_batch() {
    let (first, _) = close_epoch(None, evidence(1)).unwrap();
    let (second, _) = close_epoch(Some(&first), evidence(2)).unwrap();
    verify(&second, Some(&first), &network()).unwrap();
    assert!(matches!(
        verify(&second, None, &network()),
        Err(ProofDataError::Batch(_))
    ));
    assert_eq!(second.commitment().total, 2 * first.commitment().total);
}

#[test]
fn a_leader_that_inflates_a_device_is_caught() {
    let (honest, _) = close_epoch(None, evidence(1)).unwrap();
    let mut devices = honest.devices().to_vec();
    devices[2].amount += 1_000;
    let inflated = BatchFile::build(1, None, devices)
        .unwrap()
        .with_evidence(honest.evidence().to_vec());
    let error = verify(&inflated, None, &network()).unwrap_err();
    assert!(matches!(error, ProofDataError::Amounts(_)), "{error}");
    assert!(
        error
            .to_string()
            .contains(&honest.devices()[2].device_key.to_string()),
        "{error}"
    );
}

#[test]
fn a_leader_that_drops_reports_is_caught_by_the_follower_that_has_them() {
    // The leader's evidence lacks device 3's reports: its own batch is
    // consistent, but a follower holding those reports sees them missing.
    let mut partial = evidence(1);
    let device_three = key(3).verifying_key().to_bytes();
    partial
        .reports
        .retain(|signed| signed.report.device != device_three);
    let (batch, _) = close_epoch(None, partial).unwrap();
    let (leader_evidence, _) = verify(&batch, None, &network()).unwrap();
    let own = evidence(1).reports;
    let missing = missing_reports(&leader_evidence, &own);
    assert_eq!(missing.len(), reports(1, 3, 12).len());
    assert!(missing
        .iter()
        .all(|signed| signed.report.device == device_three));
    // With the full evidence nothing is missing.
    let (full, _) = close_epoch(None, evidence(1)).unwrap();
    let (full_evidence, _) = verify(&full, None, &network()).unwrap();
    assert!(missing_reports(&full_evidence, &own).is_empty());
    // Amounts from all reports over evidence without some: not recomputable.
    let dropped = BatchFile::build(1, None, full.devices().to_vec())
        .unwrap()
        .with_evidence(batch.evidence().to_vec());
    assert!(matches!(
        verify(&dropped, None, &network()),
        Err(ProofDataError::Amounts(_))
    ));
}

#[test]
fn forged_and_foreign_reports_are_named() {
    let mut forged = evidence(1);
    forged.reports[7].signature[3] ^= 1;
    let (batch, _) = close_epoch(None, forged).unwrap();
    let error = verify(&batch, None, &network()).unwrap_err();
    assert!(matches!(error, ProofDataError::Signature { .. }), "{error}");

    let mut foreign = evidence(1);
    let mut report = foreign.reports[0].report;
    report.network = network_id(&[1; 32], &[3; 32]);
    foreign.reports.push(report.sign(&key(1)));
    let (batch, _) = close_epoch(None, foreign).unwrap();
    assert!(matches!(
        verify(&batch, None, &network()),
        Err(ProofDataError::OtherNetwork { .. })
    ));
}

#[test]
fn malformed_or_missing_evidence_is_refused() {
    let (batch, _) = close_epoch(None, evidence(1)).unwrap();
    let plain = BatchFile::build(1, None, batch.devices().to_vec()).unwrap();
    assert!(matches!(
        verify(&plain, None, &network()),
        Err(ProofDataError::NoEvidence)
    ));
    let bytes = batch.evidence();
    for cut in [1, 20, 50, bytes.len() - 1] {
        assert!(
            matches!(
                Evidence::from_bytes(&bytes[..cut]),
                Err(ProofDataError::Malformed(_))
            ),
            "cut at {cut}"
        );
    }
    let mut longer = bytes.to_vec();
    longer.push(0);
    assert!(matches!(
        Evidence::from_bytes(&longer),
        Err(ProofDataError::Malformed(_))
    ));
    let wrong_epoch = BatchFile::build(2, None, batch.devices().to_vec())
        .unwrap()
        .with_evidence(bytes.to_vec());
    assert!(matches!(
        verify(&wrong_epoch, None, &network()),
        Err(ProofDataError::EpochMismatch {
            evidence: 1,
            batch: 2
        })
    ));
}
