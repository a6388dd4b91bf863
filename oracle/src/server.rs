//! The oracle node's HTTP API (ingest part): `POST /v1/reports` takes one
//! report or a batch, binary (`application/octet-stream`, reports of 170
//! bytes back to back) or JSON (`application/json`, one report object or
//! an array of them).
//!
//! Every report is checked and stored on its own. The answer is 202 when
//! all were accepted (each durable before the answer); otherwise the JSON
//! body lists each refused report's index, code and reason, with 202 if any
//! was accepted and the first refusal's status if none was. Nothing of a
//! malformed body is stored.

use {
    crate::{
        claims::{ClaimsError, ClaimsService, MAX_WALLETS_PER_REQUEST},
        ingest::{Ingest, Outcome, Refusal},
        node::{hex, record_json, DataDir},
    },
    axum::{
        body::Bytes,
        extract::{DefaultBodyLimit, Path, State},
        http::{header, HeaderMap, StatusCode},
        response::{IntoResponse, Response},
        routing::{get, post},
        Json, Router,
    },
    depin_reports::{json::ReportJson, SignedReport, REPORT_LEN},
    depin_sdk::Pubkey,
    serde_json::json,
    std::sync::Arc,
};

/// Most reports in one request.
pub const MAX_REPORTS_PER_REQUEST: usize = 1_000;
/// Largest request body: a full batch in JSON.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The oracle's clock (unix seconds); tests set their own.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs() as i64)
    })
}

#[derive(Clone)]
pub struct AppState {
    pub ingest: Arc<Ingest>,
    pub clock: Clock,
    /// The node's proof data and epoch records (a bare ingest has none).
    pub data: Option<Arc<DataDir>>,
    pub oracle: Option<Pubkey>,
    /// The proof API (a bare ingest has none).
    pub claims: Option<Arc<ClaimsService>>,
    /// The proof API's per-client limit (none: unlimited).
    pub limiter: Option<Arc<RateLimiter>>,
}

impl AppState {
    /// A bare ingest (no proof data, no proof API, no limit).
    pub fn ingest_only(ingest: Arc<Ingest>, clock: Clock) -> Self {
        Self {
            ingest,
            clock,
            data: None,
            oracle: None,
            claims: None,
            limiter: None,
        }
    }
}

/// Serves `state` on a free loopback port from a runtime of its own
/// (tests, benches, tools): the runtime, which serves until dropped, and
/// the base URL.
pub fn serve_on_loopback(state: AppState) -> std::io::Result<(tokio::runtime::Runtime, String)> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let base = format!("http://{}", listener.local_addr()?);
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    runtime.spawn(async move { axum::serve(listener, app).await });
    Ok((runtime, base))
}

/// The API's description, served at `/v1/openapi.json` and checked in.
pub const OPENAPI: &str = include_str!("../openapi.json");

pub fn router(state: AppState) -> Router {
    let proof_api = Router::new()
        .route("/v1/claims/{wallet}", get(wallet_claim))
        .route("/v1/claims", post(wallet_claims))
        .route("/v1/wallets", get(wallets))
        .route("/v1/devices/{device}/rewards", get(device_rewards))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            rate_limited,
        ));
    Router::new()
        .route("/v1/reports", post(post_reports))
        .route("/v1/health", get(health))
        .route("/v1/epochs/{epoch}", get(epoch_record))
        .route("/v1/epochs/{epoch}/data", get(epoch_data))
        .route(
            "/v1/openapi.json",
            get(|| async { ([(header::CONTENT_TYPE, "application/json")], OPENAPI) }),
        )
        .merge(proof_api)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// Requests per client (by IP address) to the proof API: a token bucket
/// of `burst` requests refilled at `per_second`.
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets:
        std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, (f64, std::time::Instant)>>,
}

impl RateLimiter {
    pub fn new(per_second: u32, burst: u32) -> Self {
        Self {
            per_second: f64::from(per_second),
            burst: f64::from(burst.max(1)),
            buckets: std::sync::Mutex::new(std::collections::HashMap::new()),
        }
    }

