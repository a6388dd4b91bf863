//! Shared fixtures for the integration tests: a bootstrapped registry on the
//! embedded runtime, funded operators, an oracle network, and assertions on
//! program errors and on the attacks every instruction refuses (`attacks`).

pub mod attacks;
pub mod dao;
pub mod idl;
pub mod network;
pub mod proof_oracle;

pub use attacks::*;

use {
    ::proof_oracle::error::OracleError,
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_client::{
        bootstrap::{bootstrap_registry, RegistryPlan},
        embedded::{Account, EmbeddedCluster},
    },
    depin_sdk::{
        device_registry::{self, DeviceClassArgs, RegisterDeviceAccounts, RegisterDeviceArgs},
        errors::CUSTOM_ERROR_OFFSET,
        pda, token, Instruction, Keypair, Pubkey, SdkError, Signer, TransactionError, TxOutcome,
    },
    device_registry::error::RegistryError,
    governance::error::GovernanceError,
    rewards::error::RewardsError,
    solana_instruction_error::InstructionError,
};

pub const SOL: u64 = 1_000_000_000;
/// Fee tokens each operator starts with.
pub const OPERATOR_FEE_TOKENS: u64 = 1_000_000;
/// A valid resolution-12 cell (San Francisco) and a neighbour.
pub const SF_CELL: u64 = 0x8c2830828052dff;
pub const SF_CELL_2: u64 = 0x8c283082805a7ff;

/// The system program's `AccountAlreadyInUse`: what creating an account that
/// exists (a second initialization or registration) fails with.
pub const SYSTEM_ACCOUNT_ALREADY_IN_USE: u32 = 0;

pub const CLASS_OPEN: u8 = 0;
pub const CLASS_MAKER: u8 = 1;
pub const OPEN_ONBOARDING_FEE: u64 = 40_000;
pub const OPEN_LOCATION_FEE: u64 = 10_000;
pub const MAKER_ONBOARDING_FEE: u64 = 50_000;
pub const MAKER_LOCATION_FEE: u64 = 5_000;

/// A bootstrapped registry: fee mint, config, one open class (0), one class
/// that needs a maker (1), and one approved maker with a quota of 3.
pub struct Registry {
    pub cluster: EmbeddedCluster,
    pub authority: Keypair,
    pub fee_mint: Keypair,
    pub maker: Keypair,
}

/// A device owner with SOL and fee tokens.
pub struct Operator {
    pub keypair: Keypair,
    pub fee_account: Pubkey,
}

impl Operator {
    pub fn pubkey(&self) -> Pubkey {
        self.keypair.pubkey()
    }
}

impl Registry {
    /// A fee mint and a registry without classes or makers.
    pub fn empty() -> Self {
        let mut cluster = EmbeddedCluster::new();
        let authority = Keypair::new();
        let fee_mint = Keypair::new();
        cluster.airdrop(&authority.pubkey(), 100 * SOL).unwrap();
        let plan = RegistryPlan {
            fee_decimals: 0,
            classes: vec![],
            makers: vec![],
        };
        let deployer = cluster.upgrade_authority().insecure_clone();
        bootstrap_registry(&mut cluster, &deployer, &authority, &fee_mint, &plan).unwrap();
        Self {
            cluster,
            authority,
            fee_mint,
            maker: Keypair::new(),
        }
    }

    /// The standard fixture (see the type's docs).
    pub fn new() -> Self {
        let mut registry = Self::empty();
        registry.add_class(open_class()).unwrap();
        registry.add_class(maker_class()).unwrap();
        let maker = registry.maker.pubkey();
        registry.add_maker(maker, "Acme Radios", Some(3)).unwrap();
        registry
    }

    /// The standard fixture with an operator and a device it registered.
    pub fn with_device() -> (Self, Operator, Keypair) {
        let mut registry = Self::new();
        let operator = registry.operator();
        let device = registry.new_device(&operator);
        (registry, operator, device)
    }

