//! The checked-in IDLs are the programs' own: rebuilt from the code as
//! `anchor idl build` builds them, they must match `idl/*.json` byte for
//! byte; every instruction carries its doc, and the accounts a client can
//! derive are marked so (a PDA, a fixed address or an address stored in
//! another account). The PDAs declared after the build (`idl::DECLARED`)
//! are the SDK's, where their programs create them, and what a bootstrapped
//! network stores; what a client still passes by hand is listed exactly.

use {
    anchor_lang::prelude::Pubkey,
    depin_sdk::{
        accounts::{GovernanceConfig, OracleConfig, PriceFeed, RegistryConfig, RewardsConfig},
        pda,
    },
    depin_tests::{
        dao::Dao,
        idl::{self, Derivation, DECLARED},
    },
    serde_json::Value,
    std::collections::BTreeMap,
};

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

/// The checked-in IDL of each program, by file stem.
fn checked_in_idls() -> BTreeMap<&'static str, Value> {
    idl::PROGRAMS
        .iter()
        .map(|(_, stem)| {
            let path = idl::checked_in(stem);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            (*stem, serde_json::from_str(&text).unwrap())
        })
        .collect()
}

fn instruction<'a>(idl: &'a Value, name: &str) -> &'a Value {
    idl["instructions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|instruction| instruction["name"] == name)
        .unwrap_or_else(|| panic!("no instruction {name}"))
}

fn account<'a>(instruction: &'a Value, name: &str) -> &'a Value {
    instruction["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|account| account["name"] == name)
        .unwrap_or_else(|| panic!("{}: no account {name}", instruction["name"]))
}

fn bytes(value: &Value) -> Vec<u8> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|byte| u8::try_from(byte.as_u64().unwrap()).unwrap())
        .collect()
}

/// The address a client derives from an IDL `pda` the way Anchor's client
/// does: constants as bytes, an argument (here always a `u64` epoch) as its
/// 8 bytes little-endian, the `program` seed or else the IDL's own program.
/// `None` when a seed names another account.
fn derive(idl: &Value, pda: &Value, epoch: u64) -> Option<Pubkey> {
    let mut seeds = Vec::new();
    for seed in pda["seeds"].as_array().unwrap() {
        match seed["kind"].as_str().unwrap() {
            "const" => seeds.push(bytes(&seed["value"])),
            "arg" => {
                assert_eq!(
                    seed["path"], "args.epoch",
                    "an argument seed other than the epoch"
                );
                seeds.push(epoch.to_le_bytes().to_vec());
            }
            _ => return None,
        }
    }
    let program = match pda.get("program") {
        Some(program) => {
            assert_eq!(
                program["kind"], "const",
                "a program seed that is not a constant"
            );
            Pubkey::try_from(bytes(&program["value"]).as_slice()).unwrap()
        }
        None => idl["address"].as_str().unwrap().parse().unwrap(),
    };
    let seeds: Vec<&[u8]> = seeds.iter().map(Vec::as_slice).collect();
    Some(Pubkey::find_program_address(&seeds, &program).0)
}

/// What `depin_sdk::pda` derives for a declared account.
fn sdk_address(program: &str, account: &str, epoch: u64) -> Pubkey {
    match (program, account) {
        ("rewards", "token_mint") => pda::token_mint().0,
        ("rewards", "dc_mint") => pda::dc_mint().0,
        ("rewards", "device_pool") => pda::device_pool().0,
        ("rewards", "oracle_pool") => pda::oracle_pool().0,
        ("rewards", "oracle_config") => pda::oracle_config().0,
        ("rewards", "price_feed") => pda::price_feed().0,
        ("rewards", "batch") => pda::epoch_batch(epoch).0,
        ("governance", "vault") => pda::governance_vault().0,
        other => panic!("no SDK address for the declared {other:?}: add it here"),
    }
}

