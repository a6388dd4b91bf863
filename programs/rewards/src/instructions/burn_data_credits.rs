use {
    super::now,
    crate::{error::RewardsError, events::DataCreditsBurned, seeds::SEED_CONFIG, state::*},
    anchor_lang::prelude::*,
    anchor_spl::{
        token_2022::Token2022,
        token_interface::{self, Burn, Mint, TokenAccount},
    },
    proof_oracle::state::OracleConfig,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct BurnDataCreditsArgs {
    pub amount: u64,
    pub purpose: UsagePurpose,
}

/// Spends data credits on network usage.
///
/// Checks: the owner signs and holds the credits. Effects: burns them and
/// counts them for the current epoch and the purpose. Emits
/// `DataCreditsBurned`.
///
/// Attack surface: the owner signs as the burn authority of `source`, an
/// account of the data-credit mint (`address =` against the config) that it
/// owns. `oracle_config` is trusted by owner and type and only supplies the
/// epoch number for the statistics. Bound: `0 < amount ≤ balance`. Not behind
/// a pause switch.
#[event_cpi]
#[derive(Accounts)]
pub struct BurnDataCredits<'info> {
    pub owner: Signer<'info>,
    #[account(mut, seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, RewardsConfig>>,
    pub oracle_config: Box<Account<'info, OracleConfig>>,
    #[account(mut, address = config.dc_mint @ RewardsError::WrongMint)]
    pub dc_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        mut,
        constraint = source.mint == dc_mint.key() @ RewardsError::WrongMint,
        constraint = source.owner == owner.key() @ RewardsError::WrongDestinationOwner,
    )]
    pub source: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_2022_program: Program<'info, Token2022>,
}

impl BurnDataCredits<'_> {
    pub fn validate(&self, args: &BurnDataCreditsArgs) -> Result<()> {
        require!(args.amount > 0, RewardsError::ZeroAmount);
        require!(
            self.source.amount >= args.amount,
            RewardsError::InsufficientBalance
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: BurnDataCreditsArgs) -> Result<()> {
        let timestamp = now()?;
        let accounts = &mut *ctx.accounts;
        let epoch = accounts.oracle_config.current_epoch(timestamp).unwrap_or(0);
        let config = &mut accounts.config;
        add_to(&mut config.dc_burned, args.amount)?;
        add_to(
            &mut config.dc_burned_by_purpose[args.purpose.index()],
            args.amount,
        )?;
        let flow = config.flow_mut(epoch);
        add_to(&mut flow.dc_burned, args.amount)?;

        token_interface::burn(
            CpiContext::new(
                accounts.token_2022_program.key(),
                Burn {
                    mint: accounts.dc_mint.to_account_info(),
                    from: accounts.source.to_account_info(),
                    authority: accounts.owner.to_account_info(),
                },
            ),
            args.amount,
        )?;
        accounts.dc_mint.reload()?;
        let config = &accounts.config;
        config.invariant()?;
        require!(
            accounts.dc_mint.supply <= config.dc_minted - config.dc_burned,
            RewardsError::InvariantViolated
        );
        let event = DataCreditsBurned {
            owner: accounts.owner.key(),
            epoch,
            amount: args.amount,
            purpose: args.purpose,
        };
        emit_cpi!(event);
        Ok(())
    }
}
