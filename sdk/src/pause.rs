//! The pause switches of the registry, oracle and rewards programs by name:
//! scopes as the CLI names them, their bits in each program's mask, and the
//! pause status decoded from the three configs.

use {
    crate::{device_registry, proof_oracle, rewards, Instruction, Pubkey, SdkError},
    depin_pause::PauseState,
    std::fmt,
};

/// A program with pause switches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PausableProgram {
    Registry,
    Oracle,
    Rewards,
}

impl PausableProgram {
    pub const ALL: [Self; 3] = [Self::Registry, Self::Oracle, Self::Rewards];

    pub fn name(self) -> &'static str {
        match self {
            Self::Registry => "registry",
            Self::Oracle => "oracle",
            Self::Rewards => "rewards",
        }
    }

    pub fn pause(self, signer: Pubkey, scopes: u8) -> Instruction {
        match self {
            Self::Registry => device_registry::pause(signer, scopes),
            Self::Oracle => proof_oracle::pause(signer, scopes),
            Self::Rewards => rewards::pause(signer, scopes),
        }
    }

    pub fn unpause(self, authority: Pubkey, scopes: u8) -> Instruction {
        match self {
            Self::Registry => device_registry::unpause(authority, scopes),
            Self::Oracle => proof_oracle::unpause(authority, scopes),
            Self::Rewards => rewards::unpause(authority, scopes),
        }
    }

    pub fn set_guardian(self, authority: Pubkey, guardian: Pubkey, max_pause: i64) -> Instruction {
        match self {
            Self::Registry => device_registry::set_guardian(authority, guardian, max_pause),
            Self::Oracle => proof_oracle::set_guardian(authority, guardian, max_pause),
            Self::Rewards => rewards::set_guardian(authority, guardian, max_pause),
        }
    }
}

/// One pause scope: its program, its name on the command line, its bit in
/// the program's mask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PauseScope {
    pub program: PausableProgram,
    pub name: &'static str,
    pub bit: u8,
    /// What it stops.
    pub stops: &'static str,
}

impl fmt::Display for PauseScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// Every scope of every program, in program order.
pub const PAUSE_SCOPES: [PauseScope; 8] = [
    PauseScope {
        program: PausableProgram::Registry,
        name: "onboarding",
        bit: 1 << device_registry::state::PauseScope::Onboarding as u8,
        stops: "register_device",
    },
    PauseScope {
        program: PausableProgram::Registry,
        name: "moves",
        bit: 1 << device_registry::state::PauseScope::Moves as u8,
        stops: "update_location, transfer_device",
    },
    PauseScope {
        program: PausableProgram::Oracle,
        name: "batch-votes",
        bit: 1 << proof_oracle::state::PauseScope::BatchVotes as u8,
        stops: "submit_batch, finalize_batch",
    },
    PauseScope {
        program: PausableProgram::Oracle,
        name: "prices",
        bit: 1 << proof_oracle::state::PauseScope::Prices as u8,
        stops: "submit_price",
    },
    PauseScope {
        program: PausableProgram::Rewards,
        name: "issuance",
        bit: 1 << rewards::state::PauseScope::Issuance as u8,
        stops: "issue_epoch",
    },
    PauseScope {
        program: PausableProgram::Rewards,
        name: "device-claims",
        bit: 1 << rewards::state::PauseScope::DeviceClaims as u8,
        stops: "claim_rewards",
    },
    PauseScope {
        program: PausableProgram::Rewards,
        name: "oracle-claims",
        bit: 1 << rewards::state::PauseScope::OracleClaims as u8,
        stops: "claim_oracle_rewards",
    },
    PauseScope {
        program: PausableProgram::Rewards,
        name: "credit-purchases",
        bit: 1 << rewards::state::PauseScope::CreditPurchases as u8,
        stops: "mint_data_credits",
    },
];

/// Parses scope names (`all`, a program name for all its scopes, or a
/// scope name), refusing unknown ones by name.
pub fn parse_pause_scopes(names: &[String]) -> Result<Vec<PauseScope>, SdkError> {
    if names.is_empty() {
        return Err(SdkError::Input(
            "name the scopes to pause or resume (or `all`)".into(),
        ));
    }
    let mut chosen: Vec<PauseScope> = Vec::new();
    for name in names {
        let matching: Vec<PauseScope> = PAUSE_SCOPES
            .iter()
            .filter(|scope| name == "all" || scope.name == name || scope.program.name() == name)
            .copied()
            .collect();
        if matching.is_empty() {
            let known: Vec<&str> = PAUSE_SCOPES.iter().map(|scope| scope.name).collect();
            return Err(SdkError::Input(format!(
                "unknown pause scope '{name}': expected all, registry, oracle, rewards, or one \
                 of {}",
                known.join(", ")
            )));
        }
        for scope in matching {
            if !chosen.contains(&scope) {
                chosen.push(scope);
            }
        }
    }
    Ok(chosen)
}

