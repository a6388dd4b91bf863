//! Governance against a model: random locks, relocks, merges, withdrawals,
//! proposals, votes and the passing of time. After every step the chain
//! must match the model (positions, tallies, outcomes) and the vault must
//! hold exactly the locked tokens.

use {
    ::governance::error::GovernanceError,
    depin_sdk::{
        accounts::ProposalState,
        governance::{self, LockupArgs, LockupKind, VoteChoice, MAX_POSITIONS},
        pda, Signer,
    },
    depin_tests::{
        assert_governance_error,
        dao::{Dao, DAY, MIN_PROPOSAL_POWER, VOTING_PERIOD, YEAR},
    },
    rand::{rngs::StdRng, Rng, SeedableRng},
};

const SATURATION: i128 = 4 * YEAR as i128;

#[derive(Clone, Copy, Debug)]
struct ModelPosition {
    amount: u64,
    constant: bool,
    /// Cliff: end; constant: duration.
    value: i64,
}

impl ModelPosition {
    fn remaining(&self, now: i64) -> i64 {
        if self.constant {
            self.value
        } else {
            (self.value - now).max(0)
        }
    }
    fn earliest_unlock(&self, now: i64) -> i64 {
        if self.constant {
            now + self.value
        } else {
            self.value
        }
    }
    /// Power from the documented formula (1× + 3× × remaining / 4 years).
    fn power(&self, now: i64) -> u128 {
        let remaining = (self.remaining(now) as i128).min(SATURATION);
        let factor = 10_000 * SATURATION + 30_000 * remaining;
        (self.amount as i128 * factor / (10_000 * SATURATION)) as u128
    }
}

struct ModelProposal {
    id: u64,
    ends: i64,
    tallies: [u128; 3],
    voted: Vec<bool>,
    decided: bool,
}

/// Mostly days (so positions unlock during a run), sometimes years.
fn random_duration(rng: &mut StdRng) -> i64 {
    match rng.gen_range(0..20) {
        0..=11 => rng.gen_range(DAY..=4 * DAY),
        12..=18 => rng.gen_range(4 * DAY..=30 * DAY),
        _ => rng.gen_range(DAY..=2 * YEAR),
    }
}

fn model_power(positions: &[ModelPosition], now: i64, until: i64) -> u128 {
    positions
        .iter()
        .filter(|p| p.earliest_unlock(now) >= until)
        .map(|p| p.power(now))
        .sum()
}

