//! The WebSocket subscriptions of a validator's pubsub service:
//! signature, account, program, slot and logs, each notified when the
//! slot it concerns reaches the subscriber's commitment.

use {
    crate::{
        bank::{Commitment, Event},
        rpc::{self, invalid_params},
        Node,
    },
    axum::extract::ws::{Message, WebSocket},
    depin_sdk::Pubkey,
    jsonrpc_core::{Error, Id, Params},
    serde_json::{json, Value},
    solana_account_decoder_client_types::UiAccountEncoding,
    solana_rpc_client_api::{
        config::{
            RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcSignatureSubscribeConfig,
            RpcTransactionLogsConfig, RpcTransactionLogsFilter,
        },
        filter::RpcFilterType,
        response::{
            ProcessedSignatureResult, ReceivedSignatureResult, RpcKeyedAccount, RpcLogsResponse,
            RpcSignatureResult, SlotInfo,
        },
    },
    solana_signature::Signature,
    solana_transaction_error::TransactionError,
    std::{collections::HashMap, str::FromStr, sync::Arc},
    tokio::sync::broadcast::error::RecvError,
};

/// Most subscriptions one connection may hold.
pub const MAX_SUBSCRIPTIONS_PER_CONNECTION: usize = 1_000;
/// Largest message a client may send; a larger one is answered with
/// −32602 and the connection stays open.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// Largest message read at all (the WebSocket layer's own limit, above
/// [`MAX_MESSAGE_BYTES`] so that limit is answered): a larger one closes
/// the connection.
pub const MAX_READ_BYTES: usize = 16 * MAX_MESSAGE_BYTES;

enum Subscription {
    Signature {
        signature: Signature,
        commitment: Commitment,
        received: bool,
    },
    Account {
        address: Pubkey,
        commitment: Commitment,
        config: RpcAccountInfoConfig,
    },
    Program {
        program: Pubkey,
        commitment: Commitment,
        config: RpcAccountInfoConfig,
        filters: Vec<RpcFilterType>,
    },
    Slot,
    Logs {
        mentions: Option<Pubkey>,
        commitment: Commitment,
    },
}

/// A notification owed once `due` slot is reached.
struct Pending {
    due: u64,
    subscription: u64,
    what: Owed,
}

enum Owed {
    Signature {
        slot: u64,
        error: Option<TransactionError>,
    },
    Account,
    ProgramAccount(Pubkey),
    Logs {
        slot: u64,
        signature: Signature,
        error: Option<TransactionError>,
        logs: Vec<String>,
    },
}

struct Connection {
    node: Arc<Node>,
    subscriptions: HashMap<u64, Subscription>,
    pending: Vec<Pending>,
}

pub async fn serve(mut socket: WebSocket, node: Arc<Node>) {
    let mut events = node.events.subscribe();
    let mut connection = Connection {
        node,
        subscriptions: HashMap::new(),
        pending: Vec::new(),
    };
    loop {
        let outgoing = tokio::select! {
            message = socket.recv() => match message {
                Some(Ok(Message::Text(text))) => connection.request(text.as_str()).await.into_iter().collect(),
                Some(Ok(Message::Binary(bytes))) => match std::str::from_utf8(&bytes) {
                    Ok(text) => connection.request(text).await.into_iter().collect(),
                    Err(_) => vec![error_response(Error::parse_error(), Id::Null)],
                },
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
            },
            event = events.recv() => match event {
                Ok(event) => connection.on_event(event).await,
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return,
            },
        };
        for message in outgoing {
            if socket.send(Message::Text(message.into())).await.is_err() {
                return;
            }
        }
    }
}

fn error_response(error: Error, id: Id) -> String {
    json!({"jsonrpc": "2.0", "error": error, "id": id}).to_string()
}

fn notification(method: &str, subscription: u64, result: Value) -> String {
    json!({
        "jsonrpc": "2.0",
        "method": method,
        "params": {"result": result, "subscription": subscription},
    })
    .to_string()
}

fn with_context(slot: u64, value: impl serde::Serialize) -> Value {
    json!({"context": {"slot": slot}, "value": value})
}

impl Connection {
    async fn request(&mut self, text: &str) -> Option<String> {
        if text.len() > MAX_MESSAGE_BYTES {
            return Some(error_response(
                invalid_params(format!("request larger than {MAX_MESSAGE_BYTES} bytes")),
                Id::Null,
            ));
        }
        let call: jsonrpc_core::MethodCall = match serde_json::from_str::<Value>(text) {
            Err(_) => return Some(error_response(Error::parse_error(), Id::Null)),
            // A notification (web3.js pings every 5 s) gets no answer.
            Ok(value) if value.get("method").is_some() && value.get("id").is_none() => return None,
            Ok(value) => match serde_json::from_value(value) {
                Ok(call) => call,
                Err(_) => return Some(error_response(Error::invalid_request(), Id::Null)),
            },
        };
        let id = call.id.clone();
        Some(match self.subscribe(&call.method, call.params).await {
            Ok(result) => json!({"jsonrpc": "2.0", "result": result, "id": id}).to_string(),
            Err(error) => error_response(error, id),
        })
    }

