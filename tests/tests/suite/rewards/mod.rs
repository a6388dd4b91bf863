//! Rewards, one file per instruction; `economy` runs it end to end.

mod burn_data_credits;
mod claim_oracle_rewards;
mod claim_rewards;
mod economy;
mod initialize_rewards;
mod issue_epoch;
mod mint_data_credits;
mod set_emission_schedule;
mod signers;
mod sweep_oracle_rewards;
mod update_rewards;

use {
    depin_sdk::rewards::{BreakerParams, Split},
    depin_tests::{
        network::{Member, Network, TOKEN},
        proof_oracle::DAY,
    },
};

const SPLIT: Split = Split {
    devices_bps: 7_500,
    oracles_bps: 500,
    treasury_bps: 2_000,
};

/// A launched network whose credit breaker lets 1,000,000 credits be minted
/// a day, and a member with 100 tokens.
fn credit_breaker_network() -> (Network, Member) {
    let mut network = Network::with_rewards(|args| {
        args.dc_breaker = BreakerParams {
            window_seconds: DAY,
            limit: 1_000_000,
        };
    });
    network.launch();
    let member = network.funded_member(100 * TOKEN);
    (network, member)
}
