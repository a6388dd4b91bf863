//! Governance: DAO members lock tokens, create proposals, cast votes and
//! execute what passed; proposals that change the other programs.
//!
//! Every method checks what it can before it sends anything (the program's
//! bounds, the clock, balances, the DAO's authority over what a proposal
//! changes) and says what is wrong in words; what only the future can
//! decide comes back as warnings.

use {
    crate::{backend::BackendExt, require_account, Client},
    depin_sdk::{
        accounts::{GovernanceConfig, Proposal, ProposalState, Voter},
        amount::format_amount,
        describe::{duration, DEFAULT_TOKEN_DECIMALS},
        governance::{
            self, check_proposal_text, format_voting_power,
            state::{Lockup, LockupKind, VoteRecord},
            LockupArgs, ProposalStage, VoteChoice, MAX_INSTRUCTIONS, MAX_INSTRUCTION_ACCOUNTS,
            MAX_INSTRUCTION_DATA, MAX_POSITIONS,
        },
        pda, Instruction, Pubkey, SdkError, Signature, TxOutcome,
    },
};

/// How an administrative change was made.
pub enum AdminOutcome {
    /// This wallet holds the registry authority and applied it directly.
    Applied(TxOutcome),
    /// The DAO holds it: a proposal with this id is now up for a vote.
    Proposed(u64),
}

/// A proposal this wallet created: its id, the signature of every
/// transaction that made it (create, one per instruction, activate), and
/// what could not be checked before it was sent.
#[derive(Clone, Debug)]
pub struct CreatedProposal {
    pub id: u64,
    pub signatures: Vec<Signature>,
    /// Things only the future decides (e.g. the treasury's balance when the
    /// proposal executes), in words.
    pub warnings: Vec<String>,
}

/// What `execute_proposal` did: the state the proposal reached and the
/// transactions it took (none when nothing could move it on).
#[derive(Clone, Debug)]
pub struct Execution {
    pub state: ProposalState,
    pub outcomes: Vec<TxOutcome>,
}

/// "in 3 d 2 h" / "2 h ago" / "now".
fn at(time: i64, now: i64) -> String {
    let span = time.saturating_sub(now);
    match span {
        0 => "now".into(),
        1.. => format!("in {}", duration(span)),
        _ => format!("{} ago", duration(span.saturating_neg())),
    }
}

/// The network token's decimals, or the default before it exists.
fn decimals(client: &Client) -> u8 {
    client.token_decimals().unwrap_or(DEFAULT_TOKEN_DECIMALS)
}

/// "1500 tokens".
fn token_words(client: &Client, base_units: u64) -> String {
    format!("{} tokens", format_amount(base_units, decimals(client)))
}

/// Voting power in tokens (base units × multiplier).
fn power_words(client: &Client, power: u128) -> String {
    format_voting_power(power, decimals(client))
}

/// Whole days, rounded up.
fn days_up(seconds: i64) -> i64 {
    seconds.saturating_add(86_399) / 86_400
}

fn input(message: impl Into<String>) -> SdkError {
    SdkError::Input(message.into())
}

impl Client {
    pub fn governance_config(&self) -> Result<GovernanceConfig, SdkError> {
        require_account(
            &*self.backend,
            &pda::governance_config().0,
            "governance (run `depin network init`)",
        )
    }

    pub fn voter(&self, owner: &Pubkey) -> Result<Option<Voter>, SdkError> {
        self.backend.fetch_optional(&pda::voter(owner).0)
    }

    /// Checks a lockup against the DAO's bounds (`max_secs` overrides the
    /// maximum, as a relock may keep a longer remaining time).
    fn check_lockup(
        &self,
        config: &GovernanceConfig,
        lockup: &LockupArgs,
        max_secs: i64,
    ) -> Result<(), SdkError> {
        let min = config.power.min_lockup_secs;
        if !(min..=max_secs).contains(&lockup.duration_secs) {
            return Err(input(format!(
                "a lockup lasts {} to {} (the DAO's bounds); {} is outside them",
                duration(min),
                duration(max_secs),
                duration(lockup.duration_secs)
            )));
        }
        Ok(())
    }

