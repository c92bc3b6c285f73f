//! The organisation's settings (admins change them, managers read them), one form per group, each with its own Save: the time
//! zone, the figures' thresholds, the SWEMWBS licence, email, survey help, keeping records and
//! who reads the answers, and the outcome settings. A refusal is shown beside the field the
//! server names.

use domain::feedback::{MailSettings, SurveyHelp};
use domain::privacy::PrivacySettings;
use domain::records::{OrganisationSettings, TimeZoneSetting};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

use super::outcomes::OutcomeSettingsForm;
use super::{Place, saved_note, show_refusal};
use crate::api::ApiError;
use crate::components::PageHeading;
use crate::i18n::{StaffMessages, use_i18n};
use crate::load::load;
use crate::staff::api;
use crate::staff::auth::{Auth, use_auth};
use crate::staff::components::checked::{Input, Problem, ProblemSummary, TextArea};
use crate::staff::components::form::Checkbox;
use crate::staff::text::{number, trs, trs_owned};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let auth = use_auth();
    let problem = Problem::new();
    let admin = auth.is_admin();
    let data = load(move || async move {
        let settings = api::settings(auth).await;
        let mail = api::mail_settings(auth).await;
        let outcomes = api::outcome_settings(auth).await;
        let texts = api::survey_texts(auth).await;
        (settings, mail, outcomes, texts)
    });
    view! {
        <ProblemSummary problem />
        <PageHeading text=trs_owned(|t| t.staff_settings_title) />
        {move || match data.get() {
            None => view! { <p role="status">{trs(|t| t.staff_loading)}</p> }.into_any(),
            Some((Ok(settings), Ok(mail), Ok(outcomes), Ok(texts))) => {
                let settings_privacy = PrivacySettings {
                    retention_days: settings.retention_days,
                    readers: Some(settings.readers.clone()),
                };
                let forms = view! {
                    <TimeZone settings=settings.clone() problem />
                    <Thresholds settings=settings.clone() problem />
                    <Licence settings problem />
                    <Mail mail problem />
                    <Help help=texts.help problem />
                    <Privacy settings=settings_privacy problem />
                    <OutcomeSettingsForm settings=outcomes problem />
                };
                if admin {
                    forms.into_any()
                } else {
                    // Managers read the settings; every control is disabled, and the legend says why.
                    view! {
                        <fieldset class="fieldset read-only" disabled>
                            <legend class="legend" id="read-only">{trs(|t| t.staff_admin_read_only)}</legend>
                            {forms}
                        </fieldset>
                    }.into_any()
                }
            }
            Some(_) => view! {
                <p class="error-message" role="alert">{trs(|t| t.staff_admin_load_failed)}</p>
            }.into_any(),
        }}
    }
}

/// Saves one group: `PUT /api/settings/{path}` with `body`; says so under the form and hands
/// the server's answer to `then`, or shows the refusal beside its field.
fn save<T: serde::de::DeserializeOwned + 'static>(
    (auth, t): (Auth, &'static StaffMessages),
    path: &'static str,
    body: serde_json::Value,
    (problem, saved): (Problem, RwSignal<Option<String>>),
    places: Vec<Place>,
    then: impl FnOnce(T) + 'static,
) {
    problem.clear();
    saved.set(None);
    spawn_local(async move {
        let result: Result<T, ApiError> = api::put_setting(auth, path, &body).await;
        match result {
            Ok(answer) => {
                then(answer);
                saved.set(Some(t.staff_settings_saved.to_owned()));
            }
            Err(e) => {
                let first = places.first().map_or("time-zone", |p| p.1);
                show_refusal(problem, t, &e, &places, first);
            }
        }
    });
}

#[component]
fn TimeZone(settings: OrganisationSettings, problem: Problem) -> impl IntoView {
    let (i18n, auth) = (use_i18n(), use_auth());
    let zone = RwSignal::new(settings.time_zone);
    let saved = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        let body = TimeZoneSetting {
            time_zone: zone.get_untracked().trim().to_owned(),
        };
        let body = json!(body);
        save::<OrganisationSettings>(
            (auth, t),
            "time-zone",
            body,
            (problem, saved),
            vec![("time_zone", "time-zone", t.staff_settings_zone_invalid)],
            drop,
        );
    };
    view! {
        <section class="admin-section" aria-labelledby="zone-title">
            <h2 id="zone-title">{trs(|t| t.staff_settings_zone_title)}</h2>
            <form class="staff-form" on:submit=submit novalidate>
                <Input id="time-zone" label=trs(|t| t.staff_settings_zone) hint=trs(|t| t.staff_settings_zone_hint) value=zone problem />
                <button type="submit" class="button" id="save-zone">{trs(|t| t.staff_settings_save)}</button>
            </form>
            {saved_note(saved, "zone-saved")}
        </section>
    }
}

