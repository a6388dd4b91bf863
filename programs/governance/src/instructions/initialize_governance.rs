use {
    crate::{error::GovernanceError, events::GovernanceInitialized, seeds::*, state::*},
    anchor_lang::{prelude::*, solana_program::bpf_loader_upgradeable},
    anchor_spl::token::{Mint, Token, TokenAccount},
    depin_program_support::is_upgrade_authority,
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
///
/// Attack surface: runs once (config and vault are `init` at fixed PDAs).
/// Signers: the payer and the upgrade authority, matched against this
/// program's `ProgramData` (address pinned by seeds under the upgradeable
/// loader, owner/type-checked by `Account<ProgramData>`); a program without an
/// upgrade authority can never be initialized. `token_mint` is any SPL Token
/// mint the upgrade authority picks (owner/type-checked only; its mint and
/// freeze authorities are not inspected). The vault `[SEED_VAULT]` has the
/// config PDA as token authority, so only `withdraw_position` can move locked
/// tokens (a proposal can sign only as the DAO authority). The DAO authority
/// `[SEED_DAO_AUTHORITY]` (canonical bump) is only recorded. Mint, vault and
/// DAO authority can never change afterwards. Bounds: multiplier 1..=100×,
/// saturation and lockups within ten years, `min_lockup ≤ max_lockup`; quorum
/// above zero (a share ≤ 10,000 bps), voting period 60 s..=90 days, threshold
/// 5,000..=10,000 bps, timelock ≤ 90 days, execution window 60 s..=90 days;
/// `min_proposal_power` is taken as given (0 lets any voter account propose).
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
        constraint = is_upgrade_authority(&program_data, &upgrade_authority.key())
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
