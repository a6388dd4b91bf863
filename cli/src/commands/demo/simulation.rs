//! The demo's epochs: the simulated devices' reports, issuance and the
//! oracles' prices, the oracle nodes' batch (what each device earned in
//! the epoch, carried onto its rewards recipient's total), wallet claims
//! through the proof API and oracle claims after the challenge window,
//! credits bought and spent; the ledger is checked after each.

use {
    super::{
        oracles::OracleNetwork,
        setup::{Demo, Fleet},
        PhaseStart,
    },
    anyhow::{anyhow, ensure, Context, Result},
    depin_client::backend::BackendExt,
    depin_oracle::proof_api::{ProofApi, ProofApiError},
    depin_sdk::{
        accounts::{EpochRewards, GovernanceConfig},
        pda,
        rewards::UsagePurpose,
        Pubkey,
    },
    rand::Rng,
    std::collections::HashMap,
};

/// One row of the per-epoch table.
pub(super) struct EpochRow {
    pub(super) epoch: u64,
    pub(super) issued: EpochRewards,
    pub(super) tokens_burned: u64,
    pub(super) dc_minted: u64,
    pub(super) dc_burned: u64,
    pub(super) claimed: u64,
    /// Wallet claims paid (each pays a wallet for its whole fleet).
    pub(super) claims: u64,
    pub(super) price: u64,
    pub(super) supply: u64,
}

impl Demo {
    /// Moves the clock to `seconds` after the end of `epoch` (the oracle
    /// program's own epoch arithmetic).
    pub(super) fn warp_past_epoch(&mut self, epoch: u64, seconds: i64) -> Result<()> {
        let end = self
            .oracle_config
            .epoch_end(epoch)
            .map_err(|error| anyhow!("the end of epoch {epoch}: {error}"))?;
        let now = self.chain().clock()?.unix_timestamp;
        self.authority.warp(end + seconds - now)?;
        Ok(())
    }

    pub(super) fn issue(&mut self, epoch: u64) -> Result<()> {
        self.authority
            .issue_epoch(Some(epoch))
            .with_context(|| format!("issuing epoch {epoch}"))?;
        Ok(())
    }

    /// Every oracle posts the price, which drifts by up to ±5 % an epoch.
    pub(super) fn post_prices(&mut self) -> Result<()> {
        let drift = self.rng.gen_range(-500i64..=500);
        self.price = (self.price as i64 + self.price as i64 * drift / 10_000).max(1) as u64;
        for oracle in &mut self.oracles {
            oracle.submit_price(self.price).context("posting a price")?;
        }
        Ok(())
    }

    pub(super) fn token_supply(&self) -> u64 {
        self.chain().mint_supply(&pda::token_mint().0).unwrap_or(0)
    }

    pub(super) fn dc_supply(&self) -> u64 {
        self.chain().mint_supply(&pda::dc_mint().0).unwrap_or(0)
    }

