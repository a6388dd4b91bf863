//! `create_proposal` and `add_instruction`: enough power to propose, bounded
//! text and instructions.

use {
    crate::governance::shrink_oracle_set,
    ::governance::error::GovernanceError,
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_sdk::{
        governance::{
            self, LockupKind, StoredAccountMeta, MAX_INSTRUCTIONS, MAX_INSTRUCTION_ACCOUNTS,
            MAX_INSTRUCTION_DATA,
        },
        Pubkey, Signer,
    },
    depin_tests::{
        assert_anchor_error, assert_governance_error,
        dao::{Dao, Governed, DAY, MIN_PROPOSAL_POWER, YEAR},
        network::TOKEN,
    },
};

#[test]
fn proposals_need_the_minimum_power_locked_for_a_voting_period() {
    let mut dao = Dao::new();
    // 500 tokens for a year: 875 tokens of power, below 1,000.
    dao.lock(3, 500 * TOKEN, LockupKind::Cliff, YEAR).unwrap();
    assert_governance_error(
        dao.try_create_draft(3, "spam"),
        GovernanceError::InsufficientPower,
    );
    // Plenty of tokens, but free to leave before a vote would end.
    dao.lock(2, 20_000 * TOKEN, LockupKind::Cliff, DAY).unwrap();
    assert_governance_error(
        dao.try_create_draft(2, "spam"),
        GovernanceError::InsufficientPower,
    );
    // No voter account at all.
    assert_anchor_error(
        dao.try_create_draft(1, "spam"),
        AnchorErrorCode::AccountNotInitialized,
    );
    // Just enough.
    let power = dao.config().power.power(600 * TOKEN, YEAR).unwrap();
    assert!(power >= MIN_PROPOSAL_POWER);
    dao.lock(3, 100 * TOKEN, LockupKind::Cliff, YEAR).unwrap();
    dao.create_draft(3, "not spam").unwrap();
    assert_eq!(dao.config().proposal_count, 1);
}

#[test]
fn proposal_text_and_instructions_are_bounded() {
    let mut dao = Dao::locked();
    assert_governance_error(dao.try_create_draft(0, ""), GovernanceError::InvalidText);
    assert_governance_error(
        dao.try_create_draft(0, &"t".repeat(65)),
        GovernanceError::InvalidText,
    );
    let holder = dao.holder(0);
    let long_description =
        governance::create_proposal(holder.pubkey(), 0, "title", &"d".repeat(201));
    assert_governance_error(
        dao.send_as(&holder, &[long_description]),
        GovernanceError::InvalidText,
    );
    let id = dao.create_draft(0, &"t".repeat(64)).unwrap();

    let mut big = governance::stored(&shrink_oracle_set(&dao));
    big.data = vec![0; MAX_INSTRUCTION_DATA + 1];
    assert_governance_error(
        dao.add_instruction(0, id, big),
        GovernanceError::InstructionTooLarge,
    );
    let mut crowded = governance::stored(&shrink_oracle_set(&dao));
    crowded.accounts = vec![
        StoredAccountMeta {
            pubkey: Pubkey::new_unique(),
            is_signer: false,
            is_writable: false,
        };
        MAX_INSTRUCTION_ACCOUNTS + 1
    ];
    assert_governance_error(
        dao.add_instruction(0, id, crowded),
        GovernanceError::InstructionTooLarge,
    );
    for _ in 0..MAX_INSTRUCTIONS {
        let stored = governance::stored(&shrink_oracle_set(&dao));
        dao.add_instruction(0, id, stored).unwrap();
    }
    let stored = governance::stored(&shrink_oracle_set(&dao));
    assert_governance_error(
        dao.add_instruction(0, id, stored.clone()),
        GovernanceError::TooManyInstructions,
    );
    assert_eq!(dao.proposal(id).instructions.len(), MAX_INSTRUCTIONS);

    // Only the proposer edits, and only a draft.
    let other = dao.create_draft(0, "second").unwrap();
    assert_governance_error(
        dao.add_instruction(1, other, stored.clone()),
        GovernanceError::NotProposer,
    );
    let proposer = dao.holder(0);
    dao.send_as(
        &proposer,
        &[governance::activate_proposal(proposer.pubkey(), other)],
    )
    .unwrap();
    assert_governance_error(
        dao.add_instruction(0, other, stored),
        GovernanceError::NotDraft,
    );
    assert_governance_error(
        dao.send_as(
            &proposer,
            &[governance::activate_proposal(proposer.pubkey(), other)],
        ),
        GovernanceError::NotDraft,
    );
}
