//! `record_rewards_claimed`: only the rewards authority records, and totals
//! only grow.

use {
    depin_sdk::{device_registry, pda, Keypair, Pubkey, Signer},
    depin_tests::{
        assert_needs_signer, assert_registry_error,
        network::{Claims, Network},
        SOL,
    },
    device_registry::error::RegistryError,
};

#[test]
fn only_the_rewards_program_records_claimed_rewards() {
    let mut claims = Claims::new();
    let device = claims.devices[0].pubkey();
    let member = claims.member.keypair.insecure_clone();
    assert_registry_error(
        claims.network.send(
            &[device_registry::record_rewards_claimed(
                member.pubkey(),
                device,
                u64::MAX,
            )],
            &member,
            &[],
        ),
        RegistryError::NotRewardsAuthority,
    );
    assert_eq!(claims.network.device(&device).rewards_claimed, 0);
    // Without the rewards authority's signature.
    let rewards_authority = pda::rewards_config().0;
    assert_needs_signer(
        |ix| claims.network.send(&[ix], &member, &[]),
        device_registry::record_rewards_claimed(rewards_authority, device, 1),
        &rewards_authority,
    );
    // The registry authority may not attach the default address.
    let authority = claims.network.authority.pubkey();
    assert_registry_error(
        claims
            .network
            .authority_send(device_registry::update_registry_with(
                authority,
                device_registry::UpdateRegistryArgs {
                    new_authority: None,
                    new_rewards_authority: Some(Pubkey::default()),
                },
                None,
            )),
        RegistryError::InvalidAuthority,
    );
}

#[test]
fn recorded_rewards_only_grow() {
    // Attach a plain key as the rewards authority to drive the registry
    // instruction directly.
    let mut claims = Claims::new();
    let recorder = Keypair::new();
    let network = &mut claims.network;
    network.cluster.airdrop(&recorder.pubkey(), SOL).unwrap();
    let authority = network.authority.pubkey();
    network
        .authority_send(device_registry::update_registry_with(
            authority,
            device_registry::UpdateRegistryArgs {
                new_authority: None,
                new_rewards_authority: Some(recorder.pubkey()),
            },
            None,
        ))
        .unwrap();
    let device = claims.devices[0].pubkey();
    let record = |network: &mut Network, total| {
        network.send(
            &[device_registry::record_rewards_claimed(
                recorder.pubkey(),
                device,
                total,
            )],
            &recorder,
            &[],
        )
    };
    record(network, 10).unwrap();
    assert_registry_error(record(network, 10), RegistryError::RewardsNotIncreasing);
    assert_registry_error(record(network, 9), RegistryError::RewardsNotIncreasing);
    record(network, u64::MAX).unwrap();
    assert_eq!(network.device(&device).rewards_claimed, u64::MAX);
    // The rewards program is detached now: its claims fail in the registry.
    let claim = claims.claim_of(1);
    let result = claims.send(claim);
    assert!(result.is_err());
    assert_eq!(claims.network.token_balance(&claims.member.pubkey()), 0);
}
