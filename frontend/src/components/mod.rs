//! Small building blocks shared by pages.

mod language_switch;
mod service_status;

pub use language_switch::LanguageSwitch;
pub use service_status::ServiceStatus;
