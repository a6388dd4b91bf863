use {
    crate::{error::GovernanceError, events::GovernanceInitialized, seeds::*, state::*},
    anchor_lang::{prelude::*, solana_program::bpf_loader_upgradeable},
    anchor_spl::token::{Mint, Token, TokenAccount},
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct InitializeGovernanceArgs {
    pub power: VotingPowerParams,
    pub rules: ProposalRules,
    /// Programs proposals may call (e.g. the registry, oracle, rewards,
    /// system and token programs).
    pub allowed_programs: Vec<Pubkey>,
}

/// Creates the configuration, the vault of locked tokens (owned by the
/// config PDA) and fixes the DAO authority address.
///
/// Checks: the program's upgrade authority signs; parameters are in range;
/// allowed programs are distinct, at most 8, and exclude governance itself.
/// Emits `GovernanceInitialized`.
#[event_cpi]
#[derive(Accounts)]
pub struct InitializeGovernance<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    pub upgrade_authority: Signer<'info>,
    #[account(
        seeds = [crate::ID.as_ref()],
        bump,
        seeds::program = bpf_loader_upgradeable::ID,
        constraint = program_data.upgrade_authority_address == Some(upgrade_authority.key())
            @ GovernanceError::NotUpgradeAuthority,
    )]
    pub program_data: Box<Account<'info, ProgramData>>,
    #[account(init, payer = payer, space = GovernanceConfig::SPACE, seeds = [SEED_CONFIG], bump)]
    pub config: Box<Account<'info, GovernanceConfig>>,
    pub token_mint: Box<Account<'info, Mint>>,
    #[account(
        init,
        payer = payer,
        seeds = [SEED_VAULT],
        bump,
        token::mint = token_mint,
        token::authority = config,
    )]
    pub vault: Box<Account<'info, TokenAccount>>,
    /// CHECK: only its address (a PDA of this program) is recorded.
    #[account(seeds = [SEED_DAO_AUTHORITY], bump)]
    pub dao_authority: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

impl InitializeGovernance<'_> {
    pub fn validate(&self, args: &InitializeGovernanceArgs) -> Result<()> {
        args.power.validate()?;
        args.rules.validate()?;
        validate_allowed_programs(&args.allowed_programs)
    }

    pub fn handler(ctx: Context<Self>, args: InitializeGovernanceArgs) -> Result<()> {
        let config = &mut ctx.accounts.config;
        config.set_inner(GovernanceConfig {
            bump: ctx.bumps.config,
            dao_authority_bump: ctx.bumps.dao_authority,
            vault_bump: ctx.bumps.vault,
            token_mint: ctx.accounts.token_mint.key(),
            vault: ctx.accounts.vault.key(),
            dao_authority: ctx.accounts.dao_authority.key(),
            power: args.power,
            rules: args.rules,
            allowed_programs: args.allowed_programs,
            proposal_count: 0,
            total_locked: 0,
        });
        config.invariant()?;
        emit_cpi!(GovernanceInitialized {
            token_mint: config.token_mint,
            vault: config.vault,
            dao_authority: config.dao_authority,
        });
        Ok(())
    }
}
