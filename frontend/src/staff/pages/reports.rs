//! The quality report (issue 18): a manager picks any period, looks at what the report would
//! hold, writes up to five key messages (the server drafts some from what moved), records the
//! overall grade in the quality framework's words with a reason, and publishes. Published
//! reports are listed, each opening as its printable page and downloading as XLSX or CSV.
//! Managers and admins only.

use domain::kpi::RatingComment;
use domain::privacy::{PublishedReport, ReportPreview};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::ApiError;
use crate::components::{ErrorSummary, PageHeading};
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::load::load;
use crate::staff::api::{self, Publish};
use crate::staff::auth::use_auth;
use crate::staff::components::comment_choices::CommentChoices;
use crate::staff::components::form::{Field, radios};
use crate::staff::components::report_tab::ReportLinks;
use crate::staff::pages::dashboard::filters::{PeriodChoice, Picker};
use crate::staff::text::{trs, trs_owned};
use crate::staff::time::{date, local_date};

/// At most this many key messages (the server refuses more).
const MAX_MESSAGES: usize = 5;
/// A key message's longest length in characters.
const MESSAGE_MAX_CHARS: usize = 500;

#[component]
pub fn ReportsPage() -> impl IntoView {
    // Bumped after a publication, so the list asks again.
    let published = RwSignal::new(0_u32);
    view! {
        <PageHeading text=trs_owned(|t| t.staff_reports_title) />
        <p class="lead">{trs(|t| t.staff_reports_lead)}</p>
        <PublishForm published />
        <ReportList published />
    }
}

/// A server's refusal, as the message and the field it names (the form's id for it).
fn refusal(error: &ApiError, t: &'static StaffMessages) -> (String, &'static str) {
    match error {
        ApiError::Refused { body, .. } => {
            let field = match body.field.as_deref().unwrap_or_default() {
                f if f.starts_with("key_messages") => "message-1",
                "grade" => "grade-outstanding",
                "grade_reason" => "grade-reason",
                "quotes" => "quote-comments",
                _ => "period",
            };
            (body.message.clone(), field)
        }
        _ => (t.staff_reports_failed.to_owned(), "publish"),
    }
}

