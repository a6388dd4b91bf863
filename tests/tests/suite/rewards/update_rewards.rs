//! `update_rewards` (and the schedule): the authority only, bounded
//! parameters, breakers that remember.

use {
    crate::rewards::credit_breaker_network,
    ::rewards::error::RewardsError,
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_sdk::{
        rewards::{self, BreakerParams, UpdateRewardsArgs},
        Signer,
    },
    depin_tests::{
        assert_anchor_error, assert_needs_signer, assert_rewards_error, funded_keypair,
        network::{Network, PRICE, TOKEN},
        proof_oracle::DAY,
    },
};

#[test]
fn only_the_authority_changes_the_schedule_or_parameters() {
    let mut network = Network::new();
    let intruder = funded_keypair(&mut network.cluster);
    let schedule = network.config().schedule;
    assert_rewards_error(
        network.send(
            &[rewards::set_emission_schedule(
                intruder.pubkey(),
                schedule.clone(),
            )],
            &intruder,
            &[],
        ),
        RewardsError::NotAuthority,
    );
    let authority = network.authority.pubkey();
    let payer = network.treasury_owner.insecure_clone();
    assert_needs_signer(
        |ix| network.send(&[ix], &payer, &[]),
        rewards::set_emission_schedule(authority, schedule),
        &authority,
    );
    assert_rewards_error(
        network.send(
            &[rewards::update_rewards(
                intruder.pubkey(),
                UpdateRewardsArgs {
                    price_discount_bps: Some(0),
                    ..UpdateRewardsArgs::default()
                },
                None,
            )],
            &intruder,
            &[],
        ),
        RewardsError::NotAuthority,
    );
    for args in [
        UpdateRewardsArgs {
            price_discount_bps: Some(5_001),
            ..UpdateRewardsArgs::default()
        },
        UpdateRewardsArgs {
            net_emission_smoothing_epochs: Some(0),
            ..UpdateRewardsArgs::default()
        },
        UpdateRewardsArgs {
            dc_breaker: Some(BreakerParams {
                window_seconds: 0,
                limit: 1,
            }),
            ..UpdateRewardsArgs::default()
        },
    ] {
        assert_rewards_error(
            network.authority_send(rewards::update_rewards(authority, args, None)),
            RewardsError::InvalidParameter,
        );
        network.cluster.next_blockhash();
    }
    // A treasury in the credit mint (another token program) is refused.
    let member = network.member();
    assert_anchor_error(
        network.authority_send(rewards::update_rewards(
            authority,
            UpdateRewardsArgs::default(),
            Some(member.dc_account()),
        )),
        AnchorErrorCode::AccountOwnedByWrongProgram,
    );
}

/// Changing a breaker's window used to clear what it had recorded, so a
/// second limit's worth could be minted inside one day.
#[test]
fn changing_a_breakers_window_keeps_what_it_recorded() {
    let (mut network, member) = credit_breaker_network();
    // Five tokens buy 990,000 DC: nearly the whole limit.
    network.buy_dc(&member, 5 * TOKEN).unwrap();
    let authority = network.authority.pubkey();
    for window in [DAY / 2, 2 * DAY] {
        network
            .authority_send(rewards::update_rewards(
                authority,
                UpdateRewardsArgs {
                    dc_breaker: Some(BreakerParams {
                        window_seconds: window,
                        limit: 1_000_000,
                    }),
                    ..Default::default()
                },
                None,
            ))
            .unwrap();
        network.cluster.next_blockhash();
        assert_rewards_error(
            network.buy_dc(&member, TOKEN),
            RewardsError::CircuitBreakerTripped,
        );
    }
    // Once the (two-day) window has passed, purchases resume.
    network.warp(2 * DAY + DAY / 4);
    network.submit_price(PRICE);
    network.buy_dc(&member, TOKEN).unwrap();
    network.assert_invariants();
}
