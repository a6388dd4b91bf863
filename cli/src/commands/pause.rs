//! `depin pause`, `unpause` and `guardian`: the pause switches of the
//! registry, oracle and rewards programs (`depin_sdk::client` pause
//! methods; the programs' `pause`, `unpause` and `set_guardian`).

use {
    super::{parse_pubkey, parse_seconds, report_admin, with_client},
    crate::context::Context,
    anyhow::Result,
    clap::{Args, Subcommand},
    depin_client::{parse_pause_scopes, PauseStatus},
    depin_sdk::Pubkey,
    serde_json::json,
};

#[derive(Args)]
pub struct ScopesArgs {
    /// Scopes: all, a program (registry, oracle, rewards), or onboarding,
    /// moves, batch-votes, prices, issuance, device-claims, oracle-claims,
    /// credit-purchases.
    #[arg(required = true)]
    scopes: Vec<String>,
}

#[derive(Subcommand)]
pub enum GuardianCommand {
    /// Name the guardian of all three programs and arm its one pause.
    Set {
        #[arg(value_parser = parse_pubkey)]
        guardian: Pubkey,
        /// How long its pause lasts (at most 30d).
        #[arg(long, value_parser = parse_seconds)]
        max_pause: i64,
    },
    /// Remove the guardian.
    Remove,
    /// As the guardian: pause scopes (default: all) for its maximum, in one
    /// transaction.
    Pause { scopes: Vec<String> },
    /// The guardian, its pause, and what is paused.
    Show,
}

pub fn pause(context: &Context, args: ScopesArgs) -> Result<()> {
    let scopes = parse_pause_scopes(&args.scopes)?;
    with_client(context, |client| {
        let outcome = client.pause(&scopes)?;
        report_admin(context, &format!("pause {}", names(&scopes)), outcome);
        Ok(())
    })
}

pub fn unpause(context: &Context, args: ScopesArgs) -> Result<()> {
    let scopes = parse_pause_scopes(&args.scopes)?;
    with_client(context, |client| {
        let outcome = client.unpause(&scopes)?;
        report_admin(context, &format!("unpause {}", names(&scopes)), outcome);
        Ok(())
    })
}

pub fn run_guardian(context: &Context, command: GuardianCommand) -> Result<()> {
    match command {
        GuardianCommand::Set {
            guardian,
            max_pause,
        } => with_client(context, |client| {
            let outcome = client.set_guardian(guardian, max_pause)?;
            report_admin(
                context,
                &format!("guardian {guardian} (pauses of {max_pause} s)"),
                outcome,
            );
            Ok(())
        }),
        GuardianCommand::Remove => with_client(context, |client| {
            let outcome = client.set_guardian(Pubkey::default(), 0)?;
            report_admin(context, "remove the guardian", outcome);
            Ok(())
        }),
        GuardianCommand::Pause { scopes } => {
            let scopes = if scopes.is_empty() {
                vec!["all".to_string()]
            } else {
                scopes
            };
            let scopes = parse_pause_scopes(&scopes)?;
            with_client(context, |client| {
                let outcome = client.guardian_pause(&scopes)?;
                context.print(
                    format!("guardian paused {} (signature {outcome})", names(&scopes)),
                    json!({"paused": scopes.iter().map(|scope| scope.name).collect::<Vec<_>>(),
                           "signature": outcome.to_string()}),
                );
                Ok(())
            })
        }
        GuardianCommand::Show => with_client(context, |client| {
            let statuses = client.pause_status()?;
            context.print(pause_lines(&statuses).join("\n"), pause_json(&statuses));
            Ok(())
        }),
    }
}

fn names(scopes: &[depin_client::PauseScope]) -> String {
    scopes
        .iter()
        .map(|scope| scope.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// One line per program: what is paused (and until when) and its guardian.
pub fn pause_lines(statuses: &[PauseStatus]) -> Vec<String> {
    statuses
        .iter()
        .map(|status| {
            let paused = if status.paused.is_empty() {
                "running".to_string()
            } else {
                let scopes: Vec<String> = status
                    .paused
                    .iter()
                    .map(|(scope, until)| {
                        if *until == i64::MAX {
                            format!("{scope} (until unpaused)")
                        } else {
                            format!("{scope} (until unix time {until})")
                        }
                    })
                    .collect();
                format!("PAUSED: {}", scopes.join(", "))
            };
            let guardian = if status.pause.guardian == Pubkey::default() {
                "no guardian".to_string()
            } else {
                format!(
                    "guardian {} ({} s pause, {})",
                    status.pause.guardian,
                    status.pause.guardian_max_pause,
                    if status.pause.guardian_armed {
                        "armed"
                    } else {
                        "spent"
                    }
                )
            };
            format!("{:<9} {paused}; {guardian}", status.program.name())
        })
        .collect()
}

pub fn pause_json(statuses: &[PauseStatus]) -> serde_json::Value {
    serde_json::Value::Array(
        statuses
            .iter()
            .map(|status| {
                json!({
                    "program": status.program.name(),
                    "paused": status.paused.iter().map(|(scope, until)| json!({
                        "scope": scope.name,
                        "until": if *until == i64::MAX { None } else { Some(*until) },
                    })).collect::<Vec<_>>(),
                    "guardian": (status.pause.guardian != Pubkey::default())
                        .then(|| status.pause.guardian.to_string()),
                    "guardianMaxPause": status.pause.guardian_max_pause,
                    "guardianArmed": status.pause.guardian_armed,
                })
            })
            .collect(),
    )
}
