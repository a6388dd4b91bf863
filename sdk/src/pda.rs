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
    Pubkey::find_program_address(
        &[program_id.as_ref()],
        &solana_sdk_ids::bpf_loader_upgradeable::ID,
    )
    .0
}

/// What a recipient wallet has been paid for device rewards.
pub fn recipient_record(recipient: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[rewards::seeds::SEED_RECIPIENT, recipient.as_ref()],
        &rewards::ID,
    )
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

fn rewards_pda(seeds: &[&[u8]]) -> (Pubkey, u8) {
    Pubkey::find_program_address(seeds, &rewards::ID)
}

/// The rewards config: also both mints' authority, the pools' owner and the
/// registry's `rewards_authority`.
pub fn rewards_config() -> (Pubkey, u8) {
    rewards_pda(&[rewards::seeds::SEED_CONFIG])
}

pub fn token_mint() -> (Pubkey, u8) {
    rewards_pda(&[rewards::seeds::SEED_TOKEN_MINT])
}

pub fn dc_mint() -> (Pubkey, u8) {
    rewards_pda(&[rewards::seeds::SEED_DC_MINT])
}

pub fn device_pool() -> (Pubkey, u8) {
    rewards_pda(&[rewards::seeds::SEED_DEVICE_POOL])
}

pub fn oracle_pool() -> (Pubkey, u8) {
    rewards_pda(&[rewards::seeds::SEED_ORACLE_POOL])
}

/// The treasury token account created at initialization.
pub fn treasury() -> (Pubkey, u8) {
    rewards_pda(&[rewards::seeds::SEED_TREASURY])
}

pub fn epoch_rewards(epoch: u64) -> (Pubkey, u8) {
    rewards_pda(&[rewards::seeds::SEED_EPOCH_REWARDS, &epoch.to_le_bytes()])
}

fn governance_pda(seeds: &[&[u8]]) -> (Pubkey, u8) {
    Pubkey::find_program_address(seeds, &governance::ID)
}

/// The governance config; also the owner of the vault of locked tokens.
pub fn governance_config() -> (Pubkey, u8) {
    governance_pda(&[governance::seeds::SEED_CONFIG])
}

/// The DAO authority: signs executed proposals and owns the network's
/// configuration and treasury.
pub fn dao_authority() -> (Pubkey, u8) {
    governance_pda(&[governance::seeds::SEED_DAO_AUTHORITY])
}

pub fn governance_vault() -> (Pubkey, u8) {
    governance_pda(&[governance::seeds::SEED_VAULT])
}

pub fn voter(owner: &Pubkey) -> (Pubkey, u8) {
    governance_pda(&[governance::seeds::SEED_VOTER, owner.as_ref()])
}

pub fn proposal(id: u64) -> (Pubkey, u8) {
    governance_pda(&[governance::seeds::SEED_PROPOSAL, &id.to_le_bytes()])
}

pub fn vote_record(proposal: &Pubkey, owner: &Pubkey) -> (Pubkey, u8) {
    governance_pda(&[
        governance::seeds::SEED_VOTE_RECORD,
        proposal.as_ref(),
        owner.as_ref(),
    ])
}
