//! A figure beside its benchmark and the organisation's own target, each with its RAG word
//! written out ("Green — meets the benchmark of at least 40%"): the colour is never the only
//! sign (DESIGN §4a, WCAG 1.4.1).

use domain::Hundredths;
use domain::outcomes::{Benchmark, Judged, Rag};
use leptos::prelude::*;

use crate::i18n::{StaffMessages, fill, use_i18n};

/// How a figure's numbers are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Percent,
    Pounds,
    Count,
    Weeks,
}

/// A number in its unit: "40.00%", "£4,500.00", "15.00", "12.3 weeks".
pub fn amount(t: &'static StaffMessages, v: Hundredths, unit: Unit) -> String {
    match unit {
        Unit::Percent => format!("{v}%"),
        Unit::Pounds => format!("£{}", thousands(v)),
        Unit::Count => whole(v),
        Unit::Weeks => fill(t.staff_weeks, &[("n", &one_place(v))]),
    }
}

/// A count held as hundredths, without its ".00" when it is whole.
fn whole(v: Hundredths) -> String {
    if v.0 % 100 == 0 {
        (v.0 / 100).to_string()
    } else {
        v.to_string()
    }
}

/// Weeks are held to two places but mean one ("12.30" is 12.3).
pub fn one_place(v: Hundredths) -> String {
    let text = v.to_string();
    text.strip_suffix('0').map(str::to_owned).unwrap_or(text)
}

/// Pounds with a comma every three digits: "8,217.00".
fn thousands(v: Hundredths) -> String {
    let text = v.to_string();
    let (units, pence) = text.split_once('.').unwrap_or((&text, "00"));
    let (sign, digits) = units.strip_prefix('-').map_or(("", units), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{pence}")
}

/// What a benchmark or target asks: "at least 40%", "at most 15", "£4,500.00 to £6,500.00".
pub fn asks(t: &'static StaffMessages, b: Benchmark, unit: Unit) -> String {
    match b {
        Benchmark::AtLeast { value } => fill(t.staff_at_least, &[("v", &amount(t, value, unit))]),
        Benchmark::AtMost { value } => fill(t.staff_at_most, &[("v", &amount(t, value, unit))]),
        Benchmark::Between { low, high } => fill(
            t.staff_between,
            &[
                ("low", &amount(t, low, unit)),
                ("high", &amount(t, high, unit)),
            ],
        ),
    }
}

pub fn rag_word(t: &'static StaffMessages, rag: Rag) -> &'static str {
    match rag {
        Rag::Green => t.staff_rag_green,
        Rag::Amber => t.staff_rag_amber,
        Rag::Red => t.staff_rag_red,
    }
}

/// One line: the word and colour, then what it is measured against ("Green — meets the
/// benchmark of at least 40%"); without a RAG (no value yet) only the benchmark.
fn line(
    t: &'static StaffMessages,
    kind: &'static str,
    b: Benchmark,
    rag: Option<Rag>,
    unit: Unit,
) -> impl IntoView + use<> {
    let what = fill(kind, &[("asks", &asks(t, b, unit))]);
    let said = match rag {
        Some(r) => {
            let how = match r {
                Rag::Green => t.staff_rag_meets,
                Rag::Amber => t.staff_rag_near,
                Rag::Red => t.staff_rag_misses,
            };
            fill(how, &[("what", &what)])
        }
        None => what,
    };
    view! {
        <li class="judged-line" data-rag=rag.map(|r| r.as_str()).unwrap_or("")>
            {rag.map(|r| view! { <span class=format!("rag rag-{}", r.as_str())>{rag_word(t, r)}</span> " — " })}
            {said}
        </li>
    }
}

/// The benchmark and the target of a figure, each with its RAG word when there is a value.
#[component]
pub fn JudgedLines(judged: Judged, unit: Unit) -> impl IntoView {
    let t = use_i18n().s();
    let benchmark = judged
        .benchmark
        .map(|b| line(t, t.staff_benchmark_of, b, judged.benchmark_rag, unit));
    let target = judged
        .target
        .map(|b| line(t, t.staff_target_of, b, judged.target_rag, unit));
    let none = judged
        .target
        .is_none()
        .then(|| view! { <li class="hint">{t.staff_no_target}</li> });
    view! { <ul class="plain-list judged">{benchmark} {target} {none}</ul> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pounds_are_grouped_by_thousands_and_weeks_keep_one_place() {
        assert_eq!(thousands(Hundredths(821_700)), "8,217.00");
        assert_eq!(thousands(Hundredths(45_000_000)), "450,000.00");
        assert_eq!(thousands(Hundredths(99_99)), "99.99");
        assert_eq!(one_place(Hundredths(1230)), "12.3");
        assert_eq!(one_place(Hundredths(1200)), "12.0");
        assert_eq!(whole(Hundredths(1500)), "15");
    }
}
