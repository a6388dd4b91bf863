//! Bootstrap of a fresh deployment: the fee mint, the registry, its device
//! classes and makers. `migrations/` and the CLI run this same code.

use {
    crate::{
        embedded::EmbeddedCluster,
        pda,
        registry::{self, AddMakerArgs, DeviceClassArgs},
        token, Keypair, Pubkey, SdkError, Signer,
    },
    device_registry::state::RegistryConfig,
    proof_oracle::instructions::InitializeOracleArgs,
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
pub fn bootstrap_registry(
    cluster: &mut EmbeddedCluster,
    authority: &Keypair,
    fee_mint: &Keypair,
    plan: &RegistryPlan,
) -> Result<Deployment, SdkError> {
    let deployer = cluster.upgrade_authority().insecure_clone();
    if cluster.account(&fee_mint.pubkey()).is_none() {
        let rent = cluster.rent().minimum_balance(token::MINT_LEN);
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
    let config_address = pda::registry_config().0;
    if cluster.account(&config_address).is_none() {
        cluster.send(
            &[registry::initialize_registry(
                deployer.pubkey(),
                deployer.pubkey(),
                fee_mint.pubkey(),
                authority.pubkey(),
            )],
            &deployer,
            &[],
        )?;
    }
    let config: RegistryConfig = cluster.fetch(&config_address)?;
    for class in &plan.classes {
        if !config.classes.iter().any(|known| known.name == class.name) {
            cluster.send(
                &[registry::add_device_class(
                    authority.pubkey(),
                    class.clone(),
                )],
                authority,
                &[],
            )?;
        }
    }
    for maker in &plan.makers {
        if cluster.account(&pda::maker(&maker.maker_key).0).is_none() {
            cluster.send(
                &[registry::add_maker(
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
        fee_mint: fee_mint.pubkey(),
        config: cluster.fetch(&config_address)?,
    })
}

/// Oracle settings for daily epochs from `genesis_timestamp`: a one-hour
/// challenge window, three days to reach finality, prices fresh for ten
/// minutes, one price needed.
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
        price_min_submissions: 1,
    }
}

/// Initializes the proof oracle with `args`, unless it already is
/// (idempotent like the registry bootstrap).
pub fn bootstrap_oracle(
    cluster: &mut EmbeddedCluster,
    args: &InitializeOracleArgs,
) -> Result<proof_oracle::state::OracleConfig, SdkError> {
    let address = pda::oracle_config().0;
    if cluster.account(&address).is_none() {
        let deployer = cluster.upgrade_authority().insecure_clone();
        cluster.send(
            &[crate::oracle::initialize_oracle(
                deployer.pubkey(),
                deployer.pubkey(),
                args.clone(),
            )],
            &deployer,
            &[],
        )?;
    }
    cluster.fetch(&address)
}
