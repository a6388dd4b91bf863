//! `depin oracle serve --config oracle.toml`: runs an oracle node (the
//! ingest API, the epoch close and the vote; `depin_oracle::node`) until
//! interrupted.

use {
    super::localnet::{block_signals, wait_for_signal},
    crate::context::{expand_tilde, read_keypair},
    anyhow::{Context as _, Result},
    depin_client::rpc::{resolve_moniker, RpcBackend, RpcOptions},
    depin_oracle::{
        config::NodeConfig,
        node::{start, NodeSettings},
        store::{PostgresStore, ReportStore, SqliteStore},
    },
    depin_sdk::Signer,
    std::{path::Path, sync::Arc},
};

pub fn run(config_path: &Path) -> Result<()> {
    let config_path = &expand_tilde(config_path);
    let config = NodeConfig::load(config_path)?;
    let keypair = read_keypair(&config.keypair)
        .with_context(|| format!("{}: keypair", config_path.display()))?;
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create {}", config.data_dir.display()))?;
    let store: Arc<dyn ReportStore> = if config.database == "sqlite" {
        Arc::new(SqliteStore::open(&config.data_dir.join("reports.db"))?)
    } else {
        Arc::new(PostgresStore::connect(&config.database)?)
    };
    block_signals();
    let url = resolve_moniker(&config.cluster);
    let oracle = keypair.pubkey();
    let node = start(
        NodeSettings::from_config(&config),
        keypair,
        Arc::new(move || Ok(Box::new(RpcBackend::new(&url, RpcOptions::default())) as _)),
        store,
        None,
    )
    .with_context(|| format!("the oracle node of {}", config_path.display()))?;
    crate::stdout::print_line(&format!("depin oracle serve: oracle {oracle}"));
    crate::stdout::print_line(&format!("API: http://{}", node.address));
    crate::stdout::print_line(&format!("votes name: {}", node.public_url));
    crate::stdout::print_line(&format!("data: {}", config.data_dir.display()));
    wait_for_signal()?;
    node.stop();
    crate::stdout::print_line("depin oracle serve: stopped");
    Ok(())
}
