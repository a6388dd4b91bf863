//! Scoped pause switches with a bounded guardian, embedded in the configs of
//! the device registry, the proof oracle and the rewards program.
//!
//! Each program names its own scopes (bit `i` of a mask is scope `i`) and
//! maps [`PauseError`] to its own named errors, so a paused instruction says
//! which scope is paused in the program's own words.
//!
//! Rules:
//! - The program's authority (the DAO) pauses any scope until it unpauses it,
//!   and is the only one who unpauses.
//! - The guardian, if the authority named one, pauses any scopes at once for
//!   exactly `guardian_max_pause` seconds, never shortening a longer pause.
//!   Its pause is then spent until the authority arms it again
//!   (`set_guardian`), so repeated pauses can never add up to a pause longer
//!   than the authority allowed. It can change nothing else.

use anchor_lang::prelude::*;

/// Scopes a program can have (bits of a mask).
pub const MAX_SCOPES: usize = 8;
/// `paused_until` of a scope paused by the authority: until it unpauses.
pub const UNTIL_UNPAUSED: i64 = i64::MAX;
/// Longest guardian pause the authority may allow: 30 days.
pub const MAX_GUARDIAN_PAUSE: i64 = 30 * 86_400;

/// Why a pause operation was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PauseError {
    /// The mask is empty or names a scope the program does not have.
    InvalidScopes,
    /// The signer is neither the authority nor the guardian.
    NotAuthorityOrGuardian,
    /// The guardian has used its pause; the authority must arm it again.
    GuardianSpent,
    /// The guardian's maximum pause is zero, negative or above the bound.
    InvalidGuardianPause,
}

/// Who paused (for events).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug)]
pub enum PausedBy {
    Authority,
    Guardian,
}

#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, InitSpace, Debug, Default,
)]
pub struct PauseState {
    /// Per scope: paused while `now < paused_until` (0: running;
    /// `UNTIL_UNPAUSED`: until the authority unpauses).
    pub paused_until: [i64; MAX_SCOPES],
    /// May pause, never unpause; `Pubkey::default()` for none.
    pub guardian: Pubkey,
    /// Length of a guardian pause, in seconds.
    pub guardian_max_pause: i64,
    /// Whether the guardian's pause is available.
    pub guardian_armed: bool,
}

impl PauseState {
    /// Whether `scope` is paused at `now`.
    pub fn is_paused(&self, scope: u8, now: i64) -> bool {
        self.paused_until
            .get(usize::from(scope))
            .is_some_and(|until| now < *until)
    }

    /// Mask of the scopes paused at `now`, among the first `scope_count`.
    pub fn paused_mask(&self, scope_count: u8, now: i64) -> u8 {
        (0..scope_count.min(MAX_SCOPES as u8))
            .filter(|scope| self.is_paused(*scope, now))
            .fold(0, |mask, scope| mask | (1 << scope))
    }

    /// Pauses the scopes of `mask`, signed by `signer`. The authority's
    /// pause lasts until it unpauses; the guardian's lasts
    /// `guardian_max_pause` from `now` (never shortening a longer pause) and
    /// spends the guardian. Returns who paused and until when.
    pub fn pause(
        &mut self,
        mask: u8,
        scope_count: u8,
        signer: &Pubkey,
        authority: &Pubkey,
        now: i64,
    ) -> core::result::Result<(PausedBy, i64), PauseError> {
        check_mask(mask, scope_count)?;
        let (by, until) = if signer == authority {
            (PausedBy::Authority, UNTIL_UNPAUSED)
        } else if *signer == self.guardian && self.guardian != Pubkey::default() {
            if !self.guardian_armed {
                return Err(PauseError::GuardianSpent);
            }
            // now + at most 30 days cannot overflow for any real clock;
            // saturate rather than fail for a pathological one.
            (
                PausedBy::Guardian,
                now.saturating_add(self.guardian_max_pause),
            )
        } else {
            return Err(PauseError::NotAuthorityOrGuardian);
        };
        if by == PausedBy::Guardian {
            self.guardian_armed = false;
        }
        for scope in scopes(mask) {
            let slot = &mut self.paused_until[scope];
            *slot = (*slot).max(until);
        }
        Ok((by, until))
    }

    /// Lifts the pause of the scopes of `mask` (the authority only; the
    /// caller checks the signer).
    pub fn unpause(&mut self, mask: u8, scope_count: u8) -> core::result::Result<(), PauseError> {
        check_mask(mask, scope_count)?;
        for scope in scopes(mask) {
            self.paused_until[scope] = 0;
        }
        Ok(())
    }

    /// Names (or removes, with the default key) the guardian and arms it.
    pub fn set_guardian(
        &mut self,
        guardian: Pubkey,
        max_pause: i64,
    ) -> core::result::Result<(), PauseError> {
        let none = guardian == Pubkey::default();
        if !none && !(1..=MAX_GUARDIAN_PAUSE).contains(&max_pause) {
            return Err(PauseError::InvalidGuardianPause);
        }
        self.guardian = guardian;
        self.guardian_max_pause = if none { 0 } else { max_pause };
        self.guardian_armed = !none;
        Ok(())
    }

