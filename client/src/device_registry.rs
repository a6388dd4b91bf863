//! The device registry: operators register, move, transfer and retire
//! devices; the registry authority (or the DAO, by proposal) approves
//! makers and device classes.

use {
    crate::{
        backend::{AccountFilter, BackendExt},
        governance::AdminOutcome,
        require_account, Client,
    },
    depin_sdk::{
        accounts::{Device, Maker, RegistryConfig, DEVICE_OWNER_OFFSET},
        device_registry::{
            self, AddMakerArgs, DeviceClassArgs, FeeAccounts, RegisterDeviceAccounts,
            RegisterDeviceArgs, UpdateMakerArgs,
        },
        pda, token, Instruction, Keypair, Pubkey, SdkError, Signer, TxOutcome,
    },
};

/// A registered device and the transaction that registered it.
pub struct Registration {
    pub device: Device,
    pub outcome: TxOutcome,
}

impl Client {
    pub fn registry_config(&self) -> Result<RegistryConfig, SdkError> {
        require_account(
            &*self.backend,
            &pda::registry_config().0,
            "the device registry (run `depin network init`)",
        )
    }

    fn fee_accounts(&self, config: &RegistryConfig) -> FeeAccounts {
        let token_program = if config.fee_mint == pda::dc_mint().0 {
            token::TOKEN_2022_PROGRAM_ID
        } else {
            token::SPL_TOKEN_PROGRAM_ID
        };
        FeeAccounts {
            fee_mint: config.fee_mint,
            fee_account: token::associated_token_address(
                &self.address(),
                &config.fee_mint,
                &token_program,
            ),
            token_program,
        }
    }

    /// Refuses early, with the amounts, when the wallet cannot pay `fee`.
    fn check_fee(&self, fees: &FeeAccounts, fee: u64, what: &str) -> Result<(), SdkError> {
        let balance = self.backend.token_balance(&fees.fee_account)?;
        if balance < fee {
            return Err(SdkError::Input(format!(
                "insufficient data credits: {what} costs {fee} DC and this wallet holds \
                 {balance} DC (buy some with `depin credits buy`)"
            )));
        }
        Ok(())
    }

    /// Registers `device` (its key signs: proof of possession) in the class
    /// named `class`, owned by this wallet, which pays the onboarding fee
    /// (and the location fee if `location` is given) in data credits.
    pub fn register_device(
        &mut self,
        device: &Keypair,
        class: &str,
        maker: Option<&Keypair>,
        location: Option<u64>,
        metadata: Vec<u8>,
    ) -> Result<Registration, SdkError> {
        let config = self.registry_config()?;
        let class_id = config
            .classes
            .iter()
            .position(|known| known.name == class)
            .ok_or_else(|| {
                let names: Vec<&str> = config.classes.iter().map(|c| c.name.as_str()).collect();
                SdkError::Input(format!(
                    "unknown device class '{class}'; the registry has: {}",
                    names.join(", ")
                ))
            })?;
        let device_key = device.pubkey();
        if self.backend.exists(&pda::device(&device_key).0)? {
            return Err(SdkError::Input(format!(
                "device {device_key} is already registered"
            )));
        }
        let fees = self.fee_accounts(&config);
        let class_info = &config.classes[class_id];
        let fee = class_info
            .onboarding_fee
            .saturating_add(if location.is_some() {
                class_info.location_fee
            } else {
                0
            });
        self.check_fee(&fees, fee, "registering this device")?;
        let owner = self.address();
        let instruction = device_registry::register_device(
            &RegisterDeviceAccounts {
                payer: owner,
                owner,
                device_key,
                maker_key: maker.map(Signer::pubkey),
                fee_mint: fees.fee_mint,
                fee_account: fees.fee_account,
                token_program: fees.token_program,
            },
            RegisterDeviceArgs {
                class_id: class_id as u8,
                location,
                metadata,
            },
        );
        let mut signers = vec![device];
        signers.extend(maker);
        let outcome = self.send(&[instruction], &signers)?;
        Ok(Registration {
            device: self.device(&device_key)?,
            outcome,
        })
    }

    /// The device registered under `device_key`.
    pub fn device(&self, device_key: &Pubkey) -> Result<Device, SdkError> {
        self.backend
            .fetch_optional(&pda::device(device_key).0)?
            .ok_or_else(|| {
                SdkError::Input(format!("unknown device {device_key}: it is not registered"))
            })
    }

    /// Every device `owner` owns (`getProgramAccounts` with a memcmp on the
    /// owner field), by serial.
    pub fn devices_of(&self, owner: &Pubkey) -> Result<Vec<Device>, SdkError> {
        let mut devices: Vec<Device> = self
            .program_accounts_of::<Device>(
                &device_registry::ID,
                vec![AccountFilter::Memcmp {
                    offset: DEVICE_OWNER_OFFSET,
                    bytes: owner.to_bytes().to_vec(),
                }],
            )?
            .into_iter()
            .map(|(_, device)| device)
            .collect();
        devices.sort_by_key(|device| device.serial);
        Ok(devices)
    }

