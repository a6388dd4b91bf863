//! `depin device`, `depin maker`, `depin class`: the device registry
//! (`depin_client::device_registry`). Operators register, move, transfer and
//! retire devices; makers, device classes and device suspensions are applied
//! directly while the wallet holds the registry and proposed to the DAO once
//! the DAO does.

use {
    super::{parse_pubkey, report_admin, with_client},
    crate::context::{read_keypair, Context},
    anyhow::{bail, Context as _, Result},
    clap::{Args, Subcommand},
    comfy_table::Table,
    depin_client::{device_registry::status_name, DeviceToRegister},
    depin_sdk::{
        accounts::{Device, DeviceClass, Maker},
        device_registry::{
            constants::{
                MAX_CLASS_NAME_LEN, MAX_DEVICE_CLASSES, MAX_MAKER_NAME_LEN, MAX_METADATA_LEN,
            },
            DeviceClassArgs, DeviceStatus,
        },
        location, Keypair, Pubkey, Signer,
    },
    serde_json::{json, Value},
    std::path::{Path, PathBuf},
};

#[derive(Subcommand)]
pub enum DeviceCommand {
    /// Sign a report with the device's key and send it to the network's
    /// oracles: a heartbeat, or units of service delivered.
    #[command(subcommand)]
    Report(super::device_report::ReportCommand),
    /// Run a fleet of simulated devices that send signed heartbeats and
    /// usage reports to every oracle (some offline or misbehaving).
    Simulate(super::device_simulate::SimulateArgs),
    /// Register a device owned by the wallet; the device key signs (proof
    /// of possession) and the wallet pays the class's onboarding fee in data
    /// credits (a --location given here costs nothing more).
    #[command(visible_alias = "register-device")]
    Register(RegisterArgs),
    /// Register many devices owned by the wallet from a CSV file, several
    /// per transaction (each device signs its own registration): lines of
    /// `device_keypair,class[,location][,metadata]`, `#` comments and an
    /// optional header; keypair paths relative to the file's folder.
    /// Every line, the classes and the credits for all the fees are checked
    /// before anything is sent.
    #[command(visible_alias = "register-devices")]
    RegisterMany {
        /// The CSV file.
        file: PathBuf,
        /// The maker's keypair file, for classes that need a maker's
        /// signature.
        #[arg(long)]
        maker_keypair: Option<PathBuf>,
    },
    /// One device.
    Show {
        /// The device's address (or its keypair file).
        #[arg(value_parser = parse_pubkey)]
        device: Pubkey,
    },
    /// The devices an owner holds (default: the wallet).
    List {
        /// Whose devices (address or keypair file; default: the wallet).
        #[arg(long, value_parser = parse_pubkey)]
        owner: Option<Pubkey>,
    },
    /// Move a device to another H3 cell (pays the class's location fee in
    /// data credits).
    #[command(visible_alias = "update-location")]
    Move {
        /// The device's address (or its keypair file).
        #[arg(value_parser = parse_pubkey)]
        device: Pubkey,
        /// H3 cell index (hex, e.g. 8a2a1072b59ffff).
        location: String,
    },
    /// Pay a device's rewards to another wallet (a fleet's treasury, a
    /// partner): from the next epoch the oracles close, its rewards go to
    /// that wallet's claim. Your own address sets it back; a transfer
    /// resets it to the new owner.
    #[command(visible_alias = "pay-to")]
    SetRewardsRecipient {
        /// The device's address (or its keypair file).
        #[arg(value_parser = parse_pubkey)]
        device: Pubkey,
        /// The wallet that will receive its rewards (address or keypair file).
        #[arg(value_parser = parse_pubkey)]
        wallet: Pubkey,
    },
    /// Give a device to another owner (asks for confirmation; --yes skips
    /// it); its rewards then go to the new owner.
    #[command(visible_alias = "transfer-device")]
    Transfer {
        /// The device's address (or its keypair file).
        #[arg(value_parser = parse_pubkey)]
        device: Pubkey,
        /// Its new owner (address or keypair file).
        #[arg(value_parser = parse_pubkey)]
        new_owner: Pubkey,
    },
    /// Retire a device for good: its account closes and the rent comes back
    /// (asks for confirmation; --yes skips it).
    #[command(visible_alias = "retire-device")]
    Retire {
        /// The device's address (or its keypair file).
        #[arg(value_parser = parse_pubkey)]
        device: Pubkey,
    },
    /// Suspend a device: it earns nothing and its owner can neither move,
    /// transfer nor retire it (the registry authority; a DAO proposal once
    /// the DAO holds the registry).
    Suspend {
        /// The device's address (or its keypair file).
        #[arg(value_parser = parse_pubkey)]
        device: Pubkey,
    },
    /// Reinstate a suspended device (the registry authority; a DAO proposal
    /// once the DAO holds the registry).
    Reinstate {
        /// The device's address (or its keypair file).
        #[arg(value_parser = parse_pubkey)]
        device: Pubkey,
    },
}

