//! The demo's governance round: token holders lock tokens, the network is
//! handed to the DAO, and a proposal cuts the emission rate through its
//! whole life (vote, timelock, execution) so the next epoch shows it.

use {
    super::{right, Demo, LAMPORTS_PER_SOL},
    anyhow::{ensure, Context, Result},
    comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, Table},
    depin_client::bootstrap,
    depin_sdk::{
        accounts::{Proposal, ProposalState},
        governance::{self, LockupArgs, LockupKind, Quorum, VoteChoice},
        pda, rewards, token, Keypair, Signer,
    },
};

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;
/// Short enough that the round fits inside one daily epoch.
const VOTING_PERIOD: i64 = 6 * HOUR;
const TIMELOCK: i64 = 4 * HOUR;

/// A token holder of the demo and how it locks and votes.
struct HolderPlan {
    name: &'static str,
    tokens: u64,
    kind: LockupKind,
    lockup: i64,
    vote: VoteChoice,
}

const HOLDERS: [HolderPlan; 3] = [
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

pub(super) struct Dao {
    holders: Vec<Keypair>,
}

/// What the round did, for the report.
pub(super) struct GovernanceReport {
    proposal: Proposal,
    powers: Vec<u128>,
    timeline: Vec<(ProposalState, i64)>,
    old_rate: u64,
    new_rate: u64,
    pub(super) effective_epoch: u64,
}

impl Demo {
    /// Initializes governance, funds and locks the holders' tokens from the
    /// treasury, and hands the registry, oracle set, rewards config and
    /// treasury to the DAO authority.
    pub(super) fn set_up_dao(&mut self) -> Result<Dao> {
        let mut args = bootstrap::default_governance_args(10_000 * self.unit() as u128);
        args.rules.voting_period_secs = VOTING_PERIOD;
        args.rules.timelock_secs = TIMELOCK;
        args.rules.execution_window_secs = DAY;
        args.rules.quorum = Quorum::LockedFraction { bps: 1_000 };
        let deployer = self.cluster.upgrade_authority().insecure_clone();
        bootstrap::bootstrap_governance(&mut self.cluster, &deployer, &args)
            .context("bootstrapping governance")?;

        let mut holders = Vec::new();
        for plan in &HOLDERS {
            let holder = super::keypair(&mut self.rng);
            let owner = holder.pubkey();
            let amount = plan.tokens * self.unit();
            self.cluster.airdrop(&owner, LAMPORTS_PER_SOL)?;
            self.cluster
                .send(
                    &[
                        rewards::create_token_account(&self.authority.pubkey(), &owner),
                        token::transfer(
                            &pda::treasury().0,
                            &rewards::token_account(&owner),
                            &self.authority.pubkey(),
                            amount,
                        ),
                    ],
                    &self.authority,
                    &[],
                )
                .with_context(|| format!("funding {} from the treasury", plan.name))?;
            self.cluster
                .send(
                    &[governance::lock_tokens(
                        owner,
                        rewards::token_account(&owner),
                        pda::token_mint().0,
                        amount,
                        LockupArgs {
                            kind: plan.kind,
                            duration_secs: plan.lockup,
                        },
                    )],
                    &holder,
                    &[],
                )
                .with_context(|| format!("{} locking tokens", plan.name))?;
            holders.push(holder);
        }
        let authority = self.authority.insecure_clone();
        let handed = bootstrap::hand_over_to_dao(&mut self.cluster, &authority)
            .context("handing the network to the DAO")?;
        ensure!(
            handed.registry && handed.oracle && handed.rewards && handed.treasury,
            "the hand-over left something with the bootstrap authority: {handed:?}"
        );
        self.cluster
            .airdrop(&governance::dao_authority(), LAMPORTS_PER_SOL)?;
        Ok(Dao { holders })
    }

    /// Alice proposes to cut the emission by a quarter from
    /// `effective_epoch`; the holders vote; after the vote and the timelock
    /// anyone executes it.
    pub(super) fn governance_round(
        &mut self,
        dao: &Dao,
        effective_epoch: u64,
    ) -> Result<GovernanceReport> {
        let config = self.rewards_config()?;
        let current = config
            .schedule
            .iter()
            .rev()
            .find(|entry| entry.start_epoch < effective_epoch)
            .copied()
            .context("the emission schedule has no entry before the change")?;
        let new_rate = current.tokens_per_epoch / 4 * 3;
        let schedule = rewards::schedule_with_rate(&config.schedule, effective_epoch, new_rate)
            .context("the emission schedule has no entry before the change")?;

        let proposer = &dao.holders[0];
        let id = self
            .cluster
            .fetch::<governance::GovernanceConfig>(&pda::governance_config().0)?
            .proposal_count;
        let title = format!(
            "Cut emission to {} tokens per epoch from epoch {effective_epoch}",
            self.tokens(new_rate)
        );
        let change = rewards::set_emission_schedule(governance::dao_authority(), schedule);
        self.cluster
            .send(
                &[
                    governance::create_proposal(
                        proposer.pubkey(),
                        id,
                        &title,
                        "https://forum.example/t/emission-cut",
                    ),
                    governance::add_instruction(proposer.pubkey(), id, governance::stored(&change)),
                    governance::activate_proposal(proposer.pubkey(), id),
                ],
                proposer,
                &[],
            )
            .context("creating the proposal")?;
        let started = self.cluster.clock().unix_timestamp;
        let mut timeline = vec![(ProposalState::Voting, 0)];

        let mut powers = Vec::new();
        for (holder, plan) in dao.holders.iter().zip(&HOLDERS) {
            self.cluster
                .send(
                    &[governance::cast_vote(
                        holder.pubkey(),
                        id,
                        plan.vote,
                        pda::token_mint().0,
                    )],
                    holder,
                    &[],
                )
                .with_context(|| format!("{} voting", plan.name))?;
            let record: governance::VoteRecord = self
                .cluster
                .fetch(&pda::vote_record(&pda::proposal(id).0, &holder.pubkey()).0)?;
            powers.push(record.power);
        }

        let cranker = self.authority.insecure_clone();
        let mut step = |demo: &mut Self, wait: i64, instructions: Vec<_>, state| -> Result<()> {
            let now = demo.cluster.clock().unix_timestamp;
            demo.cluster.warp_to_timestamp(now + wait);
            demo.cluster
                .send(&instructions, &cranker, &[])
                .with_context(|| format!("moving the proposal to {state:?}"))?;
            let proposal: Proposal = demo.cluster.fetch(&pda::proposal(id).0)?;
            ensure!(
                proposal.state == state,
                "proposal is {:?}, not {state:?}",
                proposal.state
            );
            timeline.push((state, demo.cluster.clock().unix_timestamp - started));
            Ok(())
        };
        step(
            self,
            VOTING_PERIOD,
            vec![governance::finalize_vote(id)],
            ProposalState::Succeeded,
        )?;
        step(
            self,
            0,
            vec![governance::queue_proposal(id)],
            ProposalState::Queued,
        )?;
        let stored = vec![governance::stored(&change)];
        step(
            self,
            TIMELOCK,
            governance::execute_proposal_with_budget(id, &stored),
            ProposalState::Executed,
        )?;

        let after = self.rewards_config()?;
        ensure!(
            after
                .schedule
                .iter()
                .any(|entry| entry.start_epoch == effective_epoch
                    && entry.tokens_per_epoch == new_rate),
            "the executed proposal did not change the schedule"
        );
        Ok(GovernanceReport {
            proposal: self.cluster.fetch(&pda::proposal(id).0)?,
            powers,
            timeline,
            old_rate: current.tokens_per_epoch,
            new_rate,
            effective_epoch,
        })
    }

    fn unit(&self) -> u64 {
        10u64.pow(u32::from(self.decimals))
    }

    /// Voting power in whole tokens (display only).
    fn power(&self, power: u128) -> String {
        self.tokens(u64::try_from(power).unwrap_or(u64::MAX))
    }

    pub(super) fn governance_tables(&self, report: &GovernanceReport) -> (Table, Table) {
        let proposal = &report.proposal;
        let mut votes = Table::new();
        votes.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
            "holder",
            "locked",
            "lockup",
            "vote",
            "voting power",
        ]);
        for (plan, power) in HOLDERS.iter().zip(&report.powers) {
            let lockup = match plan.kind {
                LockupKind::Constant => format!("constant {} d", plan.lockup / DAY),
                LockupKind::Cliff => format!("cliff {} d", plan.lockup / DAY),
            };
            votes.add_row(vec![
                Cell::new(plan.name),
                right(self.tokens(plan.tokens * self.unit())),
                Cell::new(lockup),
                Cell::new(format!("{:?}", plan.vote)),
                right(self.power(*power)),
            ]);
        }
        votes.add_row(vec![
            Cell::new("tally"),
            Cell::new(""),
            Cell::new(format!("quorum {}", self.power(proposal.quorum_power))),
            Cell::new(format!("{} bps to pass", proposal.approval_threshold_bps)),
            right(format!(
                "yes {} / no {} / abstain {}",
                self.power(proposal.yes),
                self.power(proposal.no),
                self.power(proposal.abstain)
            )),
        ]);

        let mut life = Table::new();
        life.load_preset(UTF8_FULL_CONDENSED)
            .set_header(vec!["state", "hours after voting opened"]);
        for (state, seconds) in &report.timeline {
            life.add_row(vec![
                Cell::new(format!("{state:?}")),
                right(format!("{:.1}", *seconds as f64 / HOUR as f64)),
            ]);
        }
        (votes, life)
    }

    pub(super) fn governance_summary(&self, report: &GovernanceReport) -> String {
        format!(
            "proposal #{} \"{}\": emission {} → {} tokens per epoch from epoch {}, executed by the DAO authority {}",
            report.proposal.id,
            report.proposal.title,
            self.tokens(report.old_rate),
            self.tokens(report.new_rate),
            report.effective_epoch,
            governance::dao_authority()
        )
    }
}
