use {
    crate::{constants::*, error::RewardsError, events::RewardsInitialized, seeds::*, state::*},
    anchor_lang::{
        prelude::*,
        solana_program::bpf_loader_upgradeable,
        system_program::{self, Allocate, Assign, CreateAccount, Transfer},
    },
    anchor_spl::{
        token::{Mint, Token, TokenAccount},
        token_2022::Token2022,
        token_interface::{
            self, find_mint_account_size, non_transferable_mint_initialize,
            spl_token_2022::extension::ExtensionType, InitializeMint2,
            NonTransferableMintInitialize,
        },
    },
    depin_program_support::is_upgrade_authority,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct InitializeRewardsArgs {
    pub authority: Pubkey,
    pub token_decimals: u8,
    pub max_supply: Option<u64>,
    pub schedule: Vec<ScheduleEntry>,
    /// First epoch to issue (usually the oracle clock's current epoch).
    pub first_epoch: u64,
    pub net_emission_smoothing_epochs: u16,
    pub net_emission_cap: u64,
    pub price_discount_bps: u16,
    pub token_breaker: BreakerParams,
    pub dc_breaker: BreakerParams,
}

/// Creates the config, the network token mint (SPL Token, mint authority
/// the config PDA, no freeze authority), the data-credit mint (Token-2022
/// with the NonTransferable extension, same mint authority), the device and
/// oracle pools (owned by the config PDA) and the treasury token account
/// (owned by `treasury_owner`, e.g. the DAO authority).
///
/// Checks: the program's upgrade authority signs; the schedule, splits and
/// parameters are valid; decimals ≤ 12. Emits `RewardsInitialized`.
///
/// Attack surface: runs once (every account is created at a fixed PDA).
/// Signers: the payer and the upgrade authority, matched against this
/// program's `ProgramData` (address pinned by seeds, owner/type-checked). The
/// data-credit mint is an `UncheckedAccount` pinned to `[SEED_DC_MINT]` by
/// seeds and created here by `create_account` signed with those seeds (which
/// fails if the address is in use). `treasury_owner` is unchecked: any key may
/// own the treasury. Bounds: 1..=16 schedule entries with increasing starts
/// and splits of 10,000 bps; decimals ≤ 12 keep the credit price arithmetic
/// within `u128`; discount ≤ 50 %; smoothing 1..=3,660 epochs; breaker windows
/// above zero and at most 3,660 days; a non-default authority. `max_supply`
/// and `net_emission_cap` are taken as given.
#[event_cpi]
#[derive(Accounts)]
#[instruction(args: InitializeRewardsArgs)]
pub struct InitializeRewards<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    pub upgrade_authority: Signer<'info>,
    #[account(
        seeds = [crate::ID.as_ref()],
        bump,
        seeds::program = bpf_loader_upgradeable::ID,
        constraint = is_upgrade_authority(&program_data, &upgrade_authority.key())
            @ RewardsError::NotUpgradeAuthority,
    )]
    pub program_data: Box<Account<'info, ProgramData>>,
    #[account(init, payer = payer, space = RewardsConfig::SPACE, seeds = [SEED_CONFIG], bump)]
    pub config: Box<Account<'info, RewardsConfig>>,
    #[account(
        init,
        payer = payer,
        seeds = [SEED_TOKEN_MINT],
        bump,
        mint::decimals = args.token_decimals,
        mint::authority = config,
        mint::token_program = token_program,
    )]
    pub token_mint: Box<Account<'info, Mint>>,
    /// CHECK: created here with the NonTransferable extension.
    #[account(mut, seeds = [SEED_DC_MINT], bump)]
    pub dc_mint: UncheckedAccount<'info>,
    #[account(
        init,
        payer = payer,
        seeds = [SEED_DEVICE_POOL],
        bump,
        token::mint = token_mint,
        token::authority = config,
        token::token_program = token_program,
    )]
    pub device_pool: Box<Account<'info, TokenAccount>>,
    #[account(
        init,
        payer = payer,
        seeds = [SEED_ORACLE_POOL],
        bump,
        token::mint = token_mint,
        token::authority = config,
        token::token_program = token_program,
    )]
    pub oracle_pool: Box<Account<'info, TokenAccount>>,
    /// CHECK: any key may own the treasury (the DAO authority PDA).
    pub treasury_owner: UncheckedAccount<'info>,
    #[account(
        init,
        payer = payer,
        seeds = [SEED_TREASURY],
        bump,
        token::mint = token_mint,
        token::authority = treasury_owner,
        token::token_program = token_program,
    )]
    pub treasury: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
    pub token_2022_program: Program<'info, Token2022>,
    pub system_program: Program<'info, System>,
}

