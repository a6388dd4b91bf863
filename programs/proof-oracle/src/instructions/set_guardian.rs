use {
    crate::{error::OracleError, events::GuardianSet, seeds::SEED_CONFIG, state::*},
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct SetGuardianArgs {
    /// The new guardian; `Pubkey::default()` removes it.
    pub guardian: Pubkey,
    /// Length of its pause in seconds (1 s to 30 days; 0 with no guardian).
    pub max_pause: i64,
}

/// Names the guardian of the proof oracle and arms its one pause.
///
/// Attack surface: the authority only (`has_one` on the config PDA, whose
/// stored canonical bump is checked; the DAO, through a proposal), so the
/// guardian can neither re-arm nor replace itself. Bound: the pause length
/// is 1 s to 30 days (`InvalidGuardianPause`), which caps what one guardian
/// pause can stop. Emits `GuardianSet`.
#[event_cpi]
#[derive(Accounts)]
pub struct SetGuardian<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ OracleError::NotAuthority,
    )]
    pub config: Box<Account<'info, OracleConfig>>,
}

impl SetGuardian<'_> {
    pub fn validate(&self, _args: &SetGuardianArgs) -> Result<()> {
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: SetGuardianArgs) -> Result<()> {
        let config = &mut ctx.accounts.config;
        config
            .pause
            .set_guardian(args.guardian, args.max_pause)
            .map_err(pause_error)?;
        config.invariant()?;
        emit_cpi!(GuardianSet {
            guardian: config.pause.guardian,
            max_pause: config.pause.guardian_max_pause,
        });
        Ok(())
    }
}
