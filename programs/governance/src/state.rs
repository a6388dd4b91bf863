use {
    crate::{constants::*, error::GovernanceError, seeds::*},
    anchor_lang::{prelude::*, solana_program::instruction::Instruction},
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

/// How many votes a proposal needs.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, InitSpace, Debug)]
pub enum Quorum {
    /// Fixed voting power.
    Absolute { power: u128 },
    /// A share of the tokens locked when voting starts, one power per token
    /// (the power every locked token has at a 1× multiplier).
    LockedFraction { bps: u16 },
}

/// Rules a proposal is voted and executed under (copied into the proposal
/// when its voting starts, so later changes never alter a running vote).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, InitSpace, Debug)]
pub struct ProposalRules {
    /// Power needed to create a proposal, counting positions locked at least
    /// one voting period ahead.
    pub min_proposal_power: u128,
    pub voting_period_secs: i64,
    pub quorum: Quorum,
    /// Approval needed: yes / (yes + no), in basis points.
    pub approval_threshold_bps: u16,
    /// Decide as soon as the outcome can no longer change.
    pub early_tipping: bool,
    pub timelock_secs: i64,
    /// Time after the timelock (or after success, to queue) in which the
    /// proposal can execute; then it expires.
    pub execution_window_secs: i64,
}

impl ProposalRules {
    pub fn validate(&self) -> Result<()> {
        let quorum_ok = match self.quorum {
            Quorum::Absolute { power } => power > 0,
            Quorum::LockedFraction { bps } => bps > 0 && bps as u64 <= BPS,
        };
        require!(
            quorum_ok
                && (MIN_VOTING_PERIOD_SECS..=MAX_VOTING_PERIOD_SECS)
                    .contains(&self.voting_period_secs)
                && (MIN_APPROVAL_THRESHOLD_BPS as u64..=BPS)
                    .contains(&(self.approval_threshold_bps as u64))
                && (0..=MAX_TIMELOCK_SECS).contains(&self.timelock_secs)
                && (MIN_EXECUTION_WINDOW_SECS..=MAX_EXECUTION_WINDOW_SECS)
                    .contains(&self.execution_window_secs),
            GovernanceError::InvalidProposalRules
        );
        Ok(())
    }
}

pub(crate) fn validate_allowed_programs(programs: &[Pubkey]) -> Result<()> {
    require!(
        programs.len() <= MAX_ALLOWED_PROGRAMS
            && programs
                .iter()
                .enumerate()
                .all(|(i, p)| *p != crate::ID && !programs[..i].contains(p)),
        GovernanceError::InvalidAllowedPrograms
    );
    Ok(())
}

#[account]
#[derive(InitSpace, Debug)]
pub struct GovernanceConfig {
    pub bump: u8,
    pub dao_authority_bump: u8,
    pub vault_bump: u8,
    /// The network token (locked in positions).
    pub token_mint: Pubkey,
    pub vault: Pubkey,
    pub dao_authority: Pubkey,
    pub power: VotingPowerParams,
    pub rules: ProposalRules,
    /// Programs proposals may call (governance itself is always callable,
    /// for `update_governance` only).
    #[max_len(MAX_ALLOWED_PROGRAMS)]
    pub allowed_programs: Vec<Pubkey>,
    /// Proposals created; the next proposal's id.
    pub proposal_count: u64,
    /// Tokens in all positions.
    pub total_locked: u64,
}

impl GovernanceConfig {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    pub fn signer_seeds(&self) -> [&[u8]; 2] {
        [SEED_CONFIG, std::slice::from_ref(&self.bump)]
    }

    pub fn dao_authority_seeds(&self) -> [&[u8]; 2] {
        [
            SEED_DAO_AUTHORITY,
            std::slice::from_ref(&self.dao_authority_bump),
        ]
    }

    pub fn is_allowed_program(&self, program_id: &Pubkey) -> bool {
        self.allowed_programs.contains(program_id)
    }

    /// Whether `voter` may propose at `now`: its power, counting only
    /// positions locked at least one voting period ahead (so tokens cannot
    /// propose, leave and propose again), reaches `min_proposal_power`.
    /// Checked when a proposal is created and again when its vote opens.
    pub fn may_propose(&self, voter: &Voter, now: i64) -> Result<bool> {
        let locked_until = now
            .checked_add(self.rules.voting_period_secs)
            .ok_or(GovernanceError::Overflow)?;
        let power = voter.voting_power(&self.power, now, locked_until)?;
        Ok(power >= self.rules.min_proposal_power)
    }

    pub fn invariant(&self) -> Result<()> {
        self.power.validate()?;
        self.rules.validate()?;
        validate_allowed_programs(&self.allowed_programs)?;
        require!(
            self.power.min_lockup_secs <= self.power.max_lockup_secs,
            GovernanceError::InvariantViolated
        );
        Ok(())
    }
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

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, InitSpace, Debug)]
pub enum ProposalState {
    Draft,
    Voting,
    Succeeded,
    Defeated,
    Queued,
    Executed,
    Expired,
    Cancelled,
}

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug)]
pub struct StoredAccountMeta {
    pub pubkey: Pubkey,
    pub is_signer: bool,
    pub is_writable: bool,
}

