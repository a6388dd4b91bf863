//! Integration tests of the suite on the embedded runtime (one binary, so the
//! runtime is linked once): one folder per program with one file per
//! instruction, `security` for attacks that span programs, `properties` for
//! randomized runs against models.

mod batch;
mod bootstrap;
mod device_registry;
mod governance;
mod proof_oracle;
mod properties;
mod rewards;
mod runtime;
mod security;
