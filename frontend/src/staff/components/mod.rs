//! Pieces of the staff app's pages that more than one page (or the app shell) uses.

pub mod chart;
pub mod form;
pub mod nav;
pub mod not_found;
pub mod voice;
