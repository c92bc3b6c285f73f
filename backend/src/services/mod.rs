//! What the product does, one folder per capability, below the routes and above the queries:
//! each service takes typed inputs (domain values, the caller's identity) and returns typed
//! outputs; the routes only parse, call and answer.

pub mod audit;
pub mod capture;
pub mod feedback;
pub mod mail;
pub mod oversight;
pub mod privacy;
pub mod reports;
pub mod throttle;
pub mod transfer;
pub mod voice;
