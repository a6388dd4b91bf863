//! The checked-in IDLs are the programs' own: rebuilt from the code as
//! `anchor idl build` builds them, they must match `idl/*.json` byte for
//! byte; every instruction carries its doc, and the accounts a client can
//! derive are marked so (a PDA or a fixed address).

use {depin_tests::idl, serde_json::Value};

#[test]
fn checked_in_idls_match_the_code() {
    for (folder, stem) in idl::PROGRAMS {
        let built = idl::build(folder).unwrap_or_else(|error| panic!("IDL of {folder}: {error}"));
        let path = idl::checked_in(stem);
        let checked_in = std::fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        assert!(
            built == checked_in,
            "{} drifted from the code of programs/{folder}: run `cargo run -p depin-tests --bin idl` and commit the result",
            path.display()
        );

        let parsed: Value = serde_json::from_str(&built).unwrap();
        let instructions = parsed["instructions"].as_array().unwrap();
        assert!(!instructions.is_empty());
        for instruction in instructions {
            let name = instruction["name"].as_str().unwrap();
            assert!(
                instruction["docs"]
                    .as_array()
                    .is_some_and(|docs| !docs.is_empty()),
                "{stem}::{name} has no doc"
            );
            // Anchor's event-CPI accounts are always derivable.
            for account in instruction["accounts"].as_array().unwrap() {
                if account["name"] == "event_authority" {
                    assert!(
                        account.get("pda").is_some() || account.get("address").is_some(),
                        "{stem}::{name}: event_authority not derivable"
                    );
                }
            }
        }
    }
}