    /// Sends one instruction paid and signed by `operator`.
    pub fn send_as(
        &mut self,
        operator: &Operator,
        instruction: Instruction,
    ) -> Result<TxOutcome, SdkError> {
        self.cluster.send(&[instruction], &operator.keypair, &[])
    }

    /// A new device registered by `operator` in the open class.
    pub fn new_device(&mut self, operator: &Operator) -> Keypair {
        let device = Keypair::new();
        self.register(operator, &device).unwrap();
        device
    }

    pub fn authority_send(&mut self, instruction: Instruction) -> Result<TxOutcome, SdkError> {
        let authority = self.authority.insecure_clone();
        self.cluster.send(&[instruction], &authority, &[])
    }

    pub fn add_class(&mut self, class: DeviceClassArgs) -> Result<TxOutcome, SdkError> {
        self.authority_send(device_registry::add_device_class(
            self.authority.pubkey(),
            class,
        ))
    }

    pub fn add_maker(
        &mut self,
        maker_key: Pubkey,
        name: &str,
        quota: Option<u64>,
    ) -> Result<TxOutcome, SdkError> {
        let authority = self.authority.pubkey();
        self.authority_send(device_registry::add_maker(
            authority,
            authority,
            device_registry::AddMakerArgs {
                maker_key,
                name: name.into(),
                device_quota: quota,
            },
        ))
    }

    /// A new owner with 10 SOL and `OPERATOR_FEE_TOKENS` fee tokens.
    pub fn operator(&mut self) -> Operator {
        self.operator_with_tokens(OPERATOR_FEE_TOKENS)
    }

    pub fn operator_with_tokens(&mut self, tokens: u64) -> Operator {
        let keypair = Keypair::new();
        self.cluster.airdrop(&keypair.pubkey(), 10 * SOL).unwrap();
        let fee_account = token::associated_token_address(
            &keypair.pubkey(),
            &self.fee_mint.pubkey(),
            &anchor_spl::token::ID,
        );
        let mut instructions = vec![token::create_associated_token_account(
            &self.authority.pubkey(),
            &keypair.pubkey(),
            &self.fee_mint.pubkey(),
            &anchor_spl::token::ID,
        )];
        if tokens > 0 {
            instructions.push(token::mint_to(
                &self.fee_mint.pubkey(),
                &fee_account,
                &self.authority.pubkey(),
                tokens,
            ));
        }
        let authority = self.authority.insecure_clone();
        self.cluster.send(&instructions, &authority, &[]).unwrap();
        Operator {
            keypair,
            fee_account,
        }
    }

    pub fn register_accounts(
        &self,
        operator: &Operator,
        device: &Keypair,
    ) -> RegisterDeviceAccounts {
        RegisterDeviceAccounts {
            payer: operator.pubkey(),
            owner: operator.pubkey(),
            device_key: device.pubkey(),
            maker_key: None,
            fee_mint: self.fee_mint.pubkey(),
            fee_account: operator.fee_account,
            token_program: anchor_spl::token::ID,
        }
    }

    pub fn fees(&self, operator: &Operator) -> device_registry::FeeAccounts {
        device_registry::FeeAccounts {
            fee_mint: self.fee_mint.pubkey(),
            fee_account: operator.fee_account,
            token_program: anchor_spl::token::ID,
        }
    }

    /// Sends one instruction paid by `operator` and signed by `signers` too.
    pub fn send_signed(
        &mut self,
        operator: &Operator,
        instruction: Instruction,
        signers: &[&Keypair],
    ) -> Result<TxOutcome, SdkError> {
        self.cluster
            .send(&[instruction], &operator.keypair, signers)
    }

    /// `operator`'s registration of `device` with `args` (no maker).
    pub fn registration(
        &self,
        operator: &Operator,
        device: &Keypair,
        args: RegisterDeviceArgs,
    ) -> Instruction {
        device_registry::register_device(&self.register_accounts(operator, device), args)
    }

    /// Registers `device` with `args` (no maker), signed by the device.
    pub fn register_with(
        &mut self,
        operator: &Operator,
        device: &Keypair,
        args: RegisterDeviceArgs,
    ) -> Result<TxOutcome, SdkError> {
        let instruction = self.registration(operator, device, args);
        self.send_signed(operator, instruction, &[device])
    }

