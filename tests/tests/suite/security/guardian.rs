//! The guardian: one bounded pause of everything, and the DAO naming it by
//! proposal.

use {
    crate::security::{rewards_pause, running},
    ::rewards::{error::RewardsError, state::PauseScope as RewardsScope},
    depin_sdk::{
        device_registry,
        governance::LockupKind,
        proof_oracle,
        rewards::{self, UpdateRewardsArgs},
        Keypair, Signer,
    },
    depin_tests::{
        assert_oracle_error, assert_registry_error, assert_rewards_error,
        dao::{Dao, Governed, YEAR},
        funded_keypair,
        network::{Member, PRICE, TOKEN},
        proof_oracle::DAY,
    },
    device_registry::{error::RegistryError, state::PauseScope as RegistryScope},
    proof_oracle::{error::OracleError, state::PauseScope as OracleScope},
};

/// The guardian pauses every scope of the three programs in one
/// transaction, for exactly its maximum; it can neither unpause, nor pause
/// again until re-armed, nor change anything else.
#[test]
fn the_guardian_pauses_everything_at_once_within_its_bounds() {
    let (mut network, member, _, batch) = running();
    let authority = network.authority.insecure_clone();
    let guardian = funded_keypair(&mut network.cluster);
    let max_pause = 3 * DAY;
    for instruction in [
        device_registry::set_guardian(authority.pubkey(), guardian.pubkey(), max_pause),
        proof_oracle::set_guardian(authority.pubkey(), guardian.pubkey(), max_pause),
        rewards::set_guardian(authority.pubkey(), guardian.pubkey(), max_pause),
    ] {
        network.authority_send(instruction).unwrap();
    }
    // A stranger cannot pause; the guardian cannot name a guardian.
    let stranger = funded_keypair(&mut network.cluster);
    assert_rewards_error(
        rewards_pause(&stranger, &mut network, RewardsScope::ALL),
        RewardsError::NotAuthorityOrGuardian,
    );
    assert_rewards_error(
        network.send(
            &[rewards::set_guardian(
                guardian.pubkey(),
                guardian.pubkey(),
                max_pause,
            )],
            &guardian,
            &[],
        ),
        RewardsError::NotAuthority,
    );

    let paused_at = network.now();
    network
        .send(
            &[
                device_registry::pause(guardian.pubkey(), RegistryScope::ALL),
                proof_oracle::pause(guardian.pubkey(), OracleScope::ALL),
                rewards::pause(guardian.pubkey(), RewardsScope::ALL),
            ],
            &guardian,
            &[],
        )
        .unwrap();
    let cranker = network.treasury_owner.insecure_clone();
    assert_rewards_error(
        network.claim(&batch, &member.pubkey(), &cranker),
        RewardsError::DeviceClaimsPaused,
    );
    assert_registry_error(
        network.register(&member, &Keypair::new()),
        RegistryError::OnboardingPaused,
    );
    // The guardian can never unpause, nor pause again (which could stretch
    // its pause past the maximum), nor touch other settings.
    assert_rewards_error(
        network.send(
            &[rewards::unpause(guardian.pubkey(), RewardsScope::ALL)],
            &guardian,
            &[],
        ),
        RewardsError::NotAuthority,
    );
    assert_oracle_error(
        network.send(
            &[proof_oracle::unpause(guardian.pubkey(), OracleScope::ALL)],
            &guardian,
            &[],
        ),
        OracleError::NotAuthority,
    );
    assert_registry_error(
        network.send(
            &[device_registry::unpause(
                guardian.pubkey(),
                RegistryScope::ALL,
            )],
            &guardian,
            &[],
        ),
        RegistryError::NotAuthority,
    );
    network.cluster.next_blockhash();
    assert_rewards_error(
        rewards_pause(&guardian, &mut network, RewardsScope::Issuance.bit()),
        RewardsError::GuardianSpent,
    );
    assert_rewards_error(
        network.send(
            &[rewards::update_rewards(
                guardian.pubkey(),
                UpdateRewardsArgs {
                    price_discount_bps: Some(0),
                    ..Default::default()
                },
                None,
            )],
            &guardian,
            &[],
        ),
        RewardsError::NotAuthority,
    );

    // Last paused second, then the first running one.
    network.cluster.warp_to_timestamp(paused_at + max_pause - 1);
    assert_rewards_error(
        network.claim(&batch, &member.pubkey(), &cranker),
        RewardsError::DeviceClaimsPaused,
    );
    network.cluster.warp_to_timestamp(paused_at + max_pause);
    network.claim(&batch, &member.pubkey(), &cranker).unwrap();
    network.register(&member, &Keypair::new()).unwrap();
    network.submit_price(PRICE);

    // Re-armed by the authority, it can pause once more; the authority
    // unpauses early.
    network
        .authority_send(rewards::set_guardian(
            authority.pubkey(),
            guardian.pubkey(),
            max_pause,
        ))
        .unwrap();
    rewards_pause(&guardian, &mut network, RewardsScope::CreditPurchases.bit()).unwrap();
    assert_rewards_error(
        network.buy_dc(&member, TOKEN),
        RewardsError::CreditPurchasesPaused,
    );
    network
        .authority_send(rewards::unpause(
            authority.pubkey(),
            RewardsScope::CreditPurchases.bit(),
        ))
        .unwrap();
    network.buy_dc(&member, TOKEN).unwrap();
    network.assert_invariants();
}

