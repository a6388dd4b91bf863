use {
    crate::{constants::*, error::GovernanceError},
    anchor_lang::prelude::*,
};

/// Voting power of locked tokens:
/// `amount × (baseline + extra × min(remaining, saturation) / saturation)`,
/// factors in basis points (10,000 = 1×). `Default` (all zero) is not
/// valid; it stands for "not set yet" in a draft proposal.
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, InitSpace, Debug, Default,
)]
pub struct VotingPowerParams {
    pub baseline_bps: u32,
    pub max_extra_bps: u32,
    /// Remaining lockup at which the extra power is complete.
    pub saturation_secs: i64,
    pub min_lockup_secs: i64,
    pub max_lockup_secs: i64,
}

impl VotingPowerParams {
    pub fn validate(&self) -> Result<()> {
        let multiplier = self.baseline_bps.checked_add(self.max_extra_bps);
        require!(
            multiplier.is_some_and(|m| m > 0 && m <= MAX_MULTIPLIER_BPS)
                && (1..=MAX_LOCKUP_SECS).contains(&self.saturation_secs)
                && self.min_lockup_secs >= 0
                && self.min_lockup_secs <= self.max_lockup_secs
                && self.max_lockup_secs <= MAX_LOCKUP_SECS,
            GovernanceError::InvalidPowerParams
        );
        Ok(())
    }

    /// Power of `amount` tokens with `remaining` seconds of lockup.
    pub fn power(&self, amount: u64, remaining: i64) -> Result<u128> {
        let saturation = self.saturation_secs as u128;
        let remaining = remaining.clamp(0, self.saturation_secs) as u128;
        let numerator = (self.baseline_bps as u128)
            .checked_mul(saturation)
            .and_then(|base| {
                (self.max_extra_bps as u128)
                    .checked_mul(remaining)
                    .and_then(|extra| base.checked_add(extra))
            })
            .and_then(|factor| factor.checked_mul(amount as u128))
            .ok_or(GovernanceError::Overflow)?;
        Ok(numerator / (BPS as u128 * saturation))
    }

    /// The most power `amount` tokens can have: every position's power is at
    /// most this share of its amount, so the sum over positions is too.
    pub fn max_power(&self, amount: u64) -> Result<u128> {
        let multiplier = self.baseline_bps as u128 + self.max_extra_bps as u128;
        (amount as u128)
            .checked_mul(multiplier)
            .map(|product| product / BPS as u128)
            .ok_or_else(|| GovernanceError::Overflow.into())
    }
}

#[cfg(test)]
mod tests {
    use {super::*, crate::state::fixtures::params, proptest::prelude::*};

    #[test]
    fn power_runs_from_baseline_to_full_multiplier() {
        let params = params();
        assert_eq!(params.power(1_000, 0).unwrap(), 1_000);
        assert_eq!(params.power(1_000, -5).unwrap(), 1_000);
        assert_eq!(
            params.power(1_000, params.saturation_secs / 2).unwrap(),
            2_500
        );
        assert_eq!(params.power(1_000, params.saturation_secs).unwrap(), 4_000);
        assert_eq!(params.power(1_000, i64::MAX).unwrap(), 4_000);
        assert_eq!(params.max_power(1_000).unwrap(), 4_000);
    }

    #[test]
    fn power_at_the_largest_amount_and_multiplier_is_exact() {
        let params = VotingPowerParams {
            baseline_bps: 0,
            max_extra_bps: MAX_MULTIPLIER_BPS,
            saturation_secs: MAX_LOCKUP_SECS,
            min_lockup_secs: 0,
            max_lockup_secs: MAX_LOCKUP_SECS,
        };
        params.validate().unwrap();
        let full = u64::MAX as u128 * 100;
        assert_eq!(params.power(u64::MAX, MAX_LOCKUP_SECS).unwrap(), full);
        assert_eq!(params.max_power(u64::MAX).unwrap(), full);
        assert_eq!(params.power(u64::MAX, 0).unwrap(), 0);
    }

    #[test]
    fn parameters_out_of_range_are_refused() {
        let mut zero = params();
        zero.baseline_bps = 0;
        zero.max_extra_bps = 0;
        let mut wide = params();
        wide.max_extra_bps = u32::MAX;
        let mut no_saturation = params();
        no_saturation.saturation_secs = 0;
        let mut negative = params();
        negative.min_lockup_secs = -1;
        for bad in [zero, wide, no_saturation, negative] {
            assert!(bad.validate().is_err(), "{bad:?}");
        }
    }

    proptest! {
        /// Power never exceeds `max_power`, so early tipping's bound holds.
        #[test]
        fn power_is_at_most_max_power(amount: u64, remaining: i64) {
            let params = params();
            prop_assert!(params.power(amount, remaining).unwrap() <= params.max_power(amount).unwrap());
        }
    }
}
