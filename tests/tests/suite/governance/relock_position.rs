//! `relock_position` and `merge_positions`: never unlock tokens earlier,
//! never freeze them.

use {
    ::governance::error::GovernanceError,
    depin_sdk::{
        governance::{self, LockupKind},
        pda, Signer,
    },
    depin_tests::{
        assert_governance_error, assert_wrong_pda,
        dao::{lockup, Dao, Governed, DAY, YEAR},
        network::TOKEN,
    },
};

#[test]
fn relocking_and_merging_never_unlock_tokens_earlier() {
    let mut dao = Dao::new();
    let holder = dao.holder(0);
    let owner = holder.pubkey();
    dao.lock(0, 1_000 * TOKEN, LockupKind::Cliff, 100 * DAY)
        .unwrap();
    dao.lock(0, 2_000 * TOKEN, LockupKind::Constant, 30 * DAY)
        .unwrap();
    dao.lock(0, 3_000 * TOKEN, LockupKind::Cliff, 10 * DAY)
        .unwrap();
    dao.warp(5 * DAY);
    // 95 days left on position 0: a 94-day lockup is shorter.
    assert_governance_error(
        dao.send_as(
            &holder,
            &[governance::relock_position(
                owner,
                0,
                lockup(LockupKind::Cliff, 94 * DAY),
            )],
        ),
        GovernanceError::LockupShortened,
    );
    assert_governance_error(
        dao.send_as(
            &holder,
            &[governance::relock_position(
                owner,
                0,
                lockup(LockupKind::Constant, 94 * DAY),
            )],
        ),
        GovernanceError::LockupShortened,
    );
    dao.send_as(
        &holder,
        &[governance::relock_position(
            owner,
            0,
            lockup(LockupKind::Constant, 95 * DAY),
        )],
    )
    .unwrap();
    assert_governance_error(
        dao.send_as(&holder, &[governance::merge_positions(owner, 1, 1)]),
        GovernanceError::SamePosition,
    );
    assert_governance_error(
        dao.send_as(&holder, &[governance::merge_positions(owner, 3, 1)]),
        GovernanceError::UnknownPosition,
    );
    // Merging the 5-day cliff into the 30-day constant keeps the constant;
    // merging that into position 0 (95-day constant) keeps position 0's.
    dao.send_as(&holder, &[governance::merge_positions(owner, 2, 1)])
        .unwrap();
    let voter = dao.voter(&owner);
    assert_eq!(voter.positions.len(), 2);
    assert_eq!(voter.positions[1].amount, 5_000 * TOKEN);
    assert_eq!(voter.positions[1].lockup.kind, LockupKind::Constant);
    assert_eq!(voter.positions[1].lockup.duration_secs, 30 * DAY);
    dao.send_as(&holder, &[governance::merge_positions(owner, 0, 1)])
        .unwrap();
    let voter = dao.voter(&owner);
    assert_eq!(voter.positions.len(), 1);
    assert_eq!(voter.positions[0].amount, 6_000 * TOKEN);
    assert_eq!(voter.positions[0].lockup.duration_secs, 95 * DAY);
    // Someone else cannot touch the positions.
    let thief = dao.holder(1);
    assert_wrong_pda(
        |ix| dao.send_as(&thief, &[ix]),
        governance::merge_positions(thief.pubkey(), 0, 0),
        &pda::voter(&thief.pubkey()).0,
        &pda::voter(&owner).0,
    );
    dao.assert_invariants();
}

/// Lowering the maximum lockup below a constant position's duration must
/// not freeze it: the owner can still relock it as a cliff of its duration
/// (no shorter), wait it out and withdraw.
#[test]
fn a_lower_maximum_lockup_never_freezes_a_constant_position() {
    let mut dao = Dao::locked();
    let holder = dao.holder(2);
    let mut power = depin_tests::dao::test_power_params();
    let four_years = power.max_lockup_secs;
    // Holder 2's one-year cliff becomes a constant lockup at the maximum.
    dao.send_as(
        &holder,
        &[governance::relock_position(
            holder.pubkey(),
            0,
            lockup(LockupKind::Constant, four_years),
        )],
    )
    .unwrap();

    power.max_lockup_secs = YEAR;
    let update = governance::update_governance(governance::UpdateGovernanceArgs {
        power: Some(power),
        ..Default::default()
    });
    let id = dao.propose(0, &[update]);
    dao.pass(id);
    dao.execute(id).unwrap();
    assert_eq!(dao.config().power.max_lockup_secs, YEAR);

    let relock = |duration_secs| {
        governance::relock_position(holder.pubkey(), 0, lockup(LockupKind::Cliff, duration_secs))
    };
    // Shorter than what it has: refused; above both the new maximum and
    // what it has: refused; exactly what it has: accepted.
    assert_governance_error(
        dao.send_as(&holder, &[relock(YEAR)]),
        GovernanceError::LockupShortened,
    );
    assert_governance_error(
        dao.send_as(&holder, &[relock(four_years + 1)]),
        GovernanceError::InvalidLockup,
    );
    dao.send_as(&holder, &[relock(four_years)]).unwrap();
    dao.warp(four_years);
    let before = dao.net.token_balance(&holder.pubkey());
    let destination = dao.holders[2].token_account();
    dao.withdraw(2, 0, destination).unwrap();
    assert!(dao.net.token_balance(&holder.pubkey()) > before);
    dao.assert_invariants();
}
