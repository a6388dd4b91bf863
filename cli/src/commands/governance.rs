//! `depin governance` (`depin gov`): the governance program
//! (`depin_client::governance`). DAO members lock tokens, create
//! proposals, cast votes and execute what passed.

use {
    super::{parse_pubkey, parse_tokens, tokens, when, with_client, TokenAmount},
    crate::context::Context,
    anyhow::{bail, Result},
    clap::{Args, Subcommand},
    comfy_table::Table,
    depin_client::{governance::CreatedProposal, BackendExt, Client},
    depin_sdk::{
        accounts::{Proposal, ProposalState},
        describe::{paid_token_accounts, percent, Describer, DEFAULT_TOKEN_DECIMALS},
        governance::{
            self, format_voting_power,
            instructions::LockupArgs,
            state::{LockupKind, Position, VoteChoice, VotingPowerParams},
            ProposalStage, MAX_DESCRIPTION_LEN, MAX_TITLE_LEN,
        },
        Pubkey, Signature,
    },
    serde_json::{json, Value},
};

const DAY: i64 = 86_400;

/// The lockup `--constant` keeps when no `--days` is given: a year, the
/// length the README's examples use.
const DEFAULT_CONSTANT_DAYS: i64 = 365;

// The help texts below state these limits in words: keep them in step.
const _: () = assert!(MAX_TITLE_LEN == 64 && MAX_DESCRIPTION_LEN == 200);

/// How `gov lock` explains lockups (`--help`).
const LOCK_HELP: &str = "\
Voting power is tokens × a multiplier that grows with the lockup still \
remaining (by default 1× with none left to 4× at four years or more), so \
it reads in tokens.

A cliff lockup (--days N) unlocks N days from now; its remaining time, and \
with it the multiplier, shrinks every day. Withdraw it with `gov unlock` \
once it has ended.

A constant lockup (--constant) stays --days (default 365) from unlocking and \
keeps its multiplier until you relock it as a cliff (`gov relock INDEX`), \
which starts the countdown; only then can it be withdrawn.

Only positions that stay locked until a vote ends count for it: a cliff \
shorter than the voting period (3 days by default) can neither vote nor \
back a proposal, and you are warned when you lock one.";

#[derive(Subcommand)]
pub enum GovernanceCommand {
    /// Lock tokens for voting power (longer lockups weigh more).
    #[command(visible_alias = "lock-tokens", after_long_help = LOCK_HELP)]
    Lock {
        /// Tokens to lock (e.g. 1500 or 0.5).
        #[arg(value_parser = parse_tokens)]
        tokens: TokenAmount,
        /// Lockup length in days (needed for a cliff; 365 if --constant omits it).
        #[arg(long)]
        days: Option<i64>,
        /// A constant lockup: stays --days from unlocking, at full weight, until relocked.
        #[arg(long)]
        constant: bool,
    },
    /// Withdraw a position whose cliff lockup has ended.
    #[command(visible_alias = "withdraw-position")]
    Unlock {
        /// The position's number in `gov positions`.
        index: u8,
    },
    /// Give a position a new lockup starting now (never shorter than what it has left).
    #[command(visible_alias = "relock-position")]
    Relock {
        /// The position's number in `gov positions`.
        index: u8,
        /// New lockup in days (default: a constant position's own length, starting its countdown).
        #[arg(long)]
        days: Option<i64>,
        /// Make it a constant lockup instead of a cliff.
        #[arg(long)]
        constant: bool,
    },
    /// Move one position's tokens into another, which keeps the longer lockup.
    #[command(visible_alias = "merge-positions")]
    Merge {
        /// The position that is emptied and removed (later ones move down by one).
        from: u8,
        /// The position that receives its tokens.
        into: u8,
    },
    /// The wallet's locked positions and their voting power.
    Positions,
    /// Propose a change (maker and class changes come from `depin maker`/`depin class`).
    #[command(visible_alias = "create-proposal")]
    Propose(ProposeArgs),
    /// Vote with all of the wallet's positions (once per proposal).
    #[command(visible_alias = "cast-vote")]
    Vote {
        /// The proposal's id (see `gov list`).
        id: u64,
        /// yes, no or abstain.
        #[arg(value_parser = governance::parse_vote_choice)]
        choice: VoteChoice,
    },
    /// Move a proposal on: finalize an ended vote, queue it, execute it after
    /// the timelock. Anyone may.
    #[command(visible_alias = "execute-proposal")]
    Execute {
        /// The proposal's id (see `gov list`).
        id: u64,
    },
    /// Withdraw your own proposal while it is a draft or its vote is running.
    #[command(visible_alias = "cancel-proposal")]
    Cancel {
        /// The proposal's id (see `gov list`).
        id: u64,
    },
    /// Every proposal and where it stands.
    List,
    /// One proposal: what it does, its votes and where it stands.
    Show {
        /// The proposal's id (see `gov list`).
        id: u64,
    },
}

