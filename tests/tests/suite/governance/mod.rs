//! Governance, one file per instruction; `dao_proposals` runs the network
//! by proposal.

mod activate_proposal;
mod add_instruction;
mod cancel_proposal;
mod cast_vote;
mod create_proposal;
mod dao_proposals;
mod execute_proposal;
mod expire_proposal;
mod finalize_vote;
mod initialize_governance;
mod lock_tokens;
mod relock_position;
mod signers;
mod update_governance;
mod withdraw_position;

use {
    depin_sdk::{
        batch::BatchFile,
        governance::{dao_authority, LockupArgs, LockupKind},
        proof_oracle, Instruction, Pubkey, Signer,
    },
    depin_tests::{
        dao::{lockup, Dao, Governed, DAY, YEAR},
        network::wallet_batch,
        proof_oracle::GENESIS,
    },
};

fn a_year() -> LockupArgs {
    lockup(LockupKind::Cliff, YEAR)
}

/// A harmless instruction for the DAO: replace the oracle set with the
/// first two oracles.
fn shrink_oracle_set(dao: &Dao) -> Instruction {
    let members = dao.net.oracles[..2].iter().map(Signer::pubkey).collect();
    proof_oracle::set_oracle_set(dao_authority(), members, 2)
}

fn current_epoch(dao: &Dao) -> u64 {
    ((dao.now() - GENESIS) / DAY) as u64
}

/// A one-leaf batch for `epoch` (finality does not look at wallets).
fn batch(epoch: u64) -> BatchFile {
    wallet_batch(epoch, &[(Pubkey::new_from_array([7; 32]), 0)])
}
