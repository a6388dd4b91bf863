//! The wallet: keypair files (with BIP39 seed phrases), balances, token
//! transfers, SOL from a faucet, and the embedded runtime's clock.

use {
    super::{parse_pubkey, parse_tokens, sol, tokens, with_client, TokenAmount},
    crate::context::Context,
    anyhow::{bail, Context as _, Result},
    clap::Args,
    depin_sdk::{Keypair, Pubkey, Signer},
    serde_json::json,
    std::{
        io::Write,
        path::{Path, PathBuf},
    },
};

#[derive(Args)]
#[command(
    after_help = "Seed phrases: --word-count makes a BIP39 (English) phrase from fresh \
    entropy and prints it once on stderr; nothing stores it. --recover reads one from stdin \
    (one line; prompted without echo on a terminal). The key is derived as `solana-keygen \
    new`/`recover` derive it: the BIP39 seed (PBKDF2-HMAC-SHA512, 2,048 rounds, salt \
    \"mnemonic\" + passphrase; no passphrase unless --bip39-passphrase), whose first 32 bytes \
    are the ed25519 secret key (no derivation path). The same phrase gives the same address in \
    `solana-keygen recover`."
)]
pub struct KeygenArgs {
    /// Where to write it (default: the wallet path, -k or the config's).
    #[arg(short, long)]
    outfile: Option<PathBuf>,
    /// Overwrite an existing file (its old key is lost unless saved elsewhere).
    #[arg(long)]
    force: bool,
    /// Derive the key from a new BIP39 seed phrase of this many words, printed once on stderr.
    #[arg(long, value_parser = ["12", "15", "18", "21", "24"], conflicts_with = "recover")]
    word_count: Option<String>,
    /// Restore the key from a BIP39 seed phrase read from stdin (like `solana-keygen recover`).
    #[arg(long)]
    recover: bool,
    /// Also read a BIP39 passphrase (the next line of stdin; default: none).
    #[arg(long)]
    bip39_passphrase: bool,
}

/// Reads one line from stdin; on a terminal, prompts on stderr and
/// does not echo what is typed.
fn read_secret_line(prompt: &str) -> Result<String> {
    use std::io::{BufRead, IsTerminal};
    let terminal = std::io::stdin().is_terminal();
    if terminal {
        eprint!("{prompt}: ");
        std::io::stderr().flush().ok();
    }
    let _echo = terminal.then(EchoOff::new);
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read stdin")?;
    if terminal {
        eprintln!();
    }
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

/// Terminal echo off while alive (unix; elsewhere nothing).
struct EchoOff {
    #[cfg(unix)]
    saved: Option<libc::termios>,
}

impl EchoOff {
    fn new() -> Self {
        #[cfg(unix)]
        {
            // SAFETY: termios calls on stdin with a zeroed struct they fill.
            unsafe {
                let mut settings: libc::termios = std::mem::zeroed();
                if libc::tcgetattr(libc::STDIN_FILENO, &mut settings) != 0 {
                    return Self { saved: None };
                }
                let saved = settings;
                settings.c_lflag &= !libc::ECHO;
                libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &settings);
                Self { saved: Some(saved) }
            }
        }
        #[cfg(not(unix))]
        Self {}
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(saved) = &self.saved {
            // SAFETY: restores the settings read in `new`.
            unsafe {
                libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, saved);
            }
        }
    }
}

/// The keypair a BIP39 phrase stands for, as solana-keygen derives it: the
/// BIP39 seed of the phrase and passphrase, its first 32 bytes the ed25519
/// secret key.
fn keypair_from_mnemonic(mnemonic: &bip39::Mnemonic, passphrase: &str) -> Keypair {
    let seed = mnemonic.to_seed(passphrase);
    let mut secret = [0u8; 32];
    secret.copy_from_slice(&seed[..32]);
    Keypair::new_from_array(secret)
}

fn passphrase(args: &KeygenArgs) -> Result<String> {
    if args.bip39_passphrase {
        read_secret_line("BIP39 passphrase")
    } else {
        Ok(String::new())
    }
}

/// Writes `keypair` as a Solana keypair file (a JSON array of 64 bytes),
/// readable by its owner only (mode 0600, set when the file is created).
/// An existing file is refused unless `force`; then a new file replaces it
/// whole (renamed over it), so the old one's mode carries nothing over.
fn write_keypair_file(path: &Path, keypair: &Keypair, force: bool) -> Result<()> {
    let exists = || {
        anyhow::anyhow!(
            "{} already exists; pass --force to overwrite it (the old key is lost)",
            path.display()
        )
    };
    if path.exists() && !force {
        return Err(exists());
    }
    if let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let text = serde_json::to_string(&keypair.to_bytes().to_vec())?;
    let create = |target: &Path| -> std::io::Result<std::fs::File> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(target)
    };
    let write = |target: &Path| -> Result<()> {
        let mut file = create(target).map_err(|error| {
            if error.kind() == std::io::ErrorKind::AlreadyExists && target == path {
                exists()
            } else {
                anyhow::anyhow!("cannot write {}: {error}", target.display())
            }
        })?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .with_context(|| format!("cannot write {}", target.display()))
    };
    if !force {
        return write(path);
    }
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(format!(".{}.tmp", std::process::id()));
    let temporary = path.with_file_name(name);
    let _ = std::fs::remove_file(&temporary);
    write(&temporary)?;
    std::fs::rename(&temporary, path).map_err(|error| {
        let _ = std::fs::remove_file(&temporary);
        anyhow::anyhow!("cannot write {}: {error}", path.display())
    })
}

