//! The model of governance the randomized runs check the chain against,
//! and the chain under test.

use {
    depin_client::embedded::EmbeddedCluster,
    depin_sdk::{
        accounts::{GovernanceConfig, Proposal, ProposalState, Voter},
        governance::VotingPowerParams,
        pda, Instruction, Keypair, Pubkey, SdkError, Signer, TxOutcome,
    },
    depin_tests::dao::{
        test_governance_args, test_power_params, BareDao, Dao, DAY, MIN_PROPOSAL_POWER, YEAR,
    },
    rand::{rngs::StdRng, Rng},
};

#[derive(Clone, Copy, Debug)]
pub(super) struct ModelPosition {
    pub(super) amount: u64,
    pub(super) constant: bool,
    /// Cliff: end; constant: duration.
    pub(super) value: i64,
}

impl ModelPosition {
    pub(super) fn remaining(&self, now: i64) -> i64 {
        if self.constant {
            self.value
        } else {
            (self.value - now).max(0)
        }
    }
    pub(super) fn earliest_unlock(&self, now: i64) -> i64 {
        if self.constant {
            now + self.value
        } else {
            self.value
        }
    }
    /// Power from the documented formula:
    /// `amount × (baseline + extra × min(remaining, saturation) / saturation)`.
    pub(super) fn power(&self, now: i64, params: &VotingPowerParams) -> u128 {
        let saturation = params.saturation_secs as i128;
        let remaining = (self.remaining(now) as i128).min(saturation);
        let factor =
            params.baseline_bps as i128 * saturation + params.max_extra_bps as i128 * remaining;
        (self.amount as i128 * factor / (10_000 * saturation)) as u128
    }
}

pub(super) struct ModelProposal {
    pub(super) id: u64,
    pub(super) proposer: usize,
    /// Draft, Voting, Succeeded, Defeated or Cancelled.
    pub(super) state: ProposalState,
    pub(super) ends: i64,
    pub(super) quorum: u128,
    pub(super) tallies: [u128; 3],
    pub(super) voted: Vec<bool>,
}

impl ModelProposal {
    /// Quorum reached and yes / (yes + no) ≥ 60 %.
    pub(super) fn passes(&self) -> bool {
        let [yes, no, abstain] = self.tallies;
        yes > 0 && yes + no + abstain >= self.quorum && yes * 10_000 >= 6_000 * (yes + no)
    }

    /// It passes even if all power not yet cast — at most `max_power` in
    /// all, what is cast included — voted no.
    pub(super) fn cannot_be_defeated(&self, max_power: u128) -> bool {
        let [yes, no, abstain] = self.tallies;
        let worst_no = no + max_power.saturating_sub(yes + no + abstain);
        self.passes() && yes * 10_000 >= 6_000 * (yes + worst_no)
    }
}

/// The chain under test: governance over `mint`, with `holders` holding
/// their tokens in `accounts`.
pub(super) struct Chain {
    pub(super) cluster: EmbeddedCluster,
    pub(super) mint: Pubkey,
    pub(super) holders: Vec<Keypair>,
    pub(super) accounts: Vec<Pubkey>,
    /// Power needed to propose.
    pub(super) min_power: u128,
    pub(super) params: VotingPowerParams,
    pub(super) early_tipping: bool,
    /// Locks take up to 1/`lock_share` of the balance.
    pub(super) lock_share: u64,
}

impl Chain {
    /// The whole network under the DAO: most of the token supply sits in
    /// the rewards pools, outside governance.
    pub(super) fn network() -> Self {
        let dao = Dao::new();
        Self {
            holders: dao
                .holders
                .iter()
                .map(|m| m.keypair.insecure_clone())
                .collect(),
            accounts: dao.holders.iter().map(|m| m.token_account()).collect(),
            cluster: dao.net.cluster,
            mint: pda::token_mint().0,
            min_power: MIN_PROPOSAL_POWER,
            params: test_power_params(),
            early_tipping: false,
            lock_share: 4,
        }
    }

    /// Governance alone over a mint the four holders hold all of (one holds
    /// most of it), with early tipping and a low multiplier, so that votes
    /// can tip.
    pub(super) fn bare_with_tipping() -> Self {
        let mut args = test_governance_args();
        args.power.max_extra_bps = 2_000;
        args.rules.early_tipping = true;
        args.rules.min_proposal_power = 100;
        let params = args.power;
        let dao = BareDao::new(args, &[9_000, 500, 300, 200]);
        Self {
            accounts: (0..dao.holders.len())
                .map(|i| dao.token_account(i))
                .collect(),
            holders: dao.holders,
            cluster: dao.cluster,
            mint: dao.mint,
            min_power: 100,
            params,
            early_tipping: true,
            lock_share: 1,
        }
    }