/// Each program's mask of the chosen scopes (programs with none left out).
pub fn masks(scopes: &[PauseScope]) -> Vec<(PausableProgram, u8)> {
    PausableProgram::ALL
        .into_iter()
        .filter_map(|program| {
            let mask = scopes
                .iter()
                .filter(|scope| scope.program == program)
                .fold(0u8, |mask, scope| mask | scope.bit);
            (mask != 0).then_some((program, mask))
        })
        .collect()
}

/// Short words for a set of scopes (a proposal title holds 64 bytes): a
/// program's name for all its scopes, else the scopes' names.
pub fn scope_summary(scopes: &[PauseScope]) -> String {
    let words: Vec<&str> = PausableProgram::ALL
        .into_iter()
        .flat_map(|program| {
            let all: Vec<&PauseScope> = PAUSE_SCOPES
                .iter()
                .filter(|scope| scope.program == program)
                .collect();
            let chosen: Vec<&str> = scopes
                .iter()
                .filter(|scope| scope.program == program)
                .map(|scope| scope.name)
                .collect();
            if chosen.len() == all.len() {
                vec![program.name()]
            } else {
                chosen
            }
        })
        .collect();
    let summary = words.join(", ");
    if summary.len() <= 56 {
        summary
    } else {
        format!("{} scopes", scopes.len())
    }
}

/// What a program's pause switches and guardian are now.
#[derive(Clone, Debug)]
pub struct PauseStatus {
    pub program: PausableProgram,
    pub authority: Pubkey,
    pub pause: PauseState,
    /// Scopes paused now, with the second their pause ends (`i64::MAX`:
    /// until the authority unpauses).
    pub paused: Vec<(PauseScope, i64)>,
}

/// The pause status of each program in `configs`, at `now`.
pub fn pause_statuses(
    registry: Option<&crate::accounts::RegistryConfig>,
    oracle: Option<&crate::accounts::OracleConfig>,
    rewards: Option<&crate::accounts::RewardsConfig>,
    now: i64,
) -> Vec<PauseStatus> {
    let entries = [
        registry.map(|config| (PausableProgram::Registry, config.authority, config.pause)),
        oracle.map(|config| (PausableProgram::Oracle, config.authority, config.pause)),
        rewards.map(|config| (PausableProgram::Rewards, config.authority, config.pause)),
    ];
    entries
        .into_iter()
        .flatten()
        .map(|(program, authority, pause)| PauseStatus {
            program,
            authority,
            pause,
            paused: PAUSE_SCOPES
                .iter()
                .filter(|scope| scope.program == program)
                .filter_map(|scope| {
                    let index = scope.bit.trailing_zeros() as usize;
                    let until = pause.paused_until[index];
                    (now < until).then_some((*scope, until))
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_names_parse_by_scope_program_and_all() {
        let names = |list: &[&str]| {
            parse_pause_scopes(&list.iter().map(|name| name.to_string()).collect::<Vec<_>>())
        };
        assert_eq!(names(&["all"]).unwrap().len(), 8);
        assert_eq!(names(&["rewards"]).unwrap().len(), 4);
        let chosen = names(&["prices", "onboarding", "prices"]).unwrap();
        assert_eq!(
            chosen.iter().map(|scope| scope.name).collect::<Vec<_>>(),
            ["prices", "onboarding"]
        );
        let error = names(&["claims"]).unwrap_err().to_string();
        assert!(error.contains("unknown pause scope 'claims'"), "{error}");
        assert!(names(&[]).is_err());
    }

    #[test]
    fn proposal_titles_stay_short() {
        let all = parse_pause_scopes(&["all".to_string()]).unwrap();
        assert_eq!(scope_summary(&all), "registry, oracle, rewards");
        let some = parse_pause_scopes(&["issuance".to_string(), "prices".to_string()]).unwrap();
        assert_eq!(scope_summary(&some), "prices, issuance");
        let many: Vec<PauseScope> = PAUSE_SCOPES
            .iter()
            .filter(|scope| !["moves", "prices", "credit-purchases"].contains(&scope.name))
            .copied()
            .collect();
        assert_eq!(scope_summary(&many), "5 scopes");
    }

    #[test]
    fn masks_group_scopes_by_program() {
        let chosen = parse_pause_scopes(&["all".to_string()]).unwrap();
        assert_eq!(
            masks(&chosen),
            [
                (PausableProgram::Registry, 0b11),
                (PausableProgram::Oracle, 0b11),
                (PausableProgram::Rewards, 0b1111)
            ]
        );
    }
}
