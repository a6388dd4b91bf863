use {
    super::{now, LockupArgs},
    crate::{
        constants::MAX_POSITIONS, error::GovernanceError, events::PositionLocked, seeds::*,
        state::*,
    },
    anchor_lang::prelude::*,
    anchor_spl::token::{self, Mint, Token, TokenAccount, TransferChecked},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct LockTokensArgs {
    pub amount: u64,
    pub lockup: LockupArgs,
}

/// Locks tokens from the owner's token account into a new position (the
/// voter account is created on first use).
///
/// Checks: the owner signs; amount > 0; the duration is within the
/// configured bounds; fewer than 16 positions. Effects: tokens move to the
/// vault; `total_locked` grows. Emits `PositionLocked`.
///
/// Attack surface: only the owner signs: it must be the token authority of
/// `source` (`token::authority`) and pays for its voter PDA `[SEED_VOTER,
/// owner]` on first use (`init_if_needed`, canonical bump; an existing one is
/// owner/type-checked, and its address binds it to this owner, whose key is
/// written only when the account is new). Trusted accounts: the config PDA
/// (stored canonical bump); `vault` and `token_mint` by `address =` against
/// the config; `source` holds the network mint (the vault itself is refused
/// as a duplicate mutable account). Bounds: amount > 0; duration within the
/// current `[min_lockup_secs, max_lockup_secs]` (at most ten years); at most
/// 16 positions, the space the voter account is allocated with; afterwards
/// the vault must hold at least `total_locked`.
#[event_cpi]
#[derive(Accounts)]
pub struct LockTokens<'info> {
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(mut, seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, GovernanceConfig>>,
    #[account(
        init_if_needed,
        payer = owner,
        space = Voter::SPACE,
        seeds = [SEED_VOTER, owner.key().as_ref()],
        bump,
    )]
    pub voter: Box<Account<'info, Voter>>,
    #[account(
        mut,
        constraint = source.mint == config.token_mint @ GovernanceError::WrongMint,
        token::authority = owner,
    )]
    pub source: Box<Account<'info, TokenAccount>>,
    #[account(mut, address = config.vault)]
    pub vault: Box<Account<'info, TokenAccount>>,
    #[account(address = config.token_mint @ GovernanceError::WrongMint)]
    pub token_mint: Box<Account<'info, Mint>>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

impl LockTokens<'_> {
    pub fn validate(&self, args: &LockTokensArgs) -> Result<()> {
        require!(args.amount > 0, GovernanceError::ZeroAmount);
        args.lockup.validate(&self.config.power)?;
        require!(
            self.voter.positions.len() < MAX_POSITIONS,
            GovernanceError::TooManyPositions
        );
        Ok(())
    }

    pub fn handler(mut ctx: Context<Self>, args: LockTokensArgs) -> Result<()> {
        let now = now()?;
        let accounts = &mut ctx.accounts;
        token::transfer_checked(
            CpiContext::new(
                accounts.token_program.key(),
                TransferChecked {
                    from: accounts.source.to_account_info(),
                    mint: accounts.token_mint.to_account_info(),
                    to: accounts.vault.to_account_info(),
                    authority: accounts.owner.to_account_info(),
                },
            ),
            args.amount,
            accounts.token_mint.decimals,
        )?;

        let voter = &mut accounts.voter;
        if voter.owner == Pubkey::default() {
            voter.owner = accounts.owner.key();
            voter.bump = ctx.bumps.voter;
        }
        let lockup = Lockup::starting(args.lockup.kind, args.lockup.duration_secs, now)?;
        voter.positions.push(Position {
            amount: args.amount,
            lockup,
            locked_at: now,
        });
        let config = &mut accounts.config;
        config.total_locked = config
            .total_locked
            .checked_add(args.amount)
            .ok_or(GovernanceError::Overflow)?;

        accounts.vault.reload()?;
        require!(
            accounts.vault.amount >= config.total_locked,
            GovernanceError::VaultShortfall
        );
        voter.invariant()?;
        config.invariant()?;
        let event = PositionLocked {
            owner: voter.owner,
            index: (voter.positions.len() - 1) as u8,
            amount: args.amount,
            lockup,
            total_locked: config.total_locked,
        };
        emit_cpi!(event);
        Ok(())
    }
}
