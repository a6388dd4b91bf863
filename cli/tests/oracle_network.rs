//! Three oracle nodes on loopback and a fleet of simulated devices over
//! real HTTP, on the embedded runtime (the nodes in this process, sharing
//! it): an epoch closes, the followers verify the leader's batch, it
//! becomes final by quorum, and every amount matches a model of the rule
//! written here. A leader that inflates a device, drops a device's
//! reports or votes another root is refused by both followers, and the
//! next leader's honest batch becomes final instead.

mod common;

use {
    common::{
        fleet_model, fleet_plan, get_json, oracle_rule as rule, three_oracle_network, wait_for,
        Sandbox,
    },
    depin_client::{backend::BackendExt, embedded::EmbeddedCluster, shared::SharedCluster, Client},
    depin_oracle::{
        consensus::CloseSchedule,
        ingest::EpochClock,
        node::{read_devices, start, NodeSettings, RunningNode},
        proof_data::{close_epoch, Evidence},
        simulate::{Behavior, Fleet},
        store::{ReportStore, SqliteStore},
    },
    depin_reports::{rule::EpochWindow, SignedReport},
    depin_sdk::{
        accounts::{BatchStatus, EpochRewards},
        batch::{BatchFile, DeviceReward},
        pda, Keypair,
    },
    serde_json::Value,
    std::{
        collections::{BTreeMap, HashMap},
        sync::{Arc, Mutex},
        time::Duration,
    },
};

const DAY: i64 = 86_400;

fn keypair(sandbox: &Sandbox, name: &str) -> Keypair {
    solana_keypair::read_keypair_file(sandbox.path(&format!("{name}.json"))).unwrap()
}

/// The sandbox's state, shared by everything in this process.
fn shared_state(sandbox: &Sandbox) -> SharedCluster {
    SharedCluster::new(
        EmbeddedCluster::load(&sandbox.path("state.bin"), keypair(sandbox, "deployer")).unwrap(),
    )
}

fn now(chain: &SharedCluster) -> i64 {
    chain.lock().clock().unix_timestamp
}

fn warp(chain: &SharedCluster, seconds: i64) {
    let target = now(chain) + seconds;
    chain.lock().warp_to_timestamp(target);
}

fn start_node(sandbox: &Sandbox, chain: &SharedCluster, name: &str) -> RunningNode {
    start_node_with_data(sandbox, chain, name, name).unwrap()
}

fn start_node_with_data(
    sandbox: &Sandbox,
    chain: &SharedCluster,
    name: &str,
    data: &str,
) -> Result<RunningNode, depin_oracle::node::NodeError> {
    let store: Arc<dyn ReportStore> =
        Arc::new(SqliteStore::open(&sandbox.path(&format!("{name}-reports.db"))).unwrap());
    let settings = NodeSettings {
        rule: rule(),
        schedule: CloseSchedule {
            grace: 120,
            deadline: 600,
        },
        clock_skew: 60,
        max_reports_per_device_per_epoch: 200,
        missing_report_tolerance: 0,
        data_dir: sandbox.path(&format!("{data}-data")),
        listen: "127.0.0.1:0".parse().unwrap(),
        public_url: None,
        tick: Duration::from_millis(50),
        directory_refresh: Duration::from_secs(60),
        api_requests_per_second: 1_000,
        api_burst: 1_000,
        quiet: false,
    };
    let (backend, clock) = (chain.clone(), chain.clone());
    start(
        settings,
        keypair(sandbox, name),
        Arc::new(move || Ok(Box::new(backend.clone()) as _)),
        store,
        Some(Arc::new(move || now(&clock))),
    )
}

