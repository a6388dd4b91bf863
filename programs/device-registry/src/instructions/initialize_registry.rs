use {
    crate::{error::RegistryError, events::RegistryInitialized, seeds::SEED_CONFIG, state::*},
    anchor_lang::{prelude::*, solana_program::bpf_loader_upgradeable},
    anchor_spl::token_interface::Mint,
    depin_program_support::is_upgrade_authority,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct InitializeRegistryArgs {
    /// Authority over the registry (the deployer first, the DAO later).
    pub authority: Pubkey,
}

/// Creates the registry's config.
///
/// Checks: the signer is the program's upgrade authority (read from its
/// `ProgramData`), so nobody can front-run a fresh deployment; the fee mint is
/// a mint of a token program; the authority is not the default address.
/// Effects: config created with no classes and all
/// counters at zero. Emits `RegistryInitialized`.
///
/// Attack surface: runs once (the config is `init` at its fixed PDA; a second
/// call fails in the system program). Signers: the payer (rent) and the
/// upgrade authority, which must equal the `upgrade_authority_address` of
/// `program_data`, itself pinned to this program's `ProgramData` address
/// (seeds under the upgradeable loader) and owner/type-checked by
/// `Account<ProgramData>`, so a forged ProgramData cannot pass. Taken as
/// given: the fee mint (any mint of SPL Token or Token-2022, checked by
/// `InterfaceAccount<Mint>`); `args.authority` must not be the default
/// address (`InvalidAuthority`: nobody could ever administer the registry).
#[event_cpi]
#[derive(Accounts)]
pub struct InitializeRegistry<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    pub upgrade_authority: Signer<'info>,
    #[account(
        seeds = [crate::ID.as_ref()],
        bump,
        seeds::program = bpf_loader_upgradeable::ID,
        constraint = is_upgrade_authority(&program_data, &upgrade_authority.key())
            @ RegistryError::NotUpgradeAuthority,
    )]
    pub program_data: Account<'info, ProgramData>,
    #[account(
        init,
        payer = payer,
        space = RegistryConfig::SPACE,
        seeds = [SEED_CONFIG],
        bump,
    )]
    pub config: Box<Account<'info, RegistryConfig>>,
    pub fee_mint: Box<InterfaceAccount<'info, Mint>>,
    pub system_program: Program<'info, System>,
}

impl InitializeRegistry<'_> {
    pub fn validate(&self, args: &InitializeRegistryArgs) -> Result<()> {
        require!(
            args.authority != Pubkey::default(),
            RegistryError::InvalidAuthority
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: InitializeRegistryArgs) -> Result<()> {
        let config = &mut ctx.accounts.config;
        config.set_inner(RegistryConfig {
            authority: args.authority,
            fee_mint: ctx.accounts.fee_mint.key(),
            bump: ctx.bumps.config,
            makers: 0,
            devices_registered: 0,
            active_devices: 0,
            fees_burned: 0,
            location_changes: 0,
            classes: Vec::new(),
            pause: Default::default(),
        });
        config.invariant()?;
        emit_cpi!(RegistryInitialized {
            authority: args.authority,
            fee_mint: config.fee_mint,
        });
        Ok(())
    }
}
