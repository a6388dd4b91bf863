use {
    super::now,
    crate::{
        error::OracleError,
        events::PriceSubmitted,
        seeds::{SEED_CONFIG, SEED_PRICE_FEED},
        state::*,
    },
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct SubmitPriceArgs {
    /// Millionths of a dollar per whole network token.
    pub price: u64,
}

/// An oracle's latest token price. The median of fresh prices
/// (`PriceFeed::median`) is what burn-and-mint uses.
///
/// Checks: the signer is a current oracle; the price is above zero.
/// Effects: replaces the oracle's entry; drops entries of removed oracles.
/// Emits `PriceSubmitted`.
///
/// Attack surface: the signer must be in the current set. Trusted accounts:
/// the config and price-feed PDAs (stored canonical bumps). Bounds: a price
/// above zero, with no upper bound (the median needs
/// `max(price_min_submissions, quorum)` fresh prices, so fewer oracles than a
/// quorum cannot set it); one entry per current oracle (≤ 16, removed oracles
/// pruned), within the feed's fixed space; the `Prices` pause.
#[event_cpi]
#[derive(Accounts)]
pub struct SubmitPrice<'info> {
    pub oracle: Signer<'info>,
    #[account(seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, OracleConfig>>,
    #[account(mut, seeds = [SEED_PRICE_FEED], bump = price_feed.bump)]
    pub price_feed: Box<Account<'info, PriceFeed>>,
}

impl SubmitPrice<'_> {
    pub fn validate(&self, args: &SubmitPriceArgs) -> Result<()> {
        self.config
            .require_running(PauseScope::Prices, super::now()?)?;
        require!(
            self.config.is_oracle(&self.oracle.key()),
            OracleError::NotAnOracle
        );
        require!(args.price > 0, OracleError::ZeroPrice);
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: SubmitPriceArgs) -> Result<()> {
        let timestamp = now()?;
        let oracle = ctx.accounts.oracle.key();
        let feed = &mut ctx.accounts.price_feed;
        feed.prune(&ctx.accounts.config);
        let entry = PriceEntry {
            oracle,
            price: args.price,
            updated_at: timestamp,
        };
        match feed.entries.iter_mut().find(|entry| entry.oracle == oracle) {
            Some(existing) => *existing = entry,
            None => feed.entries.push(entry),
        }
        feed.invariant()?;
        emit_cpi!(PriceSubmitted {
            oracle,
            price: args.price,
            timestamp,
        });
        Ok(())
    }
}
