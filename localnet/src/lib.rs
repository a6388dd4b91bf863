//! `depin localnet`: the embedded runtime (the suite's programs, SPL Token,
//! Token-2022 and ATA) served as a Solana JSON-RPC and WebSocket node, so
//! any Solana client — web3.js, Anchor's TypeScript client, the Solana CLI,
//! this suite's RPC backend — can use it as a local validator.
//!
//! Slots advance on a clock; transactions land in the current slot and
//! reach `confirmed` one slot later and `finalized` 32 slots later; a
//! blockhash is valid for 150 blocks. The state file is saved on a timer
//! and on shutdown, each time in one database transaction.
//!
//! Server stack: axum over tokio (HTTP and WebSocket on one well-kept
//! stack, the one the oracle node also uses), with jsonrpc-core's request
//! and error types and solana-rpc-client-api's configs and responses, so
//! the wire format is the validator's own.

pub mod bank;
pub mod rpc;
pub mod ws;

use {
    axum::{
        body::Bytes,
        extract::{ws::WebSocketUpgrade, DefaultBodyLimit, State},
        http::{header, StatusCode},
        response::IntoResponse,
        routing::{get, post},
        Router,
    },
    bank::{Bank, Event},
    depin_client::embedded::EmbeddedCluster,
    jsonrpc_core::{Call, Error, Failure, Id, Output, Request, Response, Success, Version},
    std::{
        net::{IpAddr, Ipv4Addr, SocketAddr},
        sync::{
            atomic::{AtomicU64, Ordering},
            Arc, Mutex,
        },
        time::Duration,
    },
    tokio::sync::{broadcast, watch},
};

/// Largest request body, as a validator's RPC service takes.
pub const MAX_REQUEST_BODY_SIZE: usize = 50 * 1024;
/// Most calls in one batch request.
pub const MAX_BATCH_CALLS: usize = 100;

/// How the node runs.
#[derive(Clone, Debug)]
pub struct LocalnetConfig {
    /// Loopback unless asked otherwise.
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub rpc_port: u16,
    pub ws_port: u16,
    /// One slot per this many milliseconds.
    pub slot_ms: u64,
    /// How often the state file is saved (and on shutdown).
    pub save_every: Duration,
}

impl Default for LocalnetConfig {
    fn default() -> Self {
        Self {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            rpc_port: 8899,
            ws_port: 8900,
            slot_ms: 400,
            save_every: Duration::from_secs(2),
        }
    }
}

/// What the HTTP and WebSocket services share.
pub struct Node {
    pub bank: Mutex<Bank>,
    pub events: broadcast::Sender<Event>,
    subscriptions: AtomicU64,
}

impl Node {
    fn next_subscription(&self) -> u64 {
        self.subscriptions.fetch_add(1, Ordering::Relaxed)
    }
}

/// A running node.
pub struct Localnet {
    pub rpc_url: String,
    pub ws_url: String,
    node: Arc<Node>,
    stop: watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Localnet {
    /// Binds both ports (an error names a port in use) and serves `cluster`
    /// from a background thread until [`Localnet::shutdown`].
    pub fn start(cluster: EmbeddedCluster, config: LocalnetConfig) -> std::io::Result<Self> {
        let rpc_listener =
            std::net::TcpListener::bind(SocketAddr::new(config.bind, config.rpc_port))
                .map_err(|error| named(error, "JSON-RPC", config.rpc_port))?;
        let ws_listener = std::net::TcpListener::bind(SocketAddr::new(config.bind, config.ws_port))
            .map_err(|error| named(error, "WebSocket", config.ws_port))?;
        rpc_listener.set_nonblocking(true)?;
        ws_listener.set_nonblocking(true)?;
        let rpc_address = rpc_listener.local_addr()?;
        let ws_address = ws_listener.local_addr()?;
        let (events, _) = broadcast::channel(4096);
        let node = Arc::new(Node {
            bank: Mutex::new(Bank::new(cluster, events.clone())),
            events,
            subscriptions: AtomicU64::new(0),
        });
        let (stop, stopped) = watch::channel(false);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .thread_name("depin-localnet")
            .build()?;
        let served = node.clone();
        let thread = std::thread::Builder::new()
            .name("depin-localnet".into())
            .spawn(move || {
                runtime.block_on(run(served, config, rpc_listener, ws_listener, stopped))
            })?;
        Ok(Self {
            rpc_url: format!("http://{rpc_address}"),
            ws_url: format!("ws://{ws_address}"),
            node,
            stop,
            thread: Some(thread),
        })
    }

    /// The node's ledger (tests read and change it directly).
    pub fn node(&self) -> &Arc<Node> {
        &self.node
    }

    /// Stops serving, then saves the state one last time.
    pub fn shutdown(mut self) -> Result<(), String> {
        self.stop_and_save()
    }

    fn stop_and_save(&mut self) -> Result<(), String> {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            thread
                .join()
                .map_err(|_| "the node's thread panicked".to_string())?;
        }
        self.node.bank.lock().expect("bank lock").save()
    }
}

impl Drop for Localnet {
    fn drop(&mut self) {
        if self.thread.is_some() {
            let _ = self.stop_and_save();
        }
    }
}

fn named(error: std::io::Error, what: &str, port: u16) -> std::io::Error {
    std::io::Error::new(
        error.kind(),
        format!("cannot listen for {what} on port {port}: {error}"),
    )
}

