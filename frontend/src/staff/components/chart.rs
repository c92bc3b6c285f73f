//! A line chart of a KPI by month or by quarter, drawn as SVG by the app (presentation
//! attributes only: the CSP forbids inline styles): the 95% interval as a shaded band with the
//! line over it, and the same figures in a table for screen readers and for anyone who prefers
//! numbers.

use domain::kpi::interval::Interval;
use leptos::prelude::*;

use crate::i18n::{fill, use_i18n};
use crate::staff::api::TrendPoint;
use crate::staff::components::WideTable;

const W: f64 = 640.0;
const H: f64 = 220.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 36.0;

/// The line's colour (the brand blue), the band's pale tint of it that the line and the dots
/// stand out on, and the band's edge, dark enough (3.5:1 on white) to see where it ends.
const INK: &str = "#0b3d5c";
const BAND: &str = "#c6dbea";
const BAND_EDGE: &str = "#5b8db8";

/// What a part of the trend (a month or a quarter) is called: briefly along the axis, in full
/// in the table and the dots' tooltips.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartLabel {
    pub short: String,
    pub long: String,
}

/// An interval as people read it beside a figure: "95% CI 3.85 to 4.55" (`unit` after each
/// bound, e.g. "%"). "to", not a dash, as GOV.UK writes ranges: a dash beside a negative bound
/// ("-1.20–0.40") reads badly.
pub fn interval_text(template: &str, interval: Interval, unit: &str) -> String {
    fill(
        template,
        &[
            ("low", &format!("{}{unit}", interval.low)),
            ("high", &format!("{}{unit}", interval.high)),
        ],
    )
}

/// `min..max` is the value axis (1–5 for satisfaction; a symmetric range for change);
/// `labels` name the points, one each, and `part` heads their column in the table.
#[component]
pub fn TrendChart(
    id: &'static str,
    title: String,
    points: Vec<TrendPoint>,
    labels: Vec<PartLabel>,
    part: Signal<&'static str>,
    min: f64,
    max: f64,
) -> impl IntoView {
    let i18n = use_i18n();
    let scale = Scale {
        parts: points.len().max(1),
        min,
        max,
    };
    let title_id = format!("{id}-title");
    let count = points.len().to_string();
    let tips: Vec<String> = points
        .iter()
        .zip(&labels)
        .map(|(p, l)| tooltip(i18n.s(), p, &l.long))
        .collect();
    view! {
        <figure class="chart" id=id data-points=count>
            <figcaption id=title_id.clone()>{title.clone()}</figcaption>
            <svg
                viewBox=format!("0 0 {W} {H}")
                class="chart-svg"
                role="img"
                aria-labelledby=title_id
                focusable="false"
            >
                {value_axis(scale)}
                {part_axis(&labels, scale)}
                {bands(&points, scale)}
                {line(&points, &tips, scale)}
            </svg>
            <ChartTable id title points labels part />
        </figure>
    }
}

/// A dot's tooltip: "April 2025: 4.20 (95% CI 3.85 to 4.55), n = 12".
fn tooltip(t: &'static crate::i18n::StaffMessages, p: &TrendPoint, label: &str) -> String {
    let n = fill(t.staff_n, &[("n", &p.n.to_string())]);
    match (p.value, p.interval) {
        (Some(v), Some(i)) => format!("{label}: {v} ({}), {n}", interval_text(t.staff_ci, i, "")),
        (Some(v), None) => format!("{label}: {v}, {n}"),
        _ => format!("{label}: –, {n}"),
    }
}

/// Where a part and a value fall in the drawing.
#[derive(Debug, Clone, Copy)]
struct Scale {
    parts: usize,
    min: f64,
    max: f64,
}

impl Scale {
    fn x(self, part: usize) -> f64 {
        let step = (W - LEFT - RIGHT) / (self.parts.saturating_sub(1).max(1)) as f64;
        LEFT + step * part as f64
    }

    /// Values beyond the axis are drawn at its end.
    fn y(self, value: f64) -> f64 {
        let value = value.clamp(self.min, self.max);
        TOP + (self.max - value) / (self.max - self.min) * (H - TOP - BOTTOM)
    }
}

/// Five gridlines up the value axis, each with its value.
fn value_axis(scale: Scale) -> impl IntoView {
    let Scale { min, max, .. } = scale;
    (0..=4)
        .map(|k| min + (max - min) * k as f64 / 4.0)
        .map(|t| {
            let ty = scale.y(t);
            view! {
                <line x1=LEFT x2=W - RIGHT y1=ty y2=ty stroke="#b1b4b6" stroke-width="1" />
                <text x=LEFT - 6.0 y=ty + 4.0 text-anchor="end" font-size="12" fill="#0b0c0c">
                    {format!("{t:.1}")}
                </text>
            }
        })
        .collect_view()
}

/// The parts along the bottom, at most about six of them named.
fn part_axis(labels: &[PartLabel], scale: Scale) -> impl IntoView + use<> {
    let every = scale.parts.div_ceil(6).max(1);
    labels
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, l)| {
            view! {
                <text x=scale.x(i) y=H - 12.0 text-anchor="middle" font-size="12" fill="#0b0c0c">
                    {l.short.clone()}
                </text>
            }
        })
        .collect_view()
}