#[derive(Args)]
pub struct ProposeArgs {
    /// The proposal's title: 1 to 64 bytes.
    #[arg(long)]
    title: String,
    /// What it is about: at most 200 bytes (a link to the full text, or its hash).
    #[arg(long, default_value = "")]
    description: String,
    #[command(subcommand)]
    change: Change,
}

#[derive(Subcommand)]
pub enum Change {
    /// Pay a new number of tokens per epoch from an epoch on.
    Emission {
        /// The first epoch paid at the new rate (not yet running or issued).
        #[arg(long)]
        from_epoch: u64,
        /// Tokens minted per epoch from then on.
        #[arg(long, value_parser = parse_tokens)]
        tokens_per_epoch: TokenAmount,
    },
    /// Pay tokens from the treasury.
    TreasuryGrant {
        /// The wallet that receives them (address or keypair file).
        #[arg(long, value_parser = parse_pubkey)]
        to: Pubkey,
        /// Tokens to pay (at most what the treasury holds).
        #[arg(long, value_parser = parse_tokens)]
        amount: TokenAmount,
    },
    /// Replace the oracle set.
    OracleSet {
        /// An oracle's address (repeat for each, 1 to 16).
        #[arg(long = "oracle", value_parser = parse_pubkey, required = true)]
        oracles: Vec<Pubkey>,
        /// Matching votes that make a batch final: 1 to the number of oracles.
        #[arg(long)]
        quorum: u8,
    },
}

/// What governance output needs besides the client: the clock and the
/// token's decimals (voting power is printed in tokens).
struct View {
    now: i64,
    decimals: u8,
}

impl View {
    fn new(client: &Client) -> Result<Self> {
        Ok(Self {
            now: client.backend().clock()?.unix_timestamp,
            decimals: client.token_decimals().unwrap_or(DEFAULT_TOKEN_DECIMALS),
        })
    }

    /// Voting power (token base units × multiplier) in tokens.
    fn power(&self, power: u128) -> String {
        format_voting_power(power, self.decimals)
    }

    fn when(&self, at: i64) -> String {
        when(at, self.now)
    }

    /// Where `proposal` stands, with what to do next.
    fn stage(&self, proposal: &Proposal) -> String {
        let id = proposal.id;
        match ProposalStage::of(proposal, self.now) {
            ProposalStage::Draft => "draft: its vote is not open yet".into(),
            ProposalStage::Voting { ends_at } => {
                format!("voting, until {}", self.when(ends_at))
            }
            ProposalStage::VoteEnded { passing } => format!(
                "vote ended ({}) — run `depin gov execute {id}`",
                if passing { "passed" } else { "failed" }
            ),
            ProposalStage::Succeeded { queue_by } => format!(
                "succeeded — run `depin gov execute {id}` to queue it (before {})",
                self.when(queue_by)
            ),
            ProposalStage::Timelocked { executable_at, .. } => {
                format!("succeeded, executable from {}", self.when(executable_at))
            }
            ProposalStage::Executable { expires_at } => format!(
                "executable until {} — run `depin gov execute {id}`",
                self.when(expires_at)
            ),
            ProposalStage::Defeated => "defeated".into(),
            ProposalStage::Executed { at } => format!("executed {}", self.when(at)),
            ProposalStage::Expired => "expired".into(),
            ProposalStage::Cancelled => "cancelled".into(),
        }
    }