/// Every declared PDA, derived from the checked-in IDL's seeds, is the
/// SDK's; it is also where its program creates the account (the same seeds
/// on an account of that program's own IDL, put there by the builder); every
/// address declared as stored in another account names a public-key field
/// of that account's type, as Anchor's client reads it.
#[test]
fn declared_pdas_are_the_sdks_and_where_the_programs_create_them() {
    let idls = checked_in_idls();
    for declared in DECLARED {
        let idl = &idls[declared.program];
        for name in declared.instructions {
            let instruction = instruction(idl, name);
            let entry = account(instruction, declared.account);
            let what = format!("{}::{name}.{}", declared.program, declared.account);
            match declared.derivation {
                Derivation::Pda { program, .. } => {
                    let pda = entry.get("pda").unwrap_or_else(|| panic!("{what}: no pda"));
                    for epoch in [0, 1, 7, u64::MAX] {
                        assert_eq!(
                            derive(idl, pda, epoch),
                            Some(sdk_address(declared.program, declared.account, epoch)),
                            "{what} (epoch {epoch}) is not the SDK's address"
                        );
                    }
                    // Where the owning program creates it: an account of its
                    // own IDL with the same seeds, outside this declaration.
                    let (owner_stem, _) = idls
                        .iter()
                        .find(|(_, candidate)| candidate["address"] == program.to_string())
                        .unwrap_or_else(|| panic!("{what}: {program} has no IDL here"));
                    let created = idls[owner_stem]["instructions"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|other| {
                            !(*owner_stem == declared.program
                                && declared
                                    .instructions
                                    .contains(&other["name"].as_str().unwrap()))
                        })
                        .flat_map(|other| other["accounts"].as_array().unwrap())
                        .any(|other| {
                            other["pda"]["seeds"] == pda["seeds"]
                                && other["pda"].get("program").is_none()
                        });
                    assert!(
                        created,
                        "{what}: no account of {owner_stem} is created at these seeds"
                    );
                }
                Derivation::StoredIn { holder } => {
                    assert_eq!(entry["relations"], serde_json::json!([holder]), "{what}");
                    // The holder is the program's config, at its PDA.
                    let (type_name, config) = match declared.program {
                        "rewards" => ("RewardsConfig", pda::rewards_config().0),
                        "governance" => ("GovernanceConfig", pda::governance_config().0),
                        other => panic!("{what}: no config type known for {other}"),
                    };
                    assert_eq!(
                        derive(idl, &account(instruction, holder)["pda"], 0),
                        Some(config),
                        "{what}: {holder} is not the config's PDA"
                    );
                    let fields = idl["types"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|candidate| candidate["name"] == type_name)
                        .unwrap()["type"]["fields"]
                        .as_array()
                        .unwrap();
                    assert!(
                        fields
                            .iter()
                            .any(|field| field["name"] == declared.account
                                && field["type"] == "pubkey"),
                        "{what}: {type_name} has no public-key field {}",
                        declared.account
                    );
                }
            }
        }
    }

    // Every constant-seed PDA of every IDL, declared or built, is one the
    // SDK derives (and none is declared with seeds the SDK does not know).
    let mut constant = 0;
    for (stem, idl) in &idls {
        let own: Pubkey = idl["address"].as_str().unwrap().parse().unwrap();
        let known = [
            pda::registry_config().0,
            pda::oracle_config().0,
            pda::price_feed().0,
            pda::rewards_config().0,
            pda::token_mint().0,
            pda::dc_mint().0,
            pda::device_pool().0,
            pda::oracle_pool().0,
            pda::treasury().0,
            pda::governance_config().0,
            pda::dao_authority().0,
            pda::governance_vault().0,
            pda::event_authority(&own),
            pda::program_data(&own),
        ];
        for instruction in idl["instructions"].as_array().unwrap() {
            for entry in instruction["accounts"].as_array().unwrap() {
                let Some(pda) = entry.get("pda") else {
                    continue;
                };
                let constant_seeds = pda["seeds"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|seed| seed["kind"] == "const");
                if !constant_seeds {
                    continue;
                }
                let address = derive(idl, pda, 0).unwrap();
                assert!(
                    known.contains(&address),
                    "{stem}::{}.{}: {address} is no constant address of the SDK",
                    instruction["name"],
                    entry["name"]
                );
                constant += 1;
            }
        }
    }
    assert!(constant > 100, "only {constant} constant-seed PDAs");
}

