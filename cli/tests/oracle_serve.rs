//! `depin oracle serve` as a process: three of them over a `depin
//! localnet`, with `depin device simulate` sending the fleet's reports and
//! `depin warp` moving the clock. An epoch closes and becomes final by
//! quorum with the model's amounts, and `depin oracle verify` recomputes
//! it from the leader's URL. Then the leader is SIGKILLed at each point of
//! its close (before the record, before the vote, between the vote and
//! its bookkeeping) and restarted: each epoch still becomes final with the
//! root the leader committed to, and it never votes twice. A node killed
//! during ingest keeps every report it acknowledged. Claims and a payout
//! crank go through the proof API. And the faults a network rides out: an
//! oracle down for a whole epoch while devices retry every report, and a
//! leader killed mid-close and left down (the next leader takes over
//! after the deadline), and a leader on PostgreSQL whose server restarts
//! while the devices send.

mod common;

use {
    common::{
        fleet_model, fleet_plan, get_json, three_oracle_network, wait_for, Sandbox, FLEET_SEED,
    },
    depin_client::{
        backend::BackendExt,
        rpc::{RpcBackend, RpcOptions},
        Client,
    },
    depin_oracle::{
        ingest::EpochClock,
        simulate::Fleet,
        store::{ReportStore, ScratchDatabase, SqliteStore},
    },
    depin_sdk::{
        accounts::{BatchStatus, EpochBatch, EpochRewards},
        batch::BatchFile,
        pda, Keypair, Pubkey,
    },
    serde_json::Value,
    std::{
        io::BufRead,
        process::{Child, Stdio},
        sync::{Arc, Mutex},
        time::{Duration, Instant},
    },
};

/// A `depin oracle serve` child process and everything it printed.
struct OracleProcess {
    child: Child,
    url: String,
    output: Arc<Mutex<Vec<String>>>,
}

