//! The programs' IDLs, built the way `anchor idl build` builds them: each
//! program's `idl-build` feature compiled for the host and its IDL test
//! printed and assembled by `anchor-lang-idl`, then the two accounts
//! `#[event_cpi]` adds declared as derivable. `idl/<program>.json` holds
//! them, checked in; `cargo run -p depin-tests --bin idl` rewrites them and
//! `tests/tests/idl.rs` fails when the code and the files drift.

use std::path::{Path, PathBuf};

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
fn declare_event_cpi_accounts(mut idl: anchor_lang_idl::types::Idl) -> anchor_lang_idl::types::Idl {
    use anchor_lang_idl::types::{IdlInstructionAccountItem, IdlPda, IdlSeed, IdlSeedConst};
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
