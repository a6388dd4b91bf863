//! Every signer of the governance instructions is required.

use {
    crate::governance::{a_year, shrink_oracle_set},
    depin_sdk::{
        governance::{self, dao_authority, VoteChoice},
        pda,
    },
    depin_tests::{
        assert_needs_signer,
        dao::{Dao, Governed},
        network::TOKEN,
    },
};

#[test]
fn every_instruction_requires_its_signer() {
    let mut dao = Dao::locked();
    let id = dao.propose(0, &[]);
    let draft = dao.create_draft(0, "draft").unwrap();
    let owner = dao.holders[0].pubkey();
    let mint = pda::token_mint().0;
    let cases = [
        governance::lock_tokens(owner, dao.holders[0].token_account(), mint, TOKEN, a_year()),
        governance::relock_position(owner, 0, a_year()),
        governance::merge_positions(owner, 0, 1),
        governance::withdraw_position(owner, 0, dao.holders[0].token_account(), mint),
        governance::create_proposal(owner, 2, "t", ""),
        governance::add_instruction(owner, draft, governance::stored(&shrink_oracle_set(&dao))),
        governance::activate_proposal(owner, draft),
        governance::cancel_proposal(owner, id),
        governance::cast_vote(owner, id, VoteChoice::Yes, mint),
    ];
    let payer = dao.holder(3);
    for instruction in cases {
        assert_needs_signer(|ix| dao.send_as(&payer, &[ix]), instruction, &owner);
    }
    assert_needs_signer(
        |ix| dao.send_as(&payer, &[ix]),
        governance::update_governance(Default::default()),
        &dao_authority(),
    );
}
