//! `finalize_vote`: quorum and approval, and early tipping.

use {
    ::governance::error::GovernanceError,
    depin_sdk::{
        accounts::ProposalState,
        governance::{self, dao_authority, InitializeGovernanceArgs, LockupKind, VoteChoice},
        proof_oracle,
    },
    depin_tests::{
        assert_governance_error,
        dao::{test_governance_args, BareDao, Dao, Governed, TIMELOCK, VOTING_PERIOD, YEAR},
        network::TOKEN,
    },
};

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
    assert_eq!(dao.net.oracle_config().oracles.len(), 3);
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
