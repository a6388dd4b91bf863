//! `depin localnet` as clients see it: the validator's own RPC client and
//! response types, raw HTTP for bad input, WebSocket subscriptions, and
//! the SDK's RPC backend running the suite over it.

use {
    base64::{engine::general_purpose::STANDARD as BASE64, Engine},
    depin_client::{
        backend::BackendExt,
        bootstrap::NetworkPlan,
        embedded::EmbeddedCluster,
        rpc::{RpcBackend, RpcOptions},
        Client,
    },
    depin_localnet::{bank::system_transfer, Localnet, LocalnetConfig},
    depin_sdk::{Hash, Keypair, Pubkey, SdkError, Signer},
    futures_util::{SinkExt, StreamExt},
    serde_json::{json, Value},
    solana_rpc_client::rpc_client::RpcClient,
    solana_rpc_client_api::{
        client_error::ErrorKind,
        request::{RpcError, RpcRequest, RpcResponseErrorData},
        response::{Response, RpcBlockhash, RpcPrioritizationFee, RpcVersionInfo},
    },
    solana_transaction::{versioned::VersionedTransaction, Transaction},
    solana_transaction_status_client_types::{
        EncodedConfirmedTransactionWithStatusMeta, TransactionConfirmationStatus, TransactionStatus,
    },
    std::{
        io::{Read, Write},
        time::{Duration, Instant},
    },
};

const SLOT_MS: u64 = 20;

fn start() -> (Localnet, Keypair) {
    let (node, deployer, _) = start_with(SLOT_MS);
    (node, deployer)
}