async fn run(
    node: Arc<Node>,
    config: LocalnetConfig,
    rpc_listener: std::net::TcpListener,
    ws_listener: std::net::TcpListener,
    stopped: watch::Receiver<bool>,
) {
    let rpc_app = Router::new()
        .route("/", post(http_rpc))
        .route("/health", get(|| async { "ok" }))
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BODY_SIZE))
        .layer(cors())
        .with_state(node.clone());
    let ws_app = Router::new()
        .route("/", get(ws_upgrade))
        .with_state(node.clone());
    let until_stopped = |mut stopped: watch::Receiver<bool>| async move {
        let _ = stopped.wait_for(|stop| *stop).await;
    };
    let rpc_listener = tokio::net::TcpListener::from_std(rpc_listener).expect("tokio listener");
    let ws_listener = tokio::net::TcpListener::from_std(ws_listener).expect("tokio listener");
    let rpc =
        axum::serve(rpc_listener, rpc_app).with_graceful_shutdown(until_stopped(stopped.clone()));
    let ws =
        axum::serve(ws_listener, ws_app).with_graceful_shutdown(until_stopped(stopped.clone()));
    let ticker = {
        let node = node.clone();
        let mut stopped = stopped.clone();
        async move {
            let mut slots = tokio::time::interval(Duration::from_millis(config.slot_ms.max(1)));
            slots.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut saves = tokio::time::interval(config.save_every);
            saves.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = slots.tick() => {
                        let node = node.clone();
                        let _ = tokio::task::spawn_blocking(move || {
                            node.bank.lock().expect("bank lock").tick()
                        })
                        .await;
                    }
                    _ = saves.tick() => {
                        let node = node.clone();
                        let saved = tokio::task::spawn_blocking(move || {
                            node.bank.lock().expect("bank lock").save()
                        })
                        .await;
                        if let Ok(Err(error)) = saved {
                            eprintln!("depin localnet: saving the state failed: {error}");
                        }
                    }
                    _ = stopped.wait_for(|stop| *stop) => return,
                }
            }
        }
    };
    let (_, _, _) = tokio::join!(async { rpc.await.ok() }, async { ws.await.ok() }, ticker);
}

/// As a validator's RPC: any origin, preflights cached for a day.
fn cors() -> tower_http::cors::CorsLayer {
    use tower_http::cors::{Any, CorsLayer};
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
        .allow_headers(Any)
        .max_age(Duration::from_secs(86_400))
}

async fn ws_upgrade(State(node): State<Arc<Node>>, upgrade: WebSocketUpgrade) -> impl IntoResponse {
    upgrade
        // Above the JSON-RPC limit, so that limit is answered, not a close.
        .max_message_size(ws::MAX_READ_BYTES)
        .max_frame_size(ws::MAX_READ_BYTES)
        .on_upgrade(move |socket| ws::serve(socket, node))
}

async fn http_rpc(State(node): State<Arc<Node>>, body: Bytes) -> impl IntoResponse {
    let answer = tokio::task::spawn_blocking(move || answer(&node, &body))
        .await
        .unwrap_or_else(|_| Some(Response::from(Error::internal_error(), Some(Version::V2))));
    match answer {
        Some(response) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::to_string(&response).unwrap_or_default(),
        )
            .into_response(),
        // Only notifications: nothing to answer.
        None => StatusCode::NO_CONTENT.into_response(),
    }
}

/// One HTTP body: a call or a batch, as jsonrpc-core parses them.
pub fn answer(node: &Node, body: &[u8]) -> Option<Response> {
    let request: Request = match serde_json::from_slice(body) {
        Ok(request) => request,
        Err(_) => return Some(Response::from(Error::parse_error(), Some(Version::V2))),
    };
    match request {
        Request::Single(call) => one_call(node, call).map(Response::Single),
        Request::Batch(calls) if calls.is_empty() => {
            Some(Response::from(Error::invalid_request(), Some(Version::V2)))
        }
        Request::Batch(calls) if calls.len() > MAX_BATCH_CALLS => Some(Response::from(
            Error {
                code: jsonrpc_core::ErrorCode::InvalidRequest,
                message: format!("a batch holds at most {MAX_BATCH_CALLS} calls"),
                data: None,
            },
            Some(Version::V2),
        )),
        Request::Batch(calls) => {
            let outputs: Vec<Output> = calls
                .into_iter()
                .filter_map(|call| one_call(node, call))
                .collect();
            (!outputs.is_empty()).then_some(Response::Batch(outputs))
        }
    }
}

fn one_call(node: &Node, call: Call) -> Option<Output> {
    match call {
        Call::MethodCall(call) => {
            let mut bank = node.bank.lock().expect("bank lock");
            let output = match rpc::call(&mut bank, &call.method, call.params) {
                Ok(result) => Output::Success(Success {
                    jsonrpc: Some(Version::V2),
                    result,
                    id: call.id,
                }),
                Err(error) => Output::Failure(Failure {
                    jsonrpc: Some(Version::V2),
                    error,
                    id: call.id,
                }),
            };
            Some(output)
        }
        Call::Notification(_) => None,
        Call::Invalid { id } => Some(Output::Failure(Failure {
            jsonrpc: Some(Version::V2),
            error: Error::invalid_request(),
            id: match id {
                Id::Null => Id::Null,
                id => id,
            },
        })),
    }
}
