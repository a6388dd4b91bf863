//! An epoch's proof data: the batch file with its evidence (version 3,
//! `depin_sdk::batch`), whose SHA-256 is the vote's `proof_data_hash`. The
//! evidence is everything the device amounts were computed from, so anyone
//! holding the file (and the previous final batch) recomputes the batch:
//!
//! | bytes | field |
//! |---|---|
//! | 8 | epoch |
//! | 8, 8 | the epoch's window: start, end (unix seconds) |
//! | 8 | the pool: what the epoch issued to devices |
//! | 4, p | the reward rule's parameters, JSON |
//! | 4, 75 × k | the registry as the epoch closed: device key, serial, class (u16), active (u8), rewards recipient |
//! | 4, 170 × r | every report the oracle accepted for the epoch, as the devices signed them |

use {
    depin_reports::{
        rule::{compute, DeviceInput, EpochWindow, Outcome, ParamsError, RuleParams},
        verify_reports, SignedReport, REPORT_LEN,
    },
    depin_sdk::{
        batch::{BatchError, BatchFile, DeviceReward},
        Pubkey,
    },
    std::collections::BTreeSet,
};

const DEVICE_LEN: usize = 75;

/// What an epoch's batch was computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub window: EpochWindow,
    pub pool: u64,
    pub params: RuleParams,
    pub devices: Vec<DeviceInput>,
    pub reports: Vec<SignedReport>,
}

