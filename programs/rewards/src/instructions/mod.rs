pub mod burn_data_credits;
pub mod claim_oracle_rewards;
pub mod claim_rewards;
pub mod initialize_rewards;
pub mod issue_epoch;
pub mod mint_data_credits;
pub mod pause;
pub mod set_emission_schedule;
pub mod set_guardian;
pub mod sweep_oracle_rewards;
pub mod unpause;
pub mod update_rewards;

mod common;

pub(crate) use common::*;
pub use {
    burn_data_credits::*, claim_oracle_rewards::*, claim_rewards::*, initialize_rewards::*,
    issue_epoch::*, mint_data_credits::*, pause::*, set_emission_schedule::*, set_guardian::*,
    sweep_oracle_rewards::*, unpause::*, update_rewards::*,
};
