//! Every PDA seed of the program (fixed-length values only).

/// `[SEED_CONFIG]` — the oracle set, quorum and epoch clock.
pub const SEED_CONFIG: &[u8] = b"oracle_config";
/// `[SEED_BATCH, epoch.to_le_bytes()]` — the votes and result of one epoch.
pub const SEED_BATCH: &[u8] = b"batch";
/// `[SEED_PRICE_FEED]` — each oracle's latest token price.
pub const SEED_PRICE_FEED: &[u8] = b"price_feed";
