//! `depin device`, `depin maker`, `depin class`: the device registry
//! (`depin_client::device_registry`). Operators register, move, transfer and
//! retire devices; makers and device classes are applied directly while the
//! wallet holds the registry and proposed to the DAO once the DAO does.

use {
    super::{parse_pubkey, report_admin, tokens, with_client},
    crate::context::{read_keypair, Context},
    anyhow::{bail, Result},
    clap::{Args, Subcommand},
    comfy_table::Table,
    depin_sdk::{accounts::Device, device_registry::DeviceClassArgs, location, Pubkey},
    serde_json::{json, Value},
    std::path::PathBuf,
};

#[derive(Subcommand)]
pub enum DeviceCommand {
    /// Register a device owned by the wallet; the device key signs (proof
    /// of possession) and the wallet pays the fees in data credits.
    #[command(visible_alias = "register-device")]
    Register(RegisterArgs),
    /// One device.
    Show {
        #[arg(value_parser = parse_pubkey)]
        device: Pubkey,
    },
    /// The devices an owner holds (default: the wallet).
    List {
        #[arg(long, value_parser = parse_pubkey)]
        owner: Option<Pubkey>,
    },
    /// Move a device to another H3 cell (pays the location fee).
    #[command(visible_alias = "update-location")]
    Move {
        #[arg(value_parser = parse_pubkey)]
        device: Pubkey,
        /// H3 cell index (hex, e.g. 8a2a1072b59ffff).
        location: String,
    },
    /// Give a device to another owner.
    #[command(visible_alias = "transfer-device")]
    Transfer {
        #[arg(value_parser = parse_pubkey)]
        device: Pubkey,
        #[arg(value_parser = parse_pubkey)]
        new_owner: Pubkey,
    },
    /// Retire a device for good (its account closes; rent comes back).
    #[command(visible_alias = "retire-device")]
    Retire {
        #[arg(value_parser = parse_pubkey)]
        device: Pubkey,
    },
}

#[derive(Args)]
pub struct RegisterArgs {
    /// The device's keypair file.
    #[arg(long)]
    device_keypair: PathBuf,
    /// Device class name (see `depin network show`).
    #[arg(long)]
    class: String,
    /// The maker's keypair file, for classes that need a maker's signature.
    #[arg(long)]
    maker_keypair: Option<PathBuf>,
    /// H3 cell index (hex); pays the location fee too.
    #[arg(long)]
    location: Option<String>,
    /// Up to 32 bytes of metadata (text).
    #[arg(long, default_value = "")]
    metadata: String,
}

fn parse_location(text: &str) -> Result<u64> {
    location::parse_cell(text).map_err(|error| anyhow::anyhow!("location: {error}"))
}

pub fn device_json(device: &Device) -> Value {
    json!({
        "device": device.device_key.to_string(),
        "owner": device.owner.to_string(),
        "serial": device.serial,
        "class": device.class_id,
        "status": format!("{:?}", device.status),
        "location": device.location.map(location::format_cell),
        "locationChanges": device.location_changes,
        "rewardsClaimed": device.rewards_claimed,
        "registeredAt": device.registered_at,
    })
}

fn device_text(device: &Device) -> String {
    format!(
        "device           {}\nowner            {}\nserial           {}\nclass            {}\n\
         status           {:?}\nlocation         {}\nrewards claimed  {} tokens\nregistered at    unix time {}",
        device.device_key,
        device.owner,
        device.serial,
        device.class_id,
        device.status,
        device
            .location
            .map_or("none".into(), location::format_cell),
        tokens(device.rewards_claimed),
        device.registered_at
    )
}

pub fn run(context: &Context, command: DeviceCommand) -> Result<()> {
    match command {
        DeviceCommand::Register(args) => {
            let device = read_keypair(&args.device_keypair)?;
            let maker = args
                .maker_keypair
                .as_deref()
                .map(read_keypair)
                .transpose()?;
            let location = args.location.as_deref().map(parse_location).transpose()?;
            if args.metadata.len() > 32 {
                bail!("metadata: {} bytes, at most 32", args.metadata.len());
            }
            with_client(context, |client| {
                let registration = client.register_device(
                    &device,
                    &args.class,
                    maker.as_ref(),
                    location,
                    args.metadata.into_bytes(),
                )?;
                context.print(
                    format!(
                        "{}\nsignature        {}",
                        device_text(&registration.device),
                        registration.outcome
                    ),
                    device_json(&registration.device),
                );
                Ok(())
            })
        }
        DeviceCommand::Show { device } => with_client(context, |client| {
            let device = client.device(&device)?;
            context.print(device_text(&device), device_json(&device));
            Ok(())
        }),
        DeviceCommand::List { owner } => with_client(context, |client| {
            let owner = owner.unwrap_or(client.address());
            let devices = client.devices_of(&owner)?;
            let mut table = Table::new();
            table.set_header(["serial", "device", "class", "status", "location", "claimed"]);
            for device in &devices {
                table.add_row([
                    device.serial.to_string(),
                    device.device_key.to_string(),
                    device.class_id.to_string(),
                    format!("{:?}", device.status),
                    device.location.map_or("-".into(), location::format_cell),
                    tokens(device.rewards_claimed),
                ]);
            }
            context.print(
                format!("{} devices of {owner}\n{table}", devices.len()),
                Value::Array(devices.iter().map(device_json).collect()),
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
        DeviceCommand::Transfer { device, new_owner } => with_client(context, |client| {
            let outcome = client.transfer_device(&device, &new_owner)?;
            context.print(
                format!("{device} now belongs to {new_owner}\nsignature {outcome}"),
                json!({"device": device.to_string(), "owner": new_owner.to_string(), "signature": outcome.to_string()}),
            );
            Ok(())
        }),
        DeviceCommand::Retire { device } => with_client(context, |client| {
            let outcome = client.retire_device(&device)?;
            context.print(
                format!("retired {device}\nsignature {outcome}"),
                json!({"device": device.to_string(), "retired": true, "signature": outcome.to_string()}),
            );
            Ok(())
        }),
    }
}

#[derive(Subcommand)]
pub enum MakerCommand {
    /// Approve a maker (its key co-signs the devices it attests).
    Add {
        #[arg(value_parser = parse_pubkey)]
        maker: Pubkey,
        name: String,
        /// Most devices it may attest (default: unlimited).
        #[arg(long)]
        quota: Option<u64>,
    },
    /// Change a maker's quota, or revoke/reinstate it.
    Update {
        #[arg(value_parser = parse_pubkey)]
        maker: Pubkey,
        #[arg(long, conflicts_with = "unlimited")]
        quota: Option<u64>,
        #[arg(long)]
        unlimited: bool,
        #[arg(long, conflicts_with = "approve")]
        revoke: bool,
        #[arg(long)]
        approve: bool,
    },
}

#[derive(Subcommand)]
pub enum ClassCommand {
    /// Add a device class.
    Add(ClassArgs),
    /// Replace a class's fees and flags (by name).
    Update(ClassArgs),
}

#[derive(Args)]
pub struct ClassArgs {
    name: String,
    /// Onboarding fee in data credits.
    #[arg(long)]
    onboarding_fee: u64,
    /// Fee per location change in data credits.
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
        }
        Ok(())
    })
}