    /// Registers `device` in the open class at `SF_CELL`.
    pub fn register(
        &mut self,
        operator: &Operator,
        device: &Keypair,
    ) -> Result<TxOutcome, SdkError> {
        let args = RegisterDeviceArgs {
            class_id: CLASS_OPEN,
            location: Some(SF_CELL),
            metadata: vec![7; 32],
        };
        self.register_with(operator, device, args)
    }

    /// Registers `device` in the maker class, co-signed by the maker.
    pub fn register_with_maker(
        &mut self,
        operator: &Operator,
        device: &Keypair,
        maker: &Keypair,
    ) -> Result<TxOutcome, SdkError> {
        let instruction = self.maker_registration(operator, device, &maker.pubkey());
        self.send_signed(operator, instruction, &[device, maker])
    }

    /// `operator`'s registration of `device` in the maker class, attested
    /// by `maker_key` (who must co-sign).
    pub fn maker_registration(
        &self,
        operator: &Operator,
        device: &Keypair,
        maker_key: &Pubkey,
    ) -> Instruction {
        let mut accounts = self.register_accounts(operator, device);
        accounts.maker_key = Some(*maker_key);
        let args = RegisterDeviceArgs {
            class_id: CLASS_MAKER,
            location: None,
            metadata: vec![],
        };
        device_registry::register_device(&accounts, args)
    }

    pub fn config(&self) -> depin_sdk::accounts::RegistryConfig {
        self.cluster.fetch(&pda::registry_config().0).unwrap()
    }

    pub fn device(&self, device_key: &Pubkey) -> depin_sdk::accounts::Device {
        self.cluster.fetch(&pda::device(device_key).0).unwrap()
    }

    /// The raw device account of `device_key` (which must exist).
    pub fn device_account(&self, device_key: &Pubkey) -> Account {
        self.cluster.account(&pda::device(device_key).0).unwrap()
    }

    /// Whether `device_key` has a device account (registered, not retired).
    pub fn device_exists(&self, device_key: &Pubkey) -> bool {
        self.cluster.account(&pda::device(device_key).0).is_some()
    }

    pub fn maker_account(&self, maker_key: &Pubkey) -> depin_sdk::accounts::Maker {
        self.cluster.fetch(&pda::maker(maker_key).0).unwrap()
    }
}

impl Default for Registry {
    fn default() -> Self {
        Self::new()
    }
}

pub fn open_class() -> DeviceClassArgs {
    DeviceClassArgs {
        name: "wifi-indoor".into(),
        onboarding_fee: OPEN_ONBOARDING_FEE,
        location_fee: OPEN_LOCATION_FEE,
        maker_required: false,
        enabled: true,
    }
}

pub fn maker_class() -> DeviceClassArgs {
    DeviceClassArgs {
        name: "5g-outdoor".into(),
        onboarding_fee: MAKER_ONBOARDING_FEE,
        location_fee: MAKER_LOCATION_FEE,
        maker_required: true,
        enabled: true,
    }
}

/// The instruction error of a failed transaction.
pub fn instruction_error(result: Result<TxOutcome, SdkError>) -> (u8, InstructionError) {
    match result {
        Ok(outcome) => panic!("transaction succeeded ({outcome}) but should have failed"),
        Err(SdkError::TransactionFailed(failure)) => match failure.error {
            TransactionError::InstructionError(index, error) => (index, error),
            other => panic!("expected an instruction error, got: {other}"),
        },
        Err(other) => panic!("expected an instruction error, got: {other}"),
    }
}

/// Asserts the transaction failed with this registry error.
#[track_caller]
pub fn assert_registry_error(result: Result<TxOutcome, SdkError>, expected: RegistryError) {
    assert_program_error(result, expected);
}

/// Asserts the transaction failed with this proof-oracle error.
#[track_caller]
pub fn assert_oracle_error(result: Result<TxOutcome, SdkError>, expected: OracleError) {
    assert_program_error(result, expected);
}