    /// One epoch, as a network runs it: the devices report their work to
    /// every oracle node; the epoch ends and is issued; the nodes close it
    /// (the leader builds the batch, the followers recompute it and vote)
    /// and the batch becomes final by quorum, its amounts checked against
    /// the rule's model; past the challenge window about half of the
    /// wallets owed claim through the proof API (a payout crank pays the
    /// rest in the last epoch, from the bulk endpoint); the voters claim
    /// their share; owners buy credits and spend them.
    pub(super) fn run_epoch(
        &mut self,
        epoch: u64,
        fleet: &mut Fleet,
        network: &mut OracleNetwork,
        last: bool,
    ) -> Result<EpochRow> {
        let before = self.authority.rewards_config()?;
        let registry_before = self.authority.registry_config()?;
        let start = PhaseStart::now();
        self.report_epoch(network, epoch)?;
        self.phases
            .add("devices signing and sending reports", start);
        let start = PhaseStart::now();
        self.warp_past_epoch(epoch, 1)?;
        self.post_prices()?;
        // Anyone may crank issuance; the nodes would if nobody had.
        self.issue(epoch)?;
        self.phases.add("issuance and prices", start);
        let issued: EpochRewards = self.chain().fetch(&pda::epoch_rewards(epoch).0)?;

        let start = PhaseStart::now();
        let (batch, file) = self.close_epoch(network, epoch)?;
        self.phases
            .add("oracle nodes closing, checking, voting", start);
        let start = PhaseStart::now();
        self.check_against_model(network, &file, issued.devices)?;
        self.phases.add("ledger checks", start);

        // Past the challenge window, about half of the wallets owed claim,
        // each for its whole fleet in one transaction, with the leaf and
        // proof the proof API gives (checked against the chain first).
        let start = PhaseStart::now();
        let now = self.chain().clock()?.unix_timestamp;
        self.authority.warp(batch.challenge_ends_at + 1 - now)?;
        let api = ProofApi::new(&self.authority.proof_api()?);
        let mut claims = 0;
        for wallet in fleet.wallets_mut() {
            if !self.rng.gen_bool(0.5) {
                continue;
            }
            let answer = match api.claim(&wallet.client.address()) {
                Ok(answer) => answer,
                Err(ProofApiError::Refused { code, .. }) if code == "not_in_batch" => continue,
                Err(error) => return Err(error).context("asking the proof API"),
            };
            if answer.amount <= wallet.claimed {
                continue;
            }
            let claim = answer
                .to_claim()
                .map_err(|problem| anyhow!("{}: {problem}", api.base()))?;
            let report = wallet
                .client
                .claim_with_proof(claim)
                .context("claiming rewards")?;
            ensure!(
                report.total() == answer.amount - wallet.claimed,
                "a wallet was paid {} instead of the {} it was owed",
                report.total(),
                answer.amount - wallet.claimed
            );
            wallet.claimed = answer.amount;
            claims += report.paid.len() as u64;
        }
        self.phases.add("claims", start);
        let start = PhaseStart::now();
        if last {
            let answers = api
                .every_claim(&mut |_, _| {})
                .context("reading every claim from the proof API")?;
            let amounts: HashMap<Pubkey, u64> = answers
                .iter()
                .map(|answer| Ok((answer.to_claim()?.recipient, answer.amount)))
                .collect::<Result<_, String>>()
                .map_err(|problem| anyhow!("{}: {problem}", api.base()))?;
            let checked = answers
                .iter()
                .map(|answer| answer.to_claim().expect("converted above"))
                .collect();
            let report = self
                .authority
                .distribute_claims(checked, &mut |_, _| {})
                .context("paying out every wallet owed")?;
            for wallet in fleet.wallets_mut() {
                if let Some(amount) = amounts.get(&wallet.client.address()) {
                    wallet.claimed = *amount;
                }
            }
            claims += report.paid.len() as u64;
        }
        // The oracles whose votes made the batch final claim their share.
        for vote in batch
            .votes
            .iter()
            .filter(|vote| vote.commitment == batch.commitment)
        {
            let voter = self
                .oracles
                .iter_mut()
                .find(|oracle| oracle.address() == vote.oracle)
                .context("a vote from outside the demo's oracles")?;
            voter
                .claim_oracle_rewards(epoch)
                .context("claiming oracle rewards")?;
        }
        self.phases.add("payouts and oracle claims", start);
        let start = PhaseStart::now();

        // Users buy credits with some of their tokens and spend them.
        self.post_prices()?;
        for operator in &mut fleet.operators {
            let owner = operator.client.address();
            let offer = operator.client.balances(&owner)?.tokens / 10;
            if self.rng.gen_bool(0.5) && operator.client.quote_data_credits(offer).is_ok() {
                operator
                    .client
                    .mint_data_credits(offer)
                    .context("buying data credits")?;
            }
            let credits = operator.client.balances(&owner)?.credits;
            if credits > 0 {
                let spend = self.rng.gen_range(1..=credits.div_ceil(2));
                operator
                    .client
                    .burn_data_credits(spend, UsagePurpose::DataTransfer)
                    .context("spending data credits")?;
            }
        }
        self.phases.add("credits bought and spent", start);
        let start = PhaseStart::now();
        self.check_invariants()?;
        self.phases.add("ledger checks", start);
        let after = self.authority.rewards_config()?;
        let registry_after = self.authority.registry_config()?;
        Ok(EpochRow {
            epoch,
            issued,
            tokens_burned: after.tokens_burned - before.tokens_burned,
            dc_minted: after.dc_minted - before.dc_minted,
            dc_burned: after.dc_burned - before.dc_burned + registry_after.fees_burned
                - registry_before.fees_burned,
            claimed: after.device_claimed - before.device_claimed,
            claims,
            price: self.price,
            supply: self.token_supply(),
        })
    }

    /// The ledger against the mints and pools (what the tests check too).
    pub(super) fn check_invariants(&self) -> Result<()> {
        let config = self.authority.rewards_config()?;
        config
            .invariant()
            .map_err(|error| anyhow!("rewards invariant violated: {error}"))?;
        let registry = self.authority.registry_config()?;
        registry
            .invariant()
            .map_err(|error| anyhow!("registry invariant violated: {error}"))?;
        ensure!(
            self.token_supply() == config.tokens_minted - config.tokens_burned,
            "token supply {} ≠ minted {} − burned {}",
            self.token_supply(),
            config.tokens_minted,
            config.tokens_burned
        );
        ensure!(
            self.dc_supply() == config.dc_minted - config.dc_burned - registry.fees_burned,
            "credit supply {} ≠ minted {} − burned {} − fees {}",
            self.dc_supply(),
            config.dc_minted,
            config.dc_burned,
            registry.fees_burned
        );
        let chain = self.chain();
        ensure!(
            chain.token_balance(&pda::device_pool().0)?
                == config.device_issued - config.device_claimed
                && chain.token_balance(&pda::oracle_pool().0)?
                    == config.oracle_issued - config.oracle_claimed,
            "a pool's balance differs from issued − claimed"
        );
        if let Some(governance) =
            chain.fetch_optional::<GovernanceConfig>(&pda::governance_config().0)?
        {
            governance
                .invariant()
                .map_err(|error| anyhow!("governance invariant violated: {error}"))?;
            ensure!(
                chain.token_balance(&governance.vault)? == governance.total_locked,
                "the governance vault differs from the tokens locked in positions"
            );
        }
        Ok(())
    }
}
