//! Device reports: what a device signs with its registered key to tell the
//! oracles it was alive (heartbeat) or served something (usage), and what
//! the oracles verify before a report counts toward rewards.
//!
//! One fixed binary form, [`REPORT_LEN`] bytes, little-endian:
//!
//! | bytes | field |
//! |---|---|
//! | 1 | format version ([`VERSION`]) |
//! | 1 | kind: 0 heartbeat, 1 usage |
//! | 32 | network: [`network_id`] of the registry program and genesis |
//! | 32 | device: its ed25519 public key (the on-chain device address) |
//! | 8 | epoch (u64) |
//! | 8 | sequence (u64, strictly increasing per device) |
//! | 8 | timestamp (i64, unix seconds, the device's clock) |
//! | 16 | payload: heartbeat = H3 cell (u64, 0: none) + 8 zero bytes; usage = units (u64) + interval seconds (u32) + 4 zero bytes |
//! | 64 | ed25519 signature of [`SIGNING_PREFIX`] ‖ the 106 bytes above |
//!
//! The signature covers the network, so a report cannot be replayed on
//! another network; the epoch and sequence, so not in another epoch nor
//! twice. The prefix keeps a report from ever being a valid Solana message
//! (the same key signs the device's registration transaction).
//!
//! Without the `std` feature the crate needs only `core` (device firmware):
//! [`Report::sign`], [`SignedReport::encode`], [`SignedReport::decode`] and
//! [`SignedReport::verify_strict`] allocate nothing. `alloc` adds the JSON
//! form, `batch` [`verify_reports`], the oracles' rule.
#![no_std]
#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(feature = "alloc")]
pub mod json;
#[cfg(feature = "alloc")]
pub mod rule;

use {
    core::fmt,
    ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey},
    sha2::{Digest, Sha256},
};

/// The binary format this crate writes and reads.
pub const VERSION: u8 = 1;
/// Bytes of an encoded, signed report.
pub const REPORT_LEN: usize = 170;
/// Bytes a device signs after the prefix.
pub const BODY_LEN: usize = REPORT_LEN - 64;
/// What every signed message starts with.
pub const SIGNING_PREFIX: &[u8; 20] = b"depin device report\0";

/// The network a report belongs to: SHA-256 of
/// `"depin-network-v1" ‖ registry program id ‖ genesis hash`.
pub fn network_id(registry_program: &[u8; 32], genesis_hash: &[u8; 32]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"depin-network-v1");
    hasher.update(registry_program);
    hasher.update(genesis_hash);
    hasher.finalize().into()
}

/// What a report says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Payload {
    /// The device is alive; `cell` is the H3 cell it believes it is in.
    Heartbeat { cell: Option<u64> },
    /// `units` of its class's service (bytes relayed, GB-hours stored,
    /// GPU-seconds …) delivered over the last `interval_seconds`.
    Usage { units: u64, interval_seconds: u32 },
}

impl Payload {
    pub fn kind(&self) -> Kind {
        match self {
            Payload::Heartbeat { .. } => Kind::Heartbeat,
            Payload::Usage { .. } => Kind::Usage,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Heartbeat = 0,
    Usage = 1,
}

/// A report before it is signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Report {
    pub network: [u8; 32],
    pub device: [u8; 32],
    pub epoch: u64,
    pub sequence: u64,
    pub timestamp: i64,
    pub payload: Payload,
}

/// A report with the device's signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignedReport {
    pub report: Report,
    pub signature: [u8; 64],
}