#[component]
fn Thresholds(settings: OrganisationSettings, problem: Problem) -> impl IntoView {
    let (i18n, auth) = (use_i18n(), use_auth());
    let small = RwSignal::new(settings.small_number.to_string());
    let change = RwSignal::new(number(settings.change_threshold));
    let saved = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        // The ranges are the server's to check (it names the field); here only that each is a number.
        let Ok(small_number) = small.get_untracked().trim().parse::<u64>() else {
            return problem.set(t.staff_settings_small_invalid, "small-number");
        };
        let Ok(change_threshold) = change.get_untracked().trim().parse::<f64>() else {
            return problem.set(t.staff_settings_change_invalid, "change-threshold");
        };
        let body = json!({ "small_number": small_number, "change_threshold": change_threshold });
        let places = vec![
            (
                "small_number",
                "small-number",
                t.staff_settings_small_invalid,
            ),
            (
                "change_threshold",
                "change-threshold",
                t.staff_settings_change_invalid,
            ),
        ];
        save::<OrganisationSettings>(
            (auth, t),
            "thresholds",
            body,
            (problem, saved),
            places,
            drop,
        );
    };
    view! {
        <section class="admin-section" aria-labelledby="thresholds-title">
            <h2 id="thresholds-title">{trs(|t| t.staff_settings_thresholds_title)}</h2>
            <form class="staff-form" on:submit=submit novalidate>
                <Input id="small-number" label=trs(|t| t.staff_settings_small) hint=trs(|t| t.staff_settings_small_hint) value=small problem decimal=true />
                <Input id="change-threshold" label=trs(|t| t.staff_settings_change) hint=trs(|t| t.staff_settings_change_hint) value=change problem decimal=true />
                <button type="submit" class="button" id="save-thresholds">{trs(|t| t.staff_settings_save)}</button>
            </form>
            {saved_note(saved, "thresholds-saved")}
        </section>
    }
}

#[component]
fn Licence(settings: OrganisationSettings, problem: Problem) -> impl IntoView {
    let (i18n, auth) = (use_i18n(), use_auth());
    let held = RwSignal::new(settings.swemwbs_licence_held);
    let reference = RwSignal::new(settings.swemwbs_licence_reference.unwrap_or_default());
    let saved = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        let text = reference.get_untracked().trim().to_owned();
        let body = json!({ "held": held.get_untracked(), "reference": (!text.is_empty()).then_some(text) });
        let places = vec![(
            "reference",
            "licence-reference",
            t.staff_settings_licence_reference_invalid,
        )];
        save::<OrganisationSettings>(
            (auth, t),
            "swemwbs-licence",
            body,
            (problem, saved),
            places,
            drop,
        );
    };
    view! {
        <section class="admin-section" aria-labelledby="licence-title">
            <h2 id="licence-title">{trs(|t| t.staff_settings_licence_title)}</h2>
            <p class="hint">{trs(|t| t.staff_settings_licence_lead)}</p>
            <form class="staff-form" on:submit=submit novalidate>
                <Checkbox id="licence-held" label=trs(|t| t.staff_settings_licence_held) checked=held />
                <Input id="licence-reference" label=trs(|t| t.staff_settings_licence_reference) hint=trs(|t| t.staff_settings_licence_reference_hint) value=reference problem />
                <button type="submit" class="button" id="save-licence">{trs(|t| t.staff_settings_save)}</button>
            </form>
            {saved_note(saved, "licence-saved")}
        </section>
    }
}

