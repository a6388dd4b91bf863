//! `depin localnet`: the embedded state served as a Solana JSON-RPC and
//! WebSocket node until interrupted.

use {
    crate::context::{expand_tilde, Context},
    anyhow::{Context as _, Result},
    clap::Args,
    depin_localnet::{Localnet, LocalnetConfig},
    std::time::Duration,
};

#[derive(Args, Debug)]
pub struct LocalnetArgs {
    /// JSON-RPC port (0: any free port).
    #[arg(long, default_value_t = 8899)]
    pub rpc_port: u16,
    /// WebSocket port (0: any free port).
    #[arg(long, default_value_t = 8900)]
    pub ws_port: u16,
    /// Milliseconds per slot (a validator's are 400).
    #[arg(long, default_value_t = 400, value_parser = clap::value_parser!(u64).range(10..=60_000))]
    pub slot_ms: u64,
    /// Address to listen on: loopback unless you mean to share the node.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Seconds between two saves of the state file (it is saved on exit too).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub save_every: u64,
}

pub fn run(context: &Context, args: LocalnetArgs) -> Result<()> {
    if !context.is_embedded() {
        anyhow::bail!("depin localnet serves the embedded state; it takes no -u/--url");
    }
    block_signals();
    let state = expand_tilde(&context.args.state);
    // A fresh state makes the wallet the programs' upgrade authority; an
    // existing one needs no key.
    let wallet = match context.wallet() {
        Ok(wallet) => wallet,
        Err(_) if state.exists() => depin_sdk::Keypair::new(),
        Err(error) => {
            return Err(error.context(format!(
                "{} does not exist yet: its upgrade authority is the wallet (-k)",
                state.display()
            )))
        }
    };
    let cluster = context.embedded_cluster(&wallet)?;
    let config = LocalnetConfig {
        bind: args.bind,
        rpc_port: args.rpc_port,
        ws_port: args.ws_port,
        slot_ms: args.slot_ms,
        save_every: Duration::from_secs(args.save_every),
    };
    let node = Localnet::start(cluster, config).context("depin localnet")?;
    crate::stdout::print_line(&format!("depin localnet: {}", state.display()));
    crate::stdout::print_line(&format!("JSON-RPC URL: {}", node.rpc_url));
    crate::stdout::print_line(&format!("WebSocket URL: {}", node.ws_url));
    crate::stdout::print_line(&format!(
        "use it: depin -u {}   (Ctrl-C stops and saves)",
        node.rpc_url
    ));
    wait_for_signal()?;
    node.shutdown()
        .map_err(|error| anyhow::anyhow!("saving {} failed: {error}", state.display()))?;
    crate::stdout::print_line(&format!(
        "depin localnet: stopped; {} saved",
        state.display()
    ));
    Ok(())
}

/// Blocks until one of the stop signals arrives. They were blocked before
/// the node's threads started (`block_signals`), so they wait for sigwait.
#[cfg(unix)]
pub fn wait_for_signal() -> Result<()> {
    let set = crate::stdout::stop_signals();
    let mut signal = 0;
    // SAFETY: sigwait on a set this function owns.
    if unsafe { libc::sigwait(&set, &mut signal) } != 0 {
        anyhow::bail!("waiting for a signal failed");
    }
    Ok(())
}

/// Blocks the stop signals in this thread and every thread it starts from
/// now on, so [`wait_for_signal`] receives them.
#[cfg(unix)]
pub fn block_signals() {
    let set = crate::stdout::stop_signals();
    // SAFETY: the signal mask of this thread, from a set this function owns.
    unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) };
}

#[cfg(not(unix))]
pub fn wait_for_signal() -> Result<()> {
    loop {
        std::thread::park();
    }
}

#[cfg(not(unix))]
pub fn block_signals() {}
