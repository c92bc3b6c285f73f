//! Small building blocks shared by pages.

mod display_settings;
mod format_choice;
mod language_switch;
mod outbox_status;
mod page;
mod service_status;

pub use display_settings::DisplaySettings;
pub use format_choice::FormatChoice;
pub use language_switch::LanguageSwitch;
pub use outbox_status::OutboxStatus;
pub use page::{ErrorSummary, PageHeading};
pub use service_status::ServiceStatus;
