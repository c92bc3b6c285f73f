//! The manager's dashboard: KPI C, KPI D and wellbeing change for a period as large tiles (each
//! with its n, a small-sample mark and the previous period), month-by-month charts with a table
//! alternative, each satisfaction KPI split by completion mode (help while answering, and whose
//! device), the SWEMWBS gaps and coverage (due vs answered), the comments behind the ratings
//! (voice ones played in the page) and the CSV exports. Filters by team, specialist and
//! programme ask the server, so the figures are exactly the API's.

use chrono::{Datelike, Months, NaiveDate};
use domain::Hundredths;
use domain::coverage::{Coverage, DueAnswered};
use domain::kpi::{RatingComment, SatisfactionKpi, Split, WellbeingKpi};
use domain::period::Period;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiError;
use crate::components::PageHeading;
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::load::load;
use crate::staff::text::{trs, trs_owned};

use crate::staff::api::{self, Filters, Trend};
use crate::staff::auth::use_auth;
use crate::staff::components::chart::TrendChart;
use crate::staff::time::{date, time_at, today};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    ThisQuarter,
    LastQuarter,
    FinancialYear,
    TwelveMonths,
}

impl Choice {
    const ALL: [Choice; 4] = [
        Choice::ThisQuarter,
        Choice::LastQuarter,
        Choice::FinancialYear,
        Choice::TwelveMonths,
    ];

    fn key(self) -> &'static str {
        match self {
            Choice::ThisQuarter => "this-quarter",
            Choice::LastQuarter => "last-quarter",
            Choice::FinancialYear => "financial-year",
            Choice::TwelveMonths => "twelve-months",
        }
    }

    fn label(self, t: &'static StaffMessages) -> &'static str {
        match self {
            Choice::ThisQuarter => t.staff_period_this_quarter,
            Choice::LastQuarter => t.staff_period_last_quarter,
            Choice::FinancialYear => t.staff_period_financial_year,
            Choice::TwelveMonths => t.staff_period_twelve_months,
        }
    }

    fn period(self, today: NaiveDate) -> Option<Period> {
        let this_quarter = Period::quarter(today.year(), (today.month() - 1) / 3 + 1).ok()?;
        match self {
            Choice::ThisQuarter => Some(this_quarter),
            Choice::LastQuarter => this_quarter.previous(),
            Choice::FinancialYear => {
                let start = if today.month() >= 4 {
                    today.year()
                } else {
                    today.year() - 1
                };
                Period::financial_year(start).ok()
            }
            Choice::TwelveMonths => twelve_months_to(today),
        }
    }
}

/// The twelve calendar months ending with the one that holds `day`.
fn twelve_months_to(day: NaiveDate) -> Option<Period> {
    let month = Period::month(day.year(), day.month()).ok()?;
    let first = month.first.checked_sub_months(Months::new(11))?;
    Period::new(first, month.last).ok()
}

fn some(value: String) -> Option<String> {
    (!value.is_empty()).then_some(value)
}

/// The three headline figures for one period.
#[derive(Debug, Clone, PartialEq)]
struct Figures {
    kpi_c: SatisfactionKpi,
    kpi_d: SatisfactionKpi,
    wellbeing: WellbeingKpi,
}

