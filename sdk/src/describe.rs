//! What a proposal does, in words: each instruction a proposal stores is
//! matched by program id and Anchor discriminator against the suite's
//! instructions the DAO may sign (and SPL Token and system transfers), and
//! its arguments are decoded with the program's own types.
//!
//! ```
//! use depin_sdk::{describe::describe, governance, pda, proof_oracle, Pubkey};
//!
//! let oracles = vec![Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique()];
//! let change = proof_oracle::set_oracle_set(pda::dao_authority().0, oracles, 2);
//! let text = describe(&governance::stored(&change));
//! assert!(text.starts_with("set the oracle set to 3 oracles, quorum 2"));
//! ```

use {
    crate::{
        amount::format_amount,
        governance::{ProposalRules, Quorum, StoredInstruction, VotingPowerParams},
        pause::{PausableProgram, PAUSE_SCOPES},
        pda, token, Pubkey,
    },
    anchor_lang::{system_program, AnchorDeserialize, Discriminator},
    std::collections::BTreeMap,
};

/// Decimals of the network token when nothing else is known (what `depin
/// network init` creates).
pub const DEFAULT_TOKEN_DECIMALS: u8 = 6;

/// Turns proposal instructions into words. Knows the network token's
/// decimals and names for well-known addresses (the treasury, the DAO
/// authority, the reward pools); add names for others with
/// [`Describer::name`] (e.g. the owner of a token account a grant pays).
#[derive(Clone, Debug)]
pub struct Describer {
    /// Decimals of the network token.
    pub token_decimals: u8,
    names: BTreeMap<Pubkey, String>,
}

impl Default for Describer {
    fn default() -> Self {
        Self::new(DEFAULT_TOKEN_DECIMALS)
    }
}

/// `instruction` in words, with the default token decimals.
pub fn describe(instruction: &StoredInstruction) -> String {
    Describer::default().describe(instruction)
}

/// The token accounts that proposal `instructions` pay into: naming their
/// owners ([`Describer::name`]) makes a grant read "pay 10 tokens from the
/// treasury to <owner>".
pub fn paid_token_accounts(instructions: &[StoredInstruction]) -> Vec<Pubkey> {
    instructions
        .iter()
        .filter(|ix| ix.program_id == token::SPL_TOKEN_PROGRAM_ID)
        .filter_map(|ix| match ix.data.first() {
            Some(3) => ix.accounts.get(1),
            Some(12) => ix.accounts.get(2),
            _ => None,
        })
        .map(|meta| meta.pubkey)
        .collect()
}

impl Describer {
    pub fn new(token_decimals: u8) -> Self {
        let names = [
            (pda::treasury().0, "the treasury"),
            (pda::dao_authority().0, "the DAO authority"),
            (pda::governance_vault().0, "the governance vault"),
            (pda::device_pool().0, "the device reward pool"),
            (pda::oracle_pool().0, "the oracle reward pool"),
        ]
        .into_iter()
        .map(|(address, name)| (address, name.to_string()))
        .collect();
        Self {
            token_decimals,
            names,
        }
    }

    /// Calls `address` `name` in descriptions.
    pub fn name(&mut self, address: Pubkey, name: impl Into<String>) -> &mut Self {
        self.names.insert(address, name.into());
        self
    }

    fn named(&self, address: &Pubkey) -> String {
        self.names
            .get(address)
            .cloned()
            .unwrap_or_else(|| address.to_string())
    }

    fn tokens(&self, base_units: u64) -> String {
        format!("{} tokens", format_amount(base_units, self.token_decimals))
    }

    /// Voting power (token base units × multiplier) in tokens.
    fn power(&self, power: u128) -> String {
        crate::governance::format_voting_power(power, self.token_decimals)
    }

