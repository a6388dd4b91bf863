//! Pricing of data credits in network tokens at the oracle median: shared by
//! `mint_data_credits` and every client that quotes a purchase, so the two
//! cannot disagree.

use {
    crate::{constants::*, error::RewardsError},
    anchor_lang::prelude::*,
};

/// The outcome of pricing a burn of network tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataCreditQuote {
    /// Millionths of a dollar per whole token, after the discount.
    pub price: u64,
    pub dc: u64,
    /// Tokens actually burned (≤ the tokens offered).
    pub tokens_burned: u64,
}

/// The discounted price and the base units per micro-USD-per-DC step.
fn price_and_scale(median: u64, discount_bps: u16, token_decimals: u8) -> Result<(u128, u128)> {
    let discount = BPS
        .checked_sub(u64::from(discount_bps))
        .ok_or(RewardsError::InvalidParameter)?;
    let price = u128::from(median) * u128::from(discount) / u128::from(BPS);
    require!(price > 0, RewardsError::AmountTooSmall);
    // Base units per whole token, times micro-USD per DC: at most
    // 10^12 * 10, far inside u128 with a u64 factor.
    let scale = 10u128
        .checked_pow(u32::from(token_decimals))
        .and_then(|unit| unit.checked_mul(u128::from(MICRO_USD_PER_DC)))
        .ok_or(RewardsError::Overflow)?;
    Ok((price, scale))
}

/// The fewest tokens (base units) whose quote is at least `dc` credits:
/// what a client offers to buy an exact amount.
pub fn tokens_for_data_credits(
    dc: u64,
    median: u64,
    discount_bps: u16,
    token_decimals: u8,
) -> Result<u64> {
    let (price, scale) = price_and_scale(median, discount_bps, token_decimals)?;
    u64::try_from((u128::from(dc) * scale).div_ceil(price))
        .map_err(|_| error!(RewardsError::Overflow))
}

/// Prices `tokens` base units at `median` (micro-USD per whole token).
///
/// Rounding, always against the buyer: the price is the median minus the
/// discount, rounded down; the credits are the tokens' value in whole DC,
/// rounded down; the tokens burned are the fewest that pay for those
/// credits, rounded up. So the burned value is never below the credits'
/// value, and dust below one DC stays with the buyer instead of being burned
/// for nothing. A quote of zero credits fails.
pub fn quote_data_credits(
    tokens: u64,
    median: u64,
    discount_bps: u16,
    token_decimals: u8,
) -> Result<DataCreditQuote> {
    require!(tokens > 0, RewardsError::ZeroAmount);
    let (price, scale) = price_and_scale(median, discount_bps, token_decimals)?;
    let dc = u128::from(tokens) * price / scale;
    require!(dc > 0, RewardsError::AmountTooSmall);
    let dc = u64::try_from(dc).map_err(|_| error!(RewardsError::Overflow))?;
    let tokens_burned = (u128::from(dc) * scale).div_ceil(price);
    let tokens_burned = u64::try_from(tokens_burned).map_err(|_| error!(RewardsError::Overflow))?;
    require!(tokens_burned <= tokens, RewardsError::InvariantViolated);
    Ok(DataCreditQuote {
        price: u64::try_from(price).map_err(|_| error!(RewardsError::Overflow))?,
        dc,
        tokens_burned,
    })
}
