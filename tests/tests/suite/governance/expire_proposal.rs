//! `expire_proposal`: successes not queued or executed in time expire.

use {
    ::governance::error::GovernanceError,
    depin_sdk::{
        accounts::ProposalState,
        governance::{self, dao_authority, VoteChoice},
        proof_oracle,
    },
    depin_tests::{
        assert_governance_error,
        dao::{Dao, Governed, EXECUTION_WINDOW, VOTING_PERIOD},
    },
};

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
    assert_eq!(dao.net.oracle_config().oracles.len(), 3);
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
