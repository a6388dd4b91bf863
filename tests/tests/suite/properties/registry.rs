//! Properties: H3 validation agrees with a reference implementation, and
//! random sequences of registry operations keep every invariant.

use {
    depin_sdk::{
        accounts::DeviceStatus,
        device_registry::h3,
        device_registry::{self, RegisterDeviceArgs},
        location, pda, Keypair, Signer,
    },
    depin_tests::*,
    proptest::prelude::*,
    rand::{rngs::StdRng, SeedableRng},
    std::collections::BTreeMap,
};

fn reference_is_cell(index: u64) -> bool {
    h3o::CellIndex::try_from(index).is_ok()
}

/// Indexes with cell mode and random everything else, so most of the
/// validator's branches are reached (uniform u64s are almost never cells).
fn plausible_cell() -> impl Strategy<Value = u64> {
    (0u64..16, 0u64..128, any::<u64>(), prop::bool::weighted(0.7)).prop_map(
        |(resolution, base_cell, digits, tidy)| {
            let digits = digits & ((1 << 45) - 1);
            let mut cell = (1u64 << 59) | (resolution << 52) | (base_cell << 45) | digits;
            if tidy {
                // Unused digits set to 7, used ones below 7: mostly valid.
                for position in 1..=15u64 {
                    let shift = (15 - position) * 3;
                    let digit = (cell >> shift) & 7;
                    let fixed = if position > resolution { 7 } else { digit % 7 };
                    cell = (cell & !(7 << shift)) | (fixed << shift);
                }
            }
            cell
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn h3_validation_matches_reference_on_plausible_cells(cell in plausible_cell()) {
        prop_assert_eq!(h3::is_valid_cell(cell), reference_is_cell(cell), "cell {:x}", cell);
    }

    #[test]
    fn h3_validation_matches_reference_on_any_u64(cell in any::<u64>()) {
        prop_assert_eq!(h3::is_valid_cell(cell), reference_is_cell(cell), "cell {:x}", cell);
    }

    #[test]
    fn generated_cells_are_valid(seed in any::<u64>(), resolution in 0u8..16) {
        let cell = location::random_cell(&mut StdRng::seed_from_u64(seed), resolution);
        prop_assert!(reference_is_cell(cell));
        prop_assert_eq!(h3::resolution(cell), u64::from(resolution));
        prop_assert_eq!(location::parse_cell(&location::format_cell(cell)), Ok(cell));
    }
}

#[test]
fn location_parsing_rejects_garbage() {
    assert!(location::parse_cell("not-hex").is_err());
    assert!(location::parse_cell("").is_err());
    assert!(location::parse_cell("8c2830828052dfe").is_err());
    assert_eq!(location::parse_cell("0x8c2830828052dff"), Ok(SF_CELL));
}

#[derive(Clone, Debug)]
enum Op {
    Register {
        operator: usize,
        class: u8,
    },
    Move {
        device: usize,
        resolution: u8,
    },
    Metadata {
        device: usize,
        length: usize,
    },
    Transfer {
        device: usize,
        to: usize,
    },
    Retire {
        device: usize,
    },
    Reregister {
        device: usize,
        operator: usize,
    },
    Suspend {
        device: usize,
    },
    Reinstate {
        device: usize,
    },
    ChangeFees {
        class: u8,
        onboarding: u64,
        location: u64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..4, 0u8..2).prop_map(|(operator, class)| Op::Register { operator, class }),
        2 => (any::<usize>(), 5u8..13).prop_map(|(device, resolution)| Op::Move { device, resolution }),
        1 => (any::<usize>(), 0usize..40).prop_map(|(device, length)| Op::Metadata { device, length }),
        1 => (any::<usize>(), 0usize..4).prop_map(|(device, to)| Op::Transfer { device, to }),
        1 => any::<usize>().prop_map(|device| Op::Retire { device }),
        1 => (any::<usize>(), 0usize..4).prop_map(|(device, operator)| Op::Reregister { device, operator }),
        1 => any::<usize>().prop_map(|device| Op::Suspend { device }),
        1 => any::<usize>().prop_map(|device| Op::Reinstate { device }),
        1 => (0u8..2, 0u64..100_000, 0u64..50_000)
            .prop_map(|(class, onboarding, location)| Op::ChangeFees { class, onboarding, location }),
    ]
}

/// What the test expects of one device key.
struct ModelDevice {
    key: Keypair,
    owner: usize,
    class: u8,
    live: bool,
    suspended: bool,
    serial: u64,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Random operations, valid and invalid, against a model. After every
    /// step: the program's own invariants hold for the config and each
    /// device; counters match the model; burned fees equal the fee mint's
    /// lost supply; failed operations change nothing.
    #[test]
    fn random_operations_keep_every_invariant(ops in prop::collection::vec(op(), 1..60)) {
        let mut registry = Registry::new();
        let operators: Vec<Operator> = (0..4).map(|_| registry.operator()).collect();
        let maker = registry.maker.insecure_clone();
        let initial_supply = registry.cluster.mint_supply(&registry.fee_mint.pubkey()).unwrap();
        let mut devices: Vec<ModelDevice> = Vec::new();
        let mut next_serial = 1u64;
        let mut rng = StdRng::seed_from_u64(ops.len() as u64);

        for op in ops {
            let config_before = registry.config();
            let landed = match op {
                Op::Register { operator, class } => {
                    let key = Keypair::new();
                    let result = if class == CLASS_MAKER {
                        registry.register_with_maker(&operators[operator], &key, &maker)
                    } else {
                        registry.register(&operators[operator], &key)
                    };
                    let landed = result.is_ok();
                    if landed {
                        devices.push(ModelDevice { key, owner: operator, class, live: true, suspended: false, serial: next_serial });
                        next_serial += 1;
                    }
                    landed
                }
                Op::Reregister { device, operator } if !devices.is_empty() => {
                    let index = device % devices.len();
                    let key = devices[index].key.insecure_clone();
                    let class = devices[index].class;
                    let instruction = device_registry::register_device(
                        &registry.register_accounts(&operators[operator], &key),
                        RegisterDeviceArgs { class_id: class, location: None, metadata: vec![] },
                    );
                    let mut signers = vec![&key];
                    let mut instruction = instruction;
                    if class == CLASS_MAKER {
                        let mut accounts = registry.register_accounts(&operators[operator], &key);
                        accounts.maker_key = Some(maker.pubkey());
                        instruction = device_registry::register_device(
                            &accounts,
                            RegisterDeviceArgs { class_id: class, location: None, metadata: vec![] },
                        );
                        signers.push(&maker);
                    }
                    let landed = registry.cluster.send(&[instruction], &operators[operator].keypair, &signers).is_ok();
                    prop_assert!(!(landed && devices[index].live), "a live device registered twice");
                    if landed {
                        let model = &mut devices[index];
                        model.live = true;
                        model.suspended = false;
                        model.owner = operator;
                        model.serial = next_serial;
                        next_serial += 1;
                    }
                    landed
                }
                Op::Move { device, resolution } if !devices.is_empty() => {
                    let model = &devices[device % devices.len()];
                    let owner = &operators[model.owner];
                    let cell = location::random_cell(&mut rng, resolution);
                    let fees = registry.fees(owner);
                    let result = registry.cluster.send(
                        &[device_registry::update_location(owner.pubkey(), model.key.pubkey(), fees, cell)],
                        &owner.keypair,
                        &[],
                    );
                    prop_assert!(!(result.is_ok() && (!model.live || model.suspended)));
                    result.is_ok()
                }
                Op::Metadata { device, length } if !devices.is_empty() => {
                    let model = &devices[device % devices.len()];
                    let owner = &operators[model.owner];
                    let result = registry.cluster.send(
                        &[device_registry::update_metadata(owner.pubkey(), model.key.pubkey(), vec![3; length])],
                        &owner.keypair,
                        &[],
                    );
                    prop_assert_eq!(result.is_ok(), model.live && !model.suspended && length <= 32);
                    result.is_ok()
                }
                Op::Transfer { device, to } if !devices.is_empty() => {
                    let index = device % devices.len();
                    let model = &devices[index];
                    let owner = &operators[model.owner];
                    let result = registry.cluster.send(
                        &[device_registry::transfer_device(owner.pubkey(), model.key.pubkey(), operators[to].pubkey())],
                        &owner.keypair,
                        &[],
                    );
                    prop_assert_eq!(result.is_ok(), model.live && !model.suspended && to != model.owner);
                    if result.is_ok() {
                        devices[index].owner = to;
                    }
                    result.is_ok()
                }
                Op::Retire { device } if !devices.is_empty() => {
                    let index = device % devices.len();
                    let model = &devices[index];
                    let owner = &operators[model.owner];
                    let result = registry.cluster.send(
                        &[device_registry::retire_device(owner.pubkey(), model.key.pubkey())],
                        &owner.keypair,
                        &[],
                    );
                    prop_assert_eq!(result.is_ok(), model.live && !model.suspended);
                    if result.is_ok() {
                        devices[index].live = false;
                    }
                    result.is_ok()
                }
                Op::Suspend { device } | Op::Reinstate { device } if !devices.is_empty() => {
                    let suspend = matches!(op, Op::Suspend { .. });
                    let index = device % devices.len();
                    let status = if suspend { DeviceStatus::Suspended } else { DeviceStatus::Active };
                    let authority = registry.authority.pubkey();
                    let result = registry.authority_send(device_registry::set_device_status(
                        authority,
                        devices[index].key.pubkey(),
                        status,
                    ));
                    let model = &mut devices[index];
                    prop_assert_eq!(result.is_ok(), model.live && model.suspended != suspend);
                    if result.is_ok() {
                        model.suspended = suspend;
                    }
                    result.is_ok()
                }
                Op::ChangeFees { class, onboarding, location } => {
                    let mut args = if class == CLASS_OPEN { open_class() } else { maker_class() };
                    args.onboarding_fee = onboarding;
                    args.location_fee = location;
                    let authority = registry.authority.pubkey();
                    registry.authority_send(device_registry::update_device_class(authority, class, args)).is_ok()
                }
                _ => false,
            };

            let config = registry.config();
            prop_assert!(config.invariant().is_ok(), "config invariant after {:?}", op);
            if !landed {
                prop_assert_eq!(config.devices_registered, config_before.devices_registered);
                prop_assert_eq!(config.fees_burned, config_before.fees_burned);
            }
            let live = devices.iter().filter(|device| device.live).count() as u64;
            prop_assert_eq!(config.active_devices, live);
            prop_assert_eq!(config.devices_registered, next_serial - 1);
            let mut per_class: BTreeMap<u8, u64> = BTreeMap::new();
            for device in devices.iter().filter(|device| device.live) {
                *per_class.entry(device.class).or_default() += 1;
            }
            for (class_id, class) in config.classes.iter().enumerate() {
                prop_assert_eq!(class.active_devices, per_class.get(&(class_id as u8)).copied().unwrap_or(0));
            }
            let supply = registry.cluster.mint_supply(&registry.fee_mint.pubkey()).unwrap();
            prop_assert_eq!(initial_supply - supply, config.fees_burned);
            let held: u64 = operators.iter().map(|o| registry.cluster.token_balance(&o.fee_account)).sum();
            prop_assert_eq!(held, supply);
        }

        for model in &devices {
            let address = pda::device(&model.key.pubkey()).0;
            match registry.cluster.account(&address) {
                Some(_) => {
                    prop_assert!(model.live);
                    let device = registry.device(&model.key.pubkey());
                    prop_assert!(device.invariant().is_ok());
                    prop_assert_eq!(device.owner, operators[model.owner].pubkey());
                    prop_assert_eq!(device.serial, model.serial);
                    prop_assert_eq!(device.status == DeviceStatus::Suspended, model.suspended);
                }
                None => prop_assert!(!model.live),
            }
        }
    }
}
