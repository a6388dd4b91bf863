//! Serialized sizes of transactions before they are signed, to split or
//! refuse what a cluster would drop (`MAX_TRANSACTION_SIZE`).

use {
    crate::{SdkError, Transaction, MAX_TRANSACTION_SIZE},
    anchor_lang::{prelude::Pubkey, solana_program::instruction::Instruction},
    solana_hash::Hash,
    solana_message::{v0, AddressLookupTableAccount, Message, VersionedMessage},
    solana_transaction::versioned::VersionedTransaction,
};

/// Bytes of a compact-u16 ("short vec") length prefix.
fn short_vec_len(mut value: usize) -> usize {
    let mut bytes = 1;
    while value >= 0x80 {
        value >>= 7;
        bytes += 1;
    }
    bytes
}

fn signed_size(signatures: usize, message_bytes: usize) -> usize {
    short_vec_len(signatures) + signatures * 64 + message_bytes
}

/// Serialized size of a signed transaction (signatures + message).
pub fn transaction_size(transaction: &Transaction) -> usize {
    signed_size(
        transaction.signatures.len(),
        transaction.message_data().len(),
    )
}

/// Refuses a transaction a cluster would drop for its size.
pub fn check_size(transaction: &Transaction) -> Result<(), SdkError> {
    within_limit(transaction_size(transaction))
}

fn within_limit(size: usize) -> Result<(), SdkError> {
    if size > MAX_TRANSACTION_SIZE {
        return Err(SdkError::TransactionTooLarge {
            size,
            limit: MAX_TRANSACTION_SIZE,
        });
    }
    Ok(())
}

/// Most instructions one packed transaction carries besides compute-budget
/// ones: a transaction may record at most 64 instructions with their CPIs
/// (an associated-token-account creation is 5, a claim 4) and spend at most
/// 1,400,000 compute units, so bytes alone are not the limit once a lookup
/// table makes instructions small.
pub const MAX_PACKED_INSTRUCTIONS: usize = 8;

/// Serialized size of a signed transaction of any version.
pub fn versioned_size(transaction: &VersionedTransaction) -> usize {
    signed_size(
        transaction.signatures.len(),
        transaction.message.serialize().len(),
    )
}

/// Refuses a transaction of any version a cluster would drop for its size.
pub fn check_versioned_size(transaction: &VersionedTransaction) -> Result<(), SdkError> {
    within_limit(versioned_size(transaction))
}

/// Bytes of a legacy transaction carrying `instructions`, paid by `payer`.
pub fn legacy_size(payer: &Pubkey, instructions: &[Instruction]) -> usize {
    let message = Message::new(instructions, Some(payer));
    signed_size(
        usize::from(message.header.num_required_signatures),
        message.serialize().len(),
    )
}

/// Bytes of a version-0 transaction that loads accounts from the given
/// address lookup tables.
pub fn v0_size(
    payer: &Pubkey,
    instructions: &[Instruction],
    lookup_tables: &[AddressLookupTableAccount],
) -> Result<usize, String> {
    let message = v0::Message::try_compile(payer, instructions, lookup_tables, Hash::default())
        .map_err(|error| error.to_string())?;
    let signatures = usize::from(message.header.num_required_signatures);
    Ok(signed_size(
        signatures,
        VersionedMessage::V0(message).serialize().len(),
    ))
}

pub use solana_message::AddressLookupTableAccount as LookupTable;
