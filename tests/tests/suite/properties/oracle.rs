//! Random sequences of oracle operations against a model: batches become
//! final only with a quorum of current oracles, a final commitment never
//! changes, status moves only forward, and every invariant holds.

use {
    depin_sdk::{
        accounts::{BatchStatus, Commitment},
        pda, proof_oracle, Signer,
    },
    depin_tests::proof_oracle::*,
    proptest::prelude::*,
    std::collections::BTreeMap,
};

#[derive(Clone, Debug)]
enum Op {
    Vote {
        oracle: usize,
        epoch: u64,
        choice: u8,
    },
    ChangeSet {
        members: u8,
        quorum: u8,
    },
    Advance {
        hours: i64,
    },
    Expire {
        epoch: u64,
    },
    Finalize {
        epoch: u64,
    },
    Reject {
        epoch: u64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0usize..5, 0u64..3, 0u8..2).prop_map(|(oracle, epoch, choice)| Op::Vote { oracle, epoch, choice }),
        1 => (1u8..32, 1u8..6).prop_map(|(members, quorum)| Op::ChangeSet { members, quorum }),
        2 => (1i64..40).prop_map(|hours| Op::Advance { hours }),
        1 => (0u64..3).prop_map(|epoch| Op::Expire { epoch }),
        1 => (0u64..3).prop_map(|epoch| Op::Finalize { epoch }),
        1 => (0u64..3).prop_map(|epoch| Op::Reject { epoch }),
    ]
}

fn rank(status: BatchStatus) -> u8 {
    match status {
        BatchStatus::Pending => 0,
        BatchStatus::Final | BatchStatus::Expired => 1,
        BatchStatus::Rejected => 2,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn random_oracle_operations_keep_every_invariant(ops in prop::collection::vec(op(), 1..50)) {
        // Five possible oracles; the set is a bitmask over them.
        let mut net = OracleNet::new(5, 3);
        let keys: Vec<_> = net.oracle_keys();
        let payer = net.authority.insecure_clone();
        let mut members: u8 = 0b11111;
        let mut quorum: u8 = 3;
        // Model: each current member's latest vote per epoch.
        let mut votes: BTreeMap<(u64, usize), Commitment> = BTreeMap::new();
        let mut finals: BTreeMap<u64, Commitment> = BTreeMap::new();
        let mut statuses: BTreeMap<u64, BatchStatus> = BTreeMap::new();
        net.after_epoch(0, 60);

        for op in ops {
            match op {
                Op::Vote { oracle, epoch, choice } => {
                    let choice = commitment(choice + 1);
                    let landed = net.vote(oracle, epoch, choice).is_ok();
                    let is_member = members & (1 << oracle) != 0;
                    prop_assert!(!landed || is_member, "non-member vote landed");
                    if landed {
                        votes.insert((epoch, oracle), choice);
                    }
                }
                Op::ChangeSet { members: mask, quorum: wanted } => {
                    let mask = mask & 0b11111;
                    let set: Vec<_> = (0..5).filter(|i| mask & (1 << i) != 0).map(|i| keys[i]).collect();
                    let authority = net.authority.pubkey();
                    let landed = net
                        .authority_send(proof_oracle::set_oracle_set(authority, set.clone(), wanted))
                        .is_ok();
                    prop_assert_eq!(landed, !set.is_empty() && usize::from(wanted) <= set.len());
                    if landed {
                        // Votes of removed members are void for good, even
                        // if they come back.
                        votes.retain(|(_, oracle), _| mask & (1 << oracle) != 0);
                        members = mask;
                        quorum = wanted;
                    }
                }
                Op::Advance { hours } => {
                    let now = net.now();
                    net.cluster.warp_to_timestamp(now + hours * 3_600);
                }
                Op::Expire { epoch } => {
                    let _ = net.cluster.send(&[proof_oracle::expire_batch(payer.pubkey(), epoch)], &payer, &[]);
                }
                Op::Finalize { epoch } => {
                    let _ = net.cluster.send(&[proof_oracle::finalize_batch(epoch)], &payer, &[]);
                }
                Op::Reject { epoch } => {
                    let authority = net.authority.pubkey();
                    let _ = net.authority_send(proof_oracle::reject_batch(authority, epoch));
                }
            }

            let config = net.config();
            prop_assert!(config.invariant().is_ok());
            for epoch in 0..3u64 {
                let Some(_) = net.cluster.account(&pda::epoch_batch(epoch).0) else { continue };
                let batch = net.batch(epoch);
                prop_assert!(batch.invariant().is_ok());
                let previous = statuses.insert(epoch, batch.status).unwrap_or(BatchStatus::Pending);
                prop_assert!(rank(batch.status) >= rank(previous), "status went back: {:?} -> {:?}", previous, batch.status);
                if previous == BatchStatus::Final {
                    prop_assert!(matches!(batch.status, BatchStatus::Final | BatchStatus::Rejected));
                }
                if matches!(batch.status, BatchStatus::Final | BatchStatus::Rejected) {
                    match finals.get(&epoch) {
                        Some(known) => prop_assert_eq!(*known, batch.commitment, "final commitment changed"),
                        None => {
                            // It just became final: a quorum of current
                            // members voted for exactly this commitment.
                            let supporters = votes
                                .iter()
                                .filter(|((e, _), c)| *e == epoch && **c == batch.commitment)
                                .count();
                            prop_assert!(supporters >= usize::from(quorum), "final without quorum");
                            finals.insert(epoch, batch.commitment);
                        }
                    }
                }
                if batch.status == BatchStatus::Pending {
                    for vote in &batch.votes {
                        let index = keys.iter().position(|key| *key == vote.oracle).unwrap();
                        // Void votes (of removed members) stay stored until
                        // the next count prunes them; the ones that count
                        // match the model.
                        if config.vote_counts(&vote.oracle, vote.set_version) {
                            prop_assert_eq!(votes.get(&(epoch, index)), Some(&vote.commitment));
                        }
                    }
                }
            }
        }
    }
}
