//! A network handed over to its DAO: governance over the network token,
//! token holders with funded accounts, and the registry, oracle set, rewards
//! config and treasury owned by the DAO authority.

use {
    crate::{
        cluster_with_mint,
        network::{Member, Network, TOKEN},
        SOL,
    },
    depin_client::{
        bootstrap::{bootstrap_governance, hand_over_to_dao},
        embedded::EmbeddedCluster,
    },
    depin_sdk::{
        accounts::{GovernanceConfig, Proposal, ProposalState, Voter},
        governance::{
            self, InitializeGovernanceArgs, LockupArgs, LockupKind, ProposalRules, Quorum,
            StoredInstruction, VoteChoice, VotingPowerParams,
        },
        pda, token, Instruction, Keypair, Pubkey, SdkError, Signer, TxOutcome,
    },
};

pub const HOUR: i64 = 3_600;
pub const DAY: i64 = 86_400;
pub const YEAR: i64 = 365 * DAY;
/// Voting lasts two days, then a one-day timelock and a two-day window.
pub const VOTING_PERIOD: i64 = 2 * DAY;
pub const TIMELOCK: i64 = DAY;
pub const EXECUTION_WINDOW: i64 = 2 * DAY;
/// Power needed to propose.
pub const MIN_PROPOSAL_POWER: u128 = 1_000 * TOKEN as u128;

pub fn test_power_params() -> VotingPowerParams {
    VotingPowerParams {
        baseline_bps: 10_000,
        max_extra_bps: 30_000,
        saturation_secs: 4 * YEAR,
        min_lockup_secs: DAY,
        max_lockup_secs: 4 * YEAR,
    }
}

/// 20 % of locked tokens as quorum, 60 % approval.
pub fn test_rules() -> ProposalRules {
    ProposalRules {
        min_proposal_power: MIN_PROPOSAL_POWER,
        voting_period_secs: VOTING_PERIOD,
        quorum: Quorum::LockedFraction { bps: 2_000 },
        approval_threshold_bps: 6_000,
        early_tipping: false,
        timelock_secs: TIMELOCK,
        execution_window_secs: EXECUTION_WINDOW,
    }
}

pub fn test_governance_args() -> InitializeGovernanceArgs {
    InitializeGovernanceArgs {
        power: test_power_params(),
        rules: test_rules(),
        allowed_programs: governance::default_allowed_programs(),
    }
}

/// A lockup of `kind` for `duration_secs`.
pub fn lockup(kind: LockupKind, duration_secs: i64) -> LockupArgs {
    LockupArgs {
        kind,
        duration_secs,
    }
}

pub struct Dao {
    pub net: Network,
    /// Holders funded from the treasury before the hand-over: 100k, 30k,
    /// 30k and 20k tokens, nothing locked yet.
    pub holders: Vec<Member>,
}

impl Dao {
    /// Network launched (epoch 0 issued), holders funded, governance
    /// initialized with `test_governance_args`, everything handed to the DAO,
    /// and the DAO authority given 10 SOL for rent.
    pub fn new() -> Self {
        Self::with_args(test_governance_args())
    }

    /// `new()` with every holder's balance locked for a year.
    pub fn locked() -> Self {
        let mut dao = Self::new();
        dao.lock_all_for_a_year();
        dao
    }

    pub fn with_args(args: InitializeGovernanceArgs) -> Self {
        let mut net = Network::new();
        net.launch();
        let holders = [100_000, 30_000, 30_000, 20_000]
            .into_iter()
            .map(|tokens| net.funded_member(tokens * TOKEN))
            .collect();
        let deployer = net.cluster.upgrade_authority().insecure_clone();
        bootstrap_governance(&mut net.cluster, &deployer, &args).unwrap();
        let authority = net.authority.insecure_clone();
        let treasury_owner = net.treasury_owner.insecure_clone();
        hand_over_to_dao(&mut net.cluster, &authority).unwrap();
        hand_over_to_dao(&mut net.cluster, &treasury_owner).unwrap();
        net.cluster
            .airdrop(&governance::dao_authority(), 10 * SOL)
            .unwrap();
        Self { net, holders }
    }

    pub fn voter(&self, owner: &Pubkey) -> Voter {
        self.net.cluster.fetch(&pda::voter(owner).0).unwrap()
    }

    /// Holder `holder` withdraws its position `index` into `destination`.
    pub fn withdraw(
        &mut self,
        holder: usize,
        index: u8,
        destination: Pubkey,
    ) -> Result<TxOutcome, SdkError> {
        let owner = self.holder(holder);
        let withdraw =
            governance::withdraw_position(owner.pubkey(), index, destination, pda::token_mint().0);
        self.send_as(&owner, &[withdraw])
    }

    /// Locks every holder's whole balance as a one-year cliff.
    pub fn lock_all_for_a_year(&mut self) {
        for index in 0..self.holders.len() {
            let balance = self.net.token_balance(&self.holders[index].pubkey());
            self.lock(index, balance, LockupKind::Cliff, YEAR).unwrap();
        }
    }

