//! Spreadsheets we write ourselves (the quality report, the SEQF audit workbook): named sheets,
//! each a bold frozen header row over rows of typed cells, returned as the bytes of one XLSX file.
//! Text is always stored as text, so a comment starting with `=` can never run as a formula.

use anyhow::Context;
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

/// The media type of an XLSX file.
pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Excel's limits: a sheet name's length (UTF-16 units) and a cell's text length.
const SHEET_NAME_MAX: usize = 31;
const CELL_TEXT_MAX: usize = 32_767;
/// Column widths, in characters: wide enough for a date, never wider than a screen's third.
const WIDTH_MIN: usize = 10;
const WIDTH_MAX: usize = 60;

/// One cell's value. Numbers stay numbers and dates real Excel dates, so a reader can sum,
/// sort and filter them without converting text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Written as a string, whatever it starts with.
    Text(String),
    /// A figure shown as Excel's General format shows it.
    Number(f64),
    /// A count, shown without decimals.
    Whole(i64),
    /// A calendar date, shown `yyyy-mm-dd`.
    Date(NaiveDate),
    /// A fraction (0.25) shown as a percentage (25.0%).
    Percent(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<f64> for Cell {
    fn from(n: f64) -> Self {
        Cell::Number(n)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Whole(n)
    }
}

impl From<u32> for Cell {
    fn from(n: u32) -> Self {
        Cell::Whole(i64::from(n))
    }
}

impl From<u64> for Cell {
    fn from(n: u64) -> Self {
        Cell::Whole(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Self {
        Cell::Whole(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Self {
        Cell::Date(d)
    }
}

/// A missing value (a suppressed figure, no benchmark) is an empty cell, never a zero.
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Empty, Into::into)
    }
}

impl Cell {
    /// How many characters the cell shows, for the column width.
    fn shown_width(&self) -> usize {
        match self {
            Cell::Text(s) => s.lines().map(|l| l.chars().count()).max().unwrap_or(0),
            Cell::Number(n) => format!("{n}").len(),
            Cell::Whole(n) => n.to_string().len(),
            Cell::Date(_) => 10,
            Cell::Percent(p) => format!("{:.1}%", p * 100.0).len(),
            Cell::Empty => 0,
        }
    }
}

/// One sheet: its name, the header row and the rows below it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub fn new(name: impl Into<String>, header: &[&str]) -> Self {
        Sheet {
            name: name.into(),
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; cells beyond the header's columns are still written.
    pub fn push(&mut self, row: Vec<Cell>) -> &mut Self {
        self.rows.push(row);
        self
    }

    /// Each column's width in characters: its widest cell plus a margin, within bounds.
    fn column_widths(&self) -> Vec<usize> {
        let columns = self
            .rows
            .iter()
            .map(Vec::len)
            .chain([self.header.len()])
            .max()
            .unwrap_or(0);
        (0..columns)
            .map(|c| {
                let header = self.header.get(c).map_or(0, |h| h.chars().count());
                let widest = self
                    .rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(Cell::shown_width)
                    .chain([header])
                    .max()
                    .unwrap_or(0);
                (widest + 2).clamp(WIDTH_MIN, WIDTH_MAX)
            })
            .collect()
    }
}

/// `name` as Excel accepts it: at most 31 characters, none of `[]:*?/\`, not starting or ending
/// with an apostrophe, not blank. Characters Excel refuses become `-`.
pub fn safe_sheet_name(name: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let mut out = String::new();
    let mut units = 0;
    for c in replaced.trim().trim_matches('\'').chars() {
        units += c.len_utf16();
        if units > SHEET_NAME_MAX {
            break;
        }
        out.push(c);
    }
    let out = out.trim().trim_end_matches('\'').to_owned();
    if out.is_empty() {
        "Sheet".to_owned()
    } else {
        out
    }
}

/// Safe names for all sheets, made distinct (Excel compares them ignoring case) by a `(2)`,
/// `(3)`... suffix that still fits in 31 characters.
fn distinct_sheet_names(sheets: &[Sheet]) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    sheets
        .iter()
        .map(|s| {
            let base = safe_sheet_name(&s.name);
            let mut name = base.clone();
            let mut n = 2;
            while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
                let suffix = format!(" ({n})");
                let room = SHEET_NAME_MAX - suffix.len();
                let mut stem = String::new();
                let mut units = 0;
                for c in base.chars() {
                    units += c.len_utf16();
                    if units > room {
                        break;
                    }
                    stem.push(c);
                }
                name = format!("{}{suffix}", stem.trim_end());
                n += 1;
            }
            taken.push(name.clone());
            name
        })
        .collect()
}

