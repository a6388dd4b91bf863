//! Helpers the handlers share.

use {
    crate::state::RewardsConfig,
    anchor_lang::prelude::*,
    anchor_spl::token::{self, Mint, MintTo, Token, TokenAccount, TransferChecked},
};

pub(crate) fn now() -> Result<i64> {
    Ok(Clock::get()?.unix_timestamp)
}

/// Mints network tokens to `destination`, signed by the config PDA (no-op
/// for zero).
pub(crate) fn mint_tokens<'info>(
    token_program: &Program<'info, Token>,
    mint: &Account<'info, Mint>,
    destination: &Account<'info, TokenAccount>,
    config: &Account<'info, RewardsConfig>,
    amount: u64,
) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    token::mint_to(
        CpiContext::new_with_signer(
            token_program.key(),
            MintTo {
                mint: mint.to_account_info(),
                to: destination.to_account_info(),
                authority: config.to_account_info(),
            },
            &[&config.signer_seeds()],
        ),
        amount,
    )
}

/// Pays `amount` network tokens out of a pool owned by the config PDA.
pub(crate) fn pay_from_pool<'info>(
    token_program: &Program<'info, Token>,
    mint: &Account<'info, Mint>,
    pool: &Account<'info, TokenAccount>,
    destination: &Account<'info, TokenAccount>,
    config: &Account<'info, RewardsConfig>,
    amount: u64,
) -> Result<()> {
    token::transfer_checked(
        CpiContext::new_with_signer(
            token_program.key(),
            TransferChecked {
                from: pool.to_account_info(),
                mint: mint.to_account_info(),
                to: destination.to_account_info(),
                authority: config.to_account_info(),
            },
            &[&config.signer_seeds()],
        ),
        amount,
        mint.decimals,
    )
}

/// Fails with the reason a batch cannot be claimed against at `now`: not
/// final (pending or expired), rejected, or inside its challenge window.
pub(crate) fn require_claimable(batch: &proof_oracle::state::EpochBatch, now: i64) -> Result<()> {
    use {crate::error::RewardsError, proof_oracle::state::BatchStatus};
    match batch.status {
        BatchStatus::Final => {}
        BatchStatus::Rejected => return err!(RewardsError::BatchRejected),
        BatchStatus::Pending | BatchStatus::Expired => return err!(RewardsError::BatchNotFinal),
    }
    require!(
        batch.is_claimable(now),
        RewardsError::BatchInChallengeWindow
    );
    Ok(())
}