#[component]
fn PublishForm(published: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let picker = Picker::new();
    let messages: Vec<RwSignal<String>> = (0..MAX_MESSAGES)
        .map(|_| RwSignal::new(String::new()))
        .collect();
    let messages = StoredValue::new(messages);
    // How many message boxes are shown (one to five).
    let shown = RwSignal::new(1_usize);
    let grade = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let preview = RwSignal::new(None::<Result<ReportPreview, ()>>);
    // The period's comments whose authors agreed to quotation, and those ticked to quote.
    let quotable = RwSignal::new(None::<Result<Vec<RatingComment>, ()>>);
    let quotes = RwSignal::new(Vec::<Uuid>::new());
    let problem = RwSignal::new(None::<(String, &'static str)>);
    let done = RwSignal::new(None::<PublishedReport>);
    let busy = RwSignal::new(false);

    // A new period: the figures shown and the last answer are of the old one.
    Effect::new(move || {
        picker.period();
        preview.set(None);
        quotable.set(None);
        quotes.set(Vec::new());
        done.set(None);
    });
    let show_figures = move |_| {
        let Some(period) = picker.period() else {
            return;
        };
        spawn_local(async move {
            let answer = api::report_preview(auth, period).await;
            if let Err(error) = &answer {
                log::warn!("report preview not fetched: {error}");
            }
            preview.set(Some(answer.map_err(|_| ())));
            let comments = api::comments(auth, period, &api::Filters::default()).await;
            if let Err(error) = &comments {
                log::warn!("comments not fetched: {error}");
            }
            quotable.set(Some(comments.map_err(|_| ()).map(|list| {
                list.into_iter()
                    .filter(|c| c.may_quote && c.comment.is_some())
                    .collect()
            })));
        });
    };
    // A drafted message goes into the first empty box (shown if it was hidden).
    let use_message = move |text: String| {
        messages.with_value(|boxes| {
            if let Some(i) = boxes
                .iter()
                .position(|b| b.with_untracked(String::is_empty))
            {
                boxes[i].set(text);
                shown.update(|n| *n = (*n).max(i + 1));
            }
        });
    };
    let publish = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(period) = picker.period() else {
            problem.set(Some((
                i18n.s().staff_reports_no_period.to_owned(),
                "period",
            )));
            return;
        };
        let key_messages = messages.with_value(|boxes| {
            boxes
                .iter()
                .map(|b| b.get_untracked().trim().to_owned())
                .filter(|m| !m.is_empty())
                .collect()
        });
        let body = Publish {
            period,
            key_messages,
            grade: Some(grade.get_untracked()).filter(|g| !g.is_empty()),
            grade_reason: Some(reason.get_untracked().trim().to_owned()).filter(|r| !r.is_empty()),
            quotes: quotes.get_untracked(),
        };
        busy.set(true);
        spawn_local(async move {
            match api::publish_report(auth, &body).await {
                Ok(report) => {
                    problem.set(None);
                    messages.with_value(|boxes| boxes.iter().for_each(|b| b.set(String::new())));
                    shown.set(1);
                    grade.set(String::new());
                    reason.set(String::new());
                    quotes.set(Vec::new());
                    done.set(Some(report));
                    published.update(|n| *n += 1);
                }
                Err(error) => {
                    log::info!("report not published: {error}");
                    problem.set(Some(refusal(&error, i18n.s())));
                }
            }
            busy.set(false);
        });
    };
    let t = i18n.s();
    let grades = [
        ("outstanding", t.staff_grade_outstanding),
        ("green", t.staff_grade_green),
        ("amber", t.staff_grade_amber),
        ("red", t.staff_grade_red),
    ];
    let message_boxes = move || {
        messages.with_value(|boxes| {
            boxes
                .iter()
                .take(shown.get())
                .enumerate()
                .map(|(i, text)| {
                    let text = *text;
                    let id = format!("message-{}", i + 1);
                    let label = move || {
                        fill(
                            i18n.s().staff_reports_message,
                            &[("n", &(i + 1).to_string())],
                        )
                    };
                    view! {
                        <div class="form-group">
                            <label class="label" for=id.clone()>{label}</label>
                            <textarea
                                class="input textarea"
                                id=id
                                rows="3"
                                maxlength=MESSAGE_MAX_CHARS.to_string()
                                prop:value=move || text.get()
                                on:input=move |ev| text.set(event_target_value(&ev))
                            ></textarea>
                        </div>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="dashboard-detail" aria-labelledby="publish-title">
            <h2 id="publish-title">{trs(|t| t.staff_reports_new)}</h2>
            {move || problem.get().map(|(message, target)| view! { <ErrorSummary message target /> })}
            <form class="report-form" on:submit=publish novalidate>
                <div class="filters">
                    <PeriodChoice picker />
                </div>
                <button type="button" class="button button-secondary" id="show-figures" on:click=show_figures>
                    {trs(|t| t.staff_reports_preview)}
                </button>
                {move || preview.get().map(|p| match p {
                    Ok(p) => view! { <Preview preview=p use_message /> }.into_any(),
                    Err(()) => view! {
                        <p class="error-message" role="alert">{trs(|t| t.staff_reports_failed)}</p>
                    }
                    .into_any(),
                })}
                {move || quotable.get().map(|q| view! {
                    <h3 id="quote-title">{trs(|t| t.staff_reports_quotes)}</h3>
                    <p class="hint">{trs(|t| t.staff_reports_quotes_hint)}</p>
                    {match q {
                        Ok(list) if list.is_empty() => view! {
                            <p id="quote-none">{trs(|t| t.staff_reports_quotes_none)}</p>
                        }
                        .into_any(),
                        Ok(list) => view! { <CommentChoices list ticked=quotes prefix="quote-comment" /> }.into_any(),
                        Err(()) => view! {
                            <p class="error-message" role="alert">{trs(|t| t.staff_reports_failed)}</p>
                        }
                        .into_any(),
                    }}
                })}
                <h3>{trs(|t| t.staff_reports_messages)}</h3>
                <p class="hint">{trs(|t| t.staff_reports_messages_hint)}</p>
                {message_boxes}
                <Show when=move || { shown.get() < MAX_MESSAGES }>
                    <button type="button" class="button button-secondary" id="add-message" on:click=move |_| {
                        shown.update(|n| *n = (*n + 1).min(MAX_MESSAGES));
                    }>{trs(|t| t.staff_reports_add_message)}</button>
                </Show>
                {radios(trs(|t| t.staff_reports_grade), "grade", &grades, grade)}
                <Field id="grade-reason" label=trs(|t| t.staff_reports_reason) hint=trs(|t| t.staff_reports_reason_hint)>
                    <textarea
                        class="input textarea"
                        id="grade-reason"
                        rows="3"
                        aria-describedby="grade-reason-hint"
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))
                    ></textarea>
                </Field>
                <button type="submit" class="button" id="publish" disabled=move || busy.get()>
                    {trs(|t| t.staff_reports_publish)}
                </button>
            </form>
            {move || done.get().map(|r| view! {
                <div class="panel-done" role="status" id="report-published">
                    <p>{fill(i18n.s().staff_reports_published, &[("title", &r.title)])}</p>
                </div>
            })}
        </section>
    }
}

/// What the report would hold: its headline figures, and the drafted key messages.
#[component]
fn Preview(
    preview: ReportPreview,
    use_message: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let s = &preview.snapshot;
    let figure =
        |v: Option<domain::Hundredths>| v.map(|v| v.to_string()).unwrap_or_else(|| "–".to_owned());
    let mut rows = vec![
        (i18n.s().staff_kpi_c, figure(s.kpi_c.mean), s.kpi_c.n),
        (i18n.s().staff_kpi_d, figure(s.kpi_d.mean), s.kpi_d.n),
        (
            i18n.s().staff_wellbeing,
            figure(s.wellbeing.mean_change),
            s.wellbeing.paired_n,
        ),
    ];
    if let Some(o) = &s.outcomes {
        rows.insert(
            0,
            (
                i18n.s().staff_kpi_a,
                figure(o.kpi_a.rate.percent),
                o.kpi_a.rate.n,
            ),
        );
        rows.insert(
            1,
            (
                i18n.s().staff_kpi_b,
                figure(o.kpi_b.weeks.mean),
                o.kpi_b.weeks.n,
            ),
        );
        rows.push((
            i18n.s().staff_kpi_e,
            figure(o.kpi_e.rate.percent),
            o.kpi_e.rate.n,
        ));
    }
    let previous = preview.previous_period;
    let proposed = preview.proposed_messages.clone();
    let none = proposed.is_empty();
    view! {
        <div class="report-preview" id="report-preview">
            <table class="table">
                <caption>
                    {fill(
                        i18n.s().staff_reports_figures,
                        &[("first", &date(s.period.first)), ("last", &date(s.period.last))],
                    )}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">{trs(|t| t.staff_reports_figure)}</th>
                        <th scope="col">{trs(|t| t.staff_reports_value)}</th>
                        <th scope="col">"n"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|(name, value, n)| view! {
                            <tr>
                                <th scope="row">{name}</th>
                                <td>{value}</td>
                                <td>{n.to_string()}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
            <h3>
                {fill(
                    i18n.s().staff_reports_proposed,
                    &[("first", &date(previous.first)), ("last", &date(previous.last))],
                )}
            </h3>
            {none.then(|| view! { <p>{trs(|t| t.staff_reports_proposed_none)}</p> })}
            <ul class="plain-list proposed-messages">
                {proposed
                    .into_iter()
                    .map(|text| {
                        let chosen = text.clone();
                        view! {
                            <li>
                                <p>{text}</p>
                                <button type="button" class="button button-secondary use-message" on:click=move |_| use_message(chosen.clone())>
                                    {trs(|t| t.staff_reports_use)}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

#[component]
fn ReportList(published: RwSignal<u32>) -> impl IntoView {
    let auth = use_auth();
    let reports = load(move || {
        published.get();
        async move { api::reports(auth).await }
    });
    view! {
        <section class="dashboard-detail" aria-labelledby="reports-list-title">
            <h2 id="reports-list-title">{trs(|t| t.staff_reports_list)}</h2>
            {move || match reports.get() {
                None => view! { <p role="status">{trs(|t| t.staff_loading)}</p> }.into_any(),
                Some(Err(error)) => {
                    log::warn!("reports not fetched: {error}");
                    view! { <p class="error-message" role="alert">{trs(|t| t.staff_reports_failed)}</p> }.into_any()
                }
                Some(Ok(list)) if list.is_empty() => {
                    view! { <p>{trs(|t| t.staff_reports_none)}</p> }.into_any()
                }
                Some(Ok(list)) => view! {
                    <ul class="plain-list report-list">
                        {list.into_iter().map(|r| view! { <ReportItem report=r /> }).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </section>
    }
}

/// One published report: its title and period, its printable page and its files.
#[component]
fn ReportItem(report: PublishedReport) -> impl IntoView {
    let i18n = use_i18n();
    let id: Uuid = report.id;
    let period = report.snapshot.period;
    let when = fill(
        i18n.s().staff_reports_when,
        &[
            ("first", &date(period.first)),
            ("last", &date(period.last)),
            ("on", &date(local_date(report.published_at))),
        ],
    );
    let grade = report
        .snapshot
        .grade
        .as_ref()
        .map(|g| grade_label(i18n.s(), g.grade.as_str()));
    view! {
        <li class="report-item" data-id=id.to_string()>
            <h3>{report.title.clone()}</h3>
            <p class="hint">{when}</p>
            {grade.map(|g| view! { <p class="report-grade">{trs(|t| t.staff_reports_grade)}": "<strong>{g}</strong></p> })}
            <ReportLinks id period />
        </li>
    }
}

/// The grade in the quality framework's words.
pub fn grade_label(t: &'static StaffMessages, grade: &str) -> &'static str {
    match grade {
        "outstanding" => t.staff_grade_outstanding,
        "green" => t.staff_grade_green,
        "amber" => t.staff_grade_amber,
        _ => t.staff_grade_red,
    }
}
