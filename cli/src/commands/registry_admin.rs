//! Makers and device classes: applied directly while the wallet holds the
//! registry, proposed to the DAO once the DAO does.

use {
    super::{parse_pubkey, report_admin, with_client},
    crate::context::Context,
    anyhow::{bail, Result},
    clap::{Args, Subcommand},
    depin_sdk::{device_registry::DeviceClassArgs, Pubkey},
};

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
