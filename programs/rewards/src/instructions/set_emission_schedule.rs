use {
    super::now,
    crate::{error::RewardsError, events::EmissionScheduleSet, seeds::SEED_CONFIG, state::*},
    anchor_lang::prelude::*,
    proof_oracle::state::OracleConfig,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct SetEmissionScheduleArgs {
    pub schedule: Vec<ScheduleEntry>,
}

/// Replaces the emission schedule. Changes take effect from the next epoch:
/// the new schedule must issue exactly what the old one did for every epoch
/// already issued and for the epoch running now.
///
/// Checks: the authority signs; 1..=16 entries with increasing starts;
/// splits sum to 10,000; no retroactive change. Emits `EmissionScheduleSet`.
///
/// Attack surface: only the authority (`has_one` on the config PDA, stored
/// canonical bump). `oracle_config` is owner/type-checked by
/// `Account<OracleConfig>` (the oracle program creates that type only at its
/// config PDA, so it is the one clock). Bounds: 1..=16 entries (fixed config
/// space), increasing starts, splits of 10,000 bps; the new schedule equals
/// the old one through `max(running epoch, last issued epoch)`.
#[event_cpi]
#[derive(Accounts)]
pub struct SetEmissionSchedule<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = authority @ RewardsError::NotAuthority,
    )]
    pub config: Box<Account<'info, RewardsConfig>>,
    pub oracle_config: Box<Account<'info, OracleConfig>>,
}

impl SetEmissionSchedule<'_> {
    pub fn validate(&self, args: &SetEmissionScheduleArgs) -> Result<()> {
        validate_schedule(&args.schedule)?;
        let running = self.oracle_config.current_epoch(now()?);
        let issued = self.config.next_epoch.checked_sub(1);
        if let Some(last_fixed) = running.max(issued) {
            require!(
                schedules_agree_through(&self.config.schedule, &args.schedule, last_fixed),
                RewardsError::RetroactiveScheduleChange
            );
        }
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: SetEmissionScheduleArgs) -> Result<()> {
        let config = &mut ctx.accounts.config;
        config.schedule = args.schedule;
        config.invariant()?;
        emit_cpi!(EmissionScheduleSet {
            schedule: config.schedule.clone(),
        });
        Ok(())
    }
}
