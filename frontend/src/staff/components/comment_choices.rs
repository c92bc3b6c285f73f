//! A period's comments as checkboxes, each with its rating, day and words: the "You said, we
//! did" page ticks the ones that prompted an action, the reports page the ones a report quotes.

use domain::kpi::RatingComment;
use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::{fill, use_i18n};
use crate::staff::time::date;

/// `prefix` names the list (`{prefix}s`) and each box (`{prefix}-{response id}`).
#[component]
pub fn CommentChoices(
    list: Vec<RatingComment>,
    ticked: RwSignal<Vec<Uuid>>,
    prefix: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let items = list
        .into_iter()
        .map(|c| {
            let rid = c.response_id;
            let box_id = format!("{prefix}-{rid}");
            let rating = c.overall;
            let words = c.comment.clone();
            let voice = c.voice_comment;
            let on = move || ticked.with(|v| v.contains(&rid));
            view! {
                <li class="checkbox action-comment" data-response=rid.to_string()>
                    <input
                        type="checkbox"
                        id=box_id.clone()
                        value=rid.to_string()
                        prop:checked=on
                        on:change=move |ev| {
                            let yes = event_target_checked(&ev);
                            ticked.update(|v| {
                                v.retain(|x| *x != rid);
                                if yes {
                                    v.push(rid);
                                }
                            });
                        }
                    />
                    <label for=box_id>
                        <span class="action-rating">
                            {move || {
                                let t = i18n.s();
                                match rating {
                                    Some(r) => fill(t.staff_actions_rating, &[("n", &r.to_string())]),
                                    None => t.staff_actions_no_rating.to_owned(),
                                }
                            }}
                            " · "
                            {date(c.answered_on)}
                        </span>
                        " "
                        <span class="action-comment-text">
                            {move || match &words {
                                Some(w) => w.clone(),
                                None if voice => i18n.s().staff_actions_voice_comment.to_owned(),
                                None => String::new(),
                            }}
                        </span>
                    </label>
                </li>
            }
        })
        .collect_view();
    view! {
        <ul class="plain-list action-comments" id=format!("{prefix}s")>{items}</ul>
    }
}
