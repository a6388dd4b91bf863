use {
    crate::{constants::*, error::RewardsError},
    anchor_lang::prelude::*,
    depin_pause::{PauseError, PauseState},
};

/// What the pause switch of the rewards program can stop, one bit each in a
/// pause mask.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum PauseScope {
    /// `issue_epoch`.
    Issuance = 0,
    /// `claim_rewards`.
    DeviceClaims = 1,
    /// `claim_oracle_rewards`.
    OracleClaims = 2,
    /// `mint_data_credits`.
    CreditPurchases = 3,
}

impl PauseScope {
    pub const COUNT: u8 = 4;
    pub const ALL: u8 = (1 << Self::COUNT) - 1;

    pub fn bit(self) -> u8 {
        1 << self as u8
    }

    fn paused_error(self) -> RewardsError {
        match self {
            Self::Issuance => RewardsError::IssuancePaused,
            Self::DeviceClaims => RewardsError::DeviceClaimsPaused,
            Self::OracleClaims => RewardsError::OracleClaimsPaused,
            Self::CreditPurchases => RewardsError::CreditPurchasesPaused,
        }
    }
}

/// The rewards program's error for a refused pause operation.
pub fn pause_error(error: PauseError) -> Error {
    match error {
        PauseError::InvalidScopes => error!(RewardsError::InvalidPauseScopes),
        PauseError::NotAuthorityOrGuardian => error!(RewardsError::NotAuthorityOrGuardian),
        PauseError::GuardianSpent => error!(RewardsError::GuardianSpent),
        PauseError::InvalidGuardianPause => error!(RewardsError::InvalidGuardianPause),
    }
}

/// One step of the emission schedule: from `start_epoch` on (until the next
/// entry), each epoch issues `tokens_per_epoch`, split in basis points.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, InitSpace, Debug)]
pub struct ScheduleEntry {
    pub start_epoch: u64,
    pub tokens_per_epoch: u64,
    pub split: Split,
}

/// Shares of an epoch's issuance, in basis points summing to 10,000.
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, InitSpace, Debug, Default,
)]
pub struct Split {
    pub devices_bps: u16,
    pub oracles_bps: u16,
    pub treasury_bps: u16,
}

/// Amounts of one issuance after the split.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct SplitAmounts {
    pub devices: u64,
    pub oracles: u64,
    pub treasury: u64,
}

/// Bounds the amount minted in any trailing window of `window_seconds`.
///
/// The window is cut into `BREAKER_SLOTS - 1` slots of `ceil(window / 8)`
/// seconds; `slots` holds the amounts of the current slot and the eight
/// before it, which together span at least one full window before now. A
/// mint passes only if that sum plus the mint stays within `limit`, so no
/// trailing window ever holds more than `limit` (it may refuse slightly
/// early, never late).
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, InitSpace, Debug, Default,
)]
pub struct CircuitBreaker {
    pub window_seconds: i64,
    pub limit: u64,
    /// Slot number (`now / slot_seconds`) of the newest entry in `slots`.
    pub current_slot: u64,
    /// Minted per slot, indexed by `slot % BREAKER_SLOTS`.
    pub slots: [u64; BREAKER_SLOTS],
}

/// Parameters of a breaker, as set by the authority.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug)]
pub struct BreakerParams {
    pub window_seconds: i64,
    pub limit: u64,
}

/// Burn-and-mint flows of one epoch (a ring of the last `EPOCH_RING`).
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, InitSpace, Debug, Default,
)]
pub struct EpochFlow {
    pub epoch: u64,
    /// Network tokens burned for data credits.
    pub tokens_burned: u64,
    pub dc_minted: u64,
    /// Data credits burned through `burn_data_credits`.
    pub dc_burned: u64,
}

/// What data credits were spent on (`burn_data_credits`). Onboarding and
/// location fees are burned by the device registry itself.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug)]
pub enum UsagePurpose {
    DataTransfer,
    Storage,
    Compute,
    Other,
}

impl UsagePurpose {
    pub const COUNT: usize = 4;

    pub fn index(self) -> usize {
        match self {
            Self::DataTransfer => 0,
            Self::Storage => 1,
            Self::Compute => 2,
            Self::Other => 3,
        }
    }
}

