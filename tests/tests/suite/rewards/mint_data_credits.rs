//! `mint_data_credits`: fresh prices, no credits for nothing, the owner's own
//! tokens, the credit breaker.

use {
    crate::rewards::credit_breaker_network,
    ::rewards::{error::RewardsError, events::DataCreditsMinted},
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_sdk::{
        pda, proof_oracle,
        rewards::{self, quote_data_credits, UsagePurpose},
        Keypair, Signer,
    },
    depin_tests::{
        assert_anchor_error, assert_needs_signer, assert_rewards_error,
        network::{Member, Network, PRICE, TOKEN},
        proof_oracle::DAY,
        substitute,
    },
    proptest::prelude::*,
};

/// `oracle` posts `price` in `network`.
fn post(network: &mut Network, oracle: usize, price: u64) {
    let signer = network.oracles[oracle].insecure_clone();
    network
        .send(
            &[proof_oracle::submit_price(signer.pubkey(), price)],
            &signer,
            &[],
        )
        .unwrap();
}

/// The price (after the discount) at which `member` buys credits with one
/// token now.
fn bought_at(network: &mut Network, member: &Member) -> u64 {
    let outcome = network.buy_dc(member, TOKEN).unwrap();
    outcome.events::<DataCreditsMinted>(&::rewards::ID)[0].price
}

/// `median` after the network's credit discount.
fn discounted(network: &Network, median: u64) -> u64 {
    median * (10_000 - u64::from(network.config().price_discount_bps)) / 10_000
}

/// A price exactly `price_max_staleness` seconds old still counts toward
/// the median; one second older it does not. The median needs
/// `max(price_min_submissions, quorum)` = 2 fresh prices here, so the
/// oldest needed price decides.
#[test]
fn a_price_exactly_as_old_as_the_staleness_bound_still_counts() {
    let mut network = Network::new();
    network.launch();
    let member = network.member();
    network.fund_tokens(&member.pubkey(), 10 * TOKEN);
    let config = network.oracle_config();
    let staleness = config.price_max_staleness;
    assert_eq!(config.price_quorum(), 2);

    let t0 = network.now();
    post(&mut network, 0, 2_000_000);
    network.cluster.warp_to_timestamp(t0 + 1);
    post(&mut network, 1, 3_000_000);

    // Oracle 0's price is exactly `staleness` old: both count; the lower
    // middle of two is oracle 0's.
    network.cluster.warp_to_timestamp(t0 + staleness);
    let expected = discounted(&network, 2_000_000);
    assert_eq!(bought_at(&mut network, &member), expected);

    // One second later oracle 0's price is out, and one fresh price is not
    // enough.
    network.cluster.warp_to_timestamp(t0 + staleness + 1);
    assert_rewards_error(network.buy_dc(&member, TOKEN), RewardsError::StalePrice);

    // Oracle 1's price, now exactly `staleness` old, counts with a new one.
    post(&mut network, 2, 4_000_000);
    let expected = discounted(&network, 3_000_000);
    assert_eq!(bought_at(&mut network, &member), expected);
    network.cluster.warp_to_timestamp(t0 + 1 + staleness + 1);
    assert_rewards_error(network.buy_dc(&member, TOKEN), RewardsError::StalePrice);
    network.assert_invariants();
}

#[test]
fn credits_need_fresh_prices() {
    let mut network = Network::new();
    network.launch();
    let member = network.member();
    network.fund_tokens(&member.pubkey(), 10 * TOKEN);
    assert_rewards_error(network.buy_dc(&member, TOKEN), RewardsError::MissingPrice);
    network.submit_price(PRICE);
    network.warp(601);
    assert_rewards_error(network.buy_dc(&member, TOKEN), RewardsError::StalePrice);
    network.submit_price(PRICE);
    network.buy_dc(&member, TOKEN).unwrap();
}

#[test]
fn credits_are_never_minted_for_nothing() {
    let mut network = Network::new();
    network.launch();
    let member = network.funded_member(10 * TOKEN);
    assert_rewards_error(network.buy_dc(&member, 0), RewardsError::ZeroAmount);
    // 5 base units are worth $0.0000099: less than one credit.
    assert_rewards_error(network.buy_dc(&member, 5), RewardsError::AmountTooSmall);
    // 7 base units buy one credit; dust stays with the buyer.
    network.buy_dc(&member, 7).unwrap();
    assert_eq!(network.dc_balance(&member.pubkey()), 1);
    assert_eq!(network.token_balance(&member.pubkey()), 10 * TOKEN - 6);
    assert_rewards_error(
        network.buy_dc(&member, 11 * TOKEN),
        RewardsError::InsufficientBalance,
    );
    network.assert_invariants();
}

