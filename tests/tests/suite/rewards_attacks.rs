//! Rewards: every rejection (issue, schedule, burn-and-mint, claims,
//! oracle claims, credit transfers).

use {
    ::rewards::error::RewardsError,
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    anchor_spl::token_interface::spl_token_2022,
    depin_sdk::{
        batch::BatchFile,
        device_registry, pda, proof_oracle,
        rewards::{
            self, quote_data_credits, BreakerParams, ProofNode, ScheduleEntry, Split,
            UpdateRewardsArgs, UsagePurpose,
        },
        token, Keypair, Pubkey, Signer,
    },
    depin_tests::{
        assert_anchor_error, assert_registry_error, assert_rewards_error,
        network::{leaves, Member, Network, PRICE, TOKEN},
        poke,
        proof_oracle::{DAY, GENESIS},
        strip_signer, substitute, SOL,
    },
    device_registry::{error::RegistryError, state::DeviceStatus},
    proptest::prelude::*,
};

const SPLIT: Split = Split {
    devices_bps: 7_500,
    oracles_bps: 500,
    treasury_bps: 2_000,
};

/// Epoch 1 issued; two devices of one member with cumulative rewards in a
/// batch for epoch 1 that is final and past its challenge window.
struct Claims {
    network: Network,
    member: Member,
    devices: Vec<Keypair>,
    batch: BatchFile,
    cranker: Keypair,
}

fn claims() -> Claims {
    let mut network = Network::new();
    network.launch();
    let member = network.funded_member(10 * TOKEN);
    network.buy_dc(&member, 10 * TOKEN).unwrap();
    let devices: Vec<Keypair> = (0..2).map(|_| Keypair::new()).collect();
    for device in &devices {
        network.register(&member, device).unwrap();
    }
    network.after_epoch(1, 1);
    network.issue(1).unwrap();
    let amounts: Vec<(Pubkey, u64)> = devices
        .iter()
        .zip([300 * TOKEN, 700 * TOKEN])
        .map(|(device, amount)| (device.pubkey(), amount))
        .collect();
    let batch = BatchFile::new(1, leaves(&network, &amounts)).unwrap();
    network.finalize(&batch, 2);
    network.after_epoch(1, 2 * 3_600);
    let cranker = Keypair::new();
    network.cluster.airdrop(&cranker.pubkey(), SOL).unwrap();
    Claims {
        network,
        member,
        devices,
        batch,
        cranker,
    }
}

fn claim_of(claims: &Claims, device: usize) -> rewards::DeviceClaim {
    rewards::claim_from_batch(
        &claims.batch,
        &claims.devices[device].pubkey(),
        claims.member.token_account(),
    )
    .unwrap()
}

fn send_claim(
    claims: &mut Claims,
    claim: rewards::DeviceClaim,
) -> Result<depin_sdk::TxOutcome, depin_sdk::SdkError> {
    let cranker = claims.cranker.insecure_clone();
    claims
        .network
        .send(&[rewards::claim_rewards(claim)], &cranker, &[])
}

// ---------------------------------------------------------------- issue

#[test]
fn issue_epoch_early_twice_or_out_of_order_fails() {
    let mut network = Network::new();
    network.after_epoch(0, -1);
    assert_rewards_error(network.issue(0), RewardsError::EpochNotEnded);
    network.after_epoch(1, 0);
    assert_rewards_error(network.issue(1), RewardsError::EpochNotNext);
    network.issue(0).unwrap();
    network.cluster.next_blockhash();
    assert_rewards_error(network.issue(0), RewardsError::EpochAlreadyIssued);
    network.issue(1).unwrap();
    assert_eq!(network.config().next_epoch, 2);
    network.assert_invariants();
}

#[test]
fn the_token_breaker_stops_a_burst_of_issuance() {
    // One epoch's emission per day; a crank catching up two epochs in one
    // day trips the breaker, and a day later lets it through (the breaker
    // counts in eighths of its window, so "a day" is rounded up by one).
    let mut network = Network::with_rewards(|args| {
        args.token_breaker = BreakerParams {
            window_seconds: DAY,
            limit: 1_000_000 * TOKEN,
        };
    });
    network.after_epoch(1, 0);
    network.issue(0).unwrap();
    assert_rewards_error(network.issue(1), RewardsError::CircuitBreakerTripped);
    assert_eq!(
        network.config().next_epoch,
        1,
        "nothing of the failed issue stays"
    );
    network.after_epoch(2, -1);
    assert_rewards_error(network.issue(1), RewardsError::CircuitBreakerTripped);
    network.after_epoch(2, DAY / 8);
    network.issue(1).unwrap();
    network.assert_invariants();
}

