//! Deployment and the network's state.

use {
    crate::{
        backend::BackendExt,
        bootstrap::{self, HandOver, NetworkDeployment, NetworkPlan},
        Client,
    },
    depin_sdk::{
        accounts::{GovernanceConfig, OracleConfig, PriceFeed, RegistryConfig, RewardsConfig},
        amount::format_amount,
        pda, token, Pubkey, SdkError, TxOutcome,
    },
    solana_clock::Clock,
};

/// Everything `depin network show` prints; `None` for what is not deployed.
pub struct NetworkStatus {
    pub clock: Clock,
    pub registry: Option<RegistryConfig>,
    pub oracle: Option<OracleConfig>,
    pub rewards: Option<RewardsConfig>,
    pub governance: Option<GovernanceConfig>,
    pub token_supply: Option<u64>,
    pub dc_supply: Option<u64>,
    pub treasury_balance: Option<u64>,
    /// Who may spend the treasury: the bootstrap authority, then the DAO.
    pub treasury_owner: Option<Pubkey>,
    pub dao_authority: Pubkey,
    pub dao_lamports: u64,
    /// Median of fresh oracle prices (millionths of a dollar per token).
    pub price: Option<u64>,
}

impl NetworkStatus {
    /// The epoch running now, once genesis has passed.
    pub fn current_epoch(&self) -> Option<u64> {
        self.oracle
            .as_ref()
            .and_then(|oracle| oracle.current_epoch(self.clock.unix_timestamp))
    }
}

/// What `network init` was explicitly asked for; `None` where the caller
/// left the default. Compared with a deployment that already exists by
/// [`Client::init_differences`].
#[derive(Clone, Debug, Default)]
pub struct InitRequest {
    pub oracles: Option<Vec<Pubkey>>,
    pub quorum: Option<u8>,
    pub genesis: Option<i64>,
    pub min_proposal_power: Option<u128>,
}

/// A setting of an existing deployment that differs from what a rerun of
/// the bootstrap asked for (the bootstrap never changes what exists).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InitDifference {
    /// `oracle set`, `quorum`, `genesis` or `min proposal power`.
    pub setting: &'static str,
    /// On chain.
    pub deployed: String,
    pub requested: String,
    /// How it can be changed, if at all (a sentence of its own).
    pub how_to_change: String,
}

impl Client {
    /// What of `request` differs from the deployment on chain (nothing when
    /// the network is not deployed yet, or is as asked): a rerun of the
    /// bootstrap skips every step that exists, so it would silently keep
    /// the deployed values.
    pub fn init_differences(&self, request: &InitRequest) -> Result<Vec<InitDifference>, SdkError> {
        let status = self.network_status()?;
        let mut differences = Vec::new();
        let dao = status.dao_authority;
        if let Some(oracle) = &status.oracle {
            let how = if oracle.authority == dao {
                "the DAO holds the oracle authority: change it with a proposal, \
                 `depin gov propose --title <TITLE> oracle-set --oracle <KEY> (once per oracle) \
                 --quorum <N>`"
                    .to_string()
            } else if oracle.authority == self.address() {
                "this wallet still holds the oracle authority: change it with the oracle \
                 program's `set_oracle_set` instruction \
                 (`depin_sdk::proof_oracle::set_oracle_set`), or hand over \
                 (`depin network hand-over`) and propose it: \
                 `depin gov propose --title <TITLE> oracle-set --oracle <KEY> --quorum <N>`"
                    .to_string()
            } else {
                format!(
                    "only the oracle authority {} can change it (`set_oracle_set`)",
                    oracle.authority
                )
            };
            if let Some(oracles) = &request.oracles {
                let mut asked = oracles.clone();
                asked.sort();
                asked.dedup();
                let mut deployed = oracle.oracles.clone();
                deployed.sort();
                if asked != deployed {
                    differences.push(InitDifference {
                        setting: "oracle set",
                        deployed: list(&oracle.oracles),
                        requested: list(oracles),
                        how_to_change: how.clone(),
                    });
                }
            }
            if let Some(quorum) = request.quorum {
                if quorum != oracle.quorum {
                    differences.push(InitDifference {
                        setting: "quorum",
                        deployed: oracle.quorum.to_string(),
                        requested: quorum.to_string(),
                        how_to_change: how,
                    });
                }
            }
            if let Some(genesis) = request.genesis {
                if genesis != oracle.genesis_timestamp {
                    differences.push(InitDifference {
                        setting: "genesis",
                        deployed: format!("unix time {}", oracle.genesis_timestamp),
                        requested: format!("unix time {genesis}"),
                        how_to_change: "it is fixed: epochs are counted from it since the \
                                        oracle was initialized; only a new deployment can \
                                        start elsewhere"
                            .into(),
                    });
                }
            }
        }
        if let (Some(governance), Some(power)) = (&status.governance, request.min_proposal_power) {
            if governance.rules.min_proposal_power != power {
                let decimals = self.token_decimals().unwrap_or(0);
                let tokens = |power: u128| match u64::try_from(power) {
                    Ok(power) => format!("{} tokens locked", format_amount(power, decimals)),
                    Err(_) => format!("{power} (base units)"),
                };
                differences.push(InitDifference {
                    setting: "min proposal power",
                    deployed: tokens(governance.rules.min_proposal_power),
                    requested: tokens(power),
                    how_to_change: "only a DAO proposal calling the governance program's \
                                    `update_governance` can change it"
                        .into(),
                });
            }
        }
        Ok(differences)
    }