/// What one recipient wallet has been paid for device rewards, at
/// `[SEED_RECIPIENT, wallet]`: created by the wallet's first claim (paid by
/// whoever submits it), then only ever raised.
#[account]
#[derive(InitSpace, Debug)]
pub struct RecipientRecord {
    pub recipient: Pubkey,
    /// Network tokens paid so far; a claim pays its batch's cumulative
    /// amount minus this.
    pub claimed: u64,
    pub bump: u8,
}

impl RecipientRecord {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    pub fn invariant(&self) -> Result<()> {
        require!(
            self.recipient != Pubkey::default(),
            crate::error::RewardsError::InvariantViolated
        );
        Ok(())
    }
}

/// The rewards configuration and ledger, at `[SEED_CONFIG]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct RewardsConfig {
    /// Changes the schedule, treasury, breakers and prices; the DAO later.
    pub authority: Pubkey,
    pub bump: u8,
    pub token_mint: Pubkey,
    pub dc_mint: Pubkey,
    pub device_pool: Pubkey,
    pub oracle_pool: Pubkey,
    /// Token account that receives the treasury share.
    pub treasury: Pubkey,
    pub token_decimals: u8,
    /// Hard cap on the network token's supply; `None` is uncapped.
    pub max_supply: Option<u64>,
    #[max_len(MAX_SCHEDULE_ENTRIES)]
    pub schedule: Vec<ScheduleEntry>,
    /// Net emissions re-emit `ceil(backlog / smoothing_epochs)` per epoch...
    pub net_emission_smoothing_epochs: u16,
    /// ...but at most this many tokens per epoch.
    pub net_emission_cap: u64,
    /// Data credits are priced at the oracle median minus this discount.
    pub price_discount_bps: u16,
    /// Network tokens minted by `issue_epoch`.
    pub token_breaker: CircuitBreaker,
    /// Data credits minted by `mint_data_credits`.
    pub dc_breaker: CircuitBreaker,
    /// The next epoch `issue_epoch` accepts; epochs are issued in order.
    pub next_epoch: u64,
    /// Claims must use a batch of at least this epoch: the newest one
    /// anyone has claimed against (cumulative amounts only grow).
    pub claim_epoch_floor: u64,
    /// Network tokens minted (scheduled emissions and re-emissions).
    pub tokens_minted: u64,
    /// Network tokens burned for data credits.
    pub tokens_burned: u64,
    /// Burned tokens issued again as net emissions.
    pub tokens_reemitted: u64,
    pub device_issued: u64,
    pub device_claimed: u64,
    pub oracle_issued: u64,
    pub oracle_claimed: u64,
    pub treasury_issued: u64,
    pub dc_minted: u64,
    /// Data credits burned through `burn_data_credits`, in total and per
    /// `UsagePurpose`.
    pub dc_burned: u64,
    pub dc_burned_by_purpose: [u64; UsagePurpose::COUNT],
    /// Always `EPOCH_RING` entries. A vector, not an array: deserializing
    /// the config must fit SBF's 4 KiB stack frame, and the ring is most of
    /// its size.
    #[max_len(EPOCH_RING)]
    pub recent: Vec<EpochFlow>,
    /// Oracle-pool tokens no oracle can ever claim (shares of rejected or
    /// expired epochs, split dust), swept to the treasury.
    pub oracle_swept: u64,
    /// Pause switches of `PauseScope`, and the guardian.
    pub pause: PauseState,
}

/// What one epoch issued, at `[SEED_EPOCH_REWARDS, epoch]`. Its existence
/// is what makes `issue_epoch` run once per epoch.
#[account]
#[derive(InitSpace, Debug)]
pub struct EpochRewards {
    pub epoch: u64,
    pub bump: u8,
    pub issued_at: i64,
    /// From the schedule (after the supply cap).
    pub emission: u64,
    /// Net emission: burned tokens issued again.
    pub reemission: u64,
    pub devices: u64,
    pub oracles: u64,
    pub treasury: u64,
    /// Flows of the epoch, as recorded when it was issued.
    pub tokens_burned: u64,
    pub dc_minted: u64,
    pub dc_burned: u64,
    /// Oracle share paid so far, and which batch votes (by index) took it.
    pub oracle_paid: u64,
    pub oracle_claimed_mask: u16,
    /// Oracle share swept to the treasury as unclaimable.
    pub oracle_swept: u64,
}

