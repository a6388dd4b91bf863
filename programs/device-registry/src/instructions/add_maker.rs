use {
    crate::{
        constants::*,
        error::RegistryError,
        events::MakerAdded,
        seeds::{SEED_CONFIG, SEED_MAKER},
        state::*,
    },
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct AddMakerArgs {
    /// The key that will co-sign this maker's registrations.
    pub maker_key: Pubkey,
    pub name: String,
    /// Most devices the maker may attest; `None` is unlimited.
    pub device_quota: Option<u64>,
}

/// Approves a maker.
///
/// Checks: the authority signs; the name is 1..=32 bytes; the maker key is
/// not already a maker (the PDA exists). Effects: maker created approved,
/// with the next maker id. Emits `MakerAdded`.
///
/// Attack surface: the payer (rent) and the authority (`has_one` on the config
/// PDA, stored canonical bump) sign; the maker key itself need not sign. The
/// maker account is `init` at `[SEED_MAKER, maker_key]` with the canonical
/// bump found by Anchor and stored, so a key is approved at most once. The
/// name bound (1..=32 bytes) fits the fixed account; the name is never a seed.
#[event_cpi]
#[derive(Accounts)]
#[instruction(args: AddMakerArgs)]
pub struct AddMaker<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ RegistryError::NotAuthority,
    )]
    pub config: Box<Account<'info, RegistryConfig>>,
    #[account(
        init,
        payer = payer,
        space = Maker::SPACE,
        seeds = [SEED_MAKER, args.maker_key.as_ref()],
        bump,
    )]
    pub maker: Box<Account<'info, Maker>>,
    pub system_program: Program<'info, System>,
}

impl AddMaker<'_> {
    pub fn validate(&self, args: &AddMakerArgs) -> Result<()> {
        require!(
            is_valid_name(&args.name, MAX_MAKER_NAME_LEN),
            RegistryError::InvalidName
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: AddMakerArgs) -> Result<()> {
        let config = &mut ctx.accounts.config;
        config.makers = config
            .makers
            .checked_add(1)
            .ok_or(RegistryError::Overflow)?;
        let maker = &mut ctx.accounts.maker;
        maker.set_inner(Maker {
            maker_key: args.maker_key,
            id: config.makers,
            approved: true,
            device_quota: args.device_quota,
            devices_onboarded: 0,
            bump: ctx.bumps.maker,
            name: args.name.clone(),
        });
        maker.invariant()?;
        config.invariant()?;
        emit_cpi!(MakerAdded {
            maker_key: args.maker_key,
            maker_id: maker.id,
            name: args.name,
            device_quota: args.device_quota,
        });
        Ok(())
    }
}