    /// "yes 2625, no 0, abstain 0".
    fn tally(&self, proposal: &Proposal) -> String {
        format!(
            "yes {}, no {}, abstain {}",
            self.power(proposal.yes),
            self.power(proposal.no),
            self.power(proposal.abstain)
        )
    }

    /// A position's voting power now (what a vote ending now would count).
    fn position_power(&self, params: &VotingPowerParams, position: &Position) -> u128 {
        params
            .power(position.amount, position.lockup.remaining(self.now))
            .unwrap_or(0)
    }

    /// "cliff, unlocks …" / "constant, 365 days".
    fn lockup(&self, position: &Position) -> String {
        match position.lockup.kind {
            LockupKind::Cliff if position.lockup.end_ts <= self.now => {
                format!("cliff, ended {}", self.when(position.lockup.end_ts))
            }
            LockupKind::Cliff => format!("cliff, unlocks {}", self.when(position.lockup.end_ts)),
            LockupKind::Constant => format!(
                "constant, {} days from unlocking",
                position.lockup.duration_secs / DAY
            ),
        }
    }
}

/// Each stored instruction of `proposal` in words, naming the owners of
/// the token accounts it pays.
fn describe(client: &Client, view: &View, proposal: &Proposal) -> Vec<String> {
    let mut describer = Describer::new(view.decimals);
    for account in paid_token_accounts(&proposal.instructions) {
        let owner = client
            .backend()
            .account(&account)
            .ok()
            .flatten()
            .and_then(|account| depin_sdk::token::token_account_owner(&account.data));
        if let Some(owner) = owner {
            describer.name(account, owner.to_string());
        }
    }
    proposal
        .instructions
        .iter()
        .map(|instruction| describer.describe(instruction))
        .collect()
}

fn proposal_json(view: &View, proposal: &Proposal, does: Option<Vec<String>>) -> Value {
    let stage = ProposalStage::of(proposal, view.now);
    let nonzero = |at: i64| (at != 0).then_some(at);
    let mut value = json!({
        "id": proposal.id,
        "title": proposal.title,
        "description": proposal.description,
        "proposer": proposal.proposer.to_string(),
        "state": format!("{:?}", proposal.state),
        "stage": stage.name(),
        "stageText": view.stage(proposal),
        // Voting power in base units × multiplier (exact, as on chain)…
        "yes": proposal.yes.to_string(),
        "no": proposal.no.to_string(),
        "abstain": proposal.abstain.to_string(),
        "quorum": proposal.quorum_power.to_string(),
        // …and in tokens, as people read it.
        "votingPower": {
            "yes": view.power(proposal.yes),
            "no": view.power(proposal.no),
            "abstain": view.power(proposal.abstain),
            "quorum": view.power(proposal.quorum_power),
        },
        "votes": proposal.votes_cast,
        "votingEndsAt": nonzero(proposal.voting_ends_at),
        "executableAt": nonzero(proposal.executable_at),
        "expiresAt": nonzero(proposal.expires_at),
        "executedAt": nonzero(proposal.executed_at),
        "instructions": proposal.instructions.len(),
    });
    if let Some(does) = does {
        value["does"] = json!(does);
    }
    value
}

fn signatures_json(signatures: &[Signature]) -> Value {
    json!(signatures
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>())
}

fn warn(message: &str) {
    eprintln!("warning: {message}");
}

/// `--days` as seconds, at least one day.
fn days_to_secs(days: i64) -> Result<i64> {
    if days <= 0 {
        bail!("--days must be at least 1");
    }
    days.checked_mul(DAY)
        .ok_or_else(|| anyhow::anyhow!("--days {days} is too large"))
}

