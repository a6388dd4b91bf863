//! Helpers the handlers share.

use {
    crate::error::RegistryError,
    anchor_lang::prelude::*,
    anchor_spl::token_interface::{self, Burn, Mint, TokenAccount, TokenInterface},
};

/// Burns `amount` fee tokens from the owner's account (no-op for a zero fee).
/// The balance is checked first so a short balance fails with a registry
/// error instead of the token program's.
pub(crate) fn burn_fee<'info>(
    token_program: &Interface<'info, TokenInterface>,
    fee_mint: &InterfaceAccount<'info, Mint>,
    fee_account: &InterfaceAccount<'info, TokenAccount>,
    owner: &Signer<'info>,
    amount: u64,
) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    require!(
        fee_account.amount >= amount,
        RegistryError::InsufficientFeeBalance
    );
    token_interface::burn(
        CpiContext::new(
            token_program.key(),
            Burn {
                mint: fee_mint.to_account_info(),
                from: fee_account.to_account_info(),
                authority: owner.to_account_info(),
            },
        ),
        amount,
    )
}

pub(crate) fn now() -> Result<i64> {
    Ok(Clock::get()?.unix_timestamp)
}