impl InitializeRewards<'_> {
    pub fn validate(&self, args: &InitializeRewardsArgs) -> Result<()> {
        require!(
            args.authority != Pubkey::default(),
            RewardsError::InvalidAuthority
        );
        validate_schedule(&args.schedule)?;
        args.token_breaker.validate()?;
        args.dc_breaker.validate()?;
        require!(
            args.token_decimals <= 12
                && args.price_discount_bps <= MAX_PRICE_DISCOUNT_BPS
                && (1..=MAX_SMOOTHING_EPOCHS).contains(&args.net_emission_smoothing_epochs),
            RewardsError::InvalidParameter
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: InitializeRewardsArgs) -> Result<()> {
        let accounts = &ctx.accounts;
        let config_key = accounts.config.key();
        let token_2022 = accounts.token_2022_program.key();

        // The data-credit mint: account, NonTransferable, then the mint.
        let space = find_mint_account_size(Some(&vec![ExtensionType::NonTransferable]))?;
        let dc_mint_seeds: &[&[u8]] = &[SEED_DC_MINT, &[ctx.bumps.dc_mint]];
        let rent = Rent::get()?.minimum_balance(space);
        let system = accounts.system_program.key();
        let funded = accounts.dc_mint.lamports();
        if funded == 0 {
            system_program::create_account(
                CpiContext::new_with_signer(
                    system,
                    CreateAccount {
                        from: accounts.payer.to_account_info(),
                        to: accounts.dc_mint.to_account_info(),
                    },
                    &[dc_mint_seeds],
                ),
                rent,
                space as u64,
                &token_2022,
            )?;
        } else {
            // Anyone can send lamports to the PDA first, which makes
            // `create_account` fail forever: top it up, then allocate and
            // assign it with the PDA's seeds instead (as Anchor's `init`).
            let top_up = rent.saturating_sub(funded);
            if top_up > 0 {
                system_program::transfer(
                    CpiContext::new(
                        system,
                        Transfer {
                            from: accounts.payer.to_account_info(),
                            to: accounts.dc_mint.to_account_info(),
                        },
                    ),
                    top_up,
                )?;
            }
            system_program::allocate(
                CpiContext::new_with_signer(
                    system,
                    Allocate {
                        account_to_allocate: accounts.dc_mint.to_account_info(),
                    },
                    &[dc_mint_seeds],
                ),
                space as u64,
            )?;
            system_program::assign(
                CpiContext::new_with_signer(
                    system,
                    Assign {
                        account_to_assign: accounts.dc_mint.to_account_info(),
                    },
                    &[dc_mint_seeds],
                ),
                &token_2022,
            )?;
        }
        non_transferable_mint_initialize(CpiContext::new(
            token_2022,
            NonTransferableMintInitialize {
                token_program_id: accounts.token_2022_program.to_account_info(),
                mint: accounts.dc_mint.to_account_info(),
            },
        ))?;
        token_interface::initialize_mint2(
            CpiContext::new(
                token_2022,
                InitializeMint2 {
                    mint: accounts.dc_mint.to_account_info(),
                },
            ),
            DC_DECIMALS,
            &config_key,
            None,
        )?;

        let event = RewardsInitialized {
            authority: args.authority,
            token_mint: accounts.token_mint.key(),
            dc_mint: accounts.dc_mint.key(),
            treasury: accounts.treasury.key(),
            first_epoch: args.first_epoch,
        };
        let config = RewardsConfig {
            authority: args.authority,
            bump: ctx.bumps.config,
            token_mint: accounts.token_mint.key(),
            dc_mint: accounts.dc_mint.key(),
            device_pool: accounts.device_pool.key(),
            oracle_pool: accounts.oracle_pool.key(),
            treasury: accounts.treasury.key(),
            token_decimals: args.token_decimals,
            max_supply: args.max_supply,
            schedule: args.schedule,
            net_emission_smoothing_epochs: args.net_emission_smoothing_epochs,
            net_emission_cap: args.net_emission_cap,
            price_discount_bps: args.price_discount_bps,
            token_breaker: CircuitBreaker::new(args.token_breaker),
            dc_breaker: CircuitBreaker::new(args.dc_breaker),
            next_epoch: args.first_epoch,
            claim_epoch_floor: 0,
            tokens_minted: 0,
            tokens_burned: 0,
            tokens_reemitted: 0,
            device_issued: 0,
            device_claimed: 0,
            oracle_issued: 0,
            oracle_claimed: 0,
            treasury_issued: 0,
            dc_minted: 0,
            dc_burned: 0,
            dc_burned_by_purpose: [0; UsagePurpose::COUNT],
            recent: vec![EpochFlow::default(); EPOCH_RING],
            oracle_swept: 0,
            pause: Default::default(),
        };
        config.invariant()?;
        ctx.accounts.config.set_inner(config);
        emit_cpi!(event);
        Ok(())
    }
}
