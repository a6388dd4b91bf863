//! Every signer of the rewards instructions is required.

use {
    depin_sdk::{
        rewards::{self, UpdateRewardsArgs, UsagePurpose},
        Signer,
    },
    depin_tests::{assert_needs_signer, network::Claims, strip_signer},
};

#[test]
fn every_signer_is_required() {
    let mut claims = Claims::new();
    let claim = claims.member_claim();
    let network = &mut claims.network;
    let payer = network.treasury_owner.insecure_clone();
    let authority = network.authority.pubkey();
    let member = claims.member.pubkey();
    let oracle = network.oracles[0].pubkey();
    let deployer = network.cluster.upgrade_authority().pubkey();
    // A claim's payer signs (it pays the record's rent at a first claim),
    // here while someone else pays the transaction fee.
    let claim_payer = claims.cranker.pubkey();
    let cases = [
        (rewards::claim_rewards(claim_payer, claim), claim_payer),
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
    ];
    for (instruction, signer) in cases {
        assert_needs_signer(|ix| network.send(&[ix], &payer, &[]), instruction, &signer);
        network.cluster.next_blockhash();
    }
    // The config exists too, so only refusal is certain here; the
    // upgrade-authority check has its own test.
    let initialize = rewards::initialize_rewards(
        payer.pubkey(),
        deployer,
        deployer,
        depin_client::bootstrap::default_rewards_args(authority, 0),
    );
    let result = network.send(&[strip_signer(initialize, &deployer)], &payer, &[]);
    assert!(result.is_err(), "accepted without {deployer}'s signature");
    network.cluster.next_blockhash();
    network.assert_invariants();
}
