//! `add_instruction`: no calls into governance or unlisted programs, no
//! foreign signers.

use {
    crate::governance::shrink_oracle_set,
    ::governance::error::GovernanceError,
    depin_sdk::{
        governance::{self, dao_authority, StoredAccountMeta, VoteChoice},
        pda, Pubkey,
    },
    depin_tests::{
        assert_governance_error,
        dao::{Dao, Governed},
    },
};

#[test]
fn stored_instructions_cannot_call_governance_or_unlisted_programs_or_add_signers() {
    let mut dao = Dao::locked();
    let id = dao.create_draft(0, "escalation").unwrap();
    // Governance itself, except update_governance: no executing, voting,
    // withdrawing or proposing as the DAO.
    let reentry = governance::execute_proposal(0, &[]);
    let vote_as_dao =
        governance::cast_vote(dao_authority(), 0, VoteChoice::Yes, pda::token_mint().0);
    let withdraw_as_dao = governance::withdraw_position(
        dao_authority(),
        0,
        Pubkey::new_unique(),
        pda::token_mint().0,
    );
    for instruction in [reentry, vote_as_dao, withdraw_as_dao] {
        assert_governance_error(
            dao.add_instruction(0, id, governance::stored(&instruction)),
            GovernanceError::SelfCallForbidden,
        );
    }
    // A program that is not on the list.
    let mut elsewhere = governance::stored(&shrink_oracle_set(&dao));
    elsewhere.program_id = Pubkey::new_unique();
    assert_governance_error(
        dao.add_instruction(0, id, elsewhere),
        GovernanceError::ProgramNotAllowed,
    );
    // A signer other than the DAO authority.
    let mut cosigned = governance::stored(&shrink_oracle_set(&dao));
    cosigned.accounts.push(StoredAccountMeta {
        pubkey: dao.holders[0].pubkey(),
        is_signer: true,
        is_writable: false,
    });
    assert_governance_error(
        dao.add_instruction(0, id, cosigned),
        GovernanceError::ForeignSigner,
    );
    // update_governance is allowed.
    let update = governance::update_governance(Default::default());
    dao.add_instruction(0, id, governance::stored(&update))
        .unwrap();
    assert_eq!(dao.proposal(id).instructions.len(), 1);
}
