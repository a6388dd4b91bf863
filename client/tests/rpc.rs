//! The RPC backend against a recorded transport: what it asks the node,
//! how it batches, retries and decodes errors. No network.

use {
    async_trait::async_trait,
    base64::{engine::general_purpose::STANDARD as BASE64, Engine},
    depin_client::{
        backend::{Backend, BackendExt},
        rpc::{resolve_moniker, RpcBackend, RpcOptions},
        Client,
    },
    depin_sdk::{
        accounts::DEVICE_OWNER_OFFSET, Instruction, Keypair, Pubkey, SdkError, Signer, Transaction,
    },
    serde_json::{json, Value},
    solana_rpc_client::rpc_sender::{RpcSender, RpcTransportStats},
    solana_rpc_client_api::{
        client_error::{Error as ClientError, Result as ClientResult},
        request::{RpcError, RpcRequest, RpcResponseErrorData},
    },
    std::{
        sync::{Arc, Mutex},
        time::Duration,
    },
};

type Responder = dyn Fn(&str, &Value, usize) -> ClientResult<Value> + Send + Sync;

/// Records every request; answers with `respond(method, params, nth call
/// of that method)`.
#[derive(Clone)]
struct Recorder {
    requests: Arc<Mutex<Vec<(String, Value)>>>,
    respond: Arc<Responder>,
}

impl Recorder {
    fn new(
        respond: impl Fn(&str, &Value, usize) -> ClientResult<Value> + Send + Sync + 'static,
    ) -> Self {
        Self {
            requests: Arc::default(),
            respond: Arc::new(respond),
        }
    }

    fn calls(&self, method: &str) -> Vec<Value> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|(name, _)| name == method)
            .map(|(_, params)| params.clone())
            .collect()
    }
}

#[async_trait]
impl RpcSender for Recorder {
    async fn send(&self, request: RpcRequest, params: Value) -> ClientResult<Value> {
        let method = request.to_string();
        let nth = {
            let mut requests = self.requests.lock().unwrap();
            requests.push((method.clone(), params.clone()));
            requests.iter().filter(|(name, _)| *name == method).count() - 1
        };
        (self.respond)(&method, &params, nth)
    }

    fn get_transport_stats(&self) -> RpcTransportStats {
        RpcTransportStats::default()
    }

    fn url(&self) -> String {
        "recorded://node".into()
    }
}

fn options() -> RpcOptions {
    RpcOptions {
        poll_interval: Duration::from_millis(1),
        ..RpcOptions::default()
    }
}

fn context(value: Value) -> Value {
    json!({"context": {"slot": 1, "apiVersion": "3.1.14"}, "value": value})
}

fn ui_account(owner: &Pubkey, data: &[u8]) -> Value {
    json!({
        "lamports": 1_000_000,
        "data": [BASE64.encode(data), "base64"],
        "owner": owner.to_string(),
        "executable": false,
        "rentEpoch": 0,
        "space": data.len(),
    })
}

fn blockhash(nth: usize) -> Value {
    let hash = depin_sdk::Hash::new_from_array([nth as u8 + 1; 32]);
    context(json!({"blockhash": hash.to_string(), "lastValidBlockHeight": 100 + nth as u64}))
}

fn signature() -> Value {
    json!(solana_signature::Signature::default().to_string())
}

fn confirmed() -> Value {
    context(json!([{
        "slot": 5, "confirmations": null, "err": null,
        "status": {"Ok": null}, "confirmationStatus": "finalized"
    }]))
}

fn sent_transaction(params: &Value) -> Transaction {
    let encoded = params[0].as_str().expect("base64 transaction");
    bincode::deserialize(&BASE64.decode(encoded).unwrap()).unwrap()
}

fn memo(bytes: usize) -> Instruction {
    Instruction {
        program_id: Pubkey::new_unique(),
        accounts: vec![],
        data: vec![7; bytes],
    }
}

/// A node that confirms everything at once.
fn confirming_node() -> Recorder {
    Recorder::new(|method, _, nth| match method {
        "getLatestBlockhash" => Ok(blockhash(nth)),
        "sendTransaction" => Ok(signature()),
        "getSignatureStatuses" => Ok(confirmed()),
        // A node that keeps no history: the outcome has no logs.
        "getTransaction" => Ok(Value::Null),
        other => panic!("unexpected {other}"),
    })
}

