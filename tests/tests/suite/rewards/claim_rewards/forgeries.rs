//! `claim_rewards` refuses forged proofs, leaves of the retired per-device
//! format, destinations that are not the recipient's network-token account,
//! and fake accounts and programs.

use {
    ::rewards::error::RewardsError,
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_sdk::{
        accounts::Commitment,
        device_registry,
        merkle::DEVICE_LEAF_PREFIX,
        pda, proof_oracle,
        rewards::{self, ProofNode, WalletClaim},
        token, Pubkey, Signer,
    },
    depin_tests::{
        assert_rewards_error, assert_substitute_refused, create_mint,
        network::{Claims, TOKEN},
    },
    sha2::{Digest, Sha256},
};

/// Every alteration of a valid claim fails the proof, and nothing is paid
/// or recorded: the member's proof presented for the payee or for a
/// stranger, an amount one unit more or less, a sibling's sum or hash, the
/// index, a proof emptied, padded or past the packet size.
#[test]
fn forged_proofs_are_refused() {
    let mut claims = Claims::new();
    let payee = claims.payee.pubkey();
    let stranger = Pubkey::new_unique();
    let forge = |claims: &Claims, change: &dyn Fn(&mut WalletClaim)| {
        let mut claim = claims.member_claim();
        change(&mut claim);
        claim
    };
    let forgeries: [&dyn Fn(&mut WalletClaim); 9] = [
        // A proof for another wallet.
        &|claim| claim.recipient = payee,
        &|claim| claim.recipient = stranger,
        // Altered amount: more, and less (no partial claims either).
        &|claim| claim.amount += 1,
        &|claim| claim.amount -= 1,
        // Altered sibling.
        &|claim| claim.proof[0].sum -= 1,
        &|claim| claim.proof[0].hash[0] ^= 1,
        // Altered index (the payee's).
        &|claim| claim.index ^= 1,
        // Empty (the leaf as the root) and padded proofs.
        &|claim| claim.proof.clear(),
        &|claim| {
            claim.proof.extend(
                [ProofNode {
                    hash: [1; 32],
                    sum: 1,
                }; 8],
            )
        },
    ];
    for change in forgeries {
        let claim = forge(&claims, change);
        assert_rewards_error(claims.send(claim), RewardsError::InvalidProof);
        claims.network.cluster.next_blockhash();
    }
    // Past 32 nodes the transaction no longer fits a packet; the SDK refuses
    // it (the program would answer ProofTooLong).
    let oversize = forge(&claims, &|claim| {
        claim.proof = vec![
            ProofNode {
                hash: [1; 32],
                sum: 1
            };
            33
        ]
    });
    assert!(matches!(
        claims.send(oversize),
        Err(depin_sdk::SdkError::TransactionTooLarge { .. })
    ));
    for wallet in [claims.member.pubkey(), payee, stranger] {
        assert_eq!(claims.network.token_balance(&wallet), 0);
        assert!(claims.network.recipient_record(&wallet).is_none());
    }
    claims.network.assert_invariants();
}

/// A leaf of the retired per-device format (`0x00 ‖ key ‖ serial ‖
/// amount`) committed by the oracles never pays as a wallet leaf, even for
/// a wallet whose key is the leaf's device key: wallet leaves hash under
/// their own prefix.
#[test]
fn a_per_device_leaf_never_verifies_as_a_wallet_leaf() {
    let mut claims = Claims::new();
    let wallet = claims.member.pubkey();
    let amount = TOKEN;
    let mut preimage = vec![DEVICE_LEAF_PREFIX];
    preimage.extend_from_slice(wallet.as_ref());
    preimage.extend_from_slice(&1u64.to_le_bytes());
    preimage.extend_from_slice(&amount.to_le_bytes());
    let commitment = Commitment {
        root: Sha256::digest(&preimage).into(),
        leaf_count: 1,
        total: amount,
        proof_data_hash: [5; 32],
    };
    let network = &mut claims.network;
    network.after_epoch(2, 1);
    for index in 0..2 {
        let oracle = network.oracles[index].insecure_clone();
        network
            .send(
                &[proof_oracle::submit_batch(
                    oracle.pubkey(),
                    2,
                    commitment,
                    "https://batches.example/2.bin".into(),
                )],
                &oracle,
                &[],
            )
            .unwrap();
    }
    network.after_epoch(2, 2 * 3_600);
    let claim = WalletClaim {
        batch_epoch: 2,
        recipient: wallet,
        amount,
        index: 0,
        proof: vec![],
    };
    assert_rewards_error(claims.send(claim), RewardsError::InvalidProof);
    assert_eq!(claims.network.token_balance(&wallet), 0);
}

