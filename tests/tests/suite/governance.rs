//! Governance: the life of a proposal, and the DAO running the network.

use {
    ::governance::error::GovernanceError,
    depin_sdk::{
        accounts::{BatchStatus, EpochBatch, OracleConfig, ProposalState, RewardsConfig},
        batch::BatchFile,
        governance::{
            self, dao_authority, InitializeGovernanceArgs, LockupKind, VoteChoice,
            VotingPowerParams,
        },
        merkle::Leaf,
        pda, proof_oracle,
        rewards::{ScheduleEntry, Split},
        Keypair, Signer,
    },
    depin_tests::{
        assert_governance_error, assert_oracle_error, assert_rewards_error,
        dao::{
            test_governance_args, test_power_params, BareDao, Dao, DAY, EXECUTION_WINDOW, TIMELOCK,
            VOTING_PERIOD, YEAR,
        },
        network::TOKEN,
        proof_oracle::GENESIS,
        SOL,
    },
    proof_oracle::error::OracleError,
    rewards::error::RewardsError,
};

fn oracle_config(dao: &Dao) -> OracleConfig {
    dao.net.cluster.fetch(&pda::oracle_config().0).unwrap()
}

fn current_epoch(dao: &Dao) -> u64 {
    ((dao.now() - GENESIS) / DAY) as u64
}

/// A one-leaf batch for `epoch` (finality does not look at devices).
fn batch(epoch: u64) -> BatchFile {
    BatchFile::new(
        epoch,
        vec![Leaf {
            device_key: [7; 32],
            serial: 1,
            amount: 0,
        }],
    )
    .unwrap()
}

#[test]
fn a_proposal_adds_an_oracle_whose_batch_vote_then_counts() {
    let mut dao = Dao::locked();
    let newcomer = Keypair::new();
    dao.net.cluster.airdrop(&newcomer.pubkey(), SOL).unwrap();
    let mut members: Vec<_> = dao.net.oracles.iter().map(Signer::pubkey).collect();
    members.push(newcomer.pubkey());

    let id = dao.propose(
        0,
        &[proof_oracle::set_oracle_set(dao_authority(), members, 2)],
    );
    let proposal = dao.proposal(id);
    assert_eq!(proposal.state, ProposalState::Voting);
    assert_eq!(proposal.voting_ends_at, dao.now() + VOTING_PERIOD);
    // 20 % of the 180,000 locked tokens.
    assert_eq!(proposal.quorum_power, 36_000 * TOKEN as u128);

    dao.vote(0, id, VoteChoice::Yes).unwrap();
    dao.vote(1, id, VoteChoice::Yes).unwrap();
    dao.vote(2, id, VoteChoice::No).unwrap();
    // Not decided before voting ends.
    assert_governance_error(
        dao.crank(governance::finalize_vote(id)),
        GovernanceError::VotingNotEnded,
    );
    dao.warp(VOTING_PERIOD);
    dao.crank(governance::finalize_vote(id)).unwrap();
    assert_eq!(dao.state(id), ProposalState::Succeeded);
    // Executing needs queuing, then the timelock.
    assert_governance_error(dao.execute(id), GovernanceError::NotQueued);
    dao.crank(governance::queue_proposal(id)).unwrap();
    assert_eq!(dao.state(id), ProposalState::Queued);
    assert_governance_error(dao.execute(id), GovernanceError::TimelockNotElapsed);
    dao.warp(TIMELOCK - 1);
    assert_governance_error(dao.execute(id), GovernanceError::TimelockNotElapsed);

    // Until it executes, the newcomer's vote is refused.
    let epoch = current_epoch(&dao) - 1;
    let votes = batch(epoch);
    let submit = |oracle: &Keypair| {
        proof_oracle::submit_batch(
            oracle.pubkey(),
            epoch,
            votes.commitment(),
            "https://batches.example/b.bin".into(),
        )
    };
    assert_oracle_error(
        dao.send_as(&newcomer, &[submit(&newcomer)]),
        OracleError::NotAnOracle,
    );

    dao.warp(1);
    dao.execute(id).unwrap();
    let proposal = dao.proposal(id);
    assert_eq!(proposal.state, ProposalState::Executed);
    assert_eq!(proposal.executed_at, dao.now());
    assert_eq!(oracle_config(&dao).oracles.len(), 4);
    assert_governance_error(dao.execute(id), GovernanceError::NotQueued);

    // One original oracle and the newcomer make the batch final.
    let first = dao.net.oracles[0].insecure_clone();
    dao.send_as(&first, &[submit(&first)]).unwrap();
    let batch_address = pda::epoch_batch(epoch).0;
    let pending: EpochBatch = dao.net.cluster.fetch(&batch_address).unwrap();
    assert_eq!(pending.status, BatchStatus::Pending);
    dao.send_as(&newcomer, &[submit(&newcomer)]).unwrap();
    let final_batch: EpochBatch = dao.net.cluster.fetch(&batch_address).unwrap();
    assert_eq!(final_batch.status, BatchStatus::Final);
    dao.assert_invariants();
}