    /// Takes one request of `client`'s allowance; `false` when it is spent.
    pub fn allow(&self, client: std::net::IpAddr) -> bool {
        let now = std::time::Instant::now();
        let mut buckets = self.buckets.lock().expect("rate lock");
        // Forget clients idle long enough to be full again.
        if buckets.len() > 100_000 {
            let refill = self.burst / self.per_second.max(f64::MIN_POSITIVE);
            buckets.retain(|_, (_, at)| now.duration_since(*at).as_secs_f64() < refill);
        }
        let (tokens, at) = buckets.entry(client).or_insert((self.burst, now));
        *tokens =
            (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

async fn rate_limited(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if let Some(limiter) = &state.limiter {
        let client = request
            .extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or(std::net::IpAddr::from([0, 0, 0, 0]), |info| info.0.ip());
        if !limiter.allow(client) {
            return error(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!(
                    "more than {} requests from {client} in a burst; slow down to {} a second",
                    limiter.burst, limiter.per_second
                ),
            );
        }
    }
    next.run(request).await
}

/// The node's view: its key, the network, the open epoch by its clock.
async fn health(State(state): State<AppState>) -> Response {
    let now = (state.clock)();
    let rules = &state.ingest.rules;
    Json(json!({
        "status": "ok",
        "oracle": state.oracle.map(|key| key.to_string()),
        "network": hex(&rules.network),
        "now": now,
        "epoch": rules.epochs.epoch_at(now),
    }))
    .into_response()
}

fn not_an_epoch(text: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "malformed",
        format!("'{text}' is not an epoch number"),
    )
}

/// What this node did with an epoch: its role, the batch it committed to,
/// whether it voted, the leaders' batches it refused and why.
async fn epoch_record(State(state): State<AppState>, Path(epoch): Path<String>) -> Response {
    let Ok(epoch) = epoch.parse::<u64>() else {
        return not_an_epoch(&epoch);
    };
    match state
        .data
        .as_deref()
        .and_then(|data| record_json(data, epoch))
    {
        Some(record) => Json(record).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("this oracle has no record of epoch {epoch}"),
        ),
    }
}

/// The proof data this node voted for (or will): a batch file whose
/// SHA-256 is the vote's `proof_data_hash`.
async fn epoch_data(State(state): State<AppState>, Path(epoch): Path<String>) -> Response {
    let Ok(epoch) = epoch.parse::<u64>() else {
        return not_an_epoch(&epoch);
    };
    let data = state.data.clone();
    let bytes =
        tokio::task::spawn_blocking(move || data.and_then(|data| data.epoch_proof_data(epoch)))
            .await
            .ok()
            .flatten();
    match bytes {
        Some(bytes) => {
            ([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response()
        }
        None => error(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("this oracle has no proof data for epoch {epoch}"),
        ),
    }
}

fn claims_error(failure: &ClaimsError) -> Response {
    let (status, code) = match failure {
        ClaimsError::NothingClaimable => (StatusCode::NOT_FOUND, "nothing_claimable"),
        ClaimsError::NotInBatch { .. } => (StatusCode::NOT_FOUND, "not_in_batch"),
        ClaimsError::Chain(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        ClaimsError::Damaged(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    };
    error(status, code, failure.to_string())
}

fn parse_address(text: &str, what: &str) -> Result<Pubkey, String> {
    text.parse()
        .map_err(|_| format!("'{text}' is not a {what} address (base58, 32 bytes)"))
}

/// Runs a proof-API query off the async threads (it reads the chain).
async fn query<T: serde::Serialize + Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&ClaimsService) -> Result<T, ClaimsError> + Send + 'static,
) -> Response {
    let Some(claims) = state.claims.clone() else {
        return error(
            StatusCode::NOT_FOUND,
            "not_found",
            "this server has no proof API".into(),
        );
    };
    match tokio::task::spawn_blocking(move || work(&claims)).await {
        Ok(Ok(answer)) => Json(answer).into_response(),
        Ok(Err(failure)) => claims_error(&failure),
        Err(_) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the query failed".into(),
        ),
    }
}

/// A wallet's leaf, proof, paid and owed in the newest claimable batch.
async fn wallet_claim(State(state): State<AppState>, Path(wallet): Path<String>) -> Response {
    let wallet = match parse_address(&wallet, "wallet") {
        Ok(wallet) => wallet,
        Err(message) => return error(StatusCode::BAD_REQUEST, "malformed", message),
    };
    query(&state, move |claims| {
        claims
            .claims(&[wallet])?
            .pop()
            .expect("one answer per wallet")
    })
    .await
}

/// Up to 1,000 wallets at once: `{"wallets": [...]}`; each answer is a
/// claim or `{"wallet", "error", "message"}`.
async fn wallet_claims(State(state): State<AppState>, body: Bytes) -> Response {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Request {
        wallets: Vec<String>,
    }
    let request: Request = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(problem) => {
            return error(
                StatusCode::BAD_REQUEST,
                "malformed",
                format!("expected {{\"wallets\": [addresses]}}: {problem}"),
            )
        }
    };
    if request.wallets.is_empty() || request.wallets.len() > MAX_WALLETS_PER_REQUEST {
        return error(
            StatusCode::BAD_REQUEST,
            "malformed",
            format!(
                "{} wallets: one to {MAX_WALLETS_PER_REQUEST} a request",
                request.wallets.len()
            ),
        );
    }
    let mut wallets = Vec::with_capacity(request.wallets.len());
    for (index, text) in request.wallets.iter().enumerate() {
        match parse_address(text, "wallet") {
            Ok(wallet) => wallets.push(wallet),
            Err(message) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "malformed",
                    format!("wallet {index}: {message}"),
                )
            }
        }
    }
    query(&state, move |claims| {
        Ok(claims
            .claims(&wallets)?
            .into_iter()
            .zip(&wallets)
            .map(|(answer, wallet)| match answer {
                Ok(claim) => serde_json::to_value(claim).expect("json"),
                Err(failure) => json!({
                    "wallet": wallet.to_string(),
                    "error": "not_in_batch",
                    "message": failure.to_string(),
                }),
            })
            .collect::<Vec<_>>())
    })
    .await
}

