use {
    super::VotingPowerParams,
    crate::{constants::*, error::GovernanceError},
    anchor_lang::prelude::*,
};

/// How a position's tokens unlock.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, InitSpace, Debug)]
pub enum LockupKind {
    /// Unlocks at `end_ts`; the remaining lockup (and the bonus) decays.
    Cliff,
    /// Stays `duration_secs` from unlocking until relocked as a cliff; the
    /// bonus does not decay.
    Constant,
}

/// A position's lockup.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, InitSpace, Debug)]
pub struct Lockup {
    pub kind: LockupKind,
    /// Cliff: when the tokens unlock. Constant: 0.
    pub end_ts: i64,
    /// Constant: the lockup kept. Cliff: the duration it was set with.
    pub duration_secs: i64,
}

impl Lockup {
    /// A lockup of `duration_secs` starting at `now`.
    pub fn starting(kind: LockupKind, duration_secs: i64, now: i64) -> Result<Self> {
        let end_ts = match kind {
            LockupKind::Cliff => now
                .checked_add(duration_secs)
                .ok_or(GovernanceError::Overflow)?,
            LockupKind::Constant => 0,
        };
        Ok(Self {
            kind,
            end_ts,
            duration_secs,
        })
    }

    /// Seconds of lockup left at `now`.
    pub fn remaining(&self, now: i64) -> i64 {
        match self.kind {
            LockupKind::Cliff => self.end_ts.saturating_sub(now).max(0),
            LockupKind::Constant => self.duration_secs,
        }
    }

    /// The earliest moment the tokens could be withdrawn, if the owner acted
    /// at `now` (a constant lockup must first be relocked as a cliff).
    pub fn earliest_unlock(&self, now: i64) -> i64 {
        match self.kind {
            LockupKind::Cliff => self.end_ts,
            LockupKind::Constant => now.saturating_add(self.duration_secs),
        }
    }

    /// Of two lockups, the one with more time remaining at `now` (`self` on
    /// a tie): tokens under either unlock no earlier under it.
    pub fn longer(self, other: Self, now: i64) -> Self {
        if other.remaining(now) > self.remaining(now) {
            other
        } else {
            self
        }
    }

    pub fn is_unlocked(&self, now: i64) -> bool {
        self.kind == LockupKind::Cliff && self.end_ts <= now
    }
}

/// Tokens locked together under one lockup.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, InitSpace, Debug)]
pub struct Position {
    pub amount: u64,
    pub lockup: Lockup,
    pub locked_at: i64,
}

/// A wallet's positions. The owner votes with all of them at once.
#[account]
#[derive(InitSpace, Debug)]
pub struct Voter {
    pub owner: Pubkey,
    pub bump: u8,
    #[max_len(MAX_POSITIONS)]
    pub positions: Vec<Position>,
}

impl Voter {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    pub fn position(&self, index: u8) -> Result<&Position> {
        self.positions
            .get(index as usize)
            .ok_or_else(|| GovernanceError::UnknownPosition.into())
    }

    pub fn total_locked(&self) -> Result<u64> {
        self.positions.iter().try_fold(0u64, |sum, position| {
            sum.checked_add(position.amount)
                .ok_or_else(|| GovernanceError::Overflow.into())
        })
    }

    /// Power at `now` of the positions that cannot be withdrawn before
    /// `locked_until`. Voting passes the end of voting, so tokens that could
    /// leave (and vote again from another wallet) during a vote never count.
    pub fn voting_power(
        &self,
        params: &VotingPowerParams,
        now: i64,
        locked_until: i64,
    ) -> Result<u128> {
        self.positions
            .iter()
            .filter(|position| position.lockup.earliest_unlock(now) >= locked_until)
            .try_fold(0u128, |sum, position| {
                let power = params.power(position.amount, position.lockup.remaining(now))?;
                sum.checked_add(power)
                    .ok_or_else(|| GovernanceError::Overflow.into())
            })
    }

    pub fn invariant(&self) -> Result<()> {
        require!(
            self.positions.len() <= MAX_POSITIONS && self.positions.iter().all(|p| p.amount > 0),
            GovernanceError::InvariantViolated
        );
        self.total_locked()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use {super::*, crate::state::fixtures::DAY, proptest::prelude::*};

    #[test]
    fn a_constant_lockup_keeps_its_remaining_time_and_a_cliff_counts_down() {
        let cliff = Lockup::starting(LockupKind::Cliff, 10 * DAY, 1_000).unwrap();
        let constant = Lockup::starting(LockupKind::Constant, 10 * DAY, 1_000).unwrap();
        let later = 1_000 + 4 * DAY;
        assert_eq!(cliff.remaining(later), 6 * DAY);
        assert_eq!(constant.remaining(later), 10 * DAY);
        assert_eq!(cliff.earliest_unlock(later), 1_000 + 10 * DAY);
        assert_eq!(constant.earliest_unlock(later), later + 10 * DAY);
        assert!(!cliff.is_unlocked(1_000 + 10 * DAY - 1));
        assert!(cliff.is_unlocked(1_000 + 10 * DAY));
        assert!(!constant.is_unlocked(i64::MAX));
        assert!(Lockup::starting(LockupKind::Cliff, 1, i64::MAX).is_err());
    }

    fn lockup() -> impl Strategy<Value = Lockup> {
        (any::<bool>(), 0..MAX_LOCKUP_SECS, 0..MAX_LOCKUP_SECS).prop_map(
            |(cliff, start, duration)| {
                let kind = if cliff {
                    LockupKind::Cliff
                } else {
                    LockupKind::Constant
                };
                Lockup::starting(kind, duration, start).unwrap()
            },
        )
    }

    proptest! {
        /// A merge keeps the longer lockup: no token of either position can
        /// be withdrawn earlier than before.
        #[test]
        fn merged_lockups_never_unlock_earlier(a in lockup(), b in lockup(), now in 0..MAX_LOCKUP_SECS) {
            let merged = a.longer(b, now);
            for lockup in [a, b] {
                if lockup.earliest_unlock(now) >= now {
                    prop_assert!(merged.earliest_unlock(now) >= lockup.earliest_unlock(now));
                }
            }
        }
    }
}