/// The fleet, reporting epoch 1 all day to `oracles`: returns the reports
/// the oracles accepted (honest devices' and the replayers' originals).
fn report_the_day(chain: &SharedCluster, oracles: &[String]) -> Vec<SignedReport> {
    let network = Client::new(Box::new(chain.clone()), Keypair::new())
        .network_id()
        .unwrap();
    let config = Client::new(Box::new(chain.clone()), Keypair::new())
        .oracle_config()
        .unwrap();
    let epochs = EpochClock {
        genesis: config.genesis_timestamp,
        length: config.epoch_length,
    };
    let mut fleet = Fleet::new(fleet_plan(), network, epochs);
    // Epoch 1 until a minute before its end, then everything due at once.
    let end = epochs.end(1);
    warp(chain, end - 60 - now(chain));
    let due = fleet.due(now(chain));
    let tallies = fleet.send(&due, oracles);
    let forging: Vec<[u8; 32]> = fleet
        .devices
        .iter()
        .filter(|device| device.behavior == Behavior::Forges)
        .map(|device| device.address())
        .collect();
    let mut accepted: BTreeMap<([u8; 32], u64), SignedReport> = BTreeMap::new();
    for signed in due {
        if !forging.contains(&signed.report.device) {
            accepted.insert((signed.report.device, signed.report.sequence), signed);
        }
    }
    for (oracle, tally) in &tallies {
        assert_eq!(tally.failed_requests, 0, "{oracle}: {tally:?}");
        assert_eq!(tally.accepted, accepted.len() as u64, "{oracle}: {tally:?}");
        // 2 replayers and 2 forgers of 10 devices, 24 hours, 2 reports each.
        assert_eq!(
            tally.refused.get("replay"),
            Some(&(2 * 24 * 2)),
            "{tally:?}"
        );
        assert_eq!(
            tally.refused.get("bad_signature"),
            Some(&(2 * 24 * 2)),
            "{tally:?}"
        );
    }
    accepted.into_values().collect()
}

fn batch_of(client: &Client, epoch: u64) -> depin_sdk::accounts::EpochBatch {
    client
        .epoch_batch(epoch)
        .unwrap()
        .expect("a batch on chain")
}

/// Waits for epoch 1's batch to become final (`why`: in words) and
/// returns it.
fn final_batch(client: &Client, why: &str) -> depin_sdk::accounts::EpochBatch {
    wait_for(&format!("epoch 1's batch to become final {why}"), || {
        client
            .epoch_batch(1)
            .unwrap()
            .is_some_and(|batch| batch.status == BatchStatus::Final)
    });
    batch_of(client, 1)
}

fn download(url: &str) -> BatchFile {
    let bytes = reqwest::blocking::get(url).unwrap().bytes().unwrap();
    BatchFile::from_bytes(&bytes).unwrap()
}

