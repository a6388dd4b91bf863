//! The oracle's input: one line per device with what it earned in the
//! epoch, as CSV (`device,amount`, an optional header, `#` comments) or
//! JSON lines (`{"device": "...", "amount": 123}`). Every error names its
//! line.
//!
//! An amount is what the device earned in the batch's epoch alone, in the
//! token's base units (10^decimals per whole token), not a running total:
//! the batch adds it to the total of the device's rewards recipient in the
//! previous final batch ([`crate::batch::BatchFile::build`]), and a claim
//! pays the wallet its total minus what it has already been paid. The
//! oracle operator computes the amounts off chain, from the network's
//! record of coverage and usage under its reward policy; every oracle of
//! the set computes the same file, and a batch is final once a quorum of
//! them vote for the same root.

use {crate::Pubkey, serde::Deserialize, std::str::FromStr};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofFormat {
    Csv,
    JsonLines,
}

impl ProofFormat {
    /// By file extension: `.jsonl`/`.ndjson` are JSON lines, anything else CSV.
    pub fn from_path(path: &std::path::Path) -> Self {
        match path.extension().and_then(|extension| extension.to_str()) {
            Some("jsonl") | Some("ndjson") => ProofFormat::JsonLines,
            _ => ProofFormat::Csv,
        }
    }
}

/// One device's line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceProof {
    pub device_key: Pubkey,
    /// What the device earned in the epoch (token base units).
    pub amount: u64,
    /// 1-based line in the input.
    pub line: u64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("line {line}: {reason}")]
pub struct ProofFileError {
    pub line: u64,
    pub reason: String,
}

fn error(line: u64, reason: impl Into<String>) -> ProofFileError {
    ProofFileError {
        line,
        reason: reason.into(),
    }
}

fn parse_device(line: u64, device: &str) -> Result<Pubkey, ProofFileError> {
    Pubkey::from_str(device.trim())
        .map_err(|_| error(line, format!("'{}' is not a device address", device.trim())))
}

