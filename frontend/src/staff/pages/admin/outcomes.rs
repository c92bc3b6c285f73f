//! The outcome settings (admins): the scoring bands of KPIs A, B and E as the figures use them,
//! the organisation's targets, and its contract values per period. The API replaces the
//! settings whole, so each Save sends the settings as loaded with its own group changed.

use domain::outcomes::{ContractValue, Direction, OutcomeSettings};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};

use super::{Place, saved_note, show_refusal};
use crate::i18n::{StaffMessages, use_i18n};
use crate::staff::api;
use crate::staff::auth::{Auth, use_auth};
use crate::staff::components::WideTable;
use crate::staff::components::checked::{Input, Problem};
use crate::staff::pages::dashboard::{BandsTable, Unit};
use crate::staff::text::{number, trs};
use crate::staff::time::date;

/// A target's text: its label, or what a refusal of it says.
type Words = fn(&'static StaffMessages) -> &'static str;

/// The targets' fields: the API's name (under `targets.`), the control's id, its label and what
/// a refusal of it says (a percentage, or a number above 0).
const TARGETS: [(&str, &str, Words, Words); 7] = [
    (
        "targets.access",
        "target-access",
        |t| t.staff_settings_target_access,
        |t| t.staff_settings_target_percent_invalid,
    ),
    (
        "targets.kpi_a",
        "target-kpi-a",
        |t| t.staff_settings_target_kpi_a,
        |t| t.staff_settings_target_percent_invalid,
    ),
    (
        "targets.into_paid_work",
        "target-into-paid-work",
        |t| t.staff_settings_target_paid,
        |t| t.staff_settings_target_percent_invalid,
    ),
    (
        "targets.kpi_e",
        "target-kpi-e",
        |t| t.staff_settings_target_kpi_e,
        |t| t.staff_settings_target_percent_invalid,
    ),
    (
        "targets.caseload",
        "target-caseload",
        |t| t.staff_settings_target_caseload,
        |t| t.staff_settings_target_positive_invalid,
    ),
    (
        "targets.cost_per_participant",
        "target-cost-participant",
        |t| t.staff_settings_target_cost_participant,
        |t| t.staff_settings_target_positive_invalid,
    ),
    (
        "targets.cost_per_job_outcome",
        "target-cost-job",
        |t| t.staff_settings_target_cost_job,
        |t| t.staff_settings_target_positive_invalid,
    ),
];

/// A target's key in the JSON of the targets.
fn key(api: &str) -> &str {
    api.trim_start_matches("targets.")
}

/// A number typed in a field: blank is no value (`null`); anything else must be a number.
fn typed_number(text: &str) -> Result<Value, ()> {
    let text = text.trim().trim_start_matches('£').replace(',', "");
    if text.is_empty() {
        return Ok(Value::Null);
    }
    text.parse::<f64>().map(|n| json!(n)).map_err(|_| ())
}

#[component]
pub fn OutcomeSettingsForm(settings: OutcomeSettings, problem: Problem) -> impl IntoView {
    let stored = RwSignal::new(settings);
    view! {
        <section class="admin-section" aria-labelledby="outcomes-title">
            <h2 id="outcomes-title">{trs(|t| t.staff_settings_outcomes_title)}</h2>
            <Bands stored />
            <TargetsForm stored problem />
            <ContractValues stored problem />
        </section>
    }
}

/// Sends the settings as stored with `change` made to their JSON; keeps the server's answer.
fn put_outcomes(
    (auth, t): (Auth, &'static StaffMessages),
    stored: RwSignal<OutcomeSettings>,
    change: impl FnOnce(&mut Value),
    (problem, saved): (Problem, RwSignal<Option<String>>),
    (places, first): (Vec<Place>, &'static str),
) {
    let Ok(mut body) = serde_json::to_value(stored.get_untracked()) else {
        return;
    };
    change(&mut body);
    problem.clear();
    saved.set(None);
    spawn_local(async move {
        match api::put_setting::<_, OutcomeSettings>(auth, "outcomes", &body).await {
            Ok(settings) => {
                stored.set(settings);
                saved.set(Some(t.staff_settings_saved.to_owned()));
            }
            Err(e) => show_refusal(problem, t, &e, &places, first),
        }
    });
}

#[component]
fn Bands(stored: RwSignal<OutcomeSettings>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let t = i18n.s();
        let bands = stored.with(|s| s.bands.clone());
        view! {
            <h3>{t.staff_kpi_a}</h3>
            <BandsTable id="kpi-a" bands=bands.kpi_a direction=Direction::AtLeast unit=Unit::Percent reached=None />
            <h3>{t.staff_kpi_b}</h3>
            <BandsTable id="kpi-b" bands=bands.kpi_b direction=Direction::AtMost unit=Unit::Weeks reached=None />
            <h3>{t.staff_kpi_e}</h3>
            <BandsTable id="kpi-e" bands=bands.kpi_e direction=Direction::AtLeast unit=Unit::Percent reached=None />
        }
    }
}

#[component]
fn TargetsForm(stored: RwSignal<OutcomeSettings>, problem: Problem) -> impl IntoView {
    let (i18n, auth) = (use_i18n(), use_auth());
    let saved = RwSignal::new(None::<String>);
    let current = serde_json::to_value(stored.get_untracked().targets).unwrap_or(Value::Null);
    let values: Vec<RwSignal<String>> = TARGETS
        .iter()
        .map(|(api, ..)| {
            let shown = current[key(api)]
                .as_f64()
                .map(|v| v.to_string())
                .unwrap_or_default();
            RwSignal::new(shown)
        })
        .collect();
    let fields = StoredValue::new(values.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        let mut targets = serde_json::Map::new();
        for ((api, id, _, refusal), value) in TARGETS.iter().zip(fields.get_value()) {
            match typed_number(&value.get_untracked()) {
                Ok(n) => {
                    targets.insert(key(api).to_owned(), n);
                }
                Err(()) => return problem.set(refusal(t), id),
            }
        }
        let places = TARGETS
            .iter()
            .map(|(api, id, _, refusal)| (*api, *id, refusal(t)))
            .collect();
        let change = |body: &mut Value| body["targets"] = Value::Object(targets);
        put_outcomes(
            (auth, t),
            stored,
            change,
            (problem, saved),
            (places, "target-access"),
        );
    };
    let inputs = TARGETS
        .iter()
        .zip(values)
        .map(|((_, id, label, _), value)| {
            view! { <Input id=*id label=trs(*label) value problem decimal=true /> }
        })
        .collect_view();
    view! {
        <h3 id="targets-title">{trs(|t| t.staff_settings_targets_title)}</h3>
        <p class="hint">{trs(|t| t.staff_settings_targets_hint)}</p>
        <form class="staff-form" on:submit=submit novalidate aria-labelledby="targets-title">
            {inputs}
            <button type="submit" class="button" id="save-targets">{trs(|t| t.staff_settings_save)}</button>
        </form>
        {saved_note(saved, "targets-saved")}
    }
}

#[component]
fn ContractValues(stored: RwSignal<OutcomeSettings>, problem: Problem) -> impl IntoView {
    let (i18n, auth) = (use_i18n(), use_auth());
    let saved = RwSignal::new(None::<String>);
    let first = RwSignal::new(String::new());
    let last = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        let Ok(first_day) = first.get_untracked().parse::<chrono::NaiveDate>() else {
            return problem.set(t.staff_settings_contract_first_invalid, "contract-first");
        };
        let Ok(last_day) = last.get_untracked().parse::<chrono::NaiveDate>() else {
            return problem.set(t.staff_settings_contract_last_invalid, "contract-last");
        };
        let Ok(Value::Number(pounds)) = typed_number(&amount.get_untracked()) else {
            return problem.set(t.staff_settings_contract_amount_invalid, "contract-amount");
        };
        let row = json!({ "first": first_day, "last": last_day, "amount": pounds });
        let places = vec![(
            "contract_values",
            "contract-amount",
            t.staff_settings_contract_invalid,
        )];
        let change = |body: &mut Value| {
            if let Some(list) = body["contract_values"].as_array_mut() {
                list.push(row);
            }
        };
        put_outcomes(
            (auth, t),
            stored,
            change,
            (problem, saved),
            (places, "contract-first"),
        );
    };
    let rows = move || {
        stored.with(|s| {
            s.contract_values
                .iter()
                .map(
                    |ContractValue {
                         first,
                         last,
                         amount,
                     }| {
                        view! {
                            <tr>
                                <td>{date(*first)}</td>
                                <td>{date(*last)}</td>
                                <td>{format!("£{}", number(*amount))}</td>
                            </tr>
                        }
                    },
                )
                .collect_view()
        })
    };
    view! {
        <h3 id="contract-title">{trs(|t| t.staff_settings_contract_title)}</h3>
        <WideTable labelled_by="contract-title">
            <table class="table" id="contract-table">
                <thead>
                    <tr>
                        <th scope="col">{trs(|t| t.staff_period_first)}</th>
                        <th scope="col">{trs(|t| t.staff_period_last)}</th>
                        <th scope="col">{trs(|t| t.staff_settings_contract_amount)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </WideTable>
        <form class="staff-form" on:submit=submit novalidate aria-labelledby="contract-add-title">
            <h4 id="contract-add-title">{trs(|t| t.staff_settings_contract_add)}</h4>
            <Input id="contract-first" label=trs(|t| t.staff_period_first) value=first problem kind="date" />
            <Input id="contract-last" label=trs(|t| t.staff_period_last) value=last problem kind="date" />
            <Input id="contract-amount" label=trs(|t| t.staff_settings_contract_amount) hint=trs(|t| t.staff_settings_contract_amount_hint) value=amount problem decimal=true />
            <button type="submit" class="button" id="add-contract">{trs(|t| t.staff_settings_contract_add)}</button>
        </form>
        {saved_note(saved, "contract-saved")}
    }
}