#[derive(Args)]
pub struct RegisterArgs {
    /// The device's keypair file (its key signs: proof of possession).
    #[arg(long)]
    device_keypair: PathBuf,
    /// Device class name (see `depin class list`).
    #[arg(long)]
    class: String,
    /// The maker's keypair file, for classes that need a maker's signature.
    #[arg(long)]
    maker_keypair: Option<PathBuf>,
    /// H3 cell index (hex); free at registration, only later moves pay the location fee.
    #[arg(long)]
    location: Option<String>,
    /// Metadata text, at most 32 bytes (e.g. a content hash).
    #[arg(long, default_value = "")]
    metadata: String,
}

/// One line of a `register-many` file.
struct RegistrationLine {
    device: Keypair,
    class: String,
    location: Option<u64>,
    metadata: Vec<u8>,
}

/// The lines of a `register-many` file; errors name the file and line.
fn read_registrations(file: &Path) -> Result<Vec<RegistrationLine>> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let folder = file.parent().unwrap_or(Path::new("."));
    let mut entries = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let at = |what: String| anyhow::anyhow!("{}, line {number}: {what}", file.display());
        let record = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(trimmed.as_bytes())
            .records()
            .next()
            .transpose()
            .map_err(|error| at(error.to_string()))?
            .unwrap_or_default();
        if entries.is_empty() && record.get(0) == Some("device_keypair") {
            continue;
        }
        if !(2..=4).contains(&record.len()) {
            return Err(at(format!(
                "expected device_keypair,class[,location][,metadata], found {} fields",
                record.len()
            )));
        }
        let path = folder.join(&record[0]);
        let device = read_keypair(&path).map_err(|error| at(format!("{error:#}")))?;
        let location = match record.get(2).filter(|cell| !cell.is_empty()) {
            Some(cell) => Some(parse_location(cell).map_err(|error| at(error.to_string()))?),
            None => None,
        };
        let metadata = record.get(3).unwrap_or("").as_bytes().to_vec();
        if metadata.len() > MAX_METADATA_LEN {
            return Err(at(format!(
                "metadata: {} bytes, at most {MAX_METADATA_LEN}",
                metadata.len()
            )));
        }
        entries.push(RegistrationLine {
            device,
            class: record[1].to_string(),
            location,
            metadata,
        });
    }
    if entries.is_empty() {
        bail!("{}: no devices in the file", file.display());
    }
    Ok(entries)
}

fn parse_location(text: &str) -> Result<u64> {
    location::parse_cell(text).map_err(|error| anyhow::anyhow!("location: {error}"))
}

/// The name of class `id` among `classes` (`#id` if the registry has no
/// such class).
fn class_name(classes: &[DeviceClass], id: u8) -> String {
    classes
        .get(usize::from(id))
        .map_or_else(|| format!("#{id}"), |class| class.name.clone())
}

/// A device as JSON: `class` stays the class id (scripts compare it);
/// `className` is its name.
pub fn device_json(device: &Device, classes: &[DeviceClass]) -> Value {
    json!({
        "device": device.device_key.to_string(),
        "owner": device.owner.to_string(),
        "serial": device.serial,
        "class": device.class_id,
        "className": class_name(classes, device.class_id),
        "status": format!("{:?}", device.status),
        "location": device.location.map(location::format_cell),
        "locationChanges": device.location_changes,
        "rewardsRecipient": device.rewards_recipient.to_string(),
        "registeredAt": device.registered_at,
    })
}

