//! Integration tests of the suite on the embedded runtime (one binary, so the
//! runtime is linked once).

mod batch;
mod boundaries;
mod governance;
mod governance_attacks;
mod governance_properties;
mod oracle;
mod oracle_properties;
mod registry_admin;
mod registry_devices;
mod registry_properties;
mod rewards;
mod rewards_attacks;
mod rewards_properties;
mod runtime;
mod security;