/// A page of the newest claimable batch's wallets:
/// `?start=<leaf index>&limit=<1..=1000>` (defaults 0 and 1,000).
async fn wallets(
    State(state): State<AppState>,
    axum::extract::RawQuery(query_string): axum::extract::RawQuery,
) -> Response {
    let mut start = 0u32;
    let mut limit = MAX_WALLETS_PER_REQUEST;
    let pairs = query_string.as_deref().unwrap_or("").split('&');
    for (key, value) in pairs
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
    {
        let parsed = match key {
            "start" => value.parse().map(|value| start = value).is_ok(),
            "limit" => value
                .parse()
                .ok()
                .filter(|limit| (1..=MAX_WALLETS_PER_REQUEST).contains(limit))
                .map(|value| limit = value)
                .is_some(),
            _ => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "malformed",
                    format!("unknown query parameter '{key}': start and limit are"),
                )
            }
        };
        if !parsed {
            return error(
                StatusCode::BAD_REQUEST,
                "malformed",
                format!(
                    "{key} '{value}' is not a leaf index (start) or a count of 1 to \
                     {MAX_WALLETS_PER_REQUEST} (limit)"
                ),
            );
        }
    }
    query(&state, move |claims| claims.wallets(start, limit)).await
}

/// A device's rewards, epoch by epoch, from the final batches this node
/// holds.
async fn device_rewards(State(state): State<AppState>, Path(device): Path<String>) -> Response {
    let device = match parse_address(&device, "device") {
        Ok(device) => device,
        Err(message) => return error(StatusCode::BAD_REQUEST, "malformed", message),
    };
    query(&state, move |claims| claims.device_rewards(&device)).await
}

