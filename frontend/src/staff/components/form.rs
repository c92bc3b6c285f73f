//! The staff forms' controls: choices kept in string signals.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::staff::text::trs;

/// One radio button of a choice kept in a string signal (the staff forms' choices).
pub fn radio(
    name: &'static str,
    value: &'static str,
    label: &'static str,
    signal: RwSignal<String>,
) -> impl IntoView {
    let id = format!("{name}-{value}");
    view! {
        <div class="radio">
            <input
                type="radio"
                id=id.clone()
                name=name
                value=value
                prop:checked=move || signal.get() == value
                on:change=move |_| signal.set(value.to_owned())
            />
            <label for=id>{label}</label>
        </div>
    }
}

/// When in support a SWEMWBS form belongs to: start, review or end (radio names `{name}-…`).
pub fn timing_choice(name: &'static str, signal: RwSignal<String>) -> impl IntoView {
    let t = use_i18n().s();
    view! {
        <fieldset class="fieldset">
            <legend class="legend">{trs(|t| t.staff_timing)}</legend>
            <div class="radios">
                {radio(name, "start", t.staff_timing_start, signal)}
                {radio(name, "review", t.staff_timing_review, signal)}
                {radio(name, "end", t.staff_timing_end, signal)}
            </div>
        </fieldset>
    }
}
