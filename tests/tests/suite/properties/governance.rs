//! Governance against a model: random locks, relocks, merges, withdrawals,
//! proposals (opened at once or later, some cancelled), votes, a lagging
//! finalization crank and the passing of time. After every step the chain
//! must match the model (positions, tallies, quorums, states) and the vault
//! must hold exactly the locked tokens. The adversarial moves are in the
//! mix: holders burn unlocked tokens directly through SPL Token (the supply
//! that bounds early tipping shrinks), and on the full network the other
//! programs' pause switches flip (governance must not care).
//!
//! The model states the promises directly: a proposal opens only while its
//! proposer has the power to propose; the proposer cancels only while voting
//! time remains; and with early tipping a vote decides a proposal exactly
//! when, even if every other token in existence (the mint's supply at the
//! largest multiplier) voted no, it would still pass.

mod model;

use {
    ::governance::error::GovernanceError,
    depin_sdk::{
        accounts::{OracleConfig, ProposalState, RegistryConfig, RewardsConfig},
        governance::{self, LockupArgs, LockupKind, VoteChoice, MAX_POSITIONS},
        pda, token,
    },
    depin_tests::{
        assert_governance_error,
        dao::{DAY, VOTING_PERIOD},
        poke,
    },
    model::{model_power, random_duration, Chain, Exercised, ModelPosition, ModelProposal},
    rand::{rngs::StdRng, Rng, SeedableRng},
};

