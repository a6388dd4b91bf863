//! `oracle.toml`: a complete file is read with its paths made relative
//! to it; each wrong key is refused by name.

use depin_oracle::config::{NodeConfig, MAX_PUBLIC_URL_LEN};

const GOOD: &str = r#"
keypair = "oracle.json"
cluster = "http://127.0.0.1:8899"
listen = "127.0.0.1:8080"
public_url = "http://127.0.0.1:8080"
data_dir = "oracle-data"

[ingest]
clock_skew_seconds = 30

[close]
grace_seconds = 60

[rule]
version = 1
heartbeatIntervalSeconds = 3600
uptimeShareBps = 6000
[[rule.classes]]
uptimeWeight = 1
usageWeight = 1
maxUnitsPerSecond = 1000
capPerEpoch = 1000000000
"#;

fn load(text: &str) -> Result<NodeConfig, String> {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let directory = std::env::temp_dir().join(format!(
        "depin-oracle-config-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("oracle.toml");
    std::fs::write(&path, text).unwrap();
    NodeConfig::load(&path).map_err(|error| error.to_string())
}

#[test]
fn a_complete_file_is_read_with_paths_beside_it() {
    let config = load(GOOD).unwrap();
    assert!(config.keypair.ends_with("oracle.json"));
    assert!(config.keypair.is_absolute());
    assert!(config.data_dir.ends_with("oracle-data"));
    assert_eq!(config.database, "sqlite");
    assert_eq!(config.ingest.clock_skew_seconds, 30);
    // Defaults for what the file leaves out.
    assert_eq!(config.ingest.max_reports_per_device_per_epoch, 1_000);
    assert_eq!(config.close.leader_deadline_seconds, 600);
    assert_eq!(config.close.missing_report_tolerance, 0);
    assert_eq!(config.rule.classes.len(), 1);
}

#[test]
fn each_wrong_key_is_refused_by_name() {
    let cases: Vec<(String, &str)> = vec![
        (
            GOOD.replace("public_url = \"http://", "public_url = \"ftp://"),
            "public_url",
        ),
        (
            GOOD.replace(
                "http://127.0.0.1:8080\"",
                &format!("http://{}\"", "a".repeat(MAX_PUBLIC_URL_LEN)),
            ),
            "public_url is",
        ),
        (
            GOOD.replace("127.0.0.1:8080\"\npublic", "localhost\"\npublic"),
            "listen",
        ),
        (
            GOOD.replace("data_dir", "database = \"mysql://x\"\ndata_dir"),
            "database",
        ),
        (
            GOOD.replace("grace_seconds = 60", "grace_seconds = 10"),
            "close.grace_seconds",
        ),
        (
            GOOD.replace("clock_skew_seconds = 30", "clock_skew_seconds = -1"),
            "clock_skew_seconds",
        ),
        (
            GOOD.replace("[close]", "[close]\ntick_ms = 1"),
            "close.tick_ms",
        ),
        (
            GOOD.replace("[close]", "[close]\nleader_deadline_seconds = 0"),
            "leader_deadline_seconds",
        ),
        (GOOD.replace("version = 1", "version = 2"), "rule.version"),
        (
            GOOD.replace("uptimeShareBps = 6000", "uptimeShareBps = 10001"),
            "uptimeShareBps",
        ),
        (
            GOOD.replace(
                "heartbeatIntervalSeconds = 3600",
                "heartbeatIntervalSeconds = 0",
            ),
            "heartbeatIntervalSeconds",
        ),
        (
            GOOD.replace("[ingest]", "[ingest]\nmax_reports_per_device_per_epoch = 0"),
            "max_reports_per_device_per_epoch",
        ),
        (GOOD.replace("[ingest]", "[ingest]\ncolour = 1"), "colour"),
        (GOOD.replace("keypair = \"oracle.json\"\n", ""), "keypair"),
        (
            GOOD.replace("capPerEpoch = 1000000000", "capPerEpoch = -5"),
            "capPerEpoch",
        ),
        (
            GOOD[..GOOD.find("[[rule.classes]]").unwrap()].to_string(),
            "classes",
        ),
        ("keypair = [".to_string(), "oracle.toml"),
    ];
    for (text, named) in cases {
        let error = load(&text).expect_err(named);
        assert!(error.contains(named), "{named}: {error}");
        assert!(error.contains("oracle.toml"), "the file is named: {error}");
    }
    let missing = NodeConfig::load(std::path::Path::new("/nonexistent/oracle.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        missing.contains("cannot read /nonexistent/oracle.toml"),
        "{missing}"
    );
}
