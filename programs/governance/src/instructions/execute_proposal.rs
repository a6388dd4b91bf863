use {
    super::{now, state_changed, validate_stored_instruction},
    crate::{error::GovernanceError, seeds::*, state::*},
    anchor_lang::{prelude::*, solana_program::program::invoke_signed},
};

/// Runs a queued proposal's instructions in order, signed by the DAO
/// authority, all or nothing. Anyone may call it.
///
/// The remaining accounts must be, for each stored instruction in order,
/// its program followed by exactly its stored accounts (same keys, same
/// order, writable where stored writable): nothing substituted, reordered,
/// added or left out.
///
/// Checks: the proposal is queued; the timelock has elapsed; it has not
/// expired; every instruction still passes the execution policy. Effects:
/// state Executed before any instruction runs (no re-entry can execute it
/// twice). Emits `ProposalStateChanged`.
///
/// The config is read-only here so that a stored `update_governance` call's
/// changes are not overwritten when this instruction returns.
///
/// Attack surface: permissionless, no signer; the only authority used is the
/// DAO authority, signed by `invoke_signed` with its stored bump. Trusted
/// accounts: the config PDA (stored canonical bump, read-only) and the
/// proposal PDA (stored bump). The remaining accounts are checked by hand:
/// their count is Σ(1 + accounts); each instruction's program key, then its
/// account keys in stored order, writable wherever stored writable. Signer
/// flags come only from the stored metas, so a caller adds no signer.
/// Bounds: `executable_at <= now < expires_at` (at `expires_at` exactly only
/// `expire_proposal` runs); every instruction is re-checked against the
/// allowed list before any runs (against the config as it is when execution
/// starts, not as an earlier stored `update_governance` leaves it); one
/// failing call reverts all. Re-entry: the Executed state reaches the
/// account only when this instruction returns; what prevents a second
/// execution meanwhile is the policy (governance is callable only for
/// `update_governance`) and the runtime's refusal of indirect re-entry.
#[event_cpi]
#[derive(Accounts)]
pub struct ExecuteProposal<'info> {
    #[account(seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, GovernanceConfig>>,
    #[account(
        mut,
        seeds = [SEED_PROPOSAL, &proposal.id.to_le_bytes()],
        bump = proposal.bump,
    )]
    pub proposal: Box<Account<'info, Proposal>>,
}

impl ExecuteProposal<'_> {
    pub fn validate(&self) -> Result<()> {
        let proposal = &self.proposal;
        require!(
            proposal.state == ProposalState::Queued,
            GovernanceError::NotQueued
        );
        let now = now()?;
        require!(
            now >= proposal.executable_at,
            GovernanceError::TimelockNotElapsed
        );
        require!(now < proposal.expires_at, GovernanceError::ProposalExpired);
        for instruction in &proposal.instructions {
            validate_stored_instruction(&self.config, instruction)?;
        }
        Ok(())
    }

    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let now = now()?;
        let remaining = ctx.remaining_accounts;
        let instructions = std::mem::take(&mut ctx.accounts.proposal.instructions);
        let expected: usize = instructions.iter().map(|ix| 1 + ix.accounts.len()).sum();
        require!(
            remaining.len() == expected,
            GovernanceError::AccountMismatch
        );
        let mut offset = 0;
        for instruction in &instructions {
            let infos = &remaining[offset..offset + 1 + instruction.accounts.len()];
            offset += infos.len();
            require_keys_eq!(
                *infos[0].key,
                instruction.program_id,
                GovernanceError::AccountMismatch
            );
            for (meta, info) in instruction.accounts.iter().zip(&infos[1..]) {
                require!(
                    *info.key == meta.pubkey && (info.is_writable || !meta.is_writable),
                    GovernanceError::AccountMismatch
                );
            }
        }

        let proposal = &mut ctx.accounts.proposal;
        proposal.state = ProposalState::Executed;
        proposal.executed_at = now;
        let dao_seeds = ctx.accounts.config.dao_authority_seeds();
        let mut offset = 0;
        for instruction in &instructions {
            let count = 1 + instruction.accounts.len();
            invoke_signed(
                &instruction.to_instruction(),
                &remaining[offset..offset + count],
                &[&dao_seeds],
            )?;
            offset += count;
        }
        let proposal = &mut ctx.accounts.proposal;
        proposal.instructions = instructions;
        proposal.invariant()?;
        let event = state_changed(proposal, now);
        emit_cpi!(event);
        Ok(())
    }
}