/// An instruction the proposal executes, signed by the DAO authority.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, PartialEq, Eq, Debug)]
pub struct StoredInstruction {
    pub program_id: Pubkey,
    pub accounts: Vec<StoredAccountMeta>,
    pub data: Vec<u8>,
}

impl StoredInstruction {
    pub fn space(&self) -> usize {
        32 + 4 + self.accounts.len() * (32 + 1 + 1) + 4 + self.data.len()
    }

    pub fn to_instruction(&self) -> Instruction {
        Instruction {
            program_id: self.program_id,
            accounts: self
                .accounts
                .iter()
                .map(
                    |meta| anchor_lang::solana_program::instruction::AccountMeta {
                        pubkey: meta.pubkey,
                        is_signer: meta.is_signer,
                        is_writable: meta.is_writable,
                    },
                )
                .collect(),
            data: self.data.clone(),
        }
    }
}

impl From<&Instruction> for StoredInstruction {
    fn from(instruction: &Instruction) -> Self {
        Self {
            program_id: instruction.program_id,
            accounts: instruction
                .accounts
                .iter()
                .map(|meta| StoredAccountMeta {
                    pubkey: meta.pubkey,
                    is_signer: meta.is_signer,
                    is_writable: meta.is_writable,
                })
                .collect(),
            data: instruction.data.clone(),
        }
    }
}

/// Tallies are voting power (u128: the largest supply at the largest
/// multiplier cannot overflow them).
#[account]
#[derive(Debug)]
pub struct Proposal {
    pub id: u64,
    pub proposer: Pubkey,
    pub bump: u8,
    pub state: ProposalState,
    pub title: String,
    /// A link to, or a hash of, the full description.
    pub description: String,
    pub created_at: i64,
    pub voting_starts_at: i64,
    pub voting_ends_at: i64,
    /// Rules in force when voting started.
    pub quorum_power: u128,
    pub approval_threshold_bps: u16,
    pub early_tipping: bool,
    pub timelock_secs: i64,
    pub execution_window_secs: i64,
    /// Voting-power parameters in force when voting started: every vote on
    /// this proposal is weighed with them (all zero while a draft).
    pub power: VotingPowerParams,
    pub yes: u128,
    pub no: u128,
    pub abstain: u128,
    pub votes_cast: u32,
    /// When the vote was decided (Succeeded or Defeated).
    pub decided_at: i64,
    /// Queued: the timelock's end and the execution window's end.
    pub executable_at: i64,
    pub expires_at: i64,
    pub executed_at: i64,
    pub instructions: Vec<StoredInstruction>,
}

