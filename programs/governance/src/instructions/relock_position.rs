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
///
/// Attack surface: only the owner (`has_one` on the voter PDA `[SEED_VOTER,
/// owner]`, stored bump); the config PDA (stored canonical bump) supplies
/// the lockup bounds. Bounds: the index exists; the new duration is within
/// the current `[min_lockup_secs, max_lockup_secs]`, the maximum raised to
/// the position's own remaining time (so a constant lockup longer than a
/// since-lowered maximum can still be relocked as a cliff of its duration
/// and start its countdown: a parameter change never freezes tokens); the
/// new lockup's remaining time at `now` is at least the old one's, so the
/// earliest unlock never moves earlier and a position counted in a running
/// vote stays locked until that vote ends.
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
        let position = self.voter.position(args.index)?;
        // A relock may always keep as much time locked as the position has
        // now, even above a maximum the DAO lowered since: otherwise a
        // constant lockup longer than the new maximum could never be
        // relocked as a cliff, and its tokens could never be withdrawn.
        let mut params = self.config.power;
        params.max_lockup_secs = params
            .max_lockup_secs
            .max(position.lockup.remaining(now()?));
        args.lockup.validate(&params)
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