    /// What `instruction` does, in words; an instruction it does not know
    /// is "program P, instruction data N bytes".
    pub fn describe(&self, instruction: &StoredInstruction) -> String {
        let program = instruction.program_id;
        let known = if program == ::device_registry::ID {
            self.registry(instruction)
        } else if program == ::proof_oracle::ID {
            self.oracle(instruction)
        } else if program == ::rewards::ID {
            self.rewards(instruction)
        } else if program == ::governance::ID {
            self.governance(instruction)
        } else if program == token::SPL_TOKEN_PROGRAM_ID {
            self.spl_token(instruction)
        } else if program == system_program::ID {
            self.system(instruction)
        } else {
            None
        };
        known.unwrap_or_else(|| {
            format!(
                "program {program}, instruction data {} bytes",
                instruction.data.len()
            )
        })
    }

    fn registry(&self, ix: &StoredInstruction) -> Option<String> {
        use ::device_registry::instruction as i;
        if let Some(i::AddMaker { args }) = decode(&ix.data) {
            return Some(format!(
                "approve maker {} (key {}), {}",
                args.name,
                args.maker_key,
                quota(args.device_quota)
            ));
        }
        if let Some(i::UpdateMaker { args }) = decode(&ix.data) {
            let maker = ix
                .accounts
                .get(2)
                .map(|meta| format!(" (account {})", meta.pubkey))
                .unwrap_or_default();
            return Some(if args.approved {
                format!(
                    "update maker {}{maker}: approved, {}",
                    args.name,
                    quota(args.device_quota)
                )
            } else {
                format!(
                    "revoke maker {}{maker}: it can no longer attest devices",
                    args.name
                )
            });
        }
        if let Some(i::AddDeviceClass { args }) = decode(&ix.data) {
            return Some(format!("add device class {}", class(&args)));
        }
        if let Some(i::UpdateDeviceClass { args }) = decode(&ix.data) {
            return Some(format!(
                "change device class {} to {}",
                args.class_id,
                class(&args.class)
            ));
        }
        if let Some(i::UpdateRegistry { args }) = decode(&ix.data) {
            let mut changes = Vec::new();
            if let Some(authority) = args.new_authority {
                changes.push(format!("hand the registry to {}", self.named(&authority)));
            }
            if let Some(mint) = optional_account(ix, 2) {
                changes.push(format!("charge fees in mint {mint}"));
            }
            return Some(changes_or_nothing("registry", changes));
        }
        if let Some(i::SetDeviceStatus { args }) = decode(&ix.data) {
            let device = ix
                .accounts
                .get(2)
                .map(|meta| meta.pubkey.to_string())
                .unwrap_or_else(|| "a device".into());
            let status = match args.status {
                ::device_registry::state::DeviceStatus::Active => "reinstate",
                ::device_registry::state::DeviceStatus::Suspended => "suspend",
            };
            return Some(format!("{status} device account {device}"));
        }
        if let Some(i::Pause { args }) = decode(&ix.data) {
            return Some(pause_words(PausableProgram::Registry, args.scopes, true));
        }
        if let Some(i::Unpause { args }) = decode(&ix.data) {
            return Some(pause_words(PausableProgram::Registry, args.scopes, false));
        }
        if let Some(i::SetGuardian { args }) = decode(&ix.data) {
            return Some(guardian_words(
                PausableProgram::Registry,
                &args.guardian,
                args.max_pause,
            ));
        }
        None
    }

