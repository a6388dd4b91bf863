//! The report format: exact bytes, strict decoding, signatures that bind
//! every field, the JSON form, the oracles' batched rule, and the test
//! vectors in `reports/test-vectors.json` that device firmware checks
//! itself against.

use {
    depin_reports::{
        json::ReportJson, network_id, verify_reports, Payload, Report, ReportError, SignedReport,
        BODY_LEN, REPORT_LEN, SIGNING_PREFIX,
    },
    ed25519_dalek::SigningKey,
    proptest::prelude::*,
    serde_json::{json, Value},
};

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn network() -> [u8; 32] {
    network_id(&[7; 32], &[9; 32])
}

fn heartbeat(sequence: u64, cell: Option<u64>) -> Report {
    Report {
        network: network(),
        device: [0; 32],
        epoch: 12,
        sequence,
        timestamp: 1_800_000_000,
        payload: Payload::Heartbeat { cell },
    }
}

fn usage(units: u64) -> Report {
    Report {
        payload: Payload::Usage {
            units,
            interval_seconds: 3600,
        },
        ..heartbeat(3, None)
    }
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[test]
fn a_report_is_170_bytes_and_reads_back() {
    assert_eq!(REPORT_LEN, 170);
    assert_eq!(BODY_LEN, 106);
    for report in [
        heartbeat(1, None),
        heartbeat(2, Some(0x8a2a1072b59ffff)),
        usage(0),
        usage(u64::MAX),
    ] {
        let signed = report.sign(&key(1));
        let bytes = signed.encode();
        assert_eq!(bytes.len(), REPORT_LEN);
        let read = SignedReport::decode(&bytes).unwrap();
        assert_eq!(read, signed);
        read.verify_strict().unwrap();
        verify_reports(&[read]).unwrap();
        assert_eq!(read.report.device, key(1).verifying_key().to_bytes());
    }
}

#[test]
fn the_signed_message_starts_with_the_prefix() {
    let message = heartbeat(1, None).signing_message();
    assert_eq!(&message[..SIGNING_PREFIX.len()], SIGNING_PREFIX);
    // A legacy Solana message starts with its signature count: a report's
    // message would claim 100 signatures ('d'), 6,400 bytes, more than a
    // transaction can carry (1,232); a version-0 message starts with 0x80.
    // So no report signature is ever a signature of a transaction the
    // device key could be asked to sign.
    assert_eq!(message[0], b'd');
    assert!(usize::from(message[0]) * 64 > 1232);
}

#[test]
fn malformed_bytes_are_refused_by_name() {
    let bytes = heartbeat(1, None).sign(&key(1)).encode();
    assert_eq!(
        SignedReport::decode(&bytes[..169]),
        Err(ReportError::Length { found: 169 })
    );
    let mut longer = bytes.to_vec();
    longer.push(0);
    assert_eq!(
        SignedReport::decode(&longer),
        Err(ReportError::Length { found: 171 })
    );
    let mut version = bytes;
    version[0] = 2;
    assert_eq!(
        SignedReport::decode(&version),
        Err(ReportError::Version { found: 2 })
    );
    let mut kind = bytes;
    kind[1] = 7;
    assert_eq!(
        SignedReport::decode(&kind),
        Err(ReportError::Kind { found: 7 })
    );
    let mut reserved = bytes;
    reserved[100] = 1;
    assert_eq!(SignedReport::decode(&reserved), Err(ReportError::Reserved));
    let mut usage_reserved = usage(5).sign(&key(1)).encode();
    usage_reserved[105] = 1;
    assert_eq!(
        SignedReport::decode(&usage_reserved),
        Err(ReportError::Reserved)
    );
    assert!(ReportError::Length { found: 3 }
        .to_string()
        .contains("170 bytes"));
}

#[test]
fn a_report_from_another_key_or_network_does_not_verify() {
    let mut signed = heartbeat(1, None).sign(&key(1));
    signed.report.device = key(2).verifying_key().to_bytes();
    assert_eq!(signed.verify_strict(), Err(ReportError::Signature));
    assert_eq!(verify_reports(&[signed]), Err(ReportError::Signature));
    let mut moved = heartbeat(1, None).sign(&key(1));
    moved.report.network = network_id(&[7; 32], &[10; 32]);
    assert_eq!(moved.verify_strict(), Err(ReportError::Signature));
    let mut later = heartbeat(1, None).sign(&key(1));
    later.report.epoch += 1;
    assert_eq!(later.verify_strict(), Err(ReportError::Signature));
}

#[test]
fn small_order_device_keys_are_refused() {
    // The identity point: every signature "verifies" under a cofactored
    // equation, so the rule refuses the key itself.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let mut signed = heartbeat(1, None).sign(&key(1));
    signed.report.device = identity;
    assert_eq!(verify_reports(&[signed]), Err(ReportError::DeviceKey));
    assert!(signed.verify_strict().is_err());
}

#[test]
fn one_bad_signature_fails_a_batch() {
    let mut reports: Vec<SignedReport> = (0..32)
        .map(|index| heartbeat(index, None).sign(&key(index as u8 + 1)))
        .collect();
    verify_reports(&reports).unwrap();
    reports[17].signature[5] ^= 1;
    assert_eq!(verify_reports(&reports), Err(ReportError::Signature));
    assert_eq!(verify_reports(&[]), Ok(()));
}

proptest! {
    /// Any one flipped bit of an encoded report is refused: by the decoder
    /// or by the signature.
    #[test]
    fn every_bit_is_covered(seed in 1u8..=255, sequence: u64, bit in 0usize..REPORT_LEN * 8, units: u64, usage_kind: bool) {
        let report = if usage_kind { Report { sequence, ..usage(units) } } else { heartbeat(sequence, Some(units | 1)) };
        let mut bytes = report.sign(&key(seed)).encode();
        bytes[bit / 8] ^= 1 << (bit % 8);
        if let Ok(read) = SignedReport::decode(&bytes) {
            prop_assert!(read.verify_strict().is_err());
            prop_assert!(verify_reports(&[read]).is_err());
        }
    }

    #[test]
    fn json_round_trips(seed in 1u8..=255, sequence: u64, timestamp: i64, units: u64, interval: u32, cell in 1u64..) {
        for report in [
            Report { sequence, timestamp, ..usage(units) },
            Report { payload: Payload::Usage { units, interval_seconds: interval }, ..heartbeat(sequence, None) },
            heartbeat(sequence, Some(cell)),
            heartbeat(sequence, None),
        ] {
            let signed = report.sign(&key(seed));
            let json = serde_json::to_string(&ReportJson::from(&signed)).unwrap();
            let back: ReportJson = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(SignedReport::try_from(&back).unwrap(), signed);
        }
    }
}

#[test]
fn json_mistakes_are_named() {
    let signed = heartbeat(1, Some(0x8a2a1072b59ffff)).sign(&key(1));
    let good = serde_json::to_value(ReportJson::from(&signed)).unwrap();
    assert_eq!(good["kind"], "heartbeat");
    assert_eq!(good["cell"], "8a2a1072b59ffff");
    let refused = |change: &dyn Fn(&mut Value)| -> String {
        let mut value = good.clone();
        change(&mut value);
        match serde_json::from_value::<ReportJson>(value) {
            Err(error) => error.to_string(),
            Ok(json) => SignedReport::try_from(&json).unwrap_err(),
        }
    };
    assert!(refused(&|value| value["device"] = json!("0OIl")).contains("device is not base58"));
    assert!(
        refused(&|value| value["device"] = json!("11111111")).contains("device is 8 bytes, not 32")
    );
    assert!(
        refused(&|value| value["network"] = json!("zz")).contains("network must be 64 hex digits")
    );
    assert!(refused(&|value| value["cell"] = json!("nothex")).contains("cell 'nothex'"));
    assert!(refused(&|value| value["units"] = json!(5)).contains("a heartbeat has no units"));
    assert!(refused(&|value| value["version"] = json!(9)).contains("version 9"));
    assert!(refused(&|value| value["extra"] = json!(1)).contains("unknown field `extra`"));
    assert!(refused(&|value| value["kind"] = json!("usage")).contains("a usage report has no cell"));
}

/// The published vectors: fixed keys and reports, their bytes and
/// signatures (ed25519 signing is deterministic). `DEPIN_WRITE_VECTORS=1`
/// rewrites the file after a deliberate format change.
#[test]
fn the_test_vectors_hold() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors.json");
    let registry = [0x11u8; 32];
    let genesis = [0x22u8; 32];
    let network = network_id(&registry, &genesis);
    let cases = [
        (
            "heartbeat with a cell",
            [1u8; 32],
            Report {
                network,
                device: [0; 32],
                epoch: 42,
                sequence: 1,
                timestamp: 1_800_000_000,
                payload: Payload::Heartbeat {
                    cell: Some(0x8a2a1072b59ffff),
                },
            },
        ),
        (
            "heartbeat without a cell",
            [2u8; 32],
            Report {
                network,
                device: [0; 32],
                epoch: 42,
                sequence: 2,
                timestamp: 1_800_003_600,
                payload: Payload::Heartbeat { cell: None },
            },
        ),
        (
            "usage: 1 GiB relayed in an hour",
            [3u8; 32],
            Report {
                network,
                device: [0; 32],
                epoch: 42,
                sequence: 3,
                timestamp: 1_800_007_200,
                payload: Payload::Usage {
                    units: 1 << 30,
                    interval_seconds: 3600,
                },
            },
        ),
    ];
    let computed: Vec<Value> = cases
        .iter()
        .map(|(name, seed, report)| {
            let signed = report.sign(&SigningKey::from_bytes(seed));
            json!({
                "name": name,
                "deviceSeed": to_hex(seed),
                "json": ReportJson::from(&signed),
                "signingMessage": to_hex(&signed.report.signing_message()),
                "encoded": to_hex(&signed.encode()),
            })
        })
        .collect();
    let document = json!({
        "format": "depin device report, version 1",
        "registryProgram": to_hex(&registry),
        "genesisHash": to_hex(&genesis),
        "network": to_hex(&network),
        "reports": computed,
    });
    if std::env::var_os("DEPIN_WRITE_VECTORS").is_some() {
        std::fs::write(
            &path,
            serde_json::to_string_pretty(&document).unwrap() + "\n",
        )
        .unwrap();
    }
    let published: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("test-vectors.json")).unwrap();
    assert_eq!(
        published, document,
        "the format changed: the published vectors no longer hold"
    );
    // And each published encoding reads back and verifies.
    for vector in published["reports"].as_array().unwrap() {
        let hex = vector["encoded"].as_str().unwrap();
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|at| u8::from_str_radix(&hex[at..at + 2], 16).unwrap())
            .collect();
        let signed = SignedReport::decode(&bytes).unwrap();
        signed.verify_strict().unwrap();
        assert_eq!(
            serde_json::to_value(ReportJson::from(&signed)).unwrap(),
            vector["json"]
        );
    }
}
