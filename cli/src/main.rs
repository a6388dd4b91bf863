//! `depin`: the command line of the DePIN program suite.

mod commands;

use {clap::Parser, std::process::ExitCode};

#[derive(Parser)]
#[command(
    name = "depin",
    version,
    about = "Deploy, operate and govern a DePIN network on Solana"
)]
struct Cli {
    #[command(subcommand)]
    command: commands::Command,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