fn run(seed: u64, steps: usize, mut chain: Chain) -> Exercised {
    let mut rng = StdRng::seed_from_u64(seed);
    let holders = chain.holders.len();
    let params = chain.params;
    let mut balances: Vec<u64> = (0..holders).map(|i| chain.balance(i)).collect();
    let mut positions: Vec<Vec<ModelPosition>> = vec![vec![]; holders];
    let mut proposals: Vec<ModelProposal> = vec![];
    let mut done = Exercised::default();

    for step in 0..=steps {
        let now = chain.now();
        let who = rng.gen_range(0..holders);
        let owner = chain.key(who);
        let last = step == steps;
        match if last {
            usize::MAX
        } else {
            rng.gen_range(0..12)
        } {
            0 | 1 => {
                let amount = rng.gen_range(1..=balances[who].max(1) / chain.lock_share + 1);
                let constant = rng.gen_bool(0.3);
                let duration = random_duration(&mut rng);
                let kind = if constant {
                    LockupKind::Constant
                } else {
                    LockupKind::Cliff
                };
                let lock = governance::lock_tokens(
                    owner,
                    chain.accounts[who],
                    chain.mint,
                    amount,
                    LockupArgs {
                        kind,
                        duration_secs: duration,
                    },
                );
                let result = chain.send(who, &[lock]);
                if amount <= balances[who] && positions[who].len() < MAX_POSITIONS {
                    result.unwrap();
                    done.locks += 1;
                    balances[who] -= amount;
                    positions[who].push(ModelPosition {
                        amount,
                        constant,
                        value: if constant { duration } else { now + duration },
                    });
                } else {
                    assert!(result.is_err(), "step {step}: lock must fail");
                }
            }
            2 if !positions[who].is_empty() => {
                let index = rng.gen_range(0..positions[who].len());
                let constant = rng.gen_bool(0.5);
                let duration = random_duration(&mut rng);
                let kind = if constant {
                    LockupKind::Constant
                } else {
                    LockupKind::Cliff
                };
                let result = chain.send(
                    who,
                    &[governance::relock_position(
                        owner,
                        index as u8,
                        LockupArgs {
                            kind,
                            duration_secs: duration,
                        },
                    )],
                );
                if duration >= positions[who][index].remaining(now) {
                    result.unwrap();
                    done.relocks += 1;
                    positions[who][index].constant = constant;
                    positions[who][index].value = if constant { duration } else { now + duration };
                } else {
                    assert_governance_error(result, GovernanceError::LockupShortened);
                }
            }
            3 if positions[who].len() >= 2 => {
                let from = rng.gen_range(0..positions[who].len());
                let into =
                    (from + 1 + rng.gen_range(0..positions[who].len() - 1)) % positions[who].len();
                chain
                    .send(
                        who,
                        &[governance::merge_positions(owner, from as u8, into as u8)],
                    )
                    .unwrap();
                done.merges += 1;
                let source = positions[who][from];
                let target = &mut positions[who][into];
                target.amount += source.amount;
                if source.remaining(now) > target.remaining(now) {
                    target.constant = source.constant;
                    target.value = source.value;
                }
                positions[who].remove(from);
            }
            4 if !positions[who].is_empty() => {
                let index = rng.gen_range(0..positions[who].len());
                let withdraw = governance::withdraw_position(
                    owner,
                    index as u8,
                    chain.accounts[who],
                    chain.mint,
                );
                let result = chain.send(who, &[withdraw]);
                let position = positions[who][index];
                if !position.constant && position.value <= now {
                    result.unwrap();
                    done.withdrawals += 1;
                    balances[who] += position.amount;
                    positions[who].remove(index);
                } else {
                    done.refused_withdrawals += 1;
                    assert_governance_error(result, GovernanceError::StillLocked);
                }
            }
            5 => {
                let power = model_power(&positions[who], now, now + VOTING_PERIOD, &params);
                let id = chain.config().proposal_count;
                let create = governance::create_proposal(owner, id, "model", "");
                let result = chain.send(who, &[create]);
                if power >= chain.min_power {
                    result.unwrap();
                    proposals.push(ModelProposal {
                        id,
                        proposer: who,
                        state: ProposalState::Draft,
                        ends: 0,
                        quorum: 0,
                        tallies: [0; 3],
                        voted: vec![false; holders],
                    });
                    // Usually the vote opens at once (the same rule holds).
                    if rng.gen_bool(0.7) {
                        let activate = governance::activate_proposal(owner, id);
                        chain.send(who, &[activate]).unwrap();
                        open(proposals.last_mut().unwrap(), now, &positions);
                    }
                } else if !chain.has_voter_account(who) {
                    assert!(result.is_err());
                } else {
                    assert_governance_error(result, GovernanceError::InsufficientPower);
                }
            }
            6 | 7 if !proposals.is_empty() => {
                // Mostly a proposal whose vote is open.
                let open: Vec<usize> = (0..proposals.len())
                    .filter(|&p| proposals[p].state == ProposalState::Voting)
                    .collect();
                let p = if !open.is_empty() && rng.gen_bool(0.8) {
                    open[rng.gen_range(0..open.len())]
                } else {
                    rng.gen_range(0..proposals.len())
                };
                // Yes half of the time, so that some proposals pass (or tip).
                let choice = [0, 0, 1, 2][rng.gen_range(0..4)];
                let vote = [VoteChoice::Yes, VoteChoice::No, VoteChoice::Abstain][choice];
                let proposal = &mut proposals[p];
                let mint = chain.mint;
                let result = chain.send(
                    who,
                    &[governance::cast_vote(owner, proposal.id, vote, mint)],
                );
                let power = model_power(&positions[who], now, proposal.ends, &params);
                if proposal.voted[who] || !chain.has_voter_account(who) {
                    assert!(result.is_err(), "step {step}: second vote or no voter");
                } else if proposal.state != ProposalState::Voting {
                    assert_governance_error(result, GovernanceError::NotVoting);
                } else if now >= proposal.ends {
                    assert_governance_error(result, GovernanceError::VotingEnded);
                } else if power == 0 {
                    assert_governance_error(result, GovernanceError::NoVotingPower);
                } else {
                    result.unwrap();
                    done.votes += 1;
                    proposal.voted[who] = true;
                    proposal.tallies[choice] += power;
                    // Every token in existence at the largest multiplier.
                    let multiplier = (params.baseline_bps + params.max_extra_bps) as u128;
                    let max_power = chain.supply() as u128 * multiplier / 10_000;
                    if chain.early_tipping && proposal.cannot_be_defeated(max_power) {
                        done.tips += 1;
                        proposal.state = ProposalState::Succeeded;
                    } else if chain.early_tipping {
                        // Tokens locked now could not defeat it, but others
                        // could still be locked: it must stay open.
                        let locked: u128 =
                            positions.iter().flatten().map(|p| p.amount as u128).sum();
                        if proposal.cannot_be_defeated(locked * multiplier / 10_000) {
                            done.held_open += 1;
                        }
                    }
                }
            }
            8 if !proposals.is_empty() => {
                // Mostly a draft.
                let drafts: Vec<usize> = (0..proposals.len())
                    .filter(|&p| proposals[p].state == ProposalState::Draft)
                    .collect();
                let p = if !drafts.is_empty() && rng.gen_bool(0.8) {
                    drafts[rng.gen_range(0..drafts.len())]
                } else {
                    rng.gen_range(0..proposals.len())
                };
                let proposer = proposals[p].proposer;
                let activate = governance::activate_proposal(chain.key(proposer), proposals[p].id);
                let result = chain.send(proposer, &[activate]);
                let power = model_power(&positions[proposer], now, now + VOTING_PERIOD, &params);
                if proposals[p].state != ProposalState::Draft {
                    assert_governance_error(result, GovernanceError::NotDraft);
                } else if power >= chain.min_power {
                    result.unwrap();
                    done.late_activations += 1;
                    open(&mut proposals[p], now, &positions);
                } else {
                    done.refused_activations += 1;
                    assert_governance_error(result, GovernanceError::ProposerPowerTooLow);
                }
            }
            9 if !proposals.is_empty() && rng.gen_bool(0.5) => {
                // Mostly a proposal in voting (open, or ended and not yet
                // finalized).
                let voting: Vec<usize> = (0..proposals.len())
                    .filter(|&p| proposals[p].state == ProposalState::Voting)
                    .collect();
                let p = if !voting.is_empty() && rng.gen_bool(0.7) {
                    voting[rng.gen_range(0..voting.len())]
                } else {
                    rng.gen_range(0..proposals.len())
                };
                let proposer = proposals[p].proposer;
                let cancel = governance::cancel_proposal(chain.key(proposer), proposals[p].id);
                let result = chain.send(proposer, &[cancel]);
                let proposal = &mut proposals[p];
                match proposal.state {
                    ProposalState::Draft => {
                        result.unwrap();
                        done.cancels += 1;
                        proposal.state = ProposalState::Cancelled;
                    }
                    ProposalState::Voting if now < proposal.ends => {
                        result.unwrap();
                        done.cancels += 1;
                        proposal.state = ProposalState::Cancelled;
                    }
                    ProposalState::Voting => {
                        done.refused_cancels += 1;
                        assert_governance_error(result, GovernanceError::CancelWindowClosed);
                    }
                    _ => assert_governance_error(result, GovernanceError::NotVoting),
                }
            }
            10 if balances[who] > 0 && rng.gen_bool(0.5) => {
                let amount = rng.gen_range(1..=balances[who].div_ceil(4));
                let burn = token::burn(
                    &token::SPL_TOKEN_PROGRAM_ID,
                    &chain.accounts[who],
                    &chain.mint,
                    &owner,
                    amount,
                );
                chain.send(who, &[burn]).unwrap();
                balances[who] -= amount;
                done.burns += 1;
            }
            11 if chain.mint == pda::token_mint().0 && rng.gen_bool(0.3) => {
                // Every scope of the three programs paused (as the DAO or
                // a guardian would), or all resumed.
                let until = if rng.gen_bool(0.5) { i64::MAX } else { 0 };
                let address = pda::registry_config().0;
                poke(
                    &mut chain.cluster,
                    &address,
                    |config: &mut RegistryConfig| config.pause.paused_until[..2].fill(until),
                );
                let address = pda::oracle_config().0;
                poke(&mut chain.cluster, &address, |config: &mut OracleConfig| {
                    config.pause.paused_until[..2].fill(until)
                });
                let address = pda::rewards_config().0;
                poke(
                    &mut chain.cluster,
                    &address,
                    |config: &mut RewardsConfig| config.pause.paused_until[..4].fill(until),
                );
                done.pause_flips += 1;
            }
            _ if !last => chain.warp(rng.gen_range(1..=2 * DAY)),
            _ => {}
        }

        // A lagging crank decides some of the votes that have ended (all of
        // them at the end); until then, they are over but not finalized.
        let now = chain.now();
        for proposal in &mut proposals {
            if proposal.state != ProposalState::Voting
                || now < proposal.ends
                || !(last || rng.gen_bool(0.3))
            {
                continue;
            }
            chain
                .send(0, &[governance::finalize_vote(proposal.id)])
                .unwrap();
            done.decided += 1;
            proposal.state = if proposal.passes() {
                ProposalState::Succeeded
            } else {
                ProposalState::Defeated
            };
        }
        for proposal in &proposals {
            let on_chain = chain.proposal(proposal.id);
            assert_eq!(
                on_chain.state, proposal.state,
                "step {step} at {now}: state of proposal {}",
                proposal.id
            );
            assert_eq!(
                [on_chain.yes, on_chain.no, on_chain.abstain],
                proposal.tallies,
                "step {step}: tallies of proposal {}",
                proposal.id
            );
            if proposal.ends != 0 {
                assert_eq!(on_chain.voting_ends_at, proposal.ends);
                assert_eq!(on_chain.quorum_power, proposal.quorum);
                assert_eq!(on_chain.power, params);
            }
        }
        for (holder, model) in positions.iter().enumerate() {
            if let Some(voter) = chain.voter(holder) {
                let amounts: Vec<u64> = voter.positions.iter().map(|p| p.amount).collect();
                let model: Vec<u64> = model.iter().map(|p| p.amount).collect();
                assert_eq!(amounts, model, "step {step}: positions of holder {holder}");
            }
            assert_eq!(chain.balance(holder), balances[holder]);
        }
        chain.assert_invariants();
    }
    println!("seed {seed}: {done:?}, {} proposals", proposals.len());
    assert!(
        done.decided + done.tips >= 2
            && [
                done.locks,
                done.relocks,
                done.merges,
                done.withdrawals,
                done.votes
            ]
            .iter()
            .all(|&n| n > 0),
        "seed {seed} exercised too little: {done:?}"
    );
    done
}