    /// What a new lockup of `amount` tokens cannot do, in words: a cliff
    /// shorter than a voting period ends before any vote opened now ends, so
    /// it can neither vote nor back a proposal; and the power a proposal
    /// needs. Nothing is sent.
    pub fn lockup_warnings(
        &self,
        amount: u64,
        lockup: &LockupArgs,
    ) -> Result<Vec<String>, SdkError> {
        let config = self.governance_config()?;
        let now = self.now()?;
        let period = config.rules.voting_period_secs;
        let mut warnings = Vec::new();
        if lockup.kind == LockupKind::Cliff && lockup.duration_secs < period {
            warnings.push(format!(
                "a {} cliff lockup ends before a vote opened now would end (votes last {}): \
                 these tokens can neither vote nor back a proposal; lock for at least {} \
                 (or use a constant lockup)",
                duration(lockup.duration_secs),
                duration(period),
                duration(period)
            ));
            return Ok(warnings);
        }
        let mut voter = self.voter(&self.address())?.unwrap_or(Voter {
            owner: self.address(),
            bump: 0,
            positions: Vec::new(),
        });
        voter.positions.push(governance::Position {
            amount,
            lockup: Lockup::starting(lockup.kind, lockup.duration_secs, now)
                .map_err(|_| input("the lockup's end is out of range"))?,
            locked_at: now,
        });
        let power = voter
            .voting_power(&config.power, now, now.saturating_add(period))
            .unwrap_or(0);
        if power < config.rules.min_proposal_power {
            warnings.push(format!(
                "with this lock the wallet has {} voting power for proposals; creating one \
                 needs {} (it can still vote)",
                power_words(self, power),
                power_words(self, config.rules.min_proposal_power)
            ));
        }
        Ok(warnings)
    }

    /// Locks `amount` tokens (base units) from this wallet's token account.
    pub fn lock_tokens(&mut self, amount: u64, lockup: LockupArgs) -> Result<TxOutcome, SdkError> {
        if amount == 0 {
            return Err(input("locking 0 tokens does nothing"));
        }
        let config = self.governance_config()?;
        self.check_lockup(&config, &lockup, config.power.max_lockup_secs)?;
        let owner = self.address();
        if let Some(voter) = self.voter(&owner)? {
            if voter.positions.len() >= MAX_POSITIONS {
                return Err(input(format!(
                    "this wallet has {MAX_POSITIONS} positions, the most a wallet may have: \
                     merge two (`depin gov merge`) or withdraw one first"
                )));
            }
        }
        let source = depin_sdk::rewards::token_account(&owner);
        let held = self.backend.token_balance(&source)?;
        if held < amount {
            return Err(input(format!(
                "insufficient funds: locking {}, this wallet holds {}",
                token_words(self, amount),
                token_words(self, held)
            )));
        }
        self.send(
            &[governance::lock_tokens(
                owner,
                source,
                pda::token_mint().0,
                amount,
                lockup,
            )],
            &[],
        )
    }

    /// This wallet's voter account, or a plain error if it has none.
    fn my_voter(&self) -> Result<Voter, SdkError> {
        self.voter(&self.address())?.ok_or_else(|| {
            input("this wallet has no locked positions (lock tokens with `depin gov lock`)")
        })
    }

    fn position_of(voter: &Voter, index: u8) -> Result<governance::Position, SdkError> {
        voter
            .positions
            .get(usize::from(index))
            .copied()
            .ok_or_else(|| {
                input(format!(
                    "no position {index}: this wallet has {} (numbered from 0; see `depin gov \
                     positions`)",
                    voter.positions.len()
                ))
            })
    }

    /// Withdraws the unlocked position `index` back to the token account.
    pub fn withdraw_position(&mut self, index: u8) -> Result<TxOutcome, SdkError> {
        let owner = self.address();
        let voter = self.my_voter()?;
        let position = Self::position_of(&voter, index)?;
        let now = self.now()?;
        match position.lockup.kind {
            LockupKind::Constant => {
                return Err(input(format!(
                    "position {index} is a constant lockup: it never unlocks by itself; relock \
                     it as a cliff (`depin gov relock {index} --days {}`) and withdraw when \
                     that ends",
                    days_up(position.lockup.duration_secs)
                )))
            }
            LockupKind::Cliff if position.lockup.end_ts > now => {
                return Err(input(format!(
                    "position {index} is still locked: it unlocks {}",
                    at(position.lockup.end_ts, now)
                )))
            }
            LockupKind::Cliff => {}
        }
        self.send(
            &[
                depin_sdk::rewards::create_token_account(&owner, &owner),
                governance::withdraw_position(
                    owner,
                    index,
                    depin_sdk::rewards::token_account(&owner),
                    pda::token_mint().0,
                ),
            ],
            &[],
        )
    }

