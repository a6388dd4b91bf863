//! Pauses: each scope of each program refuses with its own error; bad masks
//! and lengths; the new instructions' accounts.

use {
    crate::security::{rewards_pause, running},
    ::rewards::{error::RewardsError, state::PauseScope as RewardsScope},
    depin_sdk::{
        device_registry, pda, proof_oracle,
        rewards::{self, UsagePurpose},
        Keypair, Pubkey, Signer,
    },
    depin_tests::{
        assert_needs_signer, assert_oracle_error, assert_registry_error, assert_rewards_error,
        funded_keypair,
        network::{Network, PRICE, TOKEN},
        proof_oracle::DAY,
        SF_CELL_2,
    },
    device_registry::{error::RegistryError, state::PauseScope as RegistryScope},
    proof_oracle::{error::OracleError, state::PauseScope as OracleScope},
};

/// Each scope of each program, paused by its authority, refuses its
/// instructions with a named error while the others keep running; unpausing
/// restores them.
#[test]
fn every_paused_scope_refuses_with_its_own_error_and_nothing_else_stops() {
    let (mut network, member, device, batch) = running();
    let authority = network.authority.insecure_clone();
    let cranker = network.treasury_owner.insecure_clone();
    let owner = member.pubkey();
    let moving = |location| {
        device_registry::update_location(owner, device.pubkey(), member.fees(), location)
    };
    let transfer = device_registry::transfer_device(owner, device.pubkey(), Pubkey::new_unique());

    // Rewards: issuance, device claims, oracle claims, credit purchases.
    rewards_pause(&authority, &mut network, RewardsScope::ALL).unwrap();
    network.after_epoch(2, 1);
    assert_rewards_error(network.issue(2), RewardsError::IssuancePaused);
    assert_rewards_error(
        network.claim(&batch, &member.pubkey(), &cranker),
        RewardsError::DeviceClaimsPaused,
    );
    assert_rewards_error(network.claim_oracle(0, 1), RewardsError::OracleClaimsPaused);
    network.submit_price(PRICE);
    assert_rewards_error(
        network.buy_dc(&member, TOKEN),
        RewardsError::CreditPurchasesPaused,
    );
    // Not paused: spending credits, registering, moving.
    network
        .spend_dc(&member, 1, UsagePurpose::DataTransfer)
        .unwrap();
    network.register(&member, &Keypair::new()).unwrap();
    network.assert_invariants();
    // Scope by scope back.
    for (scope, check) in [
        (RewardsScope::Issuance, 0),
        (RewardsScope::DeviceClaims, 1),
        (RewardsScope::OracleClaims, 2),
        (RewardsScope::CreditPurchases, 3),
    ] {
        network
            .authority_send(rewards::unpause(authority.pubkey(), scope.bit()))
            .unwrap();
        match check {
            0 => drop(network.issue(2).unwrap()),
            1 => drop(network.claim(&batch, &member.pubkey(), &cranker).unwrap()),
            2 => drop(network.claim_oracle(0, 1).unwrap()),
            _ => drop(network.buy_dc(&member, TOKEN).unwrap()),
        }
    }
    network.assert_invariants();

    // Registry: onboarding; moves and transfers.
    network
        .authority_send(device_registry::pause(
            authority.pubkey(),
            RegistryScope::Onboarding.bit(),
        ))
        .unwrap();
    assert_registry_error(
        network.register(&member, &Keypair::new()),
        RegistryError::OnboardingPaused,
    );
    network.send_as(&member, moving(SF_CELL_2)).unwrap();
    network
        .authority_send(device_registry::pause(
            authority.pubkey(),
            RegistryScope::Moves.bit(),
        ))
        .unwrap();
    assert_registry_error(
        network.send_as(&member, moving(depin_tests::SF_CELL)),
        RegistryError::MovesPaused,
    );
    assert_registry_error(
        network.send_as(&member, transfer.clone()),
        RegistryError::MovesPaused,
    );
    network
        .authority_send(device_registry::unpause(
            authority.pubkey(),
            RegistryScope::ALL,
        ))
        .unwrap();
    network.register(&member, &Keypair::new()).unwrap();
    network.send_as(&member, transfer).unwrap();

    // Oracle: batch votes (and finalization); prices.
    network
        .authority_send(proof_oracle::pause(authority.pubkey(), OracleScope::ALL))
        .unwrap();
    let oracle_key = network.oracles[0].insecure_clone();
    let batch2 = network.batch(2, Some(&batch), &[(device.pubkey(), 10 * TOKEN)]);
    assert_oracle_error(
        network.send(
            &[proof_oracle::submit_batch(
                oracle_key.pubkey(),
                2,
                batch2.commitment(),
                "https://batches.example/2.bin".into(),
            )],
            &oracle_key,
            &[],
        ),
        OracleError::BatchVotesPaused,
    );
    assert_oracle_error(
        network.send(&[proof_oracle::finalize_batch(1)], &oracle_key, &[]),
        OracleError::BatchVotesPaused,
    );
    assert_oracle_error(
        network.send(
            &[proof_oracle::submit_price(oracle_key.pubkey(), PRICE)],
            &oracle_key,
            &[],
        ),
        OracleError::PricesPaused,
    );
    network
        .authority_send(proof_oracle::unpause(authority.pubkey(), OracleScope::ALL))
        .unwrap();
    network.finalize(&batch2, 2);
    network.submit_price(PRICE);
    network.assert_invariants();
}

