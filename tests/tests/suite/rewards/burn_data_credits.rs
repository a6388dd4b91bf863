//! Data credits leave a wallet only by `burn_data_credits`: no transfer route
//! moves them.

use {
    anchor_spl::token_interface::spl_token_2022,
    depin_sdk::{pda, token, Signer},
    depin_tests::network::{Network, PRICE, TOKEN},
};

#[test]
fn data_credits_cannot_move_by_any_route() {
    let mut network = Network::new();
    network.launch();
    let holder = network.member();
    let friend = network.member();
    network.fund_tokens(&holder.pubkey(), 10 * TOKEN);
    network.submit_price(PRICE);
    network.buy_dc(&holder, TOKEN).unwrap();
    let before = network.dc_balance(&holder.pubkey());
    let owner = holder.keypair.insecure_clone();
    let token_2022 = token::TOKEN_2022_PROGRAM_ID;
    let dc_mint = pda::dc_mint().0;
    #[allow(deprecated)]
    let plain = spl_token_2022::instruction::transfer(
        &token_2022,
        &holder.dc_account(),
        &friend.dc_account(),
        &holder.pubkey(),
        &[],
        10,
    )
    .unwrap();
    let checked = spl_token_2022::instruction::transfer_checked(
        &token_2022,
        &holder.dc_account(),
        &dc_mint,
        &friend.dc_account(),
        &holder.pubkey(),
        &[],
        10,
        0,
    )
    .unwrap();
    for transfer in [plain, checked] {
        assert!(network.send(&[transfer], &owner, &[]).is_err());
    }
    // Approve a delegate, then let it transfer.
    let delegate = friend.keypair.insecure_clone();
    let approve = spl_token_2022::instruction::approve(
        &token_2022,
        &holder.dc_account(),
        &delegate.pubkey(),
        &holder.pubkey(),
        &[],
        10,
    )
    .unwrap();
    let _ = network.send(&[approve], &owner, &[]);
    let by_delegate = spl_token_2022::instruction::transfer_checked(
        &token_2022,
        &holder.dc_account(),
        &dc_mint,
        &friend.dc_account(),
        &delegate.pubkey(),
        &[],
        10,
        0,
    )
    .unwrap();
    assert!(network.send(&[by_delegate], &delegate, &[]).is_err());
    assert_eq!(network.dc_balance(&holder.pubkey()), before);
    assert_eq!(network.dc_balance(&friend.pubkey()), 0);
}
