//! A whole network on the embedded runtime: proof oracle, rewards (network
//! token and data credits) and the device registry paying fees in data
//! credits, all under one authority.

use {
    crate::{open_class, proof_oracle::GENESIS, SF_CELL, SOL},
    depin_client::{
        bootstrap::{bootstrap_operations, daily_oracle_args, default_rewards_args, RegistryPlan},
        embedded::EmbeddedCluster,
    },
    depin_sdk::{
        accounts::{Device, EpochBatch, EpochRewards, OracleConfig, RewardsConfig},
        batch::{BatchFile, DeviceReward},
        device_registry::{self, FeeAccounts, RegisterDeviceAccounts, RegisterDeviceArgs},
        merkle::Leaf,
        pda, proof_oracle,
        rewards::{self, state::RecipientRecord, InitializeRewardsArgs, UsagePurpose, WalletClaim},
        token, Instruction, Keypair, Pubkey, SdkError, Signer, TxOutcome,
    },
};

/// One whole network token (6 decimals).
pub const TOKEN: u64 = 1_000_000;
/// Token price the oracles post: $2.00 (micro-USD per token).
pub const PRICE: u64 = 2_000_000;

pub struct Network {
    pub cluster: EmbeddedCluster,
    pub authority: Keypair,
    pub oracles: Vec<Keypair>,
    pub treasury_owner: Keypair,
    /// Network tokens and credits holders burned outside the programs
    /// (`burn_directly`), which the ledger cannot see.
    pub tokens_burned_outside: u64,
    pub dc_burned_outside: u64,
}

/// A device owner with SOL, network tokens and data credits.
pub struct Member {
    pub keypair: Keypair,
}

impl Member {
    pub fn pubkey(&self) -> Pubkey {
        self.keypair.pubkey()
    }
    pub fn token_account(&self) -> Pubkey {
        rewards::token_account(&self.pubkey())
    }
    pub fn dc_account(&self) -> Pubkey {
        rewards::dc_account(&self.pubkey())
    }
    /// Registry fees paid from the member's data credits.
    pub fn fees(&self) -> FeeAccounts {
        FeeAccounts {
            fee_mint: pda::dc_mint().0,
            fee_account: self.dc_account(),
            token_program: token::TOKEN_2022_PROGRAM_ID,
        }
    }
    /// The member's registration of `device` in the open class at
    /// `location`, paying the fee in data credits.
    pub fn registration(&self, device: &Keypair, location: Option<u64>) -> Instruction {
        let fees = self.fees();
        device_registry::register_device(
            &RegisterDeviceAccounts {
                payer: self.pubkey(),
                owner: self.pubkey(),
                device_key: device.pubkey(),
                maker_key: None,
                fee_mint: fees.fee_mint,
                fee_account: fees.fee_account,
                token_program: fees.token_program,
            },
            RegisterDeviceArgs {
                class_id: 0,
                location,
                metadata: vec![],
            },
        )
    }
}

impl Network {
    /// Three oracles, quorum two, daily epochs from `GENESIS`; the default
    /// rewards settings from epoch 0; the open device class.
    pub fn new() -> Self {
        Self::with_rewards(|_| {})
    }

    pub fn with_rewards(customize: impl FnOnce(&mut InitializeRewardsArgs)) -> Self {
        let mut cluster = EmbeddedCluster::new();
        let deployer = cluster.upgrade_authority().insecure_clone();
        cluster.warp_to_timestamp(GENESIS);
        let authority = Keypair::new();
        let treasury_owner = Keypair::new();
        let oracles: Vec<Keypair> = (0..3).map(|_| Keypair::new()).collect();
        for key in oracles.iter().chain([&authority, &treasury_owner]) {
            cluster.airdrop(&key.pubkey(), 100 * SOL).unwrap();
        }
        let mut args = default_rewards_args(authority.pubkey(), 0);
        customize(&mut args);
        let plan = RegistryPlan {
            fee_decimals: 0,
            classes: vec![open_class()],
            makers: vec![],
        };
        // The deployment's own bootstrap, without governance (`Dao` adds it)
        // and with the treasury owned by a key of its own.
        bootstrap_operations(
            &mut cluster,
            &deployer,
            &authority,
            &treasury_owner.pubkey(),
            &daily_oracle_args(
                authority.pubkey(),
                oracles.iter().map(Signer::pubkey).collect(),
                2,
                GENESIS,
            ),
            &args,
            &plan,
        )
        .unwrap();
        Self {
            cluster,
            authority,
            oracles,
            treasury_owner,
            tokens_burned_outside: 0,
            dc_burned_outside: 0,
        }
    }

