//! Bootstrap of a fresh deployment: the fee mint, the registry, its device
//! classes and makers. `migrations/` and the CLI run this same code.

use {
    crate::backend::{Backend, BackendExt},
    depin_sdk::{
        device_registry::{self, AddMakerArgs, DeviceClassArgs},
        governance, pda, proof_oracle, rewards, token, Keypair, Pubkey, SdkError, Signer,
    },
    device_registry::state::RegistryConfig,
    governance::{instructions::InitializeGovernanceArgs, state::GovernanceConfig},
    proof_oracle::instructions::InitializeOracleArgs,
    rewards::{
        instructions::InitializeRewardsArgs,
        state::{BreakerParams, RewardsConfig, ScheduleEntry, Split},
    },
};

/// A maker to approve at bootstrap.
#[derive(Clone, Debug)]
pub struct MakerSpec {
    pub maker_key: Pubkey,
    pub name: String,
    pub device_quota: Option<u64>,
}

/// What to create.
#[derive(Clone, Debug)]
pub struct RegistryPlan {
    /// Decimals of the fee mint created when `fee_mint` is `None`.
    pub fee_decimals: u8,
    pub classes: Vec<DeviceClassArgs>,
    pub makers: Vec<MakerSpec>,
}

/// The standard device classes of a wireless network, fees in data credits.
pub fn default_classes() -> Vec<DeviceClassArgs> {
    vec![
        DeviceClassArgs {
            name: "wifi-indoor".into(),
            onboarding_fee: 40_000,
            location_fee: 10_000,
            maker_required: false,
            enabled: true,
        },
        DeviceClassArgs {
            name: "5g-outdoor".into(),
            onboarding_fee: 100_000,
            location_fee: 25_000,
            maker_required: true,
            enabled: true,
        },
        DeviceClassArgs {
            name: "lora-sensor".into(),
            onboarding_fee: 5_000,
            location_fee: 1_000,
            maker_required: false,
            enabled: true,
        },
    ]
}

/// The result of a bootstrap.
pub struct Deployment {
    pub fee_mint: Pubkey,
    pub config: RegistryConfig,
}

/// Creates the fee mint (authority: `authority`), initializes the registry
/// with `authority` in charge, then adds the plan's classes and makers.
///
/// Idempotent: steps whose result already exists are skipped, so rerunning
/// after an interruption finishes the bootstrap without duplicating
/// anything. Classes are matched by name, makers by key.
pub fn bootstrap_registry<B: Backend + ?Sized>(
    cluster: &mut B,
    deployer: &Keypair,
    authority: &Keypair,
    fee_mint: &Keypair,
    plan: &RegistryPlan,
) -> Result<Deployment, SdkError> {
    if !cluster.exists(&fee_mint.pubkey())? {
        let rent = cluster.minimum_balance_for_rent_exemption(token::MINT_LEN)?;
        cluster.send(
            &token::create_mint(
                &authority.pubkey(),
                &fee_mint.pubkey(),
                &authority.pubkey(),
                plan.fee_decimals,
                rent,
            ),
            authority,
            &[fee_mint],
        )?;
    }
    bootstrap_registry_with_mint(cluster, deployer, authority, fee_mint.pubkey(), plan)
}

/// `bootstrap_registry` with a fee mint that already exists (the rewards
/// program's data-credit mint in a full deployment).
pub fn bootstrap_registry_with_mint<B: Backend + ?Sized>(
    cluster: &mut B,
    deployer: &Keypair,
    authority: &Keypair,
    fee_mint: Pubkey,
    plan: &RegistryPlan,
) -> Result<Deployment, SdkError> {
    let config_address = pda::registry_config().0;
    initialize_once(cluster, deployer, &config_address, |deployer| {
        device_registry::initialize_registry(deployer, deployer, fee_mint, authority.pubkey())
    })?;
    let config: RegistryConfig = cluster.fetch(&config_address)?;
    for class in &plan.classes {
        if !config.classes.iter().any(|known| known.name == class.name) {
            cluster.send(
                &[device_registry::add_device_class(
                    authority.pubkey(),
                    class.clone(),
                )],
                authority,
                &[],
            )?;
        }
    }
    for maker in &plan.makers {
        if !holds_program_account(
            cluster,
            &pda::maker(&maker.maker_key).0,
            &device_registry::ID,
        )? {
            cluster.send(
                &[device_registry::add_maker(
                    authority.pubkey(),
                    authority.pubkey(),
                    AddMakerArgs {
                        maker_key: maker.maker_key,
                        name: maker.name.clone(),
                        device_quota: maker.device_quota,
                    },
                )],
                authority,
                &[],
            )?;
        }
    }
    Ok(Deployment {
        fee_mint,
        config: cluster.fetch(&config_address)?,
    })
}

