//! What a link into the participant app carries after `#`, read once and taken out of the
//! address bar.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// What a link into the app carries after `#` (tokens never travel in a path or query, so they
/// never reach a server log): a survey (`#t=`), results (`#r=`) or an unsubscribe (`#u=`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    Survey(String),
    Results(String),
    Unsubscribe(String),
}

impl Link {
    pub fn parse(hash: &str) -> Option<Link> {
        let (kind, token) = hash.strip_prefix('#')?.split_once('=')?;
        let token = token.trim().to_owned();
        if token.is_empty() {
            return None;
        }
        match kind {
            "t" => Some(Link::Survey(token)),
            "r" => Some(Link::Results(token)),
            "u" => Some(Link::Unsubscribe(token)),
            _ => None,
        }
    }
}

/// Reads a link's token from the address and removes it from the address bar and history at
/// once, so it is not left in history, bookmarks or a shared screenshot.
pub fn take_link() -> Option<Link> {
    let location = window().location();
    let link = Link::parse(&location.hash().ok()?)?;
    let path = location.pathname().unwrap_or_else(|_| "/".to_owned());
    if let Ok(history) = window().history()
        && let Err(error) = history.replace_state_with_url(&JsValue::NULL, "", Some(&path))
    {
        log::warn!("could not clear the link from the address bar: {error:?}");
    }
    Some(link)
}

#[cfg(test)]
mod tests {
    use super::Link;

    #[test]
    fn links_are_read_from_the_fragment() {
        assert_eq!(Link::parse("#t=abc"), Some(Link::Survey("abc".into())));
        assert_eq!(Link::parse("#r=x-y_z"), Some(Link::Results("x-y_z".into())));
        assert_eq!(Link::parse("#u=q"), Some(Link::Unsubscribe("q".into())));
        assert_eq!(Link::parse("#t="), None);
        assert_eq!(Link::parse("#main"), None);
        assert_eq!(Link::parse("#x=1"), None);
        assert_eq!(Link::parse(""), None);
    }
}
