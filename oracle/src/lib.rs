//! The oracle node: device reports in, verified and stored (`ingest`,
//! `store`), served over HTTP (`server`); an epoch closed into a batch
//! that carries its evidence, and anyone's recomputation of such a batch
//! (`proof_data`); who leads a close and whether a follower votes
//! (`consensus`); the node that runs it all (`node`, from `config`); the
//! proof API's answers (`claims`) and a client of it (`proof_api`).

pub mod claims;
pub mod config;
pub mod consensus;
pub mod ingest;
pub mod load;
pub mod node;
pub mod proof_api;
pub mod proof_data;
pub mod server;
pub mod simulate;
pub mod store;