/// Whether `address` holds an account of `program`. Lamports alone (anyone
/// may send some to any address) are not an initialized account.
fn holds_program_account<B: Backend + ?Sized>(
    cluster: &B,
    address: &Pubkey,
    program: &Pubkey,
) -> Result<bool, SdkError> {
    Ok(cluster
        .account(address)?
        .is_some_and(|account| account.owner == *program))
}

/// Sends the instruction `initialize(upgrade authority)` builds, signed and
/// paid by the upgrade authority, unless `address` already holds the
/// program's account. An address that only holds lamports (anyone can send
/// some to any address) is not initialized: the program's `init` takes it.
fn initialize_once<B: Backend + ?Sized>(
    cluster: &mut B,
    deployer: &Keypair,
    address: &Pubkey,
    initialize: impl FnOnce(Pubkey) -> crate::Instruction,
) -> Result<(), SdkError> {
    let instruction = initialize(deployer.pubkey());
    if !holds_program_account(cluster, address, &instruction.program_id)? {
        cluster.send(&[instruction], deployer, &[])?;
    }
    Ok(())
}

/// Oracle settings for daily epochs from `genesis_timestamp`: a one-hour
/// challenge window, three days to reach finality, prices fresh for ten
/// minutes, and a price needs as many fresh oracle prices as a batch needs
/// votes (the quorum).
pub fn daily_oracle_args(
    authority: Pubkey,
    oracles: Vec<Pubkey>,
    quorum: u8,
    genesis_timestamp: i64,
) -> InitializeOracleArgs {
    InitializeOracleArgs {
        authority,
        oracles,
        quorum,
        genesis_timestamp,
        epoch_length: proof_oracle::constants::DEFAULT_EPOCH_LENGTH,
        challenge_window: 3_600,
        finality_deadline: 3 * 86_400,
        price_max_staleness: 600,
        price_min_submissions: quorum,
    }
}

/// Initializes the proof oracle with `args`, unless it already is
/// (idempotent like the registry bootstrap).
pub fn bootstrap_oracle<B: Backend + ?Sized>(
    cluster: &mut B,
    deployer: &Keypair,
    args: &InitializeOracleArgs,
) -> Result<proof_oracle::state::OracleConfig, SdkError> {
    let address = pda::oracle_config().0;
    initialize_once(cluster, deployer, &address, |deployer| {
        depin_sdk::proof_oracle::initialize_oracle(deployer, deployer, args.clone())
    })?;
    cluster.fetch(&address)
}

/// Rewards settings of a young network: 6-decimal token capped at 10 billion;
/// 1,000,000 tokens per epoch for a year, then 500,000 (75 % devices, 5 %
/// oracles, 20 % treasury); burned tokens re-emitted over 30 epochs, at most
/// 100,000 per epoch; data credits priced 1 % under the oracle median; the
/// token breaker allows two epochs' worth per day, the credit breaker $10M of
/// credits per day.
pub fn default_rewards_args(authority: Pubkey, first_epoch: u64) -> InitializeRewardsArgs {
    const TOKEN: u64 = 1_000_000;
    let split = Split {
        devices_bps: 7_500,
        oracles_bps: 500,
        treasury_bps: 2_000,
    };
    InitializeRewardsArgs {
        authority,
        token_decimals: 6,
        max_supply: Some(10_000_000_000 * TOKEN),
        schedule: vec![
            ScheduleEntry {
                start_epoch: 0,
                tokens_per_epoch: 1_000_000 * TOKEN,
                split,
            },
            ScheduleEntry {
                start_epoch: 365,
                tokens_per_epoch: 500_000 * TOKEN,
                split,
            },
        ],
        first_epoch,
        net_emission_smoothing_epochs: 30,
        net_emission_cap: 100_000 * TOKEN,
        price_discount_bps: 100,
        token_breaker: BreakerParams {
            window_seconds: 86_400,
            limit: 2 * 1_100_000 * TOKEN,
        },
        dc_breaker: BreakerParams {
            window_seconds: 86_400,
            limit: 1_000_000_000_000,
        },
    }
}

/// Initializes the rewards program (unless it is) with the treasury owned by
/// `treasury_owner`, then attaches it to the registry if the registry
/// exists: the rewards PDA becomes the registry's `rewards_authority` and
/// the data-credit mint its fee mint (`registry_authority` signs).
/// Idempotent.
pub fn bootstrap_rewards<B: Backend + ?Sized>(
    cluster: &mut B,
    deployer: &Keypair,
    treasury_owner: &Pubkey,
    args: &InitializeRewardsArgs,
) -> Result<RewardsConfig, SdkError> {
    let address = pda::rewards_config().0;
    initialize_once(cluster, deployer, &address, |deployer| {
        depin_sdk::rewards::initialize_rewards(deployer, deployer, *treasury_owner, args.clone())
    })?;
    cluster.fetch(&address)
}

