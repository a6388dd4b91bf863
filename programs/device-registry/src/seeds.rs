//! Every PDA seed of the program. Seeds are fixed-length values only
//! (constants, public keys): no variable-length string is ever a seed, so
//! two different inputs can never concatenate to the same seed bytes.

/// `[SEED_CONFIG]` — the registry's single configuration account.
pub const SEED_CONFIG: &[u8] = b"registry_config";
/// `[SEED_MAKER, maker_key]` — an approved hardware maker.
pub const SEED_MAKER: &[u8] = b"maker";
/// `[SEED_DEVICE, device_key]` — a device, keyed by its ed25519 public key.
pub const SEED_DEVICE: &[u8] = b"device";
