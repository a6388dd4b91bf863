//! What an oracle checks of each report before it is stored, in order:
//! the bytes, the network, the epoch and time, the signature, the device
//! on chain, the device's rate, and (atomically with storing it) its
//! sequence. A refused report is never stored; each refusal names why.

use {
    crate::store::{Inserted, ReportStore, StoreError},
    depin_reports::{verify_reports, ReportError, SignedReport},
    std::{
        collections::HashMap,
        sync::{Arc, Mutex},
    },
};

/// A registered device as the oracle last read it from the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceState {
    pub active: bool,
}

/// The chain's devices, as the node caches them (refreshed each epoch).
pub trait DeviceDirectory: Send + Sync {
    fn device(&self, key: &[u8; 32]) -> Option<DeviceState>;
}

/// A fixed directory (tests, and a snapshot taken from the chain).
impl DeviceDirectory for HashMap<[u8; 32], DeviceState> {
    fn device(&self, key: &[u8; 32]) -> Option<DeviceState> {
        self.get(key).copied()
    }
}

/// The network's epochs: epoch `e` is `[genesis + e·length, genesis + (e+1)·length)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EpochClock {
    pub genesis: i64,
    pub length: i64,
}

impl EpochClock {
    pub fn epoch_at(&self, time: i64) -> Option<u64> {
        (time >= self.genesis).then(|| ((time - self.genesis) / self.length) as u64)
    }

    pub fn start(&self, epoch: u64) -> i64 {
        self.genesis
            .saturating_add((epoch as i64).saturating_mul(self.length))
    }

    pub fn end(&self, epoch: u64) -> i64 {
        self.start(epoch).saturating_add(self.length)
    }
}

/// The ingest's rules.
#[derive(Clone, Debug)]
pub struct IngestRules {
    pub network: [u8; 32],
    pub epochs: EpochClock,
    /// How far a device's clock may be ahead of the oracle's, and how long
    /// after an epoch ends its reports are still taken (seconds).
    pub clock_skew: i64,
    /// Reports per device per epoch (a heartbeat an hour and usage reports
    /// fit many times over; a flood does not).
    pub max_reports_per_device_per_epoch: u32,
}

/// Why a report was refused; `code` is stable for clients, the text says
/// what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("malformed report: {0}")]
    Malformed(ReportError),
    #[error("the report is for another network")]
    OtherNetwork,
    #[error("the report is for epoch {report}, but epoch {current} is open (reports are taken until {skew} s after their epoch ends)")]
    WrongEpoch {
        report: u64,
        current: u64,
        skew: i64,
    },
    #[error("the report's timestamp {timestamp} is outside its epoch [{start}, {end})")]
    OutsideEpoch {
        timestamp: i64,
        start: i64,
        end: i64,
    },
    #[error("the report's timestamp {timestamp} is {ahead} s ahead of the oracle's clock (at most {skew} s)")]
    Future {
        timestamp: i64,
        ahead: i64,
        skew: i64,
    },
    #[error("the signature does not verify with the device's key")]
    Signature,
    #[error("the device is not registered on chain")]
    Unregistered,
    #[error("the device is suspended")]
    Suspended,
    #[error("the device sent more than {limit} reports this epoch")]
    RateLimited { limit: u32 },
    #[error("sequence {sequence} is not above the device's last accepted sequence {last}")]
    Replay { sequence: u64, last: u64 },
    #[error("sequence and epoch must be below 2^63")]
    OutOfRange,
}

impl Refusal {
    /// A short stable name for the JSON error.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Malformed(_) => "malformed",
            Refusal::OtherNetwork => "other_network",
            Refusal::WrongEpoch { .. } => "wrong_epoch",
            Refusal::OutsideEpoch { .. } => "outside_epoch",
            Refusal::Future { .. } => "future_timestamp",
            Refusal::Signature => "bad_signature",
            Refusal::Unregistered => "unregistered_device",
            Refusal::Suspended => "suspended_device",
            Refusal::RateLimited { .. } => "rate_limited",
            Refusal::Replay { .. } => "replay",
            Refusal::OutOfRange => "out_of_range",
        }
    }
}

fn signature_refusal(result: Result<(), ReportError>) -> Result<(), Refusal> {
    match result {
        Ok(()) => Ok(()),
        Err(ReportError::Signature) => Err(Refusal::Signature),
        Err(other) => Err(Refusal::Malformed(other)),
    }
}

/// What happened to one report.
#[derive(Debug)]
pub enum Outcome {
    Accepted,
    Refused(Refusal),
}

/// The ingest: rules, the device directory, the store, and per-device
/// counts for the rate limit.
pub struct Ingest {
    pub rules: IngestRules,
    devices: Arc<dyn DeviceDirectory>,
    store: Arc<dyn ReportStore>,
    /// (device, epoch) → reports accepted this epoch, counted in memory
    /// (a restart forgets them: the limit is against floods, not a rule of
    /// the reward).
    counts: Mutex<HashMap<([u8; 32], u64), u32>>,
}

