use {
    crate::{
        constants::MAX_ORACLES, error::OracleError, events::OracleParamsUpdated,
        seeds::SEED_CONFIG, state::*,
    },
    anchor_lang::prelude::*,
};

/// Fields left `None` keep their value. The epoch clock never changes: epoch
/// numbers already used by batches depend on it.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, Default)]
pub struct UpdateOracleParamsArgs {
    pub new_authority: Option<Pubkey>,
    pub challenge_window: Option<i64>,
    pub finality_deadline: Option<i64>,
    pub price_max_staleness: Option<i64>,
    pub price_min_submissions: Option<u8>,
}

/// Changes the authority, windows and price parameters.
///
/// Checks: the authority signs; values within bounds. Emits
/// `OracleParamsUpdated`.
///
/// Attack surface: only the authority (`has_one` on the config PDA, stored
/// canonical bump). Bounds: durations of 0 s to one year (staleness above
/// zero), a price minimum in 1..=16 and at most the set size, a non-default
/// new authority. A new challenge window applies to batches made final
/// afterwards (each final batch keeps the end of its window,
/// `challenge_ends_at`); a new finality deadline applies to every epoch not
/// yet final or expired, pending ones included.
#[event_cpi]
#[derive(Accounts)]
pub struct UpdateOracleParams<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ OracleError::NotAuthority,
    )]
    pub config: Box<Account<'info, OracleConfig>>,
}

impl UpdateOracleParams<'_> {
    pub fn validate(&self, args: &UpdateOracleParamsArgs) -> Result<()> {
        require!(
            args.new_authority != Some(Pubkey::default()),
            OracleError::InvalidAuthority
        );
        require!(
            args.challenge_window
                .is_none_or(|seconds| is_valid_duration(seconds, true))
                && args
                    .finality_deadline
                    .is_none_or(|seconds| is_valid_duration(seconds, true))
                && args
                    .price_max_staleness
                    .is_none_or(|seconds| is_valid_duration(seconds, false)),
            OracleError::InvalidDuration
        );
        require!(
            args.price_min_submissions
                .is_none_or(|minimum| (1..=MAX_ORACLES as u8).contains(&minimum)),
            OracleError::InvalidPriceMinimum
        );
        require!(
            args.price_min_submissions
                .is_none_or(|minimum| usize::from(minimum) <= self.config.oracles.len()),
            OracleError::PriceMinimumAboveSetSize
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: UpdateOracleParamsArgs) -> Result<()> {
        let config = &mut ctx.accounts.config;
        if let Some(authority) = args.new_authority {
            config.authority = authority;
        }
        if let Some(seconds) = args.challenge_window {
            config.challenge_window = seconds;
        }
        if let Some(seconds) = args.finality_deadline {
            config.finality_deadline = seconds;
        }
        if let Some(seconds) = args.price_max_staleness {
            config.price_max_staleness = seconds;
        }
        if let Some(minimum) = args.price_min_submissions {
            config.price_min_submissions = minimum;
        }
        config.invariant()?;
        emit_cpi!(OracleParamsUpdated {
            authority: config.authority,
            challenge_window: config.challenge_window,
            finality_deadline: config.finality_deadline,
            price_max_staleness: config.price_max_staleness,
            price_min_submissions: config.price_min_submissions,
        });
        Ok(())
    }
}
