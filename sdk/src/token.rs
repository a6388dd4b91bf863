//! SPL Token helpers: mints, associated token accounts, balances.

use {
    anchor_lang::{
        prelude::Pubkey,
        solana_program::{instruction::Instruction, system_instruction},
    },
    anchor_spl::{
        associated_token::{
            get_associated_token_address_with_program_id,
            spl_associated_token_account::instruction::create_associated_token_account_idempotent,
        },
        token::spl_token,
    },
};

/// The SPL Token program.
pub const SPL_TOKEN_PROGRAM_ID: Pubkey = spl_token::ID;
/// The Token-2022 program.
pub const TOKEN_2022_PROGRAM_ID: Pubkey = anchor_spl::token_2022::ID;
/// The associated-token-account program.
pub const ASSOCIATED_TOKEN_PROGRAM_ID: Pubkey = anchor_spl::associated_token::ID;

/// Bytes of an SPL mint without extensions.
pub const MINT_LEN: usize = 82;
/// Bytes of an SPL token account without extensions.
pub const TOKEN_ACCOUNT_LEN: usize = 165;

/// Instructions that create and initialize a mint at `mint` (which signs).
pub fn create_mint(
    payer: &Pubkey,
    mint: &Pubkey,
    mint_authority: &Pubkey,
    decimals: u8,
    rent_lamports: u64,
) -> Vec<Instruction> {
    vec![
        system_instruction::create_account(
            payer,
            mint,
            rent_lamports,
            MINT_LEN as u64,
            &spl_token::ID,
        ),
        spl_token::instruction::initialize_mint2(
            &spl_token::ID,
            mint,
            mint_authority,
            None,
            decimals,
        )
        .expect("valid initialize_mint2 arguments"),
    ]
}

pub fn associated_token_address(owner: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Pubkey {
    thread_local! {
        static DERIVED: crate::pda::Memo<(Pubkey, Pubkey, Pubkey), Pubkey> = Default::default();
    }
    DERIVED.with(|memo| {
        memo.get_or_derive((*owner, *mint, *token_program), || {
            get_associated_token_address_with_program_id(owner, mint, token_program)
        })
    })
}

/// Creates `owner`'s associated token account unless it exists.
pub fn create_associated_token_account(
    payer: &Pubkey,
    owner: &Pubkey,
    mint: &Pubkey,
    token_program: &Pubkey,
) -> Instruction {
    create_associated_token_account_idempotent(payer, owner, mint, token_program)
}

pub fn mint_to(
    mint: &Pubkey,
    destination: &Pubkey,
    authority: &Pubkey,
    amount: u64,
) -> Instruction {
    spl_token::instruction::mint_to(&spl_token::ID, mint, destination, authority, &[], amount)
        .expect("valid mint_to arguments")
}

pub fn transfer(source: &Pubkey, destination: &Pubkey, owner: &Pubkey, amount: u64) -> Instruction {
    spl_token::instruction::transfer(&spl_token::ID, source, destination, owner, &[], amount)
        .expect("valid transfer arguments")
}

/// A transfer that also names the mint and its decimals, so the token
/// program refuses it if either is not what the sender thinks (what
/// wallets send).
pub fn transfer_checked(
    source: &Pubkey,
    mint: &Pubkey,
    destination: &Pubkey,
    owner: &Pubkey,
    amount: u64,
    decimals: u8,
) -> Instruction {
    spl_token::instruction::transfer_checked(
        &spl_token::ID,
        source,
        mint,
        destination,
        owner,
        &[],
        amount,
        decimals,
    )
    .expect("valid transfer_checked arguments")
}

/// Burns `amount` from `account` through `token_program` (SPL Token or
/// Token-2022: both encode `Burn` alike): a holder burning outside the
/// programs, as any wallet's burn button does.
pub fn burn(
    token_program: &Pubkey,
    account: &Pubkey,
    mint: &Pubkey,
    owner: &Pubkey,
    amount: u64,
) -> Instruction {
    let mut instruction =
        spl_token::instruction::burn(&spl_token::ID, account, mint, owner, &[], amount)
            .expect("valid burn arguments");
    instruction.program_id = *token_program;
    instruction
}

/// The balance of a token account (SPL Token or Token-2022: both share the
/// base layout: mint, owner, then the amount at byte 64).
pub fn token_account_amount(data: &[u8]) -> Option<u64> {
    let bytes = data.get(64..72)?;
    (data.len() >= TOKEN_ACCOUNT_LEN)
        .then(|| u64::from_le_bytes(bytes.try_into().expect("8 bytes")))
}

/// The supply of a mint (bytes 36..44 of the base layout).
pub fn mint_supply(data: &[u8]) -> Option<u64> {
    let bytes = data.get(36..44)?;
    (data.len() >= MINT_LEN).then(|| u64::from_le_bytes(bytes.try_into().expect("8 bytes")))
}

/// Decimals of an SPL Token or Token-2022 mint account.
pub fn mint_decimals(data: &[u8]) -> Option<u8> {
    (data.len() >= MINT_LEN).then(|| data[44])
}

/// Hands a token account to a new owner (e.g. the treasury to the DAO).
pub fn set_account_owner(
    account: &Pubkey,
    current_owner: &Pubkey,
    new_owner: &Pubkey,
) -> Instruction {
    spl_token::instruction::set_authority(
        &spl_token::ID,
        account,
        Some(new_owner),
        spl_token::instruction::AuthorityType::AccountOwner,
        current_owner,
        &[],
    )
    .expect("valid set_authority arguments")
}

/// The owner of a token account (bytes 32..64 of the base layout).
pub fn token_account_owner(data: &[u8]) -> Option<Pubkey> {
    let bytes: [u8; 32] = data.get(32..64)?.try_into().ok()?;
    (data.len() >= TOKEN_ACCOUNT_LEN).then(|| Pubkey::new_from_array(bytes))
}
