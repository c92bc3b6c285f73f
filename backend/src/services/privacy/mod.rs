//! Subject access, erasure and retention (DESIGN.md §8). Erasure blanks a person's row rather
//! than deleting it, so anonymous answers stay in figures (and in published reports' ids)
//! unless the person asked for them to be removed too.

mod access;
mod erasure;
mod retention;

pub use access::subject_access;
pub use erasure::erase;
pub use retention::run_retention;

/// The fingerprint an erased record is left with: nothing a resend can match.
pub use crate::repo::erasure::ERASED;
