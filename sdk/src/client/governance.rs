//! DAO members: locking tokens, proposals, votes, execution; and network
//! administration, which after the hand-over is a proposal.

use {
    super::{require_account, Client},
    crate::{
        accounts::{GovernanceConfig, Maker, Proposal, ProposalState, Voter},
        backend::BackendExt,
        governance as gov, pda,
        registry::{self, AddMakerArgs, DeviceClassArgs},
        Instruction, Pubkey, SdkError, TxOutcome,
    },
    device_registry::instructions::UpdateMakerArgs,
    governance::{instructions::LockupArgs, state::VoteChoice},
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
            self,
            &pda::governance_config().0,
            "governance (run `depin network init`)",
        )
    }

    pub fn voter(&self, owner: &Pubkey) -> Result<Option<Voter>, SdkError> {
        self.fetch_optional(&pda::voter(owner).0)
    }

    /// Locks `amount` tokens (base units) from this wallet's token account.
    pub fn lock_tokens(&mut self, amount: u64, lockup: LockupArgs) -> Result<TxOutcome, SdkError> {
        let owner = self.address();
        let source = crate::rewards::token_account(&owner);
        let held = self.get_token_balance(&source)?;
        if held < amount {
            return Err(SdkError::Input(format!(
                "insufficient funds: locking {amount} token base units, this wallet holds {held}"
            )));
        }
        self.send(
            &[gov::lock_tokens(
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
    pub fn unlock_position(&mut self, index: u8) -> Result<TxOutcome, SdkError> {
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
                crate::rewards::create_token_account(&owner, &owner),
                gov::withdraw_position(
                    owner,
                    index,
                    crate::rewards::token_account(&owner),
                    pda::token_mint().0,
                ),
            ],
            &[],
        )
    }

    /// Creates a proposal carrying `instructions` (signed by the DAO
    /// authority when executed), one transaction per instruction, and opens
    /// the vote. Returns its id.
    pub fn propose(
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
            &[gov::create_proposal(proposer, id, title, description)],
            &[],
        )?;
        for instruction in instructions {
            self.send(
                &[gov::add_instruction(proposer, id, gov::stored(instruction))],
                &[],
            )?;
        }
        self.send(&[gov::activate_proposal(proposer, id)], &[])?;
        Ok(id)
    }

    pub fn proposal(&self, id: u64) -> Result<Proposal, SdkError> {
        self.fetch_optional(&pda::proposal(id).0)?
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
    pub fn vote(&mut self, id: u64, choice: VoteChoice) -> Result<TxOutcome, SdkError> {
        let proposal = self.proposal(id)?;
        let owner = self.address();
        let record = pda::vote_record(&pda::proposal(id).0, &owner).0;
        if self.exists(&record)? {
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
            &[gov::cast_vote(owner, id, choice, pda::token_mint().0)],
            &[],
        )
    }

    /// Moves a proposal as far as it can go now: finalizes an ended vote,
    /// queues a success, executes a queued proposal whose timelock passed.
    /// Returns the state it reached. Anyone may crank.
    pub fn advance_proposal(&mut self, id: u64) -> Result<ProposalState, SdkError> {
        let now = self.now()?;
        loop {
            let proposal = self.proposal(id)?;
            let step = match proposal.state {
                // A vote that tips is decided by `cast_vote` itself.
                ProposalState::Voting if now >= proposal.voting_ends_at => {
                    vec![gov::finalize_vote(id)]
                }
                ProposalState::Succeeded => vec![gov::queue_proposal(id)],
                ProposalState::Queued if now >= proposal.executable_at => {
                    // The program expires a proposal at `expires_at` exactly.
                    if now >= proposal.expires_at {
                        vec![gov::expire_proposal(id)]
                    } else if self.backend.budget_instructions().is_empty() {
                        gov::execute_proposal_with_budget(id, &proposal.instructions)
                    } else {
                        // The sender's own limit (--compute-unit-limit) rules.
                        vec![gov::execute_proposal(id, &proposal.instructions)]
                    }
                }
                state => return Ok(state),
            };
            self.send(&step, &[])?;
        }
    }

    /// Applies a registry change directly if this wallet holds the registry
    /// authority, or proposes it to the DAO if the DAO does.
    fn administer(
        &mut self,
        title: &str,
        build: impl Fn(Pubkey) -> Instruction,
    ) -> Result<AdminOutcome, SdkError> {
        let config = self.registry_config()?;
        if config.authority == self.address() {
            let instruction = build(self.address());
            return self.send(&[instruction], &[]).map(AdminOutcome::Applied);
        }
        let dao = pda::dao_authority().0;
        if config.authority != dao {
            return Err(SdkError::Input(format!(
                "the registry authority is {}: neither this wallet nor the DAO",
                config.authority
            )));
        }
        let instruction = build(dao);
        self.propose(
            title,
            "Registry change proposed with the depin CLI.",
            &[instruction],
        )
        .map(AdminOutcome::Proposed)
    }

    pub fn add_maker(
        &mut self,
        maker_key: Pubkey,
        name: &str,
        device_quota: Option<u64>,
    ) -> Result<AdminOutcome, SdkError> {
        if self.exists(&pda::maker(&maker_key).0)? {
            return Err(SdkError::Input(format!(
                "maker {maker_key} is already approved"
            )));
        }
        let args = AddMakerArgs {
            maker_key,
            name: name.to_string(),
            device_quota,
        };
        self.administer(&format!("Approve maker {name}"), |authority| {
            registry::add_maker(authority, authority, args.clone())
        })
    }

    /// Changes a maker's quota or revokes/reinstates it.
    pub fn update_maker(
        &mut self,
        maker_key: Pubkey,
        device_quota: Option<Option<u64>>,
        approved: Option<bool>,
    ) -> Result<AdminOutcome, SdkError> {
        let maker: Maker = self
            .fetch_optional(&pda::maker(&maker_key).0)?
            .ok_or_else(|| SdkError::Input(format!("unknown maker {maker_key}")))?;
        let args = UpdateMakerArgs {
            name: maker.name.clone(),
            device_quota: device_quota.unwrap_or(maker.device_quota),
            approved: approved.unwrap_or(maker.approved),
        };
        self.administer(&format!("Update maker {}", maker.name), |authority| {
            registry::update_maker(authority, maker_key, args.clone())
        })
    }

    pub fn add_device_class(&mut self, class: DeviceClassArgs) -> Result<AdminOutcome, SdkError> {
        let config = self.registry_config()?;
        if config.classes.iter().any(|known| known.name == class.name) {
            return Err(SdkError::Input(format!(
                "device class '{}' already exists",
                class.name
            )));
        }
        self.administer(&format!("Add device class {}", class.name), |authority| {
            registry::add_device_class(authority, class.clone())
        })
    }

    /// Replaces the settings of the class named `class.name`.
    pub fn update_device_class(
        &mut self,
        class: DeviceClassArgs,
    ) -> Result<AdminOutcome, SdkError> {
        let config = self.registry_config()?;
        let class_id = config
            .classes
            .iter()
            .position(|known| known.name == class.name)
            .ok_or_else(|| SdkError::Input(format!("unknown device class '{}'", class.name)))?;
        self.administer(
            &format!("Update device class {}", class.name),
            |authority| registry::update_device_class(authority, class_id as u8, class.clone()),
        )
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
            crate::rewards::schedule_with_rate(&config.schedule, start_epoch, tokens_per_epoch)
                .ok_or_else(|| {
                    SdkError::Input(format!(
                        "no schedule entry starts before epoch {start_epoch}"
                    ))
                })?;
        let change = crate::rewards::set_emission_schedule(pda::dao_authority().0, schedule);
        self.propose(title, description, &[change])
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
        let destination = crate::rewards::token_account(recipient);
        // The recipient's token account is created now, by the proposer,
        // so the proposal only moves tokens (the DAO's allowed programs
        // do not include the associated-token program).
        if !self.exists(&destination)? {
            let proposer = self.address();
            self.send(
                &[crate::rewards::create_token_account(&proposer, recipient)],
                &[],
            )?;
        }
        let pay = crate::token::transfer(&pda::treasury().0, &destination, &dao, amount);
        self.propose(title, description, &[pay])
    }

    /// Proposes a new oracle set and quorum.
    pub fn propose_oracle_set(
        &mut self,
        oracles: Vec<Pubkey>,
        quorum: u8,
        title: &str,
        description: &str,
    ) -> Result<u64, SdkError> {
        let change = crate::oracle::set_oracle_set(pda::dao_authority().0, oracles, quorum);
        self.propose(title, description, &[change])
    }
}