#[test]
fn an_emission_change_takes_effect_from_the_next_epoch() {
    let mut dao = Dao::locked();
    let split = Split {
        devices_bps: 7_000,
        oracles_bps: 1_000,
        treasury_bps: 2_000,
    };
    // Passing takes voting + timelock = 3 days; the new rate starts in the
    // epoch after the one running at execution.
    let start_epoch = current_epoch(&dao) + 4;
    let config: RewardsConfig = dao.net.config();
    let mut schedule = config.schedule.clone();
    schedule.push(ScheduleEntry {
        start_epoch,
        tokens_per_epoch: 250_000 * TOKEN,
        split,
    });
    schedule.sort_by_key(|entry| entry.start_epoch);
    let id = dao.propose(
        1,
        &[depin_sdk::rewards::set_emission_schedule(
            dao_authority(),
            schedule,
        )],
    );
    dao.vote(0, id, VoteChoice::Yes).unwrap();
    issue_while_waiting(&mut dao, VOTING_PERIOD);
    dao.crank(governance::finalize_vote(id)).unwrap();
    dao.crank(governance::queue_proposal(id)).unwrap();
    issue_while_waiting(&mut dao, TIMELOCK);
    assert_eq!(current_epoch(&dao), start_epoch - 1);
    dao.execute(id).unwrap();

    // The running epoch keeps the old rate, the next one has the new rate.
    issue_while_waiting(&mut dao, 2 * DAY);
    for epoch in 0..start_epoch {
        assert_eq!(dao.net.epoch_rewards(epoch).emission, 1_000_000 * TOKEN);
    }
    let issued = dao.net.epoch_rewards(start_epoch);
    assert_eq!(issued.emission, 250_000 * TOKEN);
    assert_eq!(issued.devices, 175_000 * TOKEN);
    dao.net.assert_invariants();
}

/// Moves the clock `seconds` ahead in steps of at most 12 hours, issuing
/// every epoch as it ends (as the crank would).
fn issue_while_waiting(dao: &mut Dao, seconds: i64) {
    let target = dao.now() + seconds;
    while dao.now() < target {
        dao.warp((target - dao.now()).min(12 * 3_600));
        for epoch in dao.net.config().next_epoch..current_epoch(dao) {
            dao.net.issue(epoch).unwrap();
        }
    }
}

#[test]
fn a_defeated_proposal_cannot_be_queued_or_executed() {
    let mut dao = Dao::locked();
    let id = dao.propose(
        0,
        &[proof_oracle::set_oracle_set(
            dao_authority(),
            vec![dao_authority()],
            1,
        )],
    );
    // 60 % needed: 30k yes against 100k + 30k no.
    dao.vote(1, id, VoteChoice::Yes).unwrap();
    dao.vote(0, id, VoteChoice::No).unwrap();
    dao.vote(2, id, VoteChoice::No).unwrap();
    dao.warp(VOTING_PERIOD);
    dao.crank(governance::finalize_vote(id)).unwrap();
    assert_eq!(dao.state(id), ProposalState::Defeated);
    assert_governance_error(
        dao.crank(governance::queue_proposal(id)),
        GovernanceError::NotSucceeded,
    );
    dao.warp(TIMELOCK);
    assert_governance_error(dao.execute(id), GovernanceError::NotQueued);
    assert_eq!(oracle_config(&dao).oracles.len(), 3);
}