#[test]
fn three_oracles_close_an_epoch_and_it_becomes_final_by_quorum() {
    let sandbox = Sandbox::new("oracle-network");
    let names = three_oracle_network(&sandbox);
    let chain = shared_state(&sandbox);
    let nodes: Vec<RunningNode> = names
        .iter()
        .map(|name| start_node(&sandbox, &chain, name))
        .collect();
    let urls: Vec<String> = nodes.iter().map(|node| node.public_url.clone()).collect();
    for url in &urls {
        assert_eq!(get_json(&format!("{url}/v1/health"))["epoch"], 1);
    }
    report_the_day(&chain, &urls);
    // The epoch ends; the close begins after the grace period.
    warp(&chain, 60 + 121);
    let client = Client::new(Box::new(chain.clone()), Keypair::new());
    let batch = final_batch(&client, "by quorum");
    // Epoch 1's leader is oracle 1 % 3: oracle-b.
    let leader = &nodes[1];
    assert_eq!(batch.votes[0].oracle, leader.oracle);
    assert_eq!(
        batch.votes[0].uri,
        format!("{}/v1/epochs/1/data", leader.public_url)
    );
    assert!(batch.votes.len() >= 2);
    assert!(batch
        .votes
        .iter()
        .all(|vote| vote.commitment == batch.commitment));
    // Every node saw it final, with the root it committed to (the third
    // may find the quorum reached before it votes).
    wait_for("every node to see the batch final", || {
        urls.iter()
            .all(|url| get_json(&format!("{url}/v1/epochs/1"))["status"] == "final")
    });
    let voted = urls
        .iter()
        .filter(|url| get_json(&format!("{url}/v1/epochs/1"))["voted"] == true)
        .count();
    assert_eq!(voted, batch.votes.len());
    let file = download(&batch.votes[0].uri);
    assert_eq!(file.commitment(), batch.commitment);
    for (url, name) in urls.iter().zip(names) {
        let record = get_json(&format!("{url}/v1/epochs/1"));
        let role = if name == "oracle-b" {
            "leader"
        } else {
            "follower"
        };
        assert_eq!(record["role"], role, "{name}: {record}");
        assert_eq!(
            record["root"],
            depin_oracle::node::hex(&batch.commitment.root),
            "{name}"
        );
        assert_eq!(
            download(&format!("{url}/v1/epochs/1/data")).commitment(),
            batch.commitment
        );
    }
    // The amounts are the model's.
    let pool = client
        .backend()
        .fetch::<EpochRewards>(&pda::epoch_rewards(1).0)
        .unwrap()
        .devices;
    let expected = fleet_model(pool);
    let found: HashMap<[u8; 32], u64> = file
        .devices()
        .iter()
        .map(|line| (line.device_key.to_bytes(), line.amount))
        .collect();
    assert_eq!(found, expected);
    // One wallet (the operator's) holds the fleet's total.
    assert_eq!(file.leaves().len(), 1);
    assert_eq!(file.commitment().total, expected.values().sum::<u64>());
    // The proof API: nothing claimable during the challenge window, then
    // the operator's leaf and proof, which the chain accepts.
    let operator = keypair(&sandbox, "operator");
    let operator_key = oracle_pubkey(&operator);
    let claim_url = format!("{}/v1/claims/{operator_key}", urls[0]);
    assert_eq!(get_json(&claim_url)["error"], "nothing_claimable");
    warp(&chain, 3_601);
    let answer = get_json(&claim_url);
    assert_eq!(answer["epoch"], 1, "{answer}");
    assert_eq!(answer["amount"], file.leaves()[0].amount);
    assert_eq!(answer["paid"], 0);
    assert_eq!(answer["owed"], file.leaves()[0].amount);
    assert_eq!(
        answer["root"],
        depin_oracle::node::hex(&batch.commitment.root)
    );
    let proof: Vec<depin_sdk::merkle::Node> = answer["proof"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| depin_sdk::merkle::Node {
            hash: unhex(step["hash"].as_str().unwrap()),
            sum: step["sum"].as_u64().unwrap(),
        })
        .collect();
    let claim = depin_sdk::rewards::WalletClaim {
        batch_epoch: 1,
        recipient: operator_key,
        amount: answer["amount"].as_u64().unwrap(),
        index: answer["leafIndex"].as_u64().unwrap() as u32,
        proof: depin_sdk::rewards::proof_nodes(&proof),
    };
    // A proof from elsewhere is checked against the chain: one base unit
    // more and it is refused before anything is sent.
    let mut operator_client = Client::new(Box::new(chain.clone()), operator.insecure_clone());
    let mut inflated = claim.clone();
    inflated.amount += 1;
    let refused = operator_client
        .claim_with_proof(inflated)
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("does not lead to the root final on chain"),
        "{refused}"
    );
    let paid = operator_client.claim_with_proof(claim).unwrap();
    assert_eq!(paid.total(), file.leaves()[0].amount);
    let answer = get_json(&claim_url);
    assert_eq!(answer["paid"], file.leaves()[0].amount, "{answer}");
    assert_eq!(answer["owed"], 0);
    // Several wallets at once: each its own answer.
    let bulk: Value = reqwest::blocking::Client::new()
        .post(format!("{}/v1/claims", urls[1]))
        .json(&serde_json::json!({"wallets": [operator_key.to_string(), depin_sdk::Pubkey::new_unique().to_string()]}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(bulk[0]["owed"], 0, "{bulk}");
    assert_eq!(bulk[1]["error"], "not_in_batch", "{bulk}");
    // The batch's wallets page by page, and a crank paying from them.
    let page = get_json(&format!("{}/v1/wallets?start=0&limit=1", urls[2]));
    assert_eq!(
        page,
        serde_json::json!({"epoch": 1, "root": answer["root"], "leafCount": 1, "start": 0,
                           "wallets": [operator_key.to_string()]})
    );
    assert_eq!(
        get_json(&format!("{}/v1/wallets?start=1", urls[2]))["wallets"],
        serde_json::json!([])
    );
    for bad in ["limit=0", "limit=1001", "start=-1", "start=x", "page=2"] {
        let body = get_json(&format!("{}/v1/wallets?{bad}", urls[2]));
        assert_eq!(body["error"], "malformed", "{bad}: {body}");
    }
    let api = depin_oracle::proof_api::ProofApi::new(&urls[2]);
    let every: Vec<_> = api
        .every_claim(&mut |_, _| {})
        .unwrap()
        .iter()
        .map(|answer| answer.to_claim().unwrap())
        .collect();
    assert_eq!(every.len(), 1);
    let mut crank = Client::new(Box::new(chain.clone()), keypair(&sandbox, "deployer"));
    // Paid already: nothing to send.
    let report = crank
        .distribute_claims(every.clone(), &mut |_, _| {})
        .unwrap();
    assert_eq!((report.paid.len(), report.transactions), (0, 0));
    // A claim the chain does not back is refused before anything is sent.
    let mut forged = every[0].clone();
    forged.amount += 1;
    let refused = crank
        .distribute_claims(vec![forged], &mut |_, _| {})
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("does not lead to the root final on chain"),
        "{refused}"
    );
    // A device's rewards by epoch; an offline device earned nothing.
    let (earning, amount) = expected.iter().next().unwrap();
    let history = get_json(&format!(
        "{}/v1/devices/{}/rewards",
        urls[2],
        depin_sdk::Pubkey::new_from_array(*earning)
    ));
    assert_eq!(
        history,
        serde_json::json!([{"epoch": 1, "amount": amount, "recipient": operator_key.to_string()}])
    );
    let offline = depin_oracle::simulate::device_key(&fleet_plan().seed, 0)
        .verifying_key()
        .to_bytes();
    let history = get_json(&format!(
        "{}/v1/devices/{}/rewards",
        urls[2],
        depin_sdk::Pubkey::new_from_array(offline)
    ));
    assert_eq!(history, serde_json::json!([]));
    // What the API answers for what it does not have.
    let (status, body) = {
        let response =
            reqwest::blocking::get(format!("{}/v1/claims/not-a-wallet", urls[0])).unwrap();
        (
            response.status().as_u16(),
            response.json::<Value>().unwrap(),
        )
    };
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("malformed")),
        "{body}"
    );
    let answer = |path: &str| {
        let response = reqwest::blocking::get(format!("{}{path}", urls[0])).unwrap();
        (
            response.status().as_u16(),
            response.json::<Value>().unwrap(),
        )
    };
    let (status, body) = answer("/v1/epochs/one");
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("malformed")),
        "{body}"
    );
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("'one' is not an epoch"));
    let (status, body) = answer("/v1/epochs/99");
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("not_found")),
        "{body}"
    );
    let (status, body) = answer("/v1/epochs/99/data");
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("not_found")),
        "{body}"
    );
    for node in nodes {
        node.stop();
    }
    // A data directory serves one oracle: another key is refused.
    let error = start_node_with_data(&sandbox, &chain, "oracle-a", "oracle-b")
        .err()
        .expect("refused")
        .to_string();
    assert!(error.contains("it belongs to oracle"), "{error}");
}

