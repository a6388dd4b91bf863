/// Most oracles in the set (votes per batch are bounded by it too).
pub const MAX_ORACLES: usize = 16;
/// Longest batch URI (where the batch file can be downloaded).
pub const MAX_URI_LEN: usize = 128;
/// Longest epoch, challenge window, deadline or staleness bound: one year.
/// Keeps every timestamp sum far from overflow.
pub const MAX_DURATION: i64 = 366 * 86_400;
/// Default epoch length: one day.
pub const DEFAULT_EPOCH_LENGTH: i64 = 86_400;
/// Prices are in millionths of a US dollar per whole network token.
pub const PRICE_DECIMALS: u8 = 6;