impl Proposal {
    /// Size without instructions (text allocated at its maximum).
    pub const BASE_SPACE: usize = 8 // discriminator
        + 8 + 32 + 1 + 1
        + (4 + MAX_TITLE_LEN)
        + (4 + MAX_DESCRIPTION_LEN)
        + 8 * 3
        + 16 + 2 + 1 + 8 + 8
        + VotingPowerParams::INIT_SPACE
        + 16 * 3 + 4
        + 8 * 4
        + 4;

    pub fn space(instructions: &[StoredInstruction]) -> usize {
        Self::BASE_SPACE
            + instructions
                .iter()
                .map(StoredInstruction::space)
                .sum::<usize>()
    }

    pub fn total_votes(&self) -> Result<u128> {
        self.yes
            .checked_add(self.no)
            .and_then(|sum| sum.checked_add(self.abstain))
            .ok_or_else(|| GovernanceError::Overflow.into())
    }

    /// Quorum reached and yes / (yes + no) at or above the threshold.
    pub fn passes(&self) -> Result<bool> {
        let decisive = self
            .yes
            .checked_add(self.no)
            .ok_or(GovernanceError::Overflow)?;
        let approved = self
            .yes
            .checked_mul(BPS as u128)
            .zip(decisive.checked_mul(self.approval_threshold_bps as u128))
            .map(|(yes, needed)| yes >= needed)
            .ok_or(GovernanceError::Overflow)?;
        Ok(self.yes > 0 && self.total_votes()? >= self.quorum_power && approved)
    }

    /// True when no further votes could defeat the proposal: quorum is
    /// reached and yes keeps the threshold even if all the power not yet
    /// cast voted no, `max_power` bounding all the power that could ever be
    /// cast on it (what is cast included).
    pub fn tips(&self, max_power: u128) -> Result<bool> {
        if !self.early_tipping || !self.passes()? {
            return Ok(false);
        }
        let possible = max_power.max(self.total_votes()?);
        let worst_decisive = possible - self.abstain;
        Ok(self
            .yes
            .checked_mul(BPS as u128)
            .zip(worst_decisive.checked_mul(self.approval_threshold_bps as u128))
            .is_some_and(|(yes, needed)| yes >= needed))
    }

    /// Early tipping against everything that could still vote: every token
    /// of the mint's `supply` (locked or not, voted or not) at the largest
    /// multiplier of the proposal's power parameters. A wallet votes once
    /// and the tokens it voted with stay locked until voting ends, so no
    /// sequence of further votes adds more power than this.
    pub fn tips_against_supply(&self, supply: u64) -> Result<bool> {
        self.tips(self.power.max_power(supply)?)
    }

    pub fn invariant(&self) -> Result<()> {
        let votes = self.total_votes()?;
        let timeline_ok = match self.state {
            ProposalState::Draft => self.voting_starts_at == 0 && votes == 0,
            ProposalState::Cancelled => true,
            _ => self.voting_starts_at < self.voting_ends_at && self.power.validate().is_ok(),
        };
        require!(
            timeline_ok
                && self.title.len() <= MAX_TITLE_LEN
                && self.description.len() <= MAX_DESCRIPTION_LEN
                && self.instructions.len() <= MAX_INSTRUCTIONS
                && (self.votes_cast > 0 || votes == 0)
                && (self.state != ProposalState::Queued || self.executable_at < self.expires_at),
            GovernanceError::InvariantViolated
        );
        Ok(())
    }
}

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, InitSpace, Debug)]
pub enum VoteChoice {
    Yes,
    No,
    Abstain,
}

/// One wallet's vote on one proposal; its existence prevents a second vote.
#[account]
#[derive(InitSpace, Debug)]
pub struct VoteRecord {
    pub proposal: Pubkey,
    pub voter: Pubkey,
    pub choice: VoteChoice,
    pub power: u128,
    pub voted_at: i64,
    pub bump: u8,
}

