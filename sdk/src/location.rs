//! H3 cell indexes for device locations.

use {device_registry::h3, rand::Rng, std::fmt};

/// Why a location string is not a usable H3 cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidLocation(pub String);

impl fmt::Display for InvalidLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}' is not a valid H3 cell index", self.0)
    }
}

impl std::error::Error for InvalidLocation {}

/// Parses an H3 cell in its usual hex form (`8c2830828052dff`, with or
/// without `0x`) and checks it with the same code the program runs.
pub fn parse_cell(text: &str) -> Result<u64, InvalidLocation> {
    let trimmed = text.trim();
    let digits = trimmed.strip_prefix("0x").unwrap_or(trimmed);
    u64::from_str_radix(digits, 16)
        .ok()
        .filter(|cell| h3::is_valid_cell(*cell))
        .ok_or_else(|| InvalidLocation(text.to_string()))
}

pub fn format_cell(cell: u64) -> String {
    format!("{cell:x}")
}

/// A random valid cell at `resolution` (0..=15), e.g. for simulations.
pub fn random_cell(rng: &mut impl Rng, resolution: u8) -> u64 {
    let resolution = u64::from(resolution.min(15));
    loop {
        let base_cell: u64 = rng.gen_range(0..122);
        let mut cell = (1u64 << 59) | (resolution << 52) | (base_cell << 45);
        for position in 1..=15u64 {
            let digit = if position <= resolution {
                rng.gen_range(0..7)
            } else {
                7
            };
            cell |= digit << ((15 - position) * 3);
        }
        // Only pentagon cells with a leading 1-digit are invalid: retry.
        if h3::is_valid_cell(cell) {
            return cell;
        }
    }
}