#[component]
fn Mail(mail: MailSettings, problem: Problem) -> impl IntoView {
    let (i18n, auth) = (use_i18n(), use_auth());
    let reminder = RwSignal::new(mail.reminder_after_days.to_string());
    let results = RwSignal::new(mail.results_link_days.to_string());
    let saved = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        let Ok(reminder_after_days) = reminder.get_untracked().trim().parse::<u16>() else {
            return problem.set(t.staff_settings_reminder_invalid, "reminder-days");
        };
        let Ok(results_link_days) = results.get_untracked().trim().parse::<u16>() else {
            return problem.set(t.staff_settings_results_invalid, "results-link-days");
        };
        let body = json!(MailSettings {
            reminder_after_days,
            results_link_days
        });
        let places = vec![
            (
                "reminder_after_days",
                "reminder-days",
                t.staff_settings_reminder_invalid,
            ),
            (
                "results_link_days",
                "results-link-days",
                t.staff_settings_results_invalid,
            ),
        ];
        save::<MailSettings>((auth, t), "mail", body, (problem, saved), places, drop);
    };
    view! {
        <section class="admin-section" aria-labelledby="mail-title">
            <h2 id="mail-title">{trs(|t| t.staff_settings_mail_title)}</h2>
            <form class="staff-form" on:submit=submit novalidate>
                <Input id="reminder-days" label=trs(|t| t.staff_settings_reminder) hint=trs(|t| t.staff_settings_reminder_hint) value=reminder problem decimal=true />
                <Input id="results-link-days" label=trs(|t| t.staff_settings_results) hint=trs(|t| t.staff_settings_results_hint) value=results problem decimal=true />
                <button type="submit" class="button" id="save-mail">{trs(|t| t.staff_settings_save)}</button>
            </form>
            {saved_note(saved, "mail-saved")}
        </section>
    }
}

/// Where to get help after a survey: the organisation's words (English, and Welsh if given)
/// and a phone number; all blank puts back "talk to your employment specialist".
#[component]
fn Help(help: SurveyHelp, problem: Problem) -> impl IntoView {
    let (i18n, auth) = (use_i18n(), use_auth());
    let english = RwSignal::new(
        help.text
            .as_ref()
            .map(|t| t.en.as_str().to_owned())
            .unwrap_or_default(),
    );
    let welsh = RwSignal::new(
        help.text
            .as_ref()
            .and_then(|t| t.cy.as_ref())
            .map(|cy| cy.as_str().to_owned())
            .unwrap_or_default(),
    );
    let phone = RwSignal::new(
        help.phone
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
    );
    let saved = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        let (en, cy) = (
            english.get_untracked().trim().to_owned(),
            welsh.get_untracked().trim().to_owned(),
        );
        if en.is_empty() && !cy.is_empty() {
            return problem.set(t.staff_settings_help_english_missing, "help-en");
        }
        let text =
            (!en.is_empty()).then(|| json!({ "en": en, "cy": (!cy.is_empty()).then_some(cy) }));
        let number = phone.get_untracked().trim().to_owned();
        let body = json!({ "text": text, "phone": (!number.is_empty()).then_some(number) });
        let places = vec![
            ("text.en", "help-en", t.staff_settings_help_text_invalid),
            ("text.cy", "help-cy", t.staff_settings_help_text_invalid),
            ("text", "help-en", t.staff_settings_help_text_invalid),
            ("phone", "help-phone", t.staff_settings_help_phone_invalid),
        ];
        save::<SurveyHelp>((auth, t), "help", body, (problem, saved), places, drop);
    };
    view! {
        <section class="admin-section" aria-labelledby="help-title">
            <h2 id="help-title">{trs(|t| t.staff_settings_help_title)}</h2>
            <p class="hint">{trs(|t| t.staff_settings_help_lead)}</p>
            <form class="staff-form" on:submit=submit novalidate>
                <TextArea id="help-en" label=trs(|t| t.staff_settings_help_en) value=english problem />
                <TextArea id="help-cy" label=trs(|t| t.staff_settings_help_cy) value=welsh problem />
                <Input id="help-phone" label=trs(|t| t.staff_settings_help_phone) hint=trs(|t| t.staff_settings_help_phone_hint) value=phone problem kind="tel" />
                <button type="submit" class="button" id="save-help">{trs(|t| t.staff_settings_save)}</button>
            </form>
            {saved_note(saved, "help-saved")}
        </section>
    }
}

/// Keeping records and who reads the answers. `PUT /api/settings/privacy` sets both at once (one
/// left out goes back to its default), so each form sends its own field with the other's value
/// as last saved, and takes both back from the server's answer.
#[component]
fn Privacy(settings: PrivacySettings, problem: Problem) -> impl IntoView {
    let stored = RwSignal::new(settings);
    view! {
        <Retention stored problem />
        <Readers stored problem />
    }
}

