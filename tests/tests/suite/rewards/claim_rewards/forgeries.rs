//! `claim_rewards` refuses forged proofs, destinations and accounts, and old
//! registrations' leaves.

use {
    ::rewards::error::RewardsError,
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_sdk::{
        batch::BatchFile,
        device_registry,
        merkle::Leaf,
        pda, proof_oracle,
        rewards::{self, ProofNode},
        token, Pubkey, Signer,
    },
    depin_tests::{
        assert_rewards_error, assert_substitute_refused, create_mint, instruction_error,
        network::{leaves, Claims, Network, TOKEN},
        substitute,
    },
    solana_instruction_error::InstructionError,
};

#[test]
fn forged_proofs_are_refused() {
    let mut claims = Claims::new();
    // Device 1's proof presented for device 0.
    let mut other = claims.claim_of(1);
    other.device_key = claims.devices[0].pubkey();
    assert_rewards_error(claims.send(other), RewardsError::InvalidProof);
    // Altered amount.
    let mut inflated = claims.claim_of(0);
    inflated.amount += 1;
    assert_rewards_error(claims.send(inflated), RewardsError::InvalidProof);
    // Altered sibling.
    let mut sibling = claims.claim_of(0);
    sibling.proof[0].sum -= 1;
    assert_rewards_error(claims.send(sibling), RewardsError::InvalidProof);
    // Wrong index.
    let mut moved = claims.claim_of(0);
    moved.index = 1;
    assert_rewards_error(claims.send(moved), RewardsError::InvalidProof);
    // An empty proof (the leaf as the root) and an oversize one.
    let mut empty = claims.claim_of(0);
    empty.proof.clear();
    assert_rewards_error(claims.send(empty), RewardsError::InvalidProof);
    let mut padded = claims.claim_of(0);
    padded.proof.extend(
        [ProofNode {
            hash: [1; 32],
            sum: 1,
        }; 8],
    );
    assert_rewards_error(claims.send(padded), RewardsError::InvalidProof);
    // Past 32 nodes the transaction no longer fits a packet; the SDK refuses
    // it (the program would answer ProofTooLong).
    let mut oversize = claims.claim_of(0);
    oversize.proof = vec![
        ProofNode {
            hash: [1; 32],
            sum: 1
        };
        33
    ];
    assert!(matches!(
        claims.send(oversize),
        Err(depin_sdk::SdkError::TransactionTooLarge { .. })
    ));
    assert_eq!(claims.network.token_balance(&claims.member.pubkey()), 0);
}

#[test]
fn payments_go_only_to_the_owners_token_account() {
    let mut claims = Claims::new();
    let mut to_cranker = claims.claim_of(0);
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
    assert_rewards_error(claims.send(to_cranker), RewardsError::WrongDestinationOwner);
    let mut to_credits = claims.claim_of(0);
    to_credits.destination = claims.member.dc_account();
    assert!(claims.send(to_credits).is_err());
    // A token account of the owner in another mint.
    let other_mint = create_mint(&mut claims.network.cluster, &cranker, 6);
    let owner = claims.member.pubkey();
    let create = token::create_associated_token_account(
        &cranker.pubkey(),
        &owner,
        &other_mint,
        &token::SPL_TOKEN_PROGRAM_ID,
    );
    claims.network.send(&[create], &cranker, &[]).unwrap();
    let mut wrong_mint = claims.claim_of(0);
    wrong_mint.destination =
        token::associated_token_address(&owner, &other_mint, &token::SPL_TOKEN_PROGRAM_ID);
    assert_rewards_error(claims.send(wrong_mint), RewardsError::WrongDestinationMint);
}

