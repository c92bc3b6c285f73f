//! sea-orm entities: the database's rows. They never leave the backend; routes map them to
//! `domain` types.

pub mod login_attempt;
pub mod organisation;
pub mod refresh_token;
pub mod setting;
pub mod staff;
pub mod team;
