//! Pieces of the staff app's pages that more than one page uses.

pub mod chart;
