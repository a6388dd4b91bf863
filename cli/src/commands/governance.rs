//! `depin governance` (`depin gov`): the governance program
//! (`depin_client::governance`). DAO members lock tokens, create
//! proposals, cast votes and execute what passed.

use {
    super::{parse_pubkey, parse_tokens, tokens, with_client, TokenAmount},
    crate::context::Context,
    anyhow::{bail, Result},
    clap::{Args, Subcommand},
    comfy_table::Table,
    depin_sdk::{
        accounts::Proposal,
        governance::{
            self,
            instructions::LockupArgs,
            state::{LockupKind, VoteChoice},
        },
        Pubkey,
    },
    serde_json::{json, Value},
};

const DAY: i64 = 86_400;

#[derive(Subcommand)]
pub enum GovernanceCommand {
    /// Lock tokens for voting power (longer locks weigh more).
    Lock {
        #[arg(value_parser = parse_tokens)]
        tokens: TokenAmount,
        /// Lockup length in days.
        #[arg(long)]
        days: i64,
        /// A constant lockup: stays `days` from unlocking until relocked.
        #[arg(long)]
        constant: bool,
    },
    /// Withdraw an unlocked position (by its number in `gov positions`).
    #[command(visible_alias = "withdraw-position")]
    Unlock { index: u8 },
    /// The wallet's locked positions.
    Positions,
    /// Propose a change (maker and class changes come from `depin maker`/`depin class`).
    #[command(visible_alias = "create-proposal")]
    Propose(ProposeArgs),
    /// Vote with all of the wallet's positions.
    #[command(visible_alias = "cast-vote")]
    Vote {
        id: u64,
        /// yes, no or abstain.
        #[arg(value_parser = governance::parse_vote_choice)]
        choice: VoteChoice,
    },
    /// Move a proposal on: finalize an ended vote, queue it, execute it after
    /// the timelock. Anyone may.
    #[command(visible_alias = "execute-proposal")]
    Execute { id: u64 },
    /// Every proposal.
    List,
    /// One proposal.
    Show { id: u64 },
}

#[derive(Args)]
pub struct ProposeArgs {
    #[arg(long)]
    title: String,
    #[arg(long, default_value = "")]
    description: String,
    #[command(subcommand)]
    change: Change,
}

#[derive(Subcommand)]
pub enum Change {
    /// Pay a new number of tokens per epoch from an epoch on.
    Emission {
        #[arg(long)]
        from_epoch: u64,
        #[arg(long, value_parser = parse_tokens)]
        tokens_per_epoch: TokenAmount,
    },
    /// Pay tokens from the treasury.
    TreasuryGrant {
        #[arg(long, value_parser = parse_pubkey)]
        to: Pubkey,
        #[arg(long, value_parser = parse_tokens)]
        amount: TokenAmount,
    },
    /// Replace the oracle set.
    OracleSet {
        #[arg(long = "oracle", value_parser = parse_pubkey, required = true)]
        oracles: Vec<Pubkey>,
        #[arg(long)]
        quorum: u8,
    },
}

fn proposal_json(proposal: &Proposal) -> Value {
    json!({
        "id": proposal.id,
        "title": proposal.title,
        "description": proposal.description,
        "proposer": proposal.proposer.to_string(),
        "state": format!("{:?}", proposal.state),
        "yes": proposal.yes.to_string(),
        "no": proposal.no.to_string(),
        "abstain": proposal.abstain.to_string(),
        "votes": proposal.votes_cast,
        "votingEndsAt": proposal.voting_ends_at,
        "executableAt": proposal.executable_at,
        "instructions": proposal.instructions.len(),
    })
}