#[test]
fn quorum_counts_abstentions_but_approval_does_not() {
    let mut dao = Dao::locked();
    // Quorum is 36,000 tokens of power. 20k yes alone misses it.
    let lonely = dao.propose(3, &[]);
    dao.vote(3, lonely, VoteChoice::Yes).unwrap();
    // 30k abstain + 20k yes reaches it; abstain does not dilute approval.
    let with_abstain = dao.propose(3, &[]);
    dao.vote(3, with_abstain, VoteChoice::Yes).unwrap();
    dao.vote(2, with_abstain, VoteChoice::Abstain).unwrap();
    dao.warp(VOTING_PERIOD);
    dao.crank(governance::finalize_vote(lonely)).unwrap();
    dao.crank(governance::finalize_vote(with_abstain)).unwrap();
    assert_eq!(dao.state(lonely), ProposalState::Defeated);
    assert_eq!(dao.state(with_abstain), ProposalState::Succeeded);
    let proposal = dao.proposal(with_abstain);
    assert!(
        proposal.yes < proposal.quorum_power,
        "yes alone misses quorum"
    );
    assert!(proposal.yes + proposal.abstain >= proposal.quorum_power);
    assert_eq!(proposal.no, 0);
}

#[test]
fn voting_power_grows_with_remaining_lockup_and_constant_lockups_do_not_decay() {
    let mut dao = Dao::new();
    // Saturation is four years: a one-year cliff adds 3 × 1/4 = 0.75×, a
    // constant four-year lockup the full 3×.
    dao.lock(1, 10_000 * TOKEN, LockupKind::Cliff, YEAR)
        .unwrap();
    dao.lock(2, 10_000 * TOKEN, LockupKind::Constant, 4 * YEAR)
        .unwrap();
    dao.lock(0, 100_000 * TOKEN, LockupKind::Cliff, YEAR)
        .unwrap();
    let id = dao.propose(0, &[]);
    dao.warp(DAY);
    dao.vote(1, id, VoteChoice::Yes).unwrap();
    dao.vote(2, id, VoteChoice::No).unwrap();
    let proposal = dao.proposal(id);
    let remaining = (YEAR - DAY) as u128;
    let expected_yes = 10_000 * TOKEN as u128 * (10_000 * 4 * YEAR as u128 + 30_000 * remaining)
        / (10_000 * 4 * YEAR as u128);
    assert_eq!(proposal.yes, expected_yes);
    assert_eq!(proposal.no, 40_000 * TOKEN as u128);
    let record: governance::VoteRecord = dao
        .net
        .cluster
        .fetch(&pda::vote_record(&pda::proposal(id).0, &dao.holders[2].pubkey()).0)
        .unwrap();
    assert_eq!(record.power, proposal.no);
    assert_eq!(record.choice, VoteChoice::No);
}

#[test]
fn a_queued_proposal_expires_after_its_execution_window() {
    let mut dao = Dao::locked();
    let id = dao.propose(
        0,
        &[proof_oracle::set_oracle_set(
            dao_authority(),
            vec![dao_authority()],
            1,
        )],
    );
    dao.pass(id);
    assert_governance_error(
        dao.crank(governance::expire_proposal(id)),
        GovernanceError::NotExpired,
    );
    dao.warp(EXECUTION_WINDOW);
    assert_governance_error(dao.execute(id), GovernanceError::ProposalExpired);
    dao.crank(governance::expire_proposal(id)).unwrap();
    assert_eq!(dao.state(id), ProposalState::Expired);
    assert_governance_error(dao.execute(id), GovernanceError::NotQueued);
    assert_eq!(oracle_config(&dao).oracles.len(), 3);
}