    async fn subscribe(&mut self, method: &str, params: Params) -> Result<Value, Error> {
        if let Some(kind) = method.strip_suffix("Unsubscribe") {
            if !["signature", "account", "program", "slot", "logs"].contains(&kind) {
                return Err(Error::method_not_found());
            }
            let (id,): (u64,) = rpc::parse(params)?;
            // As a validator: an unknown or ended id is an error, not `false`.
            return match self.subscriptions.remove(&id) {
                Some(_) => Ok(json!(true)),
                None => Err(invalid_params("Invalid subscription id.".into())),
            };
        }
        if self.subscriptions.len() >= MAX_SUBSCRIPTIONS_PER_CONNECTION {
            return Err(invalid_params(format!(
                "at most {MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection"
            )));
        }
        let subscription = match method {
            "signatureSubscribe" => {
                let (signature, config): (String, Option<RpcSignatureSubscribeConfig>) =
                    rpc::parse(params)?;
                let signature = Signature::from_str(&signature)
                    .map_err(|_| invalid_params(format!("Invalid param: {signature}")))?;
                let config = config.unwrap_or_default();
                Subscription::Signature {
                    signature,
                    commitment: Commitment::from_config(config.commitment),
                    received: config.enable_received_notification.unwrap_or(false),
                }
            }
            "accountSubscribe" => {
                let (address, config): (String, Option<RpcAccountInfoConfig>) = rpc::parse(params)?;
                let config = config.unwrap_or_default();
                Subscription::Account {
                    address: parse_pubkey(&address)?,
                    commitment: Commitment::from_config(config.commitment),
                    config,
                }
            }
            "programSubscribe" => {
                let (program, config): (String, Option<RpcProgramAccountsConfig>) =
                    rpc::parse(params)?;
                let config = config.unwrap_or_default();
                let filters = config.filters.unwrap_or_default();
                for filter in &filters {
                    filter
                        .verify()
                        .map_err(|error| invalid_params(format!("Invalid param: {error:?}")))?;
                }
                Subscription::Program {
                    program: parse_pubkey(&program)?,
                    commitment: Commitment::from_config(config.account_config.commitment),
                    config: config.account_config,
                    filters,
                }
            }
            "slotSubscribe" => Subscription::Slot,
            "logsSubscribe" => {
                let (filter, config): (RpcTransactionLogsFilter, Option<RpcTransactionLogsConfig>) =
                    rpc::parse(params)?;
                let mentions = match filter {
                    RpcTransactionLogsFilter::All | RpcTransactionLogsFilter::AllWithVotes => None,
                    RpcTransactionLogsFilter::Mentions(addresses) => match addresses.as_slice() {
                        [one] => Some(parse_pubkey(one)?),
                        _ => {
                            return Err(invalid_params(
                                "Invalid Request: Only 1 address supported".into(),
                            ))
                        }
                    },
                };
                Subscription::Logs {
                    mentions,
                    commitment: Commitment::from_config(
                        config.and_then(|config| config.commitment),
                    ),
                }
            }
            _ => return Err(Error::method_not_found()),
        };
        let id = self.node.next_subscription();
        // A signature that already landed is owed at once (or when its
        // slot reaches the commitment).
        if let Subscription::Signature {
            signature,
            commitment,
            ..
        } = &subscription
        {
            let bank = self.node.bank.lock().expect("bank lock");
            if let Some(landed) = bank.landed(signature) {
                self.pending.push(Pending {
                    due: landed.slot.saturating_add(commitment.depth()),
                    subscription: id,
                    what: Owed::Signature {
                        slot: landed.slot,
                        error: landed.executed.error.clone(),
                    },
                });
            }
        }
        self.subscriptions.insert(id, subscription);
        Ok(json!(id))
    }