/// Points the registry's fees at the rewards program's data-credit mint.
/// Skips what is already so.
pub fn attach_rewards_to_registry<B: Backend + ?Sized>(
    cluster: &mut B,
    registry_authority: &Keypair,
) -> Result<RegistryConfig, SdkError> {
    let address = pda::registry_config().0;
    let config: RegistryConfig = cluster.fetch(&address)?;
    let dc_mint = pda::dc_mint().0;
    if config.fee_mint != dc_mint {
        cluster.send(
            &[device_registry::update_registry(
                registry_authority.pubkey(),
                None,
                Some(dc_mint),
            )],
            registry_authority,
            &[],
        )?;
    }
    cluster.fetch(&address)
}

/// Governance settings: the SDK's default voting power and rules, with
/// `min_proposal_power` to create a proposal, calling the suite's programs,
/// the system program and SPL Token.
pub fn default_governance_args(min_proposal_power: u128) -> InitializeGovernanceArgs {
    use depin_sdk::governance::*;
    InitializeGovernanceArgs {
        power: default_power_params(),
        rules: default_proposal_rules(min_proposal_power),
        allowed_programs: default_allowed_programs(),
    }
}

/// Initializes governance over the network token (unless it is already).
/// Idempotent.
pub fn bootstrap_governance<B: Backend + ?Sized>(
    cluster: &mut B,
    deployer: &Keypair,
    args: &InitializeGovernanceArgs,
) -> Result<GovernanceConfig, SdkError> {
    let address = pda::governance_config().0;
    initialize_once(cluster, deployer, &address, |deployer| {
        depin_sdk::governance::initialize_governance(
            deployer,
            deployer,
            pda::token_mint().0,
            args.clone(),
        )
    })?;
    cluster.fetch(&address)
}

/// What `hand_over_to_dao` changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HandOver {
    pub registry: bool,
    pub oracle: bool,
    pub rewards: bool,
    pub treasury: bool,
}

/// Gives the DAO authority everything `authority` still holds: the registry
/// config, the oracle set, the rewards config and the treasury token
/// account. Steps already done are skipped (idempotent); after it, only an
/// executed proposal can change the network.
pub fn hand_over_to_dao<B: Backend + ?Sized>(
    cluster: &mut B,
    authority: &Keypair,
) -> Result<HandOver, SdkError> {
    let dao = pda::dao_authority().0;
    let holder = authority.pubkey();
    let mut instructions = Vec::new();
    let mut done = HandOver::default();

    let registry: RegistryConfig = cluster.fetch(&pda::registry_config().0)?;
    if registry.authority == holder {
        instructions.push(device_registry::update_registry(holder, Some(dao), None));
        done.registry = true;
    }
    let oracle: proof_oracle::state::OracleConfig = cluster.fetch(&pda::oracle_config().0)?;
    if oracle.authority == holder {
        instructions.push(depin_sdk::proof_oracle::update_oracle_params(
            holder,
            proof_oracle::instructions::UpdateOracleParamsArgs {
                new_authority: Some(dao),
                ..Default::default()
            },
        ));
        done.oracle = true;
    }
    let rewards: RewardsConfig = cluster.fetch(&pda::rewards_config().0)?;
    if rewards.authority == holder {
        instructions.push(depin_sdk::rewards::update_rewards(
            holder,
            rewards::instructions::UpdateRewardsArgs {
                new_authority: Some(dao),
                ..Default::default()
            },
            None,
        ));
        done.rewards = true;
    }
    let treasury_owner = cluster
        .account(&rewards.treasury)?
        .and_then(|account| token::token_account_owner(&account.data));
    if treasury_owner == Some(holder) {
        instructions.push(token::set_account_owner(&rewards.treasury, &holder, &dao));
        done.treasury = true;
    }
    if !instructions.is_empty() {
        cluster.send(&instructions, authority, &[])?;
    }
    Ok(done)
}