#[test]
fn an_extreme_price_overflows_or_trips_the_breaker_never_wraps() {
    let mut network = Network::with_rewards(|args| args.dc_breaker.limit = u64::MAX);
    network.launch();
    let member = network.member();
    network.fund_tokens(&member.pubkey(), 100_000 * TOKEN);
    network.submit_price(u64::MAX);
    assert_rewards_error(
        network.buy_dc(&member, 100_000 * TOKEN),
        RewardsError::Overflow,
    );
    assert_eq!(
        quote_data_credits(u64::MAX, u64::MAX, 0, 0).unwrap_err(),
        RewardsError::Overflow.into()
    );
    let mut capped = Network::new();
    capped.launch();
    let member = capped.member();
    capped.fund_tokens(&member.pubkey(), 1_000 * TOKEN);
    capped.submit_price(u64::MAX / 1_000_000);
    assert_rewards_error(
        capped.buy_dc(&member, TOKEN),
        RewardsError::CircuitBreakerTripped,
    );
}

#[test]
fn buying_credits_needs_the_owner_and_its_own_tokens() {
    let mut network = Network::new();
    network.launch();
    let member = network.member();
    let thief = network.member();
    network.fund_tokens(&member.pubkey(), 10 * TOKEN);
    network.submit_price(PRICE);
    // The thief names the member's tokens as the source.
    let stolen = rewards::mint_data_credits_from(
        thief.pubkey(),
        member.token_account(),
        thief.dc_account(),
        TOKEN,
    );
    let payer = thief.keypair.insecure_clone();
    assert_rewards_error(
        network.send(&[stolen], &payer, &[]),
        RewardsError::WrongDestinationOwner,
    );
    // Without the owner's signature.
    assert_needs_signer(
        |ix| network.send(&[ix], &payer, &[]),
        rewards::mint_data_credits(member.pubkey(), member.dc_account(), TOKEN),
        &member.pubkey(),
    );
    // The source passed again as the recipient (duplicate mutable account).
    let duplicate = rewards::mint_data_credits(member.pubkey(), member.token_account(), TOKEN);
    let owner = member.keypair.insecure_clone();
    assert_anchor_error(
        network.send(&[duplicate], &owner, &[]),
        AnchorErrorCode::ConstraintDuplicateMutableAccount,
    );
    // Credits into a network-token account.
    let wrong = rewards::mint_data_credits(member.pubkey(), thief.token_account(), TOKEN);
    assert_rewards_error(
        network.send(&[wrong], &owner, &[]),
        RewardsError::WrongDestinationMint,
    );
    // A mint that is not the network's.
    let fake_mint = Keypair::new();
    let spoofed = substitute(
        rewards::mint_data_credits(member.pubkey(), member.dc_account(), TOKEN),
        &pda::token_mint().0,
        &fake_mint.pubkey(),
    );
    assert!(network.send(&[spoofed], &owner, &[]).is_err());
    // Spending someone else's credits.
    network.buy_dc(&member, TOKEN).unwrap();
    let mut spend = rewards::burn_data_credits(thief.pubkey(), 10, UsagePurpose::Other);
    spend = substitute(spend, &thief.dc_account(), &member.dc_account());
    assert_rewards_error(
        network.send(&[spend], &payer, &[]),
        RewardsError::WrongDestinationOwner,
    );
    assert_rewards_error(
        network.spend_dc(&member, 0, UsagePurpose::Other),
        RewardsError::ZeroAmount,
    );
    assert_rewards_error(
        network.spend_dc(&member, 198_001, UsagePurpose::Other),
        RewardsError::InsufficientBalance,
    );
    network.assert_invariants();
}

#[test]
fn the_credit_breaker_counts_many_small_mints_in_one_window() {
    let (mut network, member) = credit_breaker_network();
    // Each token buys 198,000 DC: five fit under 1,000,000, the sixth not.
    for _ in 0..5 {
        network.buy_dc(&member, TOKEN).unwrap();
        network.cluster.next_blockhash();
    }
    assert_rewards_error(
        network.buy_dc(&member, TOKEN),
        RewardsError::CircuitBreakerTripped,
    );
    // A day (and one eighth) later the window has moved on.
    network.warp(DAY + DAY / 8);
    network.submit_price(PRICE);
    network.buy_dc(&member, TOKEN).unwrap();
    network.assert_invariants();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// The credits' value never exceeds the burned tokens' value, nothing is
    /// burned beyond the offer, and the buyer loses less than one credit's
    /// worth plus one base unit to rounding.
    #[test]
    fn quotes_never_favour_the_buyer(
        tokens in 1u64..=u64::MAX / 2,
        median in 1u64..=10_000_000_000,
        discount in 0u16..=5_000,
        decimals in 0u8..=9,
    ) {
        let scale = 10u128.pow(u32::from(decimals)) * 10;
        match quote_data_credits(tokens, median, discount, decimals) {
            Ok(quote) => {
                prop_assert!(quote.dc > 0);
                prop_assert!(quote.tokens_burned <= tokens);
                let price = u128::from(quote.price);
                prop_assert!(u128::from(quote.tokens_burned) * price >= u128::from(quote.dc) * scale);
                prop_assert!(u128::from(quote.tokens_burned - 1) * price < u128::from(quote.dc) * scale);
            }
            Err(error) => prop_assert!(
                error == RewardsError::AmountTooSmall.into() || error == RewardsError::Overflow.into()
            ),
        }
    }
}
