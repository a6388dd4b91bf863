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

/// The command-line definition (for `depin completions`).
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

fn main() -> ExitCode {
    // A closed pipe ends the process quietly, as it does `cat` or `grep`.
    #[cfg(unix)]
    // SAFETY: restores the default disposition before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let output = cli.global.output;
    let simulate_json = output.is_json();
    match commands::run(cli.global, cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if let Some(simulation) = context::simulated(&error) {
                if simulate_json {
                    stdout::print_line(&output.render(&serde_json::json!({
                        "simulated": true,
                        "computeUnits": simulation.compute_units,
                        "logs": simulation.logs,
                    })));
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
            let message = error_message(&error);
            if output.is_json() {
                // Under --output json an error is a JSON object on stdout
                // too, so a script reads one format whatever happens.
                let mut object = serde_json::json!({"message": message});
                if let Some(info) = error
                    .downcast_ref::<depin_sdk::SdkError>()
                    .and_then(depin_sdk::SdkError::program_error)
                {
                    object["program"] = info.program.clone().into();
                    object["code"] = info.code.into();
                    object["name"] = info.name.clone().into();
                }
                stdout::print_line(&output.render(&serde_json::json!({ "error": object })));
            } else {
                eprintln!("error: {message}");
            }
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes, each said once: a cause whose text an outer
/// message already carries is left out.
fn error_message(error: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message
}
