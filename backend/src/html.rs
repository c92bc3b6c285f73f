//! Text placed into HTML we write ourselves (emails, the printable report): every character
//! that could open markup or end an attribute is escaped, quotes of both kinds included.

/// `s` safe inside HTML text and inside a quoted attribute value.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_both_quotes_are_escaped() {
        assert_eq!(
            escape(r#"<b>Tom & Jerry's "best"</b>"#),
            "&lt;b&gt;Tom &amp; Jerry&#39;s &quot;best&quot;&lt;/b&gt;"
        );
        assert_eq!(escape("plain words"), "plain words");
    }
}
