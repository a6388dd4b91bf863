//! The DAO running the network by proposal: oracle sets, emissions, makers,
//! grants and vetoes.

use {
    crate::governance::{batch, current_epoch},
    ::governance::error::GovernanceError,
    depin_sdk::{
        accounts::{BatchStatus, EpochBatch, ProposalState, RewardsConfig},
        governance::{self, dao_authority, VoteChoice},
        pda, proof_oracle,
        rewards::{ScheduleEntry, Split},
        Keypair, Signer,
    },
    depin_tests::{
        assert_governance_error, assert_oracle_error, assert_rewards_error,
        dao::{Dao, Governed, DAY, TIMELOCK, VOTING_PERIOD},
        funded_keypair,
        network::TOKEN,
    },
    proof_oracle::error::OracleError,
    rewards::error::RewardsError,
};

#[test]
fn a_proposal_adds_an_oracle_whose_batch_vote_then_counts() {
    let mut dao = Dao::locked();
    let newcomer = funded_keypair(&mut dao.net.cluster);
    let mut members: Vec<_> = dao.net.oracles.iter().map(Signer::pubkey).collect();
    members.push(newcomer.pubkey());

    let id = dao.propose(
        0,
        &[proof_oracle::set_oracle_set(dao_authority(), members, 2)],
    );
    let proposal = dao.proposal(id);
    assert_eq!(proposal.state, ProposalState::Voting);
    assert_eq!(proposal.voting_ends_at, dao.now() + VOTING_PERIOD);
    // 20 % of the 180,000 locked tokens.
    assert_eq!(proposal.quorum_power, 36_000 * TOKEN as u128);

    dao.vote(0, id, VoteChoice::Yes).unwrap();
    dao.vote(1, id, VoteChoice::Yes).unwrap();
    dao.vote(2, id, VoteChoice::No).unwrap();
    // Not decided before voting ends.
    assert_governance_error(
        dao.crank(governance::finalize_vote(id)),
        GovernanceError::VotingNotEnded,
    );
    dao.warp(VOTING_PERIOD);
    dao.crank(governance::finalize_vote(id)).unwrap();
    assert_eq!(dao.state(id), ProposalState::Succeeded);
    // Executing needs queuing, then the timelock.
    assert_governance_error(dao.execute(id), GovernanceError::NotQueued);
    dao.crank(governance::queue_proposal(id)).unwrap();
    assert_eq!(dao.state(id), ProposalState::Queued);
    assert_governance_error(dao.execute(id), GovernanceError::TimelockNotElapsed);
    dao.warp(TIMELOCK - 1);
    assert_governance_error(dao.execute(id), GovernanceError::TimelockNotElapsed);

    // Until it executes, the newcomer's vote is refused.
    let epoch = current_epoch(&dao) - 1;
    let votes = batch(epoch);
    let submit = |oracle: &Keypair| {
        proof_oracle::submit_batch(
            oracle.pubkey(),
            epoch,
            votes.commitment(),
            "https://batches.example/b.bin".into(),
        )
    };
    assert_oracle_error(
        dao.send_as(&newcomer, &[submit(&newcomer)]),
        OracleError::NotAnOracle,
    );

    dao.warp(1);
    dao.execute(id).unwrap();
    let proposal = dao.proposal(id);
    assert_eq!(proposal.state, ProposalState::Executed);
    assert_eq!(proposal.executed_at, dao.now());
    assert_eq!(dao.net.oracle_config().oracles.len(), 4);
    assert_governance_error(dao.execute(id), GovernanceError::NotQueued);

    // One original oracle and the newcomer make the batch final.
    let first = dao.net.oracles[0].insecure_clone();
    dao.send_as(&first, &[submit(&first)]).unwrap();
    let batch_address = pda::epoch_batch(epoch).0;
    let pending: EpochBatch = dao.net.cluster.fetch(&batch_address).unwrap();
    assert_eq!(pending.status, BatchStatus::Pending);
    dao.send_as(&newcomer, &[submit(&newcomer)]).unwrap();
    let final_batch: EpochBatch = dao.net.cluster.fetch(&batch_address).unwrap();
    assert_eq!(final_batch.status, BatchStatus::Final);
    dao.assert_invariants();
}