#[test]
fn a_success_not_queued_within_the_window_expires() {
    let mut dao = Dao::locked();
    let id = dao.propose(0, &[]);
    dao.vote(0, id, VoteChoice::Yes).unwrap();
    dao.warp(VOTING_PERIOD);
    dao.crank(governance::finalize_vote(id)).unwrap();
    dao.warp(EXECUTION_WINDOW);
    assert_governance_error(
        dao.crank(governance::queue_proposal(id)),
        GovernanceError::ProposalExpired,
    );
    dao.crank(governance::expire_proposal(id)).unwrap();
    assert_eq!(dao.state(id), ProposalState::Expired);
}

#[test]
fn a_cancelled_proposal_takes_no_votes_and_never_executes() {
    let mut dao = Dao::locked();
    let id = dao.propose(0, &[]);
    dao.vote(0, id, VoteChoice::Yes).unwrap();
    let stranger = dao.holder(1);
    assert_governance_error(
        dao.send_as(
            &stranger,
            &[governance::cancel_proposal(stranger.pubkey(), id)],
        ),
        GovernanceError::NotProposer,
    );
    let proposer = dao.holder(0);
    dao.send_as(
        &proposer,
        &[governance::cancel_proposal(proposer.pubkey(), id)],
    )
    .unwrap();
    assert_eq!(dao.state(id), ProposalState::Cancelled);
    assert_governance_error(dao.vote(1, id, VoteChoice::Yes), GovernanceError::NotVoting);
    dao.warp(VOTING_PERIOD);
    assert_governance_error(
        dao.crank(governance::finalize_vote(id)),
        GovernanceError::NotVoting,
    );
    assert_governance_error(dao.execute(id), GovernanceError::NotQueued);
}

/// Test rules with early tipping, over a bare mint whose tokens have no
/// decimals (so any holder may propose).
fn tipping_args() -> InitializeGovernanceArgs {
    let mut args = test_governance_args();
    args.rules.early_tipping = true;
    args.rules.min_proposal_power = 1;
    args
}

#[test]
fn early_tipping_counts_tokens_that_are_not_locked_yet() {
    let mut args = test_governance_args();
    args.rules.early_tipping = true;
    let mut dao = Dao::with_args(args);
    // 51,000 tokens locked, of more than a million in existence.
    dao.lock(0, 50_000 * TOKEN, LockupKind::Constant, 4 * YEAR)
        .unwrap();
    dao.lock(3, 1_000 * TOKEN, LockupKind::Cliff, YEAR).unwrap();
    let id = dao.propose(0, &[]);
    dao.vote(0, id, VoteChoice::Yes).unwrap();
    // 200,000 yes: against what the locked tokens could cast (204,000) no
    // vote could defeat it, so a bound on locked tokens would tip here…
    let proposal = dao.proposal(id);
    let config = dao.config();
    let locked_bound = config.power.max_power(config.total_locked).unwrap();
    assert!(proposal.tips(locked_bound).unwrap());
    // …but it stays open: unlocked tokens can still be locked and vote.
    assert_eq!(proposal.state, ProposalState::Voting);
    assert_eq!(proposal.decided_at, 0);
    dao.lock(1, 30_000 * TOKEN, LockupKind::Constant, 4 * YEAR)
        .unwrap();
    dao.lock(2, 30_000 * TOKEN, LockupKind::Constant, 4 * YEAR)
        .unwrap();
    dao.vote(1, id, VoteChoice::No).unwrap();
    dao.vote(2, id, VoteChoice::No).unwrap();
    // 200,000 yes against 240,000 no: defeated.
    assert_eq!(dao.state(id), ProposalState::Voting);
    dao.warp(VOTING_PERIOD);
    dao.crank(governance::finalize_vote(id)).unwrap();
    assert_eq!(dao.state(id), ProposalState::Defeated);
}