/// A guardian's pause never shortens the authority's, bad masks and
/// lengths are refused, and removing the guardian disarms it.
#[test]
fn pause_rules_at_their_bounds() {
    let mut network = Network::new();
    let authority = network.authority.insecure_clone();
    let guardian = funded_keypair(&mut network.cluster);
    for scopes in [0, RewardsScope::ALL + 1, 0x80] {
        assert_rewards_error(
            rewards_pause(&authority, &mut network, scopes),
            RewardsError::InvalidPauseScopes,
        );
    }
    assert_oracle_error(
        network.authority_send(proof_oracle::pause(
            authority.pubkey(),
            OracleScope::ALL + 1,
        )),
        OracleError::InvalidPauseScopes,
    );
    assert_registry_error(
        network.authority_send(device_registry::unpause(authority.pubkey(), 0)),
        RegistryError::InvalidPauseScopes,
    );
    for max_pause in [0, -1, 30 * DAY + 1, i64::MAX] {
        assert_rewards_error(
            network.authority_send(rewards::set_guardian(
                authority.pubkey(),
                guardian.pubkey(),
                max_pause,
            )),
            RewardsError::InvalidGuardianPause,
        );
    }
    network
        .authority_send(rewards::set_guardian(
            authority.pubkey(),
            guardian.pubkey(),
            30 * DAY,
        ))
        .unwrap();
    rewards_pause(&authority, &mut network, RewardsScope::Issuance.bit()).unwrap();
    rewards_pause(&guardian, &mut network, RewardsScope::ALL).unwrap();
    let pause = network.config().pause;
    assert_eq!(
        pause.paused_until[0],
        i64::MAX,
        "the authority's pause stays"
    );
    assert_eq!(pause.paused_until[1], network.now() + 30 * DAY);
    assert!(!pause.guardian_armed);
    network.warp(31 * DAY);
    network.after_epoch(31, 1);
    assert_rewards_error(network.issue(0), RewardsError::IssuancePaused);
    // Removing the guardian: the default key is nobody and cannot pause.
    network
        .authority_send(rewards::set_guardian(
            authority.pubkey(),
            Pubkey::default(),
            0,
        ))
        .unwrap();
    network.cluster.next_blockhash();
    assert_rewards_error(
        rewards_pause(&guardian, &mut network, RewardsScope::ALL),
        RewardsError::NotAuthorityOrGuardian,
    );
    network
        .authority_send(rewards::unpause(authority.pubkey(), RewardsScope::ALL))
        .unwrap();
    network.issue(0).unwrap();
    network.assert_invariants();
}

