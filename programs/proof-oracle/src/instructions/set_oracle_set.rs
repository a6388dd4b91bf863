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
/// Checks: the authority signs; 1..=16 distinct non-default keys; 1 ≤ M ≤ N.
/// Effects: bumps `set_version`. Pending votes of removed oracles stop
/// counting at once (every count prunes them, and they stay void if the
/// oracle is added back) and their prices leave the median. Emits
/// `OracleSetChanged`.
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
        validate_oracle_set(&args.oracles, args.quorum)
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