    fn oracle(&self, ix: &StoredInstruction) -> Option<String> {
        use ::proof_oracle::instruction as i;
        if let Some(i::SetOracleSet { args }) = decode(&ix.data) {
            let keys: Vec<String> = args.oracles.iter().map(|key| self.named(key)).collect();
            return Some(format!(
                "set the oracle set to {} oracle{}, quorum {}: {}",
                args.oracles.len(),
                plural(args.oracles.len()),
                args.quorum,
                keys.join(", ")
            ));
        }
        if let Some(i::UpdateOracleParams { args }) = decode(&ix.data) {
            let mut changes = Vec::new();
            if let Some(authority) = args.new_authority {
                changes.push(format!("hand the oracle to {}", self.named(&authority)));
            }
            if let Some(window) = args.challenge_window {
                changes.push(format!("challenge window {}", duration(window)));
            }
            if let Some(deadline) = args.finality_deadline {
                changes.push(format!("finality deadline {}", duration(deadline)));
            }
            if let Some(staleness) = args.price_max_staleness {
                changes.push(format!("prices count for {}", duration(staleness)));
            }
            if let Some(minimum) = args.price_min_submissions {
                changes.push(format!("a price needs {minimum} submissions"));
            }
            return Some(changes_or_nothing("oracle parameters", changes));
        }
        if let Some(i::RejectBatch { args }) = decode(&ix.data) {
            return Some(format!("reject the proof batch of epoch {}", args.epoch));
        }
        if let Some(i::Pause { args }) = decode(&ix.data) {
            return Some(pause_words(PausableProgram::Oracle, args.scopes, true));
        }
        if let Some(i::Unpause { args }) = decode(&ix.data) {
            return Some(pause_words(PausableProgram::Oracle, args.scopes, false));
        }
        if let Some(i::SetGuardian { args }) = decode(&ix.data) {
            return Some(guardian_words(
                PausableProgram::Oracle,
                &args.guardian,
                args.max_pause,
            ));
        }
        None
    }

    fn rewards(&self, ix: &StoredInstruction) -> Option<String> {
        use ::rewards::instruction as i;
        if let Some(i::SetEmissionSchedule { args }) = decode(&ix.data) {
            let mut entries = Vec::new();
            let mut split = None;
            for entry in &args.schedule {
                let mut text = format!(
                    "{} per epoch from epoch {}",
                    self.tokens(entry.tokens_per_epoch),
                    entry.start_epoch
                );
                if split.is_some_and(|split| split != entry.split) {
                    text.push_str(&format!(
                        " (devices {}, oracles {}, treasury {})",
                        percent(entry.split.devices_bps.into()),
                        percent(entry.split.oracles_bps.into()),
                        percent(entry.split.treasury_bps.into())
                    ));
                }
                split = Some(entry.split);
                entries.push(text);
            }
            return Some(format!("set the emission schedule: {}", entries.join(", ")));
        }
        if let Some(i::UpdateRewards { args }) = decode(&ix.data) {
            let mut changes = Vec::new();
            if let Some(authority) = args.new_authority {
                changes.push(format!(
                    "hand the rewards program to {}",
                    self.named(&authority)
                ));
            }
            if let Some(treasury) = optional_account(ix, 2) {
                changes.push(format!("pay the treasury share to {treasury}"));
            }
            if let Some(discount) = args.price_discount_bps {
                changes.push(format!(
                    "data credits priced {} under the oracle price",
                    percent(discount.into())
                ));
            }
            if let Some(epochs) = args.net_emission_smoothing_epochs {
                changes.push(format!("burned tokens re-emitted over {epochs} epochs"));
            }
            if let Some(cap) = args.net_emission_cap {
                changes.push(format!("at most {} re-emitted per epoch", self.tokens(cap)));
            }
            if let Some(breaker) = args.token_breaker {
                changes.push(format!(
                    "at most {} minted per {}",
                    self.tokens(breaker.limit),
                    duration(breaker.window_seconds)
                ));
            }
            if let Some(breaker) = args.dc_breaker {
                changes.push(format!(
                    "at most {} data credits bought per {}",
                    breaker.limit,
                    duration(breaker.window_seconds)
                ));
            }
            return Some(changes_or_nothing("rewards settings", changes));
        }
        if let Some(i::SweepOracleRewards { args }) = decode(&ix.data) {
            return Some(format!(
                "sweep the unclaimable oracle rewards of epoch {} to the treasury",
                args.epoch
            ));
        }
        if let Some(i::Pause { args }) = decode(&ix.data) {
            return Some(pause_words(PausableProgram::Rewards, args.scopes, true));
        }
        if let Some(i::Unpause { args }) = decode(&ix.data) {
            return Some(pause_words(PausableProgram::Rewards, args.scopes, false));
        }
        if let Some(i::SetGuardian { args }) = decode(&ix.data) {
            return Some(guardian_words(
                PausableProgram::Rewards,
                &args.guardian,
                args.max_pause,
            ));
        }
        None
    }

