//! The programs' IDLs, built the way `anchor idl build` builds them: each
//! program's `idl-build` feature compiled for the host and its IDL test
//! printed and assembled by `anchor-lang-idl`, then the two accounts
//! `#[event_cpi]` adds and the accounts of [`DECLARED`] declared as
//! derivable. `idl/<program>.json` holds them, checked in; `cargo run -p
//! depin-tests --bin idl` rewrites them and `tests/tests/idl.rs` fails when
//! the code and the files drift.

use {
    anchor_lang::prelude::Pubkey,
    anchor_lang_idl::types::{
        Idl, IdlInstructionAccount, IdlInstructionAccountItem, IdlPda, IdlSeed, IdlSeedArg,
        IdlSeedConst,
    },
    std::path::{Path, PathBuf},
};

/// The programs with an IDL: crate folder under `programs/` and file stem.
pub const PROGRAMS: [(&str, &str); 4] = [
    ("device-registry", "device_registry"),
    ("proof-oracle", "proof_oracle"),
    ("rewards", "rewards"),
    ("governance", "governance"),
];

/// The workspace's root folder.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf()
}

/// Where the IDL builds compile: a folder of their own, since they use
/// other flags than the workspace's builds and run while a `cargo test`
/// of the workspace may hold its build folder.
fn build_folder() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
        .join("idl-build")
}

/// The IDL of `programs/<folder>`, as pretty JSON with a final newline.
pub fn build(folder: &str) -> anyhow::Result<String> {
    // anchor-lang-idl reinstalls and switches toolchains when it sees
    // RUSTUP_TOOLCHAIN (rustup sets it for processes it starts); this
    // machine's one toolchain is what `cargo` runs anyway.
    std::env::remove_var("RUSTUP_TOOLCHAIN");
    let idl = anchor_lang_idl::build::IdlBuilder::new()
        .program_path(workspace_root().join("programs").join(folder))
        .cargo_args(vec![
            "--target-dir".into(),
            build_folder().display().to_string(),
        ])
        .build()?;
    let idl = declare_event_cpi_accounts(idl);
    let idl = declare_derivable_accounts(idl, folder)?;
    let mut json = serde_json::to_string_pretty(&idl)?;
    json.push('\n');
    Ok(json)
}

/// `idl/<stem>.json`.
pub fn checked_in(stem: &str) -> PathBuf {
    workspace_root().join("idl").join(format!("{stem}.json"))
}

/// `#[event_cpi]` adds two accounts the builder leaves undeclared: the
/// event authority (the PDA of `__event_authority`) and the program
/// itself. Declaring them lets a client (Anchor's TypeScript one) fill them
/// in instead of asking its caller.
fn declare_event_cpi_accounts(mut idl: Idl) -> Idl {
    fn declare(items: &mut [IdlInstructionAccountItem], program: &str) {
        for item in items {
            match item {
                IdlInstructionAccountItem::Composite(group) => {
                    declare(&mut group.accounts, program)
                }
                IdlInstructionAccountItem::Single(account) => {
                    if account.name == "event_authority" && account.pda.is_none() {
                        account.pda = Some(IdlPda {
                            seeds: vec![IdlSeed::Const(IdlSeedConst {
                                value: b"__event_authority".to_vec(),
                            })],
                            program: None,
                        });
                    }
                    if account.name == "program" && account.address.is_none() {
                        account.address = Some(program.to_string());
                    }
                }
            }
        }
    }
    let program = idl.address.clone();
    for instruction in &mut idl.instructions {
        declare(&mut instruction.accounts, &program);
    }
    idl
}