/// Epoch 1 made final by oracle-b (leader) and oracle-c while oracle-a is
/// stopped over the close; then oracle-a is started again. With
/// `extra_for_a`, one more heartbeat of an honest device reached only
/// oracle-a, so the final batch lacks a report it accepted.
struct LateNode {
    sandbox: Sandbox,
    chain: SharedCluster,
    others: Vec<RunningNode>,
    late: RunningNode,
    batch: depin_sdk::accounts::EpochBatch,
}

impl LateNode {
    fn start(name: &str, extra_for_a: bool) -> Self {
        let sandbox = Sandbox::new(name);
        let names = three_oracle_network(&sandbox);
        let chain = shared_state(&sandbox);
        let mut others: Vec<RunningNode> = names
            .iter()
            .map(|name| start_node(&sandbox, &chain, name))
            .collect();
        let urls: Vec<String> = others.iter().map(|node| node.public_url.clone()).collect();
        report_the_day(&chain, &urls);
        if extra_for_a {
            let plan = fleet_plan();
            let honest = (0..plan.devices)
                .find(|index| {
                    depin_oracle::simulate::behavior_of(&plan, *index) == Behavior::Honest
                })
                .unwrap();
            let network = Client::new(Box::new(chain.clone()), Keypair::new())
                .network_id()
                .unwrap();
            let extra = depin_reports::Report {
                network,
                device: [0; 32],
                epoch: 1,
                sequence: 1 << 62,
                timestamp: now(&chain),
                payload: depin_reports::Payload::Heartbeat { cell: None },
            }
            .sign(&depin_oracle::simulate::device_key(&plan.seed, honest));
            let answer: Value = reqwest::blocking::Client::new()
                .post(format!("{}/v1/reports", urls[0]))
                .header("content-type", "application/octet-stream")
                .body(extra.encode().to_vec())
                .send()
                .unwrap()
                .json()
                .unwrap();
            assert_eq!(answer["accepted"], 1, "{answer}");
        }
        // Oracle-a stops before the close; b leads, c follows: a quorum of 2.
        others.remove(0).stop();
        warp(&chain, 60 + 121);
        let client = Client::new(Box::new(chain.clone()), Keypair::new());
        let batch = final_batch(&client, "without oracle-a");
        let late = start_node(&sandbox, &chain, names[0]);
        assert!(batch.votes.iter().all(|vote| vote.oracle != late.oracle));
        let url = late.public_url.clone();
        wait_for("oracle-a to see the batch final", || {
            get_json(&format!("{url}/v1/epochs/1"))["status"] == "final"
        });
        Self {
            sandbox,
            chain,
            others,
            late,
            batch,
        }
    }

