pub mod expire_batch;
pub mod finalize_batch;
pub mod initialize_oracle;
pub mod pause;
pub mod reject_batch;
pub mod set_guardian;
pub mod set_oracle_set;
pub mod submit_batch;
pub mod submit_price;
pub mod unpause;
pub mod update_oracle_params;

mod common;

pub(crate) use common::*;
pub use {
    expire_batch::*, finalize_batch::*, initialize_oracle::*, pause::*, reject_batch::*,
    set_guardian::*, set_oracle_set::*, submit_batch::*, submit_price::*, unpause::*,
    update_oracle_params::*,
};
