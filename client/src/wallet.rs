//! A wallet's balances, SOL from a faucet, and the embedded runtime's clock.

use {
    crate::{backend::BackendExt, Client},
    depin_sdk::{Pubkey, SdkError},
    solana_clock::Clock,
};

/// A wallet's SOL, network tokens and data credits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Balances {
    pub lamports: u64,
    pub tokens: u64,
    pub credits: u64,
}

impl Client {
    pub fn balances(&self, owner: &Pubkey) -> Result<Balances, SdkError> {
        Ok(Balances {
            lamports: self.backend.balance(owner)?,
            tokens: self
                .backend
                .token_balance(&depin_sdk::rewards::token_account(owner))?,
            credits: self
                .backend
                .token_balance(&depin_sdk::rewards::dc_account(owner))?,
        })
    }

    /// Moves the embedded runtime's clock forward.
    pub fn warp(&mut self, seconds: i64) -> Result<Clock, SdkError> {
        self.backend.warp(seconds)
    }

    pub fn airdrop(&mut self, to: &Pubkey, lamports: u64) -> Result<(), SdkError> {
        self.backend.airdrop(to, lamports)
    }

    /// Decimals of the network token, read from its mint.
    pub fn token_decimals(&self) -> Result<u8, SdkError> {
        let mint = depin_sdk::pda::token_mint().0;
        self.backend
            .account(&mint)?
            .and_then(|account| depin_sdk::token::mint_decimals(&account.data))
            .ok_or_else(|| {
                SdkError::Input(format!(
                    "the network token ({mint}) does not exist yet (run `depin network init`)"
                ))
            })
    }
}