impl Ingest {
    pub fn new(
        rules: IngestRules,
        devices: Arc<dyn DeviceDirectory>,
        store: Arc<dyn ReportStore>,
    ) -> Self {
        Self {
            rules,
            devices,
            store,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// The checks that need neither the store nor the rate (everything a
    /// report says about itself), at the oracle's time `now`.
    pub fn check(&self, signed: &SignedReport, now: i64) -> Result<(), Refusal> {
        self.fields(signed, now)?;
        signature_refusal(verify_reports(std::slice::from_ref(signed)))?;
        self.check_device(signed)
    }

    fn fields(&self, signed: &SignedReport, now: i64) -> Result<(), Refusal> {
        let report = &signed.report;
        let rules = &self.rules;
        if i64::try_from(report.sequence).is_err() || i64::try_from(report.epoch).is_err() {
            return Err(Refusal::OutOfRange);
        }
        if report.network != rules.network {
            return Err(Refusal::OtherNetwork);
        }
        // Open: the epoch of `now`, and the previous one for `skew`
        // seconds after it ended.
        let current = rules.epochs.epoch_at(now).unwrap_or(0);
        let previous_open = current > 0 && now < rules.epochs.start(current) + rules.clock_skew;
        let open = report.epoch == current || (previous_open && report.epoch + 1 == current);
        if !open {
            return Err(Refusal::WrongEpoch {
                report: report.epoch,
                current,
                skew: rules.clock_skew,
            });
        }
        let (start, end) = (
            rules.epochs.start(report.epoch),
            rules.epochs.end(report.epoch),
        );
        if report.timestamp < start || report.timestamp >= end {
            return Err(Refusal::OutsideEpoch {
                timestamp: report.timestamp,
                start,
                end,
            });
        }
        if report.timestamp > now + rules.clock_skew {
            return Err(Refusal::Future {
                timestamp: report.timestamp,
                ahead: report.timestamp - now,
                skew: rules.clock_skew,
            });
        }
        Ok(())
    }

    fn check_device(&self, signed: &SignedReport) -> Result<(), Refusal> {
        match self.devices.device(&signed.report.device) {
            None => Err(Refusal::Unregistered),
            Some(DeviceState { active: false }) => Err(Refusal::Suspended),
            Some(_) => Ok(()),
        }
    }

    /// Checks and stores one report; `Accepted` only once it is durable.
    pub fn accept(&self, signed: &SignedReport, now: i64) -> Result<Outcome, StoreError> {
        Ok(self
            .accept_many(std::slice::from_ref(signed), now)?
            .pop()
            .expect("one outcome per report"))
    }

    /// Checks every report, then stores those that pass in one database
    /// transaction: each `Accepted` is durable when this returns; on a
    /// store error none of them was stored.
    pub fn accept_many(
        &self,
        reports: &[SignedReport],
        now: i64,
    ) -> Result<Vec<Outcome>, StoreError> {
        let limit = self.rules.max_reports_per_device_per_epoch;
        let mut outcomes: Vec<Option<Outcome>> = Vec::with_capacity(reports.len());
        let mut passing = Vec::new();
        {
            let counts = self.counts.lock().expect("rate lock");
            // Reports of this request count toward the limit too.
            let mut pending: HashMap<([u8; 32], u64), u32> = HashMap::new();
            // Signatures of the reports whose fields pass, checked at once
            // (one rule for one or many); one by one only if that fails.
            let fields: Vec<Result<(), Refusal>> = reports
                .iter()
                .map(|signed| self.fields(signed, now))
                .collect();
            let candidates: Vec<SignedReport> = reports
                .iter()
                .zip(&fields)
                .filter(|(_, result)| result.is_ok())
                .map(|(signed, _)| *signed)
                .collect();
            let all_signed = verify_reports(&candidates).is_ok();
            for (index, signed) in reports.iter().enumerate() {
                let checked = fields[index].clone().and_then(|()| {
                    if !all_signed {
                        signature_refusal(verify_reports(std::slice::from_ref(signed)))?;
                    }
                    self.check_device(signed)
                });
                if let Err(refusal) = checked {
                    outcomes.push(Some(Outcome::Refused(refusal)));
                    continue;
                }
                let key = (signed.report.device, signed.report.epoch);
                let used = counts.get(&key).copied().unwrap_or(0)
                    + pending.get(&key).copied().unwrap_or(0);
                if used >= limit {
                    outcomes.push(Some(Outcome::Refused(Refusal::RateLimited { limit })));
                    continue;
                }
                *pending.entry(key).or_insert(0) += 1;
                outcomes.push(None);
                passing.push(index);
            }
        }
        let to_store: Vec<SignedReport> = passing.iter().map(|index| reports[*index]).collect();
        let stored = if to_store.is_empty() {
            Vec::new()
        } else {
            self.store.insert_many(&to_store, now)?
        };
        let mut counts = self.counts.lock().expect("rate lock");
        for (index, inserted) in passing.into_iter().zip(stored) {
            let report = &reports[index].report;
            outcomes[index] = Some(match inserted {
                Inserted::Stored => {
                    *counts.entry((report.device, report.epoch)).or_insert(0) += 1;
                    Outcome::Accepted
                }
                Inserted::Replay { last } => Outcome::Refused(Refusal::Replay {
                    sequence: report.sequence,
                    last,
                }),
            });
        }
        // Forget the counts of epochs long closed.
        if let Some(newest) = reports.iter().map(|signed| signed.report.epoch).max() {
            counts.retain(|(_, epoch), _| *epoch + 1 >= newest);
        }
        Ok(outcomes
            .into_iter()
            .map(|outcome| outcome.expect("every report has an outcome"))
            .collect())
    }
}