    /// Creates a proposal carrying `instructions` and opens its vote.
    pub fn propose(&mut self, proposer: usize, instructions: &[Instruction]) -> u64 {
        let id = self.create_draft(proposer, "Test proposal").unwrap();
        for instruction in instructions {
            self.add_instruction(proposer, id, governance::stored(instruction))
                .unwrap();
        }
        let owner = self.holder(proposer);
        self.send_as(&owner, &[governance::activate_proposal(owner.pubkey(), id)])
            .unwrap();
        id
    }

    /// Creates a draft and returns its id.
    pub fn create_draft(&mut self, proposer: usize, title: &str) -> Result<u64, SdkError> {
        let id = self.config().proposal_count;
        self.try_create_draft(proposer, title)?;
        Ok(id)
    }

    pub fn try_create_draft(
        &mut self,
        proposer: usize,
        title: &str,
    ) -> Result<TxOutcome, SdkError> {
        let owner = self.holder(proposer);
        let id = self.config().proposal_count;
        self.send_as(
            &owner,
            &[governance::create_proposal(
                owner.pubkey(),
                id,
                title,
                "sha256:6f1ed002ab5595859014ebf0951522d9",
            )],
        )
    }

    pub fn add_instruction(
        &mut self,
        proposer: usize,
        id: u64,
        instruction: StoredInstruction,
    ) -> Result<TxOutcome, SdkError> {
        let owner = self.holder(proposer);
        self.send_as(
            &owner,
            &[governance::add_instruction(owner.pubkey(), id, instruction)],
        )
    }

    /// A permissionless crank (finalize, queue, expire), paid by holder 3.
    pub fn crank(&mut self, instruction: Instruction) -> Result<TxOutcome, SdkError> {
        let payer = self.holder(3);
        self.send_as(&payer, &[instruction])
    }

    pub fn execute(&mut self, id: u64) -> Result<TxOutcome, SdkError> {
        let stored = self.proposal(id).instructions;
        let payer = self.holder(3);
        self.send_as(
            &payer,
            &governance::execute_proposal_with_budget(id, &stored),
        )
    }

    /// Holders 0 and 1 vote yes; voting ends; the vote is finalized and
    /// the proposal queued; the timelock passes.
    pub fn pass(&mut self, id: u64) {
        self.vote(0, id, VoteChoice::Yes).unwrap();
        self.vote(1, id, VoteChoice::Yes).unwrap();
        self.warp(VOTING_PERIOD);
        self.crank(governance::finalize_vote(id)).unwrap();
        assert_eq!(self.state(id), ProposalState::Succeeded);
        self.crank(governance::queue_proposal(id)).unwrap();
        self.warp(TIMELOCK);
    }

    /// Locked tokens are all in the vault and add up over the voters.
    #[track_caller]
    pub fn assert_invariants(&self) {
        let config = self.config();
        let vault = self.net.cluster.token_balance(&config.vault);
        assert_eq!(
            vault, config.total_locked,
            "vault holds exactly the locked tokens"
        );
        let in_positions: u64 = self
            .holders
            .iter()
            .filter_map(|holder| {
                self.net
                    .cluster
                    .fetch::<Voter>(&pda::voter(&holder.pubkey()).0)
                    .ok()
            })
            .map(|voter| voter.positions.iter().map(|p| p.amount).sum::<u64>())
            .sum();
        assert_eq!(
            in_positions, config.total_locked,
            "positions add up to total_locked"
        );
    }
}

impl Governed for Dao {
    fn cluster(&self) -> &EmbeddedCluster {
        &self.net.cluster
    }

    fn cluster_mut(&mut self) -> &mut EmbeddedCluster {
        &mut self.net.cluster
    }

    fn governance_mint(&self) -> Pubkey {
        pda::token_mint().0
    }

    fn holder(&self, index: usize) -> Keypair {
        self.holders[index].keypair.insecure_clone()
    }

    fn token_account(&self, index: usize) -> Pubkey {
        self.holders[index].token_account()
    }
}

impl Default for Dao {
    fn default() -> Self {
        Self::new()
    }
}

/// Governance alone over a fresh mint (no decimals) that only the test mints
/// to: every token in existence is a holder's, so the supply — what early
/// tipping is bounded by — is exactly what the test gave out.
pub struct BareDao {
    pub cluster: EmbeddedCluster,
    pub mint: Pubkey,
    pub mint_authority: Keypair,
    pub holders: Vec<Keypair>,
}

