//! Program-derived addresses of every account the suite owns.

use {
    anchor_lang::prelude::Pubkey,
    device_registry::seeds::{SEED_CONFIG, SEED_DEVICE, SEED_MAKER},
    std::sync::OnceLock,
};

/// Anchor's event authority seed (`#[event_cpi]`).
pub const SEED_EVENT_AUTHORITY: &[u8] = b"__event_authority";

/// An address with constant seeds, derived once per process: a bump search
/// costs up to hundreds of SHA-256 rounds, and every claim and
/// registration names several of these.
macro_rules! constant_pda {
    ($(#[$doc:meta])* $name:ident, $program:expr, $seed:expr) => {
        $(#[$doc])*
        pub fn $name() -> (Pubkey, u8) {
            static DERIVED: OnceLock<(Pubkey, u8)> = OnceLock::new();
            *DERIVED.get_or_init(|| Pubkey::find_program_address(&[$seed], &$program))
        }
    };
}

/// The suite's programs, whose event authority and program data are
/// derived once each.
const PROGRAMS: [Pubkey; 4] = [
    device_registry::ID,
    proof_oracle::ID,
    rewards::ID,
    governance::ID,
];

fn per_program(
    program_id: &Pubkey,
    derived: &'static [OnceLock<Pubkey>; 4],
    derive: fn(&Pubkey) -> Pubkey,
) -> Pubkey {
    match PROGRAMS.iter().position(|known| known == program_id) {
        Some(index) => *derived[index].get_or_init(|| derive(program_id)),
        None => derive(program_id),
    }
}

constant_pda!(registry_config, device_registry::ID, SEED_CONFIG);

pub fn maker(maker_key: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[SEED_MAKER, maker_key.as_ref()], &device_registry::ID)
}

pub fn device(device_key: &Pubkey) -> (Pubkey, u8) {
    thread_local! {
        static DERIVED: Memo<Pubkey, (Pubkey, u8)> = Memo::default();
    }
    DERIVED.with(|memo| {
        memo.get_or_derive(*device_key, || {
            Pubkey::find_program_address(&[SEED_DEVICE, device_key.as_ref()], &device_registry::ID)
        })
    })
}

/// Addresses derived lately, kept per thread (at most [`Memo::KEPT`]): one
/// registration or claim names the same device, wallet record or token
/// account several times (builder, checks, the read after), and a bump
/// search costs up to hundreds of SHA-256 rounds.
pub(crate) struct Memo<K, V> {
    derived: std::cell::RefCell<std::collections::HashMap<K, V>>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self {
            derived: Default::default(),
        }
    }
}

impl<K: std::hash::Hash + Eq, V: Copy> Memo<K, V> {
    const KEPT: usize = 4_096;

    pub(crate) fn get_or_derive(&self, key: K, derive: impl FnOnce() -> V) -> V {
        if let Some(known) = self.derived.borrow().get(&key) {
            return *known;
        }
        let value = derive();
        let mut derived = self.derived.borrow_mut();
        if derived.len() >= Self::KEPT {
            derived.clear();
        }
        derived.insert(key, value);
        value
    }
}

pub fn event_authority(program_id: &Pubkey) -> Pubkey {
    static DERIVED: [OnceLock<Pubkey>; 4] = [const { OnceLock::new() }; 4];
    per_program(program_id, &DERIVED, |program_id| {
        Pubkey::find_program_address(&[SEED_EVENT_AUTHORITY], program_id).0
    })
}

/// `ProgramData` of an upgradeable program.
pub fn program_data(program_id: &Pubkey) -> Pubkey {
    static DERIVED: [OnceLock<Pubkey>; 4] = [const { OnceLock::new() }; 4];
    per_program(program_id, &DERIVED, |program_id| {
        Pubkey::find_program_address(
            &[program_id.as_ref()],
            &solana_sdk_ids::bpf_loader_upgradeable::ID,
        )
        .0
    })
}

/// What a recipient wallet has been paid for device rewards.
pub fn recipient_record(recipient: &Pubkey) -> (Pubkey, u8) {
    thread_local! {
        static DERIVED: Memo<Pubkey, (Pubkey, u8)> = Memo::default();
    }
    DERIVED.with(|memo| {
        memo.get_or_derive(*recipient, || {
            Pubkey::find_program_address(
                &[rewards::seeds::SEED_RECIPIENT, recipient.as_ref()],
                &rewards::ID,
            )
        })
    })
}