/// Every new instruction (`pause`, `unpause`, `set_guardian` in three
/// programs, `sweep_oracle_rewards`) refuses a signer that does not sign,
/// another program's config in place of its own (type cosplay), and its
/// config at a different address of the right type is impossible (the
/// config is a PDA checked by seeds, so a substituted one fails them).
#[test]
fn the_new_instructions_need_their_signer_and_their_own_config() {
    let mut network = Network::new();
    network.launch();
    let authority = network.authority.pubkey();
    let treasury = network.config().treasury;
    let stranger = funded_keypair(&mut network.cluster);
    let guardian = Pubkey::new_unique();
    // Per program: its three pause instructions, its config, and another
    // program's config to pass in its place.
    let programs = [
        (
            [
                device_registry::pause(authority, 1),
                device_registry::unpause(authority, 1),
                device_registry::set_guardian(authority, guardian, DAY),
            ],
            pda::registry_config().0,
            pda::oracle_config().0,
        ),
        (
            [
                proof_oracle::pause(authority, 1),
                proof_oracle::unpause(authority, 1),
                proof_oracle::set_guardian(authority, guardian, DAY),
            ],
            pda::oracle_config().0,
            pda::rewards_config().0,
        ),
        (
            [
                rewards::pause(authority, 1),
                rewards::unpause(authority, 1),
                rewards::set_guardian(authority, guardian, DAY),
            ],
            pda::rewards_config().0,
            pda::registry_config().0,
        ),
    ];
    let sweep = rewards::sweep_oracle_rewards(authority, 0, treasury);
    let cases = programs
        .into_iter()
        .flat_map(|(instructions, config, foreign)| {
            instructions.map(|instruction| (instruction, config, foreign))
        })
        .chain([(sweep, pda::rewards_config().0, pda::registry_config().0)]);
    for (instruction, config, foreign) in cases {
        // The authority's signature dropped (a stranger pays).
        assert_needs_signer(
            |ix| network.send(&[ix], &stranger, &[]),
            instruction.clone(),
            &authority,
        );
        // Another program's config in place of this one's.
        let cosplay = depin_tests::substitute(instruction.clone(), &config, &foreign);
        let result = network.authority_send(cosplay);
        let (_, error) = depin_tests::instruction_error(result);
        assert!(
            matches!(
                error,
                solana_instruction_error::InstructionError::Custom(code)
                    if code == anchor_lang::error::ErrorCode::AccountOwnedByWrongProgram as u32
                        || code == anchor_lang::error::ErrorCode::AccountDiscriminatorMismatch as u32
            ),
            "{config} replaced by {foreign}: {error:?}"
        );
        network.cluster.next_blockhash();
    }
    // The oracle pool passed as the treasury too (duplicate mutable
    // accounts): the treasury must be the config's. Epoch 0's batch exists
    // once it has expired.
    network.after_epoch(0, 3 * DAY + 1);
    let payer = network.treasury_owner.insecure_clone();
    network
        .send(
            &[proof_oracle::expire_batch(payer.pubkey(), 0)],
            &payer,
            &[],
        )
        .unwrap();
    depin_tests::assert_anchor_error(
        network.authority_send(rewards::sweep_oracle_rewards(
            authority,
            0,
            pda::oracle_pool().0,
        )),
        anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount,
    );
    // Any other token account of the mint as the treasury.
    let other = network.member();
    depin_tests::assert_anchor_error(
        network.authority_send(rewards::sweep_oracle_rewards(
            authority,
            0,
            other.token_account(),
        )),
        anchor_lang::error::ErrorCode::ConstraintAddress,
    );
    network
        .authority_send(rewards::sweep_oracle_rewards(authority, 0, treasury))
        .unwrap();
    // Nothing changed.
    assert_eq!(network.config().pause, Default::default());
    network.assert_invariants();
}