/// Adds `amount` to a ledger counter, failing with `Overflow` instead of
/// wrapping.
pub fn add_to(counter: &mut u64, amount: u64) -> Result<()> {
    *counter = counter.checked_add(amount).ok_or(RewardsError::Overflow)?;
    Ok(())
}

/// Checks a schedule: 1..=16 entries, increasing start epochs, each split
/// summing to 10,000.
pub fn validate_schedule(schedule: &[ScheduleEntry]) -> Result<()> {
    require!(
        !schedule.is_empty() && schedule.len() <= MAX_SCHEDULE_ENTRIES,
        RewardsError::InvalidSchedule
    );
    require!(
        schedule
            .windows(2)
            .all(|pair| pair[0].start_epoch < pair[1].start_epoch),
        RewardsError::InvalidSchedule
    );
    for entry in schedule {
        entry.split.validate()?;
    }
    Ok(())
}

/// The entry in force at `epoch`, if the schedule has started.
pub fn schedule_entry(schedule: &[ScheduleEntry], epoch: u64) -> Option<&ScheduleEntry> {
    schedule
        .iter()
        .rev()
        .find(|entry| entry.start_epoch <= epoch)
}

/// Whether two schedules issue the same at every epoch up to `last`
/// inclusive. Both are step functions changing only at their entries'
/// start epochs, so comparing at epoch 0 and at each start ≤ `last` covers
/// every epoch in the range.
pub fn schedules_agree_through(old: &[ScheduleEntry], new: &[ScheduleEntry], last: u64) -> bool {
    core::iter::once(0)
        .chain(old.iter().chain(new.iter()).map(|entry| entry.start_epoch))
        .filter(|epoch| *epoch <= last)
        .all(|epoch| schedule_entry(old, epoch) == schedule_entry(new, epoch))
}

impl Split {
    pub fn validate(&self) -> Result<()> {
        let sum = u64::from(self.devices_bps)
            + u64::from(self.oracles_bps)
            + u64::from(self.treasury_bps);
        require!(sum == BPS, RewardsError::InvalidSplit);
        Ok(())
    }

    /// Splits `amount`: devices and oracles get their shares rounded down,
    /// the treasury the rest, so the parts always add up to `amount`.
    pub fn apply(&self, amount: u64) -> Result<SplitAmounts> {
        let share = |bps: u16| -> Result<u64> {
            u64::try_from(u128::from(amount) * u128::from(bps) / u128::from(BPS))
                .map_err(|_| error!(RewardsError::Overflow))
        };
        let devices = share(self.devices_bps)?;
        let oracles = share(self.oracles_bps)?;
        let treasury = amount
            .checked_sub(devices)
            .and_then(|rest| rest.checked_sub(oracles))
            .ok_or(RewardsError::Overflow)?;
        Ok(SplitAmounts {
            devices,
            oracles,
            treasury,
        })
    }
}

impl BreakerParams {
    pub fn validate(&self) -> Result<()> {
        require!(
            self.window_seconds > 0 && self.window_seconds <= MAX_BREAKER_WINDOW,
            RewardsError::InvalidParameter
        );
        Ok(())
    }
}

impl CircuitBreaker {
    pub fn new(params: BreakerParams) -> Self {
        Self {
            window_seconds: params.window_seconds,
            limit: params.limit,
            current_slot: 0,
            slots: [0; BREAKER_SLOTS],
        }
    }

    /// Changes window and limit at `now`. Nothing recorded is forgotten
    /// early: with a new window, each remembered slot's amount moves to the
    /// new slot holding the *last* second the old slot covered (capped at
    /// `now`), so every amount still counts for at least as long as it did,
    /// and a trailing window of the new length that ends after the change
    /// counts every mint the old breaker still held. Amounts whose latest
    /// possible second is older than a whole new window are dropped: no
    /// trailing window of the new length can contain them.
    pub fn set(&mut self, params: BreakerParams, now: i64) {
        if params.window_seconds != self.window_seconds {
            let mut moved = Self::new(params);
            moved.current_slot = moved.slot_at(now);
            let newest_index = (self.current_slot % BREAKER_SLOTS as u64) as usize;
            let old_slot_seconds = self.slot_seconds();
            let now_slot = self.slot_at(now);
            for (index, amount) in self.slots.iter().enumerate() {
                if *amount == 0 || !self.holds(index, now_slot) {
                    continue;
                }
                let behind = ((newest_index + BREAKER_SLOTS - index) % BREAKER_SLOTS) as u64;
                let Some(slot) = self.current_slot.checked_sub(behind) else {
                    continue;
                };
                // Last second of the old slot; slot < 2^63 / slot_seconds.
                let slot_end = i64::try_from(slot.saturating_add(1))
                    .ok()
                    .and_then(|next| next.checked_mul(old_slot_seconds))
                    .map_or(i64::MAX, |start| start - 1);
                let latest = slot_end.min(now);
                let new_slot = moved.slot_at(latest);
                if moved.current_slot - new_slot < BREAKER_SLOTS as u64 {
                    let target = (new_slot % BREAKER_SLOTS as u64) as usize;
                    moved.slots[target] = moved.slots[target].saturating_add(*amount);
                }
            }
            self.slots = moved.slots;
            self.current_slot = moved.current_slot;
        }
        self.window_seconds = params.window_seconds;
        self.limit = params.limit;
    }

