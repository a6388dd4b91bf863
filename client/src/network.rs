//! Deployment and the network's state.

use {
    crate::{
        backend::BackendExt,
        bootstrap::{self, HandOver, NetworkDeployment, NetworkPlan},
        Client,
    },
    depin_sdk::{
        accounts::{GovernanceConfig, OracleConfig, PriceFeed, RegistryConfig, RewardsConfig},
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

impl Client {
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
        let owner = self
            .backend
            .account(&treasury)?
            .and_then(|account| token::token_account_owner(&account.data));
        if owner != Some(self.address()) {
            return Err(SdkError::Input(format!(
                "the treasury is owned by {}, not by this wallet; after the hand-over \
                 treasury grants are DAO proposals",
                owner.map_or("nobody (not deployed)".into(), |owner| owner.to_string())
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
            dao_authority: dao,
            dao_lamports: accounts[8].as_ref().map_or(0, |account| account.lamports),
            oracle,
            price,
            clock,
        })
    }
}