#[test]
fn claim_accounts_cannot_be_faked() {
    let mut claims = Claims::new();
    let claim = claims.claim_of(0);
    let cranker = claims.cranker.insecure_clone();
    // Type cosplay: the oracle config passed as the batch.
    assert_substitute_refused(
        |ix| claims.network.send(&[ix], &cranker, &[]),
        rewards::claim_rewards(claim.clone()),
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
        rewards::claim_rewards(claim.clone()),
        &pda::epoch_batch(1).0,
        &fake,
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
    assert_substitute_refused(
        |ix| claims.network.send(&[ix], &cranker, &[]),
        rewards::claim_rewards(claim),
        &pda::device_pool().0,
        &pda::oracle_pool().0,
        AnchorErrorCode::ConstraintAddress,
    );
    assert_eq!(claims.network.token_balance(&claims.member.pubkey()), 0);
}

/// Issues `epoch` (after its end) and makes a batch of `leaves` for it
/// final and claimable.
fn claimable_batch(network: &mut Network, epoch: u64, leaves: Vec<Leaf>) -> BatchFile {
    network.after_epoch(epoch, 1);
    network.issue(epoch).unwrap();
    let batch = BatchFile::new(epoch, leaves).unwrap();
    network.finalize(&batch, 2);
    let window = network.oracle_config().challenge_window;
    network.warp(window);
    batch
}

/// A device retired and registered again in one transaction gets a new
/// serial and `rewards_claimed = 0`. Leaves of the old serial, claimed or
/// not, never pay the new registration (`InvalidProof`, also inside the
/// re-registering transaction, which then rolls back whole), and the old
/// registration's claimed total does not reduce what the new one is owed.
#[test]
fn re_registration_in_the_retiring_transaction_gets_a_new_serial_and_no_old_claims() {
    let mut network = Network::new();
    network.launch();
    let (member, device) = network.member_with_device(10 * TOKEN, 10 * TOKEN);
    let old_serial = network.device(&device.pubkey()).serial;
    let old_leaf = |amount| Leaf {
        device_key: device.pubkey().to_bytes(),
        serial: old_serial,
        amount,
    };
    let cranker = network.treasury_owner.insecure_clone();

    // The old registration is paid 300 in epoch 1 and is owed 500 in all
    // by epoch 2.
    let paid = claimable_batch(&mut network, 1, vec![old_leaf(300 * TOKEN)]);
    network.claim(&paid, &device.pubkey(), &cranker).unwrap();
    let owed = claimable_batch(&mut network, 2, vec![old_leaf(500 * TOKEN)]);
    assert_eq!(
        network.device(&device.pubkey()).rewards_claimed,
        300 * TOKEN
    );

    let owner = member.keypair.insecure_clone();
    let retire = device_registry::retire_device(member.pubkey(), device.pubkey());
    let claim_old = |batch: &BatchFile| {
        rewards::claim_rewards(
            rewards::claim_from_batch(batch, &device.pubkey(), member.token_account()).unwrap(),
        )
    };
    // Retire, register again and claim the old leaf, all in one go.
    let result = network.send(
        &[
            retire.clone(),
            member.registration(&device, None),
            claim_old(&owed),
        ],
        &owner,
        &[&device],
    );
    let code = u32::from(RewardsError::InvalidProof);
    assert_eq!(
        instruction_error(result),
        (2, InstructionError::Custom(code))
    );
    let account = network.device(&device.pubkey());
    assert_eq!(
        (account.serial, account.rewards_claimed),
        (old_serial, 300 * TOKEN)
    );

    // Retire and register again: a new serial, nothing claimed.
    network
        .send(
            &[retire, member.registration(&device, None)],
            &owner,
            &[&device],
        )
        .unwrap();
    let account = network.device(&device.pubkey());
    assert_eq!(account.serial, old_serial + 1);
    assert_eq!(account.rewards_claimed, 0);
    let registry = network
        .cluster
        .fetch::<depin_sdk::accounts::RegistryConfig>(&pda::registry_config().0)
        .unwrap();
    assert_eq!(
        (registry.devices_registered, registry.active_devices),
        (old_serial + 1, 1)
    );

    // Old leaves, claimed or not, do not pay the new registration.
    let balance = network.token_balance(&member.pubkey());
    for batch in [&owed, &paid] {
        assert_rewards_error(
            network.send(&[claim_old(batch)], &cranker, &[]),
            RewardsError::InvalidProof,
        );
    }

    // The new registration's first leaf pays in full: the old 300 claimed
    // does not carry over.
    let fresh_leaves = leaves(&network, &[(device.pubkey(), 50 * TOKEN)]);
    let fresh = claimable_batch(&mut network, 3, fresh_leaves);
    network.claim(&fresh, &device.pubkey(), &cranker).unwrap();
    assert_eq!(
        network.token_balance(&member.pubkey()),
        balance + 50 * TOKEN
    );
    assert_eq!(network.device(&device.pubkey()).rewards_claimed, 50 * TOKEN);
    network.assert_invariants();
}
