//! Every signer of the oracle instructions is required.

use {
    depin_sdk::{
        accounts::BatchStatus,
        proof_oracle::{self, UpdateOracleParamsArgs},
        Signer,
    },
    depin_tests::{assert_needs_signer, funded_keypair, proof_oracle::*},
};

#[test]
fn every_signer_of_the_oracle_instructions_is_required() {
    let mut net = OracleNet::with_two_votes(2);
    let stranger = funded_keypair(&mut net.cluster);
    let authority = net.authority.pubkey();
    let oracle_key = net.oracles[2].pubkey();
    let cases = [
        (proof_oracle::submit_price(oracle_key, 100), oracle_key),
        (proof_oracle::reject_batch(authority, 0), authority),
        (
            proof_oracle::update_oracle_params(authority, UpdateOracleParamsArgs::default()),
            authority,
        ),
    ];
    for (instruction, signer) in cases {
        assert_needs_signer(
            |ix| net.cluster.send(&[ix], &stranger, &[]),
            instruction,
            &signer,
        );
    }
    assert_eq!(net.batch(0).status, BatchStatus::Final);
    assert!(net.price_feed().entries.is_empty());
}
