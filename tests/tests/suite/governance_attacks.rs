//! Governance: every attack of the security checklist, rejected.

use {
    ::governance::{
        error::GovernanceError,
        state::{GovernanceConfig, Proposal, VotingPowerParams},
    },
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_sdk::{
        accounts::ProposalState,
        governance::{
            self, dao_authority, LockupArgs, LockupKind, StoredAccountMeta, VoteChoice,
            MAX_INSTRUCTIONS, MAX_INSTRUCTION_ACCOUNTS, MAX_INSTRUCTION_DATA, MAX_POSITIONS,
        },
        pda, proof_oracle, token, AccountMeta, Instruction, Keypair, Pubkey, SdkError, Signer,
        TxOutcome,
    },
    depin_tests::{
        assert_anchor_error, assert_custom_error, assert_governance_error, cluster_with_mint,
        dao::{test_governance_args, Dao, DAY, MIN_PROPOSAL_POWER, TIMELOCK, VOTING_PERIOD, YEAR},
        instruction_error,
        network::TOKEN,
        poke, strip_signer, substitute, SOL,
    },
};

fn lockup(kind: LockupKind, duration_secs: i64) -> LockupArgs {
    LockupArgs {
        kind,
        duration_secs,
    }
}

fn a_year() -> LockupArgs {
    lockup(LockupKind::Cliff, YEAR)
}

/// A harmless instruction for the DAO: replace the oracle set with the
/// first two oracles.
fn shrink_oracle_set(dao: &Dao) -> Instruction {
    let members = dao.net.oracles[..2].iter().map(Signer::pubkey).collect();
    proof_oracle::set_oracle_set(dao_authority(), members, 2)
}

#[test]
fn a_wallet_votes_once_per_proposal() {
    let mut dao = Dao::locked();
    let id = dao.propose(0, &[]);
    dao.vote(1, id, VoteChoice::Yes).unwrap();
    let tally = dao.proposal(id).yes;
    // The vote record already exists (system program: account in use).
    assert_custom_error(dao.vote(1, id, VoteChoice::Yes), 0);
    assert_custom_error(dao.vote(1, id, VoteChoice::No), 0);
    let proposal = dao.proposal(id);
    assert_eq!(
        (proposal.yes, proposal.no, proposal.votes_cast),
        (tally, 0, 1)
    );
}

#[test]
fn tokens_that_could_leave_during_a_vote_never_count() {
    let mut dao = Dao::new();
    // Holder 0 proposes; holder 1's tokens unlock after one day, before the
    // two-day vote ends; holder 2 locks for a year.
    dao.lock(0, 50_000 * TOKEN, LockupKind::Cliff, YEAR)
        .unwrap();
    dao.lock(1, 30_000 * TOKEN, LockupKind::Cliff, DAY).unwrap();
    dao.lock(2, 30_000 * TOKEN, LockupKind::Cliff, YEAR)
        .unwrap();
    let id = dao.propose(0, &[]);
    assert_governance_error(
        dao.vote(1, id, VoteChoice::Yes),
        GovernanceError::NoVotingPower,
    );
    dao.vote(2, id, VoteChoice::Yes).unwrap();
    let counted = dao.proposal(id).yes;

    // Holder 2's counted tokens stay put until long after the vote.
    let holder = dao.holder(2);
    let destination = dao.holders[2].token_account();
    assert_governance_error(
        dao.send_as(
            &holder,
            &[governance::withdraw_position(
                holder.pubkey(),
                0,
                destination,
                pda::token_mint().0,
            )],
        ),
        GovernanceError::StillLocked,
    );

    // Holder 1's tokens unlock, move to holder 3 and are locked again there:
    // they vote once (they never voted from holder 1).
    dao.warp(DAY);
    let holder = dao.holder(1);
    let destination = dao.holders[3].token_account();
    dao.send_as(
        &holder,
        &[governance::withdraw_position(
            holder.pubkey(),
            0,
            destination,
            pda::token_mint().0,
        )],
    )
    .unwrap();
    dao.lock(3, 30_000 * TOKEN, LockupKind::Cliff, YEAR)
        .unwrap();
    dao.vote(3, id, VoteChoice::Yes).unwrap();
    let proposal = dao.proposal(id);
    assert!(proposal.yes > counted);
    assert_eq!(proposal.votes_cast, 2);
    dao.assert_invariants();
}

