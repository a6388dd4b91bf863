//! Data credits: bought by burning tokens, spent by burning credits.

use {
    super::Client,
    crate::{backend::BackendExt, Pubkey, SdkError, TxOutcome},
    rewards::state::UsagePurpose,
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
            lamports: self.get_balance(owner)?,
            tokens: self.get_token_balance(&crate::rewards::token_account(owner))?,
            credits: self.get_token_balance(&crate::rewards::dc_account(owner))?,
        })
    }

    /// Burns `tokens` (base units) for data credits at the oracle price.
    pub fn buy_credits(&mut self, tokens: u64) -> Result<TxOutcome, SdkError> {
        let owner = self.address();
        let held = self.get_token_balance(&crate::rewards::token_account(&owner))?;
        if held < tokens {
            return Err(SdkError::Input(format!(
                "insufficient funds: buying credits for {tokens} token base units needs them, \
                 and this wallet holds {held}"
            )));
        }
        self.send(
            &[
                crate::rewards::create_dc_account(&owner, &owner),
                crate::rewards::mint_data_credits(
                    owner,
                    crate::rewards::dc_account(&owner),
                    tokens,
                ),
            ],
            &[],
        )
    }

    /// Spends `amount` data credits on `purpose`.
    pub fn burn_credits(
        &mut self,
        amount: u64,
        purpose: UsagePurpose,
    ) -> Result<TxOutcome, SdkError> {
        let owner = self.address();
        let held = self.get_token_balance(&crate::rewards::dc_account(&owner))?;
        if held < amount {
            return Err(SdkError::Input(format!(
                "insufficient data credits: burning {amount} DC, this wallet holds {held} DC"
            )));
        }
        self.send(
            &[crate::rewards::burn_data_credits(owner, amount, purpose)],
            &[],
        )
    }
}
