//! The reward rule, version 1: from an epoch's reports and the tokens the
//! epoch issued to devices (`EpochRewards::devices`), what each device
//! earned. Deterministic and integer-only, so every oracle — and anyone
//! holding the published reports — computes the same amounts.
//!
//! 1. **Reports that count.** Of the epoch, from a registered device that
//!    is active, timestamped within `[start, end]`; one per (device,
//!    sequence) (the first in sequence order). The order reports arrived
//!    in never matters: they are sorted first.
//! 2. **Uptime.** The epoch is cut into intervals of
//!    `heartbeat_interval_seconds`; a device's uptime is the number of
//!    intervals in which it sent at least one heartbeat (more heartbeats in
//!    one interval count once), at most the number of intervals.
//! 3. **Usage.** The sum of the device's usage reports' units, each report
//!    capped at its class's `max_units_per_second` × its interval, and the
//!    device's total capped at that rate × the epoch's length.
//! 4. **Shares.** `uptime_share_bps` of the pool goes to uptime, the rest
//!    to usage. Each part is split in proportion to weights: uptime ×
//!    class `uptime_weight`, and usage × class `usage_weight` (which turns
//!    a class's units into common reward units). Each share is rounded
//!    down.
//! 5. **Caps.** No device earns more than its class's `cap_per_epoch`; what
//!    a cap cuts is not handed to others (it stays in the pool, with the
//!    rounding dust).
//!
//! Hence the sum of rewards never exceeds the pool, and the pool minus the
//! sum is exactly the rounding dust (less than the number of devices with
//! a share, per part), what caps cut, and a part nobody qualified for:
//! [`Outcome`] states each.

use {
    crate::{Payload, SignedReport},
    alloc::{collections::BTreeMap, vec::Vec},
};

/// The rule's version, recorded with every result it produces.
pub const RULE_VERSION: u32 = 1;

/// Parameters every oracle of a network must share (published with each
/// epoch's proof data, so a recomputation uses the same).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleParams {
    pub version: u32,
    pub heartbeat_interval_seconds: u32,
    /// Of 10,000: the uptime part of the pool; the rest rewards usage.
    pub uptime_share_bps: u16,
    /// By class index (the registry's device class id).
    pub classes: Vec<ClassParams>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClassParams {
    /// Weight of one interval of uptime.
    pub uptime_weight: u64,
    /// Reward units per unit of this class's service.
    pub usage_weight: u64,
    /// The most service a device of the class can deliver per second.
    pub max_units_per_second: u64,
    /// The most a device of the class earns in one epoch (token base units).
    pub cap_per_epoch: u64,
}

/// Why parameters cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamsError {
    Version(u32),
    Interval,
    Share(u16),
    /// The epoch's length is not a whole number of intervals.
    Window,
}

impl core::fmt::Display for ParamsError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ParamsError::Version(found) => {
                write!(f, "reward rule version {found} is not {RULE_VERSION}")
            }
            ParamsError::Interval => write!(f, "heartbeatIntervalSeconds must be at least 1"),
            ParamsError::Share(found) => {
                write!(f, "uptimeShareBps is {found}, at most 10000")
            }
            ParamsError::Window => write!(
                f,
                "the epoch's length must be a positive multiple of heartbeatIntervalSeconds"
            ),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for ParamsError {}

/// A device as the registry holds it when the epoch closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceInput {
    pub device: [u8; 32],
    /// Its registration (the registry's serial), for the batch.
    pub serial: u64,
    pub class: u16,
    /// Registered and active (not suspended, not retired).
    pub active: bool,
    pub recipient: [u8; 32],
}

/// The epoch being closed: `[start, end]` in unix seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EpochWindow {
    pub epoch: u64,
    pub start: i64,
    pub end: i64,
}

/// What one device earned, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceResult {
    pub device: [u8; 32],
    pub serial: u64,
    pub recipient: [u8; 32],
    /// Intervals with a heartbeat.
    pub uptime: u64,
    /// Units of service counted (after the caps of step 3).
    pub usage: u64,
    pub uptime_reward: u64,
    pub usage_reward: u64,
    /// Their sum, capped by the class: what the device earned.
    pub reward: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// One per active registered device with any counted report, by
    /// device key.
    pub results: Vec<DeviceResult>,
    /// The sum of `reward`.
    pub distributed: u64,
    /// Lost to rounding down.
    pub dust: u64,
    /// Cut by class caps.
    pub capped: u64,
    /// A part nobody qualified for (no uptime, or no usage, at all).
    pub unallocated: u64,
    /// Reports that did not count (another epoch, unknown or inactive
    /// device, outside the window, repeated sequence).
    pub ignored_reports: u64,
}

impl RuleParams {
    pub fn check(&self, window: &EpochWindow) -> Result<u64, ParamsError> {
        if self.version != RULE_VERSION {
            return Err(ParamsError::Version(self.version));
        }
        if self.heartbeat_interval_seconds == 0 {
            return Err(ParamsError::Interval);
        }
        if self.uptime_share_bps > 10_000 {
            return Err(ParamsError::Share(self.uptime_share_bps));
        }
        let length = window
            .end
            .checked_sub(window.start)
            .filter(|length| *length > 0)
            .ok_or(ParamsError::Window)? as u64;
        let interval = u64::from(self.heartbeat_interval_seconds);
        if !length.is_multiple_of(interval) {
            return Err(ParamsError::Window);
        }
        Ok(length / interval)
    }
}