    /// Replaces position `index`'s lockup with `lockup`, starting now. It
    /// may not leave less time locked than the position has left.
    pub fn relock_position(
        &mut self,
        index: u8,
        lockup: LockupArgs,
    ) -> Result<TxOutcome, SdkError> {
        let owner = self.address();
        let voter = self.my_voter()?;
        let position = Self::position_of(&voter, index)?;
        let config = self.governance_config()?;
        let now = self.now()?;
        let remaining = position.lockup.remaining(now);
        self.check_lockup(
            &config,
            &lockup,
            config.power.max_lockup_secs.max(remaining),
        )?;
        if lockup.duration_secs < remaining {
            return Err(input(format!(
                "position {index} has {} of lockup left; a relock may not shorten it: choose \
                 at least {} days",
                duration(remaining),
                days_up(remaining)
            )));
        }
        self.send(&[governance::relock_position(owner, index, lockup)], &[])
    }

    /// Moves position `from`'s tokens into position `into`, which keeps the
    /// longer of the two lockups; `from` is removed (later positions move
    /// down by one).
    pub fn merge_positions(&mut self, from: u8, into: u8) -> Result<TxOutcome, SdkError> {
        if from == into {
            return Err(input(format!(
                "position {from} cannot be merged into itself"
            )));
        }
        let owner = self.address();
        let voter = self.my_voter()?;
        Self::position_of(&voter, from)?;
        Self::position_of(&voter, into)?;
        self.send(&[governance::merge_positions(owner, from, into)], &[])
    }

    /// Checks `instructions` against what a proposal may hold before
    /// anything is sent.
    fn check_proposal_instructions(
        config: &GovernanceConfig,
        instructions: &[Instruction],
    ) -> Result<(), SdkError> {
        if instructions.len() > MAX_INSTRUCTIONS {
            return Err(input(format!(
                "a proposal holds at most {MAX_INSTRUCTIONS} instructions; this one has {}",
                instructions.len()
            )));
        }
        for instruction in instructions {
            if !config.is_allowed_program(&instruction.program_id) {
                return Err(input(format!(
                    "the DAO may not call program {}",
                    instruction.program_id
                )));
            }
            if instruction.accounts.len() > MAX_INSTRUCTION_ACCOUNTS
                || instruction.data.len() > MAX_INSTRUCTION_DATA
            {
                return Err(input(format!(
                    "a proposal instruction has at most {MAX_INSTRUCTION_ACCOUNTS} accounts \
                     and {MAX_INSTRUCTION_DATA} bytes of data; this one has {} and {}",
                    instruction.accounts.len(),
                    instruction.data.len()
                )));
            }
        }
        Ok(())
    }

    /// Refuses a proposer whose power (positions locked at least one voting
    /// period ahead) is below the DAO's minimum.
    fn check_may_propose(&self, config: &GovernanceConfig) -> Result<(), SdkError> {
        let minimum = power_words(self, config.rules.min_proposal_power);
        let period = duration(config.rules.voting_period_secs);
        let voter = self.voter(&self.address())?;
        let Some(voter) = voter.filter(|voter| !voter.positions.is_empty()) else {
            return Err(input(format!(
                "this wallet has no locked tokens: a proposal needs voting power of at least \
                 {minimum} from positions locked for at least the {period} voting period \
                 (lock tokens with `depin gov lock`)"
            )));
        };
        let now = self.now()?;
        if !config.may_propose(&voter, now).unwrap_or(false) {
            let power = voter
                .voting_power(
                    &config.power,
                    now,
                    now.saturating_add(config.rules.voting_period_secs),
                )
                .unwrap_or(0);
            return Err(input(format!(
                "this wallet's voting power from positions locked for at least the {period} \
                 voting period is {}; a proposal needs at least {minimum} (lock more, or \
                 relock for longer)",
                power_words(self, power)
            )));
        }
        Ok(())
    }

