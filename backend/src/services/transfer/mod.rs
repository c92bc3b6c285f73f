//! The SEQF audit spreadsheet: episodes and responses as CSV, one row per record, participants
//! by reference (never by name; comments stay out). Import takes the same files into an
//! organisation: every row is checked first, and one bad row means nothing is written.
//! Column meanings: docs/formats.md.

mod check;
mod episodes;
mod export;
mod format;
mod import;
mod names;
mod responses;

pub use episodes::import_episodes;
pub use export::{export_episodes, export_responses};
pub use format::{EPISODE_COLUMNS, RESPONSE_COLUMNS};
pub use import::ImportReport;
pub use responses::import_responses;
