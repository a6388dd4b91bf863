use {
    super::{now, pay_from_pool, require_claimable},
    crate::{
        constants::*,
        error::RewardsError,
        events::RewardsClaimed,
        seeds::{SEED_CONFIG, SEED_RECIPIENT},
        state::*,
    },
    anchor_lang::prelude::*,
    anchor_spl::token::{Mint, Token, TokenAccount},
    depin_merkle::{Leaf, Node},
    proof_oracle::state::EpochBatch,
};

/// One entry of a Merkle proof: a sibling's hash and sum.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProofNode {
    pub hash: [u8; 32],
    pub sum: u64,
}

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct ClaimRewardsArgs {
    /// The wallet's cumulative reward in the batch (its leaf's amount).
    pub amount: u64,
    /// The leaf's index in the batch tree.
    pub index: u32,
    pub proof: Vec<ProofNode>,
}

/// Pays a recipient wallet what its whole fleet has earned and it has not
/// yet received: its cumulative amount in a claimable batch minus
/// `RecipientRecord::claimed`. One transaction per wallet, whatever the
/// number of devices. Anyone may submit it (the wallet, or a payout crank);
/// the tokens always go to a token account of the recipient.
///
/// Checks: the batch is final, past its challenge window and not rejected;
/// it is no older than the newest batch claimed against; its total does not
/// exceed what was issued to devices; the leaf (recipient, amount) proves
/// into the root; something is owed and the pool's issued-minus-claimed
/// covers it; the destination has the network mint and belongs to the
/// recipient.
///
/// Effects: creates the recipient's record at its first claim (rent paid by
/// `payer`); transfers from the device pool; records the new total;
/// raises `claim_epoch_floor`. Emits `RewardsClaimed`.
///
/// Attack surface: permissionless, the payer signs only for fees and the
/// record's rent; the payment always goes to a network-mint token account
/// owned by `recipient`, and the leaf commits to `recipient`, so a proof for
/// one wallet pays no other. Trusted accounts: the config PDA (stored
/// canonical bump); `recipient_record` by its seeds `[SEED_RECIPIENT,
/// recipient]` (created here, or an existing one of this program whose
/// stored wallet must equal `recipient`); `device_pool` and `token_mint` by
/// `address =`; `batch` by owner and type (`Account<EpochBatch>` of the
/// oracle program, which creates it only at its PDA). Any final batch may
/// be presented, within bounds: past its challenge window; its epoch at
/// least `claim_epoch_floor` (no return to an older batch); its total at
/// most `device_issued`; at most 32 proof entries (bounded compute);
/// `amount > claimed`, and `device_claimed` never exceeds `device_issued`;
/// the `DeviceClaims` pause. A record pre-funded by an attacker is still
/// created (Anchor allocates and assigns an account that holds lamports).
#[event_cpi]
#[derive(Accounts)]
pub struct ClaimRewards<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(mut, seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, RewardsConfig>>,
    pub batch: Box<Account<'info, EpochBatch>>,
    /// CHECK: only its address is used: the leaf's wallet, the record's
    /// seed and the destination's required owner.
    pub recipient: UncheckedAccount<'info>,
    #[account(
        init_if_needed,
        payer = payer,
        space = RecipientRecord::SPACE,
        seeds = [SEED_RECIPIENT, recipient.key().as_ref()],
        bump,
    )]
    pub recipient_record: Box<Account<'info, RecipientRecord>>,
    #[account(mut, address = config.device_pool)]
    pub device_pool: Box<Account<'info, TokenAccount>>,
    #[account(address = config.token_mint @ RewardsError::WrongMint)]
    pub token_mint: Box<Account<'info, Mint>>,
    #[account(
        mut,
        constraint = destination.mint == config.token_mint @ RewardsError::WrongDestinationMint,
        constraint = destination.owner == recipient.key() @ RewardsError::WrongDestinationOwner,
    )]
    pub destination: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

impl ClaimRewards<'_> {
    pub fn validate(&self, args: &ClaimRewardsArgs) -> Result<()> {
        self.config
            .require_running(PauseScope::DeviceClaims, now()?)?;
        require!(
            args.proof.len() <= MAX_PROOF_LEN,
            RewardsError::ProofTooLong
        );
        require_claimable(&self.batch, now()?)?;
        require!(
            self.batch.epoch >= self.config.claim_epoch_floor,
            RewardsError::BatchSuperseded
        );
        let commitment = &self.batch.commitment;
        require!(
            commitment.total <= self.config.device_issued,
            RewardsError::BatchExceedsIssuance
        );
        // A record created now is all zeroes until the handler fills it.
        let record = &self.recipient_record;
        require!(
            record.recipient == Pubkey::default() || record.recipient == self.recipient.key(),
            RewardsError::RecipientMismatch
        );
        let leaf = Leaf {
            recipient: self.recipient.key().to_bytes(),
            amount: args.amount,
        };
        let proof: Vec<Node> = args
            .proof
            .iter()
            .map(|node| Node {
                hash: node.hash,
                sum: node.sum,
            })
            .collect();
        let root = Node {
            hash: commitment.root,
            sum: commitment.total,
        };
        depin_merkle::verify(&leaf, args.index, commitment.leaf_count, &proof, &root)
            .map_err(|_| error!(RewardsError::InvalidProof))?;
        require!(args.amount > record.claimed, RewardsError::NothingToClaim);
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: ClaimRewardsArgs) -> Result<()> {
        let accounts = &mut *ctx.accounts;
        let record = &mut accounts.recipient_record;
        let owed = args.amount - record.claimed;
        record.recipient = accounts.recipient.key();
        record.claimed = args.amount;
        record.bump = ctx.bumps.recipient_record;
        record.invariant()?;
        let config = &mut accounts.config;
        config.device_claimed = config
            .device_claimed
            .checked_add(owed)
            .filter(|claimed| *claimed <= config.device_issued)
            .ok_or(RewardsError::PoolExhausted)?;
        config.claim_epoch_floor = config.claim_epoch_floor.max(accounts.batch.epoch);
        config.invariant()?;

        let config = &accounts.config;
        pay_from_pool(
            &accounts.token_program,
            &accounts.token_mint,
            &accounts.device_pool,
            &accounts.destination,
            config,
            owed,
        )?;
        let event = RewardsClaimed {
            recipient: accounts.recipient.key(),
            payer: accounts.payer.key(),
            batch_epoch: accounts.batch.epoch,
            amount: owed,
            total_claimed: args.amount,
        };
        emit_cpi!(event);
        Ok(())
    }
}
