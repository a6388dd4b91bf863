use anchor_lang::prelude::*;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, InitSpace, Debug)]
pub enum VoteChoice {
    Yes,
    No,
    Abstain,
}

/// One wallet's vote on one proposal; its existence prevents a second vote.
#[account]
#[derive(InitSpace, Debug)]
pub struct VoteRecord {
    pub proposal: Pubkey,
    pub voter: Pubkey,
    pub choice: VoteChoice,
    pub power: u128,
    pub voted_at: i64,
    pub bump: u8,
}

impl VoteRecord {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;
}
