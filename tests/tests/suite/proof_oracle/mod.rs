//! The proof oracle, one file per instruction.

mod expire_batch;
mod finalize_batch;
mod initialize_oracle;
mod reject_batch;
mod set_oracle_set;
mod signers;
mod submit_batch;
mod submit_price;
mod update_oracle_params;
