//! `lock_tokens`: bounded amounts, durations and positions; the holder's own
//! tokens.

use {
    crate::governance::a_year,
    ::governance::error::GovernanceError,
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_sdk::{
        governance::{self, LockupKind, MAX_POSITIONS},
        pda, Signer,
    },
    depin_tests::{
        assert_anchor_error, assert_custom_error, assert_governance_error,
        dao::{Dao, Governed, DAY, YEAR},
        network::TOKEN,
    },
};

#[test]
fn lock_inputs_are_bounded() {
    let mut dao = Dao::new();
    assert_governance_error(
        dao.lock(0, 0, LockupKind::Cliff, YEAR),
        GovernanceError::ZeroAmount,
    );
    assert_governance_error(
        dao.lock(0, TOKEN, LockupKind::Cliff, DAY - 1),
        GovernanceError::InvalidLockup,
    );
    assert_governance_error(
        dao.lock(0, TOKEN, LockupKind::Constant, 4 * YEAR + 1),
        GovernanceError::InvalidLockup,
    );
    assert_governance_error(
        dao.lock(0, TOKEN, LockupKind::Cliff, i64::MAX),
        GovernanceError::InvalidLockup,
    );
    for _ in 0..MAX_POSITIONS {
        dao.lock(0, TOKEN, LockupKind::Cliff, DAY).unwrap();
    }
    assert_governance_error(
        dao.lock(0, TOKEN, LockupKind::Cliff, DAY),
        GovernanceError::TooManyPositions,
    );
    // More than the balance: the token program refuses (insufficient funds).
    assert_custom_error(dao.lock(3, 20_001 * TOKEN, LockupKind::Cliff, DAY), 1);
    // Someone else's token account as the source.
    let thief = dao.holder(1);
    let lock = governance::lock_tokens(
        thief.pubkey(),
        dao.holders[2].token_account(),
        pda::token_mint().0,
        TOKEN,
        a_year(),
    );
    assert_anchor_error(
        dao.send_as(&thief, &[lock]),
        AnchorErrorCode::ConstraintTokenOwner,
    );
    // The vault as the source.
    let lock = governance::lock_tokens(
        thief.pubkey(),
        pda::governance_vault().0,
        pda::token_mint().0,
        TOKEN,
        a_year(),
    );
    assert_anchor_error(
        dao.send_as(&thief, &[lock]),
        AnchorErrorCode::ConstraintDuplicateMutableAccount,
    );
    dao.assert_invariants();
}