impl VoteRecord {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;
}

#[cfg(test)]
mod tests {
    use {super::*, proptest::prelude::*};

    const DAY: i64 = 86_400;

    fn params() -> VotingPowerParams {
        VotingPowerParams {
            baseline_bps: 10_000,
            max_extra_bps: 30_000,
            saturation_secs: 4 * 365 * DAY,
            min_lockup_secs: DAY,
            max_lockup_secs: 4 * 365 * DAY,
        }
    }

    fn proposal(yes: u128, no: u128, abstain: u128, quorum: u128, threshold: u16) -> Proposal {
        Proposal {
            id: 0,
            proposer: Pubkey::default(),
            bump: 0,
            state: ProposalState::Voting,
            title: String::new(),
            description: String::new(),
            created_at: 0,
            voting_starts_at: 1,
            voting_ends_at: 2,
            quorum_power: quorum,
            approval_threshold_bps: threshold,
            early_tipping: true,
            timelock_secs: 0,
            execution_window_secs: 60,
            power: params(),
            yes,
            no,
            abstain,
            votes_cast: 1,
            decided_at: 0,
            executable_at: 0,
            expires_at: 0,
            executed_at: 0,
            instructions: vec![],
        }
    }

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

    #[test]
    fn tipping_is_bounded_by_the_whole_supply_not_the_locked_tokens() {
        let full = 4 * 365 * DAY;
        // 100 tokens locked at the full 4×, all voting yes; 1 more token
        // locked; 1,000 tokens exist.
        let yes = params().power(100, full).unwrap();
        assert_eq!(yes, 400);
        let early = proposal(yes, 0, 0, 1, 6_000);
        // Bounded by the locked tokens it would tip…
        assert!(early.tips(params().max_power(101).unwrap()).unwrap());
        // …but 600 unlocked tokens can still be locked and vote no.
        assert!(!early.tips_against_supply(1_000).unwrap());
        let mut defeated = early.clone();
        defeated.no = params().power(600, full).unwrap();
        assert!(!defeated.passes().unwrap());

        // Exactly 60 % of the supply voting yes at the full multiplier tips;
        // one token more in existence (anywhere) and it does not.
        let yes = params().power(600, full).unwrap();
        let large = proposal(yes, 0, 0, 1, 6_000);
        assert!(large.tips_against_supply(1_000).unwrap());
        assert!(!large.tips_against_supply(1_001).unwrap());
        // Abstentions leave less power that could vote no.
        let abstained = proposal(yes, 0, 4, 1, 6_000);
        assert!(abstained.tips_against_supply(1_001).unwrap());
        // Without early tipping, or below quorum, nothing tips.
        let mut off = large.clone();
        off.early_tipping = false;
        assert!(!off.tips_against_supply(600).unwrap());
        let short = proposal(yes, 0, 0, yes + 1, 6_000);
        assert!(!short.tips_against_supply(600).unwrap());
        // The bound uses the proposal's own power parameters: at 1× the
        // same 600 tokens are 600 power, and 60 % of 1,000 still tips.
        let mut flat = proposal(600, 0, 0, 1, 6_000);
        flat.power.max_extra_bps = 0;
        assert!(flat.tips_against_supply(1_000).unwrap());
        assert!(!flat.tips_against_supply(1_001).unwrap());
    }

    #[test]
    fn a_vote_under_way_needs_valid_power_parameters() {
        let mut proposal = proposal(0, 0, 0, 1, 6_000);
        proposal.votes_cast = 0;
        proposal.invariant().unwrap();
        proposal.power = VotingPowerParams::default();
        assert!(proposal.invariant().is_err());
        proposal.state = ProposalState::Draft;
        proposal.voting_starts_at = 0;
        proposal.invariant().unwrap();
    }

