use {
    super::{mint_tokens, now},
    crate::{error::RewardsError, events::EpochIssued, seeds::*, state::*},
    anchor_lang::prelude::*,
    anchor_spl::token::{Mint, Token, TokenAccount},
    proof_oracle::state::OracleConfig,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct IssueEpochArgs {
    pub epoch: u64,
}

/// Issues one epoch: its scheduled emission plus net emission (burned
/// tokens re-emitted), capped by the maximum supply, split among the device
/// pool, the oracle pool and the treasury. A permissionless crank.
///
/// Checks: `epoch` is the next unissued epoch (so each epoch is issued
/// once, in order) and has ended on the oracle clock; the token breaker
/// allows the amount. Effects: mints into the three accounts, records the
/// epoch in a new `EpochRewards` account, advances `next_epoch`. Emits
/// `EpochIssued`.
///
/// Attack surface: a permissionless crank; the payer signs only to fund the
/// `EpochRewards` account. Trusted accounts: the config PDA (stored canonical
/// bump); the epoch-rewards PDA `[SEED_EPOCH_REWARDS, epoch]`
/// (`init_if_needed`, canonical bump; it is rolled back with the transaction
/// when a check fails); `oracle_config` by owner and type (the oracle
/// program's single config); the token mint, pools and treasury by `address =`
/// against the config. Bounds: exactly `next_epoch`, once it has ended on the
/// oracle clock; the token breaker over its trailing window; the maximum
/// supply; the `Issuance` pause.
#[event_cpi]
#[derive(Accounts)]
#[instruction(args: IssueEpochArgs)]
pub struct IssueEpoch<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(mut, seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, RewardsConfig>>,
    // `init_if_needed` so that a second issuance reaches `validate` and
    // fails there with `EpochAlreadyIssued`; an account for `next_epoch`
    // never exists before that epoch is issued.
    #[account(
        init_if_needed,
        payer = payer,
        space = EpochRewards::SPACE,
        seeds = [SEED_EPOCH_REWARDS, args.epoch.to_le_bytes().as_ref()],
        bump,
    )]
    pub epoch_rewards: Box<Account<'info, EpochRewards>>,
    pub oracle_config: Box<Account<'info, OracleConfig>>,
    #[account(mut, address = config.token_mint @ RewardsError::WrongMint)]
    pub token_mint: Box<Account<'info, Mint>>,
    #[account(mut, address = config.device_pool)]
    pub device_pool: Box<Account<'info, TokenAccount>>,
    #[account(mut, address = config.oracle_pool)]
    pub oracle_pool: Box<Account<'info, TokenAccount>>,
    #[account(mut, address = config.treasury)]
    pub treasury: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

impl IssueEpoch<'_> {
    pub fn validate(&self, args: &IssueEpochArgs) -> Result<()> {
        self.config.require_running(PauseScope::Issuance, now()?)?;
        require!(
            args.epoch >= self.config.next_epoch,
            RewardsError::EpochAlreadyIssued
        );
        require!(
            args.epoch == self.config.next_epoch,
            RewardsError::EpochNotNext
        );
        let epoch_end = self
            .oracle_config
            .epoch_end(args.epoch)
            .map_err(|_| error!(RewardsError::Overflow))?;
        require!(now()? >= epoch_end, RewardsError::EpochNotEnded);
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: IssueEpochArgs) -> Result<()> {
        let timestamp = now()?;
        let accounts = &mut *ctx.accounts;
        let config = &mut accounts.config;
        let epoch = args.epoch;

        let entry = schedule_entry(&config.schedule, epoch).copied();
        let scheduled = entry.map_or(0, |entry| entry.tokens_per_epoch);
        let split = entry.map_or(
            Split {
                devices_bps: 0,
                oracles_bps: 0,
                treasury_bps: 10_000,
            },
            |entry| entry.split,
        );
        let headroom = config.supply_headroom();
        let emission = scheduled.min(headroom);
        let reemission = config.net_emission(epoch).min(headroom - emission);
        let total = emission
            .checked_add(reemission)
            .ok_or(RewardsError::Overflow)?;
        config.token_breaker.record(timestamp, total)?;
        let amounts = split.apply(total)?;

        add_to(&mut config.tokens_minted, total)?;
        add_to(&mut config.tokens_reemitted, reemission)?;
        add_to(&mut config.device_issued, amounts.devices)?;
        add_to(&mut config.oracle_issued, amounts.oracles)?;
        add_to(&mut config.treasury_issued, amounts.treasury)?;
        config.next_epoch = epoch.checked_add(1).ok_or(RewardsError::Overflow)?;
        let flow = config.flow(epoch);

        let config = &accounts.config;
        for (destination, amount) in [
            (&accounts.device_pool, amounts.devices),
            (&accounts.oracle_pool, amounts.oracles),
            (&accounts.treasury, amounts.treasury),
        ] {
            mint_tokens(
                &accounts.token_program,
                &accounts.token_mint,
                destination,
                config,
                amount,
            )?;
        }
        accounts.token_mint.reload()?;
        config.invariant()?;
        config.supply_invariant(accounts.token_mint.supply, None)?;

        let epoch_rewards = &mut accounts.epoch_rewards;
        epoch_rewards.set_inner(EpochRewards {
            epoch,
            bump: ctx.bumps.epoch_rewards,
            issued_at: timestamp,
            emission,
            reemission,
            devices: amounts.devices,
            oracles: amounts.oracles,
            treasury: amounts.treasury,
            tokens_burned: flow.tokens_burned,
            dc_minted: flow.dc_minted,
            dc_burned: flow.dc_burned,
            oracle_paid: 0,
            oracle_claimed_mask: 0,
            oracle_swept: 0,
        });
        epoch_rewards.invariant()?;
        let event = EpochIssued {
            epoch,
            emission,
            reemission,
            devices: amounts.devices,
            oracles: amounts.oracles,
            treasury: amounts.treasury,
            tokens_burned: flow.tokens_burned,
            supply: accounts.token_mint.supply,
        };
        emit_cpi!(event);
        Ok(())
    }
}