#[test]
fn get_multiple_accounts_asks_in_batches_of_100_and_keeps_order() {
    let owner = Pubkey::new_unique();
    let recorder = Recorder::new(move |method, params, _| {
        assert_eq!(method, "getMultipleAccounts");
        // Accounts with an even first byte exist; their data is their address.
        let value: Vec<Value> = params[0]
            .as_array()
            .unwrap()
            .iter()
            .map(|key| {
                let key: Pubkey = key.as_str().unwrap().parse().unwrap();
                if key.to_bytes()[0].is_multiple_of(2) {
                    ui_account(&owner, &key.to_bytes())
                } else {
                    Value::Null
                }
            })
            .collect();
        Ok(context(Value::Array(value)))
    });
    let backend = RpcBackend::with_sender(recorder.clone(), options());
    let addresses: Vec<Pubkey> = (0..250u16)
        .map(|index| {
            let mut bytes = [0u8; 32];
            bytes[..2].copy_from_slice(&index.to_le_bytes());
            Pubkey::new_from_array(bytes)
        })
        .collect();
    let accounts = backend.get_multiple_accounts(&addresses).unwrap();

    let calls = recorder.calls("getMultipleAccounts");
    let sizes: Vec<usize> = calls
        .iter()
        .map(|params| params[0].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, vec![100, 100, 50]);
    assert_eq!(calls[0][1]["commitment"], "confirmed");
    assert_eq!(accounts.len(), 250);
    for (address, account) in addresses.iter().zip(&accounts) {
        match account {
            Some(account) => {
                assert_eq!(account.data, address.to_bytes());
                assert_eq!(account.owner, owner);
            }
            None => assert_eq!(address.to_bytes()[0] % 2, 1),
        }
    }
}

#[test]
fn devices_of_an_owner_is_one_get_program_accounts_with_memcmp_filters() {
    let owner = Pubkey::new_unique();
    let recorder = Recorder::new(|_, _, _| Ok(json!([])));
    let client = Client::new(
        Box::new(RpcBackend::with_sender(recorder.clone(), options())),
        Keypair::new(),
    );
    assert!(client.devices_of(&owner).unwrap().is_empty());

    let calls = recorder.calls("getProgramAccounts");
    assert_eq!(calls.len(), 1);
    let params = &calls[0];
    assert_eq!(params[0], depin_sdk::device_registry::ID.to_string());
    assert_eq!(params[1]["encoding"], "base64");
    let filters = params[1]["filters"].as_array().unwrap();
    assert_eq!(filters.len(), 2);
    // The account type (Anchor discriminator) at 0, the owner after it.
    let discriminator =
        <depin_sdk::device_registry::state::Device as anchor_lang::Discriminator>::DISCRIMINATOR;
    assert_eq!(filters[0]["memcmp"]["offset"], 0);
    assert_eq!(
        filters[0]["memcmp"]["bytes"],
        bs58::encode(discriminator).into_string()
    );
    assert_eq!(filters[1]["memcmp"]["offset"], DEVICE_OWNER_OFFSET);
    assert_eq!(filters[1]["memcmp"]["bytes"], owner.to_string());
}

#[test]
fn sending_prepends_the_compute_budget_and_confirms() {
    let recorder = confirming_node();
    let mut backend = RpcBackend::with_sender(
        recorder.clone(),
        RpcOptions {
            compute_unit_price: Some(5_000),
            compute_unit_limit: Some(300_000),
            ..options()
        },
    );
    backend.send(&[memo(10)], &Keypair::new(), &[]).unwrap();

    let sent = recorder.calls("sendTransaction");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0][1]["encoding"], "base64");
    assert_eq!(sent[0][1]["preflightCommitment"], "confirmed");
    let transaction = sent_transaction(&sent[0]);
    transaction.verify().expect("signed by the payer");
    let keys = &transaction.message.account_keys;
    let budget: Pubkey = "ComputeBudget111111111111111111111111111111"
        .parse()
        .unwrap();
    let instructions = &transaction.message.instructions;
    assert_eq!(keys[usize::from(instructions[0].program_id_index)], budget);
    assert_eq!(keys[usize::from(instructions[1].program_id_index)], budget);
    // SetComputeUnitLimit (2) then SetComputeUnitPrice (3), little-endian.
    let (limit, price) = (&instructions[0].data, &instructions[1].data);
    assert_eq!(limit[0], 2);
    assert_eq!(u32::from_le_bytes(limit[1..5].try_into().unwrap()), 300_000);
    assert_eq!(price[0], 3);
    assert_eq!(u64::from_le_bytes(price[1..9].try_into().unwrap()), 5_000);
    assert_eq!(
        transaction.message.recent_blockhash,
        depin_sdk::Hash::new_from_array([1; 32])
    );
}

