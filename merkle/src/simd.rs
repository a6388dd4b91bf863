//! SHA-256 of eight equal-length messages at once with AVX2 (one message
//! per 32-bit lane), for building trees off-chain on CPUs without SHA-NI
//! (with it, one message at a time through the `sha2` crate is faster:
//! [`crate::Hashing::fastest`]).
//! Results are identical to the scalar hasher (tested); on-chain code never
//! uses this.

use core::arch::x86_64::*;

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

const IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// Whether this CPU runs the eight-lane hasher.
pub fn available() -> bool {
    std::is_x86_feature_detected!("avx2")
}

#[inline(always)]
unsafe fn rotr<const R: i32, const L: i32>(x: __m256i) -> __m256i {
    _mm256_or_si256(_mm256_srli_epi32::<R>(x), _mm256_slli_epi32::<L>(x))
}

/// Compresses one 64-byte block of each of the eight lanes into `state`.
#[target_feature(enable = "avx2")]
unsafe fn compress(state: &mut [__m256i; 8], blocks: [&[u8; 64]; 8]) {
    let mut w = [_mm256_setzero_si256(); 64];
    for (t, word) in w.iter_mut().take(16).enumerate() {
        let lane = |j: usize| {
            let bytes = &blocks[j][t * 4..t * 4 + 4];
            i32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
        };
        *word = _mm256_setr_epi32(
            lane(0),
            lane(1),
            lane(2),
            lane(3),
            lane(4),
            lane(5),
            lane(6),
            lane(7),
        );
    }
    for t in 16..64 {
        let x = w[t - 15];
        let s0 = _mm256_xor_si256(
            _mm256_xor_si256(rotr::<7, 25>(x), rotr::<18, 14>(x)),
            _mm256_srli_epi32::<3>(x),
        );
        let y = w[t - 2];
        let s1 = _mm256_xor_si256(
            _mm256_xor_si256(rotr::<17, 15>(y), rotr::<19, 13>(y)),
            _mm256_srli_epi32::<10>(y),
        );
        w[t] = _mm256_add_epi32(
            _mm256_add_epi32(w[t - 16], s0),
            _mm256_add_epi32(w[t - 7], s1),
        );
    }
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
    for t in 0..64 {
        let s1 = _mm256_xor_si256(
            _mm256_xor_si256(rotr::<6, 26>(e), rotr::<11, 21>(e)),
            rotr::<25, 7>(e),
        );
        let ch = _mm256_xor_si256(_mm256_and_si256(e, f), _mm256_andnot_si256(e, g));
        let k = _mm256_set1_epi32(K[t] as i32);
        let temp1 = _mm256_add_epi32(
            _mm256_add_epi32(_mm256_add_epi32(h, s1), _mm256_add_epi32(ch, k)),
            w[t],
        );
        let s0 = _mm256_xor_si256(
            _mm256_xor_si256(rotr::<2, 30>(a), rotr::<13, 19>(a)),
            rotr::<22, 10>(a),
        );
        let maj = _mm256_xor_si256(
            _mm256_xor_si256(_mm256_and_si256(a, b), _mm256_and_si256(a, c)),
            _mm256_and_si256(b, c),
        );
        let temp2 = _mm256_add_epi32(s0, maj);
        h = g;
        g = f;
        f = e;
        e = _mm256_add_epi32(d, temp1);
        d = c;
        c = b;
        b = a;
        a = _mm256_add_epi32(temp1, temp2);
    }
    for (slot, value) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
        *slot = _mm256_add_epi32(*slot, value);
    }
}

/// SHA-256 of eight messages of `LEN` bytes each (`LEN` ≤ 119, so the
/// padded message is one or two blocks).
///
/// # Safety
/// The CPU must support AVX2 ([`available`]).
#[target_feature(enable = "avx2")]
pub unsafe fn hash8<const LEN: usize>(messages: &[[u8; LEN]; 8]) -> [[u8; 32]; 8] {
    const { assert!(LEN <= 119) };
    let blocks_per_message = if LEN <= 55 { 1 } else { 2 };
    let mut padded = [[0u8; 128]; 8];
    for (buffer, message) in padded.iter_mut().zip(messages) {
        buffer[..LEN].copy_from_slice(message);
        buffer[LEN] = 0x80;
        let bits = (LEN as u64 * 8).to_be_bytes();
        buffer[blocks_per_message * 64 - 8..blocks_per_message * 64].copy_from_slice(&bits);
    }
    let mut state = IV.map(|word| _mm256_set1_epi32(word as i32));
    for block in 0..blocks_per_message {
        let range = block * 64..block * 64 + 64;
        let lanes: [&[u8; 64]; 8] =
            core::array::from_fn(|j| padded[j][range.clone()].try_into().expect("64 bytes"));
        compress(&mut state, lanes);
    }
    let mut words = [[0u32; 8]; 8];
    for (index, word) in state.iter().enumerate() {
        let mut lanes = [0u32; 8];
        _mm256_storeu_si256(lanes.as_mut_ptr().cast(), *word);
        for (lane, value) in lanes.iter().enumerate() {
            words[lane][index] = *value;
        }
    }
    words.map(|lane| {
        let mut digest = [0u8; 32];
        for (chunk, word) in digest.chunks_exact_mut(4).zip(lane) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        digest
    })
}
