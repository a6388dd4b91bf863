use {
    crate::{error::GovernanceError, events::GovernanceUpdated, seeds::SEED_CONFIG, state::*},
    anchor_lang::prelude::*,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, Default)]
pub struct UpdateGovernanceArgs {
    pub power: Option<VotingPowerParams>,
    pub rules: Option<ProposalRules>,
    pub allowed_programs: Option<Vec<Pubkey>>,
}

/// Changes the governance parameters. Only the DAO authority signs, so only
/// an executed proposal (after its vote and timelock) can change them; the
/// rules of proposals already voting are not affected.
///
/// Checks: the DAO authority signs; parameters are in range. Emits
/// `GovernanceUpdated`.
///
/// Attack surface: only the DAO authority (`address =` the recorded PDA). It
/// has no key: governance signs for it only in `execute_proposal`, whose
/// policy lets a proposal call governance for this handler alone. The config
/// PDA with its stored canonical bump. Mint, vault and DAO authority are not
/// changeable here. Bounds: as at initialization. Voting and decided
/// proposals keep the rules and power parameters they snapshotted; drafts
/// take the new ones when their vote opens; queued proposals are re-checked
/// against the new allowed list when they execute. Lowering
/// `max_lockup_secs` below a position's remaining time never freezes it:
/// `relock_position` always accepts the time the position already has.
#[event_cpi]
#[derive(Accounts)]
pub struct UpdateGovernance<'info> {
    #[account(address = config.dao_authority @ GovernanceError::NotDaoAuthority)]
    pub dao_authority: Signer<'info>,
    #[account(mut, seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, GovernanceConfig>>,
}

impl UpdateGovernance<'_> {
    pub fn validate(&self, args: &UpdateGovernanceArgs) -> Result<()> {
        if let Some(power) = &args.power {
            power.validate()?;
        }
        if let Some(rules) = &args.rules {
            rules.validate()?;
        }
        if let Some(programs) = &args.allowed_programs {
            validate_allowed_programs(programs)?;
        }
        Ok(())
    }

    pub fn handler(ctx: Context<Self>, args: UpdateGovernanceArgs) -> Result<()> {
        let config = &mut ctx.accounts.config;
        if let Some(power) = args.power {
            config.power = power;
        }
        if let Some(rules) = args.rules {
            config.rules = rules;
        }
        if let Some(programs) = args.allowed_programs {
            config.allowed_programs = programs;
        }
        config.invariant()?;
        emit_cpi!(GovernanceUpdated {
            power: config.power,
            rules: config.rules,
            allowed_programs: config.allowed_programs.clone(),
        });
        Ok(())
    }
}