pub fn run(context: &Context, command: GovernanceCommand) -> Result<()> {
    with_client(context, |client| {
        match command {
            GovernanceCommand::Lock {
                tokens: amount,
                days,
                constant,
            } => {
                if days <= 0 {
                    bail!("--days must be at least 1");
                }
                let lockup = LockupArgs {
                    kind: if constant {
                        LockupKind::Constant
                    } else {
                        LockupKind::Cliff
                    },
                    duration_secs: days
                        .checked_mul(DAY)
                        .ok_or_else(|| anyhow::anyhow!("--days too large"))?,
                };
                let amount = amount.base_units()?;
                let outcome = client.lock_tokens(amount, lockup)?;
                context.print(
                    format!("locked {} tokens for {days} days\nsignature {outcome}", tokens(amount)),
                    json!({"locked": amount, "days": days, "constant": constant, "signature": outcome.to_string()}),
                );
            }
            GovernanceCommand::Unlock { index } => {
                let outcome = client.withdraw_position(index)?;
                context.print(
                    format!("withdrew position {index}\nsignature {outcome}"),
                    json!({"withdrawn": index, "signature": outcome.to_string()}),
                );
            }
            GovernanceCommand::Positions => {
                let voter = client.voter(&client.address())?;
                let positions = voter.map(|voter| voter.positions).unwrap_or_default();
                let mut table = Table::new();
                table.set_header(["#", "tokens", "lockup", "ends / duration"]);
                let mut rows = Vec::new();
                for (index, position) in positions.iter().enumerate() {
                    let term = match position.lockup.kind {
                        LockupKind::Cliff => format!("unix time {}", position.lockup.end_ts),
                        LockupKind::Constant => {
                            format!("{} days", position.lockup.duration_secs / DAY)
                        }
                    };
                    table.add_row([
                        index.to_string(),
                        tokens(position.amount),
                        format!("{:?}", position.lockup.kind),
                        term,
                    ]);
                    rows.push(json!({"index": index, "amount": position.amount,
                        "kind": format!("{:?}", position.lockup.kind), "endTs": position.lockup.end_ts,
                        "durationSecs": position.lockup.duration_secs}));
                }
                context.print(
                    format!("{} positions\n{table}", positions.len()),
                    Value::Array(rows),
                );
            }
            GovernanceCommand::Propose(args) => {
                let id = match args.change {
                    Change::Emission {
                        from_epoch,
                        tokens_per_epoch,
                    } => client.propose_emission(
                        from_epoch,
                        tokens_per_epoch.base_units()?,
                        &args.title,
                        &args.description,
                    )?,
                    Change::TreasuryGrant { to, amount } => client.propose_treasury_grant(
                        &to,
                        amount.base_units()?,
                        &args.title,
                        &args.description,
                    )?,
                    Change::OracleSet { oracles, quorum } => client.propose_oracle_set(
                        oracles,
                        quorum,
                        &args.title,
                        &args.description,
                    )?,
                };
                let proposal = client.proposal(id)?;
                context.print(
                    format!(
                        "proposal {id} is open for votes until unix time {}",
                        proposal.voting_ends_at
                    ),
                    proposal_json(&proposal),
                );
            }
            GovernanceCommand::Vote { id, choice } => {
                let outcome = client.cast_vote(id, choice)?;
                let proposal = client.proposal(id)?;
                context.print(
                    format!("voted {choice:?} on proposal {id}: yes {} no {} abstain {}\nsignature {outcome}",
                        proposal.yes, proposal.no, proposal.abstain),
                    proposal_json(&proposal),
                );
            }
            GovernanceCommand::Execute { id } => {
                let state = client.execute_proposal(id)?;
                let proposal = client.proposal(id)?;
                context.print(
                    format!("proposal {id} is {state:?}"),
                    proposal_json(&proposal),
                );
            }
            GovernanceCommand::List => {
                let proposals = client.proposals()?;
                let mut table = Table::new();
                table.set_header(["id", "state", "title", "yes", "no", "abstain"]);
                for proposal in &proposals {
                    table.add_row([
                        proposal.id.to_string(),
                        format!("{:?}", proposal.state),
                        proposal.title.clone(),
                        proposal.yes.to_string(),
                        proposal.no.to_string(),
                        proposal.abstain.to_string(),
                    ]);
                }
                context.print(
                    format!("{} proposals\n{table}", proposals.len()),
                    Value::Array(proposals.iter().map(proposal_json).collect()),
                );
            }
            GovernanceCommand::Show { id } => {
                let proposal = client.proposal(id)?;
                context.print(
                    format!(
                        "proposal {}: {}\n{}\nstate          {:?}\nproposer       {}\nvotes          yes {} no {} abstain {} ({} wallets)\n\
                         voting ends    unix time {}\nexecutable at  unix time {}\ninstructions   {}",
                        proposal.id, proposal.title, proposal.description, proposal.state, proposal.proposer,
                        proposal.yes, proposal.no, proposal.abstain, proposal.votes_cast,
                        proposal.voting_ends_at, proposal.executable_at, proposal.instructions.len()
                    ),
                    proposal_json(&proposal),
                );
            }
        }
        Ok(())
    })
}
