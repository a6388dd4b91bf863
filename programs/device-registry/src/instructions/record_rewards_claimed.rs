use {
    crate::{
        error::RegistryError,
        seeds::{SEED_CONFIG, SEED_DEVICE},
        state::*,
    },
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct RecordRewardsClaimedArgs {
    /// The device's new cumulative total of rewards paid.
    pub total: u64,
}

/// Records that a device has now been paid `total` rewards in all. Called
/// by the rewards program (through CPI, signed by its PDA) as it pays a
/// claim, so the total lives in the device account that exists anyway.
///
/// Checks: the registry's `rewards_authority` signs; the total grows.
/// Effects: sets `Device::rewards_claimed`. The rewards program emits the
/// claim event (with the total), so this instruction emits none.
///
/// Attack surface: only `RegistryConfig::rewards_authority` signs (`has_one`
/// on the config PDA, stored canonical bump): in a deployment the rewards
/// program's config PDA, which only that program can sign for (in
/// `claim_rewards`); while no rewards program is attached it is the default
/// address, which no one can sign for. The device is any device account at its
/// PDA (stored bump). Bound: the total strictly grows, so a replayed or
/// reordered call cannot lower it; the amount itself is the rewards program's
/// to check.
#[derive(Accounts)]
pub struct RecordRewardsClaimed<'info> {
    pub rewards_authority: Signer<'info>,
    #[account(
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = rewards_authority @ RegistryError::NotRewardsAuthority,
    )]
    pub config: Box<Account<'info, RegistryConfig>>,
    #[account(
        mut,
        seeds = [SEED_DEVICE, device.device_key.as_ref()],
        bump = device.bump,
    )]
    pub device: Box<Account<'info, Device>>,
}

impl RecordRewardsClaimed<'_> {
    pub fn validate(&self, args: &RecordRewardsClaimedArgs) -> Result<()> {
        require!(
            args.total > self.device.rewards_claimed,
            RegistryError::RewardsNotIncreasing
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: RecordRewardsClaimedArgs) -> Result<()> {
        let device = &mut ctx.accounts.device;
        device.rewards_claimed = args.total;
        device.invariant()
    }
}
