use {
    crate::{error::RegistryError, events::RegistryUpdated, seeds::SEED_CONFIG, state::*},
    anchor_lang::prelude::*,
    anchor_spl::token_interface::Mint,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct UpdateRegistryArgs {
    /// Hands the registry to a new authority (e.g. the DAO's PDA).
    pub new_authority: Option<Pubkey>,
}

/// Changes the authority and/or the fee mint (pass `new_fee_mint`).
///
/// Checks: the authority signs; the new authority is not the default
/// address (that would lock the registry for good). Emits `RegistryUpdated`.
///
/// Attack surface: only the authority (`has_one` on the config PDA, stored
/// canonical bump). The new fee mint is any mint of a token program
/// (`InterfaceAccount<Mint>`); the new authority must not be the default
/// address.
#[event_cpi]
#[derive(Accounts)]
pub struct UpdateRegistry<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ RegistryError::NotAuthority,
    )]
    pub config: Box<Account<'info, RegistryConfig>>,
    pub new_fee_mint: Option<Box<InterfaceAccount<'info, Mint>>>,
}

impl UpdateRegistry<'_> {
    pub fn validate(&self, args: &UpdateRegistryArgs) -> Result<()> {
        require!(
            args.new_authority != Some(Pubkey::default()),
            RegistryError::InvalidAuthority
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: UpdateRegistryArgs) -> Result<()> {
        let config = &mut ctx.accounts.config;
        if let Some(authority) = args.new_authority {
            config.authority = authority;
        }
        if let Some(mint) = &ctx.accounts.new_fee_mint {
            config.fee_mint = mint.key();
        }
        config.invariant()?;
        emit_cpi!(RegistryUpdated {
            authority: config.authority,
            fee_mint: config.fee_mint,
        });
        Ok(())
    }
}
