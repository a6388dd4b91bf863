use {
    super::now,
    crate::{
        error::RewardsError, events::DataCreditsMinted, pricing::quote_data_credits,
        seeds::SEED_CONFIG, state::*,
    },
    anchor_lang::prelude::*,
    anchor_spl::{
        token::{self, Burn, Mint, Token, TokenAccount},
        token_2022::Token2022,
        token_interface::{
            self, Mint as MintInterface, MintTo, TokenAccount as TokenAccountInterface,
        },
    },
    proof_oracle::{
        error::OracleError,
        state::{OracleConfig, PriceFeed},
    },
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct MintDataCreditsArgs {
    /// Most network tokens (base units) to burn.
    pub tokens: u64,
}

/// Burns the owner's network tokens for data credits at the oracle median.
///
/// Checks: credit purchases are not paused; the owner signs and holds the
/// tokens; enough fresh oracle prices — the price minimum, and never fewer
/// than the oracle quorum (`MissingPrice`, `StalePrice`); the quote is at least one DC; the DC
/// breaker allows the amount. Effects: burns `tokens_burned`, mints DC to
/// `recipient_account` (any DC account: credits can be bought for someone
/// else, but never moved afterwards), counts both in the epoch's flows and
/// in the ledger. Emits `DataCreditsMinted`.
///
/// Attack surface: the owner signs as the burn authority of `source`, an SPL
/// Token account of the network mint that it owns. Trusted accounts: the
/// config PDA (stored canonical bump); both mints by `address =` against the
/// config; `oracle_config` and `price_feed` by owner and type (the oracle
/// program creates each only at its fixed PDA). `recipient_account` is any
/// account of the data-credit mint. Bounds: `0 < tokens ≤ balance`; a median
/// of at least `max(price_min_submissions, quorum)` current oracles' prices at
/// most `price_max_staleness` seconds old; a quote of at least one DC, rounded
/// against the buyer; the DC breaker; the `CreditPurchases` pause.
#[event_cpi]
#[derive(Accounts)]
pub struct MintDataCredits<'info> {
    pub owner: Signer<'info>,
    #[account(mut, seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, RewardsConfig>>,
    pub oracle_config: Box<Account<'info, OracleConfig>>,
    pub price_feed: Box<Account<'info, PriceFeed>>,
    #[account(mut, address = config.token_mint @ RewardsError::WrongMint)]
    pub token_mint: Box<Account<'info, Mint>>,
    #[account(mut, address = config.dc_mint @ RewardsError::WrongMint)]
    pub dc_mint: Box<InterfaceAccount<'info, MintInterface>>,
    #[account(
        mut,
        constraint = source.mint == token_mint.key() @ RewardsError::WrongMint,
        constraint = source.owner == owner.key() @ RewardsError::WrongDestinationOwner,
    )]
    pub source: Box<Account<'info, TokenAccount>>,
    #[account(
        mut,
        constraint = recipient_account.mint == dc_mint.key() @ RewardsError::WrongDestinationMint,
    )]
    pub recipient_account: Box<InterfaceAccount<'info, TokenAccountInterface>>,
    pub token_program: Program<'info, Token>,
    pub token_2022_program: Program<'info, Token2022>,
}

impl MintDataCredits<'_> {
    pub fn validate(&self, args: &MintDataCreditsArgs) -> Result<()> {
        self.config
            .require_running(PauseScope::CreditPurchases, now()?)?;
        require!(args.tokens > 0, RewardsError::ZeroAmount);
        require!(
            self.source.amount >= args.tokens,
            RewardsError::InsufficientBalance
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: MintDataCreditsArgs) -> Result<()> {
        let timestamp = now()?;
        let accounts = &mut *ctx.accounts;
        let median = accounts
            .price_feed
            .median(&accounts.oracle_config, timestamp)
            .map_err(|error| {
                if error == OracleError::StalePrice.into() {
                    error!(RewardsError::StalePrice)
                } else {
                    error!(RewardsError::MissingPrice)
                }
            })?;
        let config = &mut accounts.config;
        let quote = quote_data_credits(
            args.tokens,
            median,
            config.price_discount_bps,
            config.token_decimals,
        )?;
        config.dc_breaker.record(timestamp, quote.dc)?;
        let epoch = accounts.oracle_config.current_epoch(timestamp).unwrap_or(0);
        add_to(&mut config.tokens_burned, quote.tokens_burned)?;
        add_to(&mut config.dc_minted, quote.dc)?;
        let flow = config.flow_mut(epoch);
        add_to(&mut flow.tokens_burned, quote.tokens_burned)?;
        add_to(&mut flow.dc_minted, quote.dc)?;

        token::burn(
            CpiContext::new(
                accounts.token_program.key(),
                Burn {
                    mint: accounts.token_mint.to_account_info(),
                    from: accounts.source.to_account_info(),
                    authority: accounts.owner.to_account_info(),
                },
            ),
            quote.tokens_burned,
        )?;
        let config = &accounts.config;
        token_interface::mint_to(
            CpiContext::new_with_signer(
                accounts.token_2022_program.key(),
                MintTo {
                    mint: accounts.dc_mint.to_account_info(),
                    to: accounts.recipient_account.to_account_info(),
                    authority: config.to_account_info(),
                },
                &[&config.signer_seeds()],
            ),
            quote.dc,
        )?;
        accounts.token_mint.reload()?;
        accounts.dc_mint.reload()?;
        config.invariant()?;
        config.supply_invariant(accounts.token_mint.supply, Some(accounts.dc_mint.supply))?;

        let event = DataCreditsMinted {
            owner: accounts.owner.key(),
            recipient: accounts.recipient_account.owner,
            epoch,
            tokens_burned: quote.tokens_burned,
            dc_minted: quote.dc,
            price: quote.price,
        };
        emit_cpi!(event);
        Ok(())
    }
}
