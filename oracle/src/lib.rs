//! The oracle node: device reports in, verified and stored (`ingest`,
//! `store`), served over HTTP (`server`). Epoch close, the checks of other
//! oracles' batches and voting build on these.

pub mod ingest;
pub mod server;
pub mod store;
