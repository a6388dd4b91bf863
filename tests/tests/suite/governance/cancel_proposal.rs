//! `cancel_proposal`: the proposer only, while voting time remains.

use {
    ::governance::error::GovernanceError,
    depin_sdk::{
        accounts::ProposalState,
        governance::{self, VoteChoice},
        SdkError, Signer, TxOutcome,
    },
    depin_tests::{
        assert_governance_error,
        dao::{Dao, Governed, VOTING_PERIOD},
    },
};

fn cancel(dao: &mut Dao, proposer: usize, id: u64) -> Result<TxOutcome, SdkError> {
    let owner = dao.holder(proposer);
    dao.send_as(&owner, &[governance::cancel_proposal(owner.pubkey(), id)])
}

#[test]
fn a_proposer_cannot_cancel_a_vote_whose_time_is_over() {
    let mut dao = Dao::locked();
    let decided = dao.propose(0, &[]);
    let last_second = dao.propose(0, &[]);
    let draft = dao.create_draft(0, "draft").unwrap();
    let ends = dao.proposal(decided).voting_ends_at;
    assert_eq!(dao.proposal(last_second).voting_ends_at, ends);
    for id in [decided, last_second] {
        dao.vote(0, id, VoteChoice::Yes).unwrap();
        dao.vote(1, id, VoteChoice::Yes).unwrap();
    }

    // The last second of voting: votes are still taken, so the proposer may
    // still cancel.
    dao.warp(ends - 1 - dao.now());
    cancel(&mut dao, 0, last_second).unwrap();
    assert_eq!(dao.state(last_second), ProposalState::Cancelled);

    // At the end of voting the vote is over, finalized or not: no more
    // votes and no cancelling the outcome.
    dao.warp(1);
    assert_eq!(dao.now(), ends);
    assert_governance_error(
        dao.vote(2, decided, VoteChoice::No),
        GovernanceError::VotingEnded,
    );
    assert_governance_error(
        cancel(&mut dao, 0, decided),
        GovernanceError::CancelWindowClosed,
    );
    assert_eq!(dao.state(decided), ProposalState::Voting);
    dao.crank(governance::finalize_vote(decided)).unwrap();
    assert_eq!(dao.state(decided), ProposalState::Succeeded);
    assert_governance_error(cancel(&mut dao, 0, decided), GovernanceError::NotVoting);
    dao.crank(governance::queue_proposal(decided)).unwrap();
    assert_governance_error(cancel(&mut dao, 0, decided), GovernanceError::NotVoting);
    // A draft has no vote yet: it can be cancelled however old it is.
    cancel(&mut dao, 0, draft).unwrap();
    assert_eq!(dao.state(draft), ProposalState::Cancelled);
    assert_governance_error(cancel(&mut dao, 0, draft), GovernanceError::NotVoting);
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
