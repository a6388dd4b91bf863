//! `activate_proposal`: the proposer still has the power when the vote opens.

use {
    ::governance::error::GovernanceError,
    depin_sdk::{
        accounts::ProposalState,
        governance::{self, LockupKind},
        pda, Signer,
    },
    depin_tests::{
        assert_governance_error, assert_wrong_pda,
        dao::{Dao, Governed, DAY, VOTING_PERIOD, YEAR},
        network::TOKEN,
    },
};

#[test]
fn a_proposer_who_no_longer_has_the_power_cannot_open_the_vote() {
    let mut dao = Dao::new();
    // Holder 3's 20,000 tokens unlock in four days: enough to propose now
    // (locked past a two-day vote).
    dao.lock(3, 20_000 * TOKEN, LockupKind::Cliff, 4 * DAY)
        .unwrap();
    let unlocks = dao.voter(&dao.holders[3].pubkey()).positions[0]
        .lockup
        .end_ts;
    let on_time = dao.create_draft(3, "on time").unwrap();
    let late = dao.create_draft(3, "late").unwrap();
    let after_withdrawal = dao.create_draft(3, "after withdrawal").unwrap();
    let proposer = dao.holder(3);
    let activate = |id| governance::activate_proposal(proposer.pubkey(), id);

    // Exactly one voting period before the tokens unlock they still count…
    dao.warp(unlocks - VOTING_PERIOD - dao.now());
    dao.send_as(&proposer, &[activate(on_time)]).unwrap();
    assert_eq!(dao.state(on_time), ProposalState::Voting);
    // …one second later they could leave before the vote ends.
    dao.warp(1);
    assert_governance_error(
        dao.send_as(&proposer, &[activate(late)]),
        GovernanceError::ProposerPowerTooLow,
    );

    // Withdrawn: nothing locked at all.
    dao.warp(unlocks - dao.now());
    let destination = dao.holders[3].token_account();
    dao.withdraw(3, 0, destination).unwrap();
    assert!(dao.voter(&proposer.pubkey()).positions.is_empty());
    assert_governance_error(
        dao.send_as(&proposer, &[activate(after_withdrawal)]),
        GovernanceError::ProposerPowerTooLow,
    );
    // Nor with someone else's positions: the voter account must be the
    // proposer's.
    dao.lock(0, 100_000 * TOKEN, LockupKind::Cliff, YEAR)
        .unwrap();
    let lender = dao.holders[0].pubkey();
    assert_wrong_pda(
        |ix| dao.send_as(&proposer, &[ix]),
        activate(after_withdrawal),
        &pda::voter(&proposer.pubkey()).0,
        &pda::voter(&lender).0,
    );
    for id in [late, after_withdrawal] {
        assert_eq!(dao.state(id), ProposalState::Draft);
    }

    // Locked again for long enough: the draft opens.
    dao.lock(3, 1_000 * TOKEN, LockupKind::Cliff, YEAR).unwrap();
    dao.send_as(&proposer, &[activate(after_withdrawal)])
        .unwrap();
    let proposal = dao.proposal(after_withdrawal);
    assert_eq!(proposal.state, ProposalState::Voting);
    // The quorum is a share of what is locked now.
    assert_eq!(proposal.quorum_power, 20_200 * TOKEN as u128);
}