    fn owned_device(&self, device_key: &Pubkey) -> Result<Device, SdkError> {
        let device = self.device(device_key)?;
        if device.owner != self.address() {
            return Err(SdkError::Input(format!(
                "device {device_key} is owned by {}, not by this wallet ({})",
                device.owner,
                self.address()
            )));
        }
        Ok(device)
    }

    /// Moves a device to the H3 cell `location`, paying the class's
    /// location fee.
    pub fn update_location(
        &mut self,
        device_key: &Pubkey,
        location: u64,
    ) -> Result<TxOutcome, SdkError> {
        let device = self.owned_device(device_key)?;
        let config = self.registry_config()?;
        let fees = self.fee_accounts(&config);
        let fee = config
            .classes
            .get(usize::from(device.class_id))
            .map_or(0, |class| class.location_fee);
        self.check_fee(&fees, fee, "moving this device")?;
        let owner = self.address();
        self.send(
            &[device_registry::update_location(
                owner,
                *device_key,
                fees,
                location,
            )],
            &[],
        )
    }

    pub fn transfer_device(
        &mut self,
        device_key: &Pubkey,
        new_owner: &Pubkey,
    ) -> Result<TxOutcome, SdkError> {
        self.owned_device(device_key)?;
        let owner = self.address();
        self.send(
            &[device_registry::transfer_device(
                owner,
                *device_key,
                *new_owner,
            )],
            &[],
        )
    }

    /// Retires a device for good (its account is closed, rent refunded).
    pub fn retire_device(&mut self, device_key: &Pubkey) -> Result<TxOutcome, SdkError> {
        self.owned_device(device_key)?;
        let owner = self.address();
        self.send(&[device_registry::retire_device(owner, *device_key)], &[])
    }

    /// Applies a registry change directly if this wallet holds the registry
    /// authority, or proposes it to the DAO if the DAO does.
    fn administer(
        &mut self,
        title: &str,
        build: impl Fn(Pubkey) -> Instruction,
    ) -> Result<AdminOutcome, SdkError> {
        let config = self.registry_config()?;
        if config.authority == self.address() {
            let instruction = build(self.address());
            return self.send(&[instruction], &[]).map(AdminOutcome::Applied);
        }
        let dao = pda::dao_authority().0;
        if config.authority != dao {
            return Err(SdkError::Input(format!(
                "the registry authority is {}: neither this wallet nor the DAO",
                config.authority
            )));
        }
        let instruction = build(dao);
        self.create_proposal(
            title,
            "Registry change proposed with the depin CLI.",
            &[instruction],
        )
        .map(AdminOutcome::Proposed)
    }

    pub fn add_maker(
        &mut self,
        maker_key: Pubkey,
        name: &str,
        device_quota: Option<u64>,
    ) -> Result<AdminOutcome, SdkError> {
        if self.backend.exists(&pda::maker(&maker_key).0)? {
            return Err(SdkError::Input(format!(
                "maker {maker_key} is already approved"
            )));
        }
        let args = AddMakerArgs {
            maker_key,
            name: name.to_string(),
            device_quota,
        };
        self.administer(&format!("Approve maker {name}"), |authority| {
            device_registry::add_maker(authority, authority, args.clone())
        })
    }

    /// Changes a maker's quota or revokes/reinstates it.
    pub fn update_maker(
        &mut self,
        maker_key: Pubkey,
        device_quota: Option<Option<u64>>,
        approved: Option<bool>,
    ) -> Result<AdminOutcome, SdkError> {
        let maker: Maker = self
            .backend
            .fetch_optional(&pda::maker(&maker_key).0)?
            .ok_or_else(|| SdkError::Input(format!("unknown maker {maker_key}")))?;
        let args = UpdateMakerArgs {
            name: maker.name.clone(),
            device_quota: device_quota.unwrap_or(maker.device_quota),
            approved: approved.unwrap_or(maker.approved),
        };
        self.administer(&format!("Update maker {}", maker.name), |authority| {
            device_registry::update_maker(authority, maker_key, args.clone())
        })
    }

    pub fn add_device_class(&mut self, class: DeviceClassArgs) -> Result<AdminOutcome, SdkError> {
        let config = self.registry_config()?;
        if config.classes.iter().any(|known| known.name == class.name) {
            return Err(SdkError::Input(format!(
                "device class '{}' already exists",
                class.name
            )));
        }
        self.administer(&format!("Add device class {}", class.name), |authority| {
            device_registry::add_device_class(authority, class.clone())
        })
    }

    /// Replaces the settings of the class named `class.name`.
    pub fn update_device_class(
        &mut self,
        class: DeviceClassArgs,
    ) -> Result<AdminOutcome, SdkError> {
        let config = self.registry_config()?;
        let class_id = config
            .classes
            .iter()
            .position(|known| known.name == class.name)
            .ok_or_else(|| SdkError::Input(format!("unknown device class '{}'", class.name)))?;
        self.administer(
            &format!("Update device class {}", class.name),
            |authority| {
                device_registry::update_device_class(authority, class_id as u8, class.clone())
            },
        )
    }
}