pub fn keygen(context: &Context, args: KeygenArgs) -> Result<()> {
    let path = args
        .outfile
        .clone()
        .unwrap_or_else(|| context.keypair_path());
    if path.exists() && !args.force {
        bail!(
            "{} already exists; pass --force to overwrite it (the old key is lost)",
            path.display()
        );
    }
    let mut phrase = None;
    let keypair = if args.recover {
        let typed = read_secret_line("seed phrase")?;
        let words = typed.split_whitespace().collect::<Vec<_>>().join(" ");
        if words.is_empty() {
            bail!("no seed phrase on stdin: give the words on one line");
        }
        let mnemonic = bip39::Mnemonic::parse_normalized(&words.to_lowercase())
            .map_err(|error| anyhow::anyhow!("not a BIP39 (English) seed phrase: {error}"))?;
        keypair_from_mnemonic(&mnemonic, &passphrase(&args)?)
    } else if let Some(count) = &args.word_count {
        let words: usize = count.parse().expect("clap checked the word count");
        let mut entropy = vec![0u8; words / 3 * 4];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut entropy);
        let mnemonic = bip39::Mnemonic::from_entropy(&entropy).expect("12 to 24 words of entropy");
        let keypair = keypair_from_mnemonic(&mnemonic, &passphrase(&args)?);
        phrase = Some(mnemonic);
        keypair
    } else {
        Keypair::new()
    };
    write_keypair_file(&path, &keypair, args.force)?;
    if let Some(phrase) = phrase {
        // Once, on stderr: never in the output a script keeps.
        eprintln!(
            "Save this seed phrase to recover the key (`depin keygen --recover`, or \
             `solana-keygen recover`); it is shown once and stored nowhere:\n\n{phrase}\n"
        );
    }
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
    /// Whose (address or keypair file; default: the wallet).
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
pub struct TransferArgs {
    /// Who receives them (address or keypair file).
    #[arg(value_parser = parse_pubkey)]
    recipient: Pubkey,
    /// How many network tokens (e.g. 12 or 0.5).
    #[arg(value_parser = parse_tokens)]
    tokens: TokenAmount,
}

/// `depin transfer`: network tokens from the wallet to another owner.
pub fn transfer(context: &Context, args: TransferArgs) -> Result<()> {
    with_client(context, |client| {
        let amount = args.tokens.base_units()?;
        if amount == 0 {
            bail!("token amount: must be above zero");
        }
        let recipient = args.recipient;
        if recipient == client.address() {
            bail!("{recipient} is this wallet: a transfer to itself does nothing");
        }
        let held = client.balances(&client.address())?.tokens;
        if held < amount {
            bail!(
                "insufficient funds: this wallet holds {} tokens, {} asked for",
                tokens(held),
                tokens(amount)
            );
        }
        let account = depin_sdk::rewards::token_account(&recipient);
        let new_account = !depin_client::BackendExt::exists(client.backend(), &account)?;
        context.confirm(&format!(
            "Send {} tokens to {recipient}{}? A transfer cannot be undone",
            tokens(amount),
            if new_account {
                " (creating its token account; this wallet pays the rent)"
            } else {
                ""
            }
        ))?;
        let outcome = client.transfer_tokens(&recipient, amount)?;
        context.print(
            format!(
                "sent {} tokens to {recipient}\nsignature {outcome}",
                tokens(amount)
            ),
            json!({
                "recipient": recipient.to_string(),
                "amount": amount,
                "createdAccount": new_account,
                "signature": outcome.to_string(),
            }),
        );
        Ok(())
    })
}

#[derive(Args)]
pub struct AirdropArgs {
    /// SOL to ask for (e.g. 10 or 0.5).
    amount: String,
    /// Recipient (address or keypair file; default: the wallet).
    #[arg(long, value_parser = parse_pubkey)]
    to: Option<Pubkey>,
}

pub fn airdrop(context: &Context, args: AirdropArgs) -> Result<()> {
    let lamports = depin_sdk::amount::parse_amount(&args.amount, 9).map_err(|reason| {
        if reason.ends_with("is too large") {
            anyhow::anyhow!(
                "SOL amount: {} SOL is more than any account can hold (at most {} SOL: \
                 lamports are a 64-bit number)",
                args.amount.trim(),
                sol(u64::MAX)
            )
        } else {
            anyhow::anyhow!("SOL amount: {reason}")
        }
    })?;
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