    /// Creates a proposal carrying `instructions` (signed by the DAO
    /// authority when executed) and opens the vote, in as few transactions
    /// as the instructions fit in. Returns its id.
    pub fn create_proposal(
        &mut self,
        title: &str,
        description: &str,
        instructions: &[Instruction],
    ) -> Result<u64, SdkError> {
        Ok(self
            .create_proposal_signed(title, description, instructions)?
            .id)
    }

    /// [`Client::create_proposal`], returning every signature. The title,
    /// description, instructions and the proposer's power are checked
    /// before anything is sent.
    pub fn create_proposal_signed(
        &mut self,
        title: &str,
        description: &str,
        instructions: &[Instruction],
    ) -> Result<CreatedProposal, SdkError> {
        check_proposal_text(title, description).map_err(SdkError::Input)?;
        let config = self.governance_config()?;
        Self::check_proposal_instructions(&config, instructions)?;
        self.check_may_propose(&config)?;
        let id = config.proposal_count;
        let proposer = self.address();
        // Create, each instruction, activate: in this order, as many per
        // transaction as fit (version 0 through the network's lookup table
        // when there is one).
        let mut steps = vec![vec![governance::create_proposal(
            proposer,
            id,
            title,
            description,
        )]];
        steps.extend(instructions.iter().map(|instruction| {
            vec![governance::add_instruction(
                proposer,
                id,
                governance::stored(instruction),
            )]
        }));
        steps.push(vec![governance::activate_proposal(proposer, id)]);
        let signatures = self
            .send_packed(&steps, &mut |_, _| {})?
            .into_iter()
            .map(|outcome| outcome.signature)
            .collect();
        Ok(CreatedProposal {
            id,
            signatures,
            warnings: Vec::new(),
        })
    }

    pub fn proposal(&self, id: u64) -> Result<Proposal, SdkError> {
        self.backend
            .fetch_optional(&pda::proposal(id).0)?
            .ok_or_else(|| input(format!("there is no proposal {id}")))
    }

    /// Every proposal, by id.
    pub fn proposals(&self) -> Result<Vec<Proposal>, SdkError> {
        let mut proposals: Vec<Proposal> = self
            .program_accounts_of::<Proposal>(&governance::ID, vec![])?
            .into_iter()
            .map(|(_, proposal)| proposal)
            .collect();
        proposals.sort_by_key(|proposal| proposal.id);
        Ok(proposals)
    }

    /// `owner`'s vote on proposal `id`, if it voted.
    pub fn vote_record(&self, id: u64, owner: &Pubkey) -> Result<Option<VoteRecord>, SdkError> {
        self.backend
            .fetch_optional(&pda::vote_record(&pda::proposal(id).0, owner).0)
    }

    fn already_voted(&self, id: u64, record: &VoteRecord) -> SdkError {
        let choice = governance::VOTE_CHOICES
            .iter()
            .find(|(choice, _)| *choice == record.choice)
            .map_or("", |(_, name)| name);
        input(format!(
            "you already voted on proposal {id} ({choice}, with {} voting power); a vote \
             cannot be changed",
            power_words(self, record.power)
        ))
    }

    /// Votes with every position of this wallet.
    pub fn cast_vote(&mut self, id: u64, choice: VoteChoice) -> Result<TxOutcome, SdkError> {
        let proposal = self.proposal(id)?;
        let owner = self.address();
        if let Some(record) = self.vote_record(id, &owner)? {
            return Err(self.already_voted(id, &record));
        }
        let now = self.now()?;
        match ProposalStage::of(&proposal, now) {
            ProposalStage::Voting { .. } => {}
            ProposalStage::VoteEnded { .. } => {
                return Err(input(format!(
                    "voting on proposal {id} ended {}; `depin gov execute {id}` decides it",
                    at(proposal.voting_ends_at, now)
                )))
            }
            ProposalStage::Draft => {
                return Err(input(format!(
                    "proposal {id} is a draft: its vote has not been opened"
                )))
            }
            stage => {
                return Err(input(format!(
                    "proposal {id} is {}, not open for votes",
                    stage.name()
                )))
            }
        }
        let voter = self.voter(&owner)?.ok_or_else(|| {
            input(
                "this wallet has no locked tokens to vote with (lock tokens with `depin gov lock`)",
            )
        })?;
        let power = voter
            .voting_power(&proposal.power, now, proposal.voting_ends_at)
            .unwrap_or(0);
        if power == 0 {
            return Err(input(format!(
                "none of this wallet's positions stays locked until voting on proposal {id} \
                 ends ({}), so it has no voting power on it; relock a position for longer \
                 (`depin gov relock`) or lock more tokens",
                at(proposal.voting_ends_at, now)
            )));
        }
        let sent = self.send(
            &[governance::cast_vote(
                owner,
                id,
                choice,
                pda::token_mint().0,
            )],
            &[],
        );
        match sent {
            // The vote record exists after all: an earlier attempt of this
            // vote landed (e.g. an RPC retry), or another vote raced it. The
            // system program says "already in use"; say what it means.
            Err(error) => match self.vote_record(id, &owner) {
                Ok(Some(record)) => Err(self.already_voted(id, &record)),
                _ => Err(error),
            },
            sent => sent,
        }
    }