/// Where a device's rewards go: "the owner", or the wallet.
fn recipient_text(device: &Device) -> String {
    if device.rewards_recipient == device.owner {
        "the owner".into()
    } else {
        device.rewards_recipient.to_string()
    }
}

fn device_text(device: &Device, classes: &[DeviceClass], now: i64) -> String {
    format!(
        "device           {}\nowner            {}\nserial           {}\nclass            {}\n\
         status           {}\nlocation         {}\nrewards to       {}\nregistered       {}",
        device.device_key,
        device.owner,
        device.serial,
        class_name(classes, device.class_id),
        status_name(device.status),
        device.location.map_or("none".into(), location::format_cell),
        recipient_text(device),
        super::when(device.registered_at, now)
    )
}

/// The registry's classes, or none when it cannot be read (names then
/// fall back to class ids).
fn classes_of(client: &depin_client::Client) -> Vec<DeviceClass> {
    client.device_classes().unwrap_or_default()
}

pub fn run(context: &Context, command: DeviceCommand) -> Result<()> {
    match command {
        DeviceCommand::Report(command) => super::device_report::run(context, command),
        DeviceCommand::Simulate(args) => super::device_simulate::run(context, args),
        DeviceCommand::Register(args) => {
            let device = read_keypair(&args.device_keypair)?;
            let maker = args
                .maker_keypair
                .as_deref()
                .map(read_keypair)
                .transpose()?;
            let location = args.location.as_deref().map(parse_location).transpose()?;
            if args.metadata.len() > MAX_METADATA_LEN {
                bail!(
                    "metadata: {} bytes, at most {MAX_METADATA_LEN} (e.g. a content hash of a \
                     document kept off-chain)",
                    args.metadata.len()
                );
            }
            with_client(context, |client| {
                let registration = client.register_device(
                    &device,
                    &args.class,
                    maker.as_ref(),
                    location,
                    args.metadata.into_bytes(),
                )?;
                let classes = classes_of(client);
                let now = client.backend().clock()?.unix_timestamp;
                let mut json = device_json(&registration.device, &classes);
                json["signature"] = registration.outcome.to_string().into();
                context.print(
                    format!(
                        "{}\nsignature        {}",
                        device_text(&registration.device, &classes, now),
                        registration.outcome
                    ),
                    json,
                );
                Ok(())
            })
        }
        DeviceCommand::RegisterMany {
            file,
            maker_keypair,
        } => {
            let maker = maker_keypair.as_deref().map(read_keypair).transpose()?;
            let entries = read_registrations(&file)?;
            with_client(context, |client| {
                let classes = client.device_classes()?;
                let list: Vec<DeviceToRegister> = entries
                    .iter()
                    .map(|entry| {
                        let needs_maker = classes
                            .iter()
                            .find(|class| class.name == entry.class)
                            .is_some_and(|class| class.maker_required);
                        DeviceToRegister {
                            device: &entry.device,
                            class: &entry.class,
                            maker: maker.as_ref().filter(|_| needs_maker),
                            location: entry.location,
                            metadata: entry.metadata.clone(),
                        }
                    })
                    .collect();
                let outcomes = client.register_devices(&list, &mut |_, _| {})?;
                let devices: Vec<String> = entries
                    .iter()
                    .map(|entry| entry.device.pubkey().to_string())
                    .collect();
                context.print(
                    format!(
                        "registered {} devices in {} transactions",
                        devices.len(),
                        outcomes.len()
                    ),
                    json!({
                        "devices": devices,
                        "transactions": outcomes.len(),
                        "signatures": outcomes.iter().map(|outcome| outcome.signature.to_string()).collect::<Vec<_>>(),
                    }),
                );
                Ok(())
            })
        }
        DeviceCommand::Show { device } => with_client(context, |client| {
            let device = client.device(&device)?;
            let classes = classes_of(client);
            let now = client.backend().clock()?.unix_timestamp;
            context.print(
                device_text(&device, &classes, now),
                device_json(&device, &classes),
            );
            Ok(())
        }),
        DeviceCommand::List { owner } => with_client(context, |client| {
            let wallet = client.address();
            let owner = owner.unwrap_or(wallet);
            let devices = client.devices_of(&owner)?;
            let classes = classes_of(client);
            let json = Value::Array(
                devices
                    .iter()
                    .map(|device| device_json(device, &classes))
                    .collect(),
            );
            if devices.is_empty() {
                let whose = if owner == wallet {
                    "this wallet".to_string()
                } else {
                    owner.to_string()
                };
                context.print(
                    format!(
                        "{whose} owns no devices; register one with `depin device register \
                         --device-keypair <FILE> --class <CLASS>` (classes: `depin class list`)"
                    ),
                    json,
                );
                return Ok(());
            }
            let mut table = Table::new();
            table.set_header([
                "serial",
                "device",
                "class",
                "status",
                "location",
                "rewards to",
            ]);
            for device in &devices {
                table.add_row([
                    device.serial.to_string(),
                    device.device_key.to_string(),
                    class_name(&classes, device.class_id),
                    status_name(device.status).to_string(),
                    device.location.map_or("-".into(), location::format_cell),
                    recipient_text(device),
                ]);
            }
            context.print(
                format!("{} devices of {owner}\n{table}", devices.len()),
                json,
            );
            Ok(())
        }),
        DeviceCommand::Move { device, location } => {
            let cell = parse_location(&location)?;
            with_client(context, |client| {
                let outcome = client.update_location(&device, cell)?;
                context.print(
                    format!("moved {device} to {}\nsignature {outcome}", location::format_cell(cell)),
                    json!({"device": device.to_string(), "location": location::format_cell(cell), "signature": outcome.to_string()}),
                );
                Ok(())
            })
        }
        DeviceCommand::SetRewardsRecipient { device, wallet } => with_client(context, |client| {
            let outcome = client.set_rewards_recipient(&device, &wallet)?;
            let owner = client.address();
            context.print(
                if wallet == owner {
                    format!(
                        "{device} pays its rewards to its owner again, from the next epoch the \
                         oracles close\nsignature {outcome}"
                    )
                } else {
                    format!(
                        "{device} pays its rewards to {wallet} from the next epoch the oracles \
                         close (its owner stays {owner}; that wallet claims them with \
                         `depin rewards claim`)\nsignature {outcome}"
                    )
                },
                json!({"device": device.to_string(), "rewardsRecipient": wallet.to_string(),
                       "owner": owner.to_string(), "signature": outcome.to_string()}),
            );
            Ok(())
        }),
        DeviceCommand::Transfer { device, new_owner } => with_client(context, |client| {
            let found = client.changeable_device(&device)?;
            if new_owner == found.owner {
                bail!("{new_owner} already owns device {device}");
            }
            let classes = classes_of(client);
            context.confirm(&format!(
                "Give device {device} (serial {}, class {}) to {new_owner}? Only its new \
                 owner can give it back, and its rewards go to the new owner from the next \
                 epoch the oracles close",
                found.serial,
                class_name(&classes, found.class_id)
            ))?;
            let outcome = client.transfer_device(&device, &new_owner)?;
            context.print(
                format!(
                    "{device} now belongs to {new_owner}, and its rewards go to the new owner \
                     from the next epoch the oracles close\nsignature {outcome}"
                ),
                json!({"device": device.to_string(), "owner": new_owner.to_string(), "signature": outcome.to_string()}),
            );
            Ok(())
        }),
        DeviceCommand::Retire { device } => with_client(context, |client| {
            let found = client.changeable_device(&device)?;
            let classes = classes_of(client);
            context.confirm(&format!(
                "Retire device {device} (serial {}, class {}) for good? It earns nothing \
                 more; registering its key again gives a new serial and pays the onboarding \
                 fee again",
                found.serial,
                class_name(&classes, found.class_id)
            ))?;
            let outcome = client.retire_device(&device)?;
            context.print(
                format!("retired {device}\nsignature {outcome}"),
                json!({"device": device.to_string(), "retired": true, "signature": outcome.to_string()}),
            );
            Ok(())
        }),
        DeviceCommand::Suspend { device } => with_client(context, |client| {
            let outcome = client.set_device_status(&device, DeviceStatus::Suspended)?;
            report_admin(context, &format!("suspend device {device}"), outcome);
            Ok(())
        }),
        DeviceCommand::Reinstate { device } => with_client(context, |client| {
            let outcome = client.set_device_status(&device, DeviceStatus::Active)?;
            report_admin(context, &format!("reinstate device {device}"), outcome);
            Ok(())
        }),
    }
}

