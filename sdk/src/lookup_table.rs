//! The network's address lookup table: every address the suite's
//! transactions name that never changes (programs, configs, mints, pools,
//! event authorities). A version-0 transaction names each through the
//! table in one byte instead of 32, which is what lets a claim carry a
//! proof for a million wallets, and several claims or registrations share
//! one transaction.
//!
//! The table is created once per deployment (`depin network
//! create-lookup-table`, or [`create`] + [`extend`] + [`freeze`]), frozen so
//! nobody can ever change it, and named to clients by its address. A client
//! checks a table it is given against [`network_addresses`] before it
//! signs anything through it ([`check`]).

use {
    crate::{pda, token, Instruction, Pubkey},
    solana_address_lookup_table_interface::{instruction, state::AddressLookupTable},
    solana_message::AddressLookupTableAccount,
};

pub use solana_address_lookup_table_interface::program::ID as PROGRAM_ID;

/// Most addresses one extend instruction carries and still fits a legacy
/// transaction with its signatures.
pub const ADDRESSES_PER_EXTEND: usize = 20;

/// Every constant address of the network, in the table's order.
pub fn network_addresses() -> Vec<Pubkey> {
    use crate::programs::{device_registry, governance, proof_oracle, rewards};
    vec![
        device_registry::ID,
        proof_oracle::ID,
        rewards::ID,
        governance::ID,
        solana_sdk_ids::system_program::ID,
        token::SPL_TOKEN_PROGRAM_ID,
        token::TOKEN_2022_PROGRAM_ID,
        token::ASSOCIATED_TOKEN_PROGRAM_ID,
        solana_sdk_ids::sysvar::instructions::ID,
        pda::event_authority(&device_registry::ID),
        pda::event_authority(&proof_oracle::ID),
        pda::event_authority(&rewards::ID),
        pda::event_authority(&governance::ID),
        pda::registry_config().0,
        pda::oracle_config().0,
        pda::price_feed().0,
        pda::rewards_config().0,
        pda::token_mint().0,
        pda::dc_mint().0,
        pda::device_pool().0,
        pda::oracle_pool().0,
        pda::treasury().0,
        pda::governance_config().0,
        pda::dao_authority().0,
        pda::governance_vault().0,
    ]
}

/// Creates an empty table owned by `authority`; returns the instruction and
/// the table's address. `recent_slot` must be a slot the cluster still
/// remembers (the current one, say).
pub fn create(authority: Pubkey, payer: Pubkey, recent_slot: u64) -> (Instruction, Pubkey) {
    instruction::create_lookup_table(authority, payer, recent_slot)
}

/// Appends `addresses` (at most [`ADDRESSES_PER_EXTEND`]); `payer` tops up
/// the table's rent.
pub fn extend(
    table: Pubkey,
    authority: Pubkey,
    payer: Pubkey,
    addresses: Vec<Pubkey>,
) -> Instruction {
    instruction::extend_lookup_table(table, authority, Some(payer), addresses)
}

/// Makes the table immutable for good: nobody can extend, deactivate or
/// close it afterwards.
pub fn freeze(table: Pubkey, authority: Pubkey) -> Instruction {
    instruction::freeze_lookup_table(table, authority)
}

/// Why a table cannot be used as the network's.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LookupTableError {
    #[error("account {0} is not an address lookup table")]
    NotATable(Pubkey),
    #[error("lookup table {table} does not hold the network's addresses (position {position} is {found}, expected {expected})")]
    WrongAddresses {
        table: Pubkey,
        position: usize,
        found: String,
        expected: Pubkey,
    },
    #[error("lookup table {0} is not frozen: its authority could still change what it holds")]
    NotFrozen(Pubkey),
    #[error("lookup table {0} is deactivated")]
    Deactivated(Pubkey),
}

/// Checks the contents of the account at `table` (owned by the lookup
/// table program) are the frozen network table, and returns it in the form
/// a v0 message compiles against.
pub fn check(
    table: Pubkey,
    owner: &Pubkey,
    data: &[u8],
) -> Result<AddressLookupTableAccount, LookupTableError> {
    if *owner != PROGRAM_ID {
        return Err(LookupTableError::NotATable(table));
    }
    let parsed =
        AddressLookupTable::deserialize(data).map_err(|_| LookupTableError::NotATable(table))?;
    if parsed.meta.deactivation_slot != u64::MAX {
        return Err(LookupTableError::Deactivated(table));
    }
    if parsed.meta.authority.is_some() {
        return Err(LookupTableError::NotFrozen(table));
    }
    for (position, expected) in network_addresses().into_iter().enumerate() {
        let found = parsed.addresses.get(position);
        if found != Some(&expected) {
            return Err(LookupTableError::WrongAddresses {
                table,
                position,
                found: found.map_or("missing".into(), ToString::to_string),
                expected,
            });
        }
    }
    Ok(AddressLookupTableAccount {
        key: table,
        addresses: parsed.addresses.to_vec(),
    })
}