fn lockup_kind(constant: bool) -> LockupKind {
    if constant {
        LockupKind::Constant
    } else {
        LockupKind::Cliff
    }
}

pub fn run(context: &Context, command: GovernanceCommand) -> Result<()> {
    with_client(context, |client| {
        let view = View::new(client)?;
        match command {
            GovernanceCommand::Lock {
                tokens: amount,
                days,
                constant,
            } => lock(context, client, &view, amount, days, constant)?,
            GovernanceCommand::Unlock { index } => {
                let voter = client.voter(&client.address())?;
                if let Some(position) = voter
                    .as_ref()
                    .and_then(|voter| voter.positions.get(usize::from(index)))
                {
                    if position.lockup.kind == LockupKind::Cliff
                        && position.lockup.end_ts > view.now
                    {
                        bail!(
                            "position {index} is still locked: it unlocks {}; withdraw it then",
                            view.when(position.lockup.end_ts)
                        );
                    }
                }
                let outcome = client.withdraw_position(index)?;
                let amount = voter
                    .and_then(|voter| voter.positions.get(usize::from(index)).copied())
                    .map_or(0, |position| position.amount);
                context.print(
                    format!(
                        "withdrew position {index}: {} tokens back to this wallet (later \
                         positions move down by one)\nsignature {outcome}",
                        tokens(amount)
                    ),
                    json!({"withdrawn": index, "amount": amount, "tokens": tokens(amount),
                        "signature": outcome.to_string(),
                        "signatures": signatures_json(&[outcome.signature])}),
                );
            }
            GovernanceCommand::Relock {
                index,
                days,
                constant,
            } => {
                let voter = client.voter(&client.address())?;
                let current = voter
                    .as_ref()
                    .and_then(|voter| voter.positions.get(usize::from(index)).copied());
                let duration_secs = match (days, current) {
                    (Some(days), _) => days_to_secs(days)?,
                    // A constant lockup relocked as a cliff of its own
                    // length: its countdown starts.
                    (None, Some(position))
                        if position.lockup.kind == LockupKind::Constant && !constant =>
                    {
                        position.lockup.duration_secs
                    }
                    _ => bail!(
                        "--days is needed (only a constant position can be relocked without \
                         it, as a cliff of its own length)"
                    ),
                };
                let lockup = LockupArgs {
                    kind: lockup_kind(constant),
                    duration_secs,
                };
                let outcome = client.relock_position(index, lockup)?;
                let after = client
                    .voter(&client.address())?
                    .and_then(|voter| voter.positions.get(usize::from(index)).copied());
                let term = after.map_or_else(String::new, |position| view.lockup(&position));
                context.print(
                    format!("relocked position {index}: {term}\nsignature {outcome}"),
                    json!({"relocked": index, "days": duration_secs / DAY, "constant": constant,
                        "endTs": after.map(|position| position.lockup.end_ts),
                        "signature": outcome.to_string(),
                        "signatures": signatures_json(&[outcome.signature])}),
                );
            }
            GovernanceCommand::Merge { from, into } => {
                let outcome = client.merge_positions(from, into)?;
                let merged_index = if into > from { into - 1 } else { into };
                let merged = client
                    .voter(&client.address())?
                    .and_then(|voter| voter.positions.get(usize::from(merged_index)).copied());
                let summary = merged.map_or_else(String::new, |position| {
                    format!(
                        ": position {merged_index} now holds {} tokens ({})",
                        tokens(position.amount),
                        view.lockup(&position)
                    )
                });
                context.print(
                    format!(
                        "merged position {from} into {into}{summary}; positions after {from} \
                         moved down by one\nsignature {outcome}"
                    ),
                    json!({"from": from, "into": into, "index": merged_index,
                        "amount": merged.map(|position| position.amount),
                        "signature": outcome.to_string(),
                        "signatures": signatures_json(&[outcome.signature])}),
                );
            }
            GovernanceCommand::Positions => positions(context, client, &view)?,
            GovernanceCommand::Propose(args) => propose(context, client, &view, args)?,
            GovernanceCommand::Vote { id, choice } => {
                let proposal = client.proposal(id)?;
                if let ProposalStage::VoteEnded { .. } = ProposalStage::of(&proposal, view.now) {
                    if client.vote_record(id, &client.address())?.is_none() {
                        bail!(
                            "voting on proposal {id} ended {}; `depin gov execute {id}` \
                             decides it",
                            view.when(proposal.voting_ends_at)
                        );
                    }
                }
                let outcome = client.cast_vote(id, choice)?;
                let proposal = client.proposal(id)?;
                let power = client
                    .vote_record(id, &client.address())?
                    .map_or(0, |record| record.power);
                let name = governance::VOTE_CHOICES
                    .iter()
                    .find(|(known, _)| *known == choice)
                    .map_or("", |(_, name)| name);
                let mut value = proposal_json(&view, &proposal, None);
                value["choice"] = json!(name);
                value["power"] = json!(view.power(power));
                value["signature"] = json!(outcome.to_string());
                value["signatures"] = signatures_json(&[outcome.signature]);
                context.print(
                    format!(
                        "voted {name} on proposal {id} with {} voting power\nvotes now: {} \
                         (quorum {})\nstage: {}\nsignature {outcome}",
                        view.power(power),
                        view.tally(&proposal),
                        view.power(proposal.quorum_power),
                        view.stage(&proposal)
                    ),
                    value,
                );
            }
            GovernanceCommand::Execute { id } => {
                let before = client.proposal(id)?;
                match ProposalStage::of(&before, view.now) {
                    ProposalStage::Voting { ends_at } => bail!(
                        "proposal {id} is still voting: its vote ends {}; run `depin gov \
                         execute {id}` again then",
                        view.when(ends_at)
                    ),
                    ProposalStage::Timelocked { executable_at, .. } => bail!(
                        "proposal {id} is queued and its timelock has not passed: it can \
                         execute from {}; run `depin gov execute {id}` again then",
                        view.when(executable_at)
                    ),
                    _ => {}
                }
                let execution = client.execute_proposal(id)?;
                let proposal = client.proposal(id)?;
                let signatures: Vec<Signature> = execution
                    .outcomes
                    .iter()
                    .map(|outcome| outcome.signature)
                    .collect();
                let what = match (execution.state, execution.outcomes.is_empty()) {
                    (ProposalState::Executed, false) => {
                        let does = describe(client, &view, &proposal);
                        format!("proposal {id} executed:\n{}", numbered(&does))
                    }
                    (ProposalState::Defeated, false) => format!(
                        "proposal {id} is defeated: {} (quorum {}, approval needs {} of \
                         yes + no)",
                        view.tally(&proposal),
                        view.power(proposal.quorum_power),
                        percent(proposal.approval_threshold_bps.into())
                    ),
                    (_, true) => format!(
                        "proposal {id}: {}; nothing left to do",
                        view.stage(&proposal)
                    ),
                    _ => format!("proposal {id}: {}", view.stage(&proposal)),
                };
                let lines: Vec<String> = signatures
                    .iter()
                    .map(|s| format!("signature {s}"))
                    .collect();
                let mut value = proposal_json(&view, &proposal, None);
                value["signatures"] = signatures_json(&signatures);
                context.print(
                    if lines.is_empty() {
                        what
                    } else {
                        format!("{what}\n{}", lines.join("\n"))
                    },
                    value,
                );
            }
            GovernanceCommand::Cancel { id } => {
                let proposal = client.proposal(id)?;
                if let ProposalStage::VoteEnded { .. } = ProposalStage::of(&proposal, view.now) {
                    bail!(
                        "voting on proposal {id} ended {}: a vote that is over can no longer \
                         be cancelled",
                        view.when(proposal.voting_ends_at)
                    );
                }
                let outcome = client.cancel_proposal(id)?;
                let proposal = client.proposal(id)?;
                let mut value = proposal_json(&view, &proposal, None);
                value["signature"] = json!(outcome.to_string());
                value["signatures"] = signatures_json(&[outcome.signature]);
                context.print(
                    format!("cancelled proposal {id}\nsignature {outcome}"),
                    value,
                );
            }
            GovernanceCommand::List => {
                let proposals = client.proposals()?;
                if proposals.is_empty() {
                    context.print(
                        "no proposals yet: create one with `depin gov propose --title … \
                         emission|treasury-grant|oracle-set …` (needs locked tokens: `depin \
                         gov lock`)",
                        json!([]),
                    );
                    return Ok(());
                }
                let mut table = Table::new();
                table.set_header(["id", "title", "stage", "yes", "no", "abstain"]);
                for proposal in &proposals {
                    table.add_row([
                        proposal.id.to_string(),
                        proposal.title.clone(),
                        view.stage(proposal),
                        view.power(proposal.yes),
                        view.power(proposal.no),
                        view.power(proposal.abstain),
                    ]);
                }
                context.print(
                    format!(
                        "{} proposal{} (votes in voting power: tokens × lockup multiplier)\n{table}",
                        proposals.len(),
                        if proposals.len() == 1 { "" } else { "s" }
                    ),
                    Value::Array(
                        proposals
                            .iter()
                            .map(|proposal| proposal_json(&view, proposal, None))
                            .collect(),
                    ),
                );
            }
            GovernanceCommand::Show { id } => {
                let proposal = client.proposal(id)?;
                let does = describe(client, &view, &proposal);
                let mut lines = vec![format!("proposal {}: {}", proposal.id, proposal.title)];
                if !proposal.description.is_empty() {
                    lines.push(proposal.description.clone());
                }
                lines.push(format!("stage         {}", view.stage(&proposal)));
                lines.push(format!("proposer      {}", proposal.proposer));
                if proposal.state != ProposalState::Draft {
                    lines.push(format!(
                        "votes         {} ({} wallet{}), in voting power (tokens × lockup \
                         multiplier)",
                        view.tally(&proposal),
                        proposal.votes_cast,
                        if proposal.votes_cast == 1 { "" } else { "s" }
                    ));
                    let total = proposal
                        .yes
                        .saturating_add(proposal.no)
                        .saturating_add(proposal.abstain);
                    lines.push(format!(
                        "quorum        {} ({}); approval needs {} of yes + no",
                        view.power(proposal.quorum_power),
                        if total >= proposal.quorum_power {
                            "reached"
                        } else {
                            "not reached"
                        },
                        percent(proposal.approval_threshold_bps.into())
                    ));
                    lines.push(format!(
                        "voting        {} to {}",
                        view.when(proposal.voting_starts_at),
                        view.when(proposal.voting_ends_at)
                    ));
                }
                if proposal.executable_at != 0 {
                    lines.push(format!(
                        "executable    {} to {}",
                        view.when(proposal.executable_at),
                        view.when(proposal.expires_at)
                    ));
                }
                lines.push(format!("what it does\n{}", numbered(&does)));
                context.print(
                    lines.join("\n"),
                    proposal_json(&view, &proposal, Some(does)),
                );
            }
        }
        Ok(())
    })
}