#[test]
fn the_credit_breaker_counts_many_small_mints_in_one_window() {
    let mut network = Network::with_rewards(|args| {
        args.dc_breaker = BreakerParams {
            window_seconds: DAY,
            limit: 1_000_000,
        };
    });
    network.launch();
    let member = network.funded_member(100 * TOKEN);
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
    network
        .cluster
        .warp_to_timestamp(network.now() + DAY + DAY / 8);
    network.submit_price(PRICE);
    network.buy_dc(&member, TOKEN).unwrap();
    network.assert_invariants();
}

#[test]
fn max_supply_caps_issuance() {
    let mut network = Network::with_rewards(|args| {
        args.max_supply = Some(1_500_000 * TOKEN);
    });
    network.after_epoch(1, 0);
    network.issue(0).unwrap();
    network.cluster.warp_to_timestamp(network.now() + 2 * DAY);
    network.issue(1).unwrap();
    assert_eq!(network.epoch_rewards(1).emission, 500_000 * TOKEN);
    assert_eq!(network.token_supply(), 1_500_000 * TOKEN);
    network.after_epoch(2, 3 * DAY);
    network.issue(2).unwrap();
    assert_eq!(network.epoch_rewards(2).emission, 0);
    network.assert_invariants();
}

#[test]
fn issuance_at_maximum_amounts_fails_with_overflow_not_a_wrap() {
    let mut network = Network::with_rewards(|args| {
        args.max_supply = None;
        args.schedule = vec![ScheduleEntry {
            start_epoch: 0,
            tokens_per_epoch: u64::MAX,
            split: SPLIT,
        }];
        args.token_breaker.limit = u64::MAX;
    });
    network.after_epoch(1, 0);
    network.issue(0).unwrap();
    assert_eq!(network.token_supply(), u64::MAX);
    network.cluster.warp_to_timestamp(network.now() + 2 * DAY);
    assert_rewards_error(network.issue(1), RewardsError::Overflow);
    network.assert_invariants();
}

// ------------------------------------------------------------- schedule

#[test]
fn schedule_changes_take_effect_from_the_next_epoch_only() {
    let mut network = Network::with_rewards(|args| args.token_breaker.limit = u64::MAX);
    // During epoch 3 (epochs 0..=2 unissued): epochs up to 3 are fixed.
    network.after_epoch(2, 10);
    let authority = network.authority.pubkey();
    let retro = vec![ScheduleEntry {
        start_epoch: 0,
        tokens_per_epoch: 5 * TOKEN,
        split: SPLIT,
    }];
    assert_rewards_error(
        network.authority_send(rewards::set_emission_schedule(authority, retro)),
        RewardsError::RetroactiveScheduleChange,
    );
    let mut schedule = network.config().schedule;
    schedule.insert(
        1,
        ScheduleEntry {
            start_epoch: 3,
            tokens_per_epoch: 5 * TOKEN,
            split: SPLIT,
        },
    );
    assert_rewards_error(
        network.authority_send(rewards::set_emission_schedule(authority, schedule.clone())),
        RewardsError::RetroactiveScheduleChange,
    );
    schedule[1].start_epoch = 4;
    network
        .authority_send(rewards::set_emission_schedule(authority, schedule))
        .unwrap();
    network.after_epoch(4, 0);
    for epoch in 0..=4 {
        network.issue(epoch).unwrap();
    }
    assert_eq!(network.epoch_rewards(3).emission, 1_000_000 * TOKEN);
    assert_eq!(network.epoch_rewards(4).emission, 5 * TOKEN);
}

