//! sea-orm entities: the database's rows. They never leave the backend; routes map them to
//! `domain` types.

pub mod attention_handled;
pub mod audit_entry;
pub mod consent;
pub mod episode;
pub mod feedback_action;
pub mod instrument;
pub mod invitation;
pub mod login_attempt;
pub mod mail_message;
pub mod mail_optout;
pub mod mail_setting;
pub mod organisation;
pub mod organisation_setting;
pub mod participant;
pub mod published_report;
pub mod refresh_token;
pub mod response;
pub mod results_link;
pub mod session_edit;
pub mod setting;
pub mod staff;
pub mod support_session;
pub mod team;
pub mod voice_comment;
pub mod wellbeing_prompt_done;
