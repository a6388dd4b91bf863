//! `cast_vote`: one vote per wallet, with power locked past the vote, in the
//! voting period.

use {
    crate::governance::a_year,
    ::governance::{
        error::GovernanceError,
        state::{GovernanceConfig, Proposal, VotingPowerParams},
    },
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_sdk::{
        governance::{self, LockupKind, VoteChoice},
        pda, token, Signer,
    },
    depin_tests::{
        assert_already_in_use, assert_anchor_error, assert_governance_error,
        assert_substitute_refused, assert_wrong_pda, cluster_with_mint, create_mint,
        dao::{lockup, test_governance_args, Dao, Governed, DAY, VOTING_PERIOD, YEAR},
        funded_keypair, instruction_error,
        network::TOKEN,
        poke,
    },
};

#[test]
fn a_wallet_votes_once_per_proposal() {
    let mut dao = Dao::locked();
    let id = dao.propose(0, &[]);
    dao.vote(1, id, VoteChoice::Yes).unwrap();
    let tally = dao.proposal(id).yes;
    // The vote record already exists (system program: account in use).
    assert_already_in_use(dao.vote(1, id, VoteChoice::Yes));
    assert_already_in_use(dao.vote(1, id, VoteChoice::No));
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
    let destination = dao.holders[2].token_account();
    assert_governance_error(
        dao.withdraw(2, 0, destination),
        GovernanceError::StillLocked,
    );

    // Holder 1's tokens unlock, move to holder 3 and are locked again there:
    // they vote once (they never voted from holder 1).
    dao.warp(DAY);
    let destination = dao.holders[3].token_account();
    dao.withdraw(1, 0, destination).unwrap();
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
fn voting_power_grows_with_remaining_lockup_and_constant_lockups_do_not_decay() {
    let mut dao = Dao::new();
    // Saturation is four years: a one-year cliff adds 3 × 1/4 = 0.75×, a
    // constant four-year lockup the full 3×.
    dao.lock(1, 10_000 * TOKEN, LockupKind::Cliff, YEAR)
        .unwrap();
    dao.lock(2, 10_000 * TOKEN, LockupKind::Constant, 4 * YEAR)
        .unwrap();
    dao.lock(0, 100_000 * TOKEN, LockupKind::Cliff, YEAR)
        .unwrap();
    let id = dao.propose(0, &[]);
    dao.warp(DAY);
    dao.vote(1, id, VoteChoice::Yes).unwrap();
    dao.vote(2, id, VoteChoice::No).unwrap();
    let proposal = dao.proposal(id);
    let remaining = (YEAR - DAY) as u128;
    let expected_yes = 10_000 * TOKEN as u128 * (10_000 * 4 * YEAR as u128 + 30_000 * remaining)
        / (10_000 * 4 * YEAR as u128);
    assert_eq!(proposal.yes, expected_yes);
    assert_eq!(proposal.no, 40_000 * TOKEN as u128);
    let record: governance::VoteRecord = dao
        .net
        .cluster
        .fetch(&pda::vote_record(&pda::proposal(id).0, &dao.holders[2].pubkey()).0)
        .unwrap();
    assert_eq!(record.power, proposal.no);
    assert_eq!(record.choice, VoteChoice::No);
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
fn a_vote_needs_the_governance_token_mint() {
    let mut dao = Dao::locked();
    let id = dao.propose(0, &[]);
    let voter = dao.holder(1);
    let vote = |mint| governance::cast_vote(voter.pubkey(), id, VoteChoice::Yes, mint);
    // Another SPL mint (a small supply would make early tipping easier).
    let other = create_mint(&mut dao.net.cluster, &voter, 0);
    assert_governance_error(
        dao.send_as(&voter, &[vote(other)]),
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

#[test]
fn accounts_of_the_wrong_owner_type_or_address_are_refused() {
    let mut dao = Dao::locked();
    let id = dao.propose(0, &[]);
    let voter = dao.holder(1);
    let vote = governance::cast_vote(voter.pubkey(), id, VoteChoice::Yes, pda::token_mint().0);
    let proposal = pda::proposal(id).0;
    // Another program's account, or a governance account of another type,
    // as the proposal.
    assert_substitute_refused(
        |ix| dao.send_as(&voter, &[ix]),
        vote.clone(),
        &proposal,
        &pda::rewards_config().0,
        AnchorErrorCode::AccountOwnedByWrongProgram,
    );
    assert_substitute_refused(
        |ix| dao.send_as(&voter, &[ix]),
        vote.clone(),
        &proposal,
        &pda::voter(&voter.pubkey()).0,
        AnchorErrorCode::AccountDiscriminatorMismatch,
    );
    // Someone else's voter account (their power), or a vote record at an
    // address not derived from this proposal and voter.
    let lender = dao.holders[0].pubkey();
    assert_wrong_pda(
        |ix| dao.send_as(&voter, &[ix]),
        vote.clone(),
        &pda::voter(&voter.pubkey()).0,
        &pda::voter(&lender).0,
    );
    let record = pda::vote_record(&proposal, &voter.pubkey()).0;
    let elsewhere = pda::vote_record(&proposal, &dao.holders[2].pubkey()).0;
    assert_wrong_pda(
        |ix| dao.send_as(&voter, &[ix]),
        vote.clone(),
        &record,
        &elsewhere,
    );
    // A fake token program.
    let instruction = governance::lock_tokens(
        voter.pubkey(),
        dao.holders[1].token_account(),
        pda::token_mint().0,
        TOKEN,
        a_year(),
    );
    assert_substitute_refused(
        |ix| dao.send_as(&voter, &[ix]),
        instruction,
        &token::SPL_TOKEN_PROGRAM_ID,
        &::rewards::ID,
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
    let other = funded_keypair(&mut cluster);
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
