//! Data credits.

use {
    super::{parse_pubkey, parse_tokens, tokens, with_client},
    crate::context::Context,
    anyhow::Result,
    clap::{Subcommand, ValueEnum},
    depin_sdk::{rewards::state::UsagePurpose, Pubkey},
    serde_json::json,
};

#[derive(Clone, Copy, ValueEnum)]
pub enum Purpose {
    DataTransfer,
    Storage,
    Compute,
    Other,
}

#[derive(Subcommand)]
pub enum CreditsCommand {
    /// Burn tokens for data credits at the oracle price.
    Buy {
        #[arg(value_parser = parse_tokens)]
        tokens: u64,
    },
    /// Spend data credits on network usage.
    Burn {
        amount: u64,
        #[arg(long, value_enum, default_value = "data-transfer")]
        purpose: Purpose,
    },
    /// Data credits and tokens of an owner (default: the wallet).
    Balance {
        #[arg(value_parser = parse_pubkey)]
        owner: Option<Pubkey>,
    },
}

pub fn run(context: &Context, command: CreditsCommand) -> Result<()> {
    with_client(context, |client| {
        let owner = client.address();
        match command {
            CreditsCommand::Buy { tokens: amount } => {
                let before = client.balances(&owner)?.credits;
                let outcome = client.mint_data_credits(amount)?;
                let credits = client.balances(&owner)?.credits.saturating_sub(before);
                context.print(
                    format!("burned {} tokens for {credits} data credits\nsignature {outcome}", tokens(amount)),
                    json!({"tokensBurned": amount, "dataCredits": credits, "signature": outcome.to_string()}),
                );
            }
            CreditsCommand::Burn { amount, purpose } => {
                let purpose = match purpose {
                    Purpose::DataTransfer => UsagePurpose::DataTransfer,
                    Purpose::Storage => UsagePurpose::Storage,
                    Purpose::Compute => UsagePurpose::Compute,
                    Purpose::Other => UsagePurpose::Other,
                };
                let outcome = client.burn_data_credits(amount, purpose)?;
                context.print(
                    format!("burned {amount} data credits for {purpose:?}\nsignature {outcome}"),
                    json!({"burned": amount, "purpose": format!("{purpose:?}"), "signature": outcome.to_string()}),
                );
            }
            CreditsCommand::Balance { owner: whose } => {
                let whose = whose.unwrap_or(owner);
                let balances = client.balances(&whose)?;
                context.print(
                    format!("{whose}: {} data credits, {} tokens", balances.credits, tokens(balances.tokens)),
                    json!({"owner": whose.to_string(), "dataCredits": balances.credits, "tokens": balances.tokens}),
                );
            }
        }
        Ok(())
    })
}
