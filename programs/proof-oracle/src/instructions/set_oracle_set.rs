use {
    crate::{error::OracleError, events::OracleSetChanged, seeds::SEED_CONFIG, state::*},
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct SetOracleSetArgs {
    pub oracles: Vec<Pubkey>,
    pub quorum: u8,
}

/// Replaces the oracle set and quorum.
///
/// Checks: the authority signs; 1..=16 distinct non-default keys; 1 ≤ M ≤ N;
/// the price minimum still fits the new set (`PriceMinimumAboveSetSize`:
/// otherwise no price could ever form and no credits could be bought).
/// Effects: bumps `set_version`. Pending votes of removed oracles stop
/// counting at once (every count prunes them, and they stay void if the
/// oracle is added back) and their prices leave the median. Emits
/// `OracleSetChanged`.
///
/// Attack surface: only the authority (`has_one` on the config PDA, stored
/// canonical bump). Bounds: 1..=16 distinct non-default keys (the fixed
/// `oracles`/`member_since` vectors, and with them a batch's votes and the
/// price entries, never exceed 16); 1 ≤ quorum ≤ N;
/// `price_min_submissions ≤ N`. `member_since` keeps the old votes of a
/// removed and re-added oracle void.
#[event_cpi]
#[derive(Accounts)]
pub struct SetOracleSet<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ OracleError::NotAuthority,
    )]
    pub config: Box<Account<'info, OracleConfig>>,
}

impl SetOracleSet<'_> {
    pub fn validate(&self, args: &SetOracleSetArgs) -> Result<()> {
        validate_oracle_set(&args.oracles, args.quorum)?;
        require!(
            usize::from(self.config.price_min_submissions) <= args.oracles.len(),
            OracleError::PriceMinimumAboveSetSize
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: SetOracleSetArgs) -> Result<()> {
        let config = &mut ctx.accounts.config;
        config.replace_set(args.oracles.clone(), args.quorum)?;
        config.invariant()?;
        emit_cpi!(OracleSetChanged {
            oracles: args.oracles,
            quorum: args.quorum,
            set_version: config.set_version,
        });
        Ok(())
    }
}
