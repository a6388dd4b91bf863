//! Governance: DAO members lock tokens, create proposals, cast votes and
//! execute what passed; proposals that change the other programs.

use {
    crate::{backend::BackendExt, require_account, Client},
    depin_sdk::{
        accounts::{GovernanceConfig, Proposal, ProposalState, Voter},
        governance::{self, LockupArgs, VoteChoice},
        pda, Instruction, Pubkey, SdkError, TxOutcome,
    },
};

/// How an administrative change was made.
pub enum AdminOutcome {
    /// This wallet holds the registry authority and applied it directly.
    Applied(TxOutcome),
    /// The DAO holds it: a proposal with this id is now up for a vote.
    Proposed(u64),
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

    /// Locks `amount` tokens (base units) from this wallet's token account.
    pub fn lock_tokens(&mut self, amount: u64, lockup: LockupArgs) -> Result<TxOutcome, SdkError> {
        let owner = self.address();
        let source = depin_sdk::rewards::token_account(&owner);
        let held = self.backend.token_balance(&source)?;
        if held < amount {
            return Err(SdkError::Input(format!(
                "insufficient funds: locking {amount} token base units, this wallet holds {held}"
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

    /// Withdraws the unlocked position `index` back to the token account.
    pub fn withdraw_position(&mut self, index: u8) -> Result<TxOutcome, SdkError> {
        let owner = self.address();
        let voter = self
            .voter(&owner)?
            .ok_or_else(|| SdkError::Input("this wallet has no locked positions".into()))?;
        let position = voter.positions.get(usize::from(index)).ok_or_else(|| {
            SdkError::Input(format!(
                "no position {index}: this wallet has {} (numbered from 0)",
                voter.positions.len()
            ))
        })?;
        let now = self.now()?;
        if position.lockup.end_ts > now
            || position.lockup.kind == governance::state::LockupKind::Constant
        {
            return Err(SdkError::Input(format!(
                "position {index} is still locked ({:?} lockup ending at unix time {})",
                position.lockup.kind, position.lockup.end_ts
            )));
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

    /// Creates a proposal carrying `instructions` (signed by the DAO
    /// authority when executed), one transaction per instruction, and opens
    /// the vote. Returns its id.
    pub fn create_proposal(
        &mut self,
        title: &str,
        description: &str,
        instructions: &[Instruction],
    ) -> Result<u64, SdkError> {
        let config = self.governance_config()?;
        let id = config.proposal_count;
        let proposer = self.address();
        if self
            .voter(&proposer)?
            .is_none_or(|voter| voter.positions.is_empty())
        {
            return Err(SdkError::Input(format!(
                "this wallet has no locked tokens: a proposal needs voting power of at \
                 least {} (lock tokens with `depin gov lock`)",
                config.rules.min_proposal_power
            )));
        }
        self.send(
            &[governance::create_proposal(
                proposer,
                id,
                title,
                description,
            )],
            &[],
        )?;
        for instruction in instructions {
            self.send(
                &[governance::add_instruction(
                    proposer,
                    id,
                    governance::stored(instruction),
                )],
                &[],
            )?;
        }
        self.send(&[governance::activate_proposal(proposer, id)], &[])?;
        Ok(id)
    }

    pub fn proposal(&self, id: u64) -> Result<Proposal, SdkError> {
        self.backend
            .fetch_optional(&pda::proposal(id).0)?
            .ok_or_else(|| SdkError::Input(format!("there is no proposal {id}")))
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

    /// Votes with every position of this wallet.
    pub fn cast_vote(&mut self, id: u64, choice: VoteChoice) -> Result<TxOutcome, SdkError> {
        let proposal = self.proposal(id)?;
        let owner = self.address();
        let record = pda::vote_record(&pda::proposal(id).0, &owner).0;
        if self.backend.exists(&record)? {
            return Err(SdkError::Input(format!(
                "this wallet has already voted on proposal {id}"
            )));
        }
        if proposal.state != ProposalState::Voting {
            return Err(SdkError::Input(format!(
                "proposal {id} is {:?}, not open for votes",
                proposal.state
            )));
        }
        self.send(
            &[governance::cast_vote(
                owner,
                id,
                choice,
                pda::token_mint().0,
            )],
            &[],
        )
    }

    /// Moves a proposal as far as it can go now: finalizes an ended vote,
    /// queues a success, executes a queued proposal whose timelock passed.
    /// Returns the state it reached. Anyone may crank.
    pub fn execute_proposal(&mut self, id: u64) -> Result<ProposalState, SdkError> {
        let now = self.now()?;
        loop {
            let proposal = self.proposal(id)?;
            let step = match proposal.state {
                // A vote that tips is decided by `cast_vote` itself.
                ProposalState::Voting if now >= proposal.voting_ends_at => {
                    vec![governance::finalize_vote(id)]
                }
                ProposalState::Succeeded => vec![governance::queue_proposal(id)],
                ProposalState::Queued if now >= proposal.executable_at => {
                    // The program expires a proposal at `expires_at` exactly.
                    if now >= proposal.expires_at {
                        vec![governance::expire_proposal(id)]
                    } else if self.backend.budget_instructions().is_empty() {
                        governance::execute_proposal_with_budget(id, &proposal.instructions)
                    } else {
                        // The sender's own limit (--compute-unit-limit) rules.
                        vec![governance::execute_proposal(id, &proposal.instructions)]
                    }
                }
                state => return Ok(state),
            };
            self.send(&step, &[])?;
        }
    }

    /// Proposes paying `tokens_per_epoch` from `start_epoch` on.
    pub fn propose_emission(
        &mut self,
        start_epoch: u64,
        tokens_per_epoch: u64,
        title: &str,
        description: &str,
    ) -> Result<u64, SdkError> {
        let config = self.rewards_config()?;
        if start_epoch < config.next_epoch {
            return Err(SdkError::Input(format!(
                "epoch {start_epoch} is already issued; the earliest epoch a change can start is {}",
                config.next_epoch
            )));
        }
        let schedule =
            depin_sdk::rewards::schedule_with_rate(&config.schedule, start_epoch, tokens_per_epoch)
                .ok_or_else(|| {
                    SdkError::Input(format!(
                        "no schedule entry starts before epoch {start_epoch}"
                    ))
                })?;
        let change = depin_sdk::rewards::set_emission_schedule(pda::dao_authority().0, schedule);
        self.create_proposal(title, description, &[change])
    }

    /// Proposes a payment of `amount` tokens from the treasury.
    pub fn propose_treasury_grant(
        &mut self,
        recipient: &Pubkey,
        amount: u64,
        title: &str,
        description: &str,
    ) -> Result<u64, SdkError> {
        let dao = pda::dao_authority().0;
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
        let pay = depin_sdk::token::transfer(&pda::treasury().0, &destination, &dao, amount);
        self.create_proposal(title, description, &[pay])
    }

    /// Proposes a new oracle set and quorum.
    pub fn propose_oracle_set(
        &mut self,
        oracles: Vec<Pubkey>,
        quorum: u8,
        title: &str,
        description: &str,
    ) -> Result<u64, SdkError> {
        let change =
            depin_sdk::proof_oracle::set_oracle_set(pda::dao_authority().0, oracles, quorum);
        self.create_proposal(title, description, &[change])
    }
}