    fn record(&self) -> Value {
        get_json(&format!("{}/v1/epochs/1", self.late.public_url))
    }

    /// Oracle-a holds the final batch and, after the challenge window,
    /// answers the operator's claim from it.
    fn assert_serves_the_final_batch(&self) {
        let url = &self.late.public_url;
        let root = depin_oracle::node::hex(&self.batch.commitment.root);
        let record = self.record();
        assert_eq!(record["root"], root.as_str(), "{record}");
        assert_eq!(record["total"], self.batch.commitment.total, "{record}");
        assert_eq!(record["role"], "follower", "{record}");
        assert_eq!(record["voted"], false, "{record}");
        assert_eq!(
            download(&format!("{url}/v1/epochs/1/data")).commitment(),
            self.batch.commitment
        );
        warp(&self.chain, 3_601);
        let operator_key = oracle_pubkey(&keypair(&self.sandbox, "operator"));
        let answer = get_json(&format!("{url}/v1/claims/{operator_key}"));
        assert_eq!(answer["epoch"], 1, "{answer}");
        assert_eq!(answer["root"], root.as_str(), "{answer}");
        assert_eq!(answer["amount"], self.batch.commitment.total, "{answer}");
    }

    fn stop(self) {
        self.late.stop();
        for node in self.others {
            node.stop();
        }
    }
}

