//! KPIs A, B and E as tiles: the value with its 95% interval and what it rests on, the 0–5
//! score and the bands it was read from, "still early" and "too early to tell", and the
//! benchmark and target with their RAG words.

use domain::Hundredths;
use domain::kpi::interval::Interval;
use domain::outcomes::{Band, Direction, Judged, KpiA, KpiB, KpiE, Scored};
use leptos::prelude::*;

use super::judge::{JudgedLines, Unit, amount};
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::staff::components::WideTable;
use crate::staff::components::chart::interval_text;
use crate::staff::time::date;

/// What a tile shows besides its extras.
struct Tile {
    id: &'static str,
    title: &'static str,
    value: Option<Hundredths>,
    interval: Option<Interval>,
    unit: Unit,
    /// "12 of 30 episodes", "over 9 episodes".
    basis: String,
    /// How many it rests on, and of them how many count (a rate's numerator).
    n: u64,
    numerator: Option<u64>,
    scored: Scored,
    judged: Option<Judged>,
}

#[component]
pub fn KpiA(kpi: KpiA, as_of: chrono::NaiveDate) -> impl IntoView {
    let t = use_i18n().s();
    let r = &kpi.rate;
    let early = fill(
        t.staff_kpi_a_still_early,
        &[("n", &kpi.still_early.to_string()), ("date", &date(as_of))],
    );
    let tile = Tile {
        id: "kpi-a",
        title: t.staff_kpi_a,
        value: r.percent,
        interval: r.interval,
        unit: Unit::Percent,
        basis: fill(
            t.staff_rate_of,
            &[("k", &r.numerator.to_string()), ("n", &r.n.to_string())],
        ),
        n: r.n,
        numerator: Some(r.numerator),
        scored: kpi.scored,
        judged: Some(kpi.judged),
    };
    tile_view(t, tile, Some(early))
}

#[component]
pub fn KpiB(kpi: KpiB) -> impl IntoView {
    let t = use_i18n().s();
    let w = &kpi.weeks;
    let tile = Tile {
        id: "kpi-b",
        title: t.staff_kpi_b,
        value: w.mean,
        interval: w.interval,
        unit: Unit::Weeks,
        basis: fill(t.staff_mean_over, &[("n", &w.n.to_string())]),
        n: w.n,
        numerator: None,
        scored: kpi.scored,
        judged: None,
    };
    tile_view(t, tile, None)
}

#[component]
pub fn KpiE(kpi: KpiE) -> impl IntoView {
    let t = use_i18n().s();
    let r = &kpi.rate;
    let early = fill(
        t.staff_kpi_e_too_early,
        &[
            ("n", &kpi.too_early.to_string()),
            ("weeks", &kpi.weeks.to_string()),
        ],
    );
    let tile = Tile {
        id: "kpi-e",
        title: t.staff_kpi_e,
        value: r.percent,
        interval: r.interval,
        unit: Unit::Percent,
        basis: fill(
            t.staff_rate_of,
            &[("k", &r.numerator.to_string()), ("n", &r.n.to_string())],
        ),
        n: r.n,
        numerator: Some(r.numerator),
        scored: kpi.scored,
        judged: Some(kpi.judged),
    };
    tile_view(t, tile, Some(early))
}

fn tile_view(
    t: &'static StaffMessages,
    tile: Tile,
    extra: Option<String>,
) -> impl IntoView + use<> {
    let Tile {
        id,
        title,
        value,
        interval,
        unit,
        basis,
        n,
        numerator,
        scored,
        judged,
    } = tile;
    let shown = value
        .map(|v| amount(t, v, unit))
        .unwrap_or_else(|| "–".to_owned());
    let suffix = if unit == Unit::Percent { "%" } else { "" };
    let score = match scored.score {
        Some(s) => fill(t.staff_score_of, &[("score", &s.to_string())]),
        None => t.staff_score_none.to_owned(),
    };
    view! {
        <section class="tile outcome-tile" id=id aria-labelledby=format!("{id}-title")>
            <h3 class="tile-title" id=format!("{id}-title")>{title}</h3>
            <p class="tile-value" data-value=value.map(|v| v.to_string()).unwrap_or_default()>{shown}</p>
            {interval.map(|i| view! { <p class="tile-interval">{interval_text(t.staff_ci, i, suffix)}</p> })}
            <p class="tile-n" data-n=n.to_string() data-numerator=numerator.map(|k| k.to_string())>{basis}</p>
            {extra.map(|e| view! { <p class="tile-extra">{e}</p> })}
            <p class="tile-score" data-score=scored.score.map(|s| s.to_string()).unwrap_or_default()><strong>{score}</strong></p>
            {judged.map(|judged| view! { <JudgedLines judged unit /> })}
            <BandsTable id bands=scored.bands direction=scored.direction unit reached=scored.score />
        </section>
    }
}

/// The bands a score was read from, lowest score first; the row reached is marked in words.
#[component]
pub(crate) fn BandsTable(
    id: &'static str,
    bands: Vec<Band>,
    direction: Direction,
    unit: Unit,
    reached: Option<u8>,
) -> impl IntoView {
    let t = use_i18n().s();
    let mut bands = bands;
    bands.sort_by_key(|b| b.score);
    // Seed 000 gives KPI A no band scoring 3 (DESIGN §4a): say so, so nobody thinks it lost.
    let no_three = (id == "kpi-a" && !bands.iter().any(|b| b.score == 3)).then(|| {
        view! { <p class="hint bands-note" id=format!("{id}-bands-note")>{t.staff_bands_no_three}</p> }
    });
    let reaches = if direction == Direction::AtMost {
        t.staff_at_most
    } else {
        t.staff_at_least
    };
    let caption_id = format!("{id}-bands");
    let rows = bands.into_iter().map(|b| {
        let mine = reached == Some(b.score);
        view! {
            <tr data-score=b.score.to_string() class:band-reached=mine>
                <td>{fill(reaches, &[("v", &amount(t, b.threshold, unit))])}</td>
                <td>{b.score} {mine.then(|| view! { " " <strong>{t.staff_band_reached}</strong> })}</td>
            </tr>
        }
    }).collect_view();
    view! {
        <WideTable labelled_by=caption_id.clone()>
            <table class="table bands-table" id=format!("{id}-bands-table")>
                <caption id=caption_id>{t.staff_bands_caption}</caption>
                <thead><tr><th scope="col">{t.staff_bands_value}</th><th scope="col">{t.staff_bands_score}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </WideTable>
        {no_three}
    }
}
