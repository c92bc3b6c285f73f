//! A month-by-month line chart drawn as SVG by the app (presentation attributes only: the CSP
//! forbids inline styles), with the same figures in a table for screen readers and for anyone
//! who prefers numbers.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::staff::api::TrendPoint;

const W: f64 = 640.0;
const H: f64 = 220.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 36.0;

fn month_label(p: &TrendPoint) -> String {
    p.period.first.format("%b %y").to_string()
}

/// `min..max` is the value axis (1–5 for satisfaction; a symmetric range for change).
#[component]
pub fn TrendChart(
    id: &'static str,
    title: String,
    points: Vec<TrendPoint>,
    min: f64,
    max: f64,
) -> impl IntoView {
    let scale = Scale {
        months: points.len().max(1),
        min,
        max,
    };
    let title_id = format!("{id}-title");
    view! {
        <figure class="chart">
            <figcaption id=title_id.clone()>{title.clone()}</figcaption>
            <svg
                viewBox=format!("0 0 {W} {H}")
                class="chart-svg"
                role="img"
                aria-labelledby=title_id
                focusable="false"
            >
                {value_axis(scale)}
                {month_axis(&points, scale)}
                {line(&points, scale)}
            </svg>
            <ChartTable title points />
        </figure>
    }
}

/// Where a month and a value fall in the drawing.
#[derive(Debug, Clone, Copy)]
struct Scale {
    months: usize,
    min: f64,
    max: f64,
}

impl Scale {
    fn x(self, month: usize) -> f64 {
        let step = (W - LEFT - RIGHT) / (self.months.saturating_sub(1).max(1)) as f64;
        LEFT + step * month as f64
    }

    fn y(self, value: f64) -> f64 {
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

/// The months along the bottom, at most about six of them named.
fn month_axis(points: &[TrendPoint], scale: Scale) -> impl IntoView + use<> {
    let every = scale.months.div_ceil(6).max(1);
    points
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, p)| {
            view! {
                <text x=scale.x(i) y=H - 12.0 text-anchor="middle" font-size="12" fill="#0b0c0c">
                    {month_label(p)}
                </text>
            }
        })
        .collect_view()
}

/// The line through the months that have a value, with a dot on each (hollow: a small sample).
fn line(points: &[TrendPoint], scale: Scale) -> impl IntoView + use<> {
    let mut path = String::new();
    let mut dots = Vec::new();
    for (i, p) in points.iter().enumerate() {
        if let Some(v) = p.value {
            let (px, py) = (scale.x(i), scale.y(v.as_f64().clamp(scale.min, scale.max)));
            path.push_str(&format!(
                "{}{px:.1},{py:.1} ",
                if path.is_empty() { "M" } else { "L" }
            ));
            dots.push((px, py, p.small_sample));
        }
    }
    let dots = dots
        .into_iter()
        .map(|(cx, cy, small)| {
            view! {
                <circle
                    cx=cx
                    cy=cy
                    r="5"
                    fill=if small { "#ffffff" } else { "#0b3d5c" }
                    stroke="#0b3d5c"
                    stroke-width="2"
                />
            }
        })
        .collect_view();
    view! {
        <path d=path fill="none" stroke="#0b3d5c" stroke-width="3" />
        {dots}
    }
}

/// The chart's figures as a table, folded away under the chart.
#[component]
fn ChartTable(title: String, points: Vec<TrendPoint>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = points
        .into_iter()
        .map(|p| {
            let value = p
                .value
                .map(|v| v.to_string())
                .unwrap_or_else(|| "–".to_owned());
            let small = p.small_sample;
            view! {
                <tr>
                    <th scope="row">{month_label(&p)}</th>
                    <td>
                        {value}
                        {small.then(|| view! { <span class="small-sample">" " {move || i18n.s().staff_small_sample}</span> })}
                    </td>
                    <td>{p.n}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <details class="chart-table">
            <summary>{move || i18n.s().staff_chart_table}</summary>
            <table class="table">
                <caption class="visually-hidden">{title}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.s().staff_month}</th>
                        <th scope="col">{move || i18n.s().staff_value}</th>
                        <th scope="col">"n"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </details>
    }
}
