//! Token amounts between their decimal text and base units.

/// `text` ("12", "12.5", "0.000001") in base units of a token with
/// `decimals` decimals; refuses more decimals than the token has, signs,
/// and amounts above `u64::MAX` base units.
pub fn parse_amount(text: &str, decimals: u8) -> Result<u64, String> {
    let invalid = || format!("'{text}' is not an amount with at most {decimals} decimals");
    let (whole, fraction) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
    let digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty())
        || !digits(whole)
        || !digits(fraction)
        || fraction.len() > usize::from(decimals)
    {
        return Err(invalid());
    }
    let scale = 10u128.pow(u32::from(decimals));
    let whole: u128 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| invalid())?
    };
    let padded = format!("{fraction:0<width$}", width = usize::from(decimals));
    let fraction: u128 = if padded.is_empty() {
        0
    } else {
        padded.parse().map_err(|_| invalid())?
    };
    whole
        .checked_mul(scale)
        .and_then(|value| value.checked_add(fraction))
        .and_then(|value| u64::try_from(value).ok())
        .ok_or_else(|| format!("'{text}' is too large"))
}

/// `value` base units as decimal text, without trailing zeros.
pub fn format_amount(value: u64, decimals: u8) -> String {
    let scale = 10u64.pow(u32::from(decimals));
    let whole = value / scale;
    let fraction = value % scale;
    if fraction == 0 {
        return whole.to_string();
    }
    let fraction = format!("{fraction:0>width$}", width = usize::from(decimals));
    format!("{whole}.{}", fraction.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refusals() {
        assert_eq!(parse_amount("12", 6), Ok(12_000_000));
        assert_eq!(parse_amount("12.5", 6), Ok(12_500_000));
        assert_eq!(parse_amount(".000001", 6), Ok(1));
        assert_eq!(parse_amount("7", 0), Ok(7));
        assert_eq!(format_amount(12_500_000, 6), "12.5");
        assert_eq!(format_amount(1, 6), "0.000001");
        assert_eq!(format_amount(u64::MAX, 0), u64::MAX.to_string());
        for bad in [
            "",
            ".",
            "-1",
            "1.0000001",
            "1e3",
            "abc",
            "18446744073709.551616",
        ] {
            assert!(parse_amount(bad, 6).is_err(), "{bad}");
        }
        assert!(parse_amount("1.5", 0).is_err());
        assert_eq!(parse_amount("18446744073709.551615", 6), Ok(u64::MAX));
    }
}