/// Asserts the transaction failed with this rewards error.
#[track_caller]
pub fn assert_rewards_error(result: Result<TxOutcome, SdkError>, expected: RewardsError) {
    assert_program_error(result, expected);
}

/// Asserts the transaction failed with this governance error.
#[track_caller]
pub fn assert_governance_error(result: Result<TxOutcome, SdkError>, expected: GovernanceError) {
    assert_program_error(result, expected);
}

/// Asserts the transaction failed with this Anchor framework error.
#[track_caller]
pub fn assert_anchor_error(result: Result<TxOutcome, SdkError>, expected: AnchorErrorCode) {
    assert_program_error(result, expected);
}

/// Asserts the transaction failed with a custom error of a non-Anchor
/// program (e.g. the system program's `AccountAlreadyInUse` = 0).
#[track_caller]
pub fn assert_custom_error(result: Result<TxOutcome, SdkError>, code: u32) {
    let (_, error) = instruction_error(result);
    assert!(code < CUSTOM_ERROR_OFFSET || code >= 6000);
    assert_eq!(error, InstructionError::Custom(code));
}

/// Asserts the transaction was refused before running: a missing signature.
#[track_caller]
pub fn assert_signing_refused(result: Result<TxOutcome, SdkError>) {
    match result {
        Err(SdkError::Signing(_)) => {}
        Ok(outcome) => panic!("transaction succeeded ({outcome}) but should have failed"),
        Err(other) => panic!("expected a signing failure, got: {other}"),
    }
}

/// Marks `account` as not signing in `instruction` (what a malicious or
/// buggy client could send), so the program's own signer check is tested.
pub fn strip_signer(mut instruction: Instruction, account: &Pubkey) -> Instruction {
    for meta in &mut instruction.accounts {
        if meta.pubkey == *account {
            meta.is_signer = false;
        }
    }
    instruction
}

/// Replaces every occurrence of `from` with `to` in `instruction`'s accounts.
pub fn substitute(mut instruction: Instruction, from: &Pubkey, to: &Pubkey) -> Instruction {
    for meta in &mut instruction.accounts {
        if meta.pubkey == *from {
            meta.pubkey = *to;
        }
    }
    instruction
}

/// Rewrites an Anchor account in place (to set counters to extremes that
/// real use would take centuries to reach).
pub fn poke<T>(cluster: &mut EmbeddedCluster, address: &Pubkey, change: impl FnOnce(&mut T))
where
    T: anchor_lang::AccountDeserialize + anchor_lang::AccountSerialize,
{
    let mut account = cluster.account(address).expect("account to poke exists");
    let mut value: T = depin_sdk::accounts::decode(address, &account.data).unwrap();
    change(&mut value);
    let mut data = Vec::with_capacity(account.data.len());
    value.try_serialize(&mut data).unwrap();
    data.resize(account.data.len(), 0);
    account.data = data;
    cluster.svm_mut().set_account(*address, account).unwrap();
}

/// A fresh embedded cluster with a funded keypair (10 SOL) that is the mint
/// authority of a new SPL mint with `decimals`.
pub fn cluster_with_mint(decimals: u8) -> (EmbeddedCluster, Keypair, Pubkey) {
    let mut cluster = EmbeddedCluster::new();
    let authority = Keypair::new();
    cluster.airdrop(&authority.pubkey(), 10 * SOL).unwrap();
    let mint = create_mint(&mut cluster, &authority, decimals);
    (cluster, authority, mint)
}

/// A new SPL mint with `decimals` whose mint authority is `authority`, who
/// pays for it: a look-alike of a real mint, or a mint of one's own.
pub fn create_mint(cluster: &mut EmbeddedCluster, authority: &Keypair, decimals: u8) -> Pubkey {
    let mint = Keypair::new();
    let rent = cluster.rent().minimum_balance(token::MINT_LEN);
    cluster
        .send(
            &token::create_mint(
                &authority.pubkey(),
                &mint.pubkey(),
                &authority.pubkey(),
                decimals,
                rent,
            ),
            authority,
            &[&mint],
        )
        .unwrap();
    mint.pubkey()
}
