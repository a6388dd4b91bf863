use {
    super::now,
    crate::{error::GovernanceError, events::PositionsMerged, seeds::*, state::*},
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct MergePositionsArgs {
    /// The position that is removed.
    pub from: u8,
    /// The position that receives its tokens.
    pub into: u8,
}

/// Moves all tokens of one position into another and removes the first.
/// The merged position keeps whichever lockup has more time remaining, so
/// no token unlocks earlier than before (positions after `from` shift down
/// by one).
///
/// Checks: the owner signs; both positions exist and differ. Emits
/// `PositionsMerged`.
///
/// Attack surface: only the owner (`has_one` on the voter PDA `[SEED_VOTER,
/// owner]`, stored bump); both positions are in the signer's own voter
/// account. No config is read and no lockup bound applies: the merged lockup
/// is one of the two existing ones, whichever has more time remaining at
/// `now`, so no token unlocks earlier and tokens counted in a running vote
/// stay locked until it ends. Bounds: two distinct existing indices; the
/// amounts' sum is checked (`Overflow`); the position count only falls.
#[event_cpi]
#[derive(Accounts)]
pub struct MergePositions<'info> {
    pub owner: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_VOTER, owner.key().as_ref()],
        bump = voter.bump,
        has_one = owner @ GovernanceError::NotOwner,
    )]
    pub voter: Box<Account<'info, Voter>>,
}

impl MergePositions<'_> {
    pub fn validate(&self, args: &MergePositionsArgs) -> Result<()> {
        require!(args.from != args.into, GovernanceError::SamePosition);
        self.voter.position(args.from)?;
        self.voter.position(args.into)?;
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: MergePositionsArgs) -> Result<()> {
        let now = now()?;
        let voter = &mut ctx.accounts.voter;
        let from = voter.positions[args.from as usize];
        let into = &mut voter.positions[args.into as usize];
        into.amount = into
            .amount
            .checked_add(from.amount)
            .ok_or(GovernanceError::Overflow)?;
        into.lockup = into.lockup.longer(from.lockup, now);
        let merged = *into;
        voter.positions.remove(args.from as usize);
        let index = if args.into > args.from {
            args.into - 1
        } else {
            args.into
        };
        voter.invariant()?;
        emit_cpi!(PositionsMerged {
            owner: voter.owner,
            index,
            removed_index: args.from,
            amount: merged.amount,
            lockup: merged.lockup,
        });
        Ok(())
    }
}
