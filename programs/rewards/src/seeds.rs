//! Every PDA seed of the program (fixed-length values only).

/// `[SEED_CONFIG]` — the rewards configuration and ledger; also the mint
/// authority of both mints and the owner of the pools.
pub const SEED_CONFIG: &[u8] = b"rewards_config";
/// `[SEED_TOKEN_MINT]` — the network token's mint (SPL Token).
pub const SEED_TOKEN_MINT: &[u8] = b"token_mint";
/// `[SEED_DC_MINT]` — the data-credit mint (Token-2022, non-transferable).
pub const SEED_DC_MINT: &[u8] = b"dc_mint";
/// `[SEED_DEVICE_POOL]` — network tokens issued to devices, not yet claimed.
pub const SEED_DEVICE_POOL: &[u8] = b"device_pool";
/// `[SEED_ORACLE_POOL]` — network tokens issued to oracles, not yet claimed.
pub const SEED_ORACLE_POOL: &[u8] = b"oracle_pool";
/// `[SEED_TREASURY]` — the DAO treasury's token account created at
/// initialization (owned by the treasury owner given then).
pub const SEED_TREASURY: &[u8] = b"treasury";
/// `[SEED_EPOCH_REWARDS, epoch.to_le_bytes()]` — what one epoch issued.
pub const SEED_EPOCH_REWARDS: &[u8] = b"epoch_rewards";
/// `[SEED_RECIPIENT, wallet]` — what one recipient wallet has been paid
/// (`RecipientRecord`).
pub const SEED_RECIPIENT: &[u8] = b"recipient";
