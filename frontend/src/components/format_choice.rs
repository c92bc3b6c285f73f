//! Standard or Easy Read: the same two radios on the survey intro and the results page.

use leptos::prelude::*;

use crate::i18n::tr;

#[component]
pub fn FormatChoice(
    #[prop(into)] easy_read: Signal<bool>,
    #[prop(into)] choose: Callback<bool>,
) -> impl IntoView {
    view! {
        <fieldset class="fieldset format-choice">
            <legend class="legend">{tr(|t| t.intro_format_legend)}</legend>
            <div class="radios">
                <div class="radio">
                    <input
                        type="radio"
                        id="format-standard"
                        name="format"
                        prop:checked=move || !easy_read.get()
                        on:change=move |_| choose.run(false)
                    />
                    <label for="format-standard">{tr(|t| t.format_standard)}</label>
                </div>
                <div class="radio">
                    <input
                        type="radio"
                        id="format-easy-read"
                        name="format"
                        prop:checked=move || easy_read.get()
                        on:change=move |_| choose.run(true)
                    />
                    <label for="format-easy-read">{tr(|t| t.format_easy_read)}</label>
                </div>
            </div>
        </fieldset>
    }
}