fn status_of(refusal: &Refusal) -> StatusCode {
    match refusal {
        Refusal::Malformed(_) | Refusal::OutOfRange => StatusCode::BAD_REQUEST,
        Refusal::OtherNetwork
        | Refusal::WrongEpoch { .. }
        | Refusal::OutsideEpoch { .. }
        | Refusal::Future { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        Refusal::Signature | Refusal::Unregistered | Refusal::Suspended => StatusCode::FORBIDDEN,
        Refusal::Replay { .. } => StatusCode::CONFLICT,
        Refusal::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
    }
}

fn error(status: StatusCode, code: &str, message: String) -> Response {
    (status, Json(json!({"error": code, "message": message}))).into_response()
}

/// The reports of a body, or what is wrong with it.
fn parse(headers: &HeaderMap, body: &[u8]) -> Result<Vec<SignedReport>, String> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let reports = if content_type.starts_with("application/octet-stream") {
        if body.is_empty() || !body.len().is_multiple_of(REPORT_LEN) {
            return Err(format!(
                "a binary body is reports of {REPORT_LEN} bytes back to back; {} bytes is not",
                body.len()
            ));
        }
        body.chunks(REPORT_LEN)
            .enumerate()
            .map(|(index, bytes)| {
                SignedReport::decode(bytes).map_err(|error| format!("report {index}: {error}"))
            })
            .collect::<Result<Vec<_>, _>>()?
    } else if content_type.starts_with("application/json") {
        let value: serde_json::Value =
            serde_json::from_slice(body).map_err(|error| format!("invalid JSON: {error}"))?;
        let items = match value {
            serde_json::Value::Array(items) => items,
            single => vec![single],
        };
        items
            .into_iter()
            .enumerate()
            .map(|(index, item)| {
                let json: ReportJson = serde_json::from_value(item)
                    .map_err(|error| format!("report {index}: {error}"))?;
                SignedReport::try_from(&json).map_err(|error| format!("report {index}: {error}"))
            })
            .collect::<Result<Vec<_>, _>>()?
    } else {
        return Err(format!(
            "Content-Type must be application/octet-stream or application/json, not '{content_type}'"
        ));
    };
    if reports.is_empty() {
        return Err("no reports in the body".into());
    }
    if reports.len() > MAX_REPORTS_PER_REQUEST {
        return Err(format!(
            "{} reports in one request; at most {MAX_REPORTS_PER_REQUEST}",
            reports.len()
        ));
    }
    Ok(reports)
}

async fn post_reports(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let reports = match parse(&headers, &body) {
        Ok(reports) => reports,
        Err(message) => return error(StatusCode::BAD_REQUEST, "malformed", message),
    };
    let now = (state.clock)();
    let ingest = state.ingest.clone();
    // One database transaction for the request's reports.
    let outcomes = tokio::task::spawn_blocking(move || match ingest.accept_many(&reports, now) {
        Ok(outcomes) => outcomes.into_iter().map(Ok).collect::<Vec<_>>(),
        Err(error) => reports.iter().map(|_| Err(error.clone())).collect(),
    })
    .await;
    let outcomes = match outcomes {
        Ok(outcomes) => outcomes,
        Err(_) => {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the ingest failed; nothing was acknowledged".into(),
            )
        }
    };
    let mut accepted = 0usize;
    let mut refused = Vec::new();
    let mut first_status = None;
    for (index, outcome) in outcomes.into_iter().enumerate() {
        match outcome {
            Ok(Outcome::Accepted) => accepted += 1,
            Ok(Outcome::Refused(refusal)) => {
                first_status.get_or_insert(status_of(&refusal));
                refused.push(json!({
                    "index": index,
                    "error": refusal.code(),
                    "message": refusal.to_string(),
                }));
            }
            // Not stored: the client must send it again.
            Err(store_error) => {
                first_status.get_or_insert(StatusCode::SERVICE_UNAVAILABLE);
                refused.push(json!({
                    "index": index,
                    "error": "unavailable",
                    "message": format!("not stored, send it again: {store_error}"),
                }));
            }
        }
    }
    let status = if accepted > 0 || refused.is_empty() {
        StatusCode::ACCEPTED
    } else {
        first_status.unwrap_or(StatusCode::BAD_REQUEST)
    };
    let mut body = json!({"accepted": accepted, "refused": refused});
    if let [only] = refused.as_slice() {
        if accepted == 0 {
            body["error"] = only["error"].clone();
            body["message"] = only["message"].clone();
        }
    }
    (status, Json(body)).into_response()
}
