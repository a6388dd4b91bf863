//! Forged calls of every program's event-CPI instruction.

use {
    anchor_lang::error::ErrorCode as AnchorErrorCode,
    depin_client::embedded::EmbeddedCluster,
    depin_sdk::{device_registry, pda, proof_oracle, AccountMeta, Instruction, Pubkey, Signer},
    depin_tests::{assert_anchor_error, assert_signing_refused, funded_keypair, instruction_error},
    solana_instruction_error::InstructionError,
};

/// What the runtime reports for a program's `ProgramError::NotEnoughAccountKeys`
/// (the variant is deprecated in favour of `MissingAccount`, which this
/// runtime does not produce for it).
#[allow(deprecated)]
const NOT_ENOUGH_ACCOUNT_KEYS: InstructionError = InstructionError::NotEnoughAccountKeys;

/// Anchor's event-CPI instruction: the tag, then (here) an arbitrary event
/// payload.
fn event_instruction(program_id: Pubkey, accounts: Vec<AccountMeta>) -> Instruction {
    let mut data = anchor_lang::event::EVENT_IX_TAG_LE.to_vec();
    data.extend_from_slice(&[0xAB; 40]);
    Instruction {
        program_id,
        accounts,
        data,
    }
}

/// The `emit_cpi!` self-CPI instruction of each program, called directly by
/// an outside signer: with its own key as the first account it is
/// `ConstraintSeeds`; with the event authority not signing,
/// `ConstraintSigner`; with no account, `NotEnoughAccountKeys`; and a
/// transaction cannot be signed for the event-authority PDA at all.
#[test]
fn forged_event_cpi_calls_are_refused_by_every_program() {
    let mut cluster = EmbeddedCluster::new();
    let attacker = funded_keypair(&mut cluster);
    for program_id in [
        device_registry::ID,
        proof_oracle::ID,
        ::rewards::ID,
        governance::ID,
    ] {
        let event_authority = pda::event_authority(&program_id);
        let forged = event_instruction(
            program_id,
            vec![AccountMeta::new_readonly(attacker.pubkey(), true)],
        );
        assert_anchor_error(
            cluster.send(&[forged], &attacker, &[]),
            AnchorErrorCode::ConstraintSeeds,
        );
        let unsigned = event_instruction(
            program_id,
            vec![AccountMeta::new_readonly(event_authority, false)],
        );
        assert_anchor_error(
            cluster.send(&[unsigned], &attacker, &[]),
            AnchorErrorCode::ConstraintSigner,
        );
        let bare = event_instruction(program_id, vec![]);
        assert_eq!(
            instruction_error(cluster.send(&[bare], &attacker, &[])),
            (0, NOT_ENOUGH_ACCOUNT_KEYS)
        );
        let signed = event_instruction(
            program_id,
            vec![AccountMeta::new_readonly(event_authority, true)],
        );
        assert_signing_refused(cluster.send(&[signed], &attacker, &[]));
    }
}