    fn slot_seconds(&self) -> i64 {
        let parts = (BREAKER_SLOTS - 1) as u64;
        // window_seconds is in 1..=MAX_BREAKER_WINDOW (invariant); unsigned
        // division because SBPF has no signed one.
        let window = self.window_seconds.unsigned_abs().max(1);
        window.div_ceil(parts) as i64
    }

    /// Minted in the last window as of `now` (the current slot and the
    /// eight before it).
    pub fn window_total(&self, now: i64) -> u64 {
        let slot = self.slot_at(now);
        self.slots
            .iter()
            .enumerate()
            .filter(|(index, _)| self.holds(*index, slot))
            .fold(0u64, |total, (_, amount)| total.saturating_add(*amount))
    }

    fn slot_at(&self, now: i64) -> u64 {
        now.max(0).unsigned_abs() / self.slot_seconds().unsigned_abs()
    }

    /// Whether ring index `index` holds a slot in `slot - 8 ..= slot`.
    fn holds(&self, index: usize, slot: u64) -> bool {
        if slot < self.current_slot {
            // Clock went backwards (cannot on a cluster): keep everything.
            return true;
        }
        let age_of_newest = slot - self.current_slot;
        let newest_index = (self.current_slot % BREAKER_SLOTS as u64) as usize;
        let behind_newest = (newest_index + BREAKER_SLOTS - index) % BREAKER_SLOTS;
        (behind_newest as u64).saturating_add(age_of_newest) < BREAKER_SLOTS as u64
    }

    /// Records a mint of `amount` at `now`, or fails if it would lift the
    /// window's total above the limit.
    pub fn record(&mut self, now: i64, amount: u64) -> Result<()> {
        let slot = self.slot_at(now);
        let total = self
            .window_total(now)
            .checked_add(amount)
            .ok_or(RewardsError::CircuitBreakerTripped)?;
        require!(total <= self.limit, RewardsError::CircuitBreakerTripped);
        if slot > self.current_slot {
            for index in 0..BREAKER_SLOTS {
                if !self.holds(index, slot) {
                    self.slots[index] = 0;
                }
            }
            self.current_slot = slot;
        }
        let index = (slot.max(self.current_slot) % BREAKER_SLOTS as u64) as usize;
        self.slots[index] = self.slots[index]
            .checked_add(amount)
            .ok_or(RewardsError::Overflow)?;
        Ok(())
    }
}

impl RewardsConfig {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    pub fn signer_seeds(&self) -> [&[u8]; 2] {
        [crate::seeds::SEED_CONFIG, core::slice::from_ref(&self.bump)]
    }

    /// The flow record of `epoch`, reset if its ring slot held an older
    /// epoch.
    pub fn flow_mut(&mut self, epoch: u64) -> &mut EpochFlow {
        let slot = &mut self.recent[(epoch % EPOCH_RING as u64) as usize];
        if slot.epoch != epoch {
            *slot = EpochFlow {
                epoch,
                ..EpochFlow::default()
            };
        }
        slot
    }

    /// The flow record of `epoch` if the ring still holds it.
    pub fn flow(&self, epoch: u64) -> EpochFlow {
        let slot = self.recent[(epoch % EPOCH_RING as u64) as usize];
        if slot.epoch == epoch {
            slot
        } else {
            EpochFlow {
                epoch,
                ..EpochFlow::default()
            }
        }
    }