/// A seed of a PDA declared in [`DECLARED`].
#[derive(Debug, Clone, Copy)]
pub enum Seed {
    /// Bytes: the program's own seed constant.
    Const(&'static [u8]),
    /// An instruction argument (`args.epoch`), a `u64` as its 8 bytes LE.
    Arg(&'static str),
}

/// How a client derives an account the builder leaves undeclared.
#[derive(Debug, Clone, Copy)]
pub enum Derivation {
    /// The PDA of `program` from `seeds` (a program other than the IDL's is
    /// declared as the PDA's `program` seed).
    Pda {
        program: Pubkey,
        seeds: &'static [Seed],
    },
    /// The address stored in the instruction's account `holder` under the
    /// account's own name (`address = config.treasury`), declared as
    /// `relations: [holder]`, which Anchor's client resolves by reading
    /// `holder`. For addresses a config records but a later instruction may
    /// change (the treasury) or an initialization chose (governance's mint).
    StoredIn { holder: &'static str },
}

/// Accounts declared derivable in the IDL of `program` (file stem) for
/// each of `instructions`.
#[derive(Debug, Clone, Copy)]
pub struct Declared {
    pub program: &'static str,
    pub account: &'static str,
    pub instructions: &'static [&'static str],
    pub derivation: Derivation,
}

const fn pda(program: Pubkey, seeds: &'static [Seed]) -> Derivation {
    Derivation::Pda { program, seeds }
}

const IN_CONFIG: Derivation = Derivation::StoredIn { holder: "config" };

/// Accounts the programs check against an address their config stores
/// (`address = config.x`, or by owner and type for the oracle program's
/// singletons, or by the batch's epoch) instead of by seeds: recomputing a
/// PDA on chain would cost about 1,500 compute units per account, so the
/// IDL builder cannot see them and they are declared here. Every one is
/// created at the PDA of its program's own seed constant and never moves
/// (the treasury and governance's mint excepted: `StoredIn`). The drift
/// test derives each from its declared seeds and compares it with
/// `depin_sdk::pda` and with what a bootstrapped network stores.
pub const DECLARED: &[Declared] = &[
    Declared {
        program: "rewards",
        account: "token_mint",
        instructions: &[
            "claim_oracle_rewards",
            "claim_rewards",
            "issue_epoch",
            "mint_data_credits",
            "sweep_oracle_rewards",
        ],
        derivation: pda(rewards::ID, &[Seed::Const(rewards::seeds::SEED_TOKEN_MINT)]),
    },
    Declared {
        program: "rewards",
        account: "dc_mint",
        instructions: &["burn_data_credits", "mint_data_credits"],
        derivation: pda(rewards::ID, &[Seed::Const(rewards::seeds::SEED_DC_MINT)]),
    },
    Declared {
        program: "rewards",
        account: "device_pool",
        instructions: &["claim_rewards", "issue_epoch"],
        derivation: pda(
            rewards::ID,
            &[Seed::Const(rewards::seeds::SEED_DEVICE_POOL)],
        ),
    },
    Declared {
        program: "rewards",
        account: "oracle_pool",
        instructions: &[
            "claim_oracle_rewards",
            "issue_epoch",
            "sweep_oracle_rewards",
        ],
        derivation: pda(
            rewards::ID,
            &[Seed::Const(rewards::seeds::SEED_ORACLE_POOL)],
        ),
    },
    Declared {
        program: "rewards",
        account: "treasury",
        instructions: &["issue_epoch", "sweep_oracle_rewards"],
        derivation: IN_CONFIG,
    },
    Declared {
        program: "rewards",
        account: "oracle_config",
        instructions: &[
            "burn_data_credits",
            "issue_epoch",
            "mint_data_credits",
            "set_emission_schedule",
        ],
        derivation: pda(
            ::proof_oracle::ID,
            &[Seed::Const(::proof_oracle::seeds::SEED_CONFIG)],
        ),
    },
    Declared {
        program: "rewards",
        account: "price_feed",
        instructions: &["mint_data_credits"],
        derivation: pda(
            ::proof_oracle::ID,
            &[Seed::Const(::proof_oracle::seeds::SEED_PRICE_FEED)],
        ),
    },
    // The epoch's batch, checked by owner, type and `batch.epoch ==
    // args.epoch` (the oracle program creates a batch only at its PDA).
    // `claim_rewards` takes any final batch: there it is the caller's choice.
    Declared {
        program: "rewards",
        account: "batch",
        instructions: &["claim_oracle_rewards", "sweep_oracle_rewards"],
        derivation: pda(
            ::proof_oracle::ID,
            &[
                Seed::Const(::proof_oracle::seeds::SEED_BATCH),
                Seed::Arg("args.epoch"),
            ],
        ),
    },
    Declared {
        program: "governance",
        account: "vault",
        instructions: &["lock_tokens", "withdraw_position"],
        derivation: pda(
            governance::ID,
            &[Seed::Const(governance::seeds::SEED_VAULT)],
        ),
    },
    Declared {
        program: "governance",
        account: "token_mint",
        instructions: &["cast_vote", "lock_tokens", "withdraw_position"],
        derivation: IN_CONFIG,
    },
];

/// Adds [`DECLARED`]'s entries for the IDL of `programs/<folder>`; fails
/// when an entry names an instruction or account the IDL lacks, or one the
/// builder already declares (the entry is then stale).
fn declare_derivable_accounts(mut idl: Idl, folder: &str) -> anyhow::Result<Idl> {
    let stem = PROGRAMS
        .iter()
        .find(|(candidate, _)| *candidate == folder)
        .map(|(_, stem)| *stem)
        .ok_or_else(|| anyhow::anyhow!("no program folder {folder}"))?;
    let own: Pubkey = idl.address.parse()?;
    for declared in DECLARED.iter().filter(|declared| declared.program == stem) {
        for name in declared.instructions {
            let instruction = idl
                .instructions
                .iter_mut()
                .find(|instruction| instruction.name == *name)
                .ok_or_else(|| anyhow::anyhow!("{stem} has no instruction {name}"))?;
            let account =
                find_account(&mut instruction.accounts, declared.account).ok_or_else(|| {
                    anyhow::anyhow!("{stem}::{name} has no account {}", declared.account)
                })?;
            anyhow::ensure!(
                account.pda.is_none() && account.address.is_none() && account.relations.is_empty(),
                "{stem}::{name}.{} is already declared derivable: drop it from DECLARED",
                account.name
            );
            match declared.derivation {
                Derivation::Pda { program, seeds } => {
                    account.pda = Some(IdlPda {
                        seeds: seeds
                            .iter()
                            .map(|seed| match seed {
                                Seed::Const(bytes) => IdlSeed::Const(IdlSeedConst {
                                    value: bytes.to_vec(),
                                }),
                                Seed::Arg(path) => IdlSeed::Arg(IdlSeedArg {
                                    path: path.to_string(),
                                }),
                            })
                            .collect(),
                        program: (program != own).then(|| {
                            IdlSeed::Const(IdlSeedConst {
                                value: program.to_bytes().to_vec(),
                            })
                        }),
                    })
                }
                Derivation::StoredIn { holder } => account.relations = vec![holder.to_string()],
            }
        }
    }
    Ok(idl)
}

fn find_account<'a>(
    items: &'a mut [IdlInstructionAccountItem],
    name: &str,
) -> Option<&'a mut IdlInstructionAccount> {
    items.iter_mut().find_map(|item| match item {
        IdlInstructionAccountItem::Composite(group) => find_account(&mut group.accounts, name),
        IdlInstructionAccountItem::Single(account) => (account.name == name).then_some(account),
    })
}