    /// `member` burns `tokens` network tokens and `dc` credits straight
    /// through the token programs, as a wallet's burn button does.
    pub fn burn_directly(
        &mut self,
        member: &Member,
        tokens: u64,
        dc: u64,
    ) -> Result<TxOutcome, SdkError> {
        let owner = member.keypair.insecure_clone();
        let mut instructions = Vec::new();
        if tokens > 0 {
            instructions.push(token::burn(
                &token::SPL_TOKEN_PROGRAM_ID,
                &member.token_account(),
                &pda::token_mint().0,
                &owner.pubkey(),
                tokens,
            ));
        }
        if dc > 0 {
            instructions.push(token::burn(
                &token::TOKEN_2022_PROGRAM_ID,
                &member.dc_account(),
                &pda::dc_mint().0,
                &owner.pubkey(),
                dc,
            ));
        }
        let outcome = self.cluster.send(&instructions, &owner, &[])?;
        self.tokens_burned_outside += tokens;
        self.dc_burned_outside += dc;
        Ok(outcome)
    }

    pub fn send(
        &mut self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<TxOutcome, SdkError> {
        self.cluster.send(instructions, payer, signers)
    }

    /// Sends one instruction paid and signed by `member`.
    pub fn send_as(
        &mut self,
        member: &Member,
        instruction: Instruction,
    ) -> Result<TxOutcome, SdkError> {
        let owner = member.keypair.insecure_clone();
        self.cluster.send(&[instruction], &owner, &[])
    }

    pub fn authority_send(&mut self, instruction: Instruction) -> Result<TxOutcome, SdkError> {
        let authority = self.authority.insecure_clone();
        self.cluster.send(&[instruction], &authority, &[])
    }

    /// Moves the clock to `seconds` after the end of `epoch` (the oracle
    /// program's own epoch arithmetic).
    pub fn after_epoch(&mut self, epoch: u64, seconds: i64) {
        let end = self
            .oracle_config()
            .epoch_end(epoch)
            .expect("epoch in range");
        self.cluster.warp_to_timestamp(end + seconds);
    }

    pub fn now(&self) -> i64 {
        self.cluster.clock().unix_timestamp
    }

    /// Moves the clock `seconds` ahead.
    pub fn warp(&mut self, seconds: i64) {
        let now = self.now();
        self.cluster.warp_to_timestamp(now + seconds);
    }

    pub fn config(&self) -> RewardsConfig {
        self.cluster.fetch(&pda::rewards_config().0).unwrap()
    }

    pub fn epoch_rewards(&self, epoch: u64) -> EpochRewards {
        self.cluster.fetch(&pda::epoch_rewards(epoch).0).unwrap()
    }

    pub fn device(&self, device_key: &Pubkey) -> Device {
        self.cluster.fetch(&pda::device(device_key).0).unwrap()
    }

    pub fn oracle_config(&self) -> OracleConfig {
        self.cluster.fetch(&pda::oracle_config().0).unwrap()
    }

    pub fn epoch_batch(&self, epoch: u64) -> EpochBatch {
        self.cluster.fetch(&pda::epoch_batch(epoch).0).unwrap()
    }

    /// Ends epoch 0 and issues it, so the treasury holds tokens.
    pub fn launch(&mut self) {
        self.after_epoch(0, 1);
        self.issue(0).unwrap();
    }

    /// A member funded with `tokens` from the treasury, after the oracles
    /// post `PRICE`.
    pub fn funded_member(&mut self, tokens: u64) -> Member {
        let member = self.member();
        self.fund_tokens(&member.pubkey(), tokens);
        self.submit_price(PRICE);
        member
    }

    /// Oracle `index` claims its share of `epoch` into its token account
    /// (created if needed).
    pub fn claim_oracle(&mut self, index: usize, epoch: u64) -> Result<TxOutcome, SdkError> {
        let oracle = self.oracles[index].insecure_clone();
        let owner = oracle.pubkey();
        self.cluster.send(
            &[
                rewards::create_token_account(&owner, &owner),
                rewards::claim_oracle_rewards(owner, epoch, rewards::token_account(&owner)),
            ],
            &oracle,
            &[],
        )
    }

    pub fn issue(&mut self, epoch: u64) -> Result<TxOutcome, SdkError> {
        let payer = self.treasury_owner.insecure_clone();
        let treasury = self.config().treasury;
        self.cluster.send(
            &[rewards::issue_epoch(payer.pubkey(), epoch, treasury)],
            &payer,
            &[],
        )
    }

    /// Every oracle posts `price`.
    pub fn submit_price(&mut self, price: u64) {
        for index in 0..self.oracles.len() {
            let oracle = self.oracles[index].insecure_clone();
            self.cluster
                .send(
                    &[proof_oracle::submit_price(oracle.pubkey(), price)],
                    &oracle,
                    &[],
                )
                .unwrap();
        }
    }

    /// Pays `amount` network tokens from the treasury to `owner` (creating
    /// its token account).
    pub fn fund_tokens(&mut self, owner: &Pubkey, amount: u64) {
        let treasury_owner = self.treasury_owner.insecure_clone();
        let destination = rewards::token_account(owner);
        self.cluster
            .send(
                &[
                    rewards::create_token_account(&treasury_owner.pubkey(), owner),
                    token::transfer(
                        &pda::treasury().0,
                        &destination,
                        &treasury_owner.pubkey(),
                        amount,
                    ),
                ],
                &treasury_owner,
                &[],
            )
            .unwrap();
    }

    /// A member with 10 SOL and token and credit accounts (empty).
    pub fn member(&mut self) -> Member {
        let keypair = Keypair::new();
        self.cluster.airdrop(&keypair.pubkey(), 10 * SOL).unwrap();
        let payer = keypair.insecure_clone();
        self.cluster
            .send(
                &[
                    rewards::create_token_account(&payer.pubkey(), &payer.pubkey()),
                    rewards::create_dc_account(&payer.pubkey(), &payer.pubkey()),
                ],
                &payer,
                &[],
            )
            .unwrap();
        Member { keypair }
    }

    pub fn buy_dc(&mut self, member: &Member, tokens: u64) -> Result<TxOutcome, SdkError> {
        let owner = member.keypair.insecure_clone();
        self.cluster.send(
            &[rewards::mint_data_credits(
                owner.pubkey(),
                member.dc_account(),
                tokens,
            )],
            &owner,
            &[],
        )
    }

    pub fn spend_dc(
        &mut self,
        member: &Member,
        amount: u64,
        purpose: UsagePurpose,
    ) -> Result<TxOutcome, SdkError> {
        let owner = member.keypair.insecure_clone();
        self.cluster.send(
            &[rewards::burn_data_credits(owner.pubkey(), amount, purpose)],
            &owner,
            &[],
        )
    }

    pub fn token_balance(&self, owner: &Pubkey) -> u64 {
        self.cluster.token_balance(&rewards::token_account(owner))
    }

    pub fn dc_balance(&self, owner: &Pubkey) -> u64 {
        self.cluster.token_balance(&rewards::dc_account(owner))
    }

    /// Registers `device` for `member` in the open class, paying the fee
    /// in data credits.
    pub fn register(&mut self, member: &Member, device: &Keypair) -> Result<TxOutcome, SdkError> {
        let instruction = member.registration(device, Some(SF_CELL));
        let owner = member.keypair.insecure_clone();
        self.cluster.send(&[instruction], &owner, &[device])
    }

    /// A member funded with `tokens`, `dc_tokens` of which buy credits, and
    /// a device it registered with them.
    pub fn member_with_device(&mut self, tokens: u64, dc_tokens: u64) -> (Member, Keypair) {
        let member = self.funded_member(tokens);
        self.buy_dc(&member, dc_tokens).unwrap();
        let device = Keypair::new();
        self.register(&member, &device).unwrap();
        (member, device)
    }

    /// Makes `batch` final for its epoch with the votes of the first
    /// `votes` oracles (the clock must be past the epoch's end).
    pub fn finalize(&mut self, batch: &BatchFile, votes: usize) {
        for index in 0..votes {
            self.vote(batch, index);
        }
    }

    /// Oracle `index` votes for `batch`.
    pub fn vote(&mut self, batch: &BatchFile, index: usize) {
        let oracle = self.oracles[index].insecure_clone();
        self.cluster
            .send(
                &[proof_oracle::submit_batch(
                    oracle.pubkey(),
                    batch.epoch(),
                    batch.commitment(),
                    format!("https://batches.example/{}.bin", batch.epoch()),
                )],
                &oracle,
                &[],
            )
            .unwrap();
    }

    /// Claims `recipient`'s leaf of `batch` into its token account (created
    /// first if missing), submitted and paid by `payer`: the wallet itself
    /// or anyone cranking payouts.
    pub fn claim(
        &mut self,
        batch: &BatchFile,
        recipient: &Pubkey,
        payer: &Keypair,
    ) -> Result<TxOutcome, SdkError> {
        let claim = rewards::claim_from_batch(batch, recipient).expect("wallet has a leaf");
        self.cluster.send(
            &rewards::claim_rewards_with_account(payer.pubkey(), claim),
            payer,
            &[],
        )
    }

    /// `owner` points `device_key`'s rewards at `recipient`.
    pub fn set_recipient(
        &mut self,
        owner: &Member,
        device_key: &Pubkey,
        recipient: &Pubkey,
    ) -> Result<TxOutcome, SdkError> {
        let instruction =
            device_registry::set_rewards_recipient(owner.pubkey(), *device_key, *recipient);
        self.send_as(owner, instruction)
    }

    /// What `(device, amount earned this epoch)` pairs become when the
    /// oracles close an epoch now: each attributed to the device's rewards
    /// recipient as recorded on chain, under its registration serial.
    pub fn device_rewards(&self, amounts: &[(Pubkey, u64)]) -> Vec<DeviceReward> {
        amounts
            .iter()
            .map(|(device_key, amount)| {
                let device = self.device(device_key);
                DeviceReward {
                    device_key: *device_key,
                    serial: device.serial,
                    amount: *amount,
                    recipient: device.rewards_recipient,
                }
            })
            .collect()
    }

    /// The batch of `epoch` the oracles build now: `previous` (the last
    /// final batch) plus this epoch's `(device, amount)` rewards attributed
    /// as in [`Network::device_rewards`].
    pub fn batch(
        &self,
        epoch: u64,
        previous: Option<&BatchFile>,
        amounts: &[(Pubkey, u64)],
    ) -> BatchFile {
        BatchFile::build(epoch, previous, self.device_rewards(amounts)).unwrap()
    }

    /// `wallet`'s recipient record, if it has claimed.
    pub fn recipient_record(&self, wallet: &Pubkey) -> Option<RecipientRecord> {
        let address = pda::recipient_record(wallet).0;
        self.cluster
            .account(&address)
            .map(|_| self.cluster.fetch(&address).unwrap())
    }

    /// What `wallet` has been paid in device rewards (its record's total).
    pub fn claimed(&self, wallet: &Pubkey) -> u64 {
        self.recipient_record(wallet)
            .map_or(0, |record| record.claimed)
    }

    pub fn token_supply(&self) -> u64 {
        self.cluster.mint_supply(&pda::token_mint().0).unwrap()
    }

    pub fn dc_supply(&self) -> u64 {
        self.cluster.mint_supply(&pda::dc_mint().0).unwrap()
    }

    /// The ledger invariants, checked from outside against the mints and
    /// pools: supply = minted − burned for both mints (registry fee burns
    /// and burns outside the programs included), pools hold issued −
    /// claimed (− swept for the oracle pool); the cap binds both the ledger
    /// and the supply.
    #[track_caller]
    pub fn assert_invariants(&self) {
        let config = self.config();
        let registry = self
            .cluster
            .fetch::<depin_sdk::accounts::RegistryConfig>(&pda::registry_config().0)
            .unwrap();
        assert!(config.device_claimed <= config.device_issued);
        assert!(config.oracle_claimed + config.oracle_swept <= config.oracle_issued);
        assert_eq!(
            config.device_issued + config.oracle_issued + config.treasury_issued,
            config.tokens_minted
        );
        assert_eq!(
            self.token_supply(),
            config.tokens_minted - config.tokens_burned - self.tokens_burned_outside,
            "token supply = minted − burned (for credits and outside)"
        );
        assert_eq!(
            self.dc_supply(),
            config.dc_minted - config.dc_burned - registry.fees_burned - self.dc_burned_outside,
            "credit supply = minted − burned (usage, registry fees and outside)"
        );
        assert_eq!(
            self.cluster.token_balance(&pda::device_pool().0),
            config.device_issued - config.device_claimed
        );
        assert_eq!(
            self.cluster.token_balance(&pda::oracle_pool().0),
            config.oracle_issued - config.oracle_claimed - config.oracle_swept
        );
        assert!(config.tokens_reemitted <= config.tokens_burned);
        if let Some(max) = config.max_supply {
            assert!(self.token_supply() <= max);
            assert!(config.tokens_minted - config.tokens_burned <= max);
        }
    }
}

impl Default for Network {
    fn default() -> Self {
        Self::new()
    }
}

/// A batch of bare wallet leaves `(wallet, cumulative amount)`, without
/// per-device detail: what a batch commits to on chain, for tests that set
/// a wallet's amount directly (the programs never see the detail).
pub fn wallet_batch(epoch: u64, amounts: &[(Pubkey, u64)]) -> BatchFile {
    let leaves = amounts
        .iter()
        .map(|(wallet, amount)| Leaf {
            recipient: wallet.to_bytes(),
            amount: *amount,
        })
        .collect();
    BatchFile::new(epoch, leaves, vec![]).unwrap()
}

/// Epoch 1 issued; a member owning three devices, the first two earning
/// 300 and 700 tokens for the member's wallet, the third pointed at
/// `payee` (a wallet with no lamports and no accounts at all) and earning
/// 250; the batch of epoch 1 with two wallet leaves (member 1,000, payee
/// 250), final and past its challenge window; a funded cranker that sends
/// the claims.
pub struct Claims {
    pub network: Network,
    pub member: Member,
    pub payee: Keypair,
    pub devices: Vec<Keypair>,
    pub batch: BatchFile,
    pub cranker: Keypair,
}

impl Claims {
    /// The member's wallet amount in the batch.
    pub const MEMBER_AMOUNT: u64 = 1_000 * TOKEN;
    /// The payee's wallet amount in the batch.
    pub const PAYEE_AMOUNT: u64 = 250 * TOKEN;