    /// Moves a proposal as far as it can go now: finalizes an ended vote,
    /// queues a success, executes a queued proposal whose timelock passed,
    /// or records that it expired. Anyone may crank. A proposal still in
    /// its vote or timelock is an error that says when to come back; one
    /// that is already over reports its state and sends nothing.
    pub fn execute_proposal(&mut self, id: u64) -> Result<Execution, SdkError> {
        let now = self.now()?;
        let mut outcomes = Vec::new();
        loop {
            let proposal = self.proposal(id)?;
            let stage = ProposalStage::of(&proposal, now);
            let step = match stage {
                // A vote that tips is decided by `cast_vote` itself.
                ProposalStage::VoteEnded { .. } => vec![governance::finalize_vote(id)],
                ProposalStage::Succeeded { .. } => vec![governance::queue_proposal(id)],
                ProposalStage::Executable { .. } => {
                    if self.backend.budget_instructions().is_empty() {
                        governance::execute_proposal_with_budget(id, &proposal.instructions)
                    } else {
                        // The sender's own limit (--compute-unit-limit) rules.
                        vec![governance::execute_proposal(id, &proposal.instructions)]
                    }
                }
                // The program expires a proposal at its deadline exactly.
                ProposalStage::Expired if stage.can_move_on(&proposal) => {
                    vec![governance::expire_proposal(id)]
                }
                ProposalStage::Voting { ends_at } if outcomes.is_empty() => {
                    return Err(input(format!(
                        "proposal {id} is still voting: its vote ends {}; execute it after that",
                        at(ends_at, now)
                    )))
                }
                ProposalStage::Timelocked { executable_at, .. } if outcomes.is_empty() => {
                    return Err(input(format!(
                        "proposal {id} is queued and its timelock has not passed: it can execute \
                         {}",
                        at(executable_at, now)
                    )))
                }
                ProposalStage::Draft => {
                    return Err(input(format!(
                        "proposal {id} is a draft: its proposer has not opened the vote"
                    )))
                }
                _ => {
                    return Ok(Execution {
                        state: proposal.state,
                        outcomes,
                    })
                }
            };
            outcomes.push(self.send(&step, &[])?);
        }
    }

    /// Withdraws this wallet's proposal `id` while it is a draft or its
    /// vote is still running.
    pub fn cancel_proposal(&mut self, id: u64) -> Result<TxOutcome, SdkError> {
        let proposal = self.proposal(id)?;
        let owner = self.address();
        if proposal.proposer != owner {
            return Err(input(format!(
                "only its proposer ({}) may cancel proposal {id}",
                proposal.proposer
            )));
        }
        let now = self.now()?;
        match ProposalStage::of(&proposal, now) {
            ProposalStage::Draft | ProposalStage::Voting { .. } => {}
            ProposalStage::VoteEnded { .. } => {
                return Err(input(format!(
                    "voting on proposal {id} ended {}: a vote that is over can no longer be \
                     cancelled",
                    at(proposal.voting_ends_at, now)
                )))
            }
            stage => {
                return Err(input(format!(
                    "proposal {id} is {}: only a draft or a running vote can be cancelled",
                    stage.name()
                )))
            }
        }
        self.send(&[governance::cancel_proposal(owner, id)], &[])
    }