fn run(seed: u64, steps: usize) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut dao = Dao::new();
    let holders = dao.holders.len();
    let mut balances: Vec<u64> = (0..holders)
        .map(|i| dao.net.token_balance(&dao.holders[i].pubkey()))
        .collect();
    let mut positions: Vec<Vec<ModelPosition>> = vec![vec![]; holders];
    let mut proposals: Vec<ModelProposal> = vec![];
    // Successful locks, relocks, merges, withdrawals, votes; refused withdrawals.
    let mut done = [0usize; 6];

    for step in 0..steps {
        let now = dao.now();
        let who = rng.gen_range(0..holders);
        let holder = dao.holder(who);
        match rng.gen_range(0..8) {
            0 | 1 => {
                let amount = rng.gen_range(1..=balances[who].max(1) / 4 + 1);
                let constant = rng.gen_bool(0.3);
                let duration = random_duration(&mut rng);
                let kind = if constant {
                    LockupKind::Constant
                } else {
                    LockupKind::Cliff
                };
                let result = dao.lock(who, amount, kind, duration);
                if amount <= balances[who] && positions[who].len() < MAX_POSITIONS {
                    result.unwrap();
                    done[0] += 1;
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
                let result = dao.send_as(
                    &holder,
                    &[governance::relock_position(
                        holder.pubkey(),
                        index as u8,
                        LockupArgs {
                            kind,
                            duration_secs: duration,
                        },
                    )],
                );
                if duration >= positions[who][index].remaining(now) {
                    result.unwrap();
                    done[1] += 1;
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
                dao.send_as(
                    &holder,
                    &[governance::merge_positions(
                        holder.pubkey(),
                        from as u8,
                        into as u8,
                    )],
                )
                .unwrap();
                done[2] += 1;
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
                let result = dao.send_as(
                    &holder,
                    &[governance::withdraw_position(
                        holder.pubkey(),
                        index as u8,
                        dao.holders[who].token_account(),
                        pda::token_mint().0,
                    )],
                );
                let position = positions[who][index];
                if !position.constant && position.value <= now {
                    result.unwrap();
                    done[3] += 1;
                    balances[who] += position.amount;
                    positions[who].remove(index);
                } else {
                    done[5] += 1;
                    assert_governance_error(result, GovernanceError::StillLocked);
                }
            }
            5 => {
                let power = model_power(&positions[who], now, now + VOTING_PERIOD);
                let result = dao.try_create_draft(who, "model");
                if power >= MIN_PROPOSAL_POWER {
                    result.unwrap();
                    let id = dao.config().proposal_count - 1;
                    dao.send_as(
                        &holder,
                        &[governance::activate_proposal(holder.pubkey(), id)],
                    )
                    .unwrap();
                    proposals.push(ModelProposal {
                        id,
                        ends: now + VOTING_PERIOD,
                        tallies: [0; 3],
                        voted: vec![false; holders],
                        decided: false,
                    });
                } else if positions[who].is_empty()
                    && dao
                        .net
                        .cluster
                        .account(&pda::voter(&holder.pubkey()).0)
                        .is_none()
                {
                    assert!(result.is_err());
                } else {
                    assert_governance_error(result, GovernanceError::InsufficientPower);
                }
            }
            6 if !proposals.is_empty() => {
                let p = rng.gen_range(0..proposals.len());
                let choice = rng.gen_range(0..3);
                let vote = [VoteChoice::Yes, VoteChoice::No, VoteChoice::Abstain][choice];
                let proposal = &mut proposals[p];
                let result = dao.vote(who, proposal.id, vote);
                let power = model_power(&positions[who], now, proposal.ends);
                if proposal.decided || now >= proposal.ends {
                    assert!(result.is_err(), "step {step}: vote after the end");
                } else if proposal.voted[who] {
                    assert!(result.is_err(), "step {step}: second vote");
                } else if dao
                    .net
                    .cluster
                    .account(&pda::voter(&holder.pubkey()).0)
                    .is_none()
                {
                    assert!(result.is_err(), "step {step}: vote without a voter account");
                } else if power == 0 {
                    assert_governance_error(result, GovernanceError::NoVotingPower);
                } else {
                    result.unwrap();
                    done[4] += 1;
                    proposal.voted[who] = true;
                    proposal.tallies[choice] += power;
                }
            }
            _ => dao.warp(rng.gen_range(1..=2 * DAY)),
        }

        // Decide every proposal whose vote has ended.
        let now = dao.now();
        for proposal in proposals.iter_mut().filter(|p| !p.decided && now >= p.ends) {
            dao.crank(governance::finalize_vote(proposal.id)).unwrap();
            proposal.decided = true;
            let on_chain = dao.proposal(proposal.id);
            let [yes, no, abstain] = proposal.tallies;
            let passes = yes > 0
                && yes + no + abstain >= on_chain.quorum_power
                && yes * 10_000 >= 6_000 * (yes + no);
            let expected = if passes {
                ProposalState::Succeeded
            } else {
                ProposalState::Defeated
            };
            assert_eq!(on_chain.state, expected, "step {step} at {now}");
        }
        for proposal in &proposals {
            let on_chain = dao.proposal(proposal.id);
            assert_eq!(
                [on_chain.yes, on_chain.no, on_chain.abstain],
                proposal.tallies,
                "step {step}: tallies of proposal {}",
                proposal.id
            );
        }
        for (index, member) in dao.holders.iter().enumerate() {
            if let Ok(voter) = dao
                .net
                .cluster
                .fetch::<depin_sdk::accounts::Voter>(&pda::voter(&member.pubkey()).0)
            {
                let amounts: Vec<u64> = voter.positions.iter().map(|p| p.amount).collect();
                let model: Vec<u64> = positions[index].iter().map(|p| p.amount).collect();
                assert_eq!(amounts, model, "step {step}: positions of holder {index}");
            }
            assert_eq!(dao.net.token_balance(&member.pubkey()), balances[index]);
        }
        dao.assert_invariants();
    }
    assert!(
        proposals.iter().filter(|p| p.decided).count() >= 2 && done[..5].iter().all(|&n| n > 0),
        "seed {seed} exercised too little: {done:?}, {} proposals",
        proposals.len()
    );
    println!("seed {seed}: {done:?}, {} proposals", proposals.len());
}

#[test]
fn governance_matches_its_model_under_random_operations() {
    for seed in 0..3 {
        run(seed, 150);
    }
}