#[component]
fn Retention(stored: RwSignal<PrivacySettings>, problem: Problem) -> impl IntoView {
    let (i18n, auth) = (use_i18n(), use_auth());
    let days = RwSignal::new(
        stored
            .with_untracked(|p| p.retention_days)
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let saved = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        let typed = days.get_untracked().trim().to_owned();
        // Empty keeps records until erased; the range is the server's to check.
        let retention_days = if typed.is_empty() {
            None
        } else {
            let Ok(d) = typed.parse::<u32>() else {
                return problem.set(t.staff_settings_retention_invalid, "retention-days");
            };
            Some(d)
        };
        let body = json!(PrivacySettings {
            retention_days,
            readers: stored.with_untracked(|p| p.readers.clone()),
        });
        let places = vec![(
            "retention_days",
            "retention-days",
            t.staff_settings_retention_invalid,
        )];
        save::<PrivacySettings>(
            (auth, t),
            "privacy",
            body,
            (problem, saved),
            places,
            move |now| stored.set(now),
        );
    };
    view! {
        <section class="admin-section" aria-labelledby="retention-title">
            <h2 id="retention-title">{trs(|t| t.staff_settings_retention_title)}</h2>
            <p class="hint">{trs(|t| t.staff_settings_retention_lead)}</p>
            <form class="staff-form" on:submit=submit novalidate>
                <Input id="retention-days" label=trs(|t| t.staff_settings_retention) hint=trs(|t| t.staff_settings_retention_hint) value=days problem decimal=true />
                <button type="submit" class="button" id="save-retention">{trs(|t| t.staff_settings_save)}</button>
            </form>
            {saved_note(saved, "retention-saved")}
        </section>
    }
}

/// The text in one language of the notice, or empty.
fn notice_in(p: &PrivacySettings, language: &str) -> String {
    p.readers
        .as_ref()
        .and_then(|r| r.get(language))
        .cloned()
        .unwrap_or_default()
}

/// The "who reads your answers" notice in English and Welsh; both empty puts back the standard
/// text, which the boxes then show.
#[component]
fn Readers(stored: RwSignal<PrivacySettings>, problem: Problem) -> impl IntoView {
    let (i18n, auth) = (use_i18n(), use_auth());
    let english = RwSignal::new(stored.with_untracked(|p| notice_in(p, "en")));
    let welsh = RwSignal::new(stored.with_untracked(|p| notice_in(p, "cy")));
    let saved = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        let (en, cy) = (
            english.get_untracked().trim().to_owned(),
            welsh.get_untracked().trim().to_owned(),
        );
        if en.is_empty() && !cy.is_empty() {
            return problem.set(t.staff_settings_readers_english_missing, "readers-en");
        }
        let readers = (!en.is_empty()).then(|| {
            [("en", en), ("cy", cy)]
                .into_iter()
                .filter(|(_, text)| !text.is_empty())
                .map(|(language, text)| (language.to_owned(), text))
                .collect()
        });
        let body = json!(PrivacySettings {
            retention_days: stored.with_untracked(|p| p.retention_days),
            readers,
        });
        let places = vec![
            ("readers.en", "readers-en", t.staff_settings_readers_invalid),
            ("readers.cy", "readers-cy", t.staff_settings_readers_invalid),
        ];
        let shown = move |now: PrivacySettings| {
            english.set(notice_in(&now, "en"));
            welsh.set(notice_in(&now, "cy"));
            stored.set(now);
        };
        save::<PrivacySettings>((auth, t), "privacy", body, (problem, saved), places, shown);
    };
    view! {
        <section class="admin-section" aria-labelledby="readers-title">
            <h2 id="readers-title">{trs(|t| t.staff_settings_readers_title)}</h2>
            <p class="hint">{trs(|t| t.staff_settings_readers_lead)}</p>
            <form class="staff-form" on:submit=submit novalidate>
                <TextArea id="readers-en" label=trs(|t| t.staff_settings_readers_en) hint=trs(|t| t.staff_settings_readers_en_hint) value=english problem />
                <TextArea id="readers-cy" label=trs(|t| t.staff_settings_readers_cy) hint=trs(|t| t.staff_settings_readers_cy_hint) value=welsh problem />
                <button type="submit" class="button" id="save-readers">{trs(|t| t.staff_settings_save)}</button>
            </form>
            {saved_note(saved, "readers-saved")}
        </section>
    }
}