/// A bootstrapped network (operations, then governance, handed over to the
/// DAO) stores in its configs the very addresses the IDLs declare.
#[test]
fn declared_addresses_are_what_a_bootstrapped_network_stores() {
    let idls = checked_in_idls();
    let dao = Dao::new();
    let cluster = &dao.net.cluster;
    let rewards: RewardsConfig = cluster.fetch(&pda::rewards_config().0).unwrap();
    let governance: GovernanceConfig = cluster.fetch(&pda::governance_config().0).unwrap();
    let registry: RegistryConfig = cluster.fetch(&pda::registry_config().0).unwrap();
    let declared = |program: &str, account_name: &str| {
        let entry = DECLARED
            .iter()
            .find(|entry| entry.program == program && entry.account == account_name)
            .unwrap();
        let idl = &idls[program];
        let instruction = instruction(idl, entry.instructions[0]);
        derive(idl, &account(instruction, account_name)["pda"], 0).unwrap()
    };
    assert_eq!(declared("rewards", "token_mint"), rewards.token_mint);
    assert_eq!(declared("rewards", "dc_mint"), rewards.dc_mint);
    assert_eq!(declared("rewards", "device_pool"), rewards.device_pool);
    assert_eq!(declared("rewards", "oracle_pool"), rewards.oracle_pool);
    assert_eq!(declared("governance", "vault"), governance.vault);
    // The oracle program's singletons exist at the declared addresses.
    let oracle_config: OracleConfig = cluster
        .fetch(&declared("rewards", "oracle_config"))
        .unwrap();
    assert!(!oracle_config.oracles.is_empty());
    let _: PriceFeed = cluster.fetch(&declared("rewards", "price_feed")).unwrap();
    // What `relations` reads: the treasury (still the one created at
    // initialization) and governance's mint (the network token); the
    // registry's fee mint (declared by the builder) is the data credits.
    assert_eq!(rewards.treasury, pda::treasury().0);
    assert_eq!(governance.token_mint, rewards.token_mint);
    assert_eq!(registry.fee_mint, rewards.dc_mint);
}

/// The accounts a client passes by hand — neither a signer nor declared (a
/// PDA from seeds it can compute, a fixed address, or an address stored in
/// another account) — exactly as the README lists them; PDAs whose seeds
/// name the account itself (the device, maker or proposal acted on) are
/// listed apart: a client names which one.
#[test]
fn what_a_client_passes_by_hand() {
    let mut by_hand = Vec::new();
    let mut chosen = Vec::new();
    for (stem, idl) in checked_in_idls() {
        for instruction in idl["instructions"].as_array().unwrap() {
            let name = instruction["name"].as_str().unwrap();
            for entry in instruction["accounts"].as_array().unwrap() {
                assert!(
                    entry.get("accounts").is_none(),
                    "{stem}::{name}: composite accounts"
                );
                let account_name = entry["name"].as_str().unwrap();
                let what = format!("{stem}::{name}.{account_name}");
                if let Some(pda) = entry.get("pda") {
                    let self_referencing = pda["seeds"].as_array().unwrap().iter().any(|seed| {
                        seed["kind"] == "account"
                            && seed["path"].as_str().unwrap().split('.').next()
                                == Some(account_name)
                    });
                    if self_referencing {
                        chosen.push(what);
                    }
                    continue;
                }
                let declared = entry["signer"] == true
                    || entry.get("address").is_some()
                    || entry.get("relations").is_some_and(|relations| {
                        relations.as_array().is_some_and(|r| !r.is_empty())
                    });
                if !declared {
                    by_hand.push(what);
                }
            }
        }
    }
    assert_eq!(
        by_hand,
        [
            "device_registry::initialize_registry.fee_mint",
            "device_registry::register_device.fee_account",
            "device_registry::register_device.token_program",
            "device_registry::update_location.fee_account",
            "device_registry::update_location.token_program",
            "device_registry::update_registry.new_fee_mint",
            "governance::initialize_governance.token_mint",
            "governance::lock_tokens.source",
            "governance::withdraw_position.destination",
            "rewards::burn_data_credits.source",
            "rewards::claim_oracle_rewards.destination",
            "rewards::claim_rewards.batch",
            "rewards::claim_rewards.recipient",
            "rewards::claim_rewards.destination",
            "rewards::initialize_rewards.treasury_owner",
            "rewards::mint_data_credits.source",
            "rewards::mint_data_credits.recipient_account",
            "rewards::update_rewards.new_treasury",
        ],
        "the accounts a client passes by hand changed: update this list and README's (The SDK, IDLs)"
    );
    assert_eq!(
        chosen,
        [
            "device_registry::register_device.maker",
            "device_registry::retire_device.device",
            "device_registry::set_device_status.device",
            "device_registry::set_rewards_recipient.device",
            "device_registry::transfer_device.device",
            "device_registry::update_location.device",
            "device_registry::update_maker.maker",
            "device_registry::update_metadata.device",
            "governance::activate_proposal.proposal",
            "governance::add_instruction.proposal",
            "governance::cancel_proposal.proposal",
            "governance::cast_vote.proposal",
            "governance::execute_proposal.proposal",
            "governance::expire_proposal.proposal",
            "governance::finalize_vote.proposal",
            "governance::queue_proposal.proposal",
        ],
        "the self-referencing PDAs changed: update this list and README's (The SDK, IDLs)"
    );
}