    /// The earliest moment a proposal created now could execute: after its
    /// vote and the timelock.
    fn earliest_execution(&self, config: &GovernanceConfig) -> Result<i64, SdkError> {
        Ok(self
            .now()?
            .saturating_add(config.rules.voting_period_secs)
            .saturating_add(config.rules.timelock_secs))
    }

    /// Proposes paying `tokens_per_epoch` from `start_epoch` on.
    pub fn propose_emission(
        &mut self,
        start_epoch: u64,
        tokens_per_epoch: u64,
        title: &str,
        description: &str,
    ) -> Result<CreatedProposal, SdkError> {
        check_proposal_text(title, description).map_err(SdkError::Input)?;
        let dao = pda::dao_authority().0;
        let config = self.rewards_config()?;
        if config.authority != dao {
            return Err(input(format!(
                "the rewards program's authority is {}, not the DAO: a proposal could not \
                 change it (hand it over with `depin network hand-over`)",
                config.authority
            )));
        }
        if start_epoch < config.next_epoch {
            return Err(input(format!(
                "epoch {start_epoch} is already issued; the earliest epoch a change can start \
                 is {}",
                config.next_epoch
            )));
        }
        let oracle = self.oracle_config()?;
        let now = self.now()?;
        if let Some(running) = oracle.current_epoch(now) {
            if start_epoch <= running {
                return Err(input(format!(
                    "epoch {running} is running now; a change can start at epoch {} at the \
                     earliest",
                    running + 1
                )));
            }
        }
        let schedule =
            depin_sdk::rewards::schedule_with_rate(&config.schedule, start_epoch, tokens_per_epoch)
                .ok_or_else(|| {
                    input(format!(
                        "no schedule entry starts before epoch {start_epoch}"
                    ))
                })?;
        let governance_config = self.governance_config()?;
        let earliest = self.earliest_execution(&governance_config)?;
        let mut warnings = Vec::new();
        if let Some(then) = oracle.current_epoch(earliest) {
            if start_epoch <= then {
                warnings.push(format!(
                    "this proposal can execute {} at the earliest, when epoch {then} will be \
                     running: a change from epoch {start_epoch} would then be retroactive and \
                     its execution would fail; epoch {} or later is safe",
                    at(earliest, now),
                    then + 1
                ));
            }
        }
        let change = depin_sdk::rewards::set_emission_schedule(dao, schedule);
        let mut created = self.create_proposal_signed(title, description, &[change])?;
        created.warnings.extend(warnings);
        Ok(created)
    }

    /// Proposes a payment of `amount` tokens from the treasury.
    pub fn propose_treasury_grant(
        &mut self,
        recipient: &Pubkey,
        amount: u64,
        title: &str,
        description: &str,
    ) -> Result<CreatedProposal, SdkError> {
        check_proposal_text(title, description).map_err(SdkError::Input)?;
        if amount == 0 {
            return Err(input("a grant of 0 tokens does nothing"));
        }
        let dao = pda::dao_authority().0;
        let treasury = pda::treasury().0;
        let account = self
            .backend
            .account(&treasury)?
            .ok_or_else(|| input("the treasury does not exist (run `depin network init`)"))?;
        let owner = depin_sdk::token::token_account_owner(&account.data);
        if owner != Some(dao) {
            return Err(input(format!(
                "the treasury is not the DAO's yet (its owner is {}): hand it over with \
                 `depin network hand-over`",
                owner.map_or_else(|| "unknown".into(), |owner| owner.to_string())
            )));
        }
        let held = depin_sdk::token::token_account_amount(&account.data).unwrap_or(0);
        if amount > held {
            return Err(input(format!(
                "the treasury holds {}; a grant of {} could never be paid",
                token_words(self, held),
                token_words(self, amount)
            )));
        }
        let governance_config = self.governance_config()?;
        Self::check_proposal_instructions(
            &governance_config,
            &[depin_sdk::token::transfer(
                &treasury, &treasury, &dao, amount,
            )],
        )?;
        self.check_may_propose(&governance_config)?;
        let promised = self.treasury_promised()?;
        let now = self.now()?;
        let mut warnings = vec![format!(
            "the treasury must still hold {} when the proposal executes ({} at the earliest); \
             it holds {} now",
            token_words(self, amount),
            at(self.earliest_execution(&governance_config)?, now),
            token_words(self, held)
        )];
        if promised > 0 && promised.saturating_add(amount) > held {
            warnings.push(format!(
                "open proposals already pay {} from the treasury: not all of them can execute",
                token_words(self, promised)
            ));
        }
        let destination = depin_sdk::rewards::token_account(recipient);
        // The recipient's token account is created now, by the proposer,
        // so the proposal only moves tokens (the DAO's allowed programs
        // do not include the associated-token program).
        if !self.backend.exists(&destination)? {
            let proposer = self.address();
            self.send(
                &[depin_sdk::rewards::create_token_account(
                    &proposer, recipient,
                )],
                &[],
            )?;
        }
        let pay = depin_sdk::token::transfer(&treasury, &destination, &dao, amount);
        let mut created = self.create_proposal_signed(title, description, &[pay])?;
        created.warnings.extend(warnings);
        Ok(created)
    }