    fn governance(&self, ix: &StoredInstruction) -> Option<String> {
        use ::governance::instruction as i;
        let i::UpdateGovernance { args } = decode(&ix.data)?;
        let mut changes = Vec::new();
        if let Some(power) = args.power {
            changes.push(power_words(&power));
        }
        if let Some(rules) = args.rules {
            changes.push(self.rules_words(&rules));
        }
        if let Some(programs) = args.allowed_programs {
            let names: Vec<String> = programs.iter().map(program_name).collect();
            changes.push(format!("proposals may call {}", names.join(", ")));
        }
        Some(changes_or_nothing("governance settings", changes))
    }

    fn rules_words(&self, rules: &ProposalRules) -> String {
        let quorum = match rules.quorum {
            Quorum::Absolute { power } => format!("quorum {} voting power", self.power(power)),
            Quorum::LockedFraction { bps } => {
                format!("quorum {} of the locked tokens", percent(bps.into()))
            }
        };
        format!(
            "proposals need {} voting power, votes last {}, {quorum}, approval {} of yes + no{}, \
             timelock {}, execution window {}",
            self.power(rules.min_proposal_power),
            duration(rules.voting_period_secs),
            percent(rules.approval_threshold_bps.into()),
            if rules.early_tipping {
                ", decided early once certain"
            } else {
                ""
            },
            duration(rules.timelock_secs),
            duration(rules.execution_window_secs)
        )
    }

    fn spl_token(&self, ix: &StoredInstruction) -> Option<String> {
        let (tag, rest) = ix.data.split_first()?;
        let amount = u64::from_le_bytes(rest.get(..8)?.try_into().ok()?);
        let (source, destination) = match (tag, ix.accounts.as_slice()) {
            (3, [source, destination, ..]) if rest.len() == 8 => (source, destination),
            (12, [source, _mint, destination, ..]) if rest.len() == 9 => (source, destination),
            _ => return None,
        };
        // The treasury holds the network token; other accounts may not.
        let what = if source.pubkey == pda::treasury().0 {
            self.tokens(amount)
        } else {
            format!("{amount} token base units")
        };
        Some(format!(
            "pay {what} from {} to {}",
            self.named(&source.pubkey),
            self.named(&destination.pubkey)
        ))
    }

    fn system(&self, ix: &StoredInstruction) -> Option<String> {
        let tag = u32::from_le_bytes(ix.data.get(..4)?.try_into().ok()?);
        let lamports = u64::from_le_bytes(ix.data.get(4..12)?.try_into().ok()?);
        match (tag, ix.accounts.as_slice()) {
            (2, [from, to]) if ix.data.len() == 12 => Some(format!(
                "pay {} SOL from {} to {}",
                format_amount(lamports, 9),
                self.named(&from.pubkey),
                self.named(&to.pubkey)
            )),
            _ => None,
        }
    }
}

/// The instruction `T` if `data` is its discriminator followed by exactly
/// its arguments.
fn decode<T: Discriminator + AnchorDeserialize>(data: &[u8]) -> Option<T> {
    let arguments = data.strip_prefix(T::DISCRIMINATOR)?;
    T::try_from_slice(arguments).ok()
}