#[test]
fn an_expired_blockhash_is_retried_with_a_fresh_one_and_then_given_up() {
    // The first transaction never lands: its blockhash expires (height 101
    // passes its last valid height 100); the second confirms.
    let recorder = Recorder::new(|method, _, nth| match method {
        "getLatestBlockhash" => Ok(blockhash(nth)),
        "sendTransaction" => Ok(signature()),
        "getSignatureStatuses" if nth == 0 => Ok(context(json!([null]))),
        "getSignatureStatuses" => Ok(confirmed()),
        "getBlockHeight" => Ok(json!(101)),
        "getTransaction" => Ok(Value::Null),
        other => panic!("unexpected {other}"),
    });
    let mut backend = RpcBackend::with_sender(recorder.clone(), options());
    backend.send(&[memo(1)], &Keypair::new(), &[]).unwrap();
    let sent = recorder.calls("sendTransaction");
    assert_eq!(sent.len(), 2);
    assert_ne!(
        sent_transaction(&sent[0]).message.recent_blockhash,
        sent_transaction(&sent[1]).message.recent_blockhash
    );

    // A node that never confirms: every attempt expires, then a clear error.
    let never = Recorder::new(|method, _, nth| match method {
        "getLatestBlockhash" => Ok(blockhash(nth)),
        "sendTransaction" => Ok(signature()),
        "getSignatureStatuses" => Ok(context(json!([null]))),
        "getBlockHeight" => Ok(json!(1_000)),
        other => panic!("unexpected {other}"),
    });
    let mut backend = RpcBackend::with_sender(never.clone(), options());
    let error = backend.send(&[memo(1)], &Keypair::new(), &[]).unwrap_err();
    assert!(
        matches!(error, SdkError::NotConfirmed { attempts: 3, .. }),
        "{error}"
    );
    assert_eq!(never.calls("sendTransaction").len(), 3);
}

#[test]
fn a_preflight_failure_is_decoded_to_the_program_error() {
    // The node's simulation fails in the rewards program at instruction 1
    // (instruction 0 is the compute-unit price).
    let recorder = Recorder::new(|method, _, nth| match method {
        "getLatestBlockhash" => Ok(blockhash(nth)),
        "sendTransaction" => Err(ClientError::from(RpcError::RpcResponseError {
            code: -32002,
            message: "Transaction simulation failed".into(),
            data: RpcResponseErrorData::SendTransactionPreflightFailure(
                serde_json::from_value(json!({
                    "err": {"InstructionError": [1, {"Custom": 6017}]},
                    "logs": ["Program log: AnchorError occurred"],
                }))
                .unwrap(),
            ),
        })),
        other => panic!("unexpected {other}"),
    });
    let mut backend = RpcBackend::with_sender(
        recorder,
        RpcOptions {
            compute_unit_price: Some(1),
            ..options()
        },
    );
    let payer = Keypair::new();
    let issue = depin_sdk::rewards::issue_epoch(payer.pubkey(), 0, Pubkey::new_unique());
    let error = backend.send(&[issue], &payer, &[]).unwrap_err();
    let info = error
        .program_error()
        .unwrap_or_else(|| panic!("not decoded: {error:?}"));
    assert_eq!(info.program, "rewards");
    assert_eq!(info.name, "BatchInChallengeWindow");
    assert!(
        error
            .to_string()
            .contains("rewards error 6017 (BatchInChallengeWindow)"),
        "{error}"
    );
    let SdkError::TransactionFailed(failure) = error else {
        panic!("a transaction failure")
    };
    assert_eq!(failure.logs, vec!["Program log: AnchorError occurred"]);
}

