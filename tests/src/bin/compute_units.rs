//! Compute units of every instruction of the suite, on its typical path and
//! its worst case, next to the published figures of the leading DePIN
//! program library for the comparable instructions.
//!
//! Meaningful only against the SBF builds (natively every instruction costs
//! 1 CU):
//!
//! ```sh
//! scripts/sbf/build.sh
//! DEPIN_PROGRAMS=sbf cargo run -p depin-tests --bin compute-units
//! ```
//!
//! Each figure is the `compute_units_consumed` of a transaction carrying
//! that one instruction (CPIs it makes included).

use {
    depin_runtime::ProgramMode,
    depin_sdk::{
        device_registry,
        governance::{self, LockupArgs, LockupKind, VoteChoice},
        proof_oracle,
        rewards::{self, UsagePurpose},
        Keypair, Pubkey, SdkError, Signer, TxOutcome,
    },
    depin_tests::{
        dao::{Dao, Governed, DAY, YEAR},
        network::{wallet_batch, Network, PRICE, TOKEN},
        proof_oracle::{commitment, OracleNet},
        Registry, SF_CELL_2,
    },
};

/// The published compute units of the comparable instructions of the
/// leading DePIN program library.
const REFERENCE: [(&str, u64); 5] = [
    ("register_device", 109_809),
    ("claim_rewards", 74_780),
    ("mint_data_credits", 36_033),
    ("cast_vote", 63_786),
    ("issue_epoch", 75_371),
];

struct Rows(Vec<(&'static str, &'static str, String, u64)>);

impl Rows {
    fn add(
        &mut self,
        program: &'static str,
        instruction: &'static str,
        case: &str,
        result: Result<TxOutcome, SdkError>,
    ) {
        let outcome =
            result.unwrap_or_else(|error| panic!("{instruction} ({case}) failed: {error:?}"));
        if std::env::var("CU_LOGS").is_ok_and(|wanted| wanted == instruction) {
            for line in &outcome.logs {
                eprintln!("{line}");
            }
        }
        self.0.push((
            program,
            instruction,
            case.to_string(),
            outcome.compute_units,
        ));
    }

    fn print(&self) {
        println!(
            "| program | instruction | case | CU | reference | ratio |\n|---|---|---|---:|---:|---:|"
        );
        for (program, instruction, case, cu) in &self.0 {
            let reference = REFERENCE
                .iter()
                .find(|(name, _)| name == instruction)
                .map(|(_, cu)| *cu);
            let (reference, ratio) = match reference {
                Some(reference) => (
                    reference.to_string(),
                    format!("{:.2}", *cu as f64 / reference as f64),
                ),
                None => (String::new(), String::new()),
            };
            println!("| {program} | `{instruction}` | {case} | {cu} | {reference} | {ratio} |");
        }
    }
}

fn main() {
    if ProgramMode::from_env() == ProgramMode::Native {
        eprintln!(
            "compute-units: the programs run natively (1 CU per instruction); run \
             scripts/sbf/build.sh, then DEPIN_PROGRAMS=sbf cargo run -p depin-tests --bin compute-units"
        );
        std::process::exit(2);
    }
    let mut rows = Rows(Vec::new());
    registry_rows(&mut rows);
    oracle_rows(&mut rows);
    rewards_rows(&mut rows);
    governance_rows(&mut rows);
    rows.print();
}

fn registry_rows(rows: &mut Rows) {
    let mut net = Network::new();
    net.launch();
    let member = net.funded_member(1_000 * TOKEN);
    net.buy_dc(&member, 100 * TOKEN).unwrap();
    let owner = member.keypair.insecure_clone();
    let device = Keypair::new();
    rows.add(
        "registry",
        "register_device",
        "open class, location, fee burned in credits (Token-2022)",
        net.register(&member, &device),
    );
    rows.add(
        "registry",
        "update_location",
        "location fee burned in credits",
        net.send(
            &[device_registry::update_location(
                owner.pubkey(),
                device.pubkey(),
                member.fees(),
                SF_CELL_2,
            )],
            &owner,
            &[],
        ),
    );
    rows.add(
        "registry",
        "set_rewards_recipient",
        "to a payout wallet",
        net.set_recipient(&member, &device.pubkey(), &Pubkey::new_unique()),
    );
    rows.add(
        "registry",
        "transfer_device",
        "to a new owner",
        net.send(
            &[device_registry::transfer_device(
                owner.pubkey(),
                device.pubkey(),
                Pubkey::new_unique(),
            )],
            &owner,
            &[],
        ),
    );
    let second = Keypair::new();
    net.register(&member, &second).unwrap();
    rows.add(
        "registry",
        "retire_device",
        "closes the account",
        net.send(
            &[device_registry::retire_device(
                owner.pubkey(),
                second.pubkey(),
            )],
            &owner,
            &[],
        ),
    );

    // Worst case: a class that needs the maker's co-signature, with a quota.
    let mut registry = Registry::new();
    let maker = registry.maker.insecure_clone();
    let operator = registry.operator_with_tokens(1_000_000);
    let device = Keypair::new();
    rows.add(
        "registry",
        "register_device",
        "maker class: maker co-signs, quota counted (SPL fee mint)",
        registry.register_with_maker(&operator, &device, &maker),
    );
}

