//! The wallet and the embedded runtime's clock.

use {
    super::{parse_pubkey, sol, tokens, with_client},
    crate::context::Context,
    anyhow::{bail, Context as _, Result},
    clap::Args,
    depin_sdk::{Keypair, Pubkey, Signer},
    serde_json::json,
    std::{io::Write, path::PathBuf},
};

#[derive(Args)]
pub struct KeygenArgs {
    /// Where to write it (default: the wallet path, -k or the config's).
    #[arg(short, long)]
    outfile: Option<PathBuf>,
    /// Overwrite an existing file.
    #[arg(long)]
    force: bool,
}

pub fn keygen(context: &Context, args: KeygenArgs) -> Result<()> {
    let path = args.outfile.unwrap_or_else(|| context.keypair_path());
    if path.exists() && !args.force {
        bail!(
            "{} already exists; pass --force to overwrite it (the old key is lost)",
            path.display()
        );
    }
    if let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let keypair = Keypair::new();
    let bytes: Vec<u8> = keypair.to_bytes().to_vec();
    let mut file =
        std::fs::File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(serde_json::to_string(&bytes)?.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    context.print(
        format!("wrote {} (address {})", path.display(), keypair.pubkey()),
        json!({"path": path, "address": keypair.pubkey().to_string()}),
    );
    Ok(())
}

pub fn address(context: &Context) -> Result<()> {
    let wallet = context.wallet()?;
    context.print(
        wallet.pubkey(),
        json!({"address": wallet.pubkey().to_string()}),
    );
    Ok(())
}

#[derive(Args)]
pub struct BalanceArgs {
    /// Whose (default: the wallet).
    #[arg(value_parser = parse_pubkey)]
    owner: Option<Pubkey>,
}

pub fn balance(context: &Context, args: BalanceArgs) -> Result<()> {
    with_client(context, |client| {
        let owner = args.owner.unwrap_or(client.address());
        let balances = client.balances(&owner)?;
        context.print(
            format!(
                "{owner}\n  SOL           {}\n  tokens        {}\n  data credits  {}",
                sol(balances.lamports),
                tokens(balances.tokens),
                balances.credits
            ),
            json!({
                "owner": owner.to_string(),
                "lamports": balances.lamports,
                "tokens": balances.tokens,
                "dataCredits": balances.credits,
            }),
        );
        Ok(())
    })
}

#[derive(Args)]
pub struct AirdropArgs {
    /// SOL to ask for.
    amount: String,
    /// Recipient (default: the wallet).
    #[arg(long, value_parser = parse_pubkey)]
    to: Option<Pubkey>,
}

pub fn airdrop(context: &Context, args: AirdropArgs) -> Result<()> {
    let lamports = depin_sdk::amount::parse_amount(&args.amount, 9)
        .map_err(|reason| anyhow::anyhow!("SOL amount: {reason}"))?;
    if lamports == 0 {
        bail!("SOL amount: must be above zero");
    }
    with_client(context, |client| {
        let to = args.to.unwrap_or(client.address());
        client.airdrop(&to, lamports)?;
        context.print(
            format!("airdropped {} SOL to {to}", sol(lamports)),
            json!({"to": to.to_string(), "lamports": lamports}),
        );
        Ok(())
    })
}

#[derive(Args)]
pub struct WarpArgs {
    /// How far: `90s`, `2h`, `1d`, `1day 2h`.
    duration: String,
}

pub fn warp(context: &Context, args: WarpArgs) -> Result<()> {
    let duration = humantime::parse_duration(&args.duration).map_err(|error| {
        anyhow::anyhow!(
            "'{}' is not a duration ({error}); try 90s, 2h or 1d",
            args.duration
        )
    })?;
    let seconds = i64::try_from(duration.as_secs()).context("duration too long")?;
    with_client(context, |client| {
        let clock = client.warp(seconds)?;
        context.print(
            format!(
                "clock moved {}; now {} (unix time {}, slot {})",
                args.duration,
                super::when(clock.unix_timestamp, clock.unix_timestamp),
                clock.unix_timestamp,
                clock.slot
            ),
            json!({"unixTimestamp": clock.unix_timestamp, "slot": clock.slot}),
        );
        Ok(())
    })
}
