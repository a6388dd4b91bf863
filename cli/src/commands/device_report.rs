//! `depin device report heartbeat|usage`: one report signed by the
//! device's key, sent to every oracle named (or printed, to hand to
//! firmware tooling, when none is).

use {
    super::with_client,
    crate::context::{read_keypair, Context},
    anyhow::{bail, Context as _, Result},
    clap::{Args, Subcommand},
    depin_reports::{json::ReportJson, Payload, Report},
    depin_sdk::{location, Signer},
    serde_json::{json, Value},
    std::path::PathBuf,
};

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// The device is alive (optionally: the H3 cell it believes it is in).
    Heartbeat {
        #[command(flatten)]
        common: ReportArgs,
        /// H3 cell index, e.g. 8a2a1072b59ffff.
        #[arg(long)]
        cell: Option<String>,
    },
    /// Units of the class's service delivered over the last interval
    /// (bytes relayed, GB-hours stored, GPU-seconds…).
    Usage {
        #[command(flatten)]
        common: ReportArgs,
        #[arg(long)]
        units: u64,
        /// The interval the units were delivered over (e.g. 1h, 15m).
        #[arg(long, default_value = "1h")]
        interval: String,
    },
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// The device's keypair file (the key registered on chain signs).
    #[arg(long)]
    pub device_keypair: PathBuf,
    /// An oracle's base URL (repeat for each oracle of the network); none:
    /// print the signed report only.
    #[arg(long = "oracle")]
    pub oracles: Vec<String>,
    /// The report's sequence, strictly increasing per device (default: the
    /// time in milliseconds).
    #[arg(long)]
    pub sequence: Option<u64>,
}

pub fn run(context: &Context, command: ReportCommand) -> Result<()> {
    let (common, payload) = match command {
        ReportCommand::Heartbeat { common, cell } => {
            let cell = cell
                .as_deref()
                .map(|text| {
                    location::parse_cell(text).map_err(|error| anyhow::anyhow!("--cell: {error}"))
                })
                .transpose()?;
            (common, Payload::Heartbeat { cell })
        }
        ReportCommand::Usage {
            common,
            units,
            interval,
        } => {
            let seconds = humantime::parse_duration(&interval)
                .map_err(|error| {
                    anyhow::anyhow!("--interval '{interval}': {error}; try 15m or 1h")
                })?
                .as_secs();
            let interval_seconds = u32::try_from(seconds)
                .ok()
                .filter(|seconds| *seconds > 0)
                .with_context(|| format!("--interval '{interval}' must be 1 s to 136 years"))?;
            (
                common,
                Payload::Usage {
                    units,
                    interval_seconds,
                },
            )
        }
    };
    let device = read_keypair(&common.device_keypair)?;
    let sequence = match common.sequence {
        Some(sequence) => sequence,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_millis() as u64)
            .unwrap_or(0),
    };
    if i64::try_from(sequence).is_err() {
        bail!("--sequence must be below 2^63");
    }
    let (signed, registered) = with_client(context, |client| {
        let status = client.network_status()?;
        let epoch = status
            .current_epoch()
            .context("the network has no running epoch yet (before genesis, or not deployed)")?;
        let registered = match client.device(&device.pubkey()) {
            Ok(_) => true,
            Err(depin_sdk::SdkError::AccountNotFound(_)) => false,
            Err(error) => return Err(error.into()),
        };
        let report = Report {
            network: client.network_id()?,
            device: device.pubkey().to_bytes(),
            epoch,
            sequence,
            // The cluster's clock: the embedded runtime's may be warped.
            timestamp: status.clock.unix_timestamp,
            payload,
        };
        let key = ed25519_dalek::SigningKey::from_bytes(device.secret_bytes());
        Ok((report.sign(&key), registered))
    })?;
    if !registered {
        bail!(
            "device {} is not registered on this network: `depin device register --device-keypair {}` first",
            device.pubkey(),
            common.device_keypair.display()
        );
    }
    let report_json = serde_json::to_value(ReportJson::from(&signed))?;
    if common.oracles.is_empty() {
        context.print(
            serde_json::to_string_pretty(&report_json)?,
            json!({"report": report_json, "oracles": []}),
        );
        return Ok(());
    }
    let http = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()?;
    let mut answers = Vec::new();
    let mut accepted = 0;
    for oracle in &common.oracles {
        let url = format!("{}/v1/reports", oracle.trim_end_matches('/'));
        let answer = match http.post(&url).json(&report_json).send() {
            Ok(response) => {
                let status = response.status().as_u16();
                let body: Value = response.json().unwrap_or(Value::Null);
                if status == 202 {
                    accepted += 1;
                }
                json!({
                    "oracle": oracle,
                    "status": status,
                    "accepted": status == 202,
                    "error": body.get("error").cloned().unwrap_or(Value::Null),
                    "message": body.get("message").cloned().unwrap_or(Value::Null),
                })
            }
            Err(error) => json!({
                "oracle": oracle,
                "status": Value::Null,
                "accepted": false,
                "error": "unreachable",
                "message": format!("{error}"),
            }),
        };
        answers.push(answer);
    }
    let lines: Vec<String> = answers
        .iter()
        .map(|answer| match answer["accepted"].as_bool() {
            Some(true) => format!("{}: accepted", answer["oracle"].as_str().unwrap_or("")),
            _ => format!(
                "{}: refused ({}): {}",
                answer["oracle"].as_str().unwrap_or(""),
                answer["error"].as_str().unwrap_or("error"),
                answer["message"].as_str().unwrap_or("")
            ),
        })
        .collect();
    let summary = format!(
        "{} report, epoch {}, sequence {}\n{}",
        report_json["kind"].as_str().unwrap_or("a"),
        signed.report.epoch,
        signed.report.sequence,
        lines.join("\n")
    );
    if accepted == 0 {
        bail!("no oracle accepted the report\n{summary}");
    }
    context.print(summary, json!({"report": report_json, "oracles": answers}));
    Ok(())
}