fn oracle_rows(rows: &mut Rows) {
    let mut net = OracleNet::new(3, 2);
    rows.add("oracle", "submit_price", "3 oracles", net.price(0, PRICE));
    net.after_epoch(0, 1);
    rows.add(
        "oracle",
        "submit_batch",
        "first vote (creates the batch account)",
        net.vote(0, 0, commitment(1)),
    );
    rows.add(
        "oracle",
        "submit_batch",
        "the vote that reaches quorum 2 of 3",
        net.vote(1, 0, commitment(1)),
    );
    let authority = net.authority.pubkey();
    rows.add(
        "oracle",
        "reject_batch",
        "inside the challenge window",
        net.authority_send(proof_oracle::reject_batch(authority, 0)),
    );
    net.after_epoch(1, 3 * DAY + 1);
    let payer = net.authority.insecure_clone();
    rows.add(
        "oracle",
        "expire_batch",
        "no vote ever (creates the account)",
        net.cluster.send(
            &[proof_oracle::expire_batch(payer.pubkey(), 1)],
            &payer,
            &[],
        ),
    );

    // Worst cases: the full set of 16.
    let mut net = OracleNet::new(16, 16);
    for index in 0..15 {
        net.price(index, PRICE).unwrap();
    }
    rows.add(
        "oracle",
        "submit_price",
        "16th of 16 oracles",
        net.price(15, PRICE),
    );
    net.after_epoch(0, 1);
    for index in 0..15 {
        net.vote(index, 0, commitment(1)).unwrap();
    }
    rows.add(
        "oracle",
        "submit_batch",
        "16th vote reaches quorum 16 of 16",
        net.vote(15, 0, commitment(1)),
    );
    let oracles = net.oracle_keys();
    let authority = net.authority.pubkey();
    rows.add(
        "oracle",
        "set_oracle_set",
        "16 oracles",
        net.authority_send(proof_oracle::set_oracle_set(authority, oracles, 9)),
    );
}

fn rewards_rows(rows: &mut Rows) {
    let mut net = Network::new();
    net.launch();
    let member = net.funded_member(1_000 * TOKEN);
    rows.add(
        "rewards",
        "mint_data_credits",
        "3 fresh prices, Token-2022 mint",
        net.buy_dc(&member, 100 * TOKEN),
    );
    rows.add(
        "rewards",
        "burn_data_credits",
        "usage",
        net.spend_dc(&member, 1_000, UsagePurpose::DataTransfer),
    );
    let device = Keypair::new();
    net.register(&member, &device).unwrap();
    net.after_epoch(1, 1);
    rows.add(
        "rewards",
        "issue_epoch",
        "emission + net emission, three mints",
        net.issue(1),
    );
    let cranker = net.treasury_owner.insecure_clone();
    let wallet = member.pubkey();
    let mut epoch = 1;
    // The member's wallet is leaf 0 of each batch; the other wallets are
    // filler. 32,768 wallets: the deepest proof (15) a legacy claim
    // transaction holds. The first claim creates the wallet's record.
    for (leaf_count, depth) in [(100u32, 7), (10_000, 14), (32_768, 15)] {
        if epoch > 1 {
            net.after_epoch(epoch, 1);
            net.issue(epoch).unwrap();
        }
        let mut amounts = vec![(wallet, epoch * TOKEN)];
        amounts.extend((1..leaf_count).map(|index| {
            let mut filler = [9u8; 32];
            filler[..4].copy_from_slice(&index.to_le_bytes());
            (Pubkey::new_from_array(filler), 1)
        }));
        let batch = wallet_batch(epoch, &amounts);
        net.finalize(&batch, 2);
        net.after_epoch(epoch, 2 * 3_600);
        let record = if epoch == 1 {
            "first claim, creates the wallet's record"
        } else {
            "record exists"
        };
        let claim = rewards::claim_from_batch(&batch, &wallet).unwrap();
        assert_eq!(claim.proof.len(), depth);
        rows.add(
            "rewards",
            "claim_rewards",
            &format!("{leaf_count} wallets (proof of {depth}), {record}"),
            net.send(
                &[rewards::claim_rewards(cranker.pubkey(), claim)],
                &cranker,
                &[],
            ),
        );
        epoch += 1;
    }
    let oracle = net.oracles[0].insecure_clone();
    let destination = rewards::token_account(&oracle.pubkey());
    net.send(
        &[rewards::create_token_account(
            &oracle.pubkey(),
            &oracle.pubkey(),
        )],
        &oracle,
        &[],
    )
    .unwrap();
    rows.add(
        "rewards",
        "claim_oracle_rewards",
        "one of two contributors",
        net.send(
            &[rewards::claim_oracle_rewards(
                oracle.pubkey(),
                1,
                destination,
            )],
            &oracle,
            &[],
        ),
    );
    let authority = net.authority.pubkey();
    let treasury = net.config().treasury;
    net.after_epoch(epoch, 1);
    net.issue(epoch).unwrap();
    let batch = net.batch(epoch, None, &[(device.pubkey(), 9 * TOKEN)]);
    net.finalize(&batch, 2);
    net.authority_send(proof_oracle::reject_batch(authority, epoch))
        .unwrap();
    rows.add(
        "rewards",
        "sweep_oracle_rewards",
        "a rejected epoch's share",
        net.authority_send(rewards::sweep_oracle_rewards(authority, epoch, treasury)),
    );
    rows.add(
        "rewards",
        "pause",
        "all four scopes, by the authority",
        net.authority_send(rewards::pause(authority, 0b1111)),
    );
}

