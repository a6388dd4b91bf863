//! The program's accounts and the values stored in them, one file per
//! concern:
//! - `config`: the DAO's configuration (`GovernanceConfig`) and the rules
//!   proposals run under (`ProposalRules`, `Quorum`);
//! - `power`: voting power of locked tokens (`VotingPowerParams`);
//! - `voter`: a wallet's positions and their lockups (`Voter`, `Position`,
//!   `Lockup`);
//! - `proposal`: proposals and the instructions they carry (`Proposal`,
//!   `StoredInstruction`);
//! - `vote`: one wallet's vote on one proposal (`VoteRecord`).
//!
//! Everything is re-exported here, so `crate::state::X` names every item.

mod config;
mod power;
mod proposal;
mod vote;
mod voter;

pub use {config::*, power::*, proposal::*, vote::*, voter::*};

/// Values the unit tests of several files share.
#[cfg(test)]
mod fixtures {
    use super::VotingPowerParams;

    pub const DAY: i64 = 86_400;

    /// 1× to 4× over four years.
    pub fn params() -> VotingPowerParams {
        VotingPowerParams {
            baseline_bps: 10_000,
            max_extra_bps: 30_000,
            saturation_secs: 4 * 365 * DAY,
            min_lockup_secs: DAY,
            max_lockup_secs: 4 * 365 * DAY,
        }
    }
}