    /// Net emission for `epoch`: tokens burned in epochs up to `epoch` and
    /// not yet re-emitted, spread over `net_emission_smoothing_epochs`
    /// (rounded up so dust is not stranded) and capped per epoch. Burns of
    /// later epochs (a lagging crank) wait for their own epoch's issuance.
    pub fn net_emission(&self, epoch: u64) -> u64 {
        let later_burns = self
            .recent
            .iter()
            .filter(|flow| flow.epoch > epoch)
            .fold(0u64, |total, flow| total.saturating_add(flow.tokens_burned));
        let backlog = self
            .tokens_burned
            .saturating_sub(later_burns)
            .saturating_sub(self.tokens_reemitted);
        let smoothing = u64::from(self.net_emission_smoothing_epochs.max(1));
        backlog.div_ceil(smoothing).min(self.net_emission_cap)
    }

    /// Tokens the cap still allows: `max_supply` minus the ledger's net
    /// issuance (minted − burned for credits). The ledger, not the mint's
    /// live supply, is what the cap binds: tokens holders burn directly
    /// lower the supply but are never minted again, so they can neither
    /// break issuance nor lift the cap.
    pub fn supply_headroom(&self) -> u64 {
        self.max_supply.map_or(u64::MAX, |max| {
            max.saturating_sub(self.tokens_minted.saturating_sub(self.tokens_burned))
        })
    }

    /// Fails with the scope's named error if it is paused at `now`.
    pub fn require_running(&self, scope: PauseScope, now: i64) -> Result<()> {
        if self.pause.is_paused(scope as u8, now) {
            return Err(error!(scope.paused_error()));
        }
        Ok(())
    }

    /// Ledger rules that hold after every instruction.
    pub fn invariant(&self) -> Result<()> {
        validate_schedule(&self.schedule).map_err(|_| error!(RewardsError::InvariantViolated))?;
        let issued = self
            .device_issued
            .checked_add(self.oracle_issued)
            .and_then(|sum| sum.checked_add(self.treasury_issued));
        let dc_burned_by_purpose = self
            .dc_burned_by_purpose
            .iter()
            .try_fold(0u64, |total, amount| total.checked_add(*amount));
        require!(
            self.device_claimed <= self.device_issued
                && self
                    .oracle_claimed
                    .checked_add(self.oracle_swept)
                    .is_some_and(|paid_out| paid_out <= self.oracle_issued)
                && self.pause.invariant(PauseScope::COUNT)
                && self.recent.len() == EPOCH_RING
                && issued == Some(self.tokens_minted)
                && self.tokens_reemitted <= self.tokens_burned
                && self.dc_burned <= self.dc_minted
                && dc_burned_by_purpose == Some(self.dc_burned)
                && self.price_discount_bps <= MAX_PRICE_DISCOUNT_BPS
                && (1..=MAX_SMOOTHING_EPOCHS).contains(&self.net_emission_smoothing_epochs)
                && self.authority != Pubkey::default()
                && self
                    .max_supply
                    .is_none_or(|max| self.tokens_minted.saturating_sub(self.tokens_burned) <= max),
            RewardsError::InvariantViolated
        );
        Ok(())
    }

    /// The mints' supplies agree with the ledger. Holders can burn tokens or
    /// credits directly (and the registry burns fee credits), so supplies
    /// may be lower than the ledger's net, never higher: nothing mints
    /// outside this program.
    pub fn supply_invariant(&self, token_supply: u64, dc_supply: Option<u64>) -> Result<()> {
        require!(
            token_supply <= self.tokens_minted.saturating_sub(self.tokens_burned)
                && dc_supply.is_none_or(|supply| supply <= self.dc_minted - self.dc_burned),
            RewardsError::InvariantViolated
        );
        Ok(())
    }
}

impl EpochRewards {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    pub fn invariant(&self) -> Result<()> {
        require!(
            self.oracle_paid
                .checked_add(self.oracle_swept)
                .is_some_and(|out| out <= self.oracles),
            RewardsError::InvariantViolated
        );
        require!(
            self.emission
                .checked_add(self.reemission)
                .is_some_and(|total| Some(total)
                    == self
                        .devices
                        .checked_add(self.oracles)
                        .and_then(|sum| sum.checked_add(self.treasury)))
                && self.oracle_paid <= self.oracles,
            RewardsError::InvariantViolated
        );
        Ok(())
    }
}