    /// Rules that hold after every instruction: scopes the program lacks are
    /// never paused; a guardian has a valid pause length; no guardian, no
    /// armed pause.
    pub fn invariant(&self, scope_count: u8) -> bool {
        let unused_clear = self
            .paused_until
            .iter()
            .skip(usize::from(scope_count))
            .all(|until| *until == 0);
        let guardian_ok = if self.guardian == Pubkey::default() {
            !self.guardian_armed && self.guardian_max_pause == 0
        } else {
            (1..=MAX_GUARDIAN_PAUSE).contains(&self.guardian_max_pause)
        };
        unused_clear && guardian_ok && self.paused_until.iter().all(|until| *until >= 0)
    }
}

fn check_mask(mask: u8, scope_count: u8) -> core::result::Result<(), PauseError> {
    let all = if usize::from(scope_count) >= MAX_SCOPES {
        u8::MAX
    } else {
        (1u8 << scope_count) - 1
    };
    if mask == 0 || mask & !all != 0 {
        return Err(PauseError::InvalidScopes);
    }
    Ok(())
}

fn scopes(mask: u8) -> impl Iterator<Item = usize> {
    (0..MAX_SCOPES).filter(move |scope| mask & (1 << scope) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> (Pubkey, Pubkey, Pubkey) {
        (
            Pubkey::new_from_array([1; 32]),
            Pubkey::new_from_array([2; 32]),
            Pubkey::new_from_array([3; 32]),
        )
    }

    #[test]
    fn authority_pauses_until_it_unpauses() {
        let (authority, _, _) = keys();
        let mut state = PauseState::default();
        let (by, until) = state.pause(0b01, 2, &authority, &authority, 100).unwrap();
        assert_eq!((by, until), (PausedBy::Authority, UNTIL_UNPAUSED));
        assert!(state.is_paused(0, i64::MAX - 1));
        assert!(!state.is_paused(1, 100));
        state.unpause(0b01, 2).unwrap();
        assert!(!state.is_paused(0, 100));
        assert!(state.invariant(2));
    }

    #[test]
    fn guardian_pause_is_bounded_and_spent() {
        let (authority, guardian, _) = keys();
        let mut state = PauseState::default();
        state.set_guardian(guardian, 3_600).unwrap();
        let (by, until) = state.pause(0b11, 2, &guardian, &authority, 1_000).unwrap();
        assert_eq!((by, until), (PausedBy::Guardian, 4_600));
        // Last paused second and the first running one.
        assert!(state.is_paused(1, 4_599));
        assert!(!state.is_paused(1, 4_600));
        assert_eq!(
            state.pause(0b01, 2, &guardian, &authority, 4_600),
            Err(PauseError::GuardianSpent)
        );
        state.set_guardian(guardian, 3_600).unwrap();
        state.pause(0b01, 2, &guardian, &authority, 4_600).unwrap();
        assert!(state.invariant(2));
    }

    #[test]
    fn guardian_never_shortens_an_authority_pause() {
        let (authority, guardian, _) = keys();
        let mut state = PauseState::default();
        state.set_guardian(guardian, 60).unwrap();
        state.pause(0b10, 2, &authority, &authority, 0).unwrap();
        state.pause(0b10, 2, &guardian, &authority, 10).unwrap();
        assert_eq!(state.paused_until[1], UNTIL_UNPAUSED);
    }

    #[test]
    fn strangers_masks_and_lengths_are_refused() {
        let (authority, guardian, stranger) = keys();
        let mut state = PauseState::default();
        assert_eq!(
            state.pause(0b01, 2, &stranger, &authority, 0),
            Err(PauseError::NotAuthorityOrGuardian)
        );
        // No guardian named: the default key is nobody.
        assert_eq!(
            state.pause(0b01, 2, &Pubkey::default(), &authority, 0),
            Err(PauseError::NotAuthorityOrGuardian)
        );
        assert_eq!(
            state.pause(0, 2, &authority, &authority, 0),
            Err(PauseError::InvalidScopes)
        );
        assert_eq!(
            state.pause(0b100, 2, &authority, &authority, 0),
            Err(PauseError::InvalidScopes)
        );
        assert_eq!(state.unpause(0b100, 2), Err(PauseError::InvalidScopes));
        assert_eq!(
            state.set_guardian(guardian, 0),
            Err(PauseError::InvalidGuardianPause)
        );
        assert_eq!(
            state.set_guardian(guardian, MAX_GUARDIAN_PAUSE + 1),
            Err(PauseError::InvalidGuardianPause)
        );
        state.set_guardian(guardian, MAX_GUARDIAN_PAUSE).unwrap();
        state.set_guardian(Pubkey::default(), 0).unwrap();
        assert!(!state.guardian_armed);
        assert_eq!(state, PauseState::default());
        assert!(state.invariant(2));
    }

    #[test]
    fn eight_scopes_use_the_whole_mask() {
        let (authority, _, _) = keys();
        let mut state = PauseState::default();
        state.pause(u8::MAX, 8, &authority, &authority, 0).unwrap();
        assert_eq!(state.paused_mask(8, 0), u8::MAX);
    }
}
