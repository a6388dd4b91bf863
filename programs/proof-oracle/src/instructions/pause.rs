use {
    super::now,
    crate::{events::Paused, seeds::SEED_CONFIG, state::*},
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct PauseArgs {
    /// `PauseScope` bits to pause.
    pub scopes: u8,
}

/// Pauses scopes of the proof oracle (batch votes and finalization;
/// prices).
///
/// Attack surface: the authority (the DAO, through a proposal), which
/// pauses until it unpauses; or the guardian it named, which pauses for its
/// set maximum and is then spent until the authority arms it again (so
/// repeated guardian pauses never add up past the maximum); anyone else is
/// `NotAuthorityOrGuardian`, and with no guardian named the default key is
/// nobody. Trusted accounts:
/// the config (PDA, canonical bump). Bounds: the mask names only existing
/// scopes; a guardian pause never shortens a longer pause. Emits `Paused`.
#[event_cpi]
#[derive(Accounts)]
pub struct Pause<'info> {
    pub signer: Signer<'info>,
    #[account(mut, seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, OracleConfig>>,
}

impl Pause<'_> {
    pub fn validate(&self, _args: &PauseArgs) -> Result<()> {
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: PauseArgs) -> Result<()> {
        let signer = ctx.accounts.signer.key();
        let config = &mut ctx.accounts.config;
        let authority = config.authority;
        let (by, until) = config
            .pause
            .pause(args.scopes, PauseScope::COUNT, &signer, &authority, now()?)
            .map_err(pause_error)?;
        config.invariant()?;
        emit_cpi!(Paused {
            scopes: args.scopes,
            by,
            signer,
            until,
        });
        Ok(())
    }
}