#[test]
fn an_emission_change_takes_effect_from_the_next_epoch() {
    let mut dao = Dao::locked();
    let split = Split {
        devices_bps: 7_000,
        oracles_bps: 1_000,
        treasury_bps: 2_000,
    };
    // Passing takes voting + timelock = 3 days; the new rate starts in the
    // epoch after the one running at execution.
    let start_epoch = current_epoch(&dao) + 4;
    let config: RewardsConfig = dao.net.config();
    let mut schedule = config.schedule.clone();
    schedule.push(ScheduleEntry {
        start_epoch,
        tokens_per_epoch: 250_000 * TOKEN,
        split,
    });
    schedule.sort_by_key(|entry| entry.start_epoch);
    let id = dao.propose(
        1,
        &[depin_sdk::rewards::set_emission_schedule(
            dao_authority(),
            schedule,
        )],
    );
    dao.vote(0, id, VoteChoice::Yes).unwrap();
    issue_while_waiting(&mut dao, VOTING_PERIOD);
    dao.crank(governance::finalize_vote(id)).unwrap();
    dao.crank(governance::queue_proposal(id)).unwrap();
    issue_while_waiting(&mut dao, TIMELOCK);
    assert_eq!(current_epoch(&dao), start_epoch - 1);
    dao.execute(id).unwrap();

    // The running epoch keeps the old rate, the next one has the new rate.
    issue_while_waiting(&mut dao, 2 * DAY);
    for epoch in 0..start_epoch {
        assert_eq!(dao.net.epoch_rewards(epoch).emission, 1_000_000 * TOKEN);
    }
    let issued = dao.net.epoch_rewards(start_epoch);
    assert_eq!(issued.emission, 250_000 * TOKEN);
    assert_eq!(issued.devices, 175_000 * TOKEN);
    dao.net.assert_invariants();
}

/// Moves the clock `seconds` ahead in steps of at most 12 hours, issuing
/// every epoch as it ends (as the crank would).
fn issue_while_waiting(dao: &mut Dao, seconds: i64) {
    let target = dao.now() + seconds;
    while dao.now() < target {
        dao.warp((target - dao.now()).min(12 * 3_600));
        for epoch in dao.net.config().next_epoch..current_epoch(dao) {
            dao.net.issue(epoch).unwrap();
        }
    }
}

#[test]
fn the_dao_owns_the_registry_the_oracle_set_and_the_rewards_config() {
    let mut dao = Dao::locked();
    // The former authority can change nothing.
    let former = dao.net.authority.insecure_clone();
    assert_oracle_error(
        dao.send_as(
            &former,
            &[proof_oracle::set_oracle_set(
                former.pubkey(),
                vec![former.pubkey()],
                1,
            )],
        ),
        OracleError::NotAuthority,
    );
    assert_rewards_error(
        dao.send_as(
            &former,
            &[depin_sdk::rewards::update_rewards(
                former.pubkey(),
                Default::default(),
                None,
            )],
        ),
        RewardsError::NotAuthority,
    );
    let registry: depin_sdk::accounts::RegistryConfig =
        dao.net.cluster.fetch(&pda::registry_config().0).unwrap();
    assert_eq!(registry.authority, dao_authority());
    assert_eq!(dao.net.oracle_config().authority, dao_authority());
    assert_eq!(dao.net.config().authority, dao_authority());

    // A proposal approves a maker (the DAO authority pays its rent) and
    // sends treasury tokens to a grantee.
    let maker = Keypair::new();
    let grantee = dao.net.member();
    let treasury = dao.net.config().treasury;
    let before = dao.net.cluster.token_balance(&treasury);
    let id = dao.propose(
        0,
        &[
            depin_sdk::device_registry::add_maker(
                dao_authority(),
                dao_authority(),
                depin_sdk::device_registry::AddMakerArgs {
                    maker_key: maker.pubkey(),
                    name: "Acme Radios".into(),
                    device_quota: Some(1_000),
                },
            ),
            depin_sdk::token::transfer(
                &treasury,
                &grantee.token_account(),
                &dao_authority(),
                5_000 * TOKEN,
            ),
        ],
    );
    dao.pass(id);
    dao.execute(id).unwrap();
    let approved: depin_sdk::accounts::Maker = dao
        .net
        .cluster
        .fetch(&pda::maker(&maker.pubkey()).0)
        .unwrap();
    assert_eq!(approved.name, "Acme Radios");
    assert_eq!(dao.net.token_balance(&grantee.pubkey()), 5_000 * TOKEN);
    assert_eq!(
        dao.net.cluster.token_balance(&treasury),
        before - 5_000 * TOKEN
    );
}

#[test]
fn the_dao_vetoes_a_final_batch_inside_its_challenge_window() {
    let mut dao = Dao::locked();
    // Challenge window long enough for a vote: a proposal sets it first.
    let id = dao.propose(
        0,
        &[proof_oracle::update_oracle_params(
            dao_authority(),
            proof_oracle::instructions::UpdateOracleParamsArgs {
                challenge_window: Some(7 * DAY),
                ..Default::default()
            },
        )],
    );
    dao.pass(id);
    dao.execute(id).unwrap();
    assert_eq!(dao.net.oracle_config().challenge_window, 7 * DAY);

    let epoch = current_epoch(&dao) - 1;
    let suspicious = batch(epoch);
    dao.net.finalize(&suspicious, 2);
    let veto = dao.propose(0, &[proof_oracle::reject_batch(dao_authority(), epoch)]);
    dao.pass(veto);
    dao.execute(veto).unwrap();
    let rejected: EpochBatch = dao.net.cluster.fetch(&pda::epoch_batch(epoch).0).unwrap();
    assert_eq!(rejected.status, BatchStatus::Rejected);
}