#[derive(Subcommand)]
pub enum MakerCommand {
    /// Approve a maker (its key co-signs the devices it attests).
    #[command(visible_alias = "add-maker")]
    Add {
        /// The maker's signing key (address or keypair file).
        #[arg(value_parser = parse_pubkey)]
        maker: Pubkey,
        /// Its name: 1 to 32 bytes of UTF-8.
        #[arg(value_parser = parse_maker_name)]
        name: String,
        /// Most devices it may attest (default: unlimited).
        #[arg(long)]
        quota: Option<u64>,
    },
    /// Change a maker's quota, or revoke/reinstate it.
    #[command(visible_alias = "update-maker")]
    Update {
        /// The maker's signing key (address or keypair file).
        #[arg(value_parser = parse_pubkey)]
        maker: Pubkey,
        /// New quota: most devices it may attest in all.
        #[arg(long, conflicts_with = "unlimited")]
        quota: Option<u64>,
        /// Remove the quota.
        #[arg(long)]
        unlimited: bool,
        /// Revoke it: it can attest no more devices.
        #[arg(long, conflicts_with = "approve")]
        revoke: bool,
        /// Approve it again after a revocation.
        #[arg(long)]
        approve: bool,
    },
    /// The makers ever approved (revoked ones too), read from the chain.
    List,
}

