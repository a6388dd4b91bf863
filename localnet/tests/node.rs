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
    let deployer = Keypair::new();
    let mut cluster = EmbeddedCluster::with_upgrade_authority(deployer.insecure_clone());
    cluster.warp_to_timestamp(1_800_000_000);
    let node = Localnet::start(
        cluster,
        LocalnetConfig {
            rpc_port: 0,
            ws_port: 0,
            slot_ms: SLOT_MS,
            save_every: Duration::from_secs(3600),
            ..LocalnetConfig::default()
        },
    )
    .expect("the node starts");
    (node, deployer)
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
    Transaction::new_signed_with_payer(
        &[system_transfer(&from.pubkey(), to, lamports)],
        Some(&from.pubkey()),
        &[from],
        blockhash,
    )
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
    let address = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    // The node may answer before reading all of an oversized body.
    let _ = stream.write_all(body);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).to_string();
    let code = answer[9..12].parse().unwrap();
    let body = answer
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    (code, body)
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
    std::thread::sleep(Duration::from_millis(SLOT_MS * 5));
    let processed: u64 = call(&client, "getSlot", json!([{"commitment": "processed"}]));
    assert!(processed > first, "slots advance on the clock");
    let finalized: u64 = call(&client, "getSlot", json!([{"commitment": "finalized"}]));
    assert!(finalized + 32 <= processed + 1, "finalized lags 32 slots");
    let height: u64 = call(
        &client,
        "getBlockHeight",
        json!([{"commitment": "processed"}]),
    );
    assert!(height >= processed);
    let epoch: solana_epoch_info::EpochInfo = call(&client, "getEpochInfo", json!([]));
    assert_eq!(epoch.slots_in_epoch, 432_000);

    let (blockhash, last_valid) = latest_blockhash(&client);
    let confirmed: u64 = call(&client, "getSlot", json!([{"commitment": "confirmed"}]));
    assert!(last_valid >= confirmed + 140 && last_valid <= confirmed + 152);
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
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
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
        loop {
            let answer = socket.next().await;
            if answer["id"] == 9 {
                assert_eq!(answer["result"], false);
                break;
            }
        }
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