async fn figures(
    auth: crate::staff::auth::Auth,
    period: Period,
    filters: Filters,
) -> Result<Figures, ApiError> {
    // The three at once: the page waits for the slowest, not for the sum.
    let (kpi_c, kpi_d, wellbeing) = futures_util::try_join!(
        api::kpi_c(auth, period, &filters),
        api::kpi_d(auth, period, &filters),
        api::wellbeing(auth, period, &filters),
    )?;
    Ok(Figures {
        kpi_c,
        kpi_d,
        wellbeing,
    })
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let choice = RwSignal::new(Choice::ThisQuarter);
    let team = RwSignal::new(String::new());
    let specialist = RwSignal::new(String::new());
    let programme = RwSignal::new(String::new());
    let filters = Memo::new(move |_| Filters {
        team_id: some(team.get()),
        specialist_id: some(specialist.get()),
        programme: some(programme.get()),
    });
    let period = Memo::new(move |_| choice.get().period(today()));
    let teams = load(move || async move { api::teams(auth).await.unwrap_or_default() });
    let staff = load(move || async move {
        let mut staff = api::staff(auth).await.unwrap_or_default();
        staff.retain(|s| s.role == domain::Role::Specialist && s.active);
        staff
    });
    let current = load(move || {
        let (period, filters) = (period.get(), filters.get());
        async move {
            match period {
                Some(p) => figures(auth, p, filters).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let previous = load(move || {
        let (period, filters) = (period.get().and_then(|p| p.previous()), filters.get());
        async move {
            match period {
                Some(p) => figures(auth, p, filters).await.ok(),
                None => None,
            }
        }
    });
    let trend = load(move || {
        let (period, filters) = (period.get(), filters.get());
        async move {
            let range = period.and_then(|p| twelve_months_to(p.last))?;
            api::trend(auth, range, &filters).await.ok()
        }
    });
    let coverage = load(move || {
        let (period, filters) = (period.get(), filters.get());
        async move {
            match period {
                Some(p) => api::coverage(auth, p, &filters).await.ok(),
                None => None,
            }
        }
    });
    let comments = load(move || {
        let (period, filters) = (period.get(), filters.get());
        async move {
            match period {
                Some(p) => api::comments(auth, p, &filters).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let loaded = move || matches!(current.get(), Some(Ok(Some(_))));

    view! {
        <PageHeading text=trs_owned(|t| t.staff_dashboard_title) />
        <form class="filters" on:submit=|ev| ev.prevent_default()>
            <div class="form-group">
                <label class="label" for="period">{trs(|t| t.staff_period)}</label>
                <select class="input" id="period" on:change=move |ev| {
                    let key = event_target_value(&ev);
                    if let Some(c) = Choice::ALL.into_iter().find(|c| c.key() == key) {
                        choice.set(c);
                    }
                }>
                    {Choice::ALL
                        .into_iter()
                        .map(|c| view! {
                            <option value=c.key() selected=move || choice.get() == c>
                                {move || c.label(i18n.s())}
                            </option>
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="form-group">
                <label class="label" for="team">{trs(|t| t.staff_team)}</label>
                <select class="input" id="team" on:change=move |ev| team.set(event_target_value(&ev))>
                    <option value="">{trs(|t| t.staff_all_teams)}</option>
                    {move || teams.get().unwrap_or_default().into_iter().map(|t| {
                        let id = t.id.to_string();
                        view! { <option value=id.clone() selected=move || team.get() == id>{t.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="form-group">
                <label class="label" for="specialist">{trs(|t| t.staff_specialist)}</label>
                <select class="input" id="specialist" on:change=move |ev| specialist.set(event_target_value(&ev))>
                    <option value="">{trs(|t| t.staff_all_specialists)}</option>
                    {move || staff.get().unwrap_or_default().into_iter().map(|s| {
                        let id = s.id.to_string();
                        view! { <option value=id.clone() selected=move || specialist.get() == id>{s.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="form-group">
                <label class="label" for="programme">{trs(|t| t.staff_programme)}</label>
                <select class="input" id="programme" on:change=move |ev| programme.set(event_target_value(&ev))>
                    <option value="">{trs(|t| t.staff_all_programmes)}</option>
                    <option value="seqf">"SEQF"</option>
                    <option value="ips">"IPS"</option>
                </select>
            </div>
        </form>
        <p class="hint" id="period-shown">
            {move || period.get().map(|p| fill(
                i18n.s().staff_period_shown,
                &[("first", &date(p.first)), ("last", &date(p.last))],
            ))}
        </p>
        <div class="dashboard" data-loaded=move || loaded().to_string() aria-busy=move || (!loaded()).to_string()>
            {move || match current.get() {
                None => view! { <p role="status">{trs(|t| t.staff_loading)}</p> }.into_any(),
                Some(Err(error)) => {
                    log::warn!("dashboard: {error}");
                    view! { <p class="error-message" role="alert">{trs(|t| t.staff_dashboard_error)}</p> }.into_any()
                }
                Some(Ok(None)) => ().into_any(),
                Some(Ok(Some(now))) => {
                    let before = previous.get().flatten();
                    view! { <Tiles now before /> }.into_any()
                }
            }}
        </div>
        {move || coverage.get().flatten().map(|c| view! { <CoverageTable coverage=c /> })}
        {move || trend.get().flatten().map(|trend| view! { <Charts trend /> })}
        {move || match comments.get() {
            Some(Ok(Some(list))) => view! { <Comments list /> }.into_any(),
            Some(Err(error)) => {
                log::warn!("comments: {error}");
                view! { <p class="error-message" role="alert">{trs(|t| t.staff_dashboard_error)}</p> }.into_any()
            }
            _ => ().into_any(),
        }}
        <Downloads />
    }
}

fn change_text(
    t: &'static StaffMessages,
    now: Option<Hundredths>,
    before: Option<Hundredths>,
) -> String {
    match (now, before) {
        (Some(now), Some(before)) => {
            let diff = Hundredths(now.0 - before.0);
            let sign = if diff.0 > 0 { "+" } else { "" };
            fill(
                t.staff_compared,
                &[
                    ("before", &before.to_string()),
                    ("diff", &format!("{sign}{diff}")),
                ],
            )
        }
        _ => t.staff_compared_none.to_owned(),
    }
}

#[component]
fn Tile(
    id: &'static str,
    title: &'static str,
    value: Option<Hundredths>,
    n: u64,
    small: bool,
    comparison: String,
    #[prop(optional)] unit: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let shown = value
        .map(|v| format!("{v}{unit}"))
        .unwrap_or_else(|| "–".to_owned());
    view! {
        <section class="tile" id=id aria-labelledby=format!("{id}-title")>
            <h2 class="tile-title" id=format!("{id}-title")>{title}</h2>
            <p class="tile-value" data-value=value.map(|v| v.to_string()).unwrap_or_default()>{shown}</p>
            <p class="tile-n" data-n=n.to_string()>{move || fill(i18n.s().staff_n, &[("n", &n.to_string())])}</p>
            {small.then(|| view! { <p class="small-sample tile-small">{move || i18n.s().staff_small_sample_long}</p> })}
            <p class="tile-compare">{comparison}</p>
        </section>
    }
}

#[component]
fn Tiles(now: Figures, before: Option<Figures>) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.s();
    let b = before.as_ref();
    let w = now.wellbeing.clone();
    view! {
        <div class="tiles">
            <Tile
                id="kpi-c"
                title=t.staff_kpi_c
                value=now.kpi_c.mean
                n=now.kpi_c.n
                small=now.kpi_c.small_sample
                comparison=change_text(t, now.kpi_c.mean, b.and_then(|b| b.kpi_c.mean))
            />
            <Tile
                id="kpi-d"
                title=t.staff_kpi_d
                value=now.kpi_d.mean
                n=now.kpi_d.n
                small=now.kpi_d.small_sample
                comparison=change_text(t, now.kpi_d.mean, b.and_then(|b| b.kpi_d.mean))
            />
            <Tile
                id="wellbeing"
                title=t.staff_wellbeing
                value=w.mean_change
                n=w.paired_n
                small=w.small_sample
                comparison=change_text(t, w.mean_change, b.and_then(|b| b.wellbeing.mean_change))
            />
        </div>
        <section class="dashboard-detail" aria-labelledby="wellbeing-detail">
            <h2 id="wellbeing-detail">{trs(|t| t.staff_wellbeing_detail)}</h2>
            <ul class="plain-list">
                <li id="wellbeing-bands">
                    {fill(t.staff_bands, &[
                        ("improved", &w.improved.to_string()),
                        ("same", &w.no_meaningful_change.to_string()),
                        ("declined", &w.declined.to_string()),
                    ])}
                </li>
                <li id="gap-end">{fill(t.staff_gap_end, &[("n", &w.ended_without_end_score.to_string())])}</li>
                <li id="gap-start">{fill(t.staff_gap_start, &[("n", &w.started_without_start_score.to_string())])}</li>
            </ul>
        </section>
        <section class="dashboard-detail" aria-labelledby="split-title">
            <h2 id="split-title">{trs(|t| t.staff_split_title)}</h2>
            <p class="hint">{trs(|t| t.staff_split_lead)}</p>
            <SplitTables id="kpi-c" title=t.staff_kpi_c kpi=now.kpi_c.clone() />
            <SplitTables id="kpi-d" title=t.staff_kpi_d kpi=now.kpi_d.clone() />
        </section>
    }
}

/// One KPI split by the help people had while answering and by whose device carried the answers.
#[component]
fn SplitTables(id: &'static str, title: &'static str, kpi: SatisfactionKpi) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.s();
    // Not a landmark of its own: the tile above already is one with this title.
    view! {
        <div class="split">
            <h3 id=format!("split-{id}-title")>{title}</h3>
            {split_table(&format!("split-{id}-support"), t.staff_support, kpi.by_support, support_label)}
            {split_table(&format!("split-{id}-channel"), t.staff_channel, kpi.by_channel, channel_label)}
        </div>
    }
}

fn split_table(
    id: &str,
    caption: &'static str,
    rows: Vec<Split>,
    label: fn(&'static StaffMessages, &str) -> &'static str,
) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let t = i18n.s();
    let empty = rows.is_empty();
    view! {
        <table class="table split-table" id=id.to_owned()>
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{t.staff_split_group}</th>
                    <th scope="col">{t.staff_split_mean}</th>
                    <th scope="col">"n"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|s| view! {
                    <tr data-key=s.key.clone() data-n=s.n.to_string() data-mean=s.mean.map(|m| m.to_string()).unwrap_or_default()>
                        <th scope="row">{label(t, &s.key)}</th>
                        <td>
                            {s.mean.map(|m| m.to_string()).unwrap_or_else(|| "–".to_owned())}
                            {s.small_sample.then(|| view! { <span class="small-sample">" " {t.staff_small_sample}</span> })}
                        </td>
                        <td>{s.n}</td>
                    </tr>
                }).collect_view()}
                {empty.then(|| view! { <tr><td colspan="3">{t.staff_split_none}</td></tr> })}
            </tbody>
        </table>
    }
}

fn channel_label(t: &'static StaffMessages, key: &str) -> &'static str {
    match key {
        "own_device" => t.staff_channel_own,
        "staff_device" => t.staff_channel_staff,
        "paper_transcribed" => t.staff_channel_paper,
        _ => t.staff_support_other,
    }
}

/// Who was due each survey in the period and who answered: the gaps are the people missing.
#[component]
fn CoverageTable(coverage: Coverage) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.s();
    let rows: [(&'static str, &'static str, DueAnswered); 4] = [
        (
            "swemwbs_start",
            t.staff_coverage_swemwbs_start,
            coverage.swemwbs_start,
        ),
        (
            "swemwbs_end",
            t.staff_coverage_swemwbs_end,
            coverage.swemwbs_end,
        ),
        (
            "jobseeker_satisfaction",
            t.staff_kpi_d,
            coverage.jobseeker_satisfaction,
        ),
        (
            "employer_satisfaction",
            t.staff_kpi_c,
            coverage.employer_satisfaction,
        ),
    ];
    view! {
        <section class="dashboard-detail" aria-labelledby="coverage-title">
            <h2 id="coverage-title">{trs(|t| t.staff_coverage_title)}</h2>
            <p class="hint">{trs(|t| t.staff_coverage_lead)}</p>
            <table class="table" id="coverage">
                <caption class="visually-hidden">{trs(|t| t.staff_coverage_title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.staff_coverage_survey}</th>
                        <th scope="col">{t.staff_coverage_due}</th>
                        <th scope="col">{t.staff_coverage_answered}</th>
                        <th scope="col">{t.staff_coverage_missing}</th>
                        <th scope="col">"%"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|(key, label, d)| view! {
                        <tr data-key=key data-due=d.due.to_string() data-answered=d.answered.to_string()>
                            <th scope="row">{label}</th>
                            <td>{d.due}</td>
                            <td>{d.answered}</td>
                            <td class="coverage-missing">{d.due.saturating_sub(d.answered)}</td>
                            <td>{d.pct.map(|p| p.to_string()).unwrap_or_else(|| "–".to_owned())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p id="coverage-invitations">
                {fill(t.staff_coverage_invitations, &[
                    ("sent", &coverage.invitations_sent.to_string()),
                    ("answered", &coverage.invitations_answered.to_string()),
                ])}
            </p>
        </section>
    }
}

/// The comments behind the ratings, newest first; a recorded one plays in the page.
#[component]
fn Comments(list: Vec<RatingComment>) -> impl IntoView {
    let i18n = use_i18n();
    let empty = list.is_empty();
    let count = list.len();
    view! {
        <section class="dashboard-detail" aria-labelledby="comments-title">
            <h2 id="comments-title">{trs(|t| t.staff_comments_title)}</h2>
            <p class="hint" id="comments-count" data-n=count.to_string()>
                {move || fill(i18n.s().staff_comments_count, &[("n", &count.to_string())])}
            </p>
            {empty.then(|| view! { <p>{trs(|t| t.staff_comments_none)}</p> })}
            <ul class="plain-list comment-list">
                {list.into_iter().map(|c| view! { <CommentItem comment=c /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn CommentItem(comment: RatingComment) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let id = comment.response_id;
    let audio = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<&'static str>);
    let play = move |_| {
        spawn_local(async move {
            match api::voice(auth, id).await {
                Ok(blob) => audio.set(Some(crate::device::object_url(&blob))),
                Err(error) => {
                    log::warn!("voice comment not fetched: {error}");
                    problem.set(Some(i18n.s().staff_attention_failed));
                }
            }
        });
    };
    let t = i18n.s();
    let instrument = match comment.instrument.as_str() {
        "employer_satisfaction" => t.staff_kpi_c,
        _ => t.staff_kpi_d,
    };
    let when = time_at(comment.answered_at);
    let rating = match comment.overall {
        Some(r) => fill(t.staff_comment_rating, &[("n", &r.to_string())]),
        None => t.staff_comment_no_rating.to_owned(),
    };
    let how = format!(
        "{} · {}",
        support_label(t, comment.support.as_str()),
        channel_label(t, comment.channel.as_str())
    );
    let play_label = format!("play-{id}");
    let heading = format!("comment-{id}");
    view! {
        <li class="comment-item" data-response=id.to_string()>
            <h3 class="comment-heading" id=heading.clone()>{rating}</h3>
            <p class="hint">{instrument} " · " {when} " · " {how}</p>
            {comment.comment.clone().map(|c| view! { <blockquote class="comment-text">{c}</blockquote> })}
            {comment.voice_comment.then(|| view! {
                <button
                    type="button"
                    class="button button-secondary play-voice"
                    id=play_label.clone()
                    aria-labelledby=format!("{play_label} {heading}")
                    on:click=play
                >
                    {trs(|t| t.staff_attention_play)}
                </button>
                {move || audio.get().map(|src| view! { <audio controls src=src aria-label=trs(|t| t.staff_comment_recording)></audio> })}
            })}
            {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
        </li>
    }
}

/// The CSV exports, fetched with the login's token and saved as files.
#[component]
fn Downloads() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let problem = RwSignal::new(None::<&'static str>);
    let download = move |path: &'static str| {
        spawn_local(async move {
            match api::export(auth, &format!("{path}.csv")).await {
                Ok(blob) => {
                    problem.set(None);
                    crate::device::save_file(&blob, &format!("soundings-{path}-{}.csv", today()));
                }
                Err(error) => {
                    log::warn!("export not fetched: {error}");
                    problem.set(Some(i18n.s().staff_download_failed));
                }
            }
        });
    };
    view! {
        <section class="dashboard-detail" aria-labelledby="downloads-title">
            <h2 id="downloads-title">{trs(|t| t.staff_downloads_title)}</h2>
            <p class="hint">{trs(|t| t.staff_downloads_lead)}</p>
            <div class="button-group">
                <button type="button" class="button button-secondary" id="download-episodes" on:click=move |_| download("episodes")>
                    {trs(|t| t.staff_download_episodes)}
                </button>
                <button type="button" class="button button-secondary" id="download-responses" on:click=move |_| download("responses")>
                    {trs(|t| t.staff_download_responses)}
                </button>
            </div>
            {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
        </section>
    }
}

fn support_label(t: &'static StaffMessages, key: &str) -> &'static str {
    match key {
        "none" => t.staff_support_none,
        "read_aloud" => t.staff_support_read_aloud,
        "staff_assisted" => t.staff_support_assisted,
        _ => t.staff_support_other,
    }
}

#[component]
fn Charts(trend: Trend) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.s();
    view! {
        <section class="charts" aria-labelledby="charts-title">
            <h2 id="charts-title">{trs(|t| t.staff_trends)}</h2>
            <TrendChart id="chart-kpi-c" title=t.staff_kpi_c.to_owned() points=trend.kpi_c min=1.0 max=5.0 />
            <TrendChart id="chart-kpi-d" title=t.staff_kpi_d.to_owned() points=trend.kpi_d min=1.0 max=5.0 />
            <TrendChart id="chart-wellbeing" title=t.staff_wellbeing.to_owned() points=trend.wellbeing_change min=-10.0 max=10.0 />
        </section>
    }
}