/// Why bytes are not a valid report, or a report not validly signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportError {
    /// Not [`REPORT_LEN`] bytes.
    Length { found: usize },
    /// A format version this crate does not read.
    Version { found: u8 },
    /// An unknown kind byte.
    Kind { found: u8 },
    /// Reserved payload bytes that are not zero.
    Reserved,
    /// The device field is not an ed25519 public key.
    DeviceKey,
    /// The signature does not verify with the device's key.
    Signature,
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::Length { found } => {
                write!(f, "a report is {REPORT_LEN} bytes, not {found}")
            }
            ReportError::Version { found } => {
                write!(
                    f,
                    "report format version {found} is not supported (this node reads {VERSION})"
                )
            }
            ReportError::Kind { found } => {
                write!(f, "report kind {found} is unknown (0 heartbeat, 1 usage)")
            }
            ReportError::Reserved => write!(f, "the payload's reserved bytes are not zero"),
            ReportError::DeviceKey => write!(f, "the device field is not an ed25519 public key"),
            ReportError::Signature => {
                write!(f, "the signature does not verify with the device's key")
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for ReportError {}

impl Report {
    /// The bytes after the prefix that the device signs.
    pub fn body(&self) -> [u8; BODY_LEN] {
        let mut body = [0u8; BODY_LEN];
        body[0] = VERSION;
        body[1] = self.payload.kind() as u8;
        body[2..34].copy_from_slice(&self.network);
        body[34..66].copy_from_slice(&self.device);
        body[66..74].copy_from_slice(&self.epoch.to_le_bytes());
        body[74..82].copy_from_slice(&self.sequence.to_le_bytes());
        body[82..90].copy_from_slice(&self.timestamp.to_le_bytes());
        match self.payload {
            Payload::Heartbeat { cell } => {
                body[90..98].copy_from_slice(&cell.unwrap_or(0).to_le_bytes());
            }
            Payload::Usage {
                units,
                interval_seconds,
            } => {
                body[90..98].copy_from_slice(&units.to_le_bytes());
                body[98..102].copy_from_slice(&interval_seconds.to_le_bytes());
            }
        }
        body
    }

    /// The message the device signs: [`SIGNING_PREFIX`] ‖ [`Report::body`].
    pub fn signing_message(&self) -> [u8; SIGNING_PREFIX.len() + BODY_LEN] {
        let mut message = [0u8; SIGNING_PREFIX.len() + BODY_LEN];
        message[..SIGNING_PREFIX.len()].copy_from_slice(SIGNING_PREFIX);
        message[SIGNING_PREFIX.len()..].copy_from_slice(&self.body());
        message
    }

    /// Signs with the device's key; its public key becomes the device field.
    pub fn sign(mut self, device_key: &SigningKey) -> SignedReport {
        self.device = device_key.verifying_key().to_bytes();
        let signature = device_key.sign(&self.signing_message()).to_bytes();
        SignedReport {
            report: self,
            signature,
        }
    }
}

impl SignedReport {
    pub fn encode(&self) -> [u8; REPORT_LEN] {
        let mut bytes = [0u8; REPORT_LEN];
        bytes[..BODY_LEN].copy_from_slice(&self.report.body());
        bytes[BODY_LEN..].copy_from_slice(&self.signature);
        bytes
    }

    /// Reads a report strictly: exact length, known version and kind, zero
    /// reserved bytes. The signature is checked by [`SignedReport::verify`].
    pub fn decode(bytes: &[u8]) -> Result<Self, ReportError> {
        if bytes.len() != REPORT_LEN {
            return Err(ReportError::Length { found: bytes.len() });
        }
        if bytes[0] != VERSION {
            return Err(ReportError::Version { found: bytes[0] });
        }
        let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
        let array = |at: usize| -> [u8; 32] { bytes[at..at + 32].try_into().expect("32 bytes") };
        let payload = match bytes[1] {
            0 => {
                if bytes[98..106] != [0; 8] {
                    return Err(ReportError::Reserved);
                }
                let cell = word(90);
                Payload::Heartbeat {
                    cell: (cell != 0).then_some(cell),
                }
            }
            1 => {
                if bytes[102..106] != [0; 4] {
                    return Err(ReportError::Reserved);
                }
                Payload::Usage {
                    units: word(90),
                    interval_seconds: u32::from_le_bytes(
                        bytes[98..102].try_into().expect("4 bytes"),
                    ),
                }
            }
            found => return Err(ReportError::Kind { found }),
        };
        Ok(SignedReport {
            report: Report {
                network: array(2),
                device: array(34),
                epoch: word(66),
                sequence: word(74),
                timestamp: word(82) as i64,
                payload,
            },
            signature: bytes[BODY_LEN..].try_into().expect("64 bytes"),
        })
    }

    /// Checks the signature with the device field's key, strictly
    /// (cofactorless, no small-order keys, canonical signatures): what a
    /// device checks of itself. Whatever passes this passes the oracles'
    /// rule, [`verify_reports`].
    pub fn verify_strict(&self) -> Result<(), ReportError> {
        let key =
            VerifyingKey::from_bytes(&self.report.device).map_err(|_| ReportError::DeviceKey)?;
        key.verify_strict(
            &self.report.signing_message(),
            &Signature::from_bytes(&self.signature),
        )
        .map_err(|_| ReportError::Signature)
    }
}

/// The oracles' rule for report signatures, for one report or many at
/// once: the cofactored ed25519 equation (the one batched verification
/// computes, about twice as fast per signature as one by one), canonical
/// signatures, small-order device keys refused. One rule whatever the
/// number, so an oracle that checks reports in batches and one that checks
/// them singly always agree. On failure, check the reports one at a time to
/// learn which.
#[cfg(feature = "batch")]
pub fn verify_reports(reports: &[SignedReport]) -> Result<(), ReportError> {
    use alloc::vec::Vec;
    if reports.is_empty() {
        return Ok(());
    }
    let messages: Vec<[u8; SIGNING_PREFIX.len() + BODY_LEN]> = reports
        .iter()
        .map(|signed| signed.report.signing_message())
        .collect();
    let message_refs: Vec<&[u8]> = messages.iter().map(|message| &message[..]).collect();
    let signatures: Vec<Signature> = reports
        .iter()
        .map(|signed| Signature::from_bytes(&signed.signature))
        .collect();
    let keys = reports
        .iter()
        .map(|signed| VerifyingKey::from_bytes(&signed.report.device))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| ReportError::DeviceKey)?;
    if keys.iter().any(VerifyingKey::is_weak) {
        return Err(ReportError::DeviceKey);
    }
    ed25519_dalek::verify_batch(&message_refs, &signatures, &keys)
        .map_err(|_| ReportError::Signature)
}