impl BareDao {
    /// Governance over the new mint with `args`; holder `i` gets
    /// `balances[i]` tokens (in a token account of its own, unlocked) and
    /// 10 SOL.
    pub fn new(args: InitializeGovernanceArgs, balances: &[u64]) -> Self {
        let (mut cluster, mint_authority, mint) = cluster_with_mint(0);
        let deployer = cluster.upgrade_authority().insecure_clone();
        let initialize =
            governance::initialize_governance(deployer.pubkey(), deployer.pubkey(), mint, args);
        cluster.send(&[initialize], &deployer, &[]).unwrap();
        let mut dao = Self {
            cluster,
            mint,
            mint_authority,
            holders: vec![],
        };
        for &balance in balances {
            let holder = Keypair::new();
            dao.cluster.airdrop(&holder.pubkey(), 10 * SOL).unwrap();
            let create = token::create_associated_token_account(
                &holder.pubkey(),
                &holder.pubkey(),
                &mint,
                &token::SPL_TOKEN_PROGRAM_ID,
            );
            dao.cluster.send(&[create], &holder, &[]).unwrap();
            dao.holders.push(holder);
            dao.mint_to(dao.holders.len() - 1, balance);
        }
        dao
    }

    pub fn token_account(&self, index: usize) -> Pubkey {
        token::associated_token_address(
            &self.holders[index].pubkey(),
            &self.mint,
            &token::SPL_TOKEN_PROGRAM_ID,
        )
    }

    /// Mints `amount` more tokens to holder `index` (unlocked).
    pub fn mint_to(&mut self, index: usize, amount: u64) {
        if amount == 0 {
            return;
        }
        let mint_to = token::mint_to(
            &self.mint,
            &self.token_account(index),
            &self.mint_authority.pubkey(),
            amount,
        );
        let authority = self.mint_authority.insecure_clone();
        self.cluster.send(&[mint_to], &authority, &[]).unwrap();
    }

    pub fn supply(&self) -> u64 {
        self.cluster.mint_supply(&self.mint).unwrap()
    }

    /// Creates an empty proposal and opens its vote; returns its id.
    pub fn propose(&mut self, proposer: usize) -> u64 {
        let owner = self.holder(proposer);
        let id = self.config().proposal_count;
        self.send_as(
            &owner,
            &[
                governance::create_proposal(owner.pubkey(), id, "Bare proposal", ""),
                governance::activate_proposal(owner.pubkey(), id),
            ],
        )
        .unwrap();
        id
    }
}

impl Governed for BareDao {
    fn cluster(&self) -> &EmbeddedCluster {
        &self.cluster
    }

    fn cluster_mut(&mut self) -> &mut EmbeddedCluster {
        &mut self.cluster
    }

    fn governance_mint(&self) -> Pubkey {
        self.mint
    }

    fn holder(&self, index: usize) -> Keypair {
        self.holders[index].insecure_clone()
    }

    fn token_account(&self, index: usize) -> Pubkey {
        BareDao::token_account(self, index)
    }
}

/// Governance over a mint on an embedded cluster, with holders who lock,
/// propose and vote: what `Dao` (the whole network) and `BareDao` (a bare
/// mint) share.
pub trait Governed {
    fn cluster(&self) -> &EmbeddedCluster;
    fn cluster_mut(&mut self) -> &mut EmbeddedCluster;
    /// The mint whose locked tokens vote.
    fn governance_mint(&self) -> Pubkey;
    fn holder(&self, index: usize) -> Keypair;
    /// Holder `index`'s token account of the governance mint.
    fn token_account(&self, index: usize) -> Pubkey;

    fn send_as(
        &mut self,
        signer: &Keypair,
        instructions: &[Instruction],
    ) -> Result<TxOutcome, SdkError> {
        self.cluster_mut().send(instructions, signer, &[])
    }

    fn now(&self) -> i64 {
        self.cluster().clock().unix_timestamp
    }

    fn warp(&mut self, seconds: i64) {
        let now = self.now();
        self.cluster_mut().warp_to_timestamp(now + seconds);
    }

    fn config(&self) -> GovernanceConfig {
        self.cluster().fetch(&pda::governance_config().0).unwrap()
    }

    fn proposal(&self, id: u64) -> Proposal {
        self.cluster().fetch(&pda::proposal(id).0).unwrap()
    }

    fn state(&self, id: u64) -> ProposalState {
        self.proposal(id).state
    }

    /// Holder `holder` locks `amount` of its tokens.
    fn lock(
        &mut self,
        holder: usize,
        amount: u64,
        kind: LockupKind,
        duration_secs: i64,
    ) -> Result<TxOutcome, SdkError> {
        let owner = self.holder(holder);
        let (source, mint) = (self.token_account(holder), self.governance_mint());
        let lockup = lockup(kind, duration_secs);
        let lock = governance::lock_tokens(owner.pubkey(), source, mint, amount, lockup);
        self.send_as(&owner, &[lock])
    }

    /// Holder `holder` votes `choice` on proposal `id`.
    fn vote(&mut self, holder: usize, id: u64, choice: VoteChoice) -> Result<TxOutcome, SdkError> {
        let owner = self.holder(holder);
        let mint = self.governance_mint();
        self.send_as(
            &owner,
            &[governance::cast_vote(owner.pubkey(), id, choice, mint)],
        )
    }
}
