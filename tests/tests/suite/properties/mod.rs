//! Randomized runs against models, one file per program.

mod governance;
mod oracle;
mod registry;
mod rewards;
