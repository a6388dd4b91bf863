use {
    super::now,
    crate::{error::RegistryError, events::RewardsRecipientSet, seeds::SEED_DEVICE, state::*},
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct SetRewardsRecipientArgs {
    /// The wallet the device's rewards are attributed to from the next
    /// epoch the oracles close; the owner's own address resets it.
    pub recipient: Pubkey,
}

/// Points a device's rewards at another wallet (a fleet's treasury, a
/// payout wallet). The oracles attribute each epoch's device rewards to the
/// recipient recorded when the epoch closes; a transfer resets it to the
/// new owner.
///
/// Checks: the owner signs; the recipient is not the default address and
/// differs from the current one. Emits `RewardsRecipientSet`.
///
/// Attack surface: only the owner (`has_one` on the device PDA, stored
/// bump). The recipient does not sign: pointing rewards at a wallet only
/// ever gives to it. The default address is refused (no one could claim
/// for it, so the rewards would be stranded).
#[event_cpi]
#[derive(Accounts)]
pub struct SetRewardsRecipient<'info> {
    pub owner: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_DEVICE, device.device_key.as_ref()],
        bump = device.bump,
        has_one = owner @ RegistryError::NotDeviceOwner,
    )]
    pub device: Box<Account<'info, Device>>,
}

impl SetRewardsRecipient<'_> {
    pub fn validate(&self, args: &SetRewardsRecipientArgs) -> Result<()> {
        require!(
            args.recipient != Pubkey::default(),
            RegistryError::InvalidRewardsRecipient
        );
        require!(
            args.recipient != self.device.rewards_recipient,
            RegistryError::RewardsRecipientUnchanged
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: SetRewardsRecipientArgs) -> Result<()> {
        let timestamp = now()?;
        let device = &mut ctx.accounts.device;
        let previous = device.rewards_recipient;
        device.rewards_recipient = args.recipient;
        device.updated_at = timestamp;
        device.invariant()?;
        emit_cpi!(RewardsRecipientSet {
            device_key: device.device_key,
            serial: device.serial,
            owner: device.owner,
            previous,
            recipient: args.recipient,
            timestamp,
        });
        Ok(())
    }
}