fn governance_rows(rows: &mut Rows) {
    let mut dao = Dao::new();
    let lock = |dao: &mut Dao, holder: usize, amount: u64| {
        dao.lock(holder, amount, LockupKind::Cliff, YEAR)
    };
    rows.add(
        "governance",
        "lock_tokens",
        "first position (creates the voter account)",
        lock(&mut dao, 0, 50_000 * TOKEN),
    );
    for _ in 0..15 {
        lock(&mut dao, 1, TOKEN).unwrap();
    }
    rows.add(
        "governance",
        "lock_tokens",
        "16th position",
        lock(&mut dao, 1, TOKEN),
    );
    lock(&mut dao, 0, 10_000 * TOKEN).unwrap();
    lock(&mut dao, 2, 10_000 * TOKEN).unwrap();
    let holder = dao.holder(0);
    rows.add(
        "governance",
        "merge_positions",
        "two cliffs",
        dao.send_as(
            &holder,
            &[governance::merge_positions(holder.pubkey(), 1, 0)],
        ),
    );
    rows.add(
        "governance",
        "relock_position",
        "cliff to a longer cliff",
        dao.send_as(
            &holder,
            &[governance::relock_position(
                holder.pubkey(),
                0,
                LockupArgs {
                    kind: LockupKind::Cliff,
                    duration_secs: 2 * YEAR,
                },
            )],
        ),
    );

    // A typical proposal: one instruction; a vote with one position.
    let typical = dao.propose(0, &[rewards::pause(governance::dao_authority(), 0b0001)]);
    rows.add(
        "governance",
        "cast_vote",
        "1 position, a proposal of 1 instruction",
        dao.vote(2, typical, VoteChoice::Yes),
    );

    // A proposal with the most instructions (8), each paused/unpaused by
    // the DAO authority.
    let dao_authority = governance::dao_authority();
    let id = dao.config().proposal_count;
    rows.add(
        "governance",
        "create_proposal",
        "",
        dao.send_as(
            &holder,
            &[governance::create_proposal(
                holder.pubkey(),
                id,
                "Pauses",
                "",
            )],
        ),
    );
    for index in 0..8 {
        let instruction = if index % 2 == 0 {
            rewards::pause(dao_authority, 0b0100)
        } else {
            rewards::unpause(dao_authority, 0b0100)
        };
        let result = dao.send_as(
            &holder,
            &[governance::add_instruction(
                holder.pubkey(),
                id,
                governance::stored(&instruction),
            )],
        );
        if index == 7 {
            rows.add("governance", "add_instruction", "8th instruction", result);
        } else {
            result.unwrap();
        }
    }
    rows.add(
        "governance",
        "activate_proposal",
        "",
        dao.send_as(
            &holder,
            &[governance::activate_proposal(holder.pubkey(), id)],
        ),
    );
    rows.add(
        "governance",
        "cast_vote",
        "2 positions, a proposal of 8 instructions",
        dao.vote(0, id, VoteChoice::Yes),
    );
    rows.add(
        "governance",
        "cast_vote",
        "16 positions, a proposal of 8 instructions",
        dao.vote(1, id, VoteChoice::Yes),
    );
    dao.warp(depin_tests::dao::VOTING_PERIOD);
    rows.add(
        "governance",
        "finalize_vote",
        "",
        dao.crank(governance::finalize_vote(id)),
    );
    rows.add(
        "governance",
        "queue_proposal",
        "",
        dao.crank(governance::queue_proposal(id)),
    );
    dao.warp(depin_tests::dao::TIMELOCK);
    // The transaction also sets its compute-unit limit (150 CU of it).
    rows.add(
        "governance",
        "execute_proposal",
        "8 instructions (CPIs into rewards), with its compute budget",
        dao.execute(id),
    );
}