#[test]
fn only_positions_locked_past_the_end_of_voting_count() {
    let mut dao = Dao::new();
    dao.lock(0, 50_000 * TOKEN, LockupKind::Cliff, YEAR)
        .unwrap();
    let id = dao.propose(0, &[]);
    // One position past the end, two that are not: a cliff ending one
    // second early and a constant lockup shorter than the time left.
    let ends = dao.proposal(id).voting_ends_at;
    let left = ends - dao.now();
    dao.lock(1, 10_000 * TOKEN, LockupKind::Cliff, left)
        .unwrap();
    dao.lock(1, 5_000 * TOKEN, LockupKind::Cliff, left - 1)
        .unwrap();
    dao.lock(1, 7_000 * TOKEN, LockupKind::Constant, DAY)
        .unwrap();
    dao.vote(1, id, VoteChoice::No).unwrap();
    let proposal = dao.proposal(id);
    let params = dao.config().power;
    assert_eq!(proposal.no, params.power(10_000 * TOKEN, left).unwrap());
}

#[test]
fn no_vote_after_the_voting_period() {
    let mut dao = Dao::locked();
    let id = dao.propose(0, &[]);
    dao.warp(VOTING_PERIOD);
    assert_governance_error(
        dao.vote(1, id, VoteChoice::Yes),
        GovernanceError::VotingEnded,
    );
    dao.crank(governance::finalize_vote(id)).unwrap();
    assert_governance_error(dao.vote(1, id, VoteChoice::Yes), GovernanceError::NotVoting);
    // A draft is not open for votes either.
    let draft = dao.create_draft(0, "draft").unwrap();
    assert_governance_error(
        dao.vote(1, draft, VoteChoice::Yes),
        GovernanceError::NotVoting,
    );
}

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
    let foreign = substitute(
        governance::merge_positions(thief.pubkey(), 0, 0),
        &pda::voter(&thief.pubkey()).0,
        &pda::voter(&owner).0,
    );
    assert_anchor_error(
        dao.send_as(&thief, &[foreign]),
        AnchorErrorCode::ConstraintSeeds,
    );
    dao.assert_invariants();
}

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
        let unsigned = strip_signer(instruction, &owner);
        assert_anchor_error(
            dao.send_as(&payer, &[unsigned]),
            AnchorErrorCode::AccountNotSigner,
        );
    }
    let update = strip_signer(
        governance::update_governance(Default::default()),
        &dao_authority(),
    );
    assert_anchor_error(
        dao.send_as(&payer, &[update]),
        AnchorErrorCode::AccountNotSigner,
    );
}

#[test]
fn accounts_of_the_wrong_owner_type_or_address_are_refused() {
    let mut dao = Dao::locked();
    let id = dao.propose(0, &[]);
    let voter = dao.holder(1);
    let vote = governance::cast_vote(voter.pubkey(), id, VoteChoice::Yes, pda::token_mint().0);
    let proposal = pda::proposal(id).0;
    // Another program's account, or a governance account of another type,
    // as the proposal.
    let foreign = substitute(vote.clone(), &proposal, &pda::rewards_config().0);
    assert_anchor_error(
        dao.send_as(&voter, &[foreign]),
        AnchorErrorCode::AccountOwnedByWrongProgram,
    );
    let cosplay = substitute(vote.clone(), &proposal, &pda::voter(&voter.pubkey()).0);
    assert_anchor_error(
        dao.send_as(&voter, &[cosplay]),
        AnchorErrorCode::AccountDiscriminatorMismatch,
    );
    // Someone else's voter account (their power), or a vote record at an
    // address not derived from this proposal and voter.
    let borrowed = substitute(
        vote.clone(),
        &pda::voter(&voter.pubkey()).0,
        &pda::voter(&dao.holders[0].pubkey()).0,
    );
    assert_anchor_error(
        dao.send_as(&voter, &[borrowed]),
        AnchorErrorCode::ConstraintSeeds,
    );
    let record = pda::vote_record(&proposal, &voter.pubkey()).0;
    let elsewhere = pda::vote_record(&proposal, &dao.holders[2].pubkey()).0;
    let misplaced = substitute(vote.clone(), &record, &elsewhere);
    assert_anchor_error(
        dao.send_as(&voter, &[misplaced]),
        AnchorErrorCode::ConstraintSeeds,
    );
    // A fake token program.
    let fake = substitute(
        governance::lock_tokens(
            voter.pubkey(),
            dao.holders[1].token_account(),
            pda::token_mint().0,
            TOKEN,
            a_year(),
        ),
        &token::SPL_TOKEN_PROGRAM_ID,
        &::rewards::ID,
    );
    assert_anchor_error(
        dao.send_as(&voter, &[fake]),
        AnchorErrorCode::InvalidProgramId,
    );
    // Another mint than the network token.
    let wrong_mint = governance::lock_tokens(
        voter.pubkey(),
        dao.holders[1].token_account(),
        pda::dc_mint().0,
        TOKEN,
        a_year(),
    );
    assert!(dao.send_as(&voter, &[wrong_mint]).is_err());
    dao.send_as(&voter, &[vote]).unwrap();
}

