//! The pause switches of the registry, oracle and rewards programs, their
//! guardian, and sweeping unclaimable oracle rewards: applied directly while
//! this wallet holds a program's authority, proposed to the DAO once the DAO
//! does; the guardian signs its own pause. Scope names and status decoding
//! live in `depin_sdk::pause`.

pub use depin_sdk::pause::*;
use {
    crate::{backend::BackendExt, AdminOutcome, Client},
    depin_sdk::{pda, rewards, Instruction, Pubkey, SdkError},
};

impl Client {
    /// The pause status of the three programs now.
    pub fn pause_status(&self) -> Result<Vec<PauseStatus>, SdkError> {
        let status = self.network_status()?;
        if status.registry.is_none() && status.oracle.is_none() && status.rewards.is_none() {
            return Err(SdkError::Input(
                "the network is not deployed (run `depin network init`)".into(),
            ));
        }
        Ok(pause_statuses(
            status.registry.as_ref(),
            status.oracle.as_ref(),
            status.rewards.as_ref(),
            status.clock.unix_timestamp,
        ))
    }

    /// The authority of each program, read from its config.
    fn authorities(&self, programs: &[PausableProgram]) -> Result<Vec<Pubkey>, SdkError> {
        programs
            .iter()
            .map(|program| {
                Ok(match program {
                    PausableProgram::Registry => self.registry_config()?.authority,
                    PausableProgram::Oracle => self.oracle_config()?.authority,
                    PausableProgram::Rewards => self.rewards_config()?.authority,
                })
            })
            .collect()
    }

    /// Sends one instruction per program in one transaction if this wallet
    /// holds every program's authority, or proposes them together if the
    /// DAO holds them all.
    fn administer_programs(
        &mut self,
        title: &str,
        programs: &[(PausableProgram, u8)],
        build: impl Fn(PausableProgram, Pubkey, u8) -> Instruction,
    ) -> Result<AdminOutcome, SdkError> {
        let programs: Vec<(PausableProgram, u8)> = programs.to_vec();
        let authorities = self.authorities(
            &programs
                .iter()
                .map(|(program, _)| *program)
                .collect::<Vec<_>>(),
        )?;
        let wallet = self.address();
        let dao = pda::dao_authority().0;
        let holder = if authorities.iter().all(|authority| *authority == wallet) {
            wallet
        } else if authorities.iter().all(|authority| *authority == dao) {
            dao
        } else {
            let held: Vec<String> = programs
                .iter()
                .zip(&authorities)
                .map(|((program, _), authority)| format!("{} by {authority}", program.name()))
                .collect();
            return Err(SdkError::Input(format!(
                "these programs are not all held by this wallet ({wallet}) or all by the DAO \
                 ({dao}): {}",
                held.join(", ")
            )));
        };
        let instructions: Vec<Instruction> = programs
            .iter()
            .map(|(program, mask)| build(*program, holder, *mask))
            .collect();
        if holder == wallet {
            return self.send(&instructions, &[]).map(AdminOutcome::Applied);
        }
        self.create_proposal(
            title,
            "Proposed with the depin CLI (pause switches).",
            &instructions,
        )
        .map(AdminOutcome::Proposed)
    }

    /// Pauses `scopes` as their programs' authority (until unpaused): at
    /// once while this wallet holds the authorities, by DAO proposal once
    /// the DAO does.
    pub fn pause(&mut self, scopes: &[PauseScope]) -> Result<AdminOutcome, SdkError> {
        let masks = masks(scopes);
        self.administer_programs(
            &format!("Pause {}", scope_summary(scopes)),
            &masks,
            |program, authority, mask| program.pause(authority, mask),
        )
    }

    /// Lifts the pause of `scopes` (the authority only: the guardian never
    /// unpauses).
    pub fn unpause(&mut self, scopes: &[PauseScope]) -> Result<AdminOutcome, SdkError> {
        let masks = masks(scopes);
        self.administer_programs(
            &format!("Resume {}", scope_summary(scopes)),
            &masks,
            |program, authority, mask| program.unpause(authority, mask),
        )
    }

    /// Names `guardian` (`Pubkey::default()` removes it) for the three
    /// programs and arms its one pause of `max_pause` seconds.
    pub fn set_guardian(
        &mut self,
        guardian: Pubkey,
        max_pause: i64,
    ) -> Result<AdminOutcome, SdkError> {
        let title = if guardian == Pubkey::default() {
            "Remove the guardian".to_string()
        } else {
            format!("Name {guardian} guardian for {max_pause} s pauses")
        };
        let all = PausableProgram::ALL.map(|program| (program, 0));
        self.administer_programs(&title, &all, |program, authority, _| {
            program.set_guardian(authority, guardian, max_pause)
        })
    }

    /// Pauses `scopes` as the guardian, every program in one transaction,
    /// for the guardian's maximum. Refused up front where this wallet is
    /// not an armed guardian.
    pub fn guardian_pause(&mut self, scopes: &[PauseScope]) -> Result<crate::TxOutcome, SdkError> {
        let wallet = self.address();
        let masks = masks(scopes);
        let statuses = self.pause_status()?;
        for (program, _) in &masks {
            let status = statuses
                .iter()
                .find(|status| status.program == *program)
                .ok_or_else(|| {
                    SdkError::Input(format!("the {} program is not deployed", program.name()))
                })?;
            if status.pause.guardian != wallet {
                return Err(SdkError::Input(format!(
                    "this wallet ({wallet}) is not the {} program's guardian ({})",
                    program.name(),
                    if status.pause.guardian == Pubkey::default() {
                        "none named".to_string()
                    } else {
                        status.pause.guardian.to_string()
                    }
                )));
            }
            if !status.pause.guardian_armed {
                return Err(SdkError::Input(format!(
                    "the guardian has used its pause on the {} program; the DAO must arm it \
                     again (`depin guardian set`)",
                    program.name()
                )));
            }
        }
        let instructions: Vec<Instruction> = masks
            .iter()
            .map(|(program, mask)| program.pause(wallet, *mask))
            .collect();
        self.send(&instructions, &[])
    }

    /// Sweeps `epoch`'s unclaimable oracle share to the treasury.
    pub fn sweep_oracle_rewards(&mut self, epoch: u64) -> Result<AdminOutcome, SdkError> {
        let treasury = self.rewards_config()?.treasury;
        if !self.backend.exists(&pda::epoch_rewards(epoch).0)? {
            return Err(SdkError::Input(format!(
                "epoch {epoch} has not been issued"
            )));
        }
        if !self.backend.exists(&pda::epoch_batch(epoch).0)? {
            return Err(SdkError::Input(format!(
                "epoch {epoch} has no batch on chain: once its finality deadline has passed, \
                 mark it expired (expire_batch), then sweep"
            )));
        }
        self.administer_programs(
            &format!("Sweep epoch {epoch}'s unclaimable oracle rewards to the treasury"),
            &[(PausableProgram::Rewards, 0)],
            |_, authority, _| rewards::sweep_oracle_rewards(authority, epoch, treasury),
        )
    }
}
