//! The README is a contract: every `sh` block of its "Using the network"
//! section runs verbatim, in order, in one fresh folder with its own HOME
//! and state, with `depin` on the PATH. A journey that drifts from the CLI
//! fails here.

mod common;

use std::{path::Path, process::Command};

/// The fenced `sh` blocks between `## Using the network` and the next `##`
/// heading, in order.
fn journey_blocks(readme: &str) -> Vec<String> {
    section_blocks(readme, "\n## Using the network", "\n## ")
}

/// The fenced `sh` blocks from `heading` to the next heading starting with
/// `next` (`"\n## "`, or `"\n#"` for any), in order.
fn section_blocks(readme: &str, heading: &str, next: &str) -> Vec<String> {
    let start = readme
        .find(heading)
        .unwrap_or_else(|| panic!("README has no {heading:?} section"));
    let section = &readme[start + 1..];
    let end = section[3..]
        .find(next)
        .map_or(section.len(), |index| index + 3);
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in section[..end].lines() {
        match (&mut current, line.trim_end()) {
            (None, "```sh") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), text) => {
                block.push_str(text);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    assert!(current.is_none(), "an unclosed code block in the README");
    blocks
}

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
        .expect("README.md")
}

/// Runs every journey block in order in `directory` (HOME too), with
/// `prelude` first and `env` set; stops at the first failing command.
fn run_journeys(directory: &Path, prelude: &str, env: &[(&str, &str)]) -> std::process::Output {
    let blocks = journey_blocks(&readme());
    assert!(
        blocks.len() >= 4,
        "expected the deployer, operator, oracle and member journeys, found {} blocks",
        blocks.len()
    );
    run_blocks(directory, &blocks, prelude, env)
}

/// Runs `blocks` as one bash script in `directory` (HOME too), with
/// `depin` on the PATH, `prelude` first and `env` set; stops at the first
/// failing command and names it.
fn run_blocks(
    directory: &Path,
    blocks: &[String],
    prelude: &str,
    env: &[(&str, &str)],
) -> std::process::Output {
    let binary = assert_cmd::cargo::cargo_bin("depin");
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // Aliases as an interactive shell has them.
    let mut script = String::from(
        "set -euo pipefail\nshopt -s expand_aliases\n\
         trap 'echo \"README command failed: $BASH_COMMAND\" >&2' ERR\n",
    );
    script.push_str(prelude);
    for (index, block) in blocks.iter().enumerate() {
        script.push_str(&format!("echo '--- README block {}' >&2\n", index + 1));
        script.push_str(block);
    }
    Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(directory)
        .env_clear()
        .env("PATH", path)
        .env("HOME", directory)
        .env("LANG", "C.UTF-8")
        .envs(env.iter().copied())
        .output()
        .expect("bash runs")
}

fn fresh_directory(name: &str) -> std::path::PathBuf {
    let directory = std::env::temp_dir().join(format!("depin-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap();
    directory
}

fn assert_succeeded(output: &std::process::Output, what: &str) {
    assert!(
        output.status.success(),
        "the README's journeys failed {what}:\n--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_readme_journeys_run_verbatim() {
    let directory = fresh_directory("readme");
    let output = run_journeys(&directory, "", &[]);
    let _ = std::fs::remove_dir_all(&directory);
    assert_succeeded(&output, "on the embedded runtime");
}

/// The same journeys, every command with `-u` (`$DEPIN_URL`) pointing at a
/// `depin localnet` this test starts: the CLI and the SDK's RPC backend end
/// to end over real JSON-RPC. The node's state is created with the
/// deployer's key as the programs' upgrade authority, so that key exists
/// before the journeys start and their `depin keygen -o deployer.json`
/// keeps it (the prelude's `depin` function skips that one command).
#[test]
fn the_readme_journeys_run_verbatim_over_depin_localnet() {
    let directory = fresh_directory("readme-localnet");
    let binary = assert_cmd::cargo::cargo_bin("depin");
    let status = Command::new(&binary)
        .args(["keygen", "-o", "deployer.json"])
        .current_dir(&directory)
        .env("HOME", &directory)
        .output()
        .unwrap();
    assert!(status.status.success());
    let node = common::Localnet::start(&directory, 50);
    let url = node.url.clone();
    let prelude = "depin() { if [ \"$*\" = \"keygen -o deployer.json\" ]; then return 0; fi; \
                   command depin \"$@\"; }\n";
    let output = run_journeys(&directory, prelude, &[("DEPIN_URL", &url)]);
    // SIGTERM: the node stops and saves.
    let (stopped, rest) = node.stop();
    assert_succeeded(&output, &format!("over depin localnet at {url}"));
    assert!(stopped.success(), "the node exits cleanly on SIGTERM");
    assert!(
        rest.iter()
            .any(|line| line.contains("node-state.bin saved")),
        "the node says it saved: {rest:?}"
    );
    // The saved state holds what the journeys did over RPC.
    let show = Command::new(&binary)
        .args([
            "--state",
            "node-state.bin",
            "-k",
            "member.json",
            "device",
            "list",
            "--output",
            "json",
        ])
        .current_dir(&directory)
        .env("HOME", &directory)
        .output()
        .unwrap();
    let sensor = Command::new(&binary)
        .args(["address", "-k", "sensor.json"])
        .current_dir(&directory)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&directory);
    assert!(
        show.status.success(),
        "{}",
        String::from_utf8_lossy(&show.stderr)
    );
    let listed = String::from_utf8_lossy(&show.stdout);
    let sensor = String::from_utf8_lossy(&sensor.stdout).trim().to_string();
    assert!(
        listed.contains(&sensor),
        "the sensor, transferred to the member, is in the saved state: {listed}"
    );
}

/// "Run three oracle nodes": a `depin localnet`, three `depin oracle
/// serve` processes and a simulated fleet, run verbatim; the epoch they
/// close is final and recomputes from the leader's URL.
#[test]
fn the_three_oracle_nodes_journey_runs_verbatim() {
    let blocks = section_blocks(&readme(), "\n### Run three oracle nodes", "\n#");
    assert_eq!(blocks.len(), 3, "the set-up, the files and the epoch");
    let directory = fresh_directory("readme-oracles");
    let output = run_blocks(&directory, &blocks, "", &[]);
    let logs: String = [
        "localnet.log",
        "oracle-a.log",
        "oracle-b.log",
        "oracle-c.log",
    ]
    .iter()
    .map(|name| {
        format!(
            "--- {name}\n{}\n",
            std::fs::read_to_string(directory.join(name)).unwrap_or_default()
        )
    })
    .collect();
    let _ = std::fs::remove_dir_all(&directory);
    assert_succeeded(&output, &format!("(three oracle nodes)\n{logs}"));
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        printed.contains("epoch 1: final on chain, and recomputed from its evidence"),
        "{printed}"
    );
    assert!(
        printed.contains("(proof from http://127.0.0.1:8082, checked against the chain)"),
        "{printed}"
    );
    assert!(
        printed.contains(
            "nothing owed: all 1 wallets of the batch of epoch 1 have been paid (claims from \
             http://127.0.0.1:8082, checked against the chain)"
        ),
        "{printed}"
    );
}

#[test]
fn blocks_are_found_in_order_and_only_in_the_section() {
    let readme = "# x\n```sh\nnot this\n```\n## Using the network\ntext\n```sh\na\n```\n\
                  ### Sub\n```sh\nb\nc\n```\n```text\nno\n```\n## Next\n```sh\nnot this either\n```\n";
    assert_eq!(journey_blocks(readme), ["a\n", "b\nc\n"]);
}
