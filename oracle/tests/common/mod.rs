//! What the oracle's tests share: a network, five devices (4 and 5 pay
//! one fleet wallet), their signed reports, and an epoch's evidence.
#![allow(dead_code)]

use {
    depin_oracle::proof_data::Evidence,
    depin_reports::{
        network_id,
        rule::{ClassParams, DeviceInput, EpochWindow, RuleParams},
        Payload, Report, SignedReport,
    },
    ed25519_dalek::SigningKey,
};

pub const START: i64 = 1_800_000_000;

pub fn network() -> [u8; 32] {
    network_id(&[1; 32], &[2; 32])
}

pub fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

pub fn window(epoch: u64) -> EpochWindow {
    EpochWindow {
        epoch,
        start: START + epoch as i64 * 86_400,
        end: START + (epoch as i64 + 1) * 86_400,
    }
}

pub fn params() -> RuleParams {
    RuleParams {
        version: 1,
        heartbeat_interval_seconds: 3600,
        uptime_share_bps: 5_000,
        classes: vec![ClassParams {
            uptime_weight: 1,
            usage_weight: 1,
            max_units_per_second: 1_000,
            cap_per_epoch: u64::MAX,
        }],
    }
}

pub fn devices() -> Vec<DeviceInput> {
    (1..=5u8)
        .map(|seed| DeviceInput {
            device: key(seed).verifying_key().to_bytes(),
            serial: u64::from(seed),
            class: 0,
            active: true,
            // Devices 4 and 5 pay one fleet wallet.
            recipient: [if seed >= 4 { 40 } else { seed + 10 }; 32],
        })
        .collect()
}

/// Device `seed` up `hours` hours of the epoch, with some usage.
pub fn reports(epoch: u64, seed: u8, hours: u64) -> Vec<SignedReport> {
    let mut made: Vec<SignedReport> = (0..hours)
        .map(|hour| {
            Report {
                network: network(),
                device: [0; 32],
                epoch,
                sequence: epoch * 1000 + hour,
                timestamp: window(epoch).start + hour as i64 * 3600 + 7,
                payload: Payload::Heartbeat { cell: None },
            }
            .sign(&key(seed))
        })
        .collect();
    made.push(
        Report {
            network: network(),
            device: [0; 32],
            epoch,
            sequence: epoch * 1000 + 999,
            timestamp: window(epoch).start + 100,
            payload: Payload::Usage {
                units: u64::from(seed) * 1_000_000,
                interval_seconds: 3600,
            },
        }
        .sign(&key(seed)),
    );
    made
}

pub fn evidence(epoch: u64) -> Evidence {
    Evidence {
        window: window(epoch),
        pool: 1_000_000_000,
        params: params(),
        devices: devices(),
        reports: (1..=5u8)
            .flat_map(|seed| reports(epoch, seed, 4 * u64::from(seed)))
            .collect(),
    }
}