/// An optional Anchor account at `index`: Anchor passes the program's own
/// id for `None`.
fn optional_account(ix: &StoredInstruction, index: usize) -> Option<Pubkey> {
    ix.accounts
        .get(index)
        .map(|meta| meta.pubkey)
        .filter(|key| *key != ix.program_id)
}

fn changes_or_nothing(what: &str, changes: Vec<String>) -> String {
    if changes.is_empty() {
        format!("change no {what}")
    } else {
        format!("change the {what}: {}", changes.join("; "))
    }
}

fn quota(quota: Option<u64>) -> String {
    match quota {
        Some(devices) => format!("quota {devices} devices"),
        None => "no device quota".into(),
    }
}

fn class(args: &::device_registry::instructions::DeviceClassArgs) -> String {
    format!(
        "{}: onboarding fee {} data credits, location fee {}, {}, {}",
        args.name,
        args.onboarding_fee,
        args.location_fee,
        if args.maker_required {
            "maker attestation required"
        } else {
            "no maker needed"
        },
        if args.enabled { "enabled" } else { "disabled" }
    )
}

fn pause_words(program: PausableProgram, mask: u8, pause: bool) -> String {
    let scopes: Vec<&str> = PAUSE_SCOPES
        .iter()
        .filter(|scope| scope.program == program && mask & scope.bit != 0)
        .map(|scope| scope.name)
        .collect();
    let unknown = mask
        & !PAUSE_SCOPES
            .iter()
            .filter(|scope| scope.program == program)
            .fold(0, |all, scope| all | scope.bit);
    let mut names = scopes.join(", ");
    if unknown != 0 {
        if !names.is_empty() {
            names.push_str(", ");
        }
        names.push_str(&format!("unknown scopes {unknown:#010b}"));
    }
    let verb = if pause { "pause" } else { "lift the pause of" };
    format!("{verb} {} program scopes: {names}", program.name())
}

fn guardian_words(program: PausableProgram, guardian: &Pubkey, max_pause: i64) -> String {
    if *guardian == Pubkey::default() {
        format!("remove the {} program's guardian", program.name())
    } else {
        format!(
            "make {guardian} the {} program's guardian (pauses for at most {})",
            program.name(),
            duration(max_pause)
        )
    }
}

fn power_words(power: &VotingPowerParams) -> String {
    format!(
        "voting power {}× to {}× of the tokens (full at {} of lockup left), lockups {} to {}",
        multiplier(power.baseline_bps),
        multiplier(power.baseline_bps.saturating_add(power.max_extra_bps)),
        duration(power.saturation_secs),
        duration(power.min_lockup_secs),
        duration(power.max_lockup_secs)
    )
}

