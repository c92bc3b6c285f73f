//! Needs attention (DESIGN §8): every comment, voice comment and rating of 2 or less stays here
//! until a manager marks it handled with a note. Managers only.

use domain::instrument::InstrumentKey;
use domain::privacy::{AttentionItem, HandleAttention};
use domain::records::LongText;
use leptos::prelude::*;
use leptos::task::spawn_local;

use uuid::Uuid;

use crate::components::PageHeading;
use crate::i18n::{fill, use_i18n};
use crate::load::load;
use crate::staff::api;
use crate::staff::auth::use_auth;
use crate::staff::components::form::Field;
use crate::staff::components::voice::play_voice;
use crate::staff::text::{trs, trs_owned};
use crate::staff::time::time_at;

#[component]
pub fn AttentionPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let handled = RwSignal::new(Vec::<Uuid>::new());
    let items = load(move || async move { api::attention(auth).await });
    let open = move || match items.get() {
        Some(Ok(list)) => Some(Ok(list
            .into_iter()
            .filter(|i| !handled.with(|h| h.contains(&i.response_id)))
            .collect::<Vec<_>>())),
        Some(Err(e)) => Some(Err(e)),
        None => None,
    };
    view! {
        <PageHeading text=trs_owned(|t| t.staff_attention_title) />
        <p class="lead">{trs(|t| t.staff_attention_lead)}</p>
        {move || match open() {
            None => view! { <p role="status">{trs(|t| t.staff_loading)}</p> }.into_any(),
            Some(Err(_)) => view! { <p class="error-message" role="alert">{trs(|t| t.staff_dashboard_error)}</p> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! { <p id="attention-empty">{trs(|t| t.staff_attention_empty)}</p> }.into_any(),
            Some(Ok(list)) => view! {
                <p id="attention-count" data-n=list.len().to_string()>
                    {fill(i18n.s().staff_attention_count, &[("n", &list.len().to_string())])}
                </p>
                <ul class="plain-list attention-list">
                    {list.into_iter().map(|item| view! {
                        <AttentionCard item handled />
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}

#[component]
fn AttentionCard(item: AttentionItem, handled: RwSignal<Vec<Uuid>>) -> impl IntoView {
    let i18n = use_i18n();
    let id = item.response_id;
    let problem = RwSignal::new(None::<&'static str>);
    let audio = RwSignal::new(None::<String>);
    let play = play_voice(id, audio, problem);
    let when = time_at(item.answered_at);
    let instrument = match InstrumentKey::parse(&item.instrument) {
        Ok(InstrumentKey::EmployerSatisfaction) => i18n.s().staff_kpi_c,
        Ok(InstrumentKey::JobseekerSatisfaction) => i18n.s().staff_kpi_d,
        _ => i18n.s().staff_support_other,
    };
    view! {
        <li class="attention-item" data-response=id.to_string()>
            <h2 class="attention-ref">{item.participant_reference.clone()}</h2>
            <p class="hint">{instrument} " · " {when}</p>
            {item.lowest_rating.map(|r| view! {
                <p>{fill(i18n.s().staff_attention_lowest, &[("n", &r.to_string())])}</p>
            })}
            {item.comment.clone().map(|c| view! { <blockquote class="comment-text">{c}</blockquote> })}
            {item.voice_comment.then(|| view! {
                <button type="button" class="button button-secondary" on:click=move |_| play()>
                    {trs(|t| t.staff_attention_play)}
                </button>
                {move || audio.get().map(|src| view! { <audio controls src=src></audio> })}
            })}
            <HandleForm id handled problem />
        </li>
    }
}

/// The manager's note, which marks the item handled (also when another manager just did).
#[component]
fn HandleForm(
    id: Uuid,
    handled: RwSignal<Vec<Uuid>>,
    problem: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let note = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(text) = LongText::parse(&note.get_untracked()) else {
            problem.set(Some(i18n.s().staff_attention_note_missing));
            return;
        };
        spawn_local(async move {
            match api::handle(auth, id, &HandleAttention { note: text }).await {
                Ok(()) => handled.update(|h| h.push(id)),
                Err(e) if e.status() == Some(409) => handled.update(|h| h.push(id)),
                Err(_) => problem.set(Some(i18n.s().staff_attention_failed)),
            }
        });
    };
    let note_id = format!("note-{id}");
    view! {
        <form on:submit=submit novalidate>
            <Field id=note_id.clone() label=trs(|t| t.staff_attention_note)>
                <textarea class="textarea" id=note_id rows="2" bind:value=note></textarea>
            </Field>
            {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
            <button type="submit" class="button">{trs(|t| t.staff_attention_handle)}</button>
        </form>
    }
}
