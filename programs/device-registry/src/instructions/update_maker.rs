use {
    crate::{
        constants::*,
        error::RegistryError,
        events::MakerUpdated,
        seeds::{SEED_CONFIG, SEED_MAKER},
        state::*,
    },
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct UpdateMakerArgs {
    pub name: String,
    pub device_quota: Option<u64>,
    /// `false` revokes the maker: it can no longer attest devices. Devices it
    /// attested earlier stay registered.
    pub approved: bool,
}

/// Renames, re-quotas, revokes or re-approves a maker.
///
/// Checks: the authority signs; the name is valid. A quota below the devices
/// already onboarded is allowed (it stops further onboarding).
/// Emits `MakerUpdated`.
///
/// Attack surface: only the authority (`has_one` on the config PDA, stored
/// canonical bump). The maker is owner/type-checked by `Account<Maker>` and
/// must sit at `[SEED_MAKER, maker.maker_key]` with its stored bump. The name
/// bound keeps the account within its space; the maker's key and id never
/// change.
#[event_cpi]
#[derive(Accounts)]
pub struct UpdateMaker<'info> {
    pub authority: Signer<'info>,
    #[account(
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ RegistryError::NotAuthority,
    )]
    pub config: Box<Account<'info, RegistryConfig>>,
    #[account(
        mut,
        seeds = [SEED_MAKER, maker.maker_key.as_ref()],
        bump = maker.bump,
    )]
    pub maker: Box<Account<'info, Maker>>,
}

impl UpdateMaker<'_> {
    pub fn validate(&self, args: &UpdateMakerArgs) -> Result<()> {
        require!(
            is_valid_name(&args.name, MAX_MAKER_NAME_LEN),
            RegistryError::InvalidName
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: UpdateMakerArgs) -> Result<()> {
        let maker = &mut ctx.accounts.maker;
        maker.name = args.name;
        maker.device_quota = args.device_quota;
        maker.approved = args.approved;
        maker.invariant()?;
        emit_cpi!(MakerUpdated {
            maker_key: maker.maker_key,
            maker_id: maker.id,
            name: maker.name.clone(),
            device_quota: maker.device_quota,
            approved: maker.approved,
        });
        Ok(())
    }
}