    async fn on_event(&mut self, event: Event) -> Vec<String> {
        let mut out = Vec::new();
        match event {
            Event::Slot { slot } => {
                for (id, subscription) in &self.subscriptions {
                    if matches!(subscription, Subscription::Slot) {
                        let info = SlotInfo {
                            slot,
                            parent: slot.saturating_sub(1),
                            root: slot.saturating_sub(Commitment::Finalized.depth()),
                        };
                        out.push(notification(
                            "slotNotification",
                            *id,
                            serde_json::to_value(info).unwrap_or(Value::Null),
                        ));
                    }
                }
            }
            Event::Transaction {
                signature,
                slot,
                error,
                logs,
                keys,
                writable,
            } => {
                for (id, subscription) in &self.subscriptions {
                    let owe = |depth: u64, what: Owed| Pending {
                        due: slot.saturating_add(depth),
                        subscription: *id,
                        what,
                    };
                    match subscription {
                        Subscription::Signature {
                            signature: wanted,
                            commitment,
                            received,
                        } if *wanted == signature => {
                            if *received {
                                out.push(notification(
                                    "signatureNotification",
                                    *id,
                                    with_context(
                                        slot,
                                        RpcSignatureResult::ReceivedSignature(
                                            ReceivedSignatureResult::ReceivedSignature,
                                        ),
                                    ),
                                ));
                            }
                            self.pending.push(owe(
                                commitment.depth(),
                                Owed::Signature {
                                    slot,
                                    error: error.clone(),
                                },
                            ));
                        }
                        Subscription::Account {
                            address,
                            commitment,
                            ..
                        } if writable.contains(address) => {
                            self.pending.push(owe(commitment.depth(), Owed::Account));
                        }
                        Subscription::Program { commitment, .. } => {
                            for address in &writable {
                                self.pending
                                    .push(owe(commitment.depth(), Owed::ProgramAccount(*address)));
                            }
                        }
                        Subscription::Logs {
                            mentions,
                            commitment,
                        } if mentions.is_none_or(|wanted| keys.contains(&wanted)) => {
                            self.pending.push(owe(
                                commitment.depth(),
                                Owed::Logs {
                                    slot,
                                    signature,
                                    error: error.clone(),
                                    logs: logs.clone(),
                                },
                            ));
                        }
                        _ => {}
                    }
                }
            }
        }
        out.extend(self.flush());
        out
    }

    /// The notifications whose slot reached their commitment.
    fn flush(&mut self) -> Vec<String> {
        let node = self.node.clone();
        let bank = node.bank.lock().expect("bank lock");
        let current = bank.slot();
        let (due, later): (Vec<Pending>, Vec<Pending>) = std::mem::take(&mut self.pending)
            .into_iter()
            .partition(|pending| pending.due <= current);
        self.pending = later;
        let mut out = Vec::new();
        let mut done = Vec::new();
        for pending in due {
            let Some(subscription) = self.subscriptions.get(&pending.subscription) else {
                continue;
            };
            let id = pending.subscription;
            match (subscription, pending.what) {
                (Subscription::Signature { .. }, Owed::Signature { slot, error }) => {
                    out.push(notification(
                        "signatureNotification",
                        id,
                        with_context(
                            slot,
                            RpcSignatureResult::ProcessedSignature(ProcessedSignatureResult {
                                err: error.map(Into::into),
                            }),
                        ),
                    ));
                    // One notification, then the subscription ends.
                    done.push(id);
                }
                (
                    Subscription::Account {
                        address, config, ..
                    },
                    Owed::Account,
                ) => {
                    let found = bank.account(address).ok().flatten().unwrap_or_default();
                    let encoding = config.encoding.unwrap_or(UiAccountEncoding::Binary);
                    if let Ok(encoded) =
                        rpc::encode_account(&bank, address, &found, encoding, config.data_slice)
                    {
                        out.push(notification(
                            "accountNotification",
                            id,
                            with_context(current, encoded),
                        ));
                    }
                }
                (
                    Subscription::Program {
                        program,
                        config,
                        filters,
                        ..
                    },
                    Owed::ProgramAccount(address),
                ) => {
                    let Some(found) = bank.account(&address).ok().flatten() else {
                        continue;
                    };
                    if found.owner != *program || !matches_filters(&found.data, filters) {
                        continue;
                    }
                    let encoding = config.encoding.unwrap_or(UiAccountEncoding::Binary);
                    if let Ok(encoded) =
                        rpc::encode_account(&bank, &address, &found, encoding, config.data_slice)
                    {
                        out.push(notification(
                            "programNotification",
                            id,
                            with_context(
                                current,
                                RpcKeyedAccount {
                                    pubkey: address.to_string(),
                                    account: encoded,
                                },
                            ),
                        ));
                    }
                }
                (
                    Subscription::Logs { .. },
                    Owed::Logs {
                        slot,
                        signature,
                        error,
                        logs,
                    },
                ) => out.push(notification(
                    "logsNotification",
                    id,
                    with_context(
                        slot,
                        RpcLogsResponse {
                            signature: signature.to_string(),
                            err: error.map(Into::into),
                            logs,
                        },
                    ),
                )),
                _ => {}
            }
        }
        for id in done {
            self.subscriptions.remove(&id);
        }
        out
    }
}

fn parse_pubkey(text: &str) -> Result<Pubkey, Error> {
    Pubkey::from_str(text).map_err(|_| invalid_params(format!("Invalid param: {text}")))
}

fn matches_filters(data: &[u8], filters: &[RpcFilterType]) -> bool {
    filters.iter().all(|filter| match filter {
        RpcFilterType::DataSize(size) => data.len() as u64 == *size,
        RpcFilterType::Memcmp(memcmp) => memcmp.bytes_match(data),
        RpcFilterType::TokenAccountState => data.len() == 165 || data.get(165) == Some(&2),
    })
}