/// Opens the model's vote on `proposal` at `now`: the quorum is 20 % of
/// every token locked now (one power per token).
fn open(proposal: &mut ModelProposal, now: i64, positions: &[Vec<ModelPosition>]) {
    let locked: u128 = positions.iter().flatten().map(|p| p.amount as u128).sum();
    proposal.state = ProposalState::Voting;
    proposal.ends = now + VOTING_PERIOD;
    proposal.quorum = (locked * 2_000).div_ceil(10_000);
}

#[test]
fn governance_matches_its_model_under_random_operations() {
    let mut total = Exercised::default();
    for seed in 0..3 {
        total.add(&run(seed, 400, Chain::network()));
    }
    // Drafts opened later, cancels in time and too late, direct burns and
    // pauses were all reached.
    assert!(
        total.late_activations > 0
            && total.cancels > 0
            && total.refused_cancels > 0
            && total.burns > 0
            && total.pause_flips > 0,
        "too little exercised: {total:?}"
    );
}

#[test]
fn early_tipping_matches_its_model_under_random_operations() {
    let mut total = Exercised::default();
    for seed in 10..13 {
        total.add(&run(seed, 400, Chain::bare_with_tipping()));
    }
    // Votes that tipped, votes that a bound on locked tokens would have
    // tipped, and drafts whose proposer no longer had the power to open
    // them were all reached.
    assert!(
        total.tips > 0 && total.held_open > 0 && total.refused_activations > 0 && total.burns > 0,
        "too little exercised: {total:?}"
    );
}