#[derive(Default)]
struct Tally {
    intervals: BTreeMap<u64, ()>,
    usage: u64,
}

/// Splits `pool` in proportion to `weights` (rounded down each); returns
/// the shares, the dust and what nobody qualified for.
fn split(pool: u64, weights: &[u128]) -> (Vec<u64>, u64, u64) {
    let total: u128 = weights.iter().sum();
    if total == 0 {
        return (alloc::vec![0; weights.len()], 0, pool);
    }
    let shares: Vec<u64> = weights
        .iter()
        .map(|weight| (u128::from(pool) * weight / total) as u64)
        .collect();
    let given: u64 = shares.iter().sum();
    (shares, pool - given, 0)
}

/// Applies the rule. `devices` must list every registered device (unknown
/// keys earn nothing); `pool` is what the epoch issued to devices.
pub fn compute(
    params: &RuleParams,
    window: &EpochWindow,
    pool: u64,
    devices: &[DeviceInput],
    reports: &[SignedReport],
) -> Result<Outcome, ParamsError> {
    let intervals = params.check(window)?;
    let interval = u64::from(params.heartbeat_interval_seconds);
    let epoch_seconds = intervals * interval;
    let registered: BTreeMap<[u8; 32], &DeviceInput> = devices
        .iter()
        .map(|device| (device.device, device))
        .collect();

    // Arrival order never matters: by device, then sequence, then bytes.
    let mut sorted: Vec<&SignedReport> = reports.iter().collect();
    sorted.sort_by(|a, b| {
        (a.report.device, a.report.sequence)
            .cmp(&(b.report.device, b.report.sequence))
            .then_with(|| a.encode().cmp(&b.encode()))
    });
    let mut tallies: BTreeMap<[u8; 32], Tally> = BTreeMap::new();
    let mut ignored = 0u64;
    let mut last: Option<([u8; 32], u64)> = None;
    for signed in sorted {
        let report = &signed.report;
        let device = registered
            .get(&report.device)
            .filter(|device| device.active);
        let class = device.and_then(|device| params.classes.get(usize::from(device.class)));
        let repeated = last == Some((report.device, report.sequence));
        last = Some((report.device, report.sequence));
        let (Some(_), Some(class)) = (device, class) else {
            ignored += 1;
            continue;
        };
        if repeated
            || report.epoch != window.epoch
            || report.timestamp < window.start
            || report.timestamp > window.end
        {
            ignored += 1;
            continue;
        }
        let tally = tallies.entry(report.device).or_default();
        match report.payload {
            Payload::Heartbeat { .. } => {
                // The end instant belongs to the last interval.
                let index =
                    ((report.timestamp - window.start) as u64 / interval).min(intervals - 1);
                tally.intervals.insert(index, ());
            }
            Payload::Usage {
                units,
                interval_seconds,
            } => {
                let most = class
                    .max_units_per_second
                    .saturating_mul(u64::from(interval_seconds).min(epoch_seconds));
                tally.usage = tally.usage.saturating_add(units.min(most));
            }
        }
    }

    let uptime_pool = (u128::from(pool) * u128::from(params.uptime_share_bps) / 10_000) as u64;
    let usage_pool = pool - uptime_pool;
    let mut rows: Vec<(&DeviceInput, &ClassParams, u64, u64)> = Vec::with_capacity(tallies.len());
    for (key, tally) in &tallies {
        let device = registered[key];
        let class = &params.classes[usize::from(device.class)];
        let usage = tally
            .usage
            .min(class.max_units_per_second.saturating_mul(epoch_seconds));
        rows.push((device, class, tally.intervals.len() as u64, usage));
    }
    let uptime_weights: Vec<u128> = rows
        .iter()
        .map(|(_, class, uptime, _)| u128::from(*uptime) * u128::from(class.uptime_weight))
        .collect();
    let usage_weights: Vec<u128> = rows
        .iter()
        .map(|(_, class, _, usage)| u128::from(*usage) * u128::from(class.usage_weight))
        .collect();
    let (uptime_shares, uptime_dust, uptime_unallocated) = split(uptime_pool, &uptime_weights);
    let (usage_shares, usage_dust, usage_unallocated) = split(usage_pool, &usage_weights);

    let mut results = Vec::with_capacity(rows.len());
    let (mut distributed, mut capped) = (0u64, 0u64);
    for (index, (device, class, uptime, usage)) in rows.into_iter().enumerate() {
        let earned = uptime_shares[index] + usage_shares[index];
        let reward = earned.min(class.cap_per_epoch);
        capped += earned - reward;
        distributed += reward;
        results.push(DeviceResult {
            device: device.device,
            serial: device.serial,
            recipient: device.recipient,
            uptime,
            usage,
            uptime_reward: uptime_shares[index],
            usage_reward: usage_shares[index],
            reward,
        });
    }
    Ok(Outcome {
        results,
        distributed,
        dust: uptime_dust + usage_dust,
        capped,
        unallocated: uptime_unallocated + usage_unallocated,
        ignored_reports: ignored,
    })
}
