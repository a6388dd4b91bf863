//! A wallet's `RecipientRecord`: created by its first claim at
//! `["recipient", wallet]`, rent paid by whoever submits the claim; only
//! the wallet's own record is accepted, and lamports sent ahead of time do
//! not block its creation.

use {
    ::rewards::{error::RewardsError, state::RecipientRecord},
    anchor_lang::solana_program::system_instruction,
    depin_sdk::{pda, rewards, Pubkey, Signer},
    depin_tests::{
        assert_rewards_error, assert_wrong_pda, funded_keypair,
        network::{Claims, TOKEN},
        poke, SOL,
    },
};

/// Discriminator, wallet, claimed total, bump.
const RECORD_LEN: usize = 8 + 32 + 8 + 1;

/// The first claim creates the record (49 bytes, owned by the rewards
/// program, rent-exempt), paid by the submitter, not the recipient; later
/// claims only raise its total.
#[test]
fn the_first_claim_creates_the_record_at_the_submitters_expense() {
    let mut claims = Claims::new();
    assert_eq!(RecipientRecord::SPACE, RECORD_LEN);
    let payee = claims.payee.pubkey();
    let cranker = claims.cranker.pubkey();
    let (address, bump) = pda::recipient_record(&payee);
    assert!(claims.network.cluster.account(&address).is_none());
    // The payee's token account first, so the claim's own cost shows.
    claims
        .send_raw(&[rewards::create_token_account(&cranker, &payee)])
        .unwrap();
    let before = claims.network.cluster.balance(&cranker);
    let outcome = claims
        .send_raw(&[rewards::claim_rewards(cranker, claims.payee_claim())])
        .unwrap();
    let rent = claims.network.cluster.rent().minimum_balance(RECORD_LEN);
    assert_eq!(
        before - claims.network.cluster.balance(&cranker),
        outcome.fee + rent
    );
    assert_eq!(claims.network.cluster.balance(&payee), 0);
    let account = claims.network.cluster.account(&address).unwrap();
    assert_eq!(
        (account.owner, account.data.len(), account.lamports),
        (rewards::ID, RECORD_LEN, rent)
    );
    let record = claims.network.recipient_record(&payee).unwrap();
    assert_eq!(
        (record.recipient, record.claimed, record.bump),
        (payee, Claims::PAYEE_AMOUNT, bump)
    );

    // Epoch 2 raises the payee to 400: the record is reused, the submitter
    // pays only the fee.
    let network = &mut claims.network;
    network.after_epoch(2, 1);
    network.issue(2).unwrap();
    let batch = network.batch(
        2,
        Some(&claims.batch),
        &[(claims.devices[2].pubkey(), 150 * TOKEN)],
    );
    network.finalize(&batch, 2);
    network.after_epoch(2, 2 * 3_600);
    let claim = rewards::claim_from_batch(&batch, &payee).unwrap();
    let before = network.cluster.balance(&cranker);
    let outcome = claims
        .send_raw(&[rewards::claim_rewards(cranker, claim)])
        .unwrap();
    let network = &claims.network;
    assert_eq!(before - network.cluster.balance(&cranker), outcome.fee);
    assert_eq!(network.cluster.account(&address).unwrap().lamports, rent);
    assert_eq!(network.claimed(&payee), 400 * TOKEN);
    assert_eq!(network.token_balance(&payee), 400 * TOKEN);
    network.assert_invariants();
}

