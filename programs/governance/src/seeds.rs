//! Every PDA seed of the program (fixed-length values only).

/// `[SEED_CONFIG]` — the governance configuration; also the owner of the
/// vault of locked tokens.
pub const SEED_CONFIG: &[u8] = b"governance";
/// `[SEED_DAO_AUTHORITY]` — the DAO authority: a system account without data
/// that signs executed proposals. It owns the other programs' configurations,
/// the treasury token account and lamports that pay rent for accounts created
/// by proposals.
pub const SEED_DAO_AUTHORITY: &[u8] = b"dao_authority";
/// `[SEED_VAULT]` — the token account holding every locked token.
pub const SEED_VAULT: &[u8] = b"vault";
/// `[SEED_VOTER, owner]` — a wallet's positions.
pub const SEED_VOTER: &[u8] = b"voter";
/// `[SEED_PROPOSAL, id.to_le_bytes()]` — a proposal (ids are sequential).
pub const SEED_PROPOSAL: &[u8] = b"proposal";
/// `[SEED_VOTE_RECORD, proposal, owner]` — one wallet's vote on one proposal.
pub const SEED_VOTE_RECORD: &[u8] = b"vote_record";