/// "  1. …" per line.
fn numbered(lines: &[String]) -> String {
    if lines.is_empty() {
        return "  nothing (no instructions)".into();
    }
    lines
        .iter()
        .enumerate()
        .map(|(index, line)| format!("  {}. {line}", index + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

fn lock(
    context: &Context,
    client: &mut Client,
    view: &View,
    amount: TokenAmount,
    days: Option<i64>,
    constant: bool,
) -> Result<()> {
    let days = match (days, constant) {
        (Some(days), _) => days,
        (None, true) => DEFAULT_CONSTANT_DAYS,
        (None, false) => bail!(
            "--days is needed for a cliff lockup (or pass --constant, which keeps \
             {DEFAULT_CONSTANT_DAYS} days from unlocking unless --days says otherwise)"
        ),
    };
    let lockup = LockupArgs {
        kind: lockup_kind(constant),
        duration_secs: days_to_secs(days)?,
    };
    let amount = amount.base_units()?;
    for warning in client.lockup_warnings(amount, &lockup)? {
        warn(&warning);
    }
    let outcome = client.lock_tokens(amount, lockup)?;
    let voter = client.voter(&client.address())?;
    let index = voter
        .as_ref()
        .map_or(0, |voter| voter.positions.len().saturating_sub(1));
    let position = voter.and_then(|voter| voter.positions.last().copied());
    let power = match (position, client.governance_config()) {
        (Some(position), Ok(config)) => view.position_power(&config.power, &position),
        _ => 0,
    };
    let term = position.map_or_else(String::new, |position| view.lockup(&position));
    context.print(
        format!(
            "locked {} tokens as position {index} ({term}); its voting power now: {}\n\
             signature {outcome}",
            tokens(amount),
            view.power(power)
        ),
        json!({"locked": amount, "tokens": tokens(amount), "position": index, "days": days,
            "constant": constant, "defaultDays": constant && days == DEFAULT_CONSTANT_DAYS,
            "endTs": position.map(|position| position.lockup.end_ts),
            "votingPower": view.power(power),
            "signature": outcome.to_string(),
            "signatures": signatures_json(&[outcome.signature])}),
    );
    Ok(())
}

fn positions(context: &Context, client: &Client, view: &View) -> Result<()> {
    let voter = client.voter(&client.address())?;
    let positions = voter.map(|voter| voter.positions).unwrap_or_default();
    if positions.is_empty() {
        context.print(
            "no locked positions: lock tokens with `depin gov lock 1500 --days 365` (or \
             --constant)",
            json!([]),
        );
        return Ok(());
    }
    let params = client
        .governance_config()
        .map(|config| config.power)
        .unwrap_or_else(|_| governance::default_power_params());
    let mut table = Table::new();
    table.set_header(["#", "tokens", "lockup", "voting power now"]);
    let mut rows = Vec::new();
    let mut total = 0u128;
    for (index, position) in positions.iter().enumerate() {
        let power = view.position_power(&params, position);
        total = total.saturating_add(power);
        table.add_row([
            index.to_string(),
            tokens(position.amount),
            view.lockup(position),
            view.power(power),
        ]);
        rows.push(json!({"index": index, "amount": position.amount,
            "tokens": tokens(position.amount),
            "kind": format!("{:?}", position.lockup.kind), "endTs": position.lockup.end_ts,
            "durationSecs": position.lockup.duration_secs,
            "votingPower": view.power(power)}));
    }
    context.print(
        format!(
            "{} position{}, {} voting power now (tokens × lockup multiplier; a vote counts \
             the positions locked until it ends)\n{table}",
            positions.len(),
            if positions.len() == 1 { "" } else { "s" },
            view.power(total)
        ),
        Value::Array(rows),
    );
    Ok(())
}

fn propose(context: &Context, client: &mut Client, view: &View, args: ProposeArgs) -> Result<()> {
    let CreatedProposal {
        id,
        signatures,
        warnings,
    } = match args.change {
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
        Change::OracleSet { oracles, quorum } => {
            client.propose_oracle_set(oracles, quorum, &args.title, &args.description)?
        }
    };
    for warning in &warnings {
        warn(warning);
    }
    let proposal = client.proposal(id)?;
    let does = describe(client, view, &proposal);
    let mut value = proposal_json(view, &proposal, Some(does.clone()));
    value["signatures"] = signatures_json(&signatures);
    value["warnings"] = json!(warnings);
    let lines: Vec<String> = signatures
        .iter()
        .map(|signature| format!("signature {signature}"))
        .collect();
    context.print(
        format!(
            "proposal {id} is open for votes until {}\n{}\nvote with `depin gov vote {id} yes` \
             (or no, abstain)\n{}",
            view.when(proposal.voting_ends_at),
            numbered(&does),
            lines.join("\n")
        ),
        value,
    );
    Ok(())
}