/// Text cut to Excel's cell limit (a longer string would make the whole file fail).
fn cell_text(s: &str) -> &str {
    match s.char_indices().nth(CELL_TEXT_MAX / 2) {
        // Any char is at most two UTF-16 units, so half the limit in chars always fits;
        // only longer strings need their exact count.
        Some(_) => {
            let mut units = 0;
            let end = s
                .char_indices()
                .find(|(_, c)| {
                    units += c.len_utf16();
                    units > CELL_TEXT_MAX
                })
                .map_or(s.len(), |(i, _)| i);
            &s[..end]
        }
        None => s,
    }
}

struct Formats {
    header: Format,
    whole: Format,
    date: Format,
    percent: Format,
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet, name: &str, f: &Formats) -> anyhow::Result<()> {
    ws.set_name(name)
        .with_context(|| format!("naming the sheet {name:?}"))?;
    for (c, h) in sheet.header.iter().enumerate() {
        let col = column(c)?;
        ws.write_string_with_format(0, col, cell_text(h), &f.header)
            .context("writing a header cell")?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let row_num = u32::try_from(r + 1).context("too many rows for a sheet")?;
        for (c, cell) in row.iter().enumerate() {
            let col = column(c)?;
            match cell {
                Cell::Text(s) => ws.write_string(row_num, col, cell_text(s)),
                Cell::Number(n) if n.is_finite() => ws.write_number(row_num, col, *n),
                Cell::Whole(n) => {
                    // Counts here are far below 2^53, where f64 stops holding every integer.
                    let n = *n as f64;
                    ws.write_number_with_format(row_num, col, n, &f.whole)
                }
                Cell::Date(d) => ws.write_datetime_with_format(row_num, col, d, &f.date),
                Cell::Percent(p) if p.is_finite() => {
                    ws.write_number_with_format(row_num, col, *p, &f.percent)
                }
                // Not a number (NaN, infinity) has no cell form: leave it empty.
                Cell::Number(_) | Cell::Percent(_) | Cell::Empty => continue,
            }
            .with_context(|| format!("writing row {} column {} of {name:?}", r + 2, c + 1))?;
        }
    }
    for (c, width) in sheet.column_widths().into_iter().enumerate() {
        ws.set_column_width(column(c)?, width as f64)
            .context("setting a column width")?;
    }
    if !sheet.header.is_empty() {
        ws.set_freeze_panes(1, 0)
            .context("freezing the header row")?;
    }
    Ok(())
}

fn column(c: usize) -> anyhow::Result<u16> {
    u16::try_from(c).context("too many columns for a sheet")
}

