use {
    crate::{error::OracleError, events::Unpaused, seeds::SEED_CONFIG, state::*},
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct UnpauseArgs {
    /// `PauseScope` bits to resume.
    pub scopes: u8,
}

/// Lifts pauses of the proof oracle, however they were set.
///
/// Attack surface: the authority only (`has_one` on the config PDA, whose
/// stored canonical bump is checked; the DAO, through a proposal); the
/// guardian can never unpause. Bound: the mask names only scopes the program
/// has (`InvalidPauseScopes`). Emits `Unpaused`.
#[event_cpi]
#[derive(Accounts)]
pub struct Unpause<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ OracleError::NotAuthority,
    )]
    pub config: Box<Account<'info, OracleConfig>>,
}

impl Unpause<'_> {
    pub fn validate(&self, _args: &UnpauseArgs) -> Result<()> {
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: UnpauseArgs) -> Result<()> {
        let config = &mut ctx.accounts.config;
        config
            .pause
            .unpause(args.scopes, PauseScope::COUNT)
            .map_err(pause_error)?;
        config.invariant()?;
        emit_cpi!(Unpaused {
            scopes: args.scopes
        });
        Ok(())
    }
}
