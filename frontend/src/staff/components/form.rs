//! The staff forms' controls: labelled fields, checkboxes and choices of radio buttons, each
//! bound to a signal.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::staff::text::trs;

/// A form field: its label, and its hint (id `{id}-hint`, for the control's
/// `aria-describedby`), above the control given as children.
#[component]
pub fn Field(
    /// The control's id, which the label is for.
    #[prop(into)]
    id: String,
    label: Signal<&'static str>,
    #[prop(optional)] hint: Option<Signal<&'static str>>,
    children: Children,
) -> impl IntoView {
    let hint = hint.map(|hint| view! { <p class="hint" id=format!("{id}-hint")>{hint}</p> });
    view! {
        <div class="form-group">
            <label class="label" for=id>{label}</label>
            {hint}
            {children()}
        </div>
    }
}

/// A checkbox with its label.
#[component]
pub fn Checkbox(
    id: &'static str,
    label: Signal<&'static str>,
    checked: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <div class="form-group checkbox">
            <input type="checkbox" id=id bind:checked=checked />
            <label for=id>{label}</label>
        </div>
    }
}

/// A choice of radio buttons under a legend, one per `(value, label)`.
pub fn radios(
    legend: Signal<&'static str>,
    name: &'static str,
    options: &[(&'static str, &'static str)],
    signal: RwSignal<String>,
) -> impl IntoView + use<> {
    let buttons = options
        .iter()
        .map(|&(value, label)| radio(name, value, label, signal))
        .collect_view();
    view! {
        <fieldset class="fieldset">
            <legend class="legend">{legend}</legend>
            <div class="radios">{buttons}</div>
        </fieldset>
    }
}

/// One radio button of a choice kept in a string signal (the staff forms' choices).
pub fn radio(
    name: &'static str,
    value: &'static str,
    label: &'static str,
    signal: RwSignal<String>,
) -> impl IntoView {
    radio_button(name, value, value.to_owned(), label, signal)
}

/// One radio button, checked while `signal` holds `value`; `key` is its `value` attribute, and
/// its id is `{name}-{key}`.
pub fn radio_button<T, L>(
    name: &str,
    key: &str,
    value: T,
    label: L,
    signal: RwSignal<T>,
) -> impl IntoView + use<T, L>
where
    T: PartialEq + Clone + Send + Sync + 'static,
    L: IntoView + 'static,
{
    let id = format!("{name}-{key}");
    let mine = value.clone();
    view! {
        <div class="radio">
            <input
                type="radio"
                id=id.clone()
                name=name.to_owned()
                value=key.to_owned()
                prop:checked=move || signal.with(|v| *v == mine)
                on:change=move |_| signal.set(value.clone())
            />
            <label for=id>{label}</label>
        </div>
    }
}

/// When in support a SWEMWBS form belongs to: start, review or end (radio names `{name}-…`).
pub fn timing_choice(name: &'static str, signal: RwSignal<String>) -> impl IntoView {
    let t = use_i18n().s();
    let options = [
        ("start", t.staff_timing_start),
        ("review", t.staff_timing_review),
        ("end", t.staff_timing_end),
    ];
    radios(trs(|t| t.staff_timing), name, &options, signal)
}