/// An attacker who sends lamports to a wallet's record address before its
/// first claim (a system account the program did not create) cannot block
/// it: the claim allocates and assigns the account, the submitter paying
/// only what rent still lacks.
#[test]
fn a_record_address_funded_ahead_of_the_first_claim_is_still_created() {
    let mut claims = Claims::new();
    let attacker = funded_keypair(&mut claims.network.cluster);
    claims
        .network
        .cluster
        .airdrop(&attacker.pubkey(), 20 * SOL)
        .unwrap();
    let rent = claims.network.cluster.rent().minimum_balance(RECORD_LEN);
    let bare = claims.network.cluster.rent().minimum_balance(0);
    let payee = claims.payee.pubkey();
    let member = claims.member.pubkey();
    // The payee's record less than its rent, the member's far more.
    for (wallet, lamports) in [(payee, bare), (member, 10 * SOL)] {
        let address = pda::recipient_record(&wallet).0;
        claims
            .network
            .send(
                &[system_instruction::transfer(
                    &attacker.pubkey(),
                    &address,
                    lamports,
                )],
                &attacker,
                &[],
            )
            .unwrap();
        let account = claims.network.cluster.account(&address).unwrap();
        assert_eq!(account.owner, anchor_lang::system_program::ID);
    }
    let cranker = claims.cranker.pubkey();
    for wallet in [payee, member] {
        claims
            .send_raw(&[rewards::create_token_account(&cranker, &wallet)])
            .unwrap();
    }

    let before = claims.network.cluster.balance(&cranker);
    let outcome = claims
        .send_raw(&[rewards::claim_rewards(cranker, claims.payee_claim())])
        .unwrap();
    assert_eq!(
        before - claims.network.cluster.balance(&cranker),
        outcome.fee + rent - bare
    );
    let before = claims.network.cluster.balance(&cranker);
    let outcome = claims
        .send_raw(&[rewards::claim_rewards(cranker, claims.member_claim())])
        .unwrap();
    assert_eq!(
        before - claims.network.cluster.balance(&cranker),
        outcome.fee
    );

    for (wallet, lamports, amount) in [
        (payee, rent, Claims::PAYEE_AMOUNT),
        (member, 10 * SOL, Claims::MEMBER_AMOUNT),
    ] {
        let account = claims
            .network
            .cluster
            .account(&pda::recipient_record(&wallet).0)
            .unwrap();
        assert_eq!(
            (account.owner, account.data.len(), account.lamports),
            (rewards::ID, RECORD_LEN, lamports)
        );
        let record = claims.network.recipient_record(&wallet).unwrap();
        assert_eq!((record.recipient, record.claimed), (wallet, amount));
        assert_eq!(claims.network.token_balance(&wallet), amount);
    }
    claims.network.assert_invariants();
}

/// A claim accepts only its recipient's record: another wallet's record
/// (existing or not yet created) or any other address fails the seeds
/// constraint, so one wallet's claimed total can never pay or block
/// another's.
#[test]
fn only_the_recipients_own_record_is_accepted() {
    let mut claims = Claims::new();
    let member = claims.member.pubkey();
    let payee = claims.payee.pubkey();
    claims.send(claims.member_claim()).unwrap();
    let cranker = claims.cranker.insecure_clone();
    let member_record = pda::recipient_record(&member).0;
    let payee_record = pda::recipient_record(&payee).0;
    // The payee's claim with the member's record (already paid 1,000).
    claims
        .send_raw(&[rewards::create_token_account(&cranker.pubkey(), &payee)])
        .unwrap();
    let payee_claim = rewards::claim_rewards(cranker.pubkey(), claims.payee_claim());
    assert_wrong_pda(
        |ix| claims.network.send(&[ix], &cranker, &[]),
        payee_claim,
        &payee_record,
        &member_record,
    );
    // The member's claim (of epoch 2) with the payee's record, not yet
    // created, or any other address.
    let network = &mut claims.network;
    network.after_epoch(2, 1);
    network.issue(2).unwrap();
    let batch = network.batch(
        2,
        Some(&claims.batch),
        &[(claims.devices[0].pubkey(), 5 * TOKEN)],
    );
    network.finalize(&batch, 2);
    network.after_epoch(2, 2 * 3_600);
    let claim = rewards::claim_from_batch(&batch, &member).unwrap();
    for wrong in [payee_record, Pubkey::new_unique(), member] {
        assert_wrong_pda(
            |ix| claims.network.send(&[ix], &cranker, &[]),
            rewards::claim_rewards(cranker.pubkey(), claim.clone()),
            &member_record,
            &wrong,
        );
        claims.network.cluster.next_blockhash();
    }
    assert!(claims.network.recipient_record(&payee).is_none());
    assert_eq!(claims.network.claimed(&member), Claims::MEMBER_AMOUNT);
    claims
        .send_raw(&[rewards::claim_rewards(cranker.pubkey(), claim)])
        .unwrap();
    assert_eq!(claims.network.claimed(&member), 1_005 * TOKEN);
    claims.network.assert_invariants();
}

/// The record's stored wallet is checked too: a record at the right
/// address naming another wallet (which no instruction writes; state
/// rewritten here) is refused with `RecipientMismatch`.
#[test]
fn a_record_naming_another_wallet_is_refused() {
    let mut claims = Claims::new();
    let member = claims.member.pubkey();
    let payee = claims.payee.pubkey();
    claims.send(claims.member_claim()).unwrap();
    poke(
        &mut claims.network.cluster,
        &pda::recipient_record(&member).0,
        |record: &mut RecipientRecord| {
            record.recipient = payee;
            record.claimed = 0;
        },
    );
    assert_rewards_error(
        claims.send(claims.member_claim()),
        RewardsError::RecipientMismatch,
    );
    assert_eq!(claims.network.token_balance(&member), Claims::MEMBER_AMOUNT);
}
