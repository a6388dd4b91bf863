//! Events emitted through Anchor's `emit_cpi!`: each is an inner
//! instruction of the emitting program whose data is the event tag, the
//! event's discriminator, and its Borsh encoding.

use anchor_lang::{
    event::EVENT_IX_TAG_LE, prelude::Pubkey, AnchorDeserialize, Discriminator, Event,
};
pub use device_registry::events::*;

/// One inner instruction: the program it called and its data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InnerInstruction {
    pub program_id: Pubkey,
    pub data: Vec<u8>,
}

/// Decodes `data` as event `E` when it is an event of that type.
pub fn decode_event<E: Event + Discriminator + AnchorDeserialize>(data: &[u8]) -> Option<E> {
    let rest = data.strip_prefix(EVENT_IX_TAG_LE)?;
    let mut payload = rest.strip_prefix(E::DISCRIMINATOR)?;
    E::deserialize(&mut payload).ok()
}

/// All events of type `E` that `program_id` emitted.
pub fn events_of<E: Event + Discriminator + AnchorDeserialize>(
    inner: &[InnerInstruction],
    program_id: &Pubkey,
) -> Vec<E> {
    inner
        .iter()
        .filter(|instruction| instruction.program_id == *program_id)
        .filter_map(|instruction| decode_event::<E>(&instruction.data))
        .collect()
}