fn program_name(program: &Pubkey) -> String {
    let names = [
        (::device_registry::ID, "the device registry"),
        (::proof_oracle::ID, "the proof oracle"),
        (::rewards::ID, "rewards"),
        (::governance::ID, "governance"),
        (system_program::ID, "the system program"),
        (token::SPL_TOKEN_PROGRAM_ID, "SPL Token"),
    ];
    names
        .iter()
        .find(|(id, _)| id == program)
        .map(|(_, name)| name.to_string())
        .unwrap_or_else(|| program.to_string())
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

/// Basis points as a percentage ("12.5 %").
pub fn percent(bps: u64) -> String {
    format!("{} %", format_amount(bps, 2))
}

/// A multiplier in basis points ("1.5").
fn multiplier(bps: u32) -> String {
    format_amount(bps.into(), 4)
}

/// A span of seconds for people, two units at most: "3 d", "2 h 30 min",
/// "45 s" ("-3 d" for a negative span).
pub fn duration(seconds: i64) -> String {
    if seconds == 0 {
        return "0 s".into();
    }
    let text = units(seconds.unsigned_abs());
    if seconds < 0 {
        format!("-{text}")
    } else {
        text
    }
}

/// How far `seconds` from now is: "in 3 h 12 min", "2 d 1 h ago", "now".
pub fn relative(seconds: i64) -> String {
    match seconds {
        0 => "now".into(),
        1.. => format!("in {}", units(seconds.unsigned_abs())),
        _ => format!("{} ago", units(seconds.unsigned_abs())),
    }
}

/// The two largest non-zero units of a span.
fn units(span: u64) -> String {
    [
        (span / 86_400, "d"),
        (span % 86_400 / 3_600, "h"),
        (span % 3_600 / 60, "min"),
        (span % 60, "s"),
    ]
    .into_iter()
    .filter(|(value, _)| *value > 0)
    .take(2)
    .map(|(value, unit)| format!("{value} {unit}"))
    .collect::<Vec<_>>()
    .join(" ")
}

#[cfg(test)]
mod tests {
    use {
        super::*,
        crate::{device_registry, governance, pause, proof_oracle, rewards, Instruction},
    };

    fn words(instruction: &Instruction) -> String {
        describe(&governance::stored(instruction))
    }

    fn dao() -> Pubkey {
        pda::dao_authority().0
    }

    #[test]
    fn emission_schedules_read_in_tokens_per_epoch() {
        let split = rewards::Split {
            devices_bps: 7_500,
            oracles_bps: 500,
            treasury_bps: 2_000,
        };
        let other = rewards::Split {
            devices_bps: 8_000,
            oracles_bps: 500,
            treasury_bps: 1_500,
        };
        let schedule = vec![
            rewards::ScheduleEntry {
                start_epoch: 0,
                tokens_per_epoch: 1_000_000_000_000,
                split,
            },
            rewards::ScheduleEntry {
                start_epoch: 12,
                tokens_per_epoch: 1_000_000_000,
                split,
            },
            rewards::ScheduleEntry {
                start_epoch: 30,
                tokens_per_epoch: 1_500_000,
                split: other,
            },
        ];
        assert_eq!(
            words(&rewards::set_emission_schedule(dao(), schedule)),
            "set the emission schedule: 1000000 tokens per epoch from epoch 0, \
             1000 tokens per epoch from epoch 12, 1.5 tokens per epoch from epoch 30 \
             (devices 80 %, oracles 5 %, treasury 15 %)"
        );
    }

    #[test]
    fn a_treasury_grant_names_the_treasury_and_the_recipient() {
        let recipient = Pubkey::new_unique();
        let destination = rewards::token_account(&recipient);
        let pay = token::transfer(&pda::treasury().0, &destination, &dao(), 500_000_000);
        assert_eq!(
            words(&pay),
            format!("pay 500 tokens from the treasury to {destination}")
        );
        let stored = governance::stored(&pay);
        assert_eq!(
            paid_token_accounts(std::slice::from_ref(&stored)),
            [destination]
        );
        let mut describer = Describer::new(6);
        describer.name(destination, recipient.to_string());
        assert_eq!(
            describer.describe(&stored),
            format!("pay 500 tokens from the treasury to {recipient}")
        );
        // Other decimals, other words.
        assert!(Describer::new(9)
            .describe(&stored)
            .starts_with("pay 0.5 tokens"));
    }

    #[test]
    fn oracle_sets_makers_and_classes() {
        let oracles: Vec<Pubkey> = (0..3).map(|_| Pubkey::new_unique()).collect();
        let set = words(&proof_oracle::set_oracle_set(dao(), oracles.clone(), 2));
        assert!(
            set.starts_with("set the oracle set to 3 oracles, quorum 2: "),
            "{set}"
        );
        assert!(set.contains(&oracles[2].to_string()), "{set}");

        let maker_key = Pubkey::new_unique();
        let add = words(&device_registry::add_maker(
            dao(),
            dao(),
            device_registry::AddMakerArgs {
                maker_key,
                name: "acme".into(),
                device_quota: Some(10_000),
            },
        ));
        assert_eq!(
            add,
            format!("approve maker acme (key {maker_key}), quota 10000 devices")
        );
        let revoke = words(&device_registry::update_maker(
            dao(),
            maker_key,
            device_registry::UpdateMakerArgs {
                name: "acme".into(),
                device_quota: None,
                approved: false,
            },
        ));
        assert!(revoke.starts_with("revoke maker acme"), "{revoke}");
        let class = words(&device_registry::add_device_class(
            dao(),
            device_registry::DeviceClassArgs {
                name: "gpu".into(),
                onboarding_fee: 1_000,
                location_fee: 10,
                maker_required: true,
                enabled: true,
            },
        ));
        assert_eq!(
            class,
            "add device class gpu: onboarding fee 1000 data credits, location fee 10, \
             maker attestation required, enabled"
        );
    }

    #[test]
    fn pauses_guardians_and_settings() {
        let scopes = pause::parse_pause_scopes(&["issuance".into(), "prices".into()]).unwrap();
        let texts: Vec<String> = pause::masks(&scopes)
            .into_iter()
            .map(|(program, mask)| words(&program.pause(dao(), mask)))
            .collect();
        assert_eq!(
            texts,
            [
                "pause oracle program scopes: prices",
                "pause rewards program scopes: issuance"
            ]
        );
        assert_eq!(
            words(&rewards::unpause(dao(), 0b1111)),
            "lift the pause of rewards program scopes: issuance, device-claims, \
             oracle-claims, credit-purchases"
        );
        let guardian = Pubkey::new_unique();
        assert_eq!(
            words(&device_registry::set_guardian(dao(), guardian, 86_400)),
            format!("make {guardian} the registry program's guardian (pauses for at most 1 d)")
        );
        assert_eq!(
            words(&proof_oracle::set_guardian(dao(), Pubkey::default(), 0)),
            "remove the oracle program's guardian"
        );
        let update = words(&governance::update_governance(
            governance::UpdateGovernanceArgs {
                power: None,
                rules: Some(governance::default_proposal_rules(1_000_000_000)),
                allowed_programs: None,
            },
        ));
        assert_eq!(
            update,
            "change the governance settings: proposals need 1000 voting power, votes last \
             3 d, quorum 10 % of the locked tokens, approval 50 % of yes + no, timelock 2 d, \
             execution window 7 d"
        );
        let params = words(&proof_oracle::update_oracle_params(
            dao(),
            proof_oracle::UpdateOracleParamsArgs {
                challenge_window: Some(3_600),
                ..Default::default()
            },
        ));
        assert_eq!(params, "change the oracle parameters: challenge window 1 h");
    }

    #[test]
    fn unknown_instructions_say_program_and_size() {
        let program = Pubkey::new_unique();
        let unknown = StoredInstruction {
            program_id: program,
            accounts: vec![],
            data: vec![1, 2, 3],
        };
        assert_eq!(
            describe(&unknown),
            format!("program {program}, instruction data 3 bytes")
        );
        // A known program with data no instruction of it has.
        let garbage = StoredInstruction {
            program_id: ::rewards::ID,
            accounts: vec![],
            data: vec![0; 12],
        };
        assert_eq!(
            describe(&garbage),
            format!("program {}, instruction data 12 bytes", ::rewards::ID)
        );
        // Trailing bytes after valid arguments are not the instruction.
        let mut padded = governance::stored(&rewards::set_emission_schedule(dao(), vec![]));
        padded.data.push(0);
        assert!(describe(&padded).starts_with("program "));
    }

    #[test]
    fn durations_and_percentages() {
        assert_eq!(duration(0), "0 s");
        assert_eq!(duration(45), "45 s");
        assert_eq!(duration(9_000), "2 h 30 min");
        assert_eq!(duration(3 * 86_400 + 5), "3 d 5 s");
        assert_eq!(percent(1_250), "12.5 %");
        assert_eq!(percent(10_000), "100 %");
    }
}