    /// A wallet's vote: its choice (mostly yes, so that tipping happens),
    /// the share of its slice of the supply it locked (in permille) and its
    /// remaining lockup.
    fn vote() -> impl Strategy<Value = (VoteChoice, u64, i64)> {
        (
            prop_oneof![
                4 => Just(VoteChoice::Yes),
                1 => Just(VoteChoice::No),
                1 => Just(VoteChoice::Abstain),
            ],
            prop_oneof![Just(1_000u64), 0u64..=1_000],
            prop_oneof![Just(MAX_LOCKUP_SECS), any::<i64>()],
        )
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

        /// Power never exceeds `max_power`, so early tipping's bound holds.
        #[test]
        fn power_is_at_most_max_power(amount: u64, remaining: i64) {
            let params = params();
            prop_assert!(params.power(amount, remaining).unwrap() <= params.max_power(amount).unwrap());
        }

        /// Once a proposal tips, no further no votes within the remaining
        /// power can defeat it.
        #[test]
        fn a_tipped_proposal_stays_passed(
            yes in 0u128..1_000_000,
            no in 0u128..1_000_000,
            abstain in 0u128..1_000_000,
            extra in 0u128..4_000_000,
            more_no in 0u128..4_000_000,
            quorum in 1u128..2_000_000,
            threshold in 5_000u16..=10_000,
        ) {
            let max_power = yes + no + abstain + extra;
            let mut proposal = proposal(yes, no, abstain, quorum, threshold);
            if proposal.tips(max_power).unwrap() {
                proposal.no += more_no.min(extra);
                prop_assert!(proposal.passes().unwrap());
            }
        }

        /// Tipping against the supply is final. Wallets vote with parts of
        /// the supply (each part at most once); when the proposal tips,
        /// every token that has not voted — split over any number of
        /// positions with any lockups — voting no still cannot defeat it.
        #[test]
        fn a_proposal_tipped_against_the_supply_survives_every_other_token_voting_no(
            baseline in 0u32..=500_000,
            extra in 0u32..=500_000,
            saturation in 1i64..=MAX_LOCKUP_SECS,
            supply in prop_oneof![1u64..=1_000_000, Just(u64::MAX), any::<u64>()],
            cast in proptest::collection::vec(vote(), 1..8),
            rest in proptest::collection::vec((1u64..=100, any::<i64>()), 1..8),
            quorum_share in 1u64..=10_000,
            threshold in 5_000u16..=10_000,
        ) {
            prop_assume!(baseline + extra > 0);
            let power = VotingPowerParams {
                baseline_bps: baseline,
                max_extra_bps: extra,
                saturation_secs: saturation,
                min_lockup_secs: 0,
                max_lockup_secs: MAX_LOCKUP_SECS,
            };
            power.validate().unwrap();
            let quorum = supply as u128 * quorum_share as u128 / BPS as u128;
            let mut proposal = proposal(0, 0, 0, quorum.max(1), threshold);
            proposal.power = power;
            let share = supply / cast.len() as u64;
            let mut unvoted = supply;
            for (choice, permille, remaining) in cast {
                let amount = (share as u128 * permille as u128 / 1_000) as u64;
                unvoted -= amount;
                let counted = power.power(amount, remaining).unwrap();
                match choice {
                    VoteChoice::Yes => proposal.yes += counted,
                    VoteChoice::No => proposal.no += counted,
                    VoteChoice::Abstain => proposal.abstain += counted,
                }
            }
            if proposal.tips_against_supply(supply).unwrap() {
                let weights: u64 = rest.iter().map(|(weight, _)| weight).sum();
                let mut left = unvoted;
                for (index, (weight, remaining)) in rest.iter().enumerate() {
                    let amount = if index + 1 == rest.len() {
                        left
                    } else {
                        (unvoted as u128 * *weight as u128 / weights as u128) as u64
                    };
                    left -= amount;
                    proposal.no += power.power(amount, *remaining).unwrap();
                }
                prop_assert_eq!(left, 0);
                prop_assert!(proposal.passes().unwrap());
            }
        }
    }
}