/// Also returns the slot the node starts from.
fn start_with(slot_ms: u64) -> (Localnet, Keypair, u64) {
    let deployer = Keypair::new();
    let mut cluster = EmbeddedCluster::with_upgrade_authority(deployer.insecure_clone());
    cluster.warp_to_timestamp(1_800_000_000);
    let first_slot = cluster.clock().slot;
    let node = Localnet::start(
        cluster,
        LocalnetConfig {
            rpc_port: 0,
            ws_port: 0,
            slot_ms,
            save_every: Duration::from_secs(3600),
            ..LocalnetConfig::default()
        },
    )
    .expect("the node starts");
    (node, deployer, first_slot)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn rpc(node: &Localnet) -> RpcClient {
    RpcClient::new(node.rpc_url.clone())
}

/// A call through the validator's RPC client, decoded into its types.
fn call<T: serde::de::DeserializeOwned>(
    client: &RpcClient,
    method: &'static str,
    params: Value,
) -> T {
    client
        .send(RpcRequest::Custom { method }, params)
        .unwrap_or_else(|error| panic!("{method}: {error}"))
}

/// The JSON-RPC error code and message of a call that must fail.
/// The third value: whether it carries a preflight simulation result.
fn rpc_error(client: &RpcClient, method: &'static str, params: Value) -> (i64, String, bool) {
    let error = client
        .send::<Value>(RpcRequest::Custom { method }, params)
        .expect_err(method);
    match error.kind() {
        ErrorKind::RpcError(RpcError::RpcResponseError {
            code,
            message,
            data,
        }) => (
            *code,
            message.clone(),
            matches!(
                data,
                RpcResponseErrorData::SendTransactionPreflightFailure(_)
            ),
        ),
        other => panic!("{method}: not a JSON-RPC error: {other:?}"),
    }
}

fn latest_blockhash(client: &RpcClient) -> (Hash, u64) {
    let response: Response<RpcBlockhash> = call(
        client,
        "getLatestBlockhash",
        json!([{"commitment": "confirmed"}]),
    );
    (
        response.value.blockhash.parse().unwrap(),
        response.value.last_valid_block_height,
    )
}

fn transfer(client: &RpcClient, from: &Keypair, to: &Pubkey, lamports: u64) -> Transaction {
    let (blockhash, _) = latest_blockhash(client);
    transfer_with(from, to, lamports, blockhash)
}

fn transfer_with(from: &Keypair, to: &Pubkey, lamports: u64, blockhash: Hash) -> Transaction {
    Transaction::new_signed_with_payer(
        &[system_transfer(&from.pubkey(), to, lamports)],
        Some(&from.pubkey()),
        &[from],
        blockhash,
    )
}

/// Creates an account of `space` zero bytes owned by `owner`; returns its
/// address and the creating transaction's signature (confirmed).
fn create_account(
    client: &RpcClient,
    payer: &Keypair,
    space: u64,
    owner: &Pubkey,
) -> (Pubkey, String) {
    let account = Keypair::new();
    let lamports: u64 = call(client, "getMinimumBalanceForRentExemption", json!([space]));
    // The system program's CreateAccount (index 0).
    let mut data = 0u32.to_le_bytes().to_vec();
    data.extend_from_slice(&lamports.to_le_bytes());
    data.extend_from_slice(&space.to_le_bytes());
    data.extend_from_slice(&owner.to_bytes());
    let instruction = depin_sdk::Instruction::new_with_bytes(
        solana_sdk_ids::system_program::ID,
        &data,
        vec![
            depin_sdk::AccountMeta::new(payer.pubkey(), true),
            depin_sdk::AccountMeta::new(account.pubkey(), true),
        ],
    );
    let (blockhash, _) = latest_blockhash(client);
    let transaction = Transaction::new_signed_with_payer(
        &[instruction],
        Some(&payer.pubkey()),
        &[payer, &account],
        blockhash,
    );
    let signature = send(client, &transaction);
    wait_for(client, &signature, TransactionConfirmationStatus::Confirmed);
    (account.pubkey(), signature)
}

fn base64_of(transaction: &Transaction) -> String {
    BASE64.encode(bincode::serialize(&VersionedTransaction::from(transaction.clone())).unwrap())
}

fn send(client: &RpcClient, transaction: &Transaction) -> String {
    call(
        client,
        "sendTransaction",
        json!([base64_of(transaction), {"encoding": "base64"}]),
    )
}

fn status(client: &RpcClient, signature: &str) -> Option<TransactionStatus> {
    let response: Response<Vec<Option<TransactionStatus>>> =
        call(client, "getSignatureStatuses", json!([[signature]]));
    response.value.into_iter().next().flatten()
}

fn wait_for(
    client: &RpcClient,
    signature: &str,
    level: TransactionConfirmationStatus,
) -> TransactionStatus {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(found) = status(client, signature) {
            let reached = match (&found.confirmation_status, &level) {
                (Some(TransactionConfirmationStatus::Finalized), _) => true,
                (
                    Some(TransactionConfirmationStatus::Confirmed),
                    TransactionConfirmationStatus::Finalized,
                ) => false,
                (Some(TransactionConfirmationStatus::Confirmed), _) => true,
                (
                    Some(TransactionConfirmationStatus::Processed),
                    TransactionConfirmationStatus::Processed,
                ) => true,
                _ => false,
            };
            if reached {
                return found;
            }
        }
        assert!(
            Instant::now() < deadline,
            "{signature} never reached {level:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A raw HTTP POST: the status line and the body.
fn post_raw(url: &str, body: &[u8]) -> (u16, String) {
    let (code, _, body) = http_raw(url, "POST", "Content-Type: application/json\r\n", body);
    (code, body)
}

/// A raw HTTP request: the status, the headers (lowercase) and the body.
fn http_raw(url: &str, method: &str, headers: &str, body: &[u8]) -> (u16, String, String) {
    let address = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "{method} / HTTP/1.1\r\nHost: {address}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    // The node may answer before reading all of an oversized body.
    let _ = stream.write_all(body);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).to_string();
    let code = answer[9..12].parse().unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    (code, head.to_lowercase(), body.to_string())
}

#[test]
fn reads_answer_in_the_validators_types() {
    let (node, deployer) = start();
    let client = rpc(&node);
    assert_eq!(call::<String>(&client, "getHealth", json!([])), "ok");
    let version: RpcVersionInfo = call(&client, "getVersion", json!([]));
    assert_eq!(
        version.solana_core,
        depin_localnet::rpc::SOLANA_CORE_VERSION
    );
    let genesis: String = call(&client, "getGenesisHash", json!([]));
    assert_eq!(
        genesis,
        call::<String>(&client, "getGenesisHash", json!([]))
    );

    let first: u64 = call(&client, "getSlot", json!([]));
    let started = std::time::Instant::now();
    while call::<u64>(&client, "getSlot", json!([])) == first {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "slots advance on the clock"
        );
        std::thread::sleep(Duration::from_millis(SLOT_MS));
    }
    let processed: u64 = call(&client, "getSlot", json!([{"commitment": "processed"}]));
    let (code, _, _) = rpc_error(
        &client,
        "getBalance",
        json!([deployer.pubkey().to_string(), {"minContextSlot": processed + 1_000_000}]),
    );
    assert_eq!(code, -32016, "minContextSlot not reached");
    // Read between two processed slots, so the node's ticking cannot
    // make the bound fail.
    let finalized: u64 = call(&client, "getSlot", json!([{"commitment": "finalized"}]));
    let processed_after: u64 = call(&client, "getSlot", json!([{"commitment": "processed"}]));
    assert!(
        processed <= finalized + 32 && finalized + 32 <= processed_after,
        "finalized lags 32 slots: {processed} <= {finalized} + 32 <= {processed_after}"
    );
    let height: u64 = call(
        &client,
        "getBlockHeight",
        json!([{"commitment": "processed"}]),
    );
    assert!(height >= processed);
    let epoch: solana_epoch_info::EpochInfo = call(&client, "getEpochInfo", json!([]));
    assert_eq!(epoch.slots_in_epoch, 432_000);

    let confirmed_before: u64 = call(&client, "getSlot", json!([{"commitment": "confirmed"}]));
    let (blockhash, last_valid) = latest_blockhash(&client);
    let confirmed_after: u64 = call(&client, "getSlot", json!([{"commitment": "confirmed"}]));
    assert!(
        last_valid >= confirmed_before + 140 && last_valid <= confirmed_after + 152,
        "{confirmed_before} + 140 <= {last_valid} <= {confirmed_after} + 152"
    );
    let valid: Response<bool> = call(&client, "isBlockhashValid", json!([blockhash.to_string()]));
    assert!(valid.value);
    let unknown: Response<bool> = call(
        &client,
        "isBlockhashValid",
        json!([Hash::new_unique().to_string()]),
    );
    assert!(!unknown.value);

    let rent: u64 = call(&client, "getMinimumBalanceForRentExemption", json!([0]));
    assert_eq!(rent, 890_880);
    let balance: Response<u64> = call(
        &client,
        "getBalance",
        json!([deployer.pubkey().to_string()]),
    );
    assert_eq!(balance.value, 1_000_000_000_000);
    let info: Response<Option<Value>> = call(
        &client,
        "getAccountInfo",
        json!([deployer.pubkey().to_string(), {"encoding": "base64"}]),
    );
    let info = info.value.expect("the deployer exists");
    assert_eq!(info["owner"], "11111111111111111111111111111111");
    assert_eq!(info["data"], json!(["", "base64"]));
    let missing: Response<Option<Value>> = call(
        &client,
        "getAccountInfo",
        json!([Pubkey::new_unique().to_string(), {"encoding": "base64"}]),
    );
    assert!(missing.value.is_none());
    let many: Response<Vec<Option<Value>>> = call(
        &client,
        "getMultipleAccounts",
        json!([[deployer.pubkey().to_string(), Pubkey::new_unique().to_string()], {"encoding": "base64"}]),
    );
    assert!(many.value[0].is_some() && many.value[1].is_none());
    let too_many: Vec<String> = (0..101).map(|_| Pubkey::new_unique().to_string()).collect();
    let (code, message, _) = rpc_error(&client, "getMultipleAccounts", json!([too_many]));
    assert_eq!(
        (code, message.as_str()),
        (-32602, "Too many inputs provided; max 100")
    );

    let fees: Vec<RpcPrioritizationFee> = call(
        &client,
        "getRecentPrioritizationFees",
        json!([[deployer.pubkey().to_string()]]),
    );
    assert_eq!(fees.len(), 150);
    assert!(fees.iter().all(|fee| fee.prioritization_fee == 0));

    let transaction = transfer(&client, &deployer, &Pubkey::new_unique(), 1);
    let message = BASE64.encode(transaction.message.serialize());
    let fee: Response<Option<u64>> = call(&client, "getFeeForMessage", json!([message]));
    assert_eq!(fee.value, Some(5_000));
    node.shutdown().unwrap();
}

#[test]
fn a_transaction_goes_processed_confirmed_finalized_and_is_kept() {
    let (node, deployer) = start();
    let client = rpc(&node);
    let recipient = Pubkey::new_unique();
    let transaction = transfer(&client, &deployer, &recipient, 1_000_000);
    let signature = send(&client, &transaction);
    assert_eq!(signature, transaction.signatures[0].to_string());

    let confirmed = wait_for(
        &client,
        &signature,
        TransactionConfirmationStatus::Confirmed,
    );
    assert_eq!(confirmed.err, None);
    let finalized = wait_for(
        &client,
        &signature,
        TransactionConfirmationStatus::Finalized,
    );
    assert_eq!(finalized.confirmations, None, "finalized: rooted");
    assert_eq!(finalized.slot, confirmed.slot);
    let balance: Response<u64> = call(&client, "getBalance", json!([recipient.to_string()]));
    assert_eq!(balance.value, 1_000_000);

    // getTransaction: not below confirmed; json and base64 encodings.
    let (code, message, _) = rpc_error(
        &client,
        "getTransaction",
        json!([signature, {"commitment": "processed"}]),
    );
    assert_eq!(
        (code, message.as_str()),
        (
            -32602,
            "Method does not support commitment below `confirmed`"
        )
    );
    let landed: EncodedConfirmedTransactionWithStatusMeta = call(
        &client,
        "getTransaction",
        json!([signature, {"commitment": "confirmed", "encoding": "json"}]),
    );
    assert_eq!(landed.slot, confirmed.slot);
    let meta = landed.transaction.meta.expect("metadata");
    assert_eq!(meta.fee, 5_000);
    assert_eq!(meta.err, None);
    assert_eq!(
        meta.pre_balances[0] - meta.post_balances[0],
        1_000_000 + 5_000
    );
    let logs: Option<Vec<String>> = meta.log_messages.into();
    assert_eq!(
        logs.unwrap(),
        vec![
            "Program 11111111111111111111111111111111 invoke [1]".to_string(),
            "Program 11111111111111111111111111111111 success".to_string(),
        ]
    );
    let binary: Value = call(
        &client,
        "getTransaction",
        json!([signature, {"commitment": "confirmed", "encoding": "base64"}]),
    );
    let bytes = BASE64
        .decode(binary["transaction"][0].as_str().unwrap())
        .unwrap();
    let decoded: VersionedTransaction = bincode::deserialize(&bytes).unwrap();
    assert_eq!(decoded, VersionedTransaction::from(transaction.clone()));
    let unknown: Value = call(
        &client,
        "getTransaction",
        json!([Keypair::new().sign_message(b"x").to_string(), {"commitment": "confirmed"}]),
    );
    assert!(unknown.is_null());

    // The same transaction again: already processed (preflight failure).
    let (code, message, data) = rpc_error(
        &client,
        "sendTransaction",
        json!([base64_of(&transaction), {"encoding": "base64"}]),
    );
    assert_eq!(code, -32002);
    assert!(message.contains("already been processed"), "{message}");
    assert!(data, "the simulation result comes with it");

    // An unknown blockhash: refused in preflight, dropped without it.
    let stale = Transaction::new_signed_with_payer(
        &[system_transfer(&deployer.pubkey(), &recipient, 1)],
        Some(&deployer.pubkey()),
        &[&deployer],
        Hash::new_unique(),
    );
    let (code, message, _) = rpc_error(
        &client,
        "sendTransaction",
        json!([base64_of(&stale), {"encoding": "base64"}]),
    );
    assert_eq!(code, -32002);
    assert!(message.contains("Blockhash not found"), "{message}");
    let dropped: String = call(
        &client,
        "sendTransaction",
        json!([base64_of(&stale), {"encoding": "base64", "skipPreflight": true}]),
    );
    std::thread::sleep(Duration::from_millis(SLOT_MS * 3));
    assert!(
        status(&client, &dropped).is_none(),
        "a dropped transaction has no status"
    );

    // A forged signature: -32003, as a validator answers.
    let mut forged = transfer(&client, &deployer, &recipient, 1);
    forged.signatures[0] = Keypair::new().sign_message(b"not this message");
    let (code, _, _) = rpc_error(
        &client,
        "sendTransaction",
        json!([base64_of(&forged), {"encoding": "base64"}]),
    );
    assert_eq!(code, -32003);

    // base58 is the default encoding of sendTransaction.
    let again = transfer(&client, &deployer, &recipient, 2);
    let base58 =
        bs58::encode(bincode::serialize(&VersionedTransaction::from(again.clone())).unwrap())
            .into_string();
    let signature: String = call(&client, "sendTransaction", json!([base58]));
    wait_for(
        &client,
        &signature,
        TransactionConfirmationStatus::Processed,
    );

    // requestAirdrop: a signature that confirms like any other.
    let airdropped: String = call(
        &client,
        "requestAirdrop",
        json!([recipient.to_string(), 2_000_000_000u64]),
    );
    wait_for(
        &client,
        &airdropped,
        TransactionConfirmationStatus::Confirmed,
    );
    let balance: Response<u64> = call(&client, "getBalance", json!([recipient.to_string()]));
    assert_eq!(balance.value, 2_001_000_002);
    node.shutdown().unwrap();
}

#[test]
fn simulation_follows_its_options() {
    let (node, deployer) = start();
    let client = rpc(&node);
    let recipient = Pubkey::new_unique();
    let transaction = transfer(&client, &deployer, &recipient, 5_000_000);
    let result: Response<Value> = call(
        &client,
        "simulateTransaction",
        json!([base64_of(&transaction), {
            "encoding": "base64",
            "sigVerify": true,
            "accounts": {"addresses": [recipient.to_string()], "encoding": "base64"},
        }]),
    );
    assert_eq!(result.value["err"], Value::Null);
    assert_eq!(result.value["accounts"][0]["lamports"], 5_000_000);
    // Nothing was committed.
    let balance: Response<u64> = call(&client, "getBalance", json!([recipient.to_string()]));
    assert_eq!(balance.value, 0);

    let stale = Transaction::new_signed_with_payer(
        &[system_transfer(&deployer.pubkey(), &recipient, 1_000_000)],
        Some(&deployer.pubkey()),
        &[&deployer],
        Hash::new_unique(),
    );
    let refused: Response<Value> = call(
        &client,
        "simulateTransaction",
        json!([base64_of(&stale), {"encoding": "base64"}]),
    );
    assert_eq!(refused.value["err"], "BlockhashNotFound");
    let replaced: Response<Value> = call(
        &client,
        "simulateTransaction",
        json!([base64_of(&stale), {"encoding": "base64", "replaceRecentBlockhash": true}]),
    );
    assert_eq!(replaced.value["err"], Value::Null);
    assert!(replaced.value["replacementBlockhash"]["blockhash"].is_string());
    let (code, message, _) = rpc_error(
        &client,
        "simulateTransaction",
        json!([base64_of(&stale), {"encoding": "base64", "replaceRecentBlockhash": true, "sigVerify": true}]),
    );
    assert_eq!(
        (code, message.as_str()),
        (
            -32602,
            "sigVerify may not be used with replaceRecentBlockhash"
        )
    );
    let mut forged = transaction.clone();
    forged.signatures[0] = Keypair::new().sign_message(b"other");
    let (code, _, _) = rpc_error(
        &client,
        "simulateTransaction",
        json!([base64_of(&forged), {"encoding": "base64", "sigVerify": true}]),
    );
    assert_eq!(code, -32003);
    node.shutdown().unwrap();
}

#[test]
fn bad_input_gets_a_validators_error_and_the_node_keeps_serving() {
    let (node, deployer) = start();
    let url = node.rpc_url.clone();
    let error_code = |body: &str| -> i64 {
        let parsed: Value =
            serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"));
        parsed["error"]["code"]
            .as_i64()
            .unwrap_or_else(|| panic!("no error in {body}"))
    };
    let (status, body) = post_raw(&url, b"{not json");
    assert_eq!(status, 200);
    assert_eq!(error_code(&body), -32700);
    let (_, body) = post_raw(&url, br#"{"jsonrpc":"2.0","id":1,"method":"getNothing"}"#);
    assert_eq!(error_code(&body), -32601);
    let (_, body) = post_raw(
        &url,
        br#"{"jsonrpc":"2.0","id":1,"method":"getBalance","params":[42]}"#,
    );
    assert_eq!(error_code(&body), -32602);
    let (_, body) = post_raw(
        &url,
        br#"{"jsonrpc":"2.0","id":1,"method":"getBalance","params":["not-a-key"]}"#,
    );
    assert_eq!(error_code(&body), -32602);
    let (_, body) = post_raw(&url, br#"{"id":1}"#);
    assert_eq!(error_code(&body), -32600);
    let (_, body) = post_raw(&url, b"[]");
    assert_eq!(error_code(&body), -32600);
    let batch: Vec<Value> = (0..101)
        .map(|id| json!({"jsonrpc": "2.0", "id": id, "method": "getSlot"}))
        .collect();
    let (_, body) = post_raw(&url, serde_json::to_string(&batch).unwrap().as_bytes());
    assert_eq!(error_code(&body), -32600);
    let (_, body) = post_raw(
        &url,
        br#"[{"jsonrpc":"2.0","id":1,"method":"getHealth"},{"jsonrpc":"2.0","id":2,"method":"nope"}]"#,
    );
    let answers: Vec<Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(answers[0]["result"], "ok");
    assert_eq!(answers[1]["error"]["code"], -32601);

    // Over the body limit: HTTP 413, as a validator.
    let oversize = vec![b' '; depin_localnet::MAX_REQUEST_BODY_SIZE + 1];
    let (status, _) = post_raw(&url, &oversize);
    assert_eq!(status, 413);

    let client = rpc(&node);
    let (code, message, _) = rpc_error(
        &client,
        "sendTransaction",
        json!(["!!!", {"encoding": "base64"}]),
    );
    assert_eq!(code, -32602);
    assert!(message.contains("invalid base64"), "{message}");
    let (code, message, _) = rpc_error(
        &client,
        "sendTransaction",
        json!([BASE64.encode([1, 2, 3]), {"encoding": "base64"}]),
    );
    assert_eq!(code, -32602);
    assert!(message.contains("failed to deserialize"), "{message}");
    // Larger than a packet.
    let memo = depin_sdk::Instruction::new_with_bytes(Pubkey::new_unique(), &[0; 1300], vec![]);
    let (blockhash, _) = latest_blockhash(&client);
    let huge = Transaction::new_signed_with_payer(
        &[memo],
        Some(&deployer.pubkey()),
        &[&deployer],
        blockhash,
    );
    let (code, message, _) = rpc_error(
        &client,
        "sendTransaction",
        json!([base64_of(&huge), {"encoding": "base64"}]),
    );
    assert_eq!(code, -32602);
    assert!(message.contains("too large"), "{message}");
    let (code, _, _) = rpc_error(&client, "getTransaction", json!(["xyz"]));
    assert_eq!(code, -32602);

    assert_eq!(call::<String>(&client, "getHealth", json!([])), "ok");
    node.shutdown().unwrap();
}

/// One WebSocket connection's messages, with a deadline.
struct Socket {
    stream: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

impl Socket {
    async fn connect(url: &str) -> Self {
        let (stream, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("ws connects");
        Self { stream }
    }

    async fn send(&mut self, text: &str) {
        self.stream
            .send(tokio_tungstenite::tungstenite::Message::Text(text.into()))
            .await
            .unwrap();
    }

    async fn next(&mut self) -> Value {
        loop {
            let message = tokio::time::timeout(Duration::from_secs(10), self.stream.next())
                .await
                .expect("a message within 10 s")
                .expect("the socket stays open")
                .unwrap();
            if let tokio_tungstenite::tungstenite::Message::Text(text) = message {
                return serde_json::from_str(&text).unwrap();
            }
        }
    }

    /// Sends a call and returns its answer (skipping other messages).
    async fn call(&mut self, id: u64, method: &str, params: Value) -> Value {
        self.send(
            &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string(),
        )
        .await;
        loop {
            let answer = self.next().await;
            if answer["id"] == id {
                return answer;
            }
        }
    }

    /// Whether the server closes the connection within 10 s (other
    /// messages skipped).
    async fn closed(&mut self) -> bool {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            match tokio::time::timeout_at(deadline, self.stream.next()).await {
                Err(_) => return false,
                Ok(None | Some(Err(_))) => return true,
                Ok(Some(Ok(tokio_tungstenite::tungstenite::Message::Close(_)))) => return true,
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    /// Subscribes and returns the subscription id.
    async fn subscribe(&mut self, id: u64, method: &str, params: Value) -> u64 {
        self.send(
            &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string(),
        )
        .await;
        loop {
            let answer = self.next().await;
            if answer["id"] == id {
                return answer["result"]
                    .as_u64()
                    .unwrap_or_else(|| panic!("{method}: {answer}"));
            }
        }
    }

    /// The next notification of `method`, skipping others.
    async fn notification(&mut self, method: &str) -> Value {
        loop {
            let message = self.next().await;
            if message["method"] == method {
                return message["params"].clone();
            }
        }
    }
}

#[test]
fn subscriptions_notify_at_their_commitment() {
    let (node, deployer) = start();
    let client = rpc(&node);
    runtime().block_on(async {
        let mut socket = Socket::connect(&node.ws_url).await;
        // Bad input first: the connection survives it.
        socket.send("{not json").await;
        assert_eq!(socket.next().await["error"]["code"], -32700);
        socket.send(r#"{"jsonrpc":"2.0","id":1,"method":"fooSubscribe","params":[]}"#).await;
        assert_eq!(socket.next().await["error"]["code"], -32601);
        socket.send(r#"{"jsonrpc":"2.0","id":2,"method":"accountSubscribe","params":["nope"]}"#).await;
        assert_eq!(socket.next().await["error"]["code"], -32602);
        // A notification (web3.js's ping) gets no answer.
        socket.send(r#"{"jsonrpc":"2.0","method":"ping"}"#).await;

        let slot_id = socket.subscribe(3, "slotSubscribe", json!([])).await;
        let slot = socket.notification("slotNotification").await;
        assert_eq!(slot["subscription"], slot_id);
        let number = slot["result"]["slot"].as_u64().unwrap();
        assert_eq!(slot["result"]["parent"].as_u64().unwrap(), number - 1);
        socket.send(&json!({"jsonrpc":"2.0","id":4,"method":"slotUnsubscribe","params":[slot_id]}).to_string()).await;
        loop {
            let answer = socket.next().await;
            if answer["id"] == 4 {
                assert_eq!(answer["result"], true);
                break;
            }
        }

        let recipient = Pubkey::new_unique();
        let account_id = socket
            .subscribe(5, "accountSubscribe", json!([recipient.to_string(), {"encoding": "base64", "commitment": "confirmed"}]))
            .await;
        let program_id = socket
            .subscribe(6, "programSubscribe", json!(["11111111111111111111111111111111", {"encoding": "base64", "commitment": "processed", "filters": [{"dataSize": 0}]}]))
            .await;
        let logs_id = socket
            .subscribe(7, "logsSubscribe", json!([{"mentions": [recipient.to_string()]}, {"commitment": "finalized"}]))
            .await;
        let transaction = transfer(&client, &deployer, &recipient, 3_000_000);
        let signature_id = socket
            .subscribe(8, "signatureSubscribe", json!([transaction.signatures[0].to_string(), {"commitment": "confirmed"}]))
            .await;
        send(&client, &transaction);

        let mut seen = std::collections::HashSet::new();
        while seen.len() < 4 {
            let message = socket.next().await;
            let Some(method) = message["method"].as_str() else { continue };
            let params = &message["params"];
            match method {
                "signatureNotification" => {
                    assert_eq!(params["subscription"], signature_id);
                    assert_eq!(params["result"]["value"]["err"], Value::Null);
                    seen.insert(method.to_string());
                }
                "accountNotification" => {
                    assert_eq!(params["subscription"], account_id);
                    assert_eq!(params["result"]["value"]["lamports"], 3_000_000);
                    seen.insert(method.to_string());
                }
                "programNotification" if params["result"]["value"]["pubkey"] == recipient.to_string() => {
                    assert_eq!(params["subscription"], program_id);
                    seen.insert(method.to_string());
                }
                "logsNotification" => {
                    assert_eq!(params["subscription"], logs_id);
                    assert_eq!(params["result"]["value"]["signature"], transaction.signatures[0].to_string());
                    let status = status(&client, &transaction.signatures[0].to_string()).unwrap();
                    assert_eq!(status.confirmation_status, Some(TransactionConfirmationStatus::Finalized), "logs at finalized");
                    seen.insert(method.to_string());
                }
                _ => {}
            }
        }
        // A signature subscription ends with its notification.
        socket.send(&json!({"jsonrpc":"2.0","id":9,"method":"signatureUnsubscribe","params":[signature_id]}).to_string()).await;
        let answer = socket.call(9, "signatureUnsubscribe", json!([signature_id])).await;
        assert_eq!(answer["error"]["code"], -32602, "{answer}");
        assert_eq!(answer["error"]["message"], "Invalid subscription id.");
        // Subscribing to a signature that already landed notifies at once.
        let late = socket
            .subscribe(10, "signatureSubscribe", json!([transaction.signatures[0].to_string(), {"commitment": "confirmed"}]))
            .await;
        let params = socket.notification("signatureNotification").await;
        assert_eq!(params["subscription"], late);
    });
    node.shutdown().unwrap();
}

/// The SDK's RPC backend against the node: the bootstrap, a version-0
/// transaction through the network's lookup table, events read back from
/// `getTransaction`, program errors decoded from preflight logs, token
/// reads in `jsonParsed`, and warps.
#[test]
fn the_sdk_runs_the_suite_over_the_node() {
    let (node, deployer) = start();
    let backend = RpcBackend::new(&node.rpc_url, RpcOptions::default());
    let mut client = Client::new(Box::new(backend), deployer.insecure_clone());
    let genesis = client.backend().clock().unwrap().unix_timestamp;
    let mut plan = NetworkPlan::standard(vec![deployer.pubkey()], 1, genesis, 1_000_000_000);
    plan.hand_over = false;
    client.init_network(&plan).unwrap();
    // Device reports name the network: the same over RPC as embedded.
    let embedded = Client::new(
        Box::new(EmbeddedCluster::with_upgrade_authority(
            deployer.insecure_clone(),
        )),
        deployer.insecure_clone(),
    );
    assert_eq!(client.network_id().unwrap(), embedded.network_id().unwrap());
    let (table, created) = client.create_network_lookup_table().unwrap();
    assert!(created);
    client.use_lookup_table(table).unwrap();

    client.warp(86_400).unwrap();
    let price = client.submit_price(500_000).unwrap();
    let oracle_program = depin_sdk::programs::proof_oracle::ID.to_string();
    assert_eq!(
        price.logs.first(),
        Some(&format!("Program {oracle_program} invoke [1]")),
        "the transaction's logs are read back: {:?}",
        price.logs
    );
    assert!(
        !price.inner_instructions.is_empty(),
        "the emit_cpi! event is read back"
    );
    let (epoch, issued) = client.issue_epoch(None).unwrap();
    assert_eq!(epoch, 0);
    assert!(!issued.inner_instructions.is_empty());

    // A program error, decoded from the preflight simulation's logs.
    let stranger = Keypair::new();
    client.airdrop(&stranger.pubkey(), 1_000_000_000).unwrap();
    let rpc_backend = RpcBackend::new(&node.rpc_url, RpcOptions::default());
    let mut outsider = Client::new(Box::new(rpc_backend), stranger.insecure_clone());
    let error = outsider.submit_price(1).unwrap_err();
    let SdkError::TransactionFailed(failure) = &error else {
        panic!("expected a program error, got {error}");
    };
    assert!(
        failure.logs.iter().any(|line| line.contains("AnchorError")),
        "Anchor's error log reaches the client: {:?}",
        failure.logs
    );
    assert!(
        error.to_string().contains("NotAnOracle") || failure.program_error.is_some(),
        "{error}"
    );

    // Token reads: the treasury grant lands in a token account.
    let member = Keypair::new();
    client.treasury_grant(&member.pubkey(), 1_000).unwrap();
    let rpc_client = rpc(&node);
    let treasury = client
        .backend()
        .account(&depin_sdk::pda::treasury().0)
        .unwrap()
        .expect("the treasury");
    let token_program = treasury.owner;
    let mint = Pubkey::new_from_array(treasury.data[..32].try_into().unwrap());
    let accounts: Response<Vec<Value>> = call(
        &rpc_client,
        "getTokenAccountsByOwner",
        json!([member.pubkey().to_string(), {"programId": token_program.to_string()}, {"encoding": "jsonParsed"}]),
    );
    assert_eq!(accounts.value.len(), 1);
    let parsed = &accounts.value[0]["account"]["data"]["parsed"]["info"];
    assert_eq!(parsed["owner"], member.pubkey().to_string());
    assert_eq!(parsed["tokenAmount"]["amount"], "1000");
    let by_mint: Response<Vec<Value>> = call(
        &rpc_client,
        "getTokenAccountsByOwner",
        json!([member.pubkey().to_string(), {"mint": mint.to_string()}, {"encoding": "base64"}]),
    );
    assert_eq!(by_mint.value.len(), 1);
    let address = accounts.value[0]["pubkey"].as_str().unwrap().to_string();
    let balance: Response<Value> = call(&rpc_client, "getTokenAccountBalance", json!([address]));
    assert_eq!(balance.value["amount"], "1000");
    let (code, _, _) = rpc_error(
        &rpc_client,
        "getTokenAccountBalance",
        json!([deployer.pubkey().to_string()]),
    );
    assert_eq!(code, -32602);
    // getProgramAccounts with a memcmp filter and withContext.
    let with_context: Response<Vec<Value>> = call(
        &rpc_client,
        "getProgramAccounts",
        json!([token_program.to_string(), {
            "encoding": "base64",
            "withContext": true,
            "filters": [{"memcmp": {"offset": 32, "bytes": member.pubkey().to_string()}}],
        }]),
    );
    assert_eq!(with_context.value.len(), 1);
    // tokenAccountState keeps token accounts only: no mint of 82 bytes.
    let token_accounts = |filters: Value| -> usize {
        let found: Vec<Value> = call(
            &rpc_client,
            "getProgramAccounts",
            json!([token_program.to_string(), {"encoding": "base64", "filters": filters}]),
        );
        found.len()
    };
    assert_eq!(
        token_accounts(json!([
            "tokenAccountState",
            {"memcmp": {"offset": 32, "bytes": member.pubkey().to_string()}},
        ])),
        1
    );
    assert!(token_accounts(json!([{"dataSize": 82}])) >= 1, "the mint");
    assert_eq!(
        token_accounts(json!(["tokenAccountState", {"dataSize": 82}])),
        0
    );
    assert!(client
        .backend()
        .exists(&depin_sdk::pda::rewards_config().0)
        .unwrap());
    node.shutdown().unwrap();
}

#[test]
fn the_state_is_saved_on_shutdown_and_served_again() {
    let directory = std::env::temp_dir().join(format!("depin-localnet-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap();
    let state = directory.join("state.bin");
    let deployer = Keypair::new();
    let mut cluster = EmbeddedCluster::with_upgrade_authority(deployer.insecure_clone());
    cluster.warp_to_timestamp(1_800_000_000);
    cluster.save(&state).unwrap();
    let config = LocalnetConfig {
        rpc_port: 0,
        ws_port: 0,
        slot_ms: SLOT_MS,
        ..LocalnetConfig::default()
    };
    let recipient = Pubkey::new_unique();
    let node = Localnet::start(
        EmbeddedCluster::load(&state, deployer.insecure_clone()).unwrap(),
        config.clone(),
    )
    .unwrap();
    let client = rpc(&node);
    let signature = send(
        &client,
        &transfer(&client, &deployer, &recipient, 7_000_000),
    );
    wait_for(
        &client,
        &signature,
        TransactionConfirmationStatus::Confirmed,
    );
    let slot_before: u64 = call(&client, "getSlot", json!([{"commitment": "processed"}]));
    node.shutdown().unwrap();

    let reloaded = EmbeddedCluster::load(&state, Keypair::new()).unwrap();
    assert_eq!(reloaded.account(&recipient).unwrap().lamports, 7_000_000);
    assert!(
        reloaded.clock().slot >= slot_before,
        "the clock is saved too"
    );
    let node = Localnet::start(reloaded, config).unwrap();
    let client = rpc(&node);
    let balance: Response<u64> = call(&client, "getBalance", json!([recipient.to_string()]));
    assert_eq!(balance.value, 7_000_000);
    node.shutdown().unwrap();
    let _ = std::fs::remove_dir_all(&directory);
}

#[test]
fn a_port_in_use_is_named() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let error = Localnet::start(
        EmbeddedCluster::new(),
        LocalnetConfig {
            rpc_port: port,
            ws_port: 0,
            ..LocalnetConfig::default()
        },
    )
    .err()
    .expect("the port is taken");
    assert!(
        error
            .to_string()
            .contains(&format!("JSON-RPC on port {port}")),
        "{error}"
    );
}

/// Unsubscribing ends notifications; an unknown or ended id is refused as
/// a validator refuses it; `logsSubscribe` "all" and
/// `enableReceivedNotification` are served.
#[test]
fn unsubscribing_ends_notifications_and_unknown_ids_are_refused() {
    let (node, deployer) = start();
    let client = rpc(&node);
    runtime().block_on(async {
        let mut socket = Socket::connect(&node.ws_url).await;
        let recipient = Pubkey::new_unique();
        let system = "11111111111111111111111111111111";
        let account_id = socket
            .subscribe(1, "accountSubscribe", json!([recipient.to_string(), {"encoding": "base64", "commitment": "processed"}]))
            .await;
        let program_id = socket
            .subscribe(2, "programSubscribe", json!([system, {"encoding": "base64", "commitment": "processed", "filters": [{"dataSize": 0}]}]))
            .await;
        let logs_id = socket
            .subscribe(3, "logsSubscribe", json!(["all", {"commitment": "processed"}]))
            .await;
        let transaction = transfer(&client, &deployer, &recipient, 1_000_000);
        let signature = transaction.signatures[0].to_string();
        let signature_id = socket
            .subscribe(4, "signatureSubscribe", json!([signature, {"commitment": "confirmed", "enableReceivedNotification": true}]))
            .await;
        send(&client, &transaction);

        let mut signature_results = Vec::new();
        let mut seen = std::collections::HashSet::new();
        while signature_results.len() < 2 || seen.len() < 3 {
            let message = socket.next().await;
            let params = &message["params"];
            match message["method"].as_str() {
                Some("signatureNotification") => {
                    assert_eq!(params["subscription"], signature_id);
                    signature_results.push(params["result"]["value"].clone());
                }
                Some("accountNotification") => {
                    assert_eq!(params["subscription"], account_id);
                    seen.insert("account");
                }
                Some("programNotification") if params["result"]["value"]["pubkey"] == recipient.to_string() => {
                    assert_eq!(params["subscription"], program_id);
                    seen.insert("program");
                }
                Some("logsNotification") => {
                    // "all": a transfer that names no program of ours.
                    assert_eq!(params["subscription"], logs_id);
                    assert_eq!(params["result"]["value"]["signature"], signature);
                    seen.insert("logs");
                }
                _ => {}
            }
        }
        // Received first, then the result at the commitment.
        assert_eq!(signature_results, vec![json!("receivedSignature"), json!({"err": null})]);

        for (id, method, subscription) in [
            (5, "accountUnsubscribe", account_id),
            (6, "programUnsubscribe", program_id),
            (7, "logsUnsubscribe", logs_id),
        ] {
            let answer = socket.call(id, method, json!([subscription])).await;
            assert_eq!(answer["result"], true, "{method}: {answer}");
            let again = socket.call(id + 10, method, json!([subscription])).await;
            assert_eq!(again["error"]["code"], -32602, "{method} again: {again}");
            assert_eq!(again["error"]["message"], "Invalid subscription id.");
        }
        let unknown = socket.call(20, "slotUnsubscribe", json!([u64::MAX])).await;
        assert_eq!(unknown["error"]["code"], -32602, "{unknown}");

        // A second transfer touches the same accounts: nothing of the ended
        // subscriptions arrives. Its own signature notification and the next
        // slot's come after everything the transfer caused (one ordered
        // event stream), which bounds the wait.
        let slot_id = socket.subscribe(21, "slotSubscribe", json!([])).await;
        let second = transfer(&client, &deployer, &recipient, 2_000_000);
        let second_id = socket
            .subscribe(22, "signatureSubscribe", json!([second.signatures[0].to_string(), {"commitment": "processed"}]))
            .await;
        send(&client, &second);
        let mut landed_in = None;
        loop {
            let message = socket.next().await;
            let params = &message["params"];
            match message["method"].as_str() {
                Some("signatureNotification") => {
                    assert_eq!(params["subscription"], second_id);
                    landed_in = params["result"]["context"]["slot"].as_u64();
                }
                Some("slotNotification") => {
                    assert_eq!(params["subscription"], slot_id);
                    let slot = params["result"]["slot"].as_u64().unwrap();
                    if landed_in.is_some_and(|landed| slot > landed) {
                        break;
                    }
                }
                Some(other) => panic!("{other} after unsubscribing: {message}"),
                None => {}
            }
        }
    });
    node.shutdown().unwrap();
}

/// `getProgramAccounts` with `dataSize`; accounts in base58 and the
/// deprecated `binary`, refused over 128 bytes as a validator refuses
/// them; `getTransaction` in base58 and `binary`.
#[test]
fn data_size_filters_and_base58_encodings() {
    let (node, deployer) = start();
    let client = rpc(&node);
    let owner = Pubkey::new_unique();
    let (small, signature) = create_account(&client, &deployer, 10, &owner);
    let (large, _) = create_account(&client, &deployer, 200, &owner);

    let by_size = |size: u64| -> Vec<String> {
        let found: Vec<Value> = call(
            &client,
            "getProgramAccounts",
            json!([owner.to_string(), {"encoding": "base64", "filters": [{"dataSize": size}]}]),
        );
        found
            .iter()
            .map(|keyed| keyed["pubkey"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(by_size(10), vec![small.to_string()]);
    assert_eq!(by_size(200), vec![large.to_string()]);
    assert!(by_size(11).is_empty(), "no account of 11 bytes");
    let all: Vec<Value> = call(
        &client,
        "getProgramAccounts",
        json!([owner.to_string(), {"encoding": "base64"}]),
    );
    assert_eq!(all.len(), 2);

    let zeros = bs58::encode([0u8; 10]).into_string();
    let base58: Response<Value> = call(
        &client,
        "getAccountInfo",
        json!([small.to_string(), {"encoding": "base58"}]),
    );
    assert_eq!(base58.value["data"], json!([zeros, "base58"]));
    assert_eq!(base58.value["owner"], owner.to_string());
    // `binary`, the default: a bare base58 string.
    for config in [json!({"encoding": "binary"}), json!({})] {
        let binary: Response<Value> = call(
            &client,
            "getAccountInfo",
            json!([small.to_string(), config]),
        );
        assert_eq!(binary.value["data"], json!(zeros));
    }
    for encoding in ["base58", "binary"] {
        let (code, message, _) = rpc_error(
            &client,
            "getAccountInfo",
            json!([large.to_string(), {"encoding": encoding}]),
        );
        assert_eq!(
            (code, message.as_str()),
            (
                -32600,
                "Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding."
            )
        );
    }
    // A slice of at most 128 bytes may be base58.
    let sliced: Response<Value> = call(
        &client,
        "getAccountInfo",
        json!([large.to_string(), {"encoding": "base58", "dataSlice": {"offset": 0, "length": 128}}]),
    );
    let data = bs58::decode(sliced.value["data"][0].as_str().unwrap())
        .into_vec()
        .unwrap();
    assert_eq!(data, vec![0u8; 128]);
    let base64: Response<Value> = call(
        &client,
        "getAccountInfo",
        json!([large.to_string(), {"encoding": "base64"}]),
    );
    assert_eq!(base64.value["data"][0], BASE64.encode([0u8; 200]));

    let landed: Value = call(
        &client,
        "getTransaction",
        json!([signature, {"commitment": "confirmed", "encoding": "base58"}]),
    );
    assert_eq!(landed["transaction"][1], "base58");
    let bytes = bs58::decode(landed["transaction"][0].as_str().unwrap())
        .into_vec()
        .unwrap();
    let decoded: VersionedTransaction = bincode::deserialize(&bytes).unwrap();
    assert_eq!(decoded.signatures[0].to_string(), signature);
    let legacy: Value = call(
        &client,
        "getTransaction",
        json!([signature, {"commitment": "confirmed", "encoding": "binary"}]),
    );
    assert_eq!(legacy["transaction"], landed["transaction"][0]);
    node.shutdown().unwrap();
}

/// The last 150 blockhashes are valid: one older than the latest but
/// within 150 blocks lands, one past its `lastValidBlockHeight` is
/// `BlockhashNotFound`, and `isBlockhashValid` agrees at each height.
/// Slots are driven by hand (`Bank::tick`): the node's own clock ticks
/// once at start and then not for a minute.
#[test]
fn a_blockhash_is_valid_for_150_blocks() {
    let (node, deployer, first_slot) = start_with(60_000);
    let client = rpc(&node);
    let tick = |times: u64| {
        let mut bank = node.node().bank.lock().unwrap();
        for _ in 0..times {
            bank.tick();
        }
    };
    // The clock's tick at start first, so the slot moves only by hand after.
    let deadline = Instant::now() + Duration::from_secs(10);
    while node.node().bank.lock().unwrap().slot() == first_slot {
        assert!(
            Instant::now() < deadline,
            "the node's first slot never came"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let started = node.node().bank.lock().unwrap().slot();
    let processed = json!({"commitment": "processed"});
    let (blockhash, last_valid) = latest_blockhash(&client);
    let height = |client: &RpcClient| -> u64 { call(client, "getBlockHeight", json!([processed])) };
    assert_eq!(height(&client), started);
    assert_eq!(last_valid, height(&client) + 150);
    let valid = |client: &RpcClient| -> (u64, bool) {
        let answer: Response<bool> = call(
            client,
            "isBlockhashValid",
            json!([blockhash.to_string(), processed]),
        );
        (answer.context.slot, answer.value)
    };
    let recipient = Pubkey::new_unique();

    tick(100);
    assert_ne!(
        latest_blockhash(&client).0,
        blockhash,
        "no longer the latest"
    );
    assert_eq!(valid(&client), (last_valid - 50, true));
    let older = send(
        &client,
        &transfer_with(&deployer, &recipient, 1_000_001, blockhash),
    );
    wait_for(&client, &older, TransactionConfirmationStatus::Processed);

    // The last valid block height itself is still valid.
    tick(50);
    assert_eq!(height(&client), last_valid);
    assert_eq!(valid(&client), (last_valid, true));
    let last = send(
        &client,
        &transfer_with(&deployer, &recipient, 1_000_002, blockhash),
    );
    wait_for(&client, &last, TransactionConfirmationStatus::Processed);

    tick(1);
    assert_eq!(valid(&client), (last_valid + 1, false));
    let expired = transfer_with(&deployer, &recipient, 1_000_003, blockhash);
    let (code, message, preflight) = rpc_error(
        &client,
        "sendTransaction",
        json!([base64_of(&expired), {"encoding": "base64"}]),
    );
    assert_eq!(code, -32002);
    assert!(message.contains("Blockhash not found"), "{message}");
    assert!(preflight);
    let simulated: Response<Value> = call(
        &client,
        "simulateTransaction",
        json!([base64_of(&expired), {"encoding": "base64"}]),
    );
    assert_eq!(simulated.value["err"], "BlockhashNotFound");
    node.shutdown().unwrap();
}

/// The history is bounded: past the limit the oldest transaction is
/// forgotten (no transaction, no status) and newer ones stay.
#[test]
fn the_oldest_transactions_are_forgotten_past_the_history_limit() {
    let (node, deployer) = start();
    node.node().bank.lock().unwrap().set_history_limit(2);
    let client = rpc(&node);
    let recipient = Pubkey::new_unique();
    let found = |signature: &str| -> (bool, bool) {
        let landed: Value = call(
            &client,
            "getTransaction",
            json!([signature, {"commitment": "confirmed"}]),
        );
        (!landed.is_null(), status(&client, signature).is_some())
    };
    let mut signatures = Vec::new();
    for lamports in 1_000_001..=1_000_003 {
        let signature = send(&client, &transfer(&client, &deployer, &recipient, lamports));
        wait_for(
            &client,
            &signature,
            TransactionConfirmationStatus::Confirmed,
        );
        assert_eq!(found(&signature), (true, true));
        signatures.push(signature);
    }
    assert_eq!(
        found(&signatures[0]),
        (false, false),
        "the oldest is forgotten"
    );
    assert_eq!(found(&signatures[1]), (true, true));
    assert_eq!(found(&signatures[2]), (true, true));
    node.shutdown().unwrap();
}

/// The state file is saved on the timer while the node serves: a
/// transfer is in the file before the node stops.
#[test]
fn the_state_is_saved_on_the_timer_while_serving() {
    let directory =
        std::env::temp_dir().join(format!("depin-localnet-timer-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap();
    let state = directory.join("state.bin");
    let deployer = Keypair::new();
    let mut cluster = EmbeddedCluster::with_upgrade_authority(deployer.insecure_clone());
    cluster.warp_to_timestamp(1_800_000_000);
    cluster.save(&state).unwrap();
    let node = Localnet::start(
        EmbeddedCluster::load(&state, deployer.insecure_clone()).unwrap(),
        LocalnetConfig {
            rpc_port: 0,
            ws_port: 0,
            slot_ms: SLOT_MS,
            save_every: Duration::from_millis(50),
            ..LocalnetConfig::default()
        },
    )
    .unwrap();
    let client = rpc(&node);
    let recipient = Pubkey::new_unique();
    let signature = send(
        &client,
        &transfer(&client, &deployer, &recipient, 7_000_000),
    );
    wait_for(
        &client,
        &signature,
        TransactionConfirmationStatus::Processed,
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let saved = EmbeddedCluster::load(&state, Keypair::new())
            .unwrap()
            .account(&recipient)
            .map(|account| account.lamports);
        if saved == Some(7_000_000) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the timer never saved the transfer"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Still serving after the save.
    assert_eq!(call::<String>(&client, "getHealth", json!([])), "ok");
    node.shutdown().unwrap();
    let _ = std::fs::remove_dir_all(&directory);
}

/// A WebSocket message over 64 KiB is answered with an error and the
/// connection stays; one over the read limit closes only its connection.
#[test]
fn oversized_websocket_messages_are_answered_and_the_node_keeps_serving() {
    let (node, _) = start();
    runtime().block_on(async {
        let mut socket = Socket::connect(&node.ws_url).await;
        let padding = " ".repeat(depin_localnet::ws::MAX_MESSAGE_BYTES);
        let oversize =
            format!(r#"{{"jsonrpc":"2.0","id":1,"method":"slotSubscribe","params":[]}}{padding}"#);
        socket.send(&oversize).await;
        let answer = socket.next().await;
        assert_eq!(answer["error"]["code"], -32602, "{answer}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap()
                .contains("larger than 65536"),
            "{answer}"
        );
        // The same connection still serves.
        socket.subscribe(2, "slotSubscribe", json!([])).await;

        let mut closing = Socket::connect(&node.ws_url).await;
        // The node may close before the client has written it all (a broken
        // pipe on the send): either way the connection ends.
        let sent = closing
            .stream
            .send(tokio_tungstenite::tungstenite::Message::Text(
                " ".repeat(depin_localnet::ws::MAX_READ_BYTES + 1).into(),
            ))
            .await;
        assert!(
            sent.is_err() || closing.closed().await,
            "past the read limit the connection closes"
        );
        // Other connections are served.
        socket.subscribe(3, "slotSubscribe", json!([])).await;
        let mut fresh = Socket::connect(&node.ws_url).await;
        fresh.subscribe(4, "slotSubscribe", json!([])).await;
    });
    assert_eq!(call::<String>(&rpc(&node), "getHealth", json!([])), "ok");
    node.shutdown().unwrap();
}

/// Browser front-ends: any origin, and the preflight succeeds.
#[test]
fn http_rpc_allows_any_origin() {
    let (node, _) = start();
    let (status, headers, _) = http_raw(
        &node.rpc_url,
        "OPTIONS",
        "Origin: http://localhost:3000\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type, solana-client\r\n",
        b"",
    );
    assert_eq!(status, 200, "{headers}");
    assert!(
        headers.contains("access-control-allow-origin: *"),
        "{headers}"
    );
    assert!(
        headers.contains("access-control-allow-methods: get,post"),
        "{headers}"
    );
    assert!(
        headers.contains("access-control-allow-headers: *")
            || headers.contains("access-control-allow-headers: content-type, solana-client"),
        "{headers}"
    );
    let (status, headers, body) = http_raw(
        &node.rpc_url,
        "POST",
        "Origin: http://localhost:3000\r\nContent-Type: application/json\r\n",
        br#"{"jsonrpc":"2.0","id":1,"method":"getHealth"}"#,
    );
    assert_eq!(status, 200);
    assert!(
        headers.contains("access-control-allow-origin: *"),
        "{headers}"
    );
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["result"],
        "ok"
    );
    node.shutdown().unwrap();
}

/// Every method the node lists is served (parameters aside: an empty list
/// gets an answer or −32602, never −32601), and `GET /health` answers.
#[test]
fn every_listed_method_is_served() {
    let (node, _) = start();
    for method in depin_localnet::rpc::METHODS {
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": []});
        let (status, answer) = post_raw(&node.rpc_url, body.to_string().as_bytes());
        assert_eq!(status, 200, "{method}");
        let answer: Value = serde_json::from_str(&answer).unwrap();
        assert!(
            answer.get("result").is_some() || answer["error"]["code"] == -32602,
            "{method}: {answer}"
        );
    }
    let address = node.rpc_url.trim_start_matches("http://").to_string();
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    write!(
        stream,
        "GET /health HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("ok"), "{answer}");
    node.shutdown().unwrap();
}