/// The XLSX file holding `sheets` in order.
pub fn workbook_bytes(sheets: &[Sheet]) -> anyhow::Result<Vec<u8>> {
    let formats = Formats {
        header: Format::new().set_bold(),
        whole: Format::new().set_num_format("0"),
        date: Format::new().set_num_format("yyyy-mm-dd"),
        percent: Format::new().set_num_format("0.0%"),
    };
    let mut workbook = Workbook::new();
    for (sheet, name) in sheets.iter().zip(distinct_sheet_names(sheets)) {
        let ws = workbook.add_worksheet();
        write_sheet(ws, sheet, &name, &formats)?;
    }
    if sheets.is_empty() {
        // A workbook needs one sheet to open at all.
        workbook.add_worksheet();
    }
    workbook.save_to_buffer().context("writing the XLSX file")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_lose_excels_forbidden_characters_and_fit_31_characters() {
        assert_eq!(
            safe_sheet_name("Q1/Q2 [draft]: a*b?c\\d"),
            "Q1-Q2 -draft-- a-b-c-d"
        );
        assert_eq!(safe_sheet_name("'quoted'"), "quoted");
        assert_eq!(safe_sheet_name("   "), "Sheet");
        let long = "Equality splits by age band and gender, 2026";
        assert_eq!(safe_sheet_name(long).chars().count(), 31);
        assert!(long.starts_with(&safe_sheet_name(long)));
        // Welsh and emoji: Excel counts UTF-16 units.
        let wide = "😀".repeat(20);
        assert_eq!(safe_sheet_name(&wide).encode_utf16().count(), 30);
    }

    #[test]
    fn sheet_names_the_same_but_for_case_are_made_distinct() {
        let sheets = [
            Sheet::new("KPIs", &["a"]),
            Sheet::new("kpis", &["a"]),
            Sheet::new("KPIs", &["a"]),
            Sheet::new("x".repeat(40), &["a"]),
            Sheet::new("x".repeat(35), &["a"]),
        ];
        let names = distinct_sheet_names(&sheets);
        assert_eq!(names[..3], ["KPIs", "kpis (2)", "KPIs (3)"]);
        assert_eq!(names[3], "x".repeat(31));
        assert_eq!(names[4], format!("{} (2)", "x".repeat(27)));
        assert!(names.iter().all(|n| n.encode_utf16().count() <= 31));
    }

    #[test]
    fn columns_are_as_wide_as_their_widest_cell_within_bounds() {
        let mut sheet = Sheet::new("S", &["Figure", "n"]);
        sheet.push(vec!["A much longer figure name".into(), Cell::Whole(12)]);
        sheet.push(vec![Cell::Empty, Cell::Whole(3), "z".repeat(200).into()]);
        assert_eq!(sheet.column_widths(), [27, WIDTH_MIN, WIDTH_MAX]);
    }

    #[test]
    fn text_longer_than_a_cell_holds_is_cut_to_the_limit() {
        let long = "é".repeat(CELL_TEXT_MAX + 5);
        assert_eq!(cell_text(&long).chars().count(), CELL_TEXT_MAX);
        let wide = "😀".repeat(CELL_TEXT_MAX);
        assert_eq!(cell_text(&wide).encode_utf16().count(), CELL_TEXT_MAX - 1);
        assert_eq!(cell_text("short"), "short");
    }

    #[test]
    fn missing_values_are_empty_cells_not_zeros() {
        assert_eq!(Cell::from(None::<f64>), Cell::Empty);
        assert_eq!(Cell::from(Some(2.5)), Cell::Number(2.5));
        assert_eq!(Cell::from(7_u32), Cell::Whole(7));
    }

    #[test]
    fn a_workbook_of_every_cell_kind_is_a_zip_naming_its_sheets() -> anyhow::Result<()> {
        let mut kpis = Sheet::new("KPIs", &["Figure", "Value", "n", "Date", "Share"]);
        kpis.push(vec![
            "=1+1".into(),
            Cell::Number(1.25),
            Cell::Whole(40),
            Cell::Date(NaiveDate::from_ymd_opt(2026, 3, 31).context("date")?),
            Cell::Percent(0.5),
            Cell::Number(f64::NAN),
            Cell::Empty,
        ]);
        let bytes = workbook_bytes(&[kpis, Sheet::new("Methods: notes", &["Item"])])?;
        assert!(bytes.starts_with(b"PK\x03\x04"), "an XLSX file is a zip");
        assert!(workbook_bytes(&[])?.starts_with(b"PK"));
        Ok(())
    }
}
