/// Basis points in a whole.
pub const BPS: u64 = 10_000;
/// Positions per wallet (a `Voter` account is allocated for all of them).
pub const MAX_POSITIONS: usize = 16;
/// Longest lockup and saturation: ten years. Keeps power arithmetic far from
/// overflow and positions withdrawable within a human lifetime.
pub const MAX_LOCKUP_SECS: i64 = 3_660 * 86_400;
/// Highest voting-power multiplier (baseline + extra): 100×.
pub const MAX_MULTIPLIER_BPS: u32 = 1_000_000;
/// Lowest approval threshold: a simple majority (ties pass at 5,000).
pub const MIN_APPROVAL_THRESHOLD_BPS: u16 = 5_000;
/// Bounds of the voting period.
pub const MIN_VOTING_PERIOD_SECS: i64 = 60;
pub const MAX_VOTING_PERIOD_SECS: i64 = 90 * 86_400;
/// Longest timelock.
pub const MAX_TIMELOCK_SECS: i64 = 90 * 86_400;
/// Bounds of the execution window.
pub const MIN_EXECUTION_WINDOW_SECS: i64 = 60;
pub const MAX_EXECUTION_WINDOW_SECS: i64 = 90 * 86_400;
/// Programs a proposal may call besides governance itself.
pub const MAX_ALLOWED_PROGRAMS: usize = 8;
/// Bounds of a proposal's text.
pub const MAX_TITLE_LEN: usize = 64;
pub const MAX_DESCRIPTION_LEN: usize = 200;
/// Instructions per proposal, accounts per instruction, data per
/// instruction. Each instruction is added in its own transaction (≤ 1,232
/// bytes), so larger bounds could never be reached; the largest call the
/// DAO makes (a 16-step emission schedule) has 364 bytes of data.
pub const MAX_INSTRUCTIONS: usize = 8;
pub const MAX_INSTRUCTION_ACCOUNTS: usize = 16;
pub const MAX_INSTRUCTION_DATA: usize = 512;
