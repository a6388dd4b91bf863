//! The README is a contract: every `sh` block of its "Using the network"
//! section runs verbatim, in order, in one fresh folder with its own HOME
//! and state, with `depin` on the PATH. A journey that drifts from the CLI
//! fails here.

use std::{path::Path, process::Command};

/// The fenced `sh` blocks between `## Using the network` and the next `##`
/// heading, in order.
fn journey_blocks(readme: &str) -> Vec<String> {
    let start = readme
        .find("\n## Using the network")
        .expect("README has a \"Using the network\" section");
    let section = &readme[start + 1..];
    let end = section[3..]
        .find("\n## ")
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

#[test]
fn the_readme_journeys_run_verbatim() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .expect("README.md");
    let blocks = journey_blocks(&readme);
    assert!(
        blocks.len() >= 4,
        "expected the deployer, operator, oracle and member journeys, found {} blocks",
        blocks.len()
    );
    let binary = assert_cmd::cargo::cargo_bin("depin");
    let directory = std::env::temp_dir().join(format!("depin-readme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap();
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // Aliases as an interactive shell has them; stop at the first failure
    // and say which command it was.
    let mut script = String::from(
        "set -euo pipefail\nshopt -s expand_aliases\n\
         trap 'echo \"README command failed: $BASH_COMMAND\" >&2' ERR\n",
    );
    for (index, block) in blocks.iter().enumerate() {
        script.push_str(&format!("echo '--- README block {}' >&2\n", index + 1));
        script.push_str(block);
    }
    let output = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(&directory)
        .env_clear()
        .env("PATH", path)
        .env("HOME", &directory)
        .env("LANG", "C.UTF-8")
        .output()
        .expect("bash runs");
    let _ = std::fs::remove_dir_all(&directory);
    assert!(
        output.status.success(),
        "the README's journeys failed:\n--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn blocks_are_found_in_order_and_only_in_the_section() {
    let readme = "# x\n```sh\nnot this\n```\n## Using the network\ntext\n```sh\na\n```\n\
                  ### Sub\n```sh\nb\nc\n```\n```text\nno\n```\n## Next\n```sh\nnot this either\n```\n";
    assert_eq!(journey_blocks(readme), ["a\n", "b\nc\n"]);
}
