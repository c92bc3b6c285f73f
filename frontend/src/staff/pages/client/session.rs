//! One session in an episode's list: what was done, whether it or an edit of it still waits to
//! be sent, the link to edit it, and any conflicts to resolve.

use leptos::prelude::*;

use super::conflict::ConflictView;
use crate::i18n::{fill, use_i18n};
use crate::staff::offline::SessionView;
use crate::staff::route::{Link, Route};
use crate::staff::text::{stage_label, trs};
use crate::staff::time::date;

#[component]
pub fn SessionItem(session: SessionView) -> impl IntoView {
    let i18n = use_i18n();
    let id = session.id;
    let shown = session.clone().with_pending();
    let held = date(shown.held_on);
    let conflicts = session.conflicts.clone();
    view! {
        <li class="session-item" id=format!("session-{id}")>
            <p>
                <strong>{held.clone()}</strong>
                " · " {shown.activity.clone()} " · "
                {fill(i18n.s().staff_minutes, &[("n", &shown.duration_minutes.to_string())])}
            </p>
            <p class="hint">
                {move || stage_label(i18n.s(), shown.stage)}
                {shown.note.clone().map(|n| view! { " · " {n} })}
            </p>
            {session.local.then(|| view! { <p class="tag">{trs(|t| t.staff_session_not_sent)}</p> })}
            {session.pending.is_some().then(|| view! { <p class="tag">{trs(|t| t.staff_edit_waiting)}</p> })}
            <p>
                <Link route=Route::EditSession(id) class="session-edit">
                    {trs(|t| t.staff_edit_session)}
                    <span class="visually-hidden">
                        " " {move || fill(i18n.s().staff_edit_session_of, &[("date", &held)])}
                    </span>
                </Link>
            </p>
            {conflicts
                .into_iter()
                .map(|c| view! { <ConflictView session=session.clone() conflict=c /> })
                .collect_view()}
        </li>
    }
}
