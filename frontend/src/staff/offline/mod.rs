//! What the staff app keeps on the device to work with no signal: the caseload cache, and its
//! records in the outbox both apps share.

pub mod cache;
pub mod outbox;