#[test]
fn a_node_that_missed_the_vote_holds_the_final_batch_and_serves_its_proofs() {
    let network = LateNode::start("oracle-late", false);
    // It checked the batch against its own reports and found nothing wrong.
    let record = network.record();
    assert_eq!(record["refused"], serde_json::json!([]), "{record}");
    network.assert_serves_the_final_batch();
    network.stop();
}

#[test]
fn a_node_that_disagrees_with_a_final_batch_records_why_and_still_serves_it() {
    let network = LateNode::start("oracle-late-disagrees", true);
    let record = network.record();
    let refused = record["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 1, "{record}");
    assert_eq!(
        refused[0]["root"],
        depin_oracle::node::hex(&network.batch.commitment.root).as_str()
    );
    assert_eq!(
        refused[0]["oracle"],
        network.batch.votes[0].oracle.to_string().as_str()
    );
    assert!(
        refused[0]["reasons"][0]
            .as_str()
            .unwrap()
            .contains("1 of this oracle's reports are missing"),
        "{record}"
    );
    // The chain decided: claimers still get proofs of the final batch.
    network.assert_serves_the_final_batch();
    network.stop();
}

fn unhex(text: &str) -> [u8; 32] {
    let bytes: Vec<u8> = (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&text[at..at + 2], 16).unwrap())
        .collect();
    bytes.try_into().unwrap()
}

/// Votes `batch` (served from this process at `url`) as `oracle` with
/// `commitment`.
fn vote_as(
    chain: &SharedCluster,
    oracle: &Keypair,
    epoch: u64,
    commitment: depin_sdk::accounts::Commitment,
    uri: &str,
) {
    let mut client = Client::new(Box::new(chain.clone()), oracle.insecure_clone());
    client
        .send(
            &[depin_sdk::proof_oracle::submit_batch(
                oracle_pubkey(oracle),
                epoch,
                commitment,
                uri.to_string(),
            )],
            &[],
        )
        .unwrap();
}

fn oracle_pubkey(oracle: &Keypair) -> depin_sdk::Pubkey {
    use depin_sdk::Signer;
    oracle.pubkey()
}

/// Serves files from this process: `/{name}`.
struct FileServer {
    files: Arc<Mutex<HashMap<String, Vec<u8>>>>,
    url: String,
    _runtime: tokio::runtime::Runtime,
}

impl FileServer {
    fn start() -> Self {
        let files: Arc<Mutex<HashMap<String, Vec<u8>>>> = Arc::default();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let served = files.clone();
        let app = axum::Router::new().route(
            "/{name}",
            axum::routing::get(
                move |axum::extract::Path(name): axum::extract::Path<String>| {
                    let bytes = served.lock().unwrap().get(&name).cloned();
                    async move { bytes.ok_or(axum::http::StatusCode::NOT_FOUND) }
                },
            ),
        );
        runtime.spawn(async move { axum::serve(listener, app).await });
        Self {
            files,
            url,
            _runtime: runtime,
        }
    }

    fn publish(&self, name: &str, bytes: Vec<u8>) -> String {
        self.files.lock().unwrap().insert(name.into(), bytes);
        format!("{}/{name}", self.url)
    }
}

/// Waits until both followers refused the batch voted with `root` and
/// returns their reasons.
fn refusals(urls: &[String], root: &[u8; 32]) -> Vec<String> {
    let root = depin_oracle::node::hex(root);
    let mut reasons = Vec::new();
    wait_for("both followers to refuse the batch", || {
        reasons.clear();
        urls.iter().all(|url| {
            let record = get_json(&format!("{url}/v1/epochs/1"));
            let refused = record["refused"].as_array().cloned().unwrap_or_default();
            match refused
                .iter()
                .find(|refused| refused["root"] == root.as_str())
            {
                Some(refused) => {
                    reasons.push(refused["reasons"].to_string());
                    true
                }
                None => false,
            }
        })
    });
    reasons
}