constant_pda!(
    oracle_config,
    proof_oracle::ID,
    proof_oracle::seeds::SEED_CONFIG
);

pub fn epoch_batch(epoch: u64) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[proof_oracle::seeds::SEED_BATCH, &epoch.to_le_bytes()],
        &proof_oracle::ID,
    )
}

constant_pda!(
    price_feed,
    proof_oracle::ID,
    proof_oracle::seeds::SEED_PRICE_FEED
);

fn rewards_pda(seeds: &[&[u8]]) -> (Pubkey, u8) {
    Pubkey::find_program_address(seeds, &rewards::ID)
}

constant_pda!(
    /// The rewards config: also both mints' authority, the pools' owner and the
    /// registry's `rewards_authority`.
    rewards_config,
    rewards::ID,
    rewards::seeds::SEED_CONFIG
);

constant_pda!(token_mint, rewards::ID, rewards::seeds::SEED_TOKEN_MINT);

constant_pda!(dc_mint, rewards::ID, rewards::seeds::SEED_DC_MINT);

constant_pda!(device_pool, rewards::ID, rewards::seeds::SEED_DEVICE_POOL);

constant_pda!(oracle_pool, rewards::ID, rewards::seeds::SEED_ORACLE_POOL);

constant_pda!(
    /// The treasury token account created at initialization.
    treasury,
    rewards::ID,
    rewards::seeds::SEED_TREASURY
);

pub fn epoch_rewards(epoch: u64) -> (Pubkey, u8) {
    rewards_pda(&[rewards::seeds::SEED_EPOCH_REWARDS, &epoch.to_le_bytes()])
}

fn governance_pda(seeds: &[&[u8]]) -> (Pubkey, u8) {
    Pubkey::find_program_address(seeds, &governance::ID)
}

constant_pda!(
    /// The governance config; also the owner of the vault of locked tokens.
    governance_config,
    governance::ID,
    governance::seeds::SEED_CONFIG
);

constant_pda!(
    /// The DAO authority: signs executed proposals and owns the network's
    /// configuration and treasury.
    dao_authority,
    governance::ID,
    governance::seeds::SEED_DAO_AUTHORITY
);

constant_pda!(
    governance_vault,
    governance::ID,
    governance::seeds::SEED_VAULT
);

pub fn voter(owner: &Pubkey) -> (Pubkey, u8) {
    governance_pda(&[governance::seeds::SEED_VOTER, owner.as_ref()])
}

pub fn proposal(id: u64) -> (Pubkey, u8) {
    governance_pda(&[governance::seeds::SEED_PROPOSAL, &id.to_le_bytes()])
}

pub fn vote_record(proposal: &Pubkey, owner: &Pubkey) -> (Pubkey, u8) {
    governance_pda(&[
        governance::seeds::SEED_VOTE_RECORD,
        proposal.as_ref(),
        owner.as_ref(),
    ])
}

#[cfg(test)]
mod memo_tests {
    use super::*;

    /// Remembered addresses are the derived ones, before and after the
    /// memo fills up and starts over.
    #[test]
    fn remembered_addresses_are_the_derived_ones() {
        let keys: Vec<Pubkey> = (0..Memo::<Pubkey, (Pubkey, u8)>::KEPT + 10)
            .map(|_| Pubkey::new_unique())
            .collect();
        for _ in 0..2 {
            for key in keys.iter().step_by(97).chain(keys.last()) {
                assert_eq!(
                    device(key),
                    Pubkey::find_program_address(
                        &[SEED_DEVICE, key.as_ref()],
                        &device_registry::ID
                    )
                );
            }
            for key in &keys {
                device(key);
            }
        }
        let owner = Pubkey::new_unique();
        assert_eq!(
            crate::token::associated_token_address(
                &owner,
                &token_mint().0,
                &crate::token::SPL_TOKEN_PROGRAM_ID
            ),
            anchor_spl::associated_token::get_associated_token_address_with_program_id(
                &owner,
                &token_mint().0,
                &crate::token::SPL_TOKEN_PROGRAM_ID
            )
        );
    }
}
