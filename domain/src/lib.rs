//! The rules both sides of Soundings share: API request and response types, values that can
//! only hold what is valid, and (later) scoring. No I/O here, so it runs in the browser too.

pub mod attribution;
pub mod auth;
pub mod commissioning;
pub mod completion;
pub mod coverage;
pub mod dates;
pub mod error;
pub mod feedback;
pub mod fixed;
pub mod instrument;
pub mod journey;
pub mod kpi;
pub mod org;
pub mod outcomes;
pub mod period;
pub mod privacy;
#[cfg(test)]
mod properties;
pub mod records;
pub mod report;
pub mod spreadsheet;
pub mod swemwbs;
pub mod translation;
pub mod values;
pub mod voice;

pub use error::{ErrorBody, ErrorCode, RowError};
pub use fixed::Hundredths;
pub use values::{Email, Name, ParseError, Password, PhoneNumber, Rating, Role};