#[derive(Subcommand)]
pub enum ClassCommand {
    /// Add a device class (a registry holds at most 16).
    #[command(visible_alias = "add-device-class")]
    Add(ClassArgs),
    /// Replace a class's fees and flags (by name).
    #[command(visible_alias = "update-device-class")]
    Update(ClassArgs),
    /// The device classes, their fees and flags, read from the chain.
    List,
}

#[derive(Args)]
pub struct ClassArgs {
    /// The class's name: 1 to 32 bytes of UTF-8.
    #[arg(value_parser = parse_class_name)]
    name: String,
    /// Onboarding fee in data credits.
    #[arg(long)]
    onboarding_fee: u64,
    /// Fee per location change in data credits (registration's location is free).
    #[arg(long)]
    location_fee: u64,
    /// Registrations need a maker's signature.
    #[arg(long)]
    maker_required: bool,
    /// Refuse new registrations in this class.
    #[arg(long)]
    disabled: bool,
}

impl ClassArgs {
    fn into_args(self) -> DeviceClassArgs {
        DeviceClassArgs {
            name: self.name,
            onboarding_fee: self.onboarding_fee,
            location_fee: self.location_fee,
            maker_required: self.maker_required,
            enabled: !self.disabled,
        }
    }
}

fn parse_name(what: &str, text: &str, max: usize) -> Result<String, String> {
    if text.is_empty() || text.len() > max {
        return Err(format!(
            "{what} '{text}' is {} bytes; it must be 1 to {max} bytes (UTF-8)",
            text.len()
        ));
    }
    Ok(text.to_string())
}

fn parse_maker_name(text: &str) -> Result<String, String> {
    parse_name("maker name", text, MAX_MAKER_NAME_LEN)
}

fn parse_class_name(text: &str) -> Result<String, String> {
    parse_name("class name", text, MAX_CLASS_NAME_LEN)
}

fn maker_json(maker: &Maker) -> Value {
    json!({
        "maker": maker.maker_key.to_string(),
        "id": maker.id,
        "name": maker.name,
        "approved": maker.approved,
        "quota": maker.device_quota,
        "devicesOnboarded": maker.devices_onboarded,
    })
}