    pub(super) fn send(
        &mut self,
        signer: usize,
        instructions: &[Instruction],
    ) -> Result<TxOutcome, SdkError> {
        let payer = self.holders[signer].insecure_clone();
        self.cluster.send(instructions, &payer, &[])
    }

    pub(super) fn key(&self, holder: usize) -> Pubkey {
        self.holders[holder].pubkey()
    }

    pub(super) fn now(&self) -> i64 {
        self.cluster.clock().unix_timestamp
    }

    pub(super) fn warp(&mut self, seconds: i64) {
        let now = self.now();
        self.cluster.warp_to_timestamp(now + seconds);
    }

    pub(super) fn balance(&self, holder: usize) -> u64 {
        self.cluster.token_balance(&self.accounts[holder])
    }

    pub(super) fn supply(&self) -> u64 {
        self.cluster.mint_supply(&self.mint).unwrap()
    }

    pub(super) fn voter(&self, holder: usize) -> Option<Voter> {
        self.cluster.fetch(&pda::voter(&self.key(holder)).0).ok()
    }

    pub(super) fn has_voter_account(&self, holder: usize) -> bool {
        self.cluster
            .account(&pda::voter(&self.key(holder)).0)
            .is_some()
    }

    pub(super) fn config(&self) -> GovernanceConfig {
        self.cluster.fetch(&pda::governance_config().0).unwrap()
    }

    pub(super) fn proposal(&self, id: u64) -> Proposal {
        self.cluster.fetch(&pda::proposal(id).0).unwrap()
    }

    /// Locked tokens are all in the vault and add up over the voters.
    pub(super) fn assert_invariants(&self) {
        let config = self.config();
        assert_eq!(
            self.cluster.token_balance(&config.vault),
            config.total_locked
        );
        let in_positions: u64 = (0..self.holders.len())
            .filter_map(|holder| self.voter(holder))
            .map(|voter| voter.positions.iter().map(|p| p.amount).sum::<u64>())
            .sum();
        assert_eq!(in_positions, config.total_locked);
    }
}

/// Mostly days (so positions unlock during a run), sometimes years.
pub(super) fn random_duration(rng: &mut StdRng) -> i64 {
    match rng.gen_range(0..20) {
        0..=11 => rng.gen_range(DAY..=4 * DAY),
        12..=18 => rng.gen_range(4 * DAY..=30 * DAY),
        _ => rng.gen_range(DAY..=2 * YEAR),
    }
}

pub(super) fn model_power(
    positions: &[ModelPosition],
    now: i64,
    until: i64,
    params: &VotingPowerParams,
) -> u128 {
    positions
        .iter()
        .filter(|p| p.earliest_unlock(now) >= until)
        .map(|p| p.power(now, params))
        .sum()
}

/// How often each kind of step happened, to check a run exercised enough.
#[derive(Default, Debug)]
pub(super) struct Exercised {
    pub(super) locks: usize,
    pub(super) relocks: usize,
    pub(super) merges: usize,
    pub(super) withdrawals: usize,
    pub(super) votes: usize,
    pub(super) refused_withdrawals: usize,
    pub(super) late_activations: usize,
    pub(super) refused_activations: usize,
    pub(super) cancels: usize,
    pub(super) refused_cancels: usize,
    pub(super) tips: usize,
    /// Votes after which the locked tokens alone could not defeat the
    /// proposal, but tokens not locked yet could.
    pub(super) held_open: usize,
    pub(super) decided: usize,
    pub(super) burns: usize,
    pub(super) pause_flips: usize,
}

impl Exercised {
    pub(super) fn add(&mut self, other: &Self) {
        self.locks += other.locks;
        self.relocks += other.relocks;
        self.merges += other.merges;
        self.withdrawals += other.withdrawals;
        self.votes += other.votes;
        self.refused_withdrawals += other.refused_withdrawals;
        self.late_activations += other.late_activations;
        self.refused_activations += other.refused_activations;
        self.cancels += other.cancels;
        self.refused_cancels += other.refused_cancels;
        self.tips += other.tips;
        self.held_open += other.held_open;
        self.decided += other.decided;
        self.burns += other.burns;
        self.pause_flips += other.pause_flips;
    }
}