#[test]
fn initialization_is_once_and_by_the_upgrade_authority() {
    let mut dao = Dao::new();
    let deployer = dao.net.cluster.upgrade_authority().insecure_clone();
    let again = governance::initialize_governance(
        deployer.pubkey(),
        deployer.pubkey(),
        pda::token_mint().0,
        test_governance_args(),
    );
    assert_custom_error(dao.send_as(&deployer, &[again]), 0);

    let (mut cluster, impostor, mint) = cluster_with_mint(6);
    let init = governance::initialize_governance(
        impostor.pubkey(),
        impostor.pubkey(),
        mint,
        test_governance_args(),
    );
    assert_governance_error(
        cluster.send(&[init], &impostor, &[]),
        GovernanceError::NotUpgradeAuthority,
    );

    // Parameters out of range.
    let deployer = cluster.upgrade_authority().insecure_clone();
    let mut weak = test_governance_args();
    weak.rules.approval_threshold_bps = 4_999;
    let mut instant = test_governance_args();
    instant.rules.voting_period_secs = 0;
    let mut no_quorum = test_governance_args();
    no_quorum.rules.quorum = governance::Quorum::LockedFraction { bps: 0 };
    let mut unbounded = test_governance_args();
    unbounded.power.max_extra_bps = 1_000_000;
    let mut inverted = test_governance_args();
    inverted.power.min_lockup_secs = inverted.power.max_lockup_secs + 1;
    let mut duplicated = test_governance_args();
    duplicated.allowed_programs.push(::rewards::ID);
    let mut itself = test_governance_args();
    itself.allowed_programs.push(::governance::ID);
    for (args, error) in [
        (weak, GovernanceError::InvalidProposalRules),
        (instant, GovernanceError::InvalidProposalRules),
        (no_quorum, GovernanceError::InvalidProposalRules),
        (unbounded, GovernanceError::InvalidPowerParams),
        (inverted, GovernanceError::InvalidPowerParams),
        (duplicated, GovernanceError::InvalidAllowedPrograms),
        (itself, GovernanceError::InvalidAllowedPrograms),
    ] {
        let init =
            governance::initialize_governance(deployer.pubkey(), deployer.pubkey(), mint, args);
        assert_governance_error(cluster.send(&[init], &deployer, &[]), error);
    }
}