fn parse_fields(line: u64, device: &str, amount: &str) -> Result<DeviceProof, ProofFileError> {
    let device_key = parse_device(line, device)?;
    let amount = amount.trim().parse::<u64>().map_err(|_| {
        error(
            line,
            format!(
                "'{}' is not an amount (a whole number of base units up to {})",
                amount.trim(),
                u64::MAX
            ),
        )
    })?;
    Ok(DeviceProof {
        device_key,
        amount,
        line,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonLine {
    device: String,
    amount: u64,
}

/// Parses the whole input; the first bad line is the error. Duplicate
/// devices are refused (a batch holds one epoch amount per device).
pub fn parse_device_proofs(
    text: &str,
    format: ProofFormat,
) -> Result<Vec<DeviceProof>, ProofFileError> {
    let mut proofs = Vec::new();
    match format {
        ProofFormat::Csv => {
            // One reader for the whole input, fed the lines that are not
            // blank or comments; `lines[i]` is the file's line number of
            // the reader's line i + 1, so errors name the file's line.
            let mut kept = String::with_capacity(text.len());
            let mut lines: Vec<u64> = Vec::new();
            for (index, text) in text.lines().enumerate() {
                let trimmed = text.trim();
                if trimmed.is_empty() || trimmed.starts_with('#') {
                    continue;
                }
                kept.push_str(text);
                kept.push('\n');
                lines.push(index as u64 + 1);
            }
            let line_of = |position: Option<&csv::Position>| {
                position
                    .and_then(|position| lines.get(position.line().saturating_sub(1) as usize))
                    .copied()
                    .unwrap_or(0)
            };
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .trim(csv::Trim::All)
                .from_reader(kept.as_bytes());
            let mut record = csv::StringRecord::new();
            loop {
                match reader.read_record(&mut record) {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(failure) => {
                        return Err(error(line_of(failure.position()), failure.to_string()));
                    }
                }
                let line = line_of(record.position());
                if record.len() != 2 {
                    return Err(error(
                        line,
                        format!("expected 2 fields (device,amount), found {}", record.len()),
                    ));
                }
                if proofs.is_empty()
                    && record[0].eq_ignore_ascii_case("device")
                    && record[1].eq_ignore_ascii_case("amount")
                {
                    continue;
                }
                proofs.push(parse_fields(line, &record[0], &record[1])?);
            }
        }
        ProofFormat::JsonLines => {
            for (index, text) in text.lines().enumerate() {
                let line = index as u64 + 1;
                if text.trim().is_empty() {
                    continue;
                }
                let parsed: JsonLine = serde_json::from_str(text)
                    .map_err(|failure| error(line, format!("invalid JSON line: {failure}")))?;
                proofs.push(DeviceProof {
                    device_key: parse_device(line, &parsed.device)?,
                    amount: parsed.amount,
                    line,
                });
            }
        }
    }
    let mut seen = std::collections::HashMap::new();
    for proof in &proofs {
        if let Some(first) = seen.insert(proof.device_key, proof.line) {
            return Err(error(
                proof.line,
                format!(
                    "device {} already appears on line {first}",
                    proof.device_key
                ),
            ));
        }
    }
    if proofs.is_empty() {
        return Err(error(0, "no devices in the input"));
    }
    Ok(proofs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Pubkey {
        Pubkey::new_unique()
    }

    #[test]
    fn csv_with_header_comments_and_blank_lines() {
        let (a, b) = (key(), key());
        let text = format!("device,amount\n# a comment\n{a},10\n\n{b}, 20\n");
        let proofs = parse_device_proofs(&text, ProofFormat::Csv).unwrap();
        assert_eq!(proofs.len(), 2);
        assert_eq!(
            (proofs[0].device_key, proofs[0].amount, proofs[0].line),
            (a, 10, 3)
        );
        assert_eq!(
            (proofs[1].device_key, proofs[1].amount, proofs[1].line),
            (b, 20, 5)
        );
    }

    #[test]
    fn csv_lines_are_the_file_s_lines_whatever_precedes_them() {
        let (a, b, c) = (key(), key(), key());
        let text =
            format!("  # indented comment\r\n\r\n   \r\n{a},1\r\n\"{b}\",\"2\"\n# x,y\n\n{c} , 3");
        let proofs = parse_device_proofs(&text, ProofFormat::Csv).unwrap();
        let lines: Vec<(Pubkey, u64, u64)> = proofs
            .iter()
            .map(|proof| (proof.device_key, proof.amount, proof.line))
            .collect();
        assert_eq!(lines, vec![(a, 1, 4), (b, 2, 5), (c, 3, 8)]);
        // An unterminated quote is named at the line it starts on.
        let failure =
            parse_device_proofs(&format!("{a},1\n\n\"{b},2\n"), ProofFormat::Csv).unwrap_err();
        assert_eq!(failure.line, 3, "{failure}");
        // A header only counts on the first record.
        let failure =
            parse_device_proofs(&format!("{a},1\ndevice,amount\n"), ProofFormat::Csv).unwrap_err();
        assert_eq!(failure.line, 2, "{failure}");
    }

    #[test]
    fn a_large_input_parses_whole() {
        let keys: Vec<Pubkey> = (0..50_000).map(|_| key()).collect();
        let text: String = keys
            .iter()
            .enumerate()
            .map(|(index, device)| format!("{device},{index}\n"))
            .collect();
        let proofs = parse_device_proofs(&text, ProofFormat::Csv).unwrap();
        assert_eq!(proofs.len(), keys.len());
        assert_eq!(proofs[49_999].device_key, keys[49_999]);
        assert_eq!(proofs[49_999].line, 50_000);
        assert_eq!(proofs[49_999].amount, 49_999);
    }

    #[test]
    fn csv_errors_name_the_line() {
        let a = key();
        let cases = [
            (format!("{a},10\nnot-a-key,5\n"), 2, "not a device address"),
            (format!("{a},ten\n"), 1, "not an amount"),
            (format!("{a},-1\n"), 1, "not an amount"),
            (format!("{a},18446744073709551616\n"), 1, "not an amount"),
            (format!("{a},1,2\n"), 1, "expected 2 fields"),
            (format!("{a},1\n{a},2\n"), 2, "already appears on line 1"),
        ];
        for (text, line, reason) in cases {
            let failure = parse_device_proofs(&text, ProofFormat::Csv).unwrap_err();
            assert_eq!(failure.line, line, "{text:?}");
            assert!(failure.reason.contains(reason), "{failure} for {text:?}");
        }
        assert!(parse_device_proofs("device,amount\n", ProofFormat::Csv).is_err());
    }

    #[test]
    fn json_lines() {
        let a = key();
        let text = format!("{{\"device\":\"{a}\",\"amount\":7}}\n");
        let proofs = parse_device_proofs(&text, ProofFormat::JsonLines).unwrap();
        assert_eq!((proofs[0].device_key, proofs[0].amount), (a, 7));
        let bad = format!("{{\"device\":\"{a}\",\"amount\":7}}\n{{\"device\":\"{a}\"}}\n");
        let failure = parse_device_proofs(&bad, ProofFormat::JsonLines).unwrap_err();
        assert_eq!(failure.line, 2);
        assert!(failure.reason.contains("amount"), "{failure}");
    }
}
