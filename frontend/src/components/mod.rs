//! Small building blocks shared by pages.

mod display_settings;
mod format_choice;
mod icons;
mod install_hint;
mod language_switch;
mod outbox_status;
mod page;
mod service_status;

pub use display_settings::DisplaySettings;
pub use format_choice::FormatChoice;
pub use icons::SpeakerIcon;
pub use install_hint::InstallHint;
pub use language_switch::LanguageSwitch;
pub use outbox_status::OutboxStatus;
pub use page::{ErrorSummary, PageHeading, focus_new_page};
pub use service_status::ServiceStatus;