/// The payment goes only to the recipient's token account of the network
/// mint: not the submitter's, not another wallet's, not the recipient's
/// credit account (Token-2022) or account of another mint.
#[test]
fn payments_go_only_to_the_recipients_network_token_account() {
    let mut claims = Claims::new();
    let cranker = claims.cranker.insecure_clone();
    let member = claims.member.pubkey();
    let payee = claims.payee.pubkey();
    claims
        .send_raw(&[
            rewards::create_token_account(&cranker.pubkey(), &cranker.pubkey()),
            rewards::create_token_account(&cranker.pubkey(), &payee),
        ])
        .unwrap();
    let member_destination = rewards::token_account(&member);
    let payee_destination = rewards::token_account(&payee);
    let cases = [
        // The member's claim into the cranker's or the payee's account.
        (
            claims.member_claim(),
            member_destination,
            rewards::token_account(&cranker.pubkey()),
        ),
        (claims.member_claim(), member_destination, payee_destination),
        // The payee's claim into the member's account.
        (claims.payee_claim(), payee_destination, member_destination),
    ];
    for (claim, from, to) in cases {
        assert_substitute_refused(
            |ix| claims.network.send(&[ix], &cranker, &[]),
            rewards::claim_rewards(cranker.pubkey(), claim),
            &from,
            &to,
            RewardsError::WrongDestinationOwner,
        );
    }
    // The pool itself as destination: the same mutable account twice.
    let pool_claim = rewards::claim_rewards(cranker.pubkey(), claims.member_claim());
    assert_substitute_refused(
        |ix| claims.network.send(&[ix], &cranker, &[]),
        pool_claim,
        &member_destination,
        &pda::device_pool().0,
        AnchorErrorCode::ConstraintDuplicateMutableAccount,
    );
    // The member's credit account: a Token-2022 account, not SPL Token's.
    let member_claim = rewards::claim_rewards(cranker.pubkey(), claims.member_claim());
    assert_substitute_refused(
        |ix| claims.network.send(&[ix], &cranker, &[]),
        member_claim.clone(),
        &member_destination,
        &claims.member.dc_account(),
        AnchorErrorCode::AccountOwnedByWrongProgram,
    );
    // A token account of the member in another mint.
    let other_mint = create_mint(&mut claims.network.cluster, &cranker, 6);
    let create = token::create_associated_token_account(
        &cranker.pubkey(),
        &member,
        &other_mint,
        &token::SPL_TOKEN_PROGRAM_ID,
    );
    claims.send_raw(&[create]).unwrap();
    assert_substitute_refused(
        |ix| claims.network.send(&[ix], &cranker, &[]),
        member_claim,
        &member_destination,
        &token::associated_token_address(&member, &other_mint, &token::SPL_TOKEN_PROGRAM_ID),
        RewardsError::WrongDestinationMint,
    );
    for wallet in [member, payee, cranker.pubkey()] {
        assert_eq!(claims.network.token_balance(&wallet), 0);
    }
    assert!(claims.network.recipient_record(&member).is_none());
}

#[test]
fn claim_accounts_cannot_be_faked() {
    let mut claims = Claims::new();
    claims
        .send_raw(&[rewards::create_token_account(
            &claims.cranker.pubkey(),
            &claims.member.pubkey(),
        )])
        .unwrap();
    let claim = claims.member_claim();
    let cranker = claims.cranker.insecure_clone();
    let instruction = rewards::claim_rewards(cranker.pubkey(), claim);
    // Type cosplay: the oracle config passed as the batch.
    assert_substitute_refused(
        |ix| claims.network.send(&[ix], &cranker, &[]),
        instruction.clone(),
        &pda::epoch_batch(1).0,
        &pda::oracle_config().0,
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
    assert_substitute_refused(
        |ix| claims.network.send(&[ix], &cranker, &[]),
        instruction.clone(),
        &pda::epoch_batch(1).0,
        &fake,
        AnchorErrorCode::AccountOwnedByWrongProgram,
    );
    // A pool that is not the config's; a mint that is not the network's.
    assert_substitute_refused(
        |ix| claims.network.send(&[ix], &cranker, &[]),
        instruction.clone(),
        &pda::device_pool().0,
        &pda::oracle_pool().0,
        AnchorErrorCode::ConstraintAddress,
    );
    let other_mint = create_mint(&mut claims.network.cluster, &cranker, 6);
    assert_substitute_refused(
        |ix| claims.network.send(&[ix], &cranker, &[]),
        instruction.clone(),
        &pda::token_mint().0,
        &other_mint,
        RewardsError::WrongMint,
    );
    // Fake token and system programs.
    for (program, fake_program) in [
        (token::SPL_TOKEN_PROGRAM_ID, token::TOKEN_2022_PROGRAM_ID),
        (anchor_lang::system_program::ID, proof_oracle::ID),
    ] {
        assert_substitute_refused(
            |ix| claims.network.send(&[ix], &cranker, &[]),
            instruction.clone(),
            &program,
            &fake_program,
            AnchorErrorCode::InvalidProgramId,
        );
    }
    assert_eq!(claims.network.token_balance(&claims.member.pubkey()), 0);
    assert!(claims
        .network
        .recipient_record(&claims.member.pubkey())
        .is_none());
}
