use {
    super::{now, LockupArgs},
    crate::{error::GovernanceError, events::PositionRelocked, seeds::*, state::*},
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct RelockPositionArgs {
    pub index: u8,
    pub lockup: LockupArgs,
}

/// Replaces a position's lockup with a new one starting now: extends it,
/// turns a cliff into a constant lockup, or starts a constant lockup's
/// countdown (relock it as a cliff of its duration).
///
/// Checks: the owner signs; the position exists; the duration is within
/// bounds; the new lockup leaves at least as much time locked as the current
/// one, so it never unlocks earlier. Emits `PositionRelocked`.
#[event_cpi]
#[derive(Accounts)]
pub struct RelockPosition<'info> {
    pub owner: Signer<'info>,
    #[account(seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, GovernanceConfig>>,
    #[account(
        mut,
        seeds = [SEED_VOTER, owner.key().as_ref()],
        bump = voter.bump,
        has_one = owner @ GovernanceError::NotOwner,
    )]
    pub voter: Box<Account<'info, Voter>>,
}

impl RelockPosition<'_> {
    pub fn validate(&self, args: &RelockPositionArgs) -> Result<()> {
        self.voter.position(args.index)?;
        args.lockup.validate(&self.config.power)
    }

    pub fn handler(ctx: Context<Self>, args: RelockPositionArgs) -> Result<()> {
        let now = now()?;
        let voter = &mut ctx.accounts.voter;
        let position = &mut voter.positions[args.index as usize];
        let lockup = Lockup::starting(args.lockup.kind, args.lockup.duration_secs, now)?;
        require!(
            lockup.remaining(now) >= position.lockup.remaining(now),
            GovernanceError::LockupShortened
        );
        position.lockup = lockup;
        voter.invariant()?;
        emit_cpi!(PositionRelocked {
            owner: voter.owner,
            index: args.index,
            lockup,
        });
        Ok(())
    }
}
