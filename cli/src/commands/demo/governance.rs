//! The demo's governance round: token holders lock tokens, the network is
//! handed to the DAO, and a proposal cuts the emission rate through its
//! whole life (vote, timelock, execution) so the next epoch shows it.

use {
    super::{
        setup::{keypair, Demo},
        LAMPORTS_PER_SOL,
    },
    anyhow::{ensure, Context, Result},
    depin_client::{bootstrap, Client},
    depin_sdk::{
        accounts::{Proposal, ProposalState},
        governance::{InitializeGovernanceArgs, LockupArgs, LockupKind, Quorum, VoteChoice},
    },
};

pub(super) const HOUR: i64 = 3_600;
pub(super) const DAY: i64 = 86_400;
/// Short enough that the round fits inside one daily epoch.
const VOTING_PERIOD: i64 = 6 * HOUR;
const TIMELOCK: i64 = 4 * HOUR;
/// Voting power (whole tokens' worth) a proposal needs.
const MIN_PROPOSAL_TOKENS: u128 = 10_000;

/// A token holder of the demo and how it locks and votes.
pub(super) struct HolderPlan {
    pub(super) name: &'static str,
    pub(super) tokens: u64,
    pub(super) kind: LockupKind,
    pub(super) lockup: i64,
    pub(super) vote: VoteChoice,
}

pub(super) const HOLDERS: [HolderPlan; 3] = [
    HolderPlan {
        name: "alice",
        tokens: 50_000,
        kind: LockupKind::Constant,
        lockup: 4 * 365 * DAY,
        vote: VoteChoice::Yes,
    },
    HolderPlan {
        name: "bob",
        tokens: 30_000,
        kind: LockupKind::Cliff,
        lockup: 365 * DAY,
        vote: VoteChoice::Yes,
    },
    HolderPlan {
        name: "carol",
        tokens: 20_000,
        kind: LockupKind::Cliff,
        lockup: 180 * DAY,
        vote: VoteChoice::No,
    },
];

/// The demo's governance rules for the deployment, for a network token of
/// `decimals`: the defaults with a vote and timelock short enough for one
/// epoch, and a quorum of a tenth of the locked power.
pub(super) fn governance_args(decimals: u8) -> InitializeGovernanceArgs {
    let mut args =
        bootstrap::default_governance_args(MIN_PROPOSAL_TOKENS * 10u128.pow(u32::from(decimals)));
    args.rules.voting_period_secs = VOTING_PERIOD;
    args.rules.timelock_secs = TIMELOCK;
    args.rules.execution_window_secs = DAY;
    args.rules.quorum = Quorum::LockedFraction { bps: 1_000 };
    args
}

/// The token holders, one client each, in the order of [`HOLDERS`].
pub(super) struct Dao {
    holders: Vec<Client>,
}

/// What the round did, for the report.
pub(super) struct GovernanceReport {
    pub(super) proposal: Proposal,
    pub(super) powers: Vec<u128>,
    /// Each state the proposal reached, seconds after voting opened.
    pub(super) timeline: Vec<(ProposalState, i64)>,
    pub(super) old_rate: u64,
    pub(super) new_rate: u64,
    pub(super) effective_epoch: u64,
}

impl Demo {
    /// Funds the holders from the treasury, they lock their tokens, and the
    /// bootstrap authority hands the registry, oracle set, rewards config and
    /// treasury to the DAO authority.
    pub(super) fn set_up_dao(&mut self) -> Result<Dao> {
        let mut holders = Vec::new();
        for plan in &HOLDERS {
            let mut holder = self.cluster.client(keypair(&mut self.rng));
            let owner = holder.address();
            let amount = plan.tokens * self.unit();
            holder.airdrop(&owner, LAMPORTS_PER_SOL)?;
            self.authority
                .treasury_grant(&owner, amount)
                .with_context(|| format!("funding {} from the treasury", plan.name))?;
            holder
                .lock_tokens(
                    amount,
                    LockupArgs {
                        kind: plan.kind,
                        duration_secs: plan.lockup,
                    },
                )
                .with_context(|| format!("{} locking tokens", plan.name))?;
            holders.push(holder);
        }
        let handed = self
            .authority
            .hand_over_to_dao()
            .context("handing the network to the DAO")?;
        ensure!(
            handed.registry && handed.oracle && handed.rewards && handed.treasury,
            "the hand-over left something with the bootstrap authority: {handed:?}"
        );
        Ok(Dao { holders })
    }

    /// Alice proposes to cut the emission by a quarter from the epoch after
    /// the one in which the proposal can execute; the holders vote; after
    /// the vote and the timelock the bootstrap authority cranks it through.
    pub(super) fn governance_round(&mut self, dao: &mut Dao) -> Result<GovernanceReport> {
        let now = self.chain().clock()?.unix_timestamp;
        let effective_epoch = self
            .oracle_config
            .current_epoch(now + VOTING_PERIOD + TIMELOCK)
            .context("the network's genesis has not passed")?
            + 1;
        let config = self.authority.rewards_config()?;
        let current = config
            .schedule
            .iter()
            .rev()
            .find(|entry| entry.start_epoch < effective_epoch)
            .copied()
            .context("the emission schedule has no entry before the change")?;
        let new_rate = current.tokens_per_epoch / 4 * 3;
        let title = format!(
            "Cut emission to {} tokens per epoch from epoch {effective_epoch}",
            self.tokens(new_rate)
        );
        let proposal = dao.holders[0]
            .propose_emission(
                effective_epoch,
                new_rate,
                &title,
                "https://forum.example/t/emission-cut",
            )
            .context("creating the proposal")?;
        ensure!(
            proposal.warnings.is_empty(),
            "the proposal draws warnings: {}",
            proposal.warnings.join("; ")
        );
        let id = proposal.id;

        let mut powers = Vec::new();
        for (holder, plan) in dao.holders.iter_mut().zip(&HOLDERS) {
            holder
                .cast_vote(id, plan.vote)
                .with_context(|| format!("{} voting", plan.name))?;
            let record = holder
                .vote_record(id, &holder.address())?
                .context("a vote left no record")?;
            powers.push(record.power);
        }

        // The vote ends: the crank decides and queues it; after the
        // timelock the crank executes it.
        for (wait, expected) in [
            (VOTING_PERIOD, ProposalState::Queued),
            (TIMELOCK, ProposalState::Executed),
        ] {
            self.authority.warp(wait)?;
            let state = self
                .authority
                .execute_proposal(id)
                .with_context(|| format!("moving the proposal to {expected:?}"))?
                .state;
            ensure!(state == expected, "proposal is {state:?}, not {expected:?}");
        }

        let after = self.authority.rewards_config()?;
        ensure!(
            after
                .schedule
                .iter()
                .any(|entry| entry.start_epoch == effective_epoch
                    && entry.tokens_per_epoch == new_rate),
            "the executed proposal did not change the schedule"
        );
        let proposal = self.authority.proposal(id)?;
        let opened = proposal.voting_starts_at;
        let timeline = vec![
            (ProposalState::Voting, 0),
            (ProposalState::Succeeded, proposal.decided_at - opened),
            (
                ProposalState::Queued,
                proposal.executable_at - proposal.timelock_secs - opened,
            ),
            (ProposalState::Executed, proposal.executed_at - opened),
        ];
        Ok(GovernanceReport {
            proposal,
            powers,
            timeline,
            old_rate: current.tokens_per_epoch,
            new_rate,
            effective_epoch,
        })
    }
}
