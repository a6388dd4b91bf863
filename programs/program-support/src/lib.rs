//! Checks the device registry, the proof oracle, the rewards program and
//! governance make the same way, kept in one place so that they cannot drift
//! apart.
//!
//! Each program maps a failed check to its own named error (e.g.
//! `RegistryError::NotUpgradeAuthority`), so the error a client sees stays in
//! the program's own words.

use anchor_lang::prelude::*;

/// Whether `signer` is the upgrade authority recorded in a program's
/// `ProgramData`.
///
/// Each program's `initialize_*` instruction requires it, so nobody but the
/// deployer can front-run the initialization of a fresh deployment. An
/// immutable program (no upgrade authority) has no such signer: nobody
/// passes, not even the default address.
///
/// Only the recorded authority is compared: the caller must make sure
/// `program_data` is the program's own `ProgramData` (its address, derived
/// from the program id under the upgradeable loader, and its owner).
pub fn is_upgrade_authority(program_data: &ProgramData, signer: &Pubkey) -> bool {
    program_data.upgrade_authority_address.as_ref() == Some(signer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program_data(upgrade_authority_address: Option<Pubkey>) -> ProgramData {
        ProgramData {
            slot: 7,
            upgrade_authority_address,
        }
    }

    #[test]
    fn the_recorded_authority_passes() {
        let authority = Pubkey::new_from_array([1; 32]);
        assert!(is_upgrade_authority(
            &program_data(Some(authority)),
            &authority
        ));
    }

    #[test]
    fn any_other_key_is_refused() {
        let authority = Pubkey::new_from_array([1; 32]);
        let data = program_data(Some(authority));
        for other in [
            Pubkey::new_from_array([2; 32]),
            Pubkey::default(),
            Pubkey::new_from_array({
                let mut bytes = [1; 32];
                bytes[31] = 0;
                bytes
            }),
        ] {
            assert!(!is_upgrade_authority(&data, &other), "{other}");
        }
    }

    #[test]
    fn an_immutable_program_has_no_upgrade_authority() {
        let data = program_data(None);
        for signer in [Pubkey::new_from_array([1; 32]), Pubkey::default()] {
            assert!(!is_upgrade_authority(&data, &signer), "{signer}");
        }
    }
}
