//! Screens outside a survey: the start page (short code, surveys left half-way), results,
//! unsubscribing, and the friendly page for a link that cannot be opened.

mod problem;
mod results;
mod start;
mod unsubscribed;

pub use problem::{Problem, ProblemPage, Retry};
pub use results::{ResultsPage, service_sentence};
pub use start::{CodeEntry, CodeError, StartPage};
pub use unsubscribed::UnsubscribedPage;
