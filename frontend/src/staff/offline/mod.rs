//! What the staff app keeps on the device to work with no signal.

pub mod cache;
