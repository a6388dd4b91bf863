use {
    super::VotingPowerParams,
    crate::{constants::*, error::GovernanceError},
    anchor_lang::{prelude::*, solana_program::instruction::Instruction},
};

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

#[cfg(test)]
mod tests {
    use {
        super::*,
        crate::state::{
            fixtures::{params, DAY},
            VoteChoice,
        },
        proptest::prelude::*,
    };

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

    proptest! {
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
