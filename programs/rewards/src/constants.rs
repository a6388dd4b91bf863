/// Most entries in the emission schedule.
pub const MAX_SCHEDULE_ENTRIES: usize = 16;
/// Basis points in a whole.
pub const BPS: u64 = 10_000;
/// Value of one data credit in millionths of a dollar (the oracle's price
/// unit): one DC is $0.00001, as on Helium.
pub const MICRO_USD_PER_DC: u64 = 10;
/// Data credits are whole units.
pub const DC_DECIMALS: u8 = 0;
/// Largest price discount for minting data credits (50 %).
pub const MAX_PRICE_DISCOUNT_BPS: u16 = 5_000;
/// Epochs of token-burn and credit statistics kept in the config, so an
/// `issue_epoch` crank that lags by fewer epochs sees exact per-epoch burns.
pub const EPOCH_RING: usize = 8;
/// A breaker window is cut into `BREAKER_SLOTS - 1` slots; summing the
/// current slot and the previous ones covers every trailing window.
pub const BREAKER_SLOTS: usize = 9;
/// Longest breaker window and net-emission smoothing (about ten years of
/// daily epochs); keeps the arithmetic far from overflow.
pub const MAX_BREAKER_WINDOW: i64 = 3_660 * 86_400;
pub const MAX_SMOOTHING_EPOCHS: u16 = 3_660;
/// Deepest Merkle proof (leaf counts are u32).
pub const MAX_PROOF_LEN: usize = depin_merkle::MAX_DEPTH;
/// Bits in `EpochRewards::oracle_claimed_mask` (one per batch vote).
pub const MAX_ORACLE_VOTES: usize = 16;