    /// The whole deployment bootstrap ([`bootstrap::bootstrap_network`]);
    /// this wallet is both the programs' upgrade authority and the
    /// bootstrap authority. Idempotent.
    pub fn init_network(&mut self, plan: &NetworkPlan) -> Result<NetworkDeployment, SdkError> {
        let wallet = self.payer.insecure_clone();
        bootstrap::bootstrap_network(self.backend.as_mut(), &wallet, &wallet, plan)
    }

    /// Hands everything this wallet still holds to the DAO.
    pub fn hand_over_to_dao(&mut self) -> Result<HandOver, SdkError> {
        let wallet = self.payer.insecure_clone();
        bootstrap::hand_over_to_dao(self.backend.as_mut(), &wallet)
    }

    /// Pays `amount` tokens from the treasury to `recipient`'s token
    /// account; only while this wallet still owns the treasury (before the
    /// hand-over; afterwards the DAO pays by proposal).
    pub fn treasury_grant(
        &mut self,
        recipient: &Pubkey,
        amount: u64,
    ) -> Result<TxOutcome, SdkError> {
        let treasury = pda::treasury().0;
        let account = self.backend.account(&treasury)?;
        let owner = account
            .as_ref()
            .and_then(|account| token::token_account_owner(&account.data));
        if owner != Some(self.address()) {
            return Err(SdkError::Input(format!(
                "the treasury is owned by {}, not by this wallet; after the hand-over \
                 treasury grants are DAO proposals",
                owner.map_or("nobody (not deployed)".into(), |owner| owner.to_string())
            )));
        }
        let held = account
            .as_ref()
            .and_then(|account| token::token_account_amount(&account.data))
            .unwrap_or(0);
        if amount > held {
            let decimals = self.token_decimals()?;
            return Err(SdkError::Input(format!(
                "insufficient funds: the treasury holds {} tokens, less than the {} tokens \
                 of this grant (it fills as epochs are issued: `depin rewards issue`)",
                format_amount(held, decimals),
                format_amount(amount, decimals)
            )));
        }
        let destination = depin_sdk::rewards::token_account(recipient);
        let payer = self.address();
        self.send(
            &[
                depin_sdk::rewards::create_token_account(&payer, recipient),
                token::transfer(&treasury, &destination, &payer, amount),
            ],
            &[],
        )
    }

    /// The network's configuration and supply, read in one request.
    pub fn network_status(&self) -> Result<NetworkStatus, SdkError> {
        let dao = pda::dao_authority().0;
        let addresses = [
            pda::registry_config().0,
            pda::oracle_config().0,
            pda::rewards_config().0,
            pda::governance_config().0,
            pda::token_mint().0,
            pda::dc_mint().0,
            pda::treasury().0,
            pda::price_feed().0,
            dao,
        ];
        let accounts = self.backend.get_multiple_accounts(&addresses)?;
        let decode = |index: usize| -> Option<&[u8]> {
            accounts[index]
                .as_ref()
                .map(|account| account.data.as_slice())
        };
        fn anchor<T: anchor_lang::AccountDeserialize>(
            address: &Pubkey,
            data: Option<&[u8]>,
        ) -> Result<Option<T>, SdkError> {
            data.map(|data| depin_sdk::accounts::decode(address, data))
                .transpose()
        }
        let clock = self.backend.clock()?;
        let oracle: Option<OracleConfig> = anchor(&addresses[1], decode(1))?;
        let feed: Option<PriceFeed> = anchor(&addresses[7], decode(7))?;
        let price = match (&oracle, &feed) {
            (Some(oracle), Some(feed)) => feed.median(oracle, clock.unix_timestamp).ok(),
            _ => None,
        };
        Ok(NetworkStatus {
            registry: anchor(&addresses[0], decode(0))?,
            rewards: anchor(&addresses[2], decode(2))?,
            governance: anchor(&addresses[3], decode(3))?,
            token_supply: decode(4).and_then(token::mint_supply),
            dc_supply: decode(5).and_then(token::mint_supply),
            treasury_balance: decode(6).and_then(token::token_account_amount),
            treasury_owner: decode(6).and_then(token::token_account_owner),
            dao_authority: dao,
            dao_lamports: accounts[8].as_ref().map_or(0, |account| account.lamports),
            oracle,
            price,
            clock,
        })
    }
}

fn list(keys: &[Pubkey]) -> String {
    keys.iter()
        .map(Pubkey::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