fn class_json(id: usize, class: &DeviceClass) -> Value {
    json!({
        "id": id,
        "name": class.name,
        "onboardingFee": class.onboarding_fee,
        "locationFee": class.location_fee,
        "makerRequired": class.maker_required,
        "enabled": class.enabled,
        "activeDevices": class.active_devices,
        "devicesRegistered": class.devices_registered,
        "feesBurned": class.fees_burned,
    })
}

/// Every class as JSON (also in `network show`).
pub fn classes_json(classes: &[DeviceClass]) -> Value {
    Value::Array(
        classes
            .iter()
            .enumerate()
            .map(|(id, class)| class_json(id, class))
            .collect(),
    )
}

pub fn run_maker(context: &Context, command: MakerCommand) -> Result<()> {
    with_client(context, |client| {
        match command {
            MakerCommand::Add { maker, name, quota } => {
                let outcome = client.add_maker(maker, &name, quota)?;
                report_admin(context, &format!("approve maker {name}"), outcome);
            }
            MakerCommand::Update {
                maker,
                quota,
                unlimited,
                revoke,
                approve,
            } => {
                let quota = if unlimited {
                    Some(None)
                } else {
                    quota.map(Some)
                };
                let approved = if revoke {
                    Some(false)
                } else if approve {
                    Some(true)
                } else {
                    None
                };
                if quota.is_none() && approved.is_none() {
                    bail!("nothing to change: pass --quota, --unlimited, --revoke or --approve");
                }
                let outcome = client.update_maker(maker, quota, approved)?;
                report_admin(context, &format!("update maker {maker}"), outcome);
            }
            MakerCommand::List => {
                client.registry_config()?;
                let makers = client.makers()?;
                let json = Value::Array(makers.iter().map(maker_json).collect());
                if makers.is_empty() {
                    context.print(
                        "no makers approved yet; approve one with `depin maker add <KEY> <NAME> \
                         [--quota N]`",
                        json,
                    );
                    return Ok(());
                }
                let mut table = Table::new();
                table.set_header(["id", "name", "maker", "approved", "devices", "quota"]);
                for maker in &makers {
                    table.add_row([
                        maker.id.to_string(),
                        maker.name.clone(),
                        maker.maker_key.to_string(),
                        if maker.approved { "yes" } else { "revoked" }.to_string(),
                        maker.devices_onboarded.to_string(),
                        maker
                            .device_quota
                            .map_or("unlimited".into(), |quota| quota.to_string()),
                    ]);
                }
                context.print(format!("{} makers\n{table}", makers.len()), json);
            }
        }
        Ok(())
    })
}

pub fn run_class(context: &Context, command: ClassCommand) -> Result<()> {
    with_client(context, |client| {
        match command {
            ClassCommand::Add(args) => {
                let name = args.name.clone();
                let outcome = client.add_device_class(args.into_args())?;
                report_admin(context, &format!("add class {name}"), outcome);
            }
            ClassCommand::Update(args) => {
                let name = args.name.clone();
                let outcome = client.update_device_class(args.into_args())?;
                report_admin(context, &format!("update class {name}"), outcome);
            }
            ClassCommand::List => {
                let classes = client.device_classes()?;
                let json = classes_json(&classes);
                if classes.is_empty() {
                    context.print(
                        "no device classes yet; add one with `depin class add <NAME> \
                         --onboarding-fee <DC> --location-fee <DC>`",
                        json,
                    );
                    return Ok(());
                }
                let mut table = Table::new();
                table.set_header([
                    "id",
                    "name",
                    "onboarding DC",
                    "location DC",
                    "maker",
                    "enabled",
                    "active",
                ]);
                for (id, class) in classes.iter().enumerate() {
                    table.add_row([
                        id.to_string(),
                        class.name.clone(),
                        class.onboarding_fee.to_string(),
                        class.location_fee.to_string(),
                        if class.maker_required {
                            "required"
                        } else {
                            "-"
                        }
                        .to_string(),
                        if class.enabled { "yes" } else { "disabled" }.to_string(),
                        class.active_devices.to_string(),
                    ]);
                }
                context.print(
                    format!(
                        "{} of at most {MAX_DEVICE_CLASSES} device classes\n{table}",
                        classes.len()
                    ),
                    json,
                );
            }
        }
        Ok(())
    })
}