/// Governance over a mint whose whole supply (u64::MAX) one holder locks at
/// the largest multiplier: power and tallies are exact, and every counter
/// pushed to its maximum fails with `Overflow` instead of wrapping.
#[test]
fn maximum_amounts_do_not_overflow() {
    let (mut cluster, whale, mint) = cluster_with_mint(0);
    let account =
        token::associated_token_address(&whale.pubkey(), &mint, &token::SPL_TOKEN_PROGRAM_ID);
    let setup = [
        token::create_associated_token_account(
            &whale.pubkey(),
            &whale.pubkey(),
            &mint,
            &token::SPL_TOKEN_PROGRAM_ID,
        ),
        token::mint_to(&mint, &account, &whale.pubkey(), u64::MAX),
    ];
    cluster.send(&setup, &whale, &[]).unwrap();

    let mut args = test_governance_args();
    args.power = VotingPowerParams {
        baseline_bps: 10_000,
        max_extra_bps: 990_000,
        saturation_secs: 3_660 * DAY,
        min_lockup_secs: 0,
        max_lockup_secs: 3_660 * DAY,
    };
    args.rules.min_proposal_power = u128::MAX;
    let deployer = cluster.upgrade_authority().insecure_clone();
    cluster
        .send(
            &[governance::initialize_governance(
                deployer.pubkey(),
                deployer.pubkey(),
                mint,
                args,
            )],
            &deployer,
            &[],
        )
        .unwrap();
    let lock = governance::lock_tokens(
        whale.pubkey(),
        account,
        mint,
        u64::MAX,
        lockup(LockupKind::Constant, 3_660 * DAY),
    );
    cluster.send(&[lock], &whale, &[]).unwrap();
    // Even 100 × u64::MAX of power is below the (u128::MAX) bar.
    let create = governance::create_proposal(whale.pubkey(), 0, "max", "");
    assert_governance_error(
        cluster.send(std::slice::from_ref(&create), &whale, &[]),
        GovernanceError::InsufficientPower,
    );
    poke::<GovernanceConfig>(&mut cluster, &pda::governance_config().0, |config| {
        config.rules.min_proposal_power = 1;
    });
    cluster.send(&[create], &whale, &[]).unwrap();
    cluster
        .send(
            &[governance::activate_proposal(whale.pubkey(), 0)],
            &whale,
            &[],
        )
        .unwrap();
    cluster
        .send(
            &[governance::cast_vote(
                whale.pubkey(),
                0,
                VoteChoice::Yes,
                mint,
            )],
            &whale,
            &[],
        )
        .unwrap();
    let proposal: Proposal = cluster.fetch(&pda::proposal(0).0).unwrap();
    assert_eq!(proposal.yes, u64::MAX as u128 * 100);

    // Counters at their maximum.
    poke::<GovernanceConfig>(&mut cluster, &pda::governance_config().0, |config| {
        config.proposal_count = u64::MAX;
    });
    let create = governance::create_proposal(whale.pubkey(), u64::MAX, "max", "");
    assert_governance_error(
        cluster.send(&[create], &whale, &[]),
        GovernanceError::Overflow,
    );
    let other = Keypair::new();
    cluster.airdrop(&other.pubkey(), SOL).unwrap();
    poke::<Proposal>(&mut cluster, &pda::proposal(0).0, |proposal| {
        proposal.yes = u128::MAX - 1;
    });
    // The same wallet cannot vote again; pretend another wallet holds the
    // position by copying the voter account.
    let voter = cluster.account(&pda::voter(&whale.pubkey()).0).unwrap();
    let mut copy = voter.clone();
    copy.data[8..40].copy_from_slice(other.pubkey().as_ref());
    let bump = pda::voter(&other.pubkey()).1;
    copy.data[40] = bump;
    cluster
        .svm_mut()
        .set_account(pda::voter(&other.pubkey()).0, copy)
        .unwrap();
    let vote = governance::cast_vote(other.pubkey(), 0, VoteChoice::Yes, mint);
    assert_governance_error(
        cluster.send(std::slice::from_ref(&vote), &other, &[]),
        GovernanceError::Overflow,
    );
    poke::<Proposal>(&mut cluster, &pda::proposal(0).0, |proposal| {
        proposal.yes = 0;
        proposal.votes_cast = u32::MAX;
    });
    assert_governance_error(
        cluster.send(&[vote], &other, &[]),
        GovernanceError::Overflow,
    );
}

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
    dao.send_as(
        &proposer,
        &[governance::withdraw_position(
            proposer.pubkey(),
            0,
            destination,
            pda::token_mint().0,
        )],
    )
    .unwrap();
    assert!(dao.voter(&proposer.pubkey()).positions.is_empty());
    assert_governance_error(
        dao.send_as(&proposer, &[activate(after_withdrawal)]),
        GovernanceError::ProposerPowerTooLow,
    );
    // Nor with someone else's positions: the voter account must be the
    // proposer's.
    dao.lock(0, 100_000 * TOKEN, LockupKind::Cliff, YEAR)
        .unwrap();
    let borrowed = substitute(
        activate(after_withdrawal),
        &pda::voter(&proposer.pubkey()).0,
        &pda::voter(&dao.holders[0].pubkey()).0,
    );
    assert_anchor_error(
        dao.send_as(&proposer, &[borrowed]),
        AnchorErrorCode::ConstraintSeeds,
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

#[test]
fn a_vote_needs_the_governance_token_mint() {
    let mut dao = Dao::locked();
    let id = dao.propose(0, &[]);
    let voter = dao.holder(1);
    let vote = |mint| governance::cast_vote(voter.pubkey(), id, VoteChoice::Yes, mint);
    // Another SPL mint (a small supply would make early tipping easier).
    let other = Keypair::new();
    let rent = dao.net.cluster.rent().minimum_balance(token::MINT_LEN);
    let create = token::create_mint(&voter.pubkey(), &other.pubkey(), &voter.pubkey(), 0, rent);
    dao.net.cluster.send(&create, &voter, &[&other]).unwrap();
    assert_governance_error(
        dao.send_as(&voter, &[vote(other.pubkey())]),
        GovernanceError::WrongMint,
    );
    // The data-credit mint (another token program's).
    assert_anchor_error(
        dao.send_as(&voter, &[vote(pda::dc_mint().0)]),
        AnchorErrorCode::AccountOwnedByWrongProgram,
    );
    // Not a mint at all (a token account: the mint layout does not parse).
    let (_, error) =
        instruction_error(dao.send_as(&voter, &[vote(dao.holders[1].token_account())]));
    assert_eq!(
        error,
        solana_instruction_error::InstructionError::InvalidAccountData
    );
    assert_eq!(dao.proposal(id).votes_cast, 0);
    dao.send_as(&voter, &[vote(pda::token_mint().0)]).unwrap();
    assert_eq!(dao.proposal(id).votes_cast, 1);
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
    dao.send_as(
        &holder,
        &[governance::withdraw_position(
            holder.pubkey(),
            0,
            destination,
            pda::token_mint().0,
        )],
    )
    .unwrap();
    assert!(dao.net.token_balance(&holder.pubkey()) > before);
    dao.assert_invariants();
}
