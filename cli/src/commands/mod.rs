pub mod demo;

use clap::Subcommand;

#[derive(Subcommand)]
pub enum Command {
    /// Run the whole network on the embedded runtime: bootstrap the registry,
    /// then onboard devices, and print what it cost.
    Demo(demo::DemoArgs),
}

pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Demo(args) => demo::run(args),
    }
}