#[test]
fn warp_asks_a_local_node_and_a_real_cluster_refuses_it_in_words() {
    use solana_rpc_client_api::request::RpcError;
    // A validator without `depin_warp` (mainnet, devnet, a test validator).
    let validator = Recorder::new(|method, _, _| match method {
        "depin_warp" => Err(ClientError::from(RpcError::RpcResponseError {
            code: -32601,
            message: "Method not found".into(),
            data: solana_rpc_client_api::request::RpcResponseErrorData::Empty,
        })),
        other => panic!("unexpected {other}"),
    });
    let mut backend = RpcBackend::with_sender(validator.clone(), options());
    let message = backend.warp(3600).unwrap_err().to_string();
    assert!(
        message.contains("time passes by itself") && message.contains("depin localnet"),
        "{message}"
    );
    assert_eq!(validator.calls("depin_warp"), vec![json!([3600])]);
}

#[test]
fn logs_and_events_of_a_confirmed_transaction_are_read_back() {
    // getTransaction in the validator's json encoding: an inner
    // instruction (an emit_cpi! event) of the program at key index 2.
    let program = Pubkey::new_unique();
    let keys = json!([
        Pubkey::new_unique().to_string(),
        Pubkey::new_unique().to_string(),
        program.to_string()
    ]);
    let recorder = Recorder::new(move |method, params, nth| match method {
        "getLatestBlockhash" => Ok(blockhash(nth)),
        "sendTransaction" => Ok(signature()),
        "getSignatureStatuses" => Ok(confirmed()),
        "getTransaction" => {
            assert_eq!(params[1]["maxSupportedTransactionVersion"], 0);
            assert_eq!(params[1]["commitment"], "confirmed");
            Ok(json!({
                "slot": 5,
                "blockTime": 1_800_000_000,
                "transaction": {
                    "signatures": [solana_signature::Signature::default().to_string()],
                    "message": {
                        "header": {"numRequiredSignatures": 1, "numReadonlySignedAccounts": 0, "numReadonlyUnsignedAccounts": 1},
                        "accountKeys": keys,
                        "recentBlockhash": depin_sdk::Hash::default().to_string(),
                        "instructions": [],
                    },
                },
                "meta": {
                    "err": null, "status": {"Ok": null}, "fee": 5000,
                    "preBalances": [1, 0, 1], "postBalances": [1, 0, 1],
                    "innerInstructions": [{"index": 0, "instructions": [
                        {"programIdIndex": 2, "accounts": [1], "data": bs58::encode([1, 2, 3]).into_string(), "stackHeight": 2}
                    ]}],
                    "logMessages": ["Program log: hello"],
                    "computeUnitsConsumed": 1234,
                },
            }))
        }
        other => panic!("unexpected {other}"),
    });
    let mut backend = RpcBackend::with_sender(recorder, options());
    let outcome = backend.send(&[memo(1)], &Keypair::new(), &[]).unwrap();
    assert_eq!(outcome.logs, vec!["Program log: hello".to_string()]);
    assert_eq!(outcome.compute_units, 1234);
    assert_eq!(outcome.fee, 5000);
    assert_eq!(outcome.inner_instructions.len(), 1);
    assert_eq!(outcome.inner_instructions[0].program_id, program);
    assert_eq!(outcome.inner_instructions[0].data, vec![1, 2, 3]);
}

#[test]
fn transport_errors_name_the_node() {
    let recorder = Recorder::new(|_, _, _| {
        Err(ClientError::from(std::io::Error::other(
            "connection refused",
        )))
    });
    let backend = RpcBackend::with_sender(recorder, options());
    let error = backend.account(&Pubkey::new_unique()).unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with("RPC request to recorded://node failed"),
        "{message}"
    );
    assert!(message.contains("connection refused"), "{message}");
}

#[test]
fn a_node_that_is_not_there_or_too_slow_is_said_in_words() {
    use std::io::{Error, ErrorKind};
    for (kind, said) in [
        (
            ErrorKind::ConnectionRefused,
            "no Solana node answers at recorded://node; start one (`solana-test-validator`, \
             or `depin localnet`) or choose another with -u",
        ),
        (
            ErrorKind::TimedOut,
            "the node at recorded://node did not answer within 30 s (timed out)",
        ),
    ] {
        let recorder =
            Recorder::new(move |_, _, _| Err(ClientError::from(Error::new(kind, "os error"))));
        let backend = RpcBackend::with_sender(recorder, options());
        let message = backend
            .account(&Pubkey::new_unique())
            .unwrap_err()
            .to_string();
        assert!(message.contains(said), "{message}");
        assert!(!message.contains("os error"), "{message}");
    }
}