/// Once the DAO holds the programs, pausing, naming a guardian and
/// unpausing are proposals: one proposal names the guardian of all three
/// programs and pauses credit purchases; the guardian's own pause then
/// works; the former bootstrap authority can do none of it; another
/// proposal lifts every pause.
#[test]
fn the_dao_pauses_names_the_guardian_and_unpauses_by_proposal() {
    let mut dao = Dao::new();
    for holder in 0..2 {
        let balance = dao.net.token_balance(&dao.holders[holder].pubkey());
        dao.lock(holder, balance, LockupKind::Cliff, YEAR).unwrap();
    }
    let dao_authority = depin_sdk::governance::dao_authority();
    let guardian = funded_keypair(&mut dao.net.cluster);
    let former = dao.net.authority.insecure_clone();
    assert_rewards_error(
        rewards_pause(&former, &mut dao.net, RewardsScope::ALL),
        RewardsError::NotAuthorityOrGuardian,
    );

    let id = dao.propose(
        0,
        &[
            device_registry::set_guardian(dao_authority, guardian.pubkey(), DAY),
            proof_oracle::set_guardian(dao_authority, guardian.pubkey(), DAY),
            rewards::set_guardian(dao_authority, guardian.pubkey(), DAY),
            rewards::pause(dao_authority, RewardsScope::CreditPurchases.bit()),
        ],
    );
    dao.pass(id);
    dao.execute(id).unwrap();
    let member = dao.holders[3].keypair.insecure_clone();
    let member = Member { keypair: member };
    dao.net.submit_price(PRICE);
    assert_rewards_error(
        dao.net.buy_dc(&member, TOKEN),
        RewardsError::CreditPurchasesPaused,
    );
    let pause = dao.net.config().pause;
    assert_eq!(pause.guardian, guardian.pubkey());
    assert!(pause.guardian_armed);

    dao.net
        .send(
            &[
                device_registry::pause(guardian.pubkey(), RegistryScope::ALL),
                proof_oracle::pause(guardian.pubkey(), OracleScope::ALL),
            ],
            &guardian,
            &[],
        )
        .unwrap();
    assert_registry_error(
        dao.net.register(&member, &Keypair::new()),
        RegistryError::OnboardingPaused,
    );

    let id = dao.propose(
        1,
        &[
            device_registry::unpause(dao_authority, RegistryScope::ALL),
            proof_oracle::unpause(dao_authority, OracleScope::ALL),
            rewards::unpause(dao_authority, RewardsScope::ALL),
        ],
    );
    dao.pass(id);
    dao.execute(id).unwrap();
    dao.net.submit_price(PRICE);
    dao.net.buy_dc(&member, TOKEN).unwrap();
    dao.net.register(&member, &Keypair::new()).unwrap();
    dao.net.assert_invariants();
    dao.assert_invariants();
}