    pub fn new() -> Self {
        let mut network = Network::new();
        network.launch();
        let (member, first) = network.member_with_device(10 * TOKEN, 10 * TOKEN);
        let devices = vec![first, Keypair::new(), Keypair::new()];
        for device in &devices[1..] {
            network.register(&member, device).unwrap();
        }
        let payee = Keypair::new();
        network
            .set_recipient(&member, &devices[2].pubkey(), &payee.pubkey())
            .unwrap();
        network.after_epoch(1, 1);
        network.issue(1).unwrap();
        let amounts: Vec<(Pubkey, u64)> = devices
            .iter()
            .zip([300 * TOKEN, 700 * TOKEN, Self::PAYEE_AMOUNT])
            .map(|(device, amount)| (device.pubkey(), amount))
            .collect();
        let batch = network.batch(1, None, &amounts);
        network.finalize(&batch, 2);
        network.after_epoch(1, 2 * 3_600);
        let cranker = Keypair::new();
        network.cluster.airdrop(&cranker.pubkey(), SOL).unwrap();
        Self {
            network,
            member,
            payee,
            devices,
            batch,
            cranker,
        }
    }

    /// `wallet`'s claim against the batch.
    pub fn claim_of(&self, wallet: &Pubkey) -> WalletClaim {
        rewards::claim_from_batch(&self.batch, wallet).unwrap()
    }

    /// The member's claim against the batch.
    pub fn member_claim(&self) -> WalletClaim {
        self.claim_of(&self.member.pubkey())
    }

    /// The payee's claim against the batch.
    pub fn payee_claim(&self) -> WalletClaim {
        self.claim_of(&self.payee.pubkey())
    }

    /// Sends `claim` with the recipient's token account created if
    /// missing, paid by the cranker.
    pub fn send(&mut self, claim: WalletClaim) -> Result<TxOutcome, SdkError> {
        let cranker = self.cranker.insecure_clone();
        self.network.send(
            &rewards::claim_rewards_with_account(cranker.pubkey(), claim),
            &cranker,
            &[],
        )
    }

    /// Sends `instructions` paid (and signed) by the cranker.
    pub fn send_raw(&mut self, instructions: &[Instruction]) -> Result<TxOutcome, SdkError> {
        let cranker = self.cranker.insecure_clone();
        self.network.send(instructions, &cranker, &[])
    }
}

impl Default for Claims {
    fn default() -> Self {
        Self::new()
    }
}
