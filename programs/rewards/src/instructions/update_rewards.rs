use {
    crate::{
        constants::*, error::RewardsError, events::RewardsUpdated, seeds::SEED_CONFIG, state::*,
    },
    anchor_lang::prelude::*,
    anchor_spl::token::TokenAccount,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, Default)]
pub struct UpdateRewardsArgs {
    pub new_authority: Option<Pubkey>,
    pub price_discount_bps: Option<u16>,
    pub net_emission_smoothing_epochs: Option<u16>,
    pub net_emission_cap: Option<u64>,
    pub token_breaker: Option<BreakerParams>,
    pub dc_breaker: Option<BreakerParams>,
}

/// Changes parameters; `new_treasury` (a token account of the network
/// mint) redirects the treasury share.
///
/// Checks: the authority signs; values are in range. Emits `RewardsUpdated`.
///
/// Attack surface: only the authority (`has_one` on the config PDA, stored
/// canonical bump). `new_treasury` is any SPL Token account of the network
/// mint (`Account<TokenAccount>` checks its owner program, the constraint its
/// mint), whoever owns it. Bounds: as at initialization (discount ≤ 50 %,
/// smoothing 1..=3,660 epochs, breaker windows), a non-default authority; a
/// breaker change forgets nothing already recorded in its window.
#[event_cpi]
#[derive(Accounts)]
pub struct UpdateRewards<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ RewardsError::NotAuthority,
    )]
    pub config: Box<Account<'info, RewardsConfig>>,
    #[account(constraint = new_treasury.mint == config.token_mint @ RewardsError::WrongMint)]
    pub new_treasury: Option<Box<Account<'info, TokenAccount>>>,
}

impl UpdateRewards<'_> {
    pub fn validate(&self, args: &UpdateRewardsArgs) -> Result<()> {
        require!(
            args.new_authority != Some(Pubkey::default()),
            RewardsError::InvalidAuthority
        );
        require!(
            args.price_discount_bps
                .is_none_or(|bps| bps <= MAX_PRICE_DISCOUNT_BPS)
                && args
                    .net_emission_smoothing_epochs
                    .is_none_or(|epochs| (1..=MAX_SMOOTHING_EPOCHS).contains(&epochs)),
            RewardsError::InvalidParameter
        );
        for breaker in [&args.token_breaker, &args.dc_breaker]
            .into_iter()
            .flatten()
        {
            breaker.validate()?;
        }
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: UpdateRewardsArgs) -> Result<()> {
        let config = &mut ctx.accounts.config;
        if let Some(authority) = args.new_authority {
            config.authority = authority;
        }
        if let Some(treasury) = &ctx.accounts.new_treasury {
            config.treasury = treasury.key();
        }
        if let Some(bps) = args.price_discount_bps {
            config.price_discount_bps = bps;
        }
        if let Some(epochs) = args.net_emission_smoothing_epochs {
            config.net_emission_smoothing_epochs = epochs;
        }
        if let Some(cap) = args.net_emission_cap {
            config.net_emission_cap = cap;
        }
        let now = super::now()?;
        if let Some(params) = args.token_breaker {
            config.token_breaker.set(params, now);
        }
        if let Some(params) = args.dc_breaker {
            config.dc_breaker.set(params, now);
        }
        config.invariant()?;
        emit_cpi!(RewardsUpdated {
            authority: config.authority,
            treasury: config.treasury,
            price_discount_bps: config.price_discount_bps,
            net_emission_smoothing_epochs: config.net_emission_smoothing_epochs,
            net_emission_cap: config.net_emission_cap,
            token_breaker_window: config.token_breaker.window_seconds,
            token_breaker_limit: config.token_breaker.limit,
            dc_breaker_window: config.dc_breaker.window_seconds,
            dc_breaker_limit: config.dc_breaker.limit,
        });
        Ok(())
    }
}
