//! `update_governance`: only through a proposal, and never for running votes.

use {
    ::governance::error::GovernanceError,
    depin_sdk::{
        governance::{self, VoteChoice, VotingPowerParams},
        pda, Signer,
    },
    depin_tests::{
        assert_governance_error,
        dao::{test_power_params, Dao, Governed, DAY, VOTING_PERIOD},
        network::TOKEN,
    },
};

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
