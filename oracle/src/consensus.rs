//! How oracles check each other: who leads an epoch's close, and whether a
//! follower votes the leader's batch.
//!
//! **The leader** of epoch `e` among the on-chain oracle set (in its
//! order) is oracle `e mod N`. If it has published nothing `deadline`
//! seconds after the close begins (the epoch's end plus the grace period),
//! the next oracle leads, and so on around the set.
//!
//! **A follower votes** the leader's commitment only if every check
//! passes, and otherwise says every reason it refused:
//! - the batch recomputes from its evidence (signatures, network, the
//!   rule's amounts, the leaves from the previous final batch);
//! - the evidence is for the epoch's window, with the pool the chain
//!   issued to devices and the rule parameters the follower runs;
//! - the registry snapshot agrees with the follower's own view of every
//!   device it lists and lists every active device the follower knows;
//! - at most `tolerance` of the reports the follower accepted before the
//!   cut-off are missing (reports that reached only some oracles late).

use {
    crate::proof_data::{missing_reports, verify, ProofDataError},
    depin_reports::{
        rule::{DeviceInput, EpochWindow, RuleParams},
        SignedReport,
    },
    depin_sdk::{batch::BatchFile, programs::proof_oracle::state::Commitment, Pubkey},
    std::collections::BTreeMap,
};

/// When the close of an epoch begins and how long each leader has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CloseSchedule {
    /// Seconds after the epoch ends before it is closed (late reports).
    pub grace: i64,
    /// Seconds a leader has to publish before the next one leads.
    pub deadline: i64,
}

/// The oracle that leads the close of `epoch` (ending at `epoch_end`) at
/// time `now`; `None` before the close begins or without oracles.
pub fn leader(
    epoch: u64,
    oracles: &[Pubkey],
    epoch_end: i64,
    now: i64,
    schedule: CloseSchedule,
) -> Option<Pubkey> {
    let begins = epoch_end.checked_add(schedule.grace)?;
    if oracles.is_empty() || now < begins || schedule.deadline <= 0 {
        return None;
    }
    let turns = ((now - begins) / schedule.deadline) as u64;
    let count = oracles.len() as u64;
    let index = (epoch % count + turns % count) % count;
    Some(oracles[index as usize])
}

/// What a follower expects of the leader's batch, from the chain and its
/// own configuration and records.
pub struct FollowerView<'a> {
    pub network: [u8; 32],
    pub window: EpochWindow,
    /// `EpochRewards::devices` of the epoch, read from the chain.
    pub pool: u64,
    pub params: &'a RuleParams,
    /// The registry as this follower read it when the epoch closed.
    pub devices: &'a [DeviceInput],
    /// The reports this follower accepted before the cut-off.
    pub own_reports: &'a [SignedReport],
    /// How many of them may be missing from the leader's evidence.
    pub tolerance: usize,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    Vote(Commitment),
    /// Every reason, in words, for the node's log.
    Refuse(Vec<String>),
}

/// A follower's decision on the leader's batch.
pub fn decide(batch: &BatchFile, previous: Option<&BatchFile>, view: &FollowerView) -> Decision {
    let (evidence, _) = match verify(batch, previous, &view.network) {
        Ok(verified) => verified,
        Err(ProofDataError::NoEvidence) => {
            return Decision::Refuse(vec!["the batch carries no evidence to recompute".into()])
        }
        Err(error) => {
            return Decision::Refuse(vec![format!("the batch does not recompute: {error}")])
        }
    };
    let mut reasons = Vec::new();
    if evidence.window != view.window {
        reasons.push(format!(
            "the evidence's window is {:?}, not the epoch's {:?}",
            evidence.window, view.window
        ));
    }
    if evidence.pool != view.pool {
        reasons.push(format!(
            "the evidence's pool is {}, the chain issued {} to devices",
            evidence.pool, view.pool
        ));
    }
    if &evidence.params != view.params {
        reasons.push("the evidence's rule parameters differ from this oracle's".into());
    }
    let own: BTreeMap<[u8; 32], &DeviceInput> = view
        .devices
        .iter()
        .map(|device| (device.device, device))
        .collect();
    let listed: BTreeMap<[u8; 32], &DeviceInput> = evidence
        .devices
        .iter()
        .map(|device| (device.device, device))
        .collect();
    for (key, device) in &listed {
        match own.get(key) {
            Some(known) if *known == *device => {}
            Some(known) => reasons.push(format!(
                "device {} is listed as {:?}, this oracle read {:?}",
                Pubkey::new_from_array(*key),
                device,
                known
            )),
            None => reasons.push(format!(
                "device {} is listed but not registered",
                Pubkey::new_from_array(*key)
            )),
        }
    }
    for (key, known) in &own {
        if known.active && !listed.contains_key(key) {
            reasons.push(format!(
                "active device {} is left out of the registry snapshot",
                Pubkey::new_from_array(*key)
            ));
        }
    }
    let missing = missing_reports(&evidence, view.own_reports);
    if missing.len() > view.tolerance {
        reasons.push(format!(
            "{} of this oracle's reports are missing (tolerance {}), e.g. device {} sequence {}",
            missing.len(),
            view.tolerance,
            Pubkey::new_from_array(missing[0].report.device),
            missing[0].report.sequence
        ));
    }
    if reasons.is_empty() {
        Decision::Vote(batch.commitment())
    } else {
        Decision::Refuse(reasons)
    }
}