/// The 95% interval as a shaded band under the line: one shape per run of neighbouring points
/// that have an interval (a point without one breaks the band), or a bar with end caps for a
/// point with an interval whose neighbours have none. `data-points` says how many points a
/// shape covers.
fn bands(points: &[TrendPoint], scale: Scale) -> impl IntoView + use<> {
    let mut runs: Vec<Vec<(usize, Interval)>> = Vec::new();
    let mut run = Vec::new();
    for (i, p) in points.iter().enumerate() {
        match p.interval {
            Some(interval) => run.push((i, interval)),
            None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs.into_iter()
        .map(|run| {
            let covered = run.len().to_string();
            if let [(i, interval)] = run[..] {
                let (x, top, bottom) = (
                    scale.x(i),
                    scale.y(interval.high.as_f64()),
                    scale.y(interval.low.as_f64()),
                );
                let d = format!(
                    "M{:.1},{top:.1}H{:.1}M{x:.1},{top:.1}V{bottom:.1}M{:.1},{bottom:.1}H{:.1}",
                    x - 8.0,
                    x + 8.0,
                    x - 8.0,
                    x + 8.0
                );
                view! {
                    <path class="chart-band" data-points=covered d=d fill="none" stroke=BAND_EDGE stroke-width="2" />
                }
                .into_any()
            } else {
                // Along the highs, then back along the lows.
                let highs = run
                    .iter()
                    .map(|(i, v)| (scale.x(*i), scale.y(v.high.as_f64())));
                let lows = run
                    .iter()
                    .rev()
                    .map(|(i, v)| (scale.x(*i), scale.y(v.low.as_f64())));
                let corners: Vec<String> = highs
                    .chain(lows)
                    .map(|(x, y)| format!("{x:.1},{y:.1}"))
                    .collect();
                view! {
                    <polygon class="chart-band" data-points=covered points=corners.join(" ") fill=BAND stroke=BAND_EDGE stroke-width="1" />
                }
                .into_any()
            }
        })
        .collect_view()
}

/// The line through the parts that have a value, with a dot on each (hollow: a small sample)
/// whose tooltip gives its figure, interval and n.
fn line(points: &[TrendPoint], tips: &[String], scale: Scale) -> impl IntoView + use<> {
    let mut path = String::new();
    let mut dots = Vec::new();
    for ((i, p), tip) in points.iter().enumerate().zip(tips) {
        if let Some(v) = p.value {
            let (px, py) = (scale.x(i), scale.y(v.as_f64()));
            path.push_str(&format!(
                "{}{px:.1},{py:.1} ",
                if path.is_empty() { "M" } else { "L" }
            ));
            dots.push((px, py, p.small_sample, p.n, tip.clone()));
        }
    }
    let dots = dots
        .into_iter()
        .map(|(cx, cy, small, n, tip)| {
            view! {
                <circle
                    class="chart-dot"
                    data-n=n.to_string()
                    cx=cx
                    cy=cy
                    r="6"
                    fill=if small { "#ffffff" } else { INK }
                    stroke=INK
                    stroke-width="2"
                >
                    <title>{tip}</title>
                </circle>
            }
        })
        .collect_view();
    view! {
        <path d=path fill="none" stroke=INK stroke-width="3" />
        {dots}
    }
}

/// The chart's figures as a table, folded away under the chart.
#[component]
fn ChartTable(
    id: &'static str,
    title: String,
    points: Vec<TrendPoint>,
    labels: Vec<PartLabel>,
    part: Signal<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = points
        .into_iter()
        .zip(labels)
        .map(|(p, label)| {
            let value = p
                .value
                .map(|v| v.to_string())
                .unwrap_or_else(|| "–".to_owned());
            let interval = p
                .interval
                .map(|i| interval_text(i18n.s().staff_ci_range, i, ""))
                .unwrap_or_else(|| "–".to_owned());
            let small = p.small_sample;
            view! {
                <tr
                    data-first=p.period.first.to_string()
                    data-n=p.n.to_string()
                    data-value=p.value.map(|v| v.to_string()).unwrap_or_default()
                    data-low=p.interval.map(|i| i.low.to_string()).unwrap_or_default()
                    data-high=p.interval.map(|i| i.high.to_string()).unwrap_or_default()
                >
                    <th scope="row">{label.long}</th>
                    <td>
                        {value}
                        {small.then(|| view! { <span class="small-sample">" " {move || i18n.s().staff_small_sample}</span> })}
                    </td>
                    <td>{interval}</td>
                    <td>{p.n}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <details class="chart-table">
            <summary>{move || i18n.s().staff_chart_table}</summary>
            <WideTable labelled_by=format!("{id}-caption")>
            <table class="table">
                <caption class="visually-hidden" id=format!("{id}-caption")>{title}</caption>
                <thead>
                    <tr>
                        <th scope="col">{part}</th>
                        <th scope="col">{move || i18n.s().staff_value}</th>
                        <th scope="col">{move || i18n.s().staff_interval}</th>
                        <th scope="col">"n"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            </WideTable>
        </details>
    }
}
