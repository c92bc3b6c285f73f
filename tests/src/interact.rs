//! Using a page the way a person does: by keyboard (Tab, Space, Enter, arrows), and reading
//! what is on the screen and what each control is called.

use anyhow::{Context as _, anyhow, bail};
use fantoccini::Locator;
use fantoccini::key::Key;
use serde_json::{Value, json};

use crate::browser::{Browser, WAIT};
use crate::wait;

/// The most Tab presses a test makes looking for one control (a page has far fewer).
const MAX_TABS: usize = 40;

impl Browser {
    /// Whether the focused element matches `css`.
    pub async fn focused_is(&self, css: &str) -> anyhow::Result<bool> {
        let answer = self
            .client
            .execute(
                "const e = document.activeElement; return !!e && e.matches(arguments[0]);",
                vec![json!(css)],
            )
            .await
            .context("asking what has the focus")?;
        Ok(answer.as_bool() == Some(true))
    }

    /// Presses keys on whatever has the focus.
    pub async fn press(&self, keys: &str) -> anyhow::Result<()> {
        let active = self
            .client
            .active_element()
            .await
            .context("finding the focus")?;
        active.send_keys(keys).await.context("pressing keys")
    }

    /// Presses Tab until the focus is on an element matching `css`; fails if it never is
    /// (the control cannot be reached by keyboard).
    pub async fn tab_to(&self, css: &str) -> anyhow::Result<()> {
        // The page may still be rendering the control; wait for it to exist first.
        if wait::within(WAIT, || async {
            self.client.find(Locator::Css(css)).await.is_ok()
        })
        .await
        .is_err()
        {
            bail!("no {css:?} on the page to tab to");
        }
        for _ in 0..MAX_TABS {
            if self.focused_is(css).await? {
                return Ok(());
            }
            self.press(&char::from(Key::Tab).to_string()).await?;
        }
        Err(anyhow!(
            "{css:?} was not reached with {MAX_TABS} presses of Tab"
        ))
    }

    /// Tabs to a control and presses Enter on it (a button or link).
    pub async fn activate(&self, css: &str) -> anyhow::Result<()> {
        self.tab_to(css).await?;
        self.press(&char::from(Key::Enter).to_string()).await
    }

    /// Runs a script in the page and returns its value.
    pub async fn eval(&self, script: &str) -> anyhow::Result<Value> {
        self.client
            .execute(script, vec![])
            .await
            .with_context(|| format!("running {script:?}"))
    }

    /// Clicks the element matching `css` as a thumb would: scrolled to the middle of the screen
    /// first, clear of the bar of actions that stays at the bottom (WebDriver's own scrolling
    /// would leave it under the bar, and the bar would take the click).
    pub async fn click(&self, css: &str) -> anyhow::Result<()> {
        let element = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("finding {css}"))?;
        self.client
            .execute(
                "arguments[0].scrollIntoView({ block: 'center' })",
                vec![serde_json::to_value(&element)?],
            )
            .await
            .context("scrolling to it")?;
        element
            .click()
            .await
            .with_context(|| format!("clicking {css}"))
    }

    /// Runs the body of an async function in the page (it may `await`) and returns its value:
    /// WebDriver waits for the promise.
    pub async fn eval_async(&self, body: &str) -> anyhow::Result<Value> {
        self.eval(&format!("return (async () => {{ {body} }})()"))
            .await
    }

    /// Every interactive control on the page whose computed accessible name is empty, described
    /// by its tag, type and id. Uses the browser's own accessibility tree through the labels a
    /// screen reader reads (label, aria-label, aria-labelledby, content, title).
    pub async fn unnamed_controls(&self) -> anyhow::Result<Vec<String>> {
        let script = r#"
            const named = (e) => {
                if (e.getAttribute('aria-label')) return true;
                const by = e.getAttribute('aria-labelledby');
                if (by && by.split(/\s+/).some((id) => (document.getElementById(id)?.textContent || '').trim())) return true;
                if (e.labels && [...e.labels].some((l) => l.textContent.trim())) return true;
                if ((e.textContent || '').trim() && e.tagName !== 'TEXTAREA' && e.tagName !== 'INPUT') return true;
                return !!e.getAttribute('title');
            };
            return [...document.querySelectorAll('button, a[href], input, select, textarea, audio[controls], [role=button], [tabindex]:not([tabindex="-1"])')]
                .filter((e) => !(e.type === 'hidden') && !named(e))
                .map((e) => `${e.tagName.toLowerCase()}[type=${e.type || ''}]#${e.id}`);
        "#;
        let answer = self.eval(script).await?;
        Ok(serde_json::from_value(answer)?)
    }

    /// Names of every button on the page, as a screen reader would announce them.
    pub async fn button_names(&self) -> anyhow::Result<Vec<String>> {
        let answer = self
            .eval(
                "return [...document.querySelectorAll('button')].map((b) => \
                 (b.getAttribute('aria-label') || b.textContent).trim().replace(/\\s+/g, ' '));",
            )
            .await?;
        Ok(serde_json::from_value(answer)?)
    }

    /// Saves a PNG of the page as it looks now.
    pub async fn screenshot(&self, path: &std::path::Path) -> anyhow::Result<()> {
        let png = self
            .client
            .screenshot()
            .await
            .context("taking a screenshot")?;
        std::fs::write(path, png).with_context(|| format!("writing {}", path.display()))
    }
}