#[test]
fn invalid_schedules_and_splits_are_refused() {
    let mut network = Network::new();
    let authority = network.authority.pubkey();
    let entry = |start_epoch, split| ScheduleEntry {
        start_epoch,
        tokens_per_epoch: TOKEN,
        split,
    };
    let bad_split = Split {
        devices_bps: 7_500,
        oracles_bps: 500,
        treasury_bps: 1_999,
    };
    let over_split = Split {
        devices_bps: 10_000,
        oracles_bps: 1,
        treasury_bps: 0,
    };
    for (schedule, error) in [
        (vec![entry(5, bad_split)], RewardsError::InvalidSplit),
        (vec![entry(5, over_split)], RewardsError::InvalidSplit),
        (vec![], RewardsError::InvalidSchedule),
        (
            vec![entry(0, SPLIT), entry(9, SPLIT), entry(9, SPLIT)],
            RewardsError::InvalidSchedule,
        ),
        (
            (0..17).map(|epoch| entry(epoch, SPLIT)).collect(),
            RewardsError::InvalidSchedule,
        ),
    ] {
        assert_rewards_error(
            network.authority_send(rewards::set_emission_schedule(authority, schedule)),
            error,
        );
        network.cluster.next_blockhash();
    }
}

#[test]
fn only_the_authority_changes_the_schedule_or_parameters() {
    let mut network = Network::new();
    let intruder = Keypair::new();
    network.cluster.airdrop(&intruder.pubkey(), SOL).unwrap();
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
    assert_anchor_error(
        network.send(
            &[strip_signer(
                rewards::set_emission_schedule(authority, schedule),
                &authority,
            )],
            &payer,
            &[],
        ),
        AnchorErrorCode::AccountNotSigner,
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

#[test]
fn initialization_needs_the_upgrade_authority_and_happens_once() {
    let intruder = Keypair::new();
    let args = depin_client::bootstrap::default_rewards_args(intruder.pubkey(), 0);
    let mut fresh = depin_client::embedded::EmbeddedCluster::new();
    fresh.airdrop(&intruder.pubkey(), 10 * SOL).unwrap();
    let instruction = rewards::initialize_rewards(
        intruder.pubkey(),
        intruder.pubkey(),
        intruder.pubkey(),
        args.clone(),
    );
    assert_rewards_error(
        fresh.send(&[instruction], &intruder, &[]),
        RewardsError::NotUpgradeAuthority,
    );
    let mut network = Network::new();
    let deployer = network.cluster.upgrade_authority().insecure_clone();
    let again = rewards::initialize_rewards(
        deployer.pubkey(),
        deployer.pubkey(),
        deployer.pubkey(),
        args,
    );
    // The config exists: the system program refuses to create it again.
    depin_tests::assert_custom_error(network.send(&[again], &deployer, &[]), 0);
}

// -------------------------------------------------------- burn and mint

#[test]
fn credits_need_fresh_prices() {
    let mut network = Network::new();
    network.launch();
    let member = network.member();
    network.fund_tokens(&member.pubkey(), 10 * TOKEN);
    assert_rewards_error(network.buy_dc(&member, TOKEN), RewardsError::MissingPrice);
    network.submit_price(PRICE);
    network.cluster.warp_to_timestamp(network.now() + 601);
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
    let unsigned = strip_signer(
        rewards::mint_data_credits(member.pubkey(), member.dc_account(), TOKEN),
        &member.pubkey(),
    );
    assert_anchor_error(
        network.send(&[unsigned], &payer, &[]),
        AnchorErrorCode::AccountNotSigner,
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
fn data_credits_cannot_move_by_any_route() {
    let mut network = Network::new();
    network.launch();
    let holder = network.member();
    let friend = network.member();
    network.fund_tokens(&holder.pubkey(), 10 * TOKEN);
    network.submit_price(PRICE);
    network.buy_dc(&holder, TOKEN).unwrap();
    let before = network.dc_balance(&holder.pubkey());
    let owner = holder.keypair.insecure_clone();
    let token_2022 = token::TOKEN_2022_PROGRAM_ID;
    let dc_mint = pda::dc_mint().0;
    #[allow(deprecated)]
    let plain = spl_token_2022::instruction::transfer(
        &token_2022,
        &holder.dc_account(),
        &friend.dc_account(),
        &holder.pubkey(),
        &[],
        10,
    )
    .unwrap();
    let checked = spl_token_2022::instruction::transfer_checked(
        &token_2022,
        &holder.dc_account(),
        &dc_mint,
        &friend.dc_account(),
        &holder.pubkey(),
        &[],
        10,
        0,
    )
    .unwrap();
    for transfer in [plain, checked] {
        assert!(network.send(&[transfer], &owner, &[]).is_err());
    }
    // Approve a delegate, then let it transfer.
    let delegate = friend.keypair.insecure_clone();
    let approve = spl_token_2022::instruction::approve(
        &token_2022,
        &holder.dc_account(),
        &delegate.pubkey(),
        &holder.pubkey(),
        &[],
        10,
    )
    .unwrap();
    let _ = network.send(&[approve], &owner, &[]);
    let by_delegate = spl_token_2022::instruction::transfer_checked(
        &token_2022,
        &holder.dc_account(),
        &dc_mint,
        &friend.dc_account(),
        &delegate.pubkey(),
        &[],
        10,
        0,
    )
    .unwrap();
    assert!(network.send(&[by_delegate], &delegate, &[]).is_err());
    assert_eq!(network.dc_balance(&holder.pubkey()), before);
    assert_eq!(network.dc_balance(&friend.pubkey()), 0);
}

// --------------------------------------------------------------- claims

#[test]
fn a_claim_pays_once_and_then_only_what_is_new() {
    let mut claims = claims();
    let claim = claim_of(&claims, 0);
    send_claim(&mut claims, claim.clone()).unwrap();
    claims.network.cluster.next_blockhash();
    assert_rewards_error(send_claim(&mut claims, claim), RewardsError::NothingToClaim);
    assert_eq!(
        claims.network.token_balance(&claims.member.pubkey()),
        300 * TOKEN
    );
    // A fleet claim: both devices' claims in one transaction pay only the
    // second device now.
    let fleet = [claim_of(&claims, 0), claim_of(&claims, 1)];
    let cranker = claims.cranker.insecure_clone();
    assert_rewards_error(
        claims
            .network
            .send(&fleet.clone().map(rewards::claim_rewards), &cranker, &[]),
        RewardsError::NothingToClaim,
    );
    claims
        .network
        .send(&[rewards::claim_rewards(fleet[1].clone())], &cranker, &[])
        .unwrap();
    assert_eq!(
        claims.network.token_balance(&claims.member.pubkey()),
        1_000 * TOKEN
    );

    // Epoch 2 raises device 0 to 450: it gets the 150 difference.
    let network = &mut claims.network;
    network.after_epoch(2, 1);
    network.issue(2).unwrap();
    let amounts = [
        (claims.devices[0].pubkey(), 450 * TOKEN),
        (claims.devices[1].pubkey(), 700 * TOKEN),
    ];
    let batch = BatchFile::new(2, leaves(network, &amounts)).unwrap();
    network.finalize(&batch, 2);
    network.after_epoch(2, 2 * 3_600);
    network
        .claim(&batch, &claims.devices[0].pubkey(), &cranker)
        .unwrap();
    assert_eq!(
        network.token_balance(&claims.member.pubkey()),
        1_150 * TOKEN
    );
    // The older batch is superseded.
    claims.batch = batch;
    let old = BatchFile::new(
        1,
        leaves(
            &claims.network,
            &[
                (claims.devices[0].pubkey(), 300 * TOKEN),
                (claims.devices[1].pubkey(), 700 * TOKEN),
            ],
        ),
    )
    .unwrap();
    let stale = rewards::claim_from_batch(
        &old,
        &claims.devices[1].pubkey(),
        claims.member.token_account(),
    )
    .unwrap();
    assert_rewards_error(
        send_claim(&mut claims, stale),
        RewardsError::BatchSuperseded,
    );
    claims.network.assert_invariants();
}

#[test]
fn several_devices_claim_in_one_transaction() {
    let mut claims = claims();
    let fleet = [claim_of(&claims, 0), claim_of(&claims, 1)];
    let cranker = claims.cranker.insecure_clone();
    claims
        .network
        .send(&fleet.map(rewards::claim_rewards), &cranker, &[])
        .unwrap();
    assert_eq!(
        claims.network.token_balance(&claims.member.pubkey()),
        1_000 * TOKEN
    );
    claims.network.assert_invariants();
}

#[test]
fn forged_proofs_are_refused() {
    let mut claims = claims();
    // Device 1's proof presented for device 0.
    let mut other = claim_of(&claims, 1);
    other.device_key = claims.devices[0].pubkey();
    assert_rewards_error(send_claim(&mut claims, other), RewardsError::InvalidProof);
    // Altered amount.
    let mut inflated = claim_of(&claims, 0);
    inflated.amount += 1;
    assert_rewards_error(
        send_claim(&mut claims, inflated),
        RewardsError::InvalidProof,
    );
    // Altered sibling.
    let mut sibling = claim_of(&claims, 0);
    sibling.proof[0].sum -= 1;
    assert_rewards_error(send_claim(&mut claims, sibling), RewardsError::InvalidProof);
    // Wrong index.
    let mut moved = claim_of(&claims, 0);
    moved.index = 1;
    assert_rewards_error(send_claim(&mut claims, moved), RewardsError::InvalidProof);
    // An empty proof (the leaf as the root) and an oversize one.
    let mut empty = claim_of(&claims, 0);
    empty.proof.clear();
    assert_rewards_error(send_claim(&mut claims, empty), RewardsError::InvalidProof);
    let mut padded = claim_of(&claims, 0);
    padded.proof.extend(
        [ProofNode {
            hash: [1; 32],
            sum: 1,
        }; 8],
    );
    assert_rewards_error(send_claim(&mut claims, padded), RewardsError::InvalidProof);
    // Past 32 nodes the transaction no longer fits a packet; the SDK refuses
    // it (the program would answer ProofTooLong).
    let mut oversize = claim_of(&claims, 0);
    oversize.proof = vec![
        ProofNode {
            hash: [1; 32],
            sum: 1
        };
        33
    ];
    assert!(matches!(
        send_claim(&mut claims, oversize),
        Err(depin_sdk::SdkError::TransactionTooLarge { .. })
    ));
    assert_eq!(claims.network.token_balance(&claims.member.pubkey()), 0);
}

#[test]
fn claims_wait_for_a_final_unchallenged_batch() {
    let mut network = Network::new();
    network.launch();
    let member = network.funded_member(10 * TOKEN);
    network.buy_dc(&member, 10 * TOKEN).unwrap();
    let device = Keypair::new();
    network.register(&member, &device).unwrap();
    let cranker = network.treasury_owner.insecure_clone();
    let batch = BatchFile::new(0, leaves(&network, &[(device.pubkey(), TOKEN)])).unwrap();
    // One vote of the two needed.
    network.vote(&batch, 0);
    assert_rewards_error(
        network.claim(&batch, &device.pubkey(), &cranker),
        RewardsError::BatchNotFinal,
    );
    network.vote(&batch, 1);
    assert_rewards_error(
        network.claim(&batch, &device.pubkey(), &cranker),
        RewardsError::BatchInChallengeWindow,
    );
    // The authority vetoes it inside the window.
    let authority = network.authority.pubkey();
    network
        .authority_send(proof_oracle::reject_batch(authority, 0))
        .unwrap();
    network.after_epoch(0, 2 * 3_600);
    assert_rewards_error(
        network.claim(&batch, &device.pubkey(), &cranker),
        RewardsError::BatchRejected,
    );
    // An expired batch is not final either.
    network.after_epoch(1, 4 * DAY);
    network.cluster.warp_to_timestamp(GENESIS + 6 * DAY);
    network
        .authority_send(proof_oracle::expire_batch(authority, 1))
        .unwrap();
    let expired = BatchFile::new(1, leaves(&network, &[(device.pubkey(), TOKEN)])).unwrap();
    assert_rewards_error(
        network.claim(&expired, &device.pubkey(), &cranker),
        RewardsError::BatchNotFinal,
    );
}

#[test]
fn payments_go_only_to_the_owners_token_account() {
    let mut claims = claims();
    let mut to_cranker = claim_of(&claims, 0);
    let cranker = claims.cranker.insecure_clone();
    claims
        .network
        .send(
            &[rewards::create_token_account(
                &cranker.pubkey(),
                &cranker.pubkey(),
            )],
            &cranker,
            &[],
        )
        .unwrap();
    to_cranker.destination = rewards::token_account(&cranker.pubkey());
    assert_rewards_error(
        send_claim(&mut claims, to_cranker),
        RewardsError::WrongDestinationOwner,
    );
    let mut to_credits = claim_of(&claims, 0);
    to_credits.destination = claims.member.dc_account();
    assert!(send_claim(&mut claims, to_credits).is_err());
    // A token account of the owner in another mint.
    let other_mint = Keypair::new();
    let rent = claims
        .network
        .cluster
        .rent()
        .minimum_balance(token::MINT_LEN);
    let owner = claims.member.pubkey();
    claims
        .network
        .send(
            &[
                token::create_mint(
                    &cranker.pubkey(),
                    &other_mint.pubkey(),
                    &cranker.pubkey(),
                    6,
                    rent,
                ),
                vec![token::create_associated_token_account(
                    &cranker.pubkey(),
                    &owner,
                    &other_mint.pubkey(),
                    &token::SPL_TOKEN_PROGRAM_ID,
                )],
            ]
            .concat(),
            &cranker,
            &[&other_mint],
        )
        .unwrap();
    let mut wrong_mint = claim_of(&claims, 0);
    wrong_mint.destination =
        token::associated_token_address(&owner, &other_mint.pubkey(), &token::SPL_TOKEN_PROGRAM_ID);
    assert_rewards_error(
        send_claim(&mut claims, wrong_mint),
        RewardsError::WrongDestinationMint,
    );
}

#[test]
fn suspended_devices_cannot_claim() {
    let mut claims = claims();
    let authority = claims.network.authority.pubkey();
    let device = claims.devices[0].pubkey();
    claims
        .network
        .authority_send(device_registry::set_device_status(
            authority,
            device,
            DeviceStatus::Suspended,
        ))
        .unwrap();
    let claim = claim_of(&claims, 0);
    assert_rewards_error(
        send_claim(&mut claims, claim),
        RewardsError::DeviceSuspended,
    );
}

#[test]
fn a_batch_promising_more_than_was_issued_pays_nothing() {
    let mut claims = claims();
    let issued = claims.network.config().device_issued;
    let network = &mut claims.network;
    network.after_epoch(2, 1);
    let greedy = BatchFile::new(
        2,
        leaves(network, &[(claims.devices[0].pubkey(), issued + 1)]),
    )
    .unwrap();
    network.finalize(&greedy, 2);
    network.after_epoch(2, 2 * 3_600);
    let cranker = claims.cranker.insecure_clone();
    assert_rewards_error(
        network.claim(&greedy, &claims.devices[0].pubkey(), &cranker),
        RewardsError::BatchExceedsIssuance,
    );
}

#[test]
fn claim_accounts_cannot_be_faked() {
    let mut claims = claims();
    let claim = claim_of(&claims, 0);
    let cranker = claims.cranker.insecure_clone();
    // Type cosplay: the oracle config passed as the batch.
    let cosplay = substitute(
        rewards::claim_rewards(claim.clone()),
        &pda::epoch_batch(1).0,
        &pda::oracle_config().0,
    );
    assert_anchor_error(
        claims.network.send(&[cosplay], &cranker, &[]),
        AnchorErrorCode::AccountDiscriminatorMismatch,
    );
    // A copy of the batch owned by another program.
    let fake = Pubkey::new_unique();
    let mut account = claims
        .network
        .cluster
        .account(&pda::epoch_batch(1).0)
        .unwrap();
    account.owner = device_registry::ID;
    claims
        .network
        .cluster
        .svm_mut()
        .set_account(fake, account)
        .unwrap();
    let forged = substitute(
        rewards::claim_rewards(claim.clone()),
        &pda::epoch_batch(1).0,
        &fake,
    );
    assert_anchor_error(
        claims.network.send(&[forged], &cranker, &[]),
        AnchorErrorCode::AccountOwnedByWrongProgram,
    );
    // A fake registry program.
    let fake_program = substitute(
        rewards::claim_rewards(claim.clone()),
        &device_registry::ID,
        &proof_oracle::ID,
    );
    assert!(claims.network.send(&[fake_program], &cranker, &[]).is_err());
    // A pool that is not the config's.
    let pool = substitute(
        rewards::claim_rewards(claim),
        &pda::device_pool().0,
        &pda::oracle_pool().0,
    );
    assert_anchor_error(
        claims.network.send(&[pool], &cranker, &[]),
        AnchorErrorCode::ConstraintAddress,
    );
    assert_eq!(claims.network.token_balance(&claims.member.pubkey()), 0);
}

#[test]
fn only_the_rewards_program_records_claimed_rewards() {
    let mut claims = claims();
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
    assert_anchor_error(
        claims.network.send(
            &[strip_signer(
                device_registry::record_rewards_claimed(rewards_authority, device, 1),
                &rewards_authority,
            )],
            &member,
            &[],
        ),
        AnchorErrorCode::AccountNotSigner,
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
    let mut claims = claims();
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
    let claim = claim_of(&claims, 1);
    let result = send_claim(&mut claims, claim);
    assert!(result.is_err());
    assert_eq!(claims.network.token_balance(&claims.member.pubkey()), 0);
}

#[test]
fn claims_at_maximum_amounts_fail_cleanly() {
    let mut claims = claims();
    let config = pda::rewards_config().0;
    // Pretend the pool has paid out all but one token unit.
    poke(
        &mut claims.network.cluster,
        &config,
        |config: &mut rewards::RewardsConfig| {
            config.device_claimed = config.device_issued - 1;
        },
    );
    let claim = claim_of(&claims, 0);
    assert_rewards_error(send_claim(&mut claims, claim), RewardsError::PoolExhausted);
}

// --------------------------------------------------------- oracle claims

#[test]
fn oracles_that_made_the_batch_final_share_the_oracle_pool() {
    let mut claims = claims();
    let network = &mut claims.network;
    let share = network.epoch_rewards(1).oracles / 2;
    let claim =
        |network: &mut Network, index: usize, epoch: u64| network.claim_oracle(index, epoch);
    claim(network, 0, 1).unwrap();
    claim(network, 1, 1).unwrap();
    assert_eq!(network.token_balance(&network.oracles[0].pubkey()), share);
    network.cluster.next_blockhash();
    assert_rewards_error(claim(network, 0, 1), RewardsError::OracleAlreadyClaimed);
    // Oracle 2 did not vote.
    assert_rewards_error(claim(network, 2, 1), RewardsError::NotContributingOracle);
    // Epoch 0 has no batch yet.
    assert!(claim(network, 0, 0).is_err());
    // A batch of another epoch.
    let oracle = network.oracles[0].insecure_clone();
    let wrong = substitute(
        rewards::claim_oracle_rewards(oracle.pubkey(), 0, rewards::token_account(&oracle.pubkey())),
        &pda::epoch_batch(0).0,
        &pda::epoch_batch(1).0,
    );
    assert_rewards_error(
        network.send(&[wrong], &oracle, &[]),
        RewardsError::WrongBatch,
    );
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

#[test]
fn every_signer_is_required() {
    let mut claims = claims();
    let network = &mut claims.network;
    let payer = network.treasury_owner.insecure_clone();
    let authority = network.authority.pubkey();
    let member = claims.member.pubkey();
    let oracle = network.oracles[0].pubkey();
    let deployer = network.cluster.upgrade_authority().pubkey();
    let cases = [
        (
            rewards::update_rewards(authority, UpdateRewardsArgs::default(), None),
            authority,
        ),
        (
            rewards::burn_data_credits(member, 1, UsagePurpose::Other),
            member,
        ),
        (
            rewards::claim_oracle_rewards(oracle, 1, rewards::token_account(&oracle)),
            oracle,
        ),
        (
            rewards::initialize_rewards(
                payer.pubkey(),
                deployer,
                deployer,
                depin_client::bootstrap::default_rewards_args(authority, 0),
            ),
            deployer,
        ),
    ];
    for (instruction, signer) in cases {
        let result = network.send(&[strip_signer(instruction, &signer)], &payer, &[]);
        if signer == deployer {
            // The config exists too, so only refusal is certain here; the
            // upgrade-authority check has its own test.
            assert!(result.is_err(), "accepted without {signer}'s signature");
        } else {
            assert_anchor_error(result, AnchorErrorCode::AccountNotSigner);
        }
        network.cluster.next_blockhash();
    }
    network.assert_invariants();
}