#[test]
fn a_dishonest_leader_is_refused_and_the_next_leader_finalizes() {
    let sandbox = Sandbox::new("oracle-dishonest");
    let names = three_oracle_network(&sandbox);
    let chain = shared_state(&sandbox);
    // Oracle-b leads epoch 1 and is played by this test; a and c are honest.
    let followers: Vec<RunningNode> = [names[0], names[2]]
        .iter()
        .map(|name| start_node(&sandbox, &chain, name))
        .collect();
    let urls: Vec<String> = followers
        .iter()
        .map(|node| node.public_url.clone())
        .collect();
    let accepted = report_the_day(&chain, &urls);
    warp(&chain, 60 + 121);
    let client = Client::new(Box::new(chain.clone()), Keypair::new());
    wait_for("an honest node to issue epoch 1", || {
        client
            .backend()
            .fetch_optional::<EpochRewards>(&pda::epoch_rewards(1).0)
            .unwrap()
            .is_some()
    });
    let pool = client
        .backend()
        .fetch::<EpochRewards>(&pda::epoch_rewards(1).0)
        .unwrap()
        .devices;
    let config = client.oracle_config().unwrap();
    let end = config.epoch_end(1).unwrap();
    let evidence = Evidence {
        window: EpochWindow {
            epoch: 1,
            start: end - DAY,
            end,
        },
        pool,
        params: rule(),
        devices: read_devices(&client).unwrap(),
        reports: accepted.clone(),
    };
    let (honest, _) = close_epoch(None, evidence.clone()).unwrap();
    let leader = keypair(&sandbox, "oracle-b");
    let server = FileServer::start();

    // 1. One device inflated by 1,000 base units, the evidence unchanged.
    let mut lines: Vec<DeviceReward> = honest.devices().to_vec();
    lines[0].amount += 1_000;
    let inflated = BatchFile::build(1, None, lines)
        .unwrap()
        .with_evidence(evidence.to_bytes());
    let uri = server.publish("inflated", inflated.to_bytes());
    vote_as(&chain, &leader, 1, inflated.commitment(), &uri);
    for reasons in refusals(&urls, &inflated.commitment().root) {
        assert!(reasons.contains("not what the rule computes"), "{reasons}");
    }

    // 2. One device's reports dropped (a consistent batch, without them).
    let dropped_device = accepted[0].report.device;
    let mut without = evidence.clone();
    without
        .reports
        .retain(|signed| signed.report.device != dropped_device);
    let (dropped, _) = close_epoch(None, without).unwrap();
    let uri = server.publish("dropped", dropped.to_bytes());
    vote_as(&chain, &leader, 1, dropped.commitment(), &uri);
    for reasons in refusals(&urls, &dropped.commitment().root) {
        assert!(
            reasons.contains("48 of this oracle's reports are missing"),
            "{reasons}"
        );
    }

    // 3. The honest file, voted with another root.
    let mut other_root = honest.commitment();
    other_root.root[0] ^= 1;
    let uri = server.publish("honest", honest.to_bytes());
    vote_as(&chain, &leader, 1, other_root, &uri);
    for reasons in refusals(&urls, &other_root.root) {
        assert!(reasons.contains("the vote's root"), "{reasons}");
    }

    // No follower voted for any of them.
    let batch = batch_of(&client, 1);
    assert_eq!(batch.status, BatchStatus::Pending);
    assert_eq!(batch.votes.len(), 1, "only the dishonest leader voted");

    // After the leader's deadline oracle-c leads: it closes the epoch
    // itself, oracle-a checks and votes, and the honest batch is final.
    warp(&chain, 600);
    let batch = final_batch(&client, "by the next leader");
    assert_eq!(batch.commitment, honest.commitment());
    let records: Vec<Value> = urls
        .iter()
        .map(|url| get_json(&format!("{url}/v1/epochs/1")))
        .collect();
    assert_eq!(records[0]["role"], "follower", "{}", records[0]);
    assert_eq!(records[1]["role"], "leader", "{}", records[1]);
    assert_eq!(records[0]["refused"].as_array().unwrap().len(), 3);
    for node in followers {
        node.stop();
    }
}
