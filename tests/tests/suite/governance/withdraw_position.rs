//! `withdraw_position`: only after the lockup ends, to the holder's own
//! account.

use {
    ::governance::error::GovernanceError,
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_sdk::{
        governance::{self, LockupKind},
        pda, Signer,
    },
    depin_tests::{
        assert_anchor_error, assert_governance_error,
        dao::{lockup, Dao, Governed, DAY, YEAR},
        network::TOKEN,
    },
};

#[test]
fn positions_cannot_be_withdrawn_before_their_lockup_ends() {
    let mut dao = Dao::new();
    dao.lock(1, 1_000 * TOKEN, LockupKind::Cliff, 10 * DAY)
        .unwrap();
    dao.lock(1, 2_000 * TOKEN, LockupKind::Constant, DAY)
        .unwrap();
    let holder = dao.holder(1);
    let mint = pda::token_mint().0;
    let mine = dao.holders[1].token_account();
    let withdraw = |index| governance::withdraw_position(holder.pubkey(), index, mine, mint);
    dao.warp(10 * DAY - 1);
    assert_governance_error(
        dao.send_as(&holder, &[withdraw(0)]),
        GovernanceError::StillLocked,
    );
    // Into the vault itself, or to another mint's account.
    dao.warp(1);
    let into_vault =
        governance::withdraw_position(holder.pubkey(), 0, pda::governance_vault().0, mint);
    assert_anchor_error(
        dao.send_as(&holder, &[into_vault]),
        AnchorErrorCode::ConstraintDuplicateMutableAccount,
    );
    let credits = dao.holders[1].dc_account();
    assert_anchor_error(
        dao.send_as(
            &holder,
            &[governance::withdraw_position(
                holder.pubkey(),
                0,
                credits,
                mint,
            )],
        ),
        AnchorErrorCode::AccountOwnedByWrongProgram,
    );
    let before = dao.net.token_balance(&holder.pubkey());
    dao.send_as(&holder, &[withdraw(0)]).unwrap();
    assert_eq!(
        dao.net.token_balance(&holder.pubkey()),
        before + 1_000 * TOKEN
    );

    // A constant lockup never unlocks by itself: relock it as a cliff of
    // its duration and wait that out.
    dao.warp(YEAR);
    assert_governance_error(
        dao.send_as(&holder, &[withdraw(0)]),
        GovernanceError::StillLocked,
    );
    dao.send_as(
        &holder,
        &[governance::relock_position(
            holder.pubkey(),
            0,
            lockup(LockupKind::Cliff, DAY),
        )],
    )
    .unwrap();
    assert_governance_error(
        dao.send_as(&holder, &[withdraw(0)]),
        GovernanceError::StillLocked,
    );
    dao.warp(DAY);
    dao.send_as(&holder, &[withdraw(0)]).unwrap();
    assert!(dao.voter(&holder.pubkey()).positions.is_empty());
    assert_governance_error(
        dao.send_as(&holder, &[withdraw(0)]),
        GovernanceError::UnknownPosition,
    );
    dao.assert_invariants();
}
