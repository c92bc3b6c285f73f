//! What the staff app keeps on the device to work with no signal: the caseload cache with the
//! sessions in it (refreshed from the server by [`fetch`]), and its records in the outbox both
//! apps share.

pub mod cache;
pub mod fetch;
pub mod journey;
pub mod outbox;
pub mod sessions;

pub use cache::{Caseload, LocalScore, use_caseload};
pub use sessions::{LocalEdit, SessionView};