    /// Tokens that proposals still open (voting, succeeded or queued) pay
    /// from the treasury.
    fn treasury_promised(&self) -> Result<u64, SdkError> {
        let treasury = pda::treasury().0;
        let now = self.now()?;
        Ok(self
            .proposals()?
            .iter()
            .filter(|proposal| {
                matches!(
                    ProposalStage::of(proposal, now),
                    ProposalStage::Voting { .. }
                        | ProposalStage::VoteEnded { passing: true }
                        | ProposalStage::Succeeded { .. }
                        | ProposalStage::Timelocked { .. }
                        | ProposalStage::Executable { .. }
                )
            })
            .flat_map(|proposal| &proposal.instructions)
            .filter(|ix| {
                ix.program_id == depin_sdk::token::SPL_TOKEN_PROGRAM_ID
                    && ix.data.first() == Some(&3)
                    && ix.accounts.first().map(|meta| meta.pubkey) == Some(treasury)
            })
            .filter_map(|ix| Some(u64::from_le_bytes(ix.data.get(1..9)?.try_into().ok()?)))
            .fold(0u64, u64::saturating_add))
    }

    /// Proposes a new oracle set and quorum.
    pub fn propose_oracle_set(
        &mut self,
        oracles: Vec<Pubkey>,
        quorum: u8,
        title: &str,
        description: &str,
    ) -> Result<CreatedProposal, SdkError> {
        use depin_sdk::proof_oracle::constants::MAX_ORACLES;
        check_proposal_text(title, description).map_err(SdkError::Input)?;
        let size = oracles.len();
        if size == 0 || size > MAX_ORACLES {
            return Err(input(format!(
                "an oracle set has 1 to {MAX_ORACLES} oracles; this one has {size}"
            )));
        }
        if let Some((index, key)) = oracles
            .iter()
            .enumerate()
            .find(|(index, key)| oracles[..*index].contains(key))
        {
            return Err(input(format!(
                "oracle {key} is named twice (--oracle number {})",
                index + 1
            )));
        }
        if oracles.contains(&Pubkey::default()) {
            return Err(input("the all-zero key cannot be an oracle"));
        }
        if quorum == 0 {
            return Err(input(
                "a quorum of 0 would finalize batches nobody voted for; it must be 1 to the \
                 number of oracles",
            ));
        }
        if usize::from(quorum) > size {
            return Err(input(format!(
                "a quorum of {quorum} with {size} oracle{} could never be reached; it must be \
                 1 to {size}",
                if size == 1 { "" } else { "s" }
            )));
        }
        let dao = pda::dao_authority().0;
        let config = self.oracle_config()?;
        if config.authority != dao {
            return Err(input(format!(
                "the oracle set's authority is {}, not the DAO: a proposal could not change \
                 it (hand it over with `depin network hand-over`)",
                config.authority
            )));
        }
        if usize::from(config.price_min_submissions) > size {
            return Err(input(format!(
                "a token price needs {} oracle submissions, more than the {size} oracles of \
                 this set: no price could form",
                config.price_min_submissions
            )));
        }
        let warnings = vec![format!(
            "whether these {size} keys are run by working oracles cannot be checked: batches \
             become final only when {quorum} of them vote on each epoch"
        )];
        let change = depin_sdk::proof_oracle::set_oracle_set(dao, oracles, quorum);
        let mut created = self.create_proposal_signed(title, description, &[change])?;
        created.warnings.extend(warnings);
        Ok(created)
    }
}
