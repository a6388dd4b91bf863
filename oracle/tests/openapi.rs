//! The API's OpenAPI document: served as checked in, and every operation
//! it lists is routed; the proof API's per-client limit.

mod common;

use {
    common::{network, START},
    depin_oracle::{
        ingest::{EpochClock, Ingest, IngestRules},
        server::{router, AppState, RateLimiter, OPENAPI},
        store::SqliteStore,
    },
    serde_json::Value,
    std::{collections::HashMap, net::SocketAddr, sync::Arc},
};

/// An ingest-only node on loopback (no proof data, no proof API behind
/// the routes), with `limiter`; returns its base URL.
fn serve(runtime: &tokio::runtime::Runtime, limiter: Option<Arc<RateLimiter>>) -> String {
    let directory = std::env::temp_dir().join(format!(
        "depin-openapi-{}-{}",
        std::process::id(),
        limiter.is_some()
    ));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap();
    let store = Arc::new(SqliteStore::open(&directory.join("reports.db")).unwrap());
    let rules = IngestRules {
        network: network(),
        epochs: EpochClock {
            genesis: START,
            length: 86_400,
        },
        clock_skew: 60,
        max_reports_per_device_per_epoch: 100,
    };
    let state = AppState {
        ingest: Arc::new(Ingest::new(rules, Arc::new(HashMap::new()), store)),
        clock: Arc::new(|| START + 10),
        data: None,
        oracle: None,
        claims: None,
        limiter,
    };
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    runtime.spawn(async move { axum::serve(listener, app).await });
    url
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn the_document_is_served_as_checked_in_and_every_operation_is_routed() {
    let document: Value = serde_json::from_str(OPENAPI).expect("openapi.json is JSON");
    assert!(document["openapi"].as_str().unwrap().starts_with("3.0"));
    let runtime = runtime();
    let url = serve(&runtime, None);
    let http = reqwest::blocking::Client::new();
    let served = http
        .get(format!("{url}/v1/openapi.json"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(served, OPENAPI);
    let paths = document["paths"].as_object().unwrap();
    assert_eq!(paths.len(), 9);
    for (path, operations) in paths {
        let concrete = path
            .replace("{epoch}", "7")
            .replace("{wallet}", "11111111111111111111111111111111")
            .replace("{device}", "11111111111111111111111111111111");
        for method in operations.as_object().unwrap().keys() {
            let request = match method.as_str() {
                "get" => http.get(format!("{url}{concrete}")),
                "post" => http
                    .post(format!("{url}{concrete}"))
                    .header("content-type", "application/json")
                    .body("{}"),
                other => panic!("{path}: method {other} is not served by this node"),
            };
            let response = request.send().unwrap();
            let status = response.status().as_u16();
            let body = response.text().unwrap();
            // The router's own 404 and 405 have empty bodies; every answer
            // of this API is a document or a JSON error.
            assert_ne!(status, 405, "{method} {path} is not routed");
            assert!(!body.is_empty(), "{method} {path}: {status} with no body");
        }
    }
    // And the other way: an undocumented path is the router's 404.
    let status = http
        .get(format!("{url}/v1/nothing"))
        .send()
        .unwrap()
        .status();
    assert_eq!(status, 404);
}

#[test]
fn the_proof_api_limits_each_client() {
    let limiter = RateLimiter::new(1, 3);
    let (one, two) = ([127, 0, 0, 1].into(), [127, 0, 0, 2].into());
    assert!(limiter.allow(one) && limiter.allow(one) && limiter.allow(one));
    assert!(!limiter.allow(one), "the burst is spent");
    assert!(limiter.allow(two), "another client has its own");
    // Over HTTP: the third request in a burst of two is refused by name;
    // the ingest is not limited by it.
    let runtime = runtime();
    let url = serve(&runtime, Some(Arc::new(RateLimiter::new(1, 2))));
    let http = reqwest::blocking::Client::new();
    let claim = format!("{url}/v1/claims/11111111111111111111111111111111");
    for _ in 0..2 {
        assert_ne!(http.get(&claim).send().unwrap().status(), 429);
    }
    let refused = http.get(&claim).send().unwrap();
    assert_eq!(refused.status(), 429);
    let body: Value = refused.json().unwrap();
    assert_eq!(body["error"], "rate_limited", "{body}");
    for _ in 0..5 {
        let health = http.get(format!("{url}/v1/health")).send().unwrap();
        assert_eq!(health.status(), 200);
    }
}
