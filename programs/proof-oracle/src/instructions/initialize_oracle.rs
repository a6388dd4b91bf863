use {
    crate::{
        error::OracleError,
        events::OracleInitialized,
        seeds::{SEED_CONFIG, SEED_PRICE_FEED},
        state::*,
    },
    anchor_lang::{prelude::*, solana_program::bpf_loader_upgradeable},
    depin_program_support::is_upgrade_authority,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct InitializeOracleArgs {
    pub authority: Pubkey,
    pub oracles: Vec<Pubkey>,
    pub quorum: u8,
    pub genesis_timestamp: i64,
    pub epoch_length: i64,
    pub challenge_window: i64,
    pub finality_deadline: i64,
    pub price_max_staleness: i64,
    pub price_min_submissions: u8,
}

/// Creates the oracle config and the price feed.
///
/// Checks: the program's upgrade authority signs; the set is valid (1..=16
/// distinct keys, 1 ≤ M ≤ N); durations are within bounds (epoch length and
/// staleness above zero). Emits `OracleInitialized`.
///
/// Attack surface: runs once (config and price feed are `init` at fixed PDAs).
/// Signers: the payer (rent) and the upgrade authority, matched against this
/// program's `ProgramData` (address pinned by seeds under the upgradeable
/// loader, owner/type-checked by `Account<ProgramData>`). Bounds: at most 16
/// oracles, so the set, a batch's votes and the price entries fit their fixed
/// accounts; durations of at most one year keep timestamp sums far from
/// overflow (they are checked anyway); `price_min_submissions` in 1..=16 and
/// at most the set size, so a price can form. The genesis timestamp is not
/// checked.
#[event_cpi]
#[derive(Accounts)]
pub struct InitializeOracle<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    pub upgrade_authority: Signer<'info>,
    #[account(
        seeds = [crate::ID.as_ref()],
        bump,
        seeds::program = bpf_loader_upgradeable::ID,
        constraint = is_upgrade_authority(&program_data, &upgrade_authority.key())
            @ OracleError::NotUpgradeAuthority,
    )]
    pub program_data: Account<'info, ProgramData>,
    #[account(init, payer = payer, space = OracleConfig::SPACE, seeds = [SEED_CONFIG], bump)]
    pub config: Box<Account<'info, OracleConfig>>,
    #[account(init, payer = payer, space = PriceFeed::SPACE, seeds = [SEED_PRICE_FEED], bump)]
    pub price_feed: Box<Account<'info, PriceFeed>>,
    pub system_program: Program<'info, System>,
}

impl InitializeOracle<'_> {
    pub fn validate(&self, args: &InitializeOracleArgs) -> Result<()> {
        validate_oracle_set(&args.oracles, args.quorum)?;
        require!(
            args.authority != Pubkey::default(),
            OracleError::InvalidAuthority
        );
        require!(
            is_valid_duration(args.epoch_length, false)
                && is_valid_duration(args.challenge_window, true)
                && is_valid_duration(args.finality_deadline, true)
                && is_valid_duration(args.price_max_staleness, false),
            OracleError::InvalidDuration
        );
        require!(
            (1..=crate::constants::MAX_ORACLES as u8).contains(&args.price_min_submissions),
            OracleError::InvalidPriceMinimum
        );
        require!(
            usize::from(args.price_min_submissions) <= args.oracles.len(),
            OracleError::PriceMinimumAboveSetSize
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: InitializeOracleArgs) -> Result<()> {
        let config = &mut ctx.accounts.config;
        config.set_inner(OracleConfig {
            authority: args.authority,
            bump: ctx.bumps.config,
            quorum: args.quorum,
            set_version: 1,
            genesis_timestamp: args.genesis_timestamp,
            epoch_length: args.epoch_length,
            challenge_window: args.challenge_window,
            finality_deadline: args.finality_deadline,
            price_max_staleness: args.price_max_staleness,
            price_min_submissions: args.price_min_submissions,
            member_since: vec![1; args.oracles.len()],
            oracles: args.oracles.clone(),
            pause: Default::default(),
        });
        config.invariant()?;
        let price_feed = &mut ctx.accounts.price_feed;
        price_feed.bump = ctx.bumps.price_feed;
        price_feed.invariant()?;
        emit_cpi!(OracleInitialized {
            authority: args.authority,
            oracles: args.oracles,
            quorum: args.quorum,
            genesis_timestamp: args.genesis_timestamp,
            epoch_length: args.epoch_length,
        });
        Ok(())
    }
}
