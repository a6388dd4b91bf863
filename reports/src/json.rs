//! The JSON form of a report, for people and HTTP clients: the same fields
//! as the binary form, the device and signature in base58 (as Solana
//! addresses and signatures), the network in hex, the H3 cell as its usual
//! hex index.

use {
    crate::{Payload, Report, SignedReport, VERSION},
    alloc::{format, string::String, vec::Vec},
    serde::{Deserialize, Serialize},
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KindJson {
    Heartbeat,
    Usage,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReportJson {
    pub version: u8,
    pub kind: KindJson,
    /// 64 hex digits.
    pub network: String,
    /// The device's address (base58).
    pub device: String,
    pub epoch: u64,
    pub sequence: u64,
    pub timestamp: i64,
    /// Heartbeat: the H3 cell, e.g. "8a2a1072b59ffff".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// Usage: units of service delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<u64>,
    /// Usage: over how many seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_seconds: Option<u32>,
    /// base58.
    pub signature: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn from_hex<const N: usize>(text: &str, what: &str) -> Result<[u8; N], String> {
    if text.len() != 2 * N || !text.is_ascii() {
        return Err(format!("{what} must be {} hex digits", 2 * N));
    }
    let mut out = [0u8; N];
    for (index, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * index..2 * index + 2], 16)
            .map_err(|_| format!("{what} must be {} hex digits", 2 * N))?;
    }
    Ok(out)
}

fn from_base58<const N: usize>(text: &str, what: &str) -> Result<[u8; N], String> {
    let bytes: Vec<u8> = bs58::decode(text)
        .into_vec()
        .map_err(|_| format!("{what} is not base58"))?;
    bytes
        .try_into()
        .map_err(|bytes: Vec<u8>| format!("{what} is {} bytes, not {N}", bytes.len()))
}

impl From<&SignedReport> for ReportJson {
    fn from(signed: &SignedReport) -> Self {
        let report = &signed.report;
        let (kind, cell, units, interval_seconds) = match report.payload {
            Payload::Heartbeat { cell } => (
                KindJson::Heartbeat,
                cell.map(|cell| format!("{cell:x}")),
                None,
                None,
            ),
            Payload::Usage {
                units,
                interval_seconds,
            } => (KindJson::Usage, None, Some(units), Some(interval_seconds)),
        };
        ReportJson {
            version: VERSION,
            kind,
            network: hex(&report.network),
            device: bs58::encode(report.device).into_string(),
            epoch: report.epoch,
            sequence: report.sequence,
            timestamp: report.timestamp,
            cell,
            units,
            interval_seconds,
            signature: bs58::encode(signed.signature).into_string(),
        }
    }
}

impl TryFrom<&ReportJson> for SignedReport {
    /// What is wrong, naming the field.
    type Error = String;

    fn try_from(json: &ReportJson) -> Result<Self, String> {
        if json.version != VERSION {
            return Err(format!(
                "version {} is not supported (this node reads {VERSION})",
                json.version
            ));
        }
        let payload = match json.kind {
            KindJson::Heartbeat => {
                if json.units.is_some() || json.interval_seconds.is_some() {
                    return Err("a heartbeat has no units or intervalSeconds".into());
                }
                let cell = match &json.cell {
                    None => None,
                    Some(text) => Some(
                        u64::from_str_radix(text, 16)
                            .ok()
                            .filter(|cell| *cell != 0)
                            .ok_or_else(|| format!("cell '{text}' is not an H3 index in hex"))?,
                    ),
                };
                Payload::Heartbeat { cell }
            }
            KindJson::Usage => {
                if json.cell.is_some() {
                    return Err("a usage report has no cell".into());
                }
                Payload::Usage {
                    units: json.units.ok_or("a usage report needs units")?,
                    interval_seconds: json
                        .interval_seconds
                        .ok_or("a usage report needs intervalSeconds")?,
                }
            }
        };
        Ok(SignedReport {
            report: Report {
                network: from_hex(&json.network, "network")?,
                device: from_base58(&json.device, "device")?,
                epoch: json.epoch,
                sequence: json.sequence,
                timestamp: json.timestamp,
                payload,
            },
            signature: from_base58(&json.signature, "signature")?,
        })
    }
}
