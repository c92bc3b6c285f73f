//! The SEQF audit spreadsheet: episodes (with their referrals and jobs) and responses as CSV,
//! participants by reference (never by name; comments stay out; equality answers only when
//! asked for). Import takes the same files into an organisation: every row is checked first,
//! and one bad row means nothing is written. Column meanings: docs/formats.md.

mod assemble;
mod check;
mod episodes;
mod export;
mod format;
mod import;
mod journey;
mod names;
mod responses;
mod upload;

pub use episodes::import_episodes;
pub use export::{EpisodeExport, export_episodes, export_responses};
pub use format::{EPISODE_COLUMNS, RESPONSE_COLUMNS};
pub use import::ImportReport;
pub use responses::import_responses;
pub use upload::{IMPORT_LIMIT, read_file};
