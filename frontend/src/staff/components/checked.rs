//! Form controls that say what is wrong beside them (GOV.UK style): a form keeps one
//! [`Problem`], the summary at the top links to the field at fault, and that field shows the
//! message between its label and the control, which names the message as its description.

use leptos::prelude::*;

use crate::components::ErrorSummary;

/// What is wrong with a form, if anything: the message and the id of the control at fault.
#[derive(Debug, Clone, Copy)]
pub struct Problem(RwSignal<Option<(String, &'static str)>>);

impl Problem {
    pub fn new() -> Problem {
        Problem(RwSignal::new(None))
    }

    pub fn set(self, message: impl Into<String>, field: &'static str) {
        self.0.set(Some((message.into(), field)));
    }

    pub fn clear(self) {
        self.0.set(None);
    }

    /// The message when the control `id` is at fault.
    pub fn at(self, id: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || {
            self.0.with(|p| {
                p.as_ref()
                    .filter(|(_, at)| *at == id)
                    .map(|(m, _)| m.clone())
            })
        })
    }
}

/// The summary at the top of the form, while there is a problem.
#[component]
pub fn ProblemSummary(problem: Problem) -> impl IntoView {
    move || {
        problem
            .0
            .get()
            .map(|(message, target)| view! { <ErrorSummary message=message target=target /> })
    }
}

/// The ids a control is described by: its hint (if it has one) and its error (while shown).
fn described_by(id: &'static str, hint: bool, error: Signal<Option<String>>) -> Signal<String> {
    Signal::derive(move || {
        let mut ids = Vec::new();
        if hint {
            ids.push(format!("{id}-hint"));
        }
        if error.with(Option::is_some) {
            ids.push(format!("{id}-error"));
        }
        ids.join(" ")
    })
}

/// The label, hint and error of a control given as children.
#[component]
fn Group(
    id: &'static str,
    label: Signal<&'static str>,
    hint: Option<Signal<&'static str>>,
    error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="form-group" class:form-group-error=move || error.with(Option::is_some)>
            <label class="label" for=id>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=format!("{id}-hint")>{hint}</p> })}
            {move || error.get().map(|m| view! { <p class="error-message" id=format!("{id}-error")>{m}</p> })}
            {children()}
        </div>
    }
}

/// A text, date or number field bound to `value`. `kind` is the input's type (`text` by
/// default); `decimal` asks a phone for its number keypad with a decimal point.
#[component]
pub fn Input(
    id: &'static str,
    label: Signal<&'static str>,
    #[prop(optional)] hint: Option<Signal<&'static str>>,
    value: RwSignal<String>,
    problem: Problem,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] decimal: bool,
) -> impl IntoView {
    let error = problem.at(id);
    let described = described_by(id, hint.is_some(), error);
    let class = match (kind, decimal) {
        ("date", _) => "input input-date",
        (_, true) => "input input-short",
        _ => "input",
    };
    view! {
        <Group id label hint error>
            <input
                class=class
                type=kind
                id=id
                name=id
                autocomplete="off"
                inputmode=decimal.then_some("decimal")
                aria-describedby=move || Some(described.get()).filter(|d| !d.is_empty())
                aria-invalid=move || error.with(Option::is_some).to_string()
                bind:value=value
            />
        </Group>
    }
}

/// A text of several lines bound to `value`, with its label, hint and error.
#[component]
pub fn TextArea(
    id: &'static str,
    label: Signal<&'static str>,
    #[prop(optional)] hint: Option<Signal<&'static str>>,
    value: RwSignal<String>,
    problem: Problem,
) -> impl IntoView {
    let error = problem.at(id);
    let described = described_by(id, hint.is_some(), error);
    view! {
        <Group id label hint error>
            <textarea
                class="textarea"
                id=id
                name=id
                rows="4"
                aria-describedby=move || Some(described.get()).filter(|d| !d.is_empty())
                aria-invalid=move || error.with(Option::is_some).to_string()
                bind:value=value
            ></textarea>
        </Group>
    }
}

/// A choice from a list of `(value, words)` bound to `value`; the first option is `blank`
/// (value ""), when given.
#[component]
pub fn Select(
    id: &'static str,
    label: Signal<&'static str>,
    #[prop(optional)] hint: Option<Signal<&'static str>>,
    options: Vec<(String, String)>,
    #[prop(optional)] blank: Option<&'static str>,
    value: RwSignal<String>,
    problem: Problem,
) -> impl IntoView {
    let error = problem.at(id);
    let described = described_by(id, hint.is_some(), error);
    let option = move |(key, text): (String, String)| {
        let mine = key.clone();
        view! { <option value=key selected=move || value.with(|v| *v == mine)>{text}</option> }
    };
    let options = blank
        .map(|b| (String::new(), b.to_owned()))
        .into_iter()
        .chain(options)
        .map(option)
        .collect_view();
    view! {
        <Group id label hint error>
            <select
                class="input"
                id=id
                name=id
                aria-describedby=move || Some(described.get()).filter(|d| !d.is_empty())
                aria-invalid=move || error.with(Option::is_some).to_string()
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                {options}
            </select>
        </Group>
    }
}

/// Radio buttons under a legend bound to `value`, one per `(value, label)`, with ids
/// `{name}-{value}`; the error, when the first one is at fault, shows under the legend.
#[component]
pub fn Choice(
    name: &'static str,
    legend: Signal<&'static str>,
    options: Vec<(&'static str, &'static str)>,
    value: RwSignal<String>,
    problem: Problem,
    /// The id the error summary links to: the first option's.
    target: &'static str,
) -> impl IntoView {
    let error = problem.at(target);
    let buttons = options
        .into_iter()
        .map(|(key, text)| super::form::radio(name, key, text, value))
        .collect_view();
    let error_id = format!("{name}-error");
    view! {
        <fieldset
            class="fieldset form-group"
            class:form-group-error=move || error.with(Option::is_some)
            aria-describedby=move || error.with(Option::is_some).then(|| error_id.clone())
        >
            <legend class="legend">{legend}</legend>
            {move || error.get().map(|m| view! { <p class="error-message" id=format!("{name}-error")>{m}</p> })}
            <div class="radios">{buttons}</div>
        </fieldset>
    }
}
