use {
    super::{Voter, VotingPowerParams},
    crate::{constants::*, error::GovernanceError, seeds::*},
    anchor_lang::prelude::*,
};

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
