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
        accounts::{Device, DeviceClass, Maker, RegistryConfig, DEVICE_OWNER_OFFSET},
        device_registry::{
            self,
            constants::{
                MAX_CLASS_NAME_LEN, MAX_DEVICE_CLASSES, MAX_MAKER_NAME_LEN, MAX_METADATA_LEN,
            },
            AddMakerArgs, DeviceClassArgs, DeviceStatus, FeeAccounts, RegisterDeviceAccounts,
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

/// One device of [`Client::register_devices`].
pub struct DeviceToRegister<'a> {
    /// The device's keypair: it signs (proof of possession).
    pub device: &'a Keypair,
    /// The class's name.
    pub class: &'a str,
    /// The maker, for classes that need its signature.
    pub maker: Option<&'a Keypair>,
    pub location: Option<u64>,
    pub metadata: Vec<u8>,
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
    /// named `class`, owned by this wallet, which pays the class's
    /// onboarding fee in data credits. A `location` given here is free:
    /// only later moves ([`Client::update_location`]) pay the location fee.
    /// `metadata` is at most [`MAX_METADATA_LEN`] (32) bytes.
    pub fn register_device(
        &mut self,
        device: &Keypair,
        class: &str,
        maker: Option<&Keypair>,
        location: Option<u64>,
        metadata: Vec<u8>,
    ) -> Result<Registration, SdkError> {
        check_metadata(&metadata)?;
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
        // The program burns the onboarding fee only, location or not.
        let fee = config.classes[class_id].onboarding_fee;
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

    /// Registers many devices owned by this wallet, as many per transaction
    /// as fit (version 0 through the network's lookup table when there is
    /// one; each device signs its own registration). Everything is checked
    /// before anything is sent: known classes, metadata sizes, devices not
    /// yet registered nor listed twice, and credits for every fee together.
    /// Returns the transactions; `progress(devices_done, total)` after
    /// each.
    pub fn register_devices(
        &mut self,
        devices: &[DeviceToRegister],
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<TxOutcome>, SdkError> {
        let config = self.registry_config()?;
        let fees = self.fee_accounts(&config);
        let owner = self.address();
        let mut seen = std::collections::HashSet::with_capacity(devices.len());
        let mut total_fee = 0u64;
        let mut groups = Vec::with_capacity(devices.len());
        for (line, entry) in devices.iter().enumerate() {
            check_metadata(&entry.metadata)?;
            let device_key = entry.device.pubkey();
            if !seen.insert(device_key) {
                return Err(SdkError::Input(format!(
                    "device {device_key} is listed twice (entry {})",
                    line + 1
                )));
            }
            let class_id = config
                .classes
                .iter()
                .position(|known| known.name == entry.class)
                .ok_or_else(|| {
                    SdkError::Input(format!(
                        "entry {}: unknown device class '{}'",
                        line + 1,
                        entry.class
                    ))
                })?;
            total_fee = total_fee
                .checked_add(config.classes[class_id].onboarding_fee)
                .ok_or_else(|| SdkError::Input("the fees overflow".into()))?;
            let instruction = device_registry::register_device(
                &RegisterDeviceAccounts {
                    payer: owner,
                    owner,
                    device_key,
                    maker_key: entry.maker.map(Signer::pubkey),
                    fee_mint: fees.fee_mint,
                    fee_account: fees.fee_account,
                    token_program: fees.token_program,
                },
                RegisterDeviceArgs {
                    class_id: class_id as u8,
                    location: entry.location,
                    metadata: entry.metadata.clone(),
                },
            );
            let mut signers = vec![entry.device];
            signers.extend(entry.maker);
            groups.push((vec![instruction], signers));
        }
        let addresses: Vec<Pubkey> = devices
            .iter()
            .map(|entry| pda::device(&entry.device.pubkey()).0)
            .collect();
        let existing = self.backend.get_multiple_accounts(&addresses)?;
        if let Some(position) = existing.iter().position(Option::is_some) {
            return Err(SdkError::Input(format!(
                "device {} is already registered (entry {})",
                devices[position].device.pubkey(),
                position + 1
            )));
        }
        self.check_fee(&fees, total_fee, "registering these devices")?;
        self.send_packed_signed(&groups, progress)
    }

    /// The registry's device classes; a class's id is its index.
    pub fn device_classes(&self) -> Result<Vec<DeviceClass>, SdkError> {
        Ok(self.registry_config()?.classes)
    }

    /// Every maker ever approved (revoked ones too), by id.
    pub fn makers(&self) -> Result<Vec<Maker>, SdkError> {
        let mut makers: Vec<Maker> = self
            .program_accounts_of::<Maker>(&device_registry::ID, Vec::new())?
            .into_iter()
            .map(|(_, maker)| maker)
            .collect();
        makers.sort_by_key(|maker| maker.id);
        Ok(makers)
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

    /// The device, if this wallet owns it; refused with its owner otherwise.
    pub fn owned_device(&self, device_key: &Pubkey) -> Result<Device, SdkError> {
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

    /// The device, if this wallet owns it and it is active: a suspended
    /// device can be neither moved, transferred nor retired until the
    /// registry authority reinstates it.
    pub fn changeable_device(&self, device_key: &Pubkey) -> Result<Device, SdkError> {
        let device = self.owned_device(device_key)?;
        if device.status == DeviceStatus::Suspended {
            return Err(SdkError::Input(format!(
                "device {device_key} is suspended: its owner can neither move, transfer nor \
                 retire it until the registry authority reinstates it"
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
        let device = self.changeable_device(device_key)?;
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
        self.changeable_device(device_key)?;
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

    /// Points a device's rewards at `recipient` (the owner's own address
    /// resets it): the oracles attribute each epoch's rewards to the
    /// recipient recorded when the epoch closes, and that wallet claims
    /// them with the rest of its fleet. The owner signs; the recipient does
    /// not. The default address, and the recipient already set, are refused
    /// before sending.
    pub fn set_rewards_recipient(
        &mut self,
        device_key: &Pubkey,
        recipient: &Pubkey,
    ) -> Result<TxOutcome, SdkError> {
        let device = self.owned_device(device_key)?;
        if *recipient == Pubkey::default() {
            return Err(SdkError::Input(
                "the default address cannot receive rewards (no one could claim them)".into(),
            ));
        }
        if device.rewards_recipient == *recipient {
            return Err(SdkError::Input(format!(
                "device {device_key} already pays its rewards to {recipient}"
            )));
        }
        let owner = self.address();
        self.send(
            &[device_registry::set_rewards_recipient(
                owner,
                *device_key,
                *recipient,
            )],
            &[],
        )
    }

    /// Retires a device for good (its account is closed, rent refunded).
    pub fn retire_device(&mut self, device_key: &Pubkey) -> Result<TxOutcome, SdkError> {
        self.changeable_device(device_key)?;
        let owner = self.address();
        self.send(&[device_registry::retire_device(owner, *device_key)], &[])
    }

    /// Suspends (a suspended device earns nothing, and its owner can
    /// neither move, transfer nor retire it) or reinstates a device: the
    /// registry authority's `set_device_status`, or a DAO proposal carrying
    /// it once the DAO holds the registry.
    pub fn set_device_status(
        &mut self,
        device_key: &Pubkey,
        status: DeviceStatus,
    ) -> Result<AdminOutcome, SdkError> {
        let device = self.device(device_key)?;
        if device.status == status {
            return Err(SdkError::Input(format!(
                "device {device_key} is already {}",
                status_name(status)
            )));
        }
        let verb = match status {
            DeviceStatus::Active => "Reinstate",
            DeviceStatus::Suspended => "Suspend",
        };
        self.administer(&format!("{verb} device {}", device.serial), |authority| {
            device_registry::set_device_status(authority, *device_key, status)
        })
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
        check_name("maker name", name, MAX_MAKER_NAME_LEN)?;
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

    /// Adds a device class (name of 1 to [`MAX_CLASS_NAME_LEN`] bytes; a
    /// registry holds at most [`MAX_DEVICE_CLASSES`]).
    pub fn add_device_class(&mut self, class: DeviceClassArgs) -> Result<AdminOutcome, SdkError> {
        check_name("class name", &class.name, MAX_CLASS_NAME_LEN)?;
        let config = self.registry_config()?;
        if config.classes.iter().any(|known| known.name == class.name) {
            return Err(SdkError::Input(format!(
                "device class '{}' already exists",
                class.name
            )));
        }
        if config.classes.len() >= MAX_DEVICE_CLASSES {
            return Err(SdkError::Input(format!(
                "the registry already holds {} device classes, the most it can; \
                 disable one with `depin class update <NAME> … --disabled` instead",
                config.classes.len()
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

/// "active" or "suspended".
pub fn status_name(status: DeviceStatus) -> &'static str {
    match status {
        DeviceStatus::Active => "active",
        DeviceStatus::Suspended => "suspended",
    }
}

/// The program's name rule (1 to `max` bytes of UTF-8), said before sending.
fn check_name(what: &str, name: &str, max: usize) -> Result<(), SdkError> {
    if name.is_empty() || name.len() > max {
        return Err(SdkError::Input(format!(
            "{what} '{name}' is {} bytes; it must be 1 to {max} bytes (UTF-8)",
            name.len()
        )));
    }
    Ok(())
}

/// Device metadata is at most [`MAX_METADATA_LEN`] bytes (e.g. a SHA-256).
fn check_metadata(metadata: &[u8]) -> Result<(), SdkError> {
    if metadata.len() > MAX_METADATA_LEN {
        return Err(SdkError::Input(format!(
            "metadata is {} bytes; a device holds at most {MAX_METADATA_LEN} bytes \
             (e.g. a SHA-256 of a document kept off-chain)",
            metadata.len()
        )));
    }
    Ok(())
}