/// The network before governance: the oracle, rewards (its treasury owned
/// by `treasury_owner`) and the registry charging its fees in data credits,
/// every authority held by `authority` (the plans' own `authority` fields
/// are replaced). The first steps of [`bootstrap_network`], and idempotent
/// like it: a registry already handed to someone else is left alone.
pub fn bootstrap_operations<B: Backend + ?Sized>(
    cluster: &mut B,
    deployer: &Keypair,
    authority: &Keypair,
    treasury_owner: &Pubkey,
    oracle: &InitializeOracleArgs,
    rewards: &InitializeRewardsArgs,
    registry: &RegistryPlan,
) -> Result<(), SdkError> {
    let holder = authority.pubkey();
    bootstrap_oracle(
        cluster,
        deployer,
        &InitializeOracleArgs {
            authority: holder,
            ..oracle.clone()
        },
    )?;
    let rewards_args = InitializeRewardsArgs {
        authority: holder,
        ..rewards.clone()
    };
    bootstrap_rewards(cluster, deployer, treasury_owner, &rewards_args)?;
    let registry_address = pda::registry_config().0;
    let registry_exists = holds_program_account(cluster, &registry_address, &device_registry::ID)?;
    let registry_held = registry_exists
        && cluster
            .fetch::<RegistryConfig>(&registry_address)?
            .authority
            == holder;
    if !registry_exists || registry_held {
        bootstrap_registry_with_mint(cluster, deployer, authority, pda::dc_mint().0, registry)?;
        attach_rewards_to_registry(cluster, authority)?;
    }
    Ok(())
}

/// Everything a fresh deployment needs, in bootstrap order.
#[derive(Clone, Debug)]
pub struct NetworkPlan {
    /// Its `authority` is replaced by the bootstrap authority.
    pub oracle: InitializeOracleArgs,
    /// Its `authority` is replaced by the bootstrap authority.
    pub rewards: InitializeRewardsArgs,
    pub registry: RegistryPlan,
    pub governance: InitializeGovernanceArgs,
    /// Lamports the DAO authority should hold for the rent of accounts that
    /// proposals create (topped up from the bootstrap authority).
    pub dao_lamports: u64,
    /// Hand every authority to the DAO at the end. Without it the bootstrap
    /// authority keeps them (to seed the first operators from the treasury,
    /// say) until [`hand_over_to_dao`] runs.
    pub hand_over: bool,
}

impl NetworkPlan {
    /// A network with daily epochs from `genesis_timestamp`, the default
    /// rewards, device classes and governance rules, and the given oracles.
    pub fn standard(
        oracles: Vec<Pubkey>,
        quorum: u8,
        genesis_timestamp: i64,
        min_proposal_power: u128,
    ) -> Self {
        Self {
            // The authorities are replaced by the bootstrap authority.
            oracle: daily_oracle_args(Pubkey::default(), oracles, quorum, genesis_timestamp),
            rewards: default_rewards_args(Pubkey::default(), 0),
            registry: RegistryPlan {
                fee_decimals: 0,
                classes: default_classes(),
                makers: vec![],
            },
            governance: default_governance_args(min_proposal_power),
            dao_lamports: 1_000_000_000,
            hand_over: true,
        }
    }
}

/// The state of a deployment after `bootstrap_network`.
pub struct NetworkDeployment {
    pub oracle: proof_oracle::state::OracleConfig,
    pub rewards: RewardsConfig,
    pub registry: RegistryConfig,
    pub governance: GovernanceConfig,
    /// What this run handed to the DAO (nothing on a rerun, or when the
    /// plan keeps the authorities).
    pub handed_over: HandOver,
}

/// The whole bootstrap of a deployment (what `migrations/` documents): the
/// oracle, rewards, the registry paying fees in data credits, governance,
/// the DAO authority's rent money, and the hand-over of every authority to
/// the DAO. `authority` holds everything until the last step.
///
/// Idempotent: every step whose result exists is skipped, so a bootstrap
/// interrupted anywhere is finished by running it again, and a rerun of a
/// finished one changes nothing.
pub fn bootstrap_network<B: Backend + ?Sized>(
    cluster: &mut B,
    deployer: &Keypair,
    authority: &Keypair,
    plan: &NetworkPlan,
) -> Result<NetworkDeployment, SdkError> {
    let holder = authority.pubkey();
    bootstrap_operations(
        cluster,
        deployer,
        authority,
        &holder,
        &plan.oracle,
        &plan.rewards,
        &plan.registry,
    )?;
    let registry_address = pda::registry_config().0;
    let governance = bootstrap_governance(cluster, deployer, &plan.governance)?;
    let dao = pda::dao_authority().0;
    let shortfall = plan.dao_lamports.saturating_sub(cluster.balance(&dao)?);
    if shortfall > 0 {
        cluster.send(
            &[anchor_lang::solana_program::system_instruction::transfer(
                &holder, &dao, shortfall,
            )],
            authority,
            &[],
        )?;
    }
    let handed_over = if plan.hand_over {
        hand_over_to_dao(cluster, authority)?
    } else {
        HandOver::default()
    };
    Ok(NetworkDeployment {
        oracle: cluster.fetch(&pda::oracle_config().0)?,
        rewards: cluster.fetch(&pda::rewards_config().0)?,
        registry: cluster.fetch(&registry_address)?,
        governance,
        handed_over,
    })
}