#[test]
fn early_tipping_decides_once_no_token_in_existence_could_defeat_it() {
    // 1,000 tokens exist: 600 with holder 0, locked for the full 4×, and
    // 400 unlocked with holder 1. 2,400 yes of at most 4,000 power: even if
    // the other 1,600 all voted no, yes keeps exactly 60 %.
    let mut dao = BareDao::new(tipping_args(), &[600, 400]);
    dao.lock(0, 600, LockupKind::Constant, 4 * YEAR).unwrap();
    let id = dao.propose(0);
    dao.vote(0, id, VoteChoice::Yes).unwrap();
    let proposal = dao.proposal(id);
    assert_eq!(proposal.yes, 2_400);
    assert_eq!(proposal.state, ProposalState::Succeeded);
    assert_eq!(proposal.decided_at, dao.now());
    dao.lock(1, 400, LockupKind::Constant, 4 * YEAR).unwrap();
    assert_governance_error(dao.vote(1, id, VoteChoice::No), GovernanceError::NotVoting);
    let cranker = dao.holder(1);
    dao.send_as(&cranker, &[governance::queue_proposal(id)])
        .unwrap();
    assert_eq!(dao.proposal(id).state, ProposalState::Queued);

    // One token more in existence, minted after the vote opened: the same
    // vote no longer decides it, and rightly so — 401 tokens at 4× vote no
    // and yes falls just below 60 %.
    let mut dao = BareDao::new(tipping_args(), &[600, 400]);
    dao.lock(0, 600, LockupKind::Constant, 4 * YEAR).unwrap();
    let id = dao.propose(0);
    dao.mint_to(1, 1);
    assert_eq!(dao.supply(), 1_001);
    dao.vote(0, id, VoteChoice::Yes).unwrap();
    assert_eq!(dao.proposal(id).state, ProposalState::Voting);
    dao.lock(1, 401, LockupKind::Constant, 4 * YEAR).unwrap();
    dao.vote(1, id, VoteChoice::No).unwrap();
    let proposal = dao.proposal(id);
    assert_eq!((proposal.yes, proposal.no), (2_400, 1_604));
    assert_eq!(proposal.state, ProposalState::Voting);
    dao.warp(VOTING_PERIOD);
    let cranker = dao.holder(1);
    dao.send_as(&cranker, &[governance::finalize_vote(id)])
        .unwrap();
    assert_eq!(dao.proposal(id).state, ProposalState::Defeated);
}

#[test]
fn a_power_change_weighs_votes_opened_after_it_but_not_a_running_vote() {
    let mut dao = Dao::locked();
    let old = test_power_params();
    // Flat power: one per token, whatever the lockup.
    let flat = VotingPowerParams {
        max_extra_bps: 0,
        ..old
    };
    let update = governance::update_governance(governance::UpdateGovernanceArgs {
        power: Some(flat),
        ..Default::default()
    });
    let id = dao.propose(0, &[update]);
    dao.pass(id);
    // Voting opens on `running` under the old parameters; the update runs
    // during its vote.
    let running = dao.propose(0, &[]);
    assert_eq!(dao.proposal(running).power, old);
    dao.execute(id).unwrap();
    assert_eq!(dao.config().power, flat);
    assert_eq!(dao.proposal(running).power, old);

    // Holder 2 (30,000 tokens, a one-year cliff locked a few days ago)
    // votes on the running proposal: weighed as when its vote opened.
    let now = dao.now();
    let position = dao.voter(&dao.holders[2].pubkey()).positions[0];
    let remaining = position.lockup.end_ts - now;
    dao.vote(2, running, VoteChoice::Yes).unwrap();
    let record: governance::VoteRecord = dao
        .net
        .cluster
        .fetch(&pda::vote_record(&pda::proposal(running).0, &dao.holders[2].pubkey()).0)
        .unwrap();
    let weighed_as_before = old.power(30_000 * TOKEN, remaining).unwrap();
    assert!(weighed_as_before > 30_000 * TOKEN as u128);
    assert_eq!(record.power, weighed_as_before);
    assert_eq!(dao.proposal(running).yes, weighed_as_before);

    // A proposal whose vote opens after the update uses the new weights.
    let next = dao.propose(0, &[]);
    assert_eq!(dao.proposal(next).power, flat);
    dao.vote(2, next, VoteChoice::Yes).unwrap();
    assert_eq!(dao.proposal(next).yes, 30_000 * TOKEN as u128);
}

