use {
    super::{now, pay_from_pool, require_claimable},
    crate::{
        constants::*, error::RewardsError, events::RewardsClaimed, seeds::SEED_CONFIG, state::*,
    },
    anchor_lang::prelude::*,
    anchor_spl::token::{Mint, Token, TokenAccount},
    depin_merkle::{Leaf, Node},
    device_registry::{
        program::DeviceRegistry,
        state::{Device, DeviceStatus, RegistryConfig},
    },
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
    /// The device's cumulative reward in the batch (its leaf's amount).
    pub amount: u64,
    /// The leaf's index in the batch tree.
    pub index: u32,
    pub proof: Vec<ProofNode>,
}

/// Pays a device's owner what the device has earned and not yet received:
/// its cumulative amount in a claimable batch minus `Device::rewards_claimed`.
/// Anyone may submit it; the tokens always go to a token account of the
/// device's owner.
///
/// Checks: the batch is final, past its challenge window and not rejected;
/// it is no older than the newest batch claimed against; its total does not
/// exceed what was issued to devices; the leaf (device key, serial, amount)
/// proves into the root; the device is active; something is owed and the
/// pool's issued-minus-claimed covers it; the destination has the network
/// mint and belongs to the owner.
///
/// Effects: transfers from the device pool; records the new total in the
/// device account (CPI into the registry, signed by the config PDA); raises
/// `claim_epoch_floor`. Emits `RewardsClaimed`.
///
/// Attack surface: permissionless, no signer beyond the fee payer; the payment
/// always goes to a network-mint token account owned by `device.owner`.
/// Trusted accounts: the config PDA (stored canonical bump); `device_pool` and
/// `token_mint` by `address =`; `batch`, `device` and
/// `registry_config` by owner and type (`Account<T>` of the oracle and
/// registry programs, which create these types only at their PDAs); in the
/// `record_rewards_claimed` CPI the registry re-checks `device` and
/// `registry_config` against their seeds and this config PDA as its
/// `rewards_authority`; `registry_program` is `Program<DeviceRegistry>`. Any
/// final batch may be presented, within bounds: past its challenge window; its
/// epoch at least `claim_epoch_floor` (no return to an older batch); its total
/// at most `device_issued`; the leaf commits to (device key, serial, amount),
/// so a proof for an earlier registration of a re-registered key fails; at
/// most 32 proof entries (bounded compute); `amount > rewards_claimed`, and
/// `device_claimed` never exceeds `device_issued`; an active device; the
/// `DeviceClaims` pause.
#[event_cpi]
#[derive(Accounts)]
pub struct ClaimRewards<'info> {
    #[account(mut, seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, RewardsConfig>>,
    pub batch: Box<Account<'info, EpochBatch>>,
    #[account(mut)]
    pub device: Box<Account<'info, Device>>,
    pub registry_config: Box<Account<'info, RegistryConfig>>,
    #[account(mut, address = config.device_pool)]
    pub device_pool: Box<Account<'info, TokenAccount>>,
    #[account(address = config.token_mint @ RewardsError::WrongMint)]
    pub token_mint: Box<Account<'info, Mint>>,
    #[account(
        mut,
        constraint = destination.mint == config.token_mint @ RewardsError::WrongDestinationMint,
        constraint = destination.owner == device.owner @ RewardsError::WrongDestinationOwner,
    )]
    pub destination: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
    pub registry_program: Program<'info, DeviceRegistry>,
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
        require!(
            self.device.status == DeviceStatus::Active,
            RewardsError::DeviceSuspended
        );
        let leaf = Leaf {
            device_key: self.device.device_key.to_bytes(),
            serial: self.device.serial,
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
        require!(
            args.amount > self.device.rewards_claimed,
            RewardsError::NothingToClaim
        );
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: ClaimRewardsArgs) -> Result<()> {
        let accounts = &mut *ctx.accounts;
        let owed = args.amount - accounts.device.rewards_claimed;
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
        device_registry::cpi::record_rewards_claimed(
            CpiContext::new_with_signer(
                accounts.registry_program.key(),
                device_registry::cpi::accounts::RecordRewardsClaimed {
                    rewards_authority: config.to_account_info(),
                    config: accounts.registry_config.to_account_info(),
                    device: accounts.device.to_account_info(),
                },
                &[&config.signer_seeds()],
            ),
            device_registry::RecordRewardsClaimedArgs { total: args.amount },
        )?;

        let event = RewardsClaimed {
            device_key: accounts.device.device_key,
            owner: accounts.device.owner,
            batch_epoch: accounts.batch.epoch,
            amount: owed,
            total_claimed: args.amount,
        };
        emit_cpi!(event);
        Ok(())
    }
}
