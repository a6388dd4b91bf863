use {
    super::now,
    crate::{error::GovernanceError, events::PositionWithdrawn, seeds::*, state::*},
    anchor_lang::prelude::*,
    anchor_spl::token::{self, Mint, Token, TokenAccount, TransferChecked},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct WithdrawPositionArgs {
    pub index: u8,
}

/// Pays out an unlocked position and removes it (positions after it shift
/// down by one).
///
/// Checks: the owner signs; the position exists; it is a cliff whose end has
/// passed (a constant lockup must first be relocked as a cliff and wait it
/// out); the destination holds the network token. Emits `PositionWithdrawn`.
///
/// Attack surface: only the owner (`has_one` on the voter PDA `[SEED_VOTER,
/// owner]`, stored bump); the destination is any token account of the
/// network mint the owner chooses (the vault itself is refused as a
/// duplicate mutable account). Trusted accounts: the config PDA (stored
/// canonical bump), which signs the transfer as the vault's authority;
/// `vault` and `token_mint` by `address =` against the config. Bound: a cliff
/// with `end_ts <= now`. A position counted in a vote has `end_ts >=
/// voting_ends_at` and votes need `now < voting_ends_at`, so counted tokens
/// leave at the earliest at the second voting ends. A constant lockup never
/// unlocks. `total_locked` falls by exactly the amount paid, and the vault
/// must still hold at least the new total.
#[event_cpi]
#[derive(Accounts)]
pub struct WithdrawPosition<'info> {
    pub owner: Signer<'info>,
    #[account(mut, seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, GovernanceConfig>>,
    #[account(
        mut,
        seeds = [SEED_VOTER, owner.key().as_ref()],
        bump = voter.bump,
        has_one = owner @ GovernanceError::NotOwner,
    )]
    pub voter: Box<Account<'info, Voter>>,
    #[account(mut, address = config.vault)]
    pub vault: Box<Account<'info, TokenAccount>>,
    /// Anchor refuses the vault here (duplicate mutable account).
    #[account(
        mut,
        constraint = destination.mint == config.token_mint @ GovernanceError::WrongMint,
    )]
    pub destination: Box<Account<'info, TokenAccount>>,
    #[account(address = config.token_mint @ GovernanceError::WrongMint)]
    pub token_mint: Box<Account<'info, Mint>>,
    pub token_program: Program<'info, Token>,
}

impl WithdrawPosition<'_> {
    pub fn validate(&self, args: &WithdrawPositionArgs) -> Result<()> {
        let position = self.voter.position(args.index)?;
        require!(
            position.lockup.is_unlocked(now()?),
            GovernanceError::StillLocked
        );
        Ok(())
    }

    pub fn handler(mut ctx: Context<Self>, args: WithdrawPositionArgs) -> Result<()> {
        let accounts = &mut ctx.accounts;
        let position = accounts.voter.positions.remove(args.index as usize);
        let config = &mut accounts.config;
        config.total_locked = config
            .total_locked
            .checked_sub(position.amount)
            .ok_or(GovernanceError::InvariantViolated)?;
        token::transfer_checked(
            CpiContext::new_with_signer(
                accounts.token_program.key(),
                TransferChecked {
                    from: accounts.vault.to_account_info(),
                    mint: accounts.token_mint.to_account_info(),
                    to: accounts.destination.to_account_info(),
                    authority: config.to_account_info(),
                },
                &[&config.signer_seeds()],
            ),
            position.amount,
            accounts.token_mint.decimals,
        )?;
        accounts.vault.reload()?;
        require!(
            accounts.vault.amount >= config.total_locked,
            GovernanceError::VaultShortfall
        );
        accounts.voter.invariant()?;
        config.invariant()?;
        let event = PositionWithdrawn {
            owner: accounts.voter.owner,
            index: args.index,
            amount: position.amount,
            total_locked: config.total_locked,
        };
        emit_cpi!(event);
        Ok(())
    }
}
