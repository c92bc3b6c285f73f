//! Inviting a client or employer to answer on their own phone: the server makes the invitation
//! (so this needs a signal), and the app shows its short code and a QR code of its link, or the
//! server emails the link to them.

use domain::instrument::InstrumentKey;
use std::fmt::Write as _;

use domain::kpi::Timing;
use domain::records::{Invitation, NewInvitation, Participant, ParticipantKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::ApiError;
use crate::i18n::{StaffMessages, fill, long_date, use_i18n};
use crate::staff::text::trs;

use crate::staff::api;
use crate::staff::auth::use_auth;
use crate::staff::components::form::{radios, timing_choice};
use crate::staff::offline::use_caseload;

/// Modules of white around the code, as the QR specification asks.
const QUIET_ZONE: usize = 4;

/// The QR code of `text` as an SVG path of dark modules (one unit each) and the side of the
/// whole square, quiet zone included; `None` if the text is too long for a QR code.
pub fn qr_path(text: &str) -> Option<(String, usize)> {
    let code =
        qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let width = code.width();
    let mut path = String::new();
    for (i, colour) in code.to_colors().iter().enumerate() {
        if *colour == qrcode::Color::Dark {
            let (x, y) = (i % width + QUIET_ZONE, i / width + QUIET_ZONE);
            let _ = write!(path, "M{x} {y}h1v1h-1z");
        }
    }
    Some((path, width + 2 * QUIET_ZONE))
}

/// What was made: the invitation, and whether the server is emailing it.
#[derive(Debug, Clone, PartialEq)]
struct Made {
    invitation: Invitation,
    emailed_to: Option<String>,
}

#[component]
pub fn InviteBox(person: Participant) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let caseload = use_caseload();
    let made = RwSignal::new(None::<Made>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let participant = person.id;
    let jobseeker = person.kind == ParticipantKind::Jobseeker;
    let satisfaction = person.kind.audience().satisfaction_instrument().as_str();
    let which = RwSignal::new(satisfaction.to_owned());
    let episode = caseload.with(|c| c.current_episode_of(participant));
    let has_start = caseload.with(|c| c.has_start_score(episode));
    let timing = RwSignal::new(if has_start { "end" } else { "start" }.to_owned());
    let email = person.email.clone();
    let address = StoredValue::new(person.email.clone());

    let invite = move |send_email: bool| {
        if busy.get_untracked() {
            return;
        }
        let instrument = which.get_untracked();
        let swemwbs = instrument == InstrumentKey::Swemwbs.as_str();
        let body = NewInvitation {
            id: Uuid::new_v4(),
            participant_id: participant,
            episode_id: episode,
            instrument,
            timing: swemwbs
                .then(|| Timing::parse(&timing.get_untracked()).unwrap_or(Timing::Start)),
            expires_in_days: None,
            send_email,
        };
        let emailed_to = address.get_value().filter(|_| send_email);
        busy.set(true);
        spawn_local(async move {
            match api::invite(auth, &body).await {
                Ok(invitation) => {
                    problem.set(None);
                    made.set(Some(Made {
                        invitation,
                        emailed_to,
                    }));
                }
                Err(error) => problem.set(Some(refusal(i18n.s(), error))),
            }
            busy.set(false);
        });
    };

    let t = i18n.s();
    let surveys = [
        (satisfaction, t.staff_handover_satisfaction),
        (InstrumentKey::Swemwbs.as_str(), t.staff_handover_swemwbs),
    ];
    view! {
        <section class="invite-box" aria-labelledby="invite-title">
            <h2 id="invite-title">{trs(|t| t.staff_invite_title)}</h2>
            <p>{trs(|t| t.staff_invite_lead)}</p>
            {jobseeker.then(|| view! {
                {radios(trs(|t| t.staff_invite_which), "invite-which", &surveys, which)}
                <Show when=move || which.get() == InstrumentKey::Swemwbs.as_str()>
                    {timing_choice("invite-timing", timing)}
                </Show>
            })}
            <div class="button-group">
                {invite_button("invite", busy, trs(|t| t.staff_invite_button), move || invite(false))}
                {email.map(|address| {
                    let label = fill(t.staff_invite_email_button, &[("email", &address)]);
                    invite_button("invite-email", busy, label, move || invite(true))
                })}
            </div>
            {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
            {move || made.get().map(|made| view! { <Made made /> })}
        </section>
    }
}

/// One way of inviting, off while an invitation is being made.
fn invite_button(
    id: &'static str,
    busy: RwSignal<bool>,
    label: impl IntoView + 'static,
    invite: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="button button-secondary"
            id=id
            prop:disabled=move || busy.get()
            on:click=move |_| invite()
        >
            {label}
        </button>
    }
}

/// Why no invitation was made, in words (the server's own reason when it gave one).
fn refusal(t: &'static StaffMessages, error: ApiError) -> String {
    match error {
        ApiError::Unreachable(_) => t.staff_invite_offline.to_owned(),
        ApiError::Refused { body, .. } => {
            log::info!("invitation refused: {}", body.message);
            fill(t.staff_invite_refused_because, &[("reason", &body.message)])
        }
        error => {
            log::warn!("invitation refused: {error}");
            t.staff_invite_refused.to_owned()
        }
    }
}

/// The invitation made: the short code to type, the QR code to scan, until when it is open.
#[component]
fn Made(made: Made) -> impl IntoView {
    let i18n = use_i18n();
    let Made {
        invitation,
        emailed_to,
    } = made;
    let code = invitation.short_code.clone();
    let split = code.len().min(4);
    let spaced = format!("{} {}", &code[..split], &code[split..]);
    let origin = window().location().origin().unwrap_or_default();
    let link = format!("{origin}/#t={}", invitation.token);
    let until = invitation.expires_at.date_naive();
    let qr = qr_path(&link).map(|(path, side)| {
        view! {
            <svg
                class="qr-code"
                id="invite-qr"
                viewBox=format!("0 0 {side} {side}")
                role="img"
                aria-label=move || i18n.s().staff_invite_qr
                shape-rendering="crispEdges"
            >
                <rect width=side height=side fill="#fff" />
                <path d=path fill="#000" />
            </svg>
        }
    });
    view! {
        <div class="panel-code" role="status">
            {emailed_to.map(|address| view! {
                <p id="invite-emailed">{move || fill(i18n.s().staff_invite_emailed, &[("email", &address)])}</p>
            })}
            <p>{trs(|t| t.staff_invite_code)}</p>
            <p class="short-code" lang="en">{spaced}</p>
            {qr}
            <p class="hint">{trs(|t| t.staff_invite_where)}</p>
            <p class="hint">
                {move || fill(i18n.s().staff_invite_until, &[("date", &long_date(until, i18n.t()))])}
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_becomes_a_square_of_modules_with_its_quiet_zone() {
        let (path, side) = qr_path("https://soundings.example.org/#t=abcdef").unwrap();
        // Version 3 at level M holds this link: 29 modules and 4 of white on each side.
        assert_eq!(side, 29 + 2 * QUIET_ZONE);
        // The finder pattern's corner module (top left) is dark, just inside the quiet zone.
        assert!(path.starts_with("M4 4h1v1h-1z"), "{}", &path[..40]);
        assert!(path.split('M').skip(1).all(|m| m.ends_with("h1v1h-1z")));
    }

    #[test]
    fn a_text_too_long_for_any_qr_code_gives_none() {
        assert!(qr_path(&"x".repeat(5000)).is_none());
    }
}