#[derive(Debug, thiserror::Error)]
pub enum ProofDataError {
    #[error("the batch carries no evidence (a batch of typed amounts cannot be recomputed)")]
    NoEvidence,
    #[error("the evidence is malformed: {0}")]
    Malformed(String),
    #[error("the evidence is for epoch {evidence}, the batch for epoch {batch}")]
    EpochMismatch { evidence: u64, batch: u64 },
    #[error("report {index} is for another network")]
    OtherNetwork { index: usize },
    #[error("report {index}'s signature does not verify (device {device})")]
    Signature { index: usize, device: Pubkey },
    #[error("the reward rule's parameters: {0}")]
    Params(#[from] ParamsError),
    #[error("the batch's device amounts are not what the rule computes from its evidence: {0}")]
    Amounts(String),
    #[error(transparent)]
    Batch(#[from] BatchError),
}

impl Evidence {
    /// The reward rule over this evidence.
    pub fn apply_rule(&self) -> Result<Outcome, ParamsError> {
        compute(
            &self.params,
            &self.window,
            self.pool,
            &self.devices,
            &self.reports,
        )
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let params = serde_json::to_vec(&self.params).expect("parameters serialize");
        let mut bytes = Vec::with_capacity(
            48 + params.len() + self.devices.len() * DEVICE_LEN + self.reports.len() * REPORT_LEN,
        );
        bytes.extend_from_slice(&self.window.epoch.to_le_bytes());
        bytes.extend_from_slice(&self.window.start.to_le_bytes());
        bytes.extend_from_slice(&self.window.end.to_le_bytes());
        bytes.extend_from_slice(&self.pool.to_le_bytes());
        bytes.extend_from_slice(&(params.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&params);
        bytes.extend_from_slice(&(self.devices.len() as u32).to_le_bytes());
        for device in &self.devices {
            bytes.extend_from_slice(&device.device);
            bytes.extend_from_slice(&device.serial.to_le_bytes());
            bytes.extend_from_slice(&device.class.to_le_bytes());
            bytes.push(u8::from(device.active));
            bytes.extend_from_slice(&device.recipient);
        }
        bytes.extend_from_slice(&(self.reports.len() as u32).to_le_bytes());
        for report in &self.reports {
            bytes.extend_from_slice(&report.encode());
        }
        bytes
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofDataError> {
        let mut reader = Reader { bytes, at: 0 };
        let epoch = reader.u64("epoch")?;
        let start = reader.u64("window start")? as i64;
        let end = reader.u64("window end")? as i64;
        let pool = reader.u64("pool")?;
        let params_len = reader.u32("parameters length")? as usize;
        let params: RuleParams = serde_json::from_slice(reader.take(params_len, "parameters")?)
            .map_err(|error| ProofDataError::Malformed(format!("parameters: {error}")))?;
        let device_count = reader.u32("device count")? as usize;
        let mut devices = Vec::with_capacity(device_count.min(bytes.len() / DEVICE_LEN));
        for index in 0..device_count {
            let chunk = reader.take(DEVICE_LEN, "devices")?;
            let active = match chunk[42] {
                0 => false,
                1 => true,
                other => {
                    return Err(ProofDataError::Malformed(format!(
                        "device {index}: active is {other}, not 0 or 1"
                    )))
                }
            };
            devices.push(DeviceInput {
                device: chunk[..32].try_into().expect("32"),
                serial: u64::from_le_bytes(chunk[32..40].try_into().expect("8")),
                class: u16::from_le_bytes(chunk[40..42].try_into().expect("2")),
                active,
                recipient: chunk[43..75].try_into().expect("32"),
            });
        }
        let report_count = reader.u32("report count")? as usize;
        let mut reports = Vec::with_capacity(report_count.min(bytes.len() / REPORT_LEN));
        for index in 0..report_count {
            let chunk = reader.take(REPORT_LEN, "reports")?;
            reports.push(
                SignedReport::decode(chunk).map_err(|error| {
                    ProofDataError::Malformed(format!("report {index}: {error}"))
                })?,
            );
        }
        if reader.at != bytes.len() {
            return Err(ProofDataError::Malformed(format!(
                "{} bytes after the reports",
                bytes.len() - reader.at
            )));
        }
        Ok(Self {
            window: EpochWindow { epoch, start, end },
            pool,
            params,
            devices,
            reports,
        })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, length: usize, what: &str) -> Result<&'a [u8], ProofDataError> {
        let end = self
            .at
            .checked_add(length)
            .filter(|end| *end <= self.bytes.len());
        let Some(end) = end else {
            return Err(ProofDataError::Malformed(format!("it ends inside {what}")));
        };
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u64(&mut self, what: &str) -> Result<u64, ProofDataError> {
        Ok(u64::from_le_bytes(
            self.take(8, what)?.try_into().expect("8"),
        ))
    }

    fn u32(&mut self, what: &str) -> Result<u32, ProofDataError> {
        Ok(u32::from_le_bytes(
            self.take(4, what)?.try_into().expect("4"),
        ))
    }
}

/// The device amounts the rule gives: one line per device that earned.
fn device_rewards(outcome: &Outcome) -> Vec<DeviceReward> {
    outcome
        .results
        .iter()
        .filter(|result| result.reward > 0)
        .map(|result| DeviceReward {
            device_key: Pubkey::new_from_array(result.device),
            serial: result.serial,
            amount: result.reward,
            recipient: Pubkey::new_from_array(result.recipient),
        })
        .collect()
}

/// Closes an epoch: the rule over the evidence, each device's reward added
/// to its recipient's total of `previous`, the evidence in the file.
/// Reports are kept in (device, sequence) order, so two oracles with the
/// same reports write the same bytes.
pub fn close_epoch(
    previous: Option<&BatchFile>,
    mut evidence: Evidence,
) -> Result<(BatchFile, Outcome), ProofDataError> {
    evidence
        .reports
        .sort_by_key(|signed| (signed.report.device, signed.report.sequence));
    evidence.devices.sort_by_key(|device| device.device);
    let outcome = evidence.apply_rule()?;
    let batch = BatchFile::build(evidence.window.epoch, previous, device_rewards(&outcome))?
        .with_evidence(evidence.to_bytes());
    Ok((batch, outcome))
}

/// Recomputes a batch from its evidence, as a follower or anyone does:
/// every report of `network` and validly signed, the rule's amounts equal
/// to the batch's device lines, and the leaves equal to `previous` plus
/// those amounts. Returns the evidence and the rule's outcome.
pub fn verify(
    batch: &BatchFile,
    previous: Option<&BatchFile>,
    network: &[u8; 32],
) -> Result<(Evidence, Outcome), ProofDataError> {
    if batch.evidence().is_empty() {
        return Err(ProofDataError::NoEvidence);
    }
    let evidence = Evidence::from_bytes(batch.evidence())?;
    if evidence.window.epoch != batch.epoch() {
        return Err(ProofDataError::EpochMismatch {
            evidence: evidence.window.epoch,
            batch: batch.epoch(),
        });
    }
    if let Some(index) = evidence
        .reports
        .iter()
        .position(|signed| signed.report.network != *network)
    {
        return Err(ProofDataError::OtherNetwork { index });
    }
    // All at once; on failure, one at a time to name the report.
    for (chunk_index, chunk) in evidence.reports.chunks(1024).enumerate() {
        if verify_reports(chunk).is_err() {
            let offset = chunk
                .iter()
                .position(|signed| verify_reports(std::slice::from_ref(signed)).is_err())
                .unwrap_or(0);
            let index = chunk_index * 1024 + offset;
            return Err(ProofDataError::Signature {
                index,
                device: Pubkey::new_from_array(evidence.reports[index].report.device),
            });
        }
    }
    let outcome = evidence.apply_rule()?;
    let mut expected = device_rewards(&outcome);
    expected.sort_by_key(|device| device.device_key);
    let found = batch.devices();
    if expected != found {
        let differs = expected
            .iter()
            .zip(found)
            .find(|(expected, found)| expected != found)
            .map(|(expected, found)| {
                format!(
                    "device {} should earn {} for {}, the batch says {} for device {}",
                    expected.device_key,
                    expected.amount,
                    expected.recipient,
                    found.amount,
                    found.device_key
                )
            })
            .unwrap_or_else(|| {
                format!(
                    "{} devices earned, the batch lists {}",
                    expected.len(),
                    found.len()
                )
            });
        return Err(ProofDataError::Amounts(differs));
    }
    batch.recompute(previous)?;
    Ok((evidence, outcome))
}

/// The reports an oracle accepted itself (before the cut-off) that a
/// leader's evidence lacks: a follower votes only if there are none (or
/// no more than its stated tolerance).
pub fn missing_reports<'a>(evidence: &Evidence, own: &'a [SignedReport]) -> Vec<&'a SignedReport> {
    let included: BTreeSet<([u8; 32], u64, [u8; 64])> = evidence
        .reports
        .iter()
        .map(|signed| {
            (
                signed.report.device,
                signed.report.sequence,
                signed.signature,
            )
        })
        .collect();
    own.iter()
        .filter(|signed| {
            !included.contains(&(
                signed.report.device,
                signed.report.sequence,
                signed.signature,
            ))
        })
        .collect()
}
