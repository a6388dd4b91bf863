use {
    super::now,
    crate::{
        constants::MAX_URI_LEN,
        error::OracleError,
        events::{BatchFinalized, BatchVoteSubmitted},
        seeds::{SEED_BATCH, SEED_CONFIG},
        state::*,
    },
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct SubmitBatchArgs {
    pub epoch: u64,
    pub commitment: Commitment,
    /// Where the batch file (leaves and tree) is published.
    pub uri: String,
}

/// An oracle's vote for an epoch's reward commitment.
///
/// Checks: the signer is a current oracle; the epoch has ended and its
/// finality deadline has not passed; the batch is pending; the commitment
/// has at least one leaf; the URI is at most 128 bytes; the oracle is not
/// casting the very vote it already cast.
///
/// Effects: creates the epoch's batch account on the first vote (the oracle
/// pays); drops votes of oracles no longer in the set; records the vote,
/// replacing the oracle's earlier one (an oracle may correct its vote until
/// the batch is final); when `quorum` current oracles agree on the same
/// (root, leaf count, total, proof data hash), the batch is final.
/// Conflicting votes stay in the account for everyone to see.
/// Emits `BatchVoteSubmitted`, and `BatchFinalized` on finality.
///
/// Attack surface: the signer must be in the current set; it pays the batch
/// account's rent on the first vote. Trusted accounts: the config PDA (stored
/// canonical bump) and the batch PDA `[SEED_BATCH, epoch]` (`init_if_needed`
/// with the canonical bump; `open` records epoch and bump on the first write
/// only, so an existing batch is never re-initialized, and only this
/// instruction or `expire_batch` after the deadline can create it). Bounds:
/// `epoch_end ≤ now ≤ deadline`; the URI (≤ 128 bytes) and one vote per
/// current oracle (≤ 16, votes of removed oracles pruned first) keep the batch
/// within its fixed space; an identical repeated vote is refused; the
/// `BatchVotes` pause.
#[event_cpi]
#[derive(Accounts)]
#[instruction(args: SubmitBatchArgs)]
pub struct SubmitBatch<'info> {
    #[account(mut)]
    pub oracle: Signer<'info>,
    #[account(seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, OracleConfig>>,
    #[account(
        init_if_needed,
        payer = oracle,
        space = EpochBatch::SPACE,
        seeds = [SEED_BATCH, &args.epoch.to_le_bytes()],
        bump,
    )]
    pub batch: Box<Account<'info, EpochBatch>>,
    pub system_program: Program<'info, System>,
}

impl SubmitBatch<'_> {
    pub fn validate(&self, args: &SubmitBatchArgs) -> Result<()> {
        self.config
            .require_running(PauseScope::BatchVotes, now()?)?;
        require!(
            self.config.is_oracle(&self.oracle.key()),
            OracleError::NotAnOracle
        );
        let epoch_end = self.config.epoch_end(args.epoch)?;
        let now = now()?;
        require!(now >= epoch_end, OracleError::EpochNotEnded);
        let deadline = self.config.finality_deadline_of(args.epoch)?;
        require!(now <= deadline, OracleError::DeadlinePassed);
        self.batch.require_pending()?;
        require!(args.commitment.leaf_count >= 1, OracleError::EmptyBatch);
        require!(args.uri.len() <= MAX_URI_LEN, OracleError::UriTooLong);
        let repeated = self.batch.votes.iter().any(|vote| {
            vote.oracle == self.oracle.key()
                && vote.commitment == args.commitment
                && vote.uri == args.uri
        });
        require!(!repeated, OracleError::DuplicateVote);
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: SubmitBatchArgs) -> Result<()> {
        let timestamp = now()?;
        let config = &ctx.accounts.config;
        let oracle = ctx.accounts.oracle.key();
        let batch = &mut ctx.accounts.batch;
        batch.open(args.epoch, ctx.bumps.batch);
        batch.prune_votes(config);
        let vote = Vote {
            oracle,
            commitment: args.commitment,
            set_version: config.set_version,
            submitted_at: timestamp,
            uri: args.uri.clone(),
        };
        let replaced = match batch.votes.iter_mut().find(|vote| vote.oracle == oracle) {
            Some(existing) => {
                *existing = vote;
                true
            }
            None => {
                batch.votes.push(vote);
                false
            }
        };
        let matching_votes = batch.matching_votes(&args.commitment);
        let finalized = batch.try_finalize(config, timestamp);
        batch.invariant()?;

        emit_cpi!(BatchVoteSubmitted {
            epoch: args.epoch,
            oracle,
            commitment: args.commitment,
            uri: args.uri,
            replaced,
            matching_votes,
        });
        if let Some(votes) = finalized {
            emit_cpi!(BatchFinalized::of(batch, votes, config.set_version));
        }
        Ok(())
    }
}
