//! Screens outside a survey: the start page (short code, surveys left half-way) and the
//! friendly page for a link that cannot be opened.

mod problem;
mod start;

pub use problem::{Problem, ProblemPage};
pub use start::StartPage;
