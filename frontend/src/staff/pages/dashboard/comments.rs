//! The comments behind the period's satisfaction ratings, newest first; a recorded one plays
//! in the page; and the way to "You said, we did", to write what was done about them.

use domain::instrument::InstrumentKey;
use domain::kpi::RatingComment;
use leptos::prelude::*;

use super::Shown;
use super::split::{channel_label, support_label};
use crate::i18n::{fill, use_i18n};
use crate::staff::api;
use crate::staff::auth::use_auth;
use crate::staff::components::voice::play_voice;
use crate::staff::route::{Link, Route};
use crate::staff::text::trs;
use crate::staff::time::time_at;

/// The period's comments once the server has given them.
#[component]
pub fn CommentSection(shown: Shown) -> impl IntoView {
    let auth = use_auth();
    let comments = shown.load(move |p, f| async move { Some(api::comments(auth, p, &f).await) });
    move || match comments.get() {
        Some(Some(Ok(list))) => view! { <Comments list /> }.into_any(),
        Some(Some(Err(error))) => {
            log::warn!("comments: {error}");
            view! { <p class="error-message" role="alert">{trs(|t| t.staff_dashboard_error)}</p> }
                .into_any()
        }
        _ => ().into_any(),
    }
}

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
            <p id="comments-actions">
                <Link route=Route::Actions>{trs(|t| t.staff_comments_actions)}</Link>
            </p>
            <ul class="plain-list comment-list">
                {list.into_iter().map(|c| view! { <CommentItem comment=c /> }).collect_view()}
            </ul>
        </section>
    }
}

/// One comment: its rating, survey, when and how it was given, and its words or recording.
#[component]
fn CommentItem(comment: RatingComment) -> impl IntoView {
    let i18n = use_i18n();
    let id = comment.response_id;
    let audio = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<&'static str>);
    let play = play_voice(id, audio, problem);
    let t = i18n.s();
    let instrument = match InstrumentKey::parse(&comment.instrument) {
        Ok(InstrumentKey::EmployerSatisfaction) => t.staff_kpi_c,
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
                    on:click=move |_| play()
                >
                    {trs(|t| t.staff_attention_play)}
                </button>
                {move || audio.get().map(|src| view! { <audio controls src=src aria-label=trs(|t| t.staff_comment_recording)></audio> })}
            })}
            {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
        </li>
    }
}
