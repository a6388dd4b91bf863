//! The SDK's two backends answer alike: the same reads, sends, refusals and
//! simulations on the embedded runtime and over JSON-RPC to a
//! `depin localnet` (the recorded-response tests in `rpc.rs` cover what a
//! healthy node never does: expiring blockhashes, silence, transport
//! errors).

mod common;

use {
    common::{network, Over},
    depin_client::backend::BackendExt,
    depin_sdk::{
        pda,
        programs::{proof_oracle::events::PriceSubmitted, rewards::state::RewardsConfig},
        Pubkey,
    },
};

/// What a client sees of one scripted session, comparable across backends
/// (addresses and signatures differ between two networks; these do not).
#[derive(Debug, PartialEq)]
struct Seen {
    /// Which of 250 addresses (more than one `getMultipleAccounts` call of
    /// 100) exist, and their owners, in the order asked.
    accounts: Vec<Option<Pubkey>>,
    /// A landed transaction: its program's event, decoded, and its logs
    /// (program ids are the same on both).
    price_events: Vec<u64>,
    logs: Vec<String>,
    fee_paid: bool,
    /// A refused send and a failing simulation: the program and error name.
    refused: (String, String),
    simulated: (String, String),
    /// Wallets of an owner through `getProgramAccounts` filters.
    devices_of_payer: usize,
}

fn session(over: Over) -> Seen {
    let (mut client, _node) = network(over);
    let configs = [
        pda::registry_config().0,
        pda::oracle_config().0,
        pda::rewards_config().0,
        pda::governance_config().0,
        pda::token_mint().0,
    ];
    let addresses: Vec<Pubkey> = (0..250)
        .map(|index| match index % 50 {
            0 => configs[index / 50],
            _ => Pubkey::new_unique(),
        })
        .collect();
    let accounts = client
        .backend()
        .get_multiple_accounts(&addresses)
        .unwrap()
        .into_iter()
        .map(|account| account.map(|account| account.owner))
        .collect();

    let landed = client.submit_price(420_000).unwrap();
    let price_events = landed
        .events::<PriceSubmitted>(&depin_sdk::programs::proof_oracle::ID)
        .into_iter()
        .map(|event| event.price)
        .collect();

    // Epoch 0 was issued by `network`: issuing it again is the program's
    // refusal, decoded by name, whether sent or simulated.
    let treasury = client
        .backend()
        .fetch::<RewardsConfig>(&pda::rewards_config().0)
        .unwrap()
        .treasury;
    let again = depin_sdk::rewards::issue_epoch(client.address(), 0, treasury);
    let refused = client.send(std::slice::from_ref(&again), &[]).unwrap_err();
    let refused = refused
        .program_error()
        .unwrap_or_else(|| panic!("not decoded: {refused:?}"));
    let payer = client.payer().insecure_clone();
    let simulation = client
        .backend_mut()
        .simulate(&[again], &payer, &[])
        .unwrap();
    let failure = simulation.failure.expect("the simulation fails");
    let simulated = failure.program_error.expect("decoded");
    Seen {
        accounts,
        price_events,
        logs: landed.logs.clone(),
        fee_paid: landed.fee > 0,
        refused: (refused.program.to_string(), refused.name.to_string()),
        simulated: (simulated.program.to_string(), simulated.name.to_string()),
        devices_of_payer: client.devices_of(&client.address()).unwrap().len(),
    }
}

#[test]
fn both_backends_answer_a_session_alike() {
    let embedded = session(Over::Embedded);
    let expected_owners = [
        depin_sdk::programs::device_registry::ID,
        depin_sdk::programs::proof_oracle::ID,
        depin_sdk::programs::rewards::ID,
        depin_sdk::programs::governance::ID,
        depin_sdk::token::SPL_TOKEN_PROGRAM_ID,
    ];
    for (index, owner) in embedded.accounts.iter().enumerate() {
        let expected = (index % 50 == 0).then(|| expected_owners[index / 50]);
        assert_eq!(*owner, expected, "account {index}");
    }
    assert_eq!(embedded.price_events, vec![420_000]);
    // The instruction, named by Anchor, and its event's self-invocation
    // (`emit_cpi!`); SBF builds add their compute-unit lines.
    let oracle = depin_sdk::programs::proof_oracle::ID;
    let logs = &embedded.logs;
    assert_eq!(logs[0], format!("Program {oracle} invoke [1]"), "{logs:?}");
    assert_eq!(logs[1], "Program log: Instruction: SubmitPrice", "{logs:?}");
    assert_eq!(logs[2], format!("Program {oracle} invoke [2]"), "{logs:?}");
    assert_eq!(
        logs.last().unwrap(),
        &format!("Program {oracle} success"),
        "{logs:?}"
    );
    assert!(embedded.fee_paid);
    assert_eq!(embedded.refused.0, "rewards");
    assert_eq!(embedded.refused, embedded.simulated);
    assert_eq!(embedded.devices_of_payer, 0);

    assert_eq!(session(Over::Localnet), embedded);
}