#[test]
fn the_dao_owns_the_registry_the_oracle_set_and_the_rewards_config() {
    let mut dao = Dao::locked();
    // The former authority can change nothing.
    let former = dao.net.authority.insecure_clone();
    assert_oracle_error(
        dao.send_as(
            &former,
            &[proof_oracle::set_oracle_set(
                former.pubkey(),
                vec![former.pubkey()],
                1,
            )],
        ),
        OracleError::NotAuthority,
    );
    assert_rewards_error(
        dao.send_as(
            &former,
            &[depin_sdk::rewards::update_rewards(
                former.pubkey(),
                Default::default(),
                None,
            )],
        ),
        RewardsError::NotAuthority,
    );
    let registry: depin_sdk::accounts::RegistryConfig =
        dao.net.cluster.fetch(&pda::registry_config().0).unwrap();
    assert_eq!(registry.authority, dao_authority());
    assert_eq!(oracle_config(&dao).authority, dao_authority());
    assert_eq!(dao.net.config().authority, dao_authority());

    // A proposal approves a maker (the DAO authority pays its rent) and
    // sends treasury tokens to a grantee.
    let maker = Keypair::new();
    let grantee = dao.net.member();
    let treasury = dao.net.config().treasury;
    let before = dao.net.cluster.token_balance(&treasury);
    let id = dao.propose(
        0,
        &[
            depin_sdk::device_registry::add_maker(
                dao_authority(),
                dao_authority(),
                depin_sdk::device_registry::AddMakerArgs {
                    maker_key: maker.pubkey(),
                    name: "Acme Radios".into(),
                    device_quota: Some(1_000),
                },
            ),
            depin_sdk::token::transfer(
                &treasury,
                &grantee.token_account(),
                &dao_authority(),
                5_000 * TOKEN,
            ),
        ],
    );
    dao.pass(id);
    dao.execute(id).unwrap();
    let approved: depin_sdk::accounts::Maker = dao
        .net
        .cluster
        .fetch(&pda::maker(&maker.pubkey()).0)
        .unwrap();
    assert_eq!(approved.name, "Acme Radios");
    assert_eq!(dao.net.token_balance(&grantee.pubkey()), 5_000 * TOKEN);
    assert_eq!(
        dao.net.cluster.token_balance(&treasury),
        before - 5_000 * TOKEN
    );
}

#[test]
fn the_dao_vetoes_a_final_batch_inside_its_challenge_window() {
    let mut dao = Dao::locked();
    // Challenge window long enough for a vote: a proposal sets it first.
    let id = dao.propose(
        0,
        &[proof_oracle::update_oracle_params(
            dao_authority(),
            proof_oracle::instructions::UpdateOracleParamsArgs {
                challenge_window: Some(7 * DAY),
                ..Default::default()
            },
        )],
    );
    dao.pass(id);
    dao.execute(id).unwrap();
    assert_eq!(oracle_config(&dao).challenge_window, 7 * DAY);

    let epoch = current_epoch(&dao) - 1;
    let suspicious = batch(epoch);
    dao.net.finalize(&suspicious, 2);
    let veto = dao.propose(0, &[proof_oracle::reject_batch(dao_authority(), epoch)]);
    dao.pass(veto);
    dao.execute(veto).unwrap();
    let rejected: EpochBatch = dao.net.cluster.fetch(&pda::epoch_batch(epoch).0).unwrap();
    assert_eq!(rejected.status, BatchStatus::Rejected);
}