impl OracleProcess {
    fn spawn(sandbox: &Sandbox, name: &str, crash_at: Option<&str>) -> Self {
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("depin"));
        command
            .current_dir(&sandbox.directory)
            .env("HOME", &sandbox.directory)
            .env_remove("DEPIN_ORACLE_CRASH_AT")
            .args(["oracle", "serve", "--config", &format!("{name}.toml")])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(point) = crash_at {
            command.env("DEPIN_ORACLE_CRASH_AT", point);
        }
        let mut child = command.spawn().expect("depin oracle serve starts");
        let output = Arc::new(Mutex::new(Vec::new()));
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let api = stdout
            .by_ref()
            .map_while(Result::ok)
            .inspect(|line| output.lock().unwrap().push(line.clone()))
            .find_map(|line| line.strip_prefix("API: ").map(str::to_string));
        let stderr = child.stderr.take().unwrap();
        for stream in [
            Box::new(stdout.map_while(Result::ok)) as Box<dyn Iterator<Item = String> + Send>,
            Box::new(
                std::io::BufReader::new(stderr)
                    .lines()
                    .map_while(Result::ok),
            ),
        ] {
            let kept = output.clone();
            std::thread::spawn(move || {
                for line in stream {
                    kept.lock().unwrap().push(line);
                }
            });
        }
        let Some(url) = api else {
            let _ = child.wait();
            std::thread::sleep(Duration::from_millis(200));
            panic!("{name} did not start: {:?}", output.lock().unwrap());
        };
        Self { child, url, output }
    }

    fn printed(&self) -> String {
        self.output.lock().unwrap().join("\n")
    }

    /// Waits for the process to end by itself (a crash point).
    fn wait_killed(mut self) -> String {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                use std::os::unix::process::ExitStatusExt;
                assert_eq!(status.signal(), Some(libc::SIGKILL), "{}", self.printed());
                std::thread::sleep(Duration::from_millis(100));
                return self.printed();
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the node did not reach its crash point: {}",
                self.printed()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for OracleProcess {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- {} printed:\n{}", self.url, self.printed());
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `<name>.toml`: the node of oracle `name` over the sandbox's localnet.
fn write_config(sandbox: &Sandbox, name: &str, cluster: &str) {
    let port = free_port();
    let classes = "[[rule.classes]]\nuptimeWeight = 1\nusageWeight = 1\nmaxUnitsPerSecond = 1000\ncapPerEpoch = 18446744073709551615\n".repeat(3);
    sandbox.write(
        &format!("{name}.toml"),
        &format!(
            "keypair = \"{name}.json\"\n\
             cluster = \"{cluster}\"\n\
             listen = \"127.0.0.1:{port}\"\n\
             public_url = \"http://127.0.0.1:{port}\"\n\
             data_dir = \"{name}-data\"\n\
             [ingest]\n\
             clock_skew_seconds = 60\n\
             max_reports_per_device_per_epoch = 200\n\
             [close]\n\
             grace_seconds = 120\n\
             leader_deadline_seconds = 600\n\
             tick_ms = 100\n\
             [rule]\n\
             version = 1\n\
             heartbeatIntervalSeconds = 3600\n\
             uptimeShareBps = 6000\n\
             {classes}"
        ),
    );
}

fn chain(url: &str) -> Client {
    Client::new(
        Box::new(RpcBackend::new(url, RpcOptions::default())),
        Keypair::new(),
    )
}

/// Moves the chain to `target` (unix time) and waits until every node's
/// clock is there too.
fn warp_to(sandbox: &Sandbox, client: &Client, target: i64, nodes: &[&str]) {
    let seconds = target - client.now().unwrap();
    assert!(seconds > 0);
    sandbox.json("deployer", &["warp", &format!("{seconds}s")]);
    for url in nodes {
        let start = Instant::now();
        loop {
            let health = get_json(&format!("{url}/v1/health"));
            if health["now"].as_i64().is_some_and(|now| now >= target) {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(90),
                "waited 90 s for {url}'s clock to follow the warp to {target} (the chain's is {}): {health}",
                client.now().unwrap()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// `depin device simulate` for the fleet, to `urls`: its JSON tallies.
fn simulate(sandbox: &Sandbox, urls: &[String]) -> Value {
    let mut args = vec![
        "device",
        "simulate",
        "--devices",
        "10",
        "--seed",
        FLEET_SEED,
        "--offline",
        "20",
        "--misbehaving",
        "40",
    ];
    for url in urls {
        args.extend(["--oracle", url.as_str()]);
    }
    sandbox.json("operator", &args)
}

/// The fleet reports `epoch` all day to the oracles at `urls` (a minute
/// before its end); with `retry`, the devices then send everything again
/// (they never learnt their reports arrived) and each is accepted once.
/// Then the epoch's close begins; a node set to crash as it closes
/// (`crashing`) is not waited for, since it may be gone before it is
/// asked for its clock.
fn report_and_close_with(
    sandbox: &Sandbox,
    client: &Client,
    epoch: u64,
    urls: &[String],
    retry: bool,
    crashing: Option<&str>,
) {
    let config = client.oracle_config().unwrap();
    let end = config.epoch_end(epoch).unwrap();
    let nodes: Vec<&str> = urls.iter().map(String::as_str).collect();
    warp_to(sandbox, client, end - 60, &nodes);
    let sent = simulate(sandbox, urls);
    for url in urls {
        let tally = &sent["oracles"][url];
        assert_eq!(tally["accepted"], 6 * 48, "{sent}");
        assert_eq!(tally["refused"]["replay"], 2 * 48, "{sent}");
        assert_eq!(tally["refused"]["bad_signature"], 2 * 48, "{sent}");
    }
    if retry {
        let again = simulate(sandbox, urls);
        for url in urls {
            let tally = &again["oracles"][url];
            assert_eq!(tally["accepted"], 0, "{again}");
            assert_eq!(tally["refused"]["replay"], 8 * 48, "{again}");
            assert_eq!(tally["refused"]["bad_signature"], 2 * 48, "{again}");
        }
    }
    let staying: Vec<&str> = nodes
        .into_iter()
        .filter(|url| Some(*url) != crashing)
        .collect();
    warp_to(sandbox, client, end + 121, &staying);
}

fn report_and_close(sandbox: &Sandbox, client: &Client, epoch: u64, urls: &[String]) {
    report_and_close_with(sandbox, client, epoch, urls, false, None);
}

/// The file `batch`'s first vote names, checked to be the batch and to
/// hold the model's amount for every device.
fn leader_file_matches_model(client: &Client, batch: &EpochBatch) -> BatchFile {
    let uri = &batch.votes[0].uri;
    let file =
        BatchFile::from_bytes(&reqwest::blocking::get(uri).unwrap().bytes().unwrap()).unwrap();
    assert_eq!(file.commitment(), batch.commitment);
    let pool = client
        .backend()
        .fetch::<EpochRewards>(&pda::epoch_rewards(batch.epoch).0)
        .unwrap()
        .devices;
    let found: std::collections::HashMap<[u8; 32], u64> = file
        .devices()
        .iter()
        .map(|line| (line.device_key.to_bytes(), line.amount))
        .collect();
    assert_eq!(found, fleet_model(pool), "epoch {}'s amounts", batch.epoch);
    file
}

fn wait_final(client: &Client, epoch: u64) -> EpochBatch {
    wait_for(&format!("epoch {epoch}'s batch to become final"), || {
        client
            .epoch_batch(epoch)
            .unwrap()
            .is_some_and(|batch| batch.status == BatchStatus::Final)
    });
    client.epoch_batch(epoch).unwrap().unwrap()
}

fn oracle_key(sandbox: &Sandbox, name: &str) -> Pubkey {
    use depin_sdk::Signer;
    solana_keypair::read_keypair_file(sandbox.path(&format!("{name}.json")))
        .unwrap()
        .pubkey()
}

#[test]
fn three_oracle_processes_over_localnet_close_epochs_and_survive_sigkill() {
    let sandbox = Sandbox::over_localnet("oracle-serve");
    let names = three_oracle_network(&sandbox);
    let cluster = sandbox.localnet_url().unwrap();
    let client = chain(&cluster);
    for name in names {
        write_config(&sandbox, name, &cluster);
    }
    let mut nodes: Vec<Option<OracleProcess>> = names
        .iter()
        .map(|name| Some(OracleProcess::spawn(&sandbox, name, None)))
        .collect();
    let urls: Vec<String> = nodes
        .iter()
        .map(|node| node.as_ref().unwrap().url.clone())
        .collect();

    // Two honest devices pay other wallets: the batch has three.
    let alice = sandbox.keygen("alice");
    let bob = sandbox.keygen("bob");
    for (index, wallet) in [(9, &alice), (8, &bob)] {
        let device = depin_oracle::simulate::device_key(FLEET_SEED, index)
            .verifying_key()
            .to_bytes();
        let device = Pubkey::new_from_array(device).to_string();
        sandbox.json(
            "operator",
            &["device", "set-rewards-recipient", &device, wallet],
        );
    }

    // Epoch 1: led by oracle-b, final by quorum, the model's amounts.
    report_and_close(&sandbox, &client, 1, &urls);
    let batch = wait_final(&client, 1);
    assert_eq!(batch.votes[0].oracle, oracle_key(&sandbox, "oracle-b"));
    let uri = batch.votes[0].uri.clone();
    assert_eq!(uri, format!("{}/v1/epochs/1/data", urls[1]));
    let file = leader_file_matches_model(&client, &batch);
    // Anyone recomputes it from the leader's URL.
    let verified = sandbox.json("operator", &["oracle", "verify", &uri, "--epoch", "1"]);
    assert_eq!(verified["verified"], true, "{verified}");
    assert_eq!(verified["status"], "final");
    assert_eq!(verified["reports"], 6 * 48);
    // After the challenge window the operator claims through the proof API
    // of the node that published the batch (found from its vote's uri).
    let open = batch.challenge_ends_at + 1;
    let nodes_now: Vec<&str> = urls.iter().map(String::as_str).collect();
    warp_to(&sandbox, &client, open, &nodes_now);
    assert_eq!(file.leaves().len(), 3);
    let earned = |wallet: &str| file.proof_for(&wallet.parse().unwrap()).unwrap().1.amount;
    let operator = oracle_key(&sandbox, "operator").to_string();
    let owed = sandbox.json("operator", &["rewards", "status"]);
    assert_eq!(owed["wallet"]["owed"], earned(&operator), "{owed}");
    assert_eq!(owed["wallet"]["claimed"], 0);
    assert_eq!(owed["wallet"]["oracle"], urls[1].as_str());
    let claimed = sandbox.json("operator", &["rewards", "claim"]);
    assert_eq!(claimed["total"], earned(&operator), "{claimed}");
    assert_eq!(claimed["oracle"], urls[1].as_str());
    assert_eq!(claimed["epoch"], 1);
    let again = sandbox.refused("operator", &["rewards", "claim", "--oracle", &urls[0]]);
    assert!(again.contains("nothing to claim"), "{again}");
    let paid = sandbox.json("operator", &["rewards", "status", "--oracle", &urls[2]]);
    assert_eq!(paid["wallet"]["owed"], 0, "{paid}");
    assert_eq!(paid["wallet"]["claimed"], earned(&operator));
    // A payout crank pays the other two from the bulk endpoint.
    let crank = sandbox.json("deployer", &["rewards", "distribute"]);
    assert_eq!(crank["oracle"], urls[1].as_str(), "{crank}");
    assert_eq!(crank["wallets"], 3, "{crank}");
    assert_eq!(crank["owed"], 2, "{crank}");
    assert_eq!(crank["paid"], 2, "{crank}");
    assert_eq!(crank["total"], earned(&alice) + earned(&bob), "{crank}");
    for wallet in [&alice, &bob] {
        let balance = sandbox.json("deployer", &["balance", wallet]);
        assert_eq!(balance["tokens"], earned(wallet), "{balance}");
    }
    let rerun = sandbox.json("deployer", &["rewards", "distribute", "--oracle", &urls[0]]);
    assert_eq!(rerun["paid"], 0, "{rerun}");
    assert_eq!(rerun["complete"], true);

    // Epochs 2, 3, 4 (leaders c, a, b): the leader killed at each point.
    for (epoch, point) in [
        (2u64, "before-record"),
        (3, "before-vote"),
        (4, "after-vote"),
    ] {
        let leader = (epoch % 3) as usize;
        let name = names[leader];
        nodes[leader].take().unwrap().kill();
        nodes[leader] = Some(OracleProcess::spawn(&sandbox, name, Some(point)));
        report_and_close_with(
            &sandbox,
            &client,
            epoch,
            &urls,
            false,
            Some(urls[leader].as_str()),
        );
        let printed = nodes[leader].take().unwrap().wait_killed();
        assert!(
            printed.contains(&format!("DEPIN_ORACLE_CRASH_AT={point}")),
            "{printed}"
        );
        let record_before: Value =
            std::fs::read(sandbox.path(&format!("{name}-data/epochs/{epoch}.json")))
                .ok()
                .map(|bytes| serde_json::from_slice(&bytes).unwrap())
                .unwrap_or(Value::Null);
        // Restarted a little later: any vote it sends now is dated after.
        let restarted_at = client.now().unwrap() + 10;
        let others: Vec<&str> = urls
            .iter()
            .enumerate()
            .filter(|(index, _)| *index != leader)
            .map(|(_, url)| url.as_str())
            .collect();
        warp_to(&sandbox, &client, restarted_at, &others);
        nodes[leader] = Some(OracleProcess::spawn(&sandbox, name, None));
        let batch = wait_final(&client, epoch);
        let key = oracle_key(&sandbox, name);
        let votes: Vec<_> = batch
            .votes
            .iter()
            .filter(|vote| vote.oracle == key)
            .collect();
        assert_eq!(votes.len(), 1, "{point}");
        let root = depin_oracle::node::hex(&batch.commitment.root);
        match point {
            "before-record" => {
                assert_eq!(record_before, Value::Null, "no record before the crash");
                assert!(
                    votes[0].submitted_at >= restarted_at,
                    "voted after the restart"
                );
            }
            "before-vote" => {
                assert_eq!(record_before["root"], root.as_str(), "the committed root");
                assert_eq!(record_before["voted"], false);
                assert!(
                    votes[0].submitted_at >= restarted_at,
                    "voted after the restart"
                );
            }
            _ => {
                assert_eq!(record_before["root"], root.as_str(), "the committed root");
                assert_eq!(
                    record_before["voted"], false,
                    "killed before its bookkeeping"
                );
                assert!(votes[0].submitted_at < restarted_at, "never voted again");
            }
        }
        assert_eq!(votes[0].commitment, batch.commitment);
        let url = &urls[leader];
        wait_for("the restarted leader's record", || {
            let record = get_json(&format!("{url}/v1/epochs/{epoch}"));
            record["voted"] == true && record["status"] == "final"
        });
        let record = get_json(&format!("{url}/v1/epochs/{epoch}"));
        assert_eq!(record["root"], root.as_str());
        assert_eq!(record["role"], "leader");
    }

    // SIGKILL during ingest: every acknowledged report is stored.
    let victim = nodes[0].take().unwrap();
    let url = victim.url.clone();
    let config = client.oracle_config().unwrap();
    let mut fleet = Fleet::new(
        fleet_plan(),
        client.network_id().unwrap(),
        EpochClock {
            genesis: config.genesis_timestamp,
            length: config.epoch_length,
        },
    );
    let epoch = config.current_epoch(client.now().unwrap()).unwrap();
    warp_to(
        &sandbox,
        &client,
        config.epoch_end(epoch).unwrap() - 60,
        &[url.as_str()],
    );
    let reports = fleet.due(client.now().unwrap());
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let sender = {
        let (acknowledged, url) = (acknowledged.clone(), url.clone());
        std::thread::spawn(move || {
            let http = reqwest::blocking::Client::new();
            for signed in reports {
                let answer = http
                    .post(format!("{url}/v1/reports"))
                    .header("content-type", "application/octet-stream")
                    .body(signed.encode().to_vec())
                    .send();
                match answer {
                    Ok(response) if response.status() == 202 => {
                        acknowledged.lock().unwrap().push(signed)
                    }
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
        })
    };
    wait_for("some reports to be acknowledged", || {
        acknowledged.lock().unwrap().len() >= 40
    });
    victim.kill();
    sender.join().unwrap();
    let acknowledged = acknowledged.lock().unwrap().clone();
    let stored = SqliteStore::open(&sandbox.path("oracle-a-data/reports.db"))
        .unwrap()
        .epoch_reports(epoch)
        .unwrap();
    assert!(acknowledged.len() >= 40 && acknowledged.len() < 6 * 48 + 4 * 48);
    for signed in &acknowledged {
        assert!(stored.contains(signed), "an acknowledged report was lost");
    }
}

/// Faults the network must ride out, each followed by the same checks:
/// the batch becomes final with the model's amounts, it holds every report
/// the nodes acknowledged (once), and no oracle votes twice.
/// - oracle-c is down for all of epoch 1 (led by oracle-b), while the
///   devices send every report twice (a retry after lost answers);
/// - oracle-c, epoch 2's leader, is killed in the middle of its close
///   (its batch committed, not voted) and stays down: after the leader
///   deadline oracle-a leads instead and the batch becomes final.
#[test]
fn an_oracle_down_for_an_epoch_and_a_leader_killed_mid_close_do_not_stop_the_network() {
    let sandbox = Sandbox::over_localnet("oracle-faults");
    let names = three_oracle_network(&sandbox);
    let cluster = sandbox.localnet_url().unwrap();
    let client = chain(&cluster);
    for name in names {
        write_config(&sandbox, name, &cluster);
    }
    let keys: Vec<Pubkey> = names
        .iter()
        .map(|name| oracle_key(&sandbox, name))
        .collect();
    // The final batch of `epoch`: one vote from each of `voters` and none
    // from the others, led by `voters[0]`, with the model's amounts and
    // every acknowledged report (verified from the leader's file).
    let check = |epoch: u64, voters: &[usize]| {
        let batch = wait_final(&client, epoch);
        assert_eq!(
            batch.votes[0].oracle, keys[voters[0]],
            "epoch {epoch}'s leader"
        );
        for (index, key) in keys.iter().enumerate() {
            let votes = batch
                .votes
                .iter()
                .filter(|vote| vote.oracle == *key)
                .count();
            let expected = usize::from(voters.contains(&index));
            assert_eq!(votes, expected, "{}'s votes in epoch {epoch}", names[index]);
        }
        let uri = batch.votes[0].uri.clone();
        leader_file_matches_model(&client, &batch);
        // For epoch 2 the verifier has no copy of epoch 1's batch: it is
        // downloaded from the vote that made it final, checked on chain.
        let epoch_text = epoch.to_string();
        let args = [
            "--output",
            "json",
            "oracle",
            "verify",
            &uri,
            "--epoch",
            &epoch_text,
        ];
        let output = sandbox.command("operator", &args).output().unwrap();
        let verified: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&output.stderr)));
        assert_eq!(verified["verified"], true, "{verified}");
        assert_eq!(
            verified["reports"],
            6 * 48,
            "every acknowledged report, once"
        );
        batch
    };

    // Epoch 1: oracle-c down throughout; the devices retry everything.
    let a = OracleProcess::spawn(&sandbox, names[0], None);
    let b = OracleProcess::spawn(&sandbox, names[1], None);
    let up = vec![a.url.clone(), b.url.clone()];
    report_and_close_with(&sandbox, &client, 1, &up, true, None);
    check(1, &[1, 0]);

    // Epoch 2: oracle-c comes back as its leader and is killed between
    // committing its batch and voting; it stays down.
    let c = OracleProcess::spawn(&sandbox, names[2], Some("before-vote"));
    let all = vec![a.url.clone(), b.url.clone(), c.url.clone()];
    report_and_close_with(&sandbox, &client, 2, &all, false, Some(c.url.as_str()));
    let printed = c.wait_killed();
    assert!(
        printed.contains("DEPIN_ORACLE_CRASH_AT=before-vote"),
        "{printed}"
    );
    let record: Value = serde_json::from_slice(
        &std::fs::read(sandbox.path("oracle-c-data/epochs/2.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(record["voted"], false, "{record}");
    // The next leader in turn (oracle-a) takes over after the deadline.
    let end = client.oracle_config().unwrap().epoch_end(2).unwrap();
    assert!(client.epoch_batch(2).unwrap().is_none(), "nobody voted yet");
    warp_to(&sandbox, &client, end + 120 + 601, &[&a.url, &b.url]);
    let batch = check(2, &[0, 1]);
    // oracle-c had committed to the same root: the rule is deterministic.
    assert_eq!(
        record["root"],
        depin_oracle::node::hex(&batch.commitment.root).as_str()
    );
    assert_eq!(
        batch.votes[0].uri,
        format!("{}/v1/epochs/2/data", a.url),
        "oracle-a published it"
    );
}

/// A fresh PostgreSQL database on the test server (`DEPIN_TEST_POSTGRES`,
/// dropped with the returned guard), its `postgres://` URL for
/// oracle.toml, and the command that restarts the server; `None` (the test
/// skipped) without them unless `.ci/run` requires them.
fn postgres_database(name: &str) -> Option<(ScratchDatabase, String, String)> {
    let required = std::env::var_os("DEPIN_REQUIRE_POSTGRES").is_some();
    let (Ok(server), Ok(restart)) = (
        std::env::var("DEPIN_TEST_POSTGRES"),
        std::env::var("DEPIN_TEST_POSTGRES_RESTART"),
    ) else {
        assert!(
            !required,
            "DEPIN_REQUIRE_POSTGRES is set but DEPIN_TEST_POSTGRES(_RESTART) are not"
        );
        eprintln!("skipped: set DEPIN_TEST_POSTGRES and DEPIN_TEST_POSTGRES_RESTART");
        return None;
    };
    let database = ScratchDatabase::create(&server, &format!("{name}_{}", std::process::id()))
        .expect("the test server");
    // `host=H port=P user=U ...` as a URL for oracle.toml.
    let field = |key: &str| {
        server
            .split_whitespace()
            .find_map(|pair| pair.strip_prefix(&format!("{key}=")))
            .unwrap_or_else(|| panic!("DEPIN_TEST_POSTGRES has no {key}"))
            .to_string()
    };
    let url = format!(
        "postgres://{}@{}:{}/{}",
        field("user"),
        field("host"),
        field("port"),
        database.name()
    );
    Some((database, url, restart))
}

/// The epoch's leader keeps its reports in PostgreSQL, and the server is
/// restarted while the devices send, one report a request to each
/// oracle: requests that meet the lost connection are answered 503 and
/// the devices send those reports again. The leader ends with every
/// report, once; its batch is final with the model's amounts, verified
/// from its evidence, with one vote per oracle.
#[test]
fn a_leader_on_postgresql_restarted_under_load_closes_the_epoch() {
    let Some((_scratch, database, restart)) = postgres_database("depin_oracle_serve") else {
        return;
    };
    let sandbox = Sandbox::over_localnet("oracle-postgres");
    let names = three_oracle_network(&sandbox);
    let cluster = sandbox.localnet_url().unwrap();
    let client = chain(&cluster);
    for name in names {
        write_config(&sandbox, name, &cluster);
    }
    // Epoch 1's leader, oracle-b, on PostgreSQL.
    let config = std::fs::read_to_string(sandbox.path("oracle-b.toml")).unwrap();
    sandbox.write(
        "oracle-b.toml",
        &config.replacen(
            "data_dir = ",
            &format!("database = \"{database}\"\ndata_dir = "),
            1,
        ),
    );
    let nodes: Vec<OracleProcess> = names
        .iter()
        .map(|name| OracleProcess::spawn(&sandbox, name, None))
        .collect();
    let urls: Vec<String> = nodes.iter().map(|node| node.url.clone()).collect();
    let oracle_config = client.oracle_config().unwrap();
    let end = oracle_config.epoch_end(1).unwrap();
    let all: Vec<&str> = urls.iter().map(String::as_str).collect();
    warp_to(&sandbox, &client, end - 60, &all);
    let mut fleet = Fleet::new(
        fleet_plan(),
        client.network_id().unwrap(),
        EpochClock {
            genesis: oracle_config.genesis_timestamp,
            length: oracle_config.epoch_length,
        },
    );
    let reports = fleet.due(client.now().unwrap());
    let sent = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (unavailable, accepted) = std::thread::scope(|scope| {
        let devices = scope.spawn(|| {
            let http = reqwest::blocking::Client::new();
            let (mut unavailable, mut accepted) = (0, 0);
            for signed in &reports {
                for url in &urls {
                    // Sent again while the oracle answers 503 (bounded per
                    // report: a slow machine only makes the whole longer).
                    let start = Instant::now();
                    loop {
                        assert!(start.elapsed() < Duration::from_secs(60), "never stored");
                        let status = http
                            .post(format!("{url}/v1/reports"))
                            .header("content-type", "application/octet-stream")
                            .body(signed.encode().to_vec())
                            .send()
                            .unwrap()
                            .status()
                            .as_u16();
                        match status {
                            503 => {
                                unavailable += 1;
                                std::thread::sleep(Duration::from_millis(20));
                            }
                            202 => {
                                accepted += 1;
                                break;
                            }
                            // The replayed and forged copies; or a report
                            // stored by a request whose answer was lost.
                            409 | 403 => break,
                            other => panic!("{url} answered {other}"),
                        }
                    }
                }
                sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            (unavailable, accepted)
        });
        // A third of the way through, the database restarts.
        wait_for("a third of the reports sent", || {
            sent.load(std::sync::atomic::Ordering::Relaxed) >= reports.len() / 3
        });
        let status = std::process::Command::new("sh")
            .args(["-c", &restart])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "{restart}");
        devices.join().unwrap()
    });
    eprintln!("{accepted} answered 202, {unavailable} answered 503 and sent again");
    warp_to(&sandbox, &client, end + 121, &all);
    let batch = wait_final(&client, 1);
    assert_eq!(batch.votes[0].oracle, oracle_key(&sandbox, "oracle-b"));
    for name in names {
        let key = oracle_key(&sandbox, name);
        assert!(batch.votes.iter().filter(|vote| vote.oracle == key).count() <= 1);
    }
    let uri = batch.votes[0].uri.clone();
    leader_file_matches_model(&client, &batch);
    let verified = sandbox.json("operator", &["oracle", "verify", &uri, "--epoch", "1"]);
    assert_eq!(
        verified["reports"],
        6 * 48,
        "every report, once: {verified}"
    );
    // The nodes go before the database they use.
    drop(nodes);
}
