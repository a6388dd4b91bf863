//! `depin`: the command line of the DePIN program suite.

mod commands;
mod context;
mod stdout;

use {clap::Parser, std::process::ExitCode};

#[derive(Parser)]
#[command(
    name = "depin",
    version,
    about = "Deploy, operate and govern a DePIN network on Solana",
    after_help = "Without -u the commands act on the embedded runtime (state in \
                  ./depin-state.bin), so nothing reaches a real cluster by accident."
)]
struct Cli {
    #[command(flatten)]
    global: context::GlobalArgs,
    #[command(subcommand)]
    command: commands::Command,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let simulate_json = cli.global.output == context::OutputFormat::Json;
    match commands::run(cli.global, cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if let Some(simulation) = context::simulated(&error) {
                if simulate_json {
                    stdout::print_line(
                        &serde_json::json!({
                            "simulated": true,
                            "computeUnits": simulation.compute_units,
                            "logs": simulation.logs,
                        })
                        .to_string(),
                    );
                } else {
                    stdout::print_line(&format!(
                        "simulation succeeded ({} compute units); nothing was sent",
                        simulation.compute_units
                    ));
                    for line in &simulation.logs {
                        stdout::print_line(&format!("  {line}"));
                    }
                }
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
