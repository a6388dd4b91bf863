//! Program-derived addresses of every account the suite owns.

use {
    anchor_lang::prelude::Pubkey,
    device_registry::seeds::{SEED_CONFIG, SEED_DEVICE, SEED_MAKER},
};

/// Anchor's event authority seed (`#[event_cpi]`).
pub const SEED_EVENT_AUTHORITY: &[u8] = b"__event_authority";

pub fn registry_config() -> (Pubkey, u8) {
    Pubkey::find_program_address(&[SEED_CONFIG], &device_registry::ID)
}

pub fn maker(maker_key: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[SEED_MAKER, maker_key.as_ref()], &device_registry::ID)
}

pub fn device(device_key: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[SEED_DEVICE, device_key.as_ref()], &device_registry::ID)
}

pub fn event_authority(program_id: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[SEED_EVENT_AUTHORITY], program_id).0
}

/// `ProgramData` of an upgradeable program.
pub fn program_data(program_id: &Pubkey) -> Pubkey {
    depin_runtime::program_data_address(program_id)
}

pub fn oracle_config() -> (Pubkey, u8) {
    Pubkey::find_program_address(&[proof_oracle::seeds::SEED_CONFIG], &proof_oracle::ID)
}

pub fn epoch_batch(epoch: u64) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[proof_oracle::seeds::SEED_BATCH, &epoch.to_le_bytes()],
        &proof_oracle::ID,
    )
}

pub fn price_feed() -> (Pubkey, u8) {
    Pubkey::find_program_address(&[proof_oracle::seeds::SEED_PRICE_FEED], &proof_oracle::ID)
}
