//! `queue_proposal` and `execute_proposal`: decided, queued, past the
//! timelock, with exactly the stored accounts.

use {
    crate::governance::shrink_oracle_set,
    ::governance::error::GovernanceError,
    depin_sdk::{
        accounts::ProposalState,
        governance::{self, VoteChoice},
        pda, AccountMeta, Pubkey,
    },
    depin_tests::{
        assert_governance_error,
        dao::{Dao, Governed, TIMELOCK, VOTING_PERIOD},
    },
};

#[test]
fn a_proposal_cannot_run_before_its_vote_is_decided_and_queued() {
    let mut dao = Dao::locked();
    let id = dao.propose(0, &[shrink_oracle_set(&dao)]);
    dao.vote(0, id, VoteChoice::Yes).unwrap();
    dao.vote(1, id, VoteChoice::Yes).unwrap();
    assert_governance_error(dao.execute(id), GovernanceError::NotQueued);
    assert_governance_error(
        dao.crank(governance::queue_proposal(id)),
        GovernanceError::NotSucceeded,
    );
    dao.warp(VOTING_PERIOD + TIMELOCK);
    assert_governance_error(dao.execute(id), GovernanceError::NotQueued);
    dao.crank(governance::finalize_vote(id)).unwrap();
    assert_governance_error(
        dao.crank(governance::finalize_vote(id)),
        GovernanceError::NotVoting,
    );
    dao.crank(governance::queue_proposal(id)).unwrap();
    assert_governance_error(
        dao.crank(governance::queue_proposal(id)),
        GovernanceError::NotSucceeded,
    );
    // The timelock counts from queuing, not from the end of voting.
    assert_governance_error(dao.execute(id), GovernanceError::TimelockNotElapsed);
    dao.warp(TIMELOCK);
    dao.execute(id).unwrap();
    assert_governance_error(dao.execute(id), GovernanceError::NotQueued);
}

#[test]
fn execution_must_pass_exactly_the_stored_accounts() {
    let mut dao = Dao::locked();
    let id = dao.propose(0, &[shrink_oracle_set(&dao)]);
    dao.pass(id);
    let stored = dao.proposal(id).instructions;
    let honest = governance::execute_proposal(id, &stored);
    // Fixed accounts: config, proposal, event authority, program; then the
    // stored program and its accounts (authority, oracle config, …).
    let first = 4;
    let oracle_config = first + 2;
    assert_eq!(
        honest.accounts[oracle_config].pubkey,
        pda::oracle_config().0
    );

    let mut substituted = honest.clone();
    substituted.accounts[oracle_config].pubkey = pda::rewards_config().0;
    let mut reordered = honest.clone();
    reordered.accounts.swap(oracle_config, oracle_config + 1);
    let mut added = honest.clone();
    added
        .accounts
        .push(AccountMeta::new(Pubkey::new_unique(), false));
    let mut dropped = honest.clone();
    dropped.accounts.pop();
    let mut demoted = honest.clone();
    demoted.accounts[oracle_config].is_writable = false;
    let mut other_program = honest.clone();
    other_program.accounts[first].pubkey = ::rewards::ID;
    for forged in [
        substituted,
        reordered,
        added,
        dropped,
        demoted,
        other_program,
    ] {
        assert_governance_error(dao.crank(forged), GovernanceError::AccountMismatch);
    }
    assert_eq!(dao.state(id), ProposalState::Queued);
    dao.crank(honest).unwrap();
    assert_eq!(dao.state(id), ProposalState::Executed);
}
