//! Validation of H3 cell indexes (the bit layout of H3 v3/v4), without
//! floating point, so it runs on-chain.
//!
//! Layout, from the most significant bit: 1 reserved bit (0), 4 mode bits
//! (1 = cell), 3 reserved bits (0 for cells), 4 resolution bits, 7 base-cell
//! bits (0..=121), then fifteen 3-bit digits. Digits up to the resolution are
//! 0..=6; the rest are 7. In the 12 pentagon base cells the first non-zero
//! digit may not be 1 (that sub-sequence is deleted from pentagons).

const CELL_MODE: u64 = 1;
const MAX_RESOLUTION: u64 = 15;
const BASE_CELLS: u64 = 122;
const UNUSED_DIGIT: u64 = 7;
const K_AXES_DIGIT: u64 = 1;
const PENTAGON_BASE_CELLS: [u64; 12] = [4, 14, 24, 38, 49, 58, 63, 72, 83, 97, 107, 117];

/// The resolution of a valid cell (0..=15).
pub fn resolution(index: u64) -> u64 {
    (index >> 52) & 0xF
}

pub fn is_valid_cell(index: u64) -> bool {
    if index >> 63 != 0 || (index >> 59) & 0xF != CELL_MODE || (index >> 56) & 0x7 != 0 {
        return false;
    }
    let resolution = resolution(index);
    let base_cell = (index >> 45) & 0x7F;
    if resolution > MAX_RESOLUTION || base_cell >= BASE_CELLS {
        return false;
    }
    let is_pentagon = PENTAGON_BASE_CELLS.contains(&base_cell);
    let mut leading_zeros = true;
    for position in 1..=MAX_RESOLUTION {
        let digit = (index >> ((MAX_RESOLUTION - position) * 3)) & 0x7;
        if position <= resolution {
            if digit == UNUSED_DIGIT {
                return false;
            }
            if is_pentagon && leading_zeros && digit != 0 {
                if digit == K_AXES_DIGIT {
                    return false;
                }
                leading_zeros = false;
            }
        } else if digit != UNUSED_DIGIT {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_cells() {
        // San Francisco at resolutions 9 and 12; a res-0 base cell.
        assert!(is_valid_cell(0x8928308280fffff));
        assert!(is_valid_cell(0x8c2830828052dff));
        assert!(is_valid_cell(0x8001fffffffffff));
        assert_eq!(resolution(0x8928308280fffff), 9);
    }

    #[test]
    fn rejects_malformed() {
        assert!(!is_valid_cell(0));
        assert!(!is_valid_cell(u64::MAX));
        // Directed edge mode (2) instead of cell mode.
        assert!(!is_valid_cell(0x1128308280fffff));
        // Unused digit inside the resolution.
        assert!(!is_valid_cell(
            0x8928308280fffff & !(0x7 << 18) | (0x7 << 18)
        ));
        // Used digit past the resolution.
        assert!(!is_valid_cell(0x8928308280ffffe));
        // Base cell 122 does not exist.
        assert!(!is_valid_cell((1 << 59) | (122 << 45) | 0x1fffffffffff));
        // Pentagon base cell 4, res 1, digit 1 (deleted sub-sequence).
        let pentagon_k = (1u64 << 59) | (1 << 52) | (4 << 45) | (1 << 42) | ((1 << 42) - 1);
        assert!(!is_valid_cell(pentagon_k));
        let pentagon_j = (1u64 << 59) | (1 << 52) | (4 << 45) | (2 << 42) | ((1 << 42) - 1);
        assert!(is_valid_cell(pentagon_j));
    }
}
