//! The demo's epochs: issuance, the oracles' prices and batch of simulated
//! work (what each device earned in the epoch, carried onto its rewards
//! recipient's total), wallet and oracle claims after the challenge window,
//! credits bought and spent; the ledger is checked after each.

use {
    super::{
        setup::{Demo, Fleet},
        PhaseStart,
    },
    anyhow::{anyhow, ensure, Context, Result},
    depin_client::backend::BackendExt,
    depin_sdk::{
        accounts::{EpochRewards, GovernanceConfig},
        pda,
        proofs::DeviceProof,
        rewards::UsagePurpose,
    },
    rand::Rng,
};

/// Share of devices offline in an epoch (they earn nothing).
const OFFLINE_PERCENT: u32 = 10;

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

    /// One epoch: issuance, a quorum of oracles votes for the batch of
    /// simulated work, wallets claim after the challenge window (a payout
    /// crank pays the rest in the last epoch), the voters claim their
    /// share, owners buy credits and spend them.
    pub(super) fn run_epoch(
        &mut self,
        epoch: u64,
        fleet: &mut Fleet,
        last: bool,
    ) -> Result<EpochRow> {
        let before = self.authority.rewards_config()?;
        let registry_before = self.authority.registry_config()?;
        let start = PhaseStart::now();
        self.warp_past_epoch(epoch, 1)?;
        self.post_prices()?;
        self.issue(epoch)?;
        self.phases.add("issuance and prices", start);
        let start = PhaseStart::now();
        let issued: EpochRewards = self.chain().fetch(&pda::epoch_rewards(epoch).0)?;

        // Simulated proofs of work: the epoch's device share divided by
        // work done; offline devices earn nothing and get no line. Each
        // line is what the device earned in this epoch; the oracles add it
        // to its rewards recipient's total of the previous final batch.
        let work: Vec<u64> = fleet
            .devices
            .iter()
            .map(|_| {
                if self.rng.gen_ratio(OFFLINE_PERCENT, 100) {
                    0
                } else {
                    self.rng.gen_range(1..=100)
                }
            })
            .collect();
        let total_work: u64 = work.iter().sum::<u64>().max(1);
        let mut proofs = Vec::with_capacity(fleet.devices.len());
        for ((device, units), line) in fleet.devices.iter().zip(&work).zip(1..) {
            let share = u128::from(issued.devices) * u128::from(*units) / u128::from(total_work);
            if *units > 0 {
                proofs.push(DeviceProof {
                    device_key: device.key,
                    amount: u64::try_from(share)?,
                    line,
                });
            }
        }
        let quorum = usize::from(self.oracle_config.quorum);
        let voters: Vec<usize> =
            rand::seq::index::sample(&mut self.rng, self.oracles.len(), quorum).into_vec();
        let batch = self.oracles[voters[0]]
            .build_batch(epoch, &proofs, self.previous_batch.as_ref())
            .context("building the batch")?;
        self.phases.add("building batches", start);
        let start = PhaseStart::now();
        let uri = format!("https://batches.example/epoch-{epoch}.bin");
        for index in &voters {
            self.oracles[*index]
                .submit_batch(&batch, &uri)
                .context("submitting a batch")?;
        }
        self.phases.add("oracle votes", start);
        let start = PhaseStart::now();

        // Past the challenge window, about half of the wallets owed claim,
        // each for its whole fleet in one transaction; in the last epoch a
        // payout crank then pays every wallet still owed.
        self.warp_past_epoch(epoch, 1 + self.oracle_config.challenge_window)?;
        let mut claims = 0;
        for wallet in fleet.wallets_mut() {
            let claiming = self.rng.gen_bool(0.5);
            let earned = batch
                .proof_for(&wallet.client.address())
                .map_or(0, |(_, leaf, _)| leaf.amount);
            if !claiming || earned <= wallet.claimed {
                continue;
            }
            let report = wallet
                .client
                .claim_rewards(&batch, None)
                .context("claiming rewards")?;
            ensure!(
                report.total() == earned - wallet.claimed,
                "a wallet was paid {} instead of the {} it was owed",
                report.total(),
                earned - wallet.claimed
            );
            wallet.claimed = earned;
            claims += report.paid.len() as u64;
        }
        self.phases.add("claims", start);
        let start = PhaseStart::now();
        if last {
            let report = self
                .authority
                .distribute_rewards(&batch, &mut |_, _| {})
                .context("paying out every wallet owed")?;
            for wallet in fleet.wallets_mut() {
                if let Some((_, leaf, _)) = batch.proof_for(&wallet.client.address()) {
                    wallet.claimed = leaf.amount;
                }
            }
            claims += report.paid.len() as u64;
        }
        for index in &voters {
            self.oracles[*index]
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
        self.previous_batch = Some(batch);
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
