//! Reading the XLSX files the server writes with calamine, a reader other than the writer (as
//! a spreadsheet would): sheets, rows by header name, numbers.

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use std::collections::HashMap;

/// Every sheet of the file, in order, with its rows (the header row first).
pub fn read(bytes: Vec<u8>) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let names = book.sheet_names().to_owned();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range.rows().map(<[Data]>::to_vec).collect();
            (name, rows)
        })
        .collect()
}

/// A sheet's rows below its header, each a map from the header's names to the cells.
pub fn records(sheets: &[(String, Vec<Vec<Data>>)], name: &str) -> Vec<HashMap<String, Data>> {
    let (_, rows) = sheets
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no sheet {name}"));
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    rows[1..]
        .iter()
        .map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
        .collect()
}

/// A number cell's value (`None` for an empty cell); anything else fails the test.
pub fn number(c: &Data) -> Option<f64> {
    match c {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        Data::Empty => None,
        other => panic!("not a number: {other:?}"),
    }
}
