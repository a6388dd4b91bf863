/// Most device classes one registry holds (they live inline in the config).
pub const MAX_DEVICE_CLASSES: usize = 16;
/// Longest class name, in bytes of UTF-8.
pub const MAX_CLASS_NAME_LEN: usize = 32;
/// Longest maker name, in bytes of UTF-8.
pub const MAX_MAKER_NAME_LEN: usize = 32;
/// Largest device metadata: a 32-byte content hash (e.g. SHA-256 of a JSON
/// document or an IPFS CIDv1 digest). Anything longer belongs off-chain.
pub const MAX_METADATA_LEN: usize = 32;
/// Maker ids start at 1; 0 in a device means "no maker attested".
pub const NO_MAKER: u32 = 0;
