//! The adversarial review's defects that span programs, each tried as an
//! attack and refused: pauses of every scope, the guardian's bounds, a
//! challenge-window change, forged event CPIs.

mod challenge_window;
mod event_cpi;
mod guardian;
mod pauses;

use {
    depin_sdk::{batch::BatchFile, rewards, Keypair, Signer},
    depin_tests::{
        network::{Member, Network, TOKEN},
        TxResult,
    },
};

fn rewards_pause(signer: &Keypair, network: &mut Network, scopes: u8) -> TxResult {
    network.send(&[rewards::pause(signer.pubkey(), scopes)], signer, &[])
}

/// A network with an issued epoch 1, a member with credits and a device,
/// and a final batch of epoch 1 past its challenge window that owes the
/// member's wallet 10 tokens for the device.
fn running() -> (Network, Member, Keypair, BatchFile) {
    let mut network = Network::new();
    network.launch();
    let (member, device) = network.member_with_device(100 * TOKEN, 50 * TOKEN);
    network.after_epoch(1, 1);
    network.issue(1).unwrap();
    let batch = network.batch(1, None, &[(device.pubkey(), 10 * TOKEN)]);
    network.finalize(&batch, 2);
    network.after_epoch(1, 2 * 3_600);
    (network, member, device, batch)
}