#[test]
fn an_oversized_transaction_is_refused_before_anything_is_sent() {
    let recorder = confirming_node();
    let mut backend = RpcBackend::with_sender(recorder.clone(), options());
    let error = backend
        .send(&[memo(1_200)], &Keypair::new(), &[])
        .unwrap_err();
    assert!(
        matches!(error, SdkError::TransactionTooLarge { limit: 1232, .. }),
        "{error}"
    );
    assert!(recorder.calls("sendTransaction").is_empty());
}

#[test]
fn packing_fills_transactions_and_refuses_a_group_too_big_for_one() {
    let recorder = confirming_node();
    let mut client = Client::new(
        Box::new(RpcBackend::with_sender(recorder.clone(), options())),
        Keypair::new(),
    );
    let program = Pubkey::new_unique();
    let group = |bytes| {
        vec![Instruction {
            program_id: program,
            accounts: vec![],
            data: vec![1; bytes],
        }]
    };
    // Ten 300-byte groups: three fit a transaction, so four transactions.
    let groups: Vec<Vec<Instruction>> = (0..10).map(|_| group(300)).collect();
    let mut seen = Vec::new();
    let outcomes = client
        .send_packed(&groups, &mut |done, total| seen.push((done, total)))
        .unwrap();
    assert_eq!(outcomes.len(), 4);
    assert_eq!(seen, vec![(3, 10), (6, 10), (9, 10), (10, 10)]);
    for params in recorder.calls("sendTransaction") {
        let size = BASE64.decode(params[0].as_str().unwrap()).unwrap().len();
        assert!(size <= depin_sdk::MAX_TRANSACTION_SIZE, "{size}");
    }

    let sent_before = recorder.calls("sendTransaction").len();
    let error = client
        .send_packed(&[group(10), group(1_300)], &mut |_, _| {})
        .unwrap_err();
    assert!(
        matches!(error, SdkError::TransactionTooLarge { .. }),
        "{error}"
    );
    assert_eq!(recorder.calls("sendTransaction").len(), sent_before);
}

#[test]
fn monikers_resolve_like_the_solana_cli() {
    assert_eq!(resolve_moniker("devnet"), "https://api.devnet.solana.com");
    assert_eq!(
        resolve_moniker("mainnet-beta"),
        "https://api.mainnet-beta.solana.com"
    );
    assert_eq!(resolve_moniker("l"), "http://localhost:8899");
    assert_eq!(
        resolve_moniker("https://rpc.example"),
        "https://rpc.example"
    );
}

#[test]
fn with_a_lookup_table_the_node_gets_a_signed_version_0_transaction() {
    let recorder = confirming_node();
    let mut backend = RpcBackend::with_sender(recorder.clone(), options());
    let shared = Pubkey::new_unique();
    let table = depin_sdk::txsize::LookupTable {
        key: Pubkey::new_unique(),
        addresses: vec![shared],
    };
    let instruction = Instruction {
        program_id: Pubkey::new_unique(),
        accounts: vec![depin_sdk::AccountMeta::new_readonly(shared, false)],
        data: vec![1, 2, 3],
    };
    let payer = Keypair::new();
    backend
        .send_with_lookup_tables(&[instruction], &payer, &[], std::slice::from_ref(&table))
        .unwrap();

    let sent = recorder.calls("sendTransaction");
    assert_eq!(sent.len(), 1);
    let encoded = sent[0][0].as_str().unwrap();
    let transaction: solana_transaction::versioned::VersionedTransaction =
        bincode::deserialize(&BASE64.decode(encoded).unwrap()).unwrap();
    let solana_message::VersionedMessage::V0(message) = &transaction.message else {
        panic!("a legacy transaction was sent");
    };
    // The shared account is named through the table, not among the keys.
    assert!(!message.account_keys.contains(&shared));
    assert_eq!(message.address_table_lookups.len(), 1);
    assert_eq!(message.address_table_lookups[0].account_key, table.key);
    assert_eq!(message.address_table_lookups[0].readonly_indexes, vec![0]);
    assert_eq!(transaction.verify_with_results(), vec![true]);
    assert_eq!(message.account_keys[0], payer.pubkey());
}