#[test]
fn governance_changes_its_own_rules_only_through_a_proposal_and_not_for_running_votes() {
    let mut dao = Dao::locked();
    let mut stricter = depin_tests::dao::test_rules();
    stricter.approval_threshold_bps = 9_000;
    stricter.voting_period_secs = 5 * DAY;
    let update = governance::update_governance(governance::UpdateGovernanceArgs {
        rules: Some(stricter),
        ..Default::default()
    });
    // Nobody but the DAO authority signs for it.
    let holder = dao.holder(0);
    let mut forged = update.clone();
    forged.accounts[0].pubkey = holder.pubkey();
    assert_governance_error(
        dao.send_as(&holder, &[forged]),
        GovernanceError::NotDaoAuthority,
    );

    let id = dao.propose(0, &[update]);
    // A proposal already voting keeps the rules it started with.
    let running = dao.propose(0, &[]);
    dao.pass(id);
    dao.execute(id).unwrap();
    assert_eq!(dao.config().rules, stricter);
    let running = dao.proposal(running);
    assert_eq!(running.approval_threshold_bps, 6_000);
    assert_eq!(
        running.voting_ends_at - running.voting_starts_at,
        VOTING_PERIOD
    );
    let next = dao.propose(0, &[]);
    let next = dao.proposal(next);
    assert_eq!(next.approval_threshold_bps, 9_000);
    assert_eq!(next.voting_ends_at - next.voting_starts_at, 5 * DAY);
}

#[test]
fn the_bootstrap_finishes_a_half_done_deployment_and_hands_everything_to_the_dao() {
    use {
        depin_client::{
            bootstrap::{self, NetworkPlan, RegistryPlan},
            embedded::EmbeddedCluster,
        },
        depin_sdk::token,
    };
    let mut cluster = EmbeddedCluster::new();
    let deployer = cluster.upgrade_authority().insecure_clone();
    let authority = Keypair::new();
    cluster.airdrop(&authority.pubkey(), 100 * SOL).unwrap();
    let oracles = (0..3).map(|_| Keypair::new().pubkey()).collect();
    let plan = NetworkPlan {
        oracle: bootstrap::daily_oracle_args(authority.pubkey(), oracles, 2, GENESIS),
        rewards: bootstrap::default_rewards_args(authority.pubkey(), 0),
        registry: RegistryPlan {
            fee_decimals: 0,
            classes: bootstrap::default_classes(),
            makers: vec![],
        },
        governance: depin_tests::dao::test_governance_args(),
        dao_lamports: 2 * SOL,
        hand_over: true,
    };
    // Interrupted after the first two steps.
    bootstrap::bootstrap_oracle(&mut cluster, &deployer, &plan.oracle).unwrap();
    bootstrap::bootstrap_rewards(&mut cluster, &deployer, &authority.pubkey(), &plan.rewards)
        .unwrap();

    let done = bootstrap::bootstrap_network(&mut cluster, &deployer, &authority, &plan).unwrap();
    let dao = dao_authority();
    assert_eq!(done.registry.authority, dao);
    assert_eq!(done.registry.rewards_authority, pda::rewards_config().0);
    assert_eq!(done.registry.fee_mint, pda::dc_mint().0);
    assert_eq!(done.registry.classes.len(), 3);
    assert_eq!(done.oracle.authority, dao);
    assert_eq!(done.rewards.authority, dao);
    assert_eq!(done.governance.dao_authority, dao);
    let treasury = cluster.account(&done.rewards.treasury).unwrap();
    assert_eq!(token::token_account_owner(&treasury.data), Some(dao));
    assert_eq!(cluster.balance(&dao), 2 * SOL);
    assert!(done.handed_over.registry && done.handed_over.treasury);

    // A rerun changes nothing and duplicates nothing.
    let again = bootstrap::bootstrap_network(&mut cluster, &deployer, &authority, &plan).unwrap();
    assert_eq!(again.handed_over, Default::default());
    assert_eq!(again.registry.classes.len(), 3);
    assert_eq!(cluster.balance(&dao), 2 * SOL);
}
