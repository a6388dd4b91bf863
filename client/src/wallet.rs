//! A wallet's balances, network-token transfers, SOL from a faucet, and the
//! embedded runtime's clock.

use {
    crate::{backend::BackendExt, Client},
    depin_sdk::{amount::format_amount, pda, token, Pubkey, SdkError, TxOutcome},
    solana_clock::Clock,
};

/// A wallet's SOL, network tokens and data credits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Balances {
    pub lamports: u64,
    pub tokens: u64,
    pub credits: u64,
}

/// What the embedded runtime's faucet started with: 1,000,000 SOL.
pub const EMBEDDED_FAUCET_LAMPORTS: u64 = 1_000_000 * LAMPORTS_PER_SOL;
const LAMPORTS_PER_SOL: u64 = 1_000_000_000;

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

    /// Sends `amount` network-token base units from this wallet's token
    /// account to `recipient`'s, creating the recipient's (associated) token
    /// account if it does not exist yet; this wallet pays its rent. Refused
    /// before anything is sent when the wallet holds less than `amount`.
    pub fn transfer_tokens(
        &mut self,
        recipient: &Pubkey,
        amount: u64,
    ) -> Result<TxOutcome, SdkError> {
        if amount == 0 {
            return Err(SdkError::Input(
                "a transfer of 0 tokens does nothing".into(),
            ));
        }
        if *recipient == self.address() {
            return Err(SdkError::Input(format!(
                "{recipient} is this wallet: a transfer to itself does nothing"
            )));
        }
        let decimals = self.token_decimals()?;
        let source = depin_sdk::rewards::token_account(&self.address());
        let held = self.backend.token_balance(&source)?;
        if held < amount {
            return Err(SdkError::Input(format!(
                "insufficient funds: this wallet holds {} tokens, {} asked for",
                format_amount(held, decimals),
                format_amount(amount, decimals)
            )));
        }
        let payer = self.address();
        let destination = depin_sdk::rewards::token_account(recipient);
        self.send(
            &[
                depin_sdk::rewards::create_token_account(&payer, recipient),
                token::transfer_checked(
                    &source,
                    &pda::token_mint().0,
                    &destination,
                    &payer,
                    amount,
                    decimals,
                ),
            ],
            &[],
        )
    }

    /// Moves the embedded runtime's clock forward.
    pub fn warp(&mut self, seconds: i64) -> Result<Clock, SdkError> {
        self.backend.warp(seconds)
    }

    /// Asks for `lamports` (the embedded runtime's faucet, or a test
    /// cluster's). A faucet that holds less says so plainly instead of the
    /// system program's "custom program error: 0x1".
    pub fn airdrop(&mut self, to: &Pubkey, lamports: u64) -> Result<(), SdkError> {
        self.backend
            .airdrop(to, lamports)
            .map_err(|error| faucet_error(error, lamports))
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

/// The system program's transfer out of the faucet failed for lack of
/// lamports (`ResultWithNegativeLamports`, custom error 1): said in SOL,
/// with what the faucet holds when the log tells it.
fn faucet_error(error: SdkError, asked: u64) -> SdkError {
    use {
        anchor_lang::solana_program::instruction::error::InstructionError,
        depin_sdk::TransactionError,
    };
    let SdkError::TransactionFailed(failure) = &error else {
        return error;
    };
    if !matches!(
        failure.error,
        TransactionError::InstructionError(_, InstructionError::Custom(1))
    ) {
        return error;
    }
    // "Transfer: insufficient lamports 999000000000000, need 10000000000000000"
    let holds = failure.logs.iter().find_map(|line| {
        let rest = line.split("insufficient lamports ").nth(1)?;
        rest.split(',').next()?.trim().parse::<u64>().ok()
    });
    SdkError::Input(match holds {
        Some(holds) => format!("{}; ask for less", faucet_shortfall(holds, asked)),
        None => format!(
            "the faucet holds less than the {} SOL asked for (the embedded runtime's \
             faucet starts with {} SOL); ask for less",
            format_amount(asked, 9),
            format_amount(EMBEDDED_FAUCET_LAMPORTS, 9)
        ),
    })
}

/// An airdrop the faucet cannot give, in SOL (the CLI's and
/// `depin localnet`'s words).
pub fn faucet_shortfall(holds: u64, asked: u64) -> String {
    format!(
        "the faucet holds {} SOL, less than the {} SOL asked for",
        format_amount(holds, 9),
        format_amount(asked, 9)
    )
}
