//! The oracle node: device reports in, verified and stored (`ingest`,
//! `store`), served over HTTP (`server`); an epoch closed into a batch
//! that carries its evidence, and anyone's recomputation of such a batch
//! (`proof_data`). Leader election, the vote and the node process build on
//! these.

pub mod consensus;
pub mod ingest;
pub mod proof_data;
pub mod server;
pub mod store;
