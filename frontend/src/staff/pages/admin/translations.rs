//! SWEMWBS translations (admins load and remove them, managers read): what is loaded, and a
//! form to load the official Welsh translation with the English original beside each field,
//! so the admin can check each pasted line. The app never writes a translation of SWEMWBS
//! (DESIGN §3); without one, SWEMWBS is asked in English, also when the app is in Welsh.

use domain::translation::{LoadedTranslation, SwemwbsTexts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

use super::commissioners::focus_soon;
use super::{Place, saved_note, show_refusal};
use crate::components::PageHeading;
use crate::i18n::{StaffMessages, use_i18n};
use crate::load::load;
use crate::staff::api;
use crate::staff::auth::use_auth;
use crate::staff::components::checked::{Input, Problem, ProblemSummary, TextArea};
use crate::staff::text::{trs, trs_owned};
use crate::staff::time::time_at;

/// The one language a translation can be loaded for: the app's other language.
const WELSH: &str = "cy";

type Pick = fn(&'static StaffMessages) -> &'static str;

/// Each response label's API field, control and words.
const LABELS: [(&str, &str, Pick); 5] = [
    ("labels[0]", "tr-label-1", |t| t.staff_set_tr_label_1),
    ("labels[1]", "tr-label-2", |t| t.staff_set_tr_label_2),
    ("labels[2]", "tr-label-3", |t| t.staff_set_tr_label_3),
    ("labels[3]", "tr-label-4", |t| t.staff_set_tr_label_4),
    ("labels[4]", "tr-label-5", |t| t.staff_set_tr_label_5),
];

/// Each item's API field, control and words.
const ITEMS: [(&str, &str, Pick); 7] = [
    ("items[0]", "tr-item-1", |t| t.staff_set_tr_item_1),
    ("items[1]", "tr-item-2", |t| t.staff_set_tr_item_2),
    ("items[2]", "tr-item-3", |t| t.staff_set_tr_item_3),
    ("items[3]", "tr-item-4", |t| t.staff_set_tr_item_4),
    ("items[4]", "tr-item-5", |t| t.staff_set_tr_item_5),
    ("items[5]", "tr-item-6", |t| t.staff_set_tr_item_6),
    ("items[6]", "tr-item-7", |t| t.staff_set_tr_item_7),
];

#[component]
pub fn TranslationsPage() -> impl IntoView {
    let auth = use_auth();
    let problem = Problem::new();
    let admin = auth.is_admin();
    let reload = RwSignal::new(0u32);
    let saved = RwSignal::new(None::<String>);
    let data = load(move || {
        reload.track();
        async move { api::swemwbs_translations(auth).await }
    });
    view! {
        <ProblemSummary problem />
        <PageHeading text=trs_owned(|t| t.staff_set_tr_title) />
        <p class="lead">{trs(|t| t.staff_set_tr_lead)}</p>
        {move || match data.get() {
            None => view! { <p role="status">{trs(|t| t.staff_loading)}</p> }.into_any(),
            Some(Err(error)) => {
                log::warn!("SWEMWBS translations not fetched: {error}");
                view! { <p class="error-message" role="alert">{trs(|t| t.staff_admin_load_failed)}</p> }
                    .into_any()
            }
            Some(Ok(data)) => {
                let welsh = data.loaded.iter().find(|l| l.language.as_str() == WELSH).cloned();
                let form = view! {
                    <LoadForm original=data.original.clone() current=welsh problem reload saved />
                };
                let form = if admin {
                    form.into_any()
                } else {
                    // Managers read what is loaded; the form is there, disabled, and says why.
                    view! {
                        <fieldset class="fieldset read-only" disabled>
                            <legend class="legend" id="read-only">{trs(|t| t.staff_admin_read_only)}</legend>
                            {form}
                        </fieldset>
                    }
                    .into_any()
                };
                view! {
                    <Loaded loaded=data.loaded admin reload saved />
                    {form}
                }
                .into_any()
            }
        }}
    }
}

/// What is loaded: language, source, who and when; an admin may remove it after confirming.
#[component]
fn Loaded(
    loaded: Vec<LoadedTranslation>,
    admin: bool,
    reload: RwSignal<u32>,
    saved: RwSignal<Option<String>>,
) -> impl IntoView {
    let list = if loaded.is_empty() {
        view! { <p id="tr-none">{trs(|t| t.staff_set_tr_none)}</p> }.into_any()
    } else {
        view! {
            <ul class="plain-list" id="tr-list">
                {loaded
                    .into_iter()
                    .map(|l| view! { <LoadedItem loaded=l admin reload saved /> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="admin-section" aria-labelledby="tr-loaded-title">
            <h2 id="tr-loaded-title" tabindex="-1">{trs(|t| t.staff_set_tr_loaded)}</h2>
            {saved_note(saved, "tr-saved")}
            {list}
        </section>
    }
}

#[component]
fn LoadedItem(
    loaded: LoadedTranslation,
    admin: bool,
    reload: RwSignal<u32>,
    saved: RwSignal<Option<String>>,
) -> impl IntoView {
    let (i18n, auth) = (use_i18n(), use_auth());
    let confirming = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let language = loaded.language.as_str();
    let ask = move |_| {
        failed.set(false);
        confirming.set(true);
        focus_soon("tr-confirm-remove".to_owned());
    };
    let cancel = move |_| {
        confirming.set(false);
        focus_soon("tr-remove".to_owned());
    };
    let remove = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::remove_swemwbs_translation(auth, language).await {
                Ok(()) => {
                    saved.set(Some(i18n.s().staff_set_tr_removed.to_owned()));
                    reload.update(|n| *n += 1);
                    focus_soon("tr-loaded-title".to_owned());
                }
                Err(error) => {
                    log::info!("translation not removed: {error}");
                    failed.set(true);
                }
            }
            busy.try_set(false);
        });
    };
    let by = loaded.loaded_by.clone().unwrap_or_default();
    view! {
        <li class="tr-item" data-language=language>
            <h3>{trs(|t| t.staff_set_tr_welsh)}</h3>
            <dl class="summary-list">
                <div class="summary-row">
                    <dt>{trs(|t| t.staff_set_tr_source)}</dt>
                    <dd id="tr-loaded-source">{loaded.source.clone()}</dd>
                </div>
                <div class="summary-row">
                    <dt>{trs(|t| t.staff_set_tr_loaded_by)}</dt>
                    <dd>{by}</dd>
                </div>
                <div class="summary-row">
                    <dt>{trs(|t| t.staff_set_tr_loaded_at)}</dt>
                    <dd>{time_at(loaded.loaded_at)}</dd>
                </div>
            </dl>
            {move || failed.get().then(|| view! {
                <p class="error-message" role="alert">{trs(|t| t.staff_admin_refused)}</p>
            })}
            <Show when=move || admin>
                <Show
                    when=move || confirming.get()
                    fallback=move || view! {
                        <button type="button" class="button button-secondary" id="tr-remove" on:click=ask>
                            {trs(|t| t.staff_set_tr_remove)}
                        </button>
                    }
                >
                    <div class="admin-confirm" role="group" aria-labelledby="tr-confirm-question">
                        <p id="tr-confirm-question">{trs(|t| t.staff_set_tr_confirm)}</p>
                        <div class="button-group">
                            <button type="button" class="button button-warning" id="tr-confirm-remove" on:click=remove disabled=move || busy.get()>
                                {trs(|t| t.staff_set_tr_yes_remove)}
                            </button>
                            <button type="button" class="button button-secondary" id="tr-cancel" on:click=cancel>
                                {trs(|t| t.staff_admin_cancel)}
                            </button>
                        </div>
                    </div>
                </Show>
            </Show>
        </li>
    }
}

/// One field of the translation, with the English original it translates shown first.
#[component]
fn Pair(
    id: &'static str,
    label: Signal<&'static str>,
    original: String,
    value: RwSignal<String>,
    problem: Problem,
    #[prop(optional)] long: bool,
) -> impl IntoView {
    let field = if long {
        view! { <TextArea id label value problem /> }.into_any()
    } else {
        view! { <Input id label value problem /> }.into_any()
    };
    view! {
        <div class="tr-pair">
            <p class="tr-original" id=format!("{id}-original")>
                <span class="tr-original-label">{trs(|t| t.staff_set_tr_original)}</span>
                " "
                <span lang="en">{original}</span>
            </p>
            {field}
        </div>
    }
}

/// Loading (or replacing) the Welsh translation: every text of the scale, as the official
/// translation has it; the server's refusal is shown beside the field it names.
#[component]
fn LoadForm(
    original: SwemwbsTexts,
    current: Option<LoadedTranslation>,
    problem: Problem,
    reload: RwSignal<u32>,
    saved: RwSignal<Option<String>>,
) -> impl IntoView {
    let (i18n, auth) = (use_i18n(), use_auth());
    let texts = current.as_ref().map(|c| c.texts.clone());
    let start = |pick: &dyn Fn(&SwemwbsTexts) -> Option<String>| {
        RwSignal::new(texts.as_ref().and_then(pick).unwrap_or_default())
    };
    let source = RwSignal::new(
        current
            .as_ref()
            .map(|c| c.source.clone())
            .unwrap_or_default(),
    );
    let title = start(&|t| Some(t.title.clone()));
    let instruction = start(&|t| Some(t.instruction.clone()));
    let labels: [RwSignal<String>; 5] =
        std::array::from_fn(|i| start(&|t| t.labels.get(i).cloned()));
    let items: [RwSignal<String>; 7] = std::array::from_fn(|i| start(&|t| t.items.get(i).cloned()));
    let replacing = current.is_some();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        problem.clear();
        saved.set(None);
        let text = |s: RwSignal<String>| s.get_untracked().trim().to_owned();
        let body = json!({
            "source": text(source),
            "title": text(title),
            "instruction": text(instruction),
            "labels": labels.map(text),
            "items": items.map(text),
        });
        let line = t.staff_set_tr_line_invalid;
        let mut places: Vec<Place> = vec![
            ("language", "tr-source", t.staff_admin_refused),
            ("source", "tr-source", t.staff_set_tr_source_invalid),
            ("title", "tr-title", line),
            (
                "instruction",
                "tr-instruction",
                t.staff_set_tr_instruction_invalid,
            ),
            ("labels", LABELS[0].1, line),
            ("items", ITEMS[0].1, line),
        ];
        places.extend(
            LABELS
                .iter()
                .chain(&ITEMS)
                .map(|(f, id, _)| (*f, *id, line)),
        );
        spawn_local(async move {
            let path = format!("swemwbs-translations/{WELSH}");
            let result: Result<LoadedTranslation, _> = api::put_setting(auth, &path, &body).await;
            match result {
                Ok(_) => {
                    saved.set(Some(t.staff_set_tr_saved.to_owned()));
                    reload.update(|n| *n += 1);
                    focus_soon("tr-loaded-title".to_owned());
                }
                Err(e) => show_refusal(problem, t, &e, &places, "tr-source"),
            }
        });
    };
    let pairs = |rows: &[(&'static str, &'static str, Pick)],
                 originals: &[String],
                 values: &[RwSignal<String>]| {
        rows.iter()
            .zip(originals)
            .zip(values)
            .map(|((&(_, id, pick), original), &value)| {
                view! { <Pair id label=trs(pick) original=original.clone() value problem /> }
            })
            .collect_view()
    };
    let label_pairs = pairs(&LABELS, &original.labels, &labels);
    let item_pairs = pairs(&ITEMS, &original.items, &items);
    view! {
        <section class="admin-section" aria-labelledby="tr-form-title">
            <h2 id="tr-form-title">
                {move || if replacing { i18n.s().staff_set_tr_replace_title } else { i18n.s().staff_set_tr_load_title }}
            </h2>
            <p class="hint">{trs(|t| t.staff_set_tr_form_lead)}</p>
            <form class="staff-form tr-form" on:submit=submit novalidate>
                <Input id="tr-source" label=trs(|t| t.staff_set_tr_source) hint=trs(|t| t.staff_set_tr_source_hint) value=source problem />
                <Pair id="tr-title" label=trs(|t| t.staff_set_tr_scale_title) original=original.title.clone() value=title problem />
                <Pair id="tr-instruction" label=trs(|t| t.staff_set_tr_instruction) original=original.instruction.clone() value=instruction problem long=true />
                <fieldset class="fieldset">
                    <legend class="legend">{trs(|t| t.staff_set_tr_labels)}</legend>
                    {label_pairs}
                </fieldset>
                <fieldset class="fieldset">
                    <legend class="legend">{trs(|t| t.staff_set_tr_items)}</legend>
                    {item_pairs}
                </fieldset>
                <button type="submit" class="button" id="tr-save">{trs(|t| t.staff_set_tr_save)}</button>
            </form>
        </section>
    }
}
