//! Turns `locales/*.json` into Rust statics, one `Messages` struct with a field per key, so the
//! app reads `t.status_up` (a typo is a compile error) and pays nothing to parse JSON at start.
//! The build fails when a language lacks a key that English has, or has one English lacks.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

/// Every other language is checked against this one.
const REFERENCE: &str = "en";

type Catalogue = BTreeMap<String, String>;

fn main() {
    if let Err(message) = run() {
        // A build script reports failure through its exit code; the message is shown by cargo.
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    println!("cargo::rerun-if-changed=locales");
    let mut catalogues = BTreeMap::new();
    let entries = fs::read_dir("locales").map_err(|e| format!("reading locales/: {e}"))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("reading locales/: {e}"))?.path();
        if path.extension().is_some_and(|ext| ext == "json") {
            println!("cargo::rerun-if-changed={}", path.display());
            let code = language_code(&path)?;
            catalogues.insert(code, read_catalogue(&path)?);
        }
    }

    let reference = catalogues
        .get(REFERENCE)
        .ok_or_else(|| format!("locales/{REFERENCE}.json is missing"))?;
    let problems: Vec<String> = catalogues
        .iter()
        .flat_map(|(code, catalogue)| key_problems(code, catalogue, reference))
        .collect();
    if !problems.is_empty() {
        return Err(format!(
            "the translation files disagree:\n  {}",
            problems.join("\n  ")
        ));
    }

    let out =
        Path::new(&env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?).join("messages.rs");
    fs::write(&out, generate(reference, &catalogues))
        .map_err(|e| format!("writing {}: {e}", out.display()))
}

fn language_code(path: &Path) -> Result<String, String> {
    let code = path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or_default();
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(format!(
            "{}: name locale files by their language code, e.g. cy.json",
            path.display()
        ));
    }
    Ok(code.to_owned())
}

fn read_catalogue(path: &Path) -> Result<Catalogue, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let catalogue: Catalogue = serde_json::from_str(&text)
        .map_err(|e| format!("{}: expected a flat object of strings: {e}", path.display()))?;
    for (key, value) in &catalogue {
        let is_identifier = key.starts_with(|c: char| c.is_ascii_lowercase())
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !is_identifier {
            return Err(format!(
                "{}: key {key:?} must be snake_case (it becomes a Rust field)",
                path.display()
            ));
        }
        if value.trim().is_empty() {
            return Err(format!("{}: {key} is empty", path.display()));
        }
    }
    Ok(catalogue)
}

fn key_problems(code: &str, catalogue: &Catalogue, reference: &Catalogue) -> Vec<String> {
    let missing = reference
        .keys()
        .filter(|key| !catalogue.contains_key(*key))
        .map(|key| format!("{code}.json lacks {key:?}"));
    let extra = catalogue
        .keys()
        .filter(|key| !reference.contains_key(*key))
        .map(|key| format!("{code}.json has {key:?}, which {REFERENCE}.json lacks"));
    missing.chain(extra).collect()
}

/// Keys of the staff app. They go in a struct of their own, so the participant app (a survey
/// link on a cheap phone) never carries them.
const STAFF_PREFIX: &str = "staff_";

fn generate(reference: &Catalogue, catalogues: &BTreeMap<String, Catalogue>) -> String {
    let mut code = String::new();
    for (name, prefix, staff) in [("Messages", "", false), ("StaffMessages", "STAFF_", true)] {
        let _ = writeln!(
            code,
            "/// Every user-visible text of the {} app, in one language (from `locales/*.json`).\n\
             #[derive(Debug)]\npub struct {name} {{",
            if staff { "staff" } else { "participant" }
        );
        for key in reference.keys() {
            if key.starts_with(STAFF_PREFIX) == staff {
                let _ = writeln!(code, "    pub {key}: &'static str,");
            }
        }
        code.push_str("}\n");
        for (language, catalogue) in catalogues {
            let _ = writeln!(
                code,
                "pub static {prefix}{}: {name} = {name} {{",
                language.to_uppercase()
            );
            for (key, text) in catalogue {
                if key.starts_with(STAFF_PREFIX) == staff {
                    // Debug formatting of a str is a valid Rust string literal, escapes included.
                    let _ = writeln!(code, "    {key}: {text:?},");
                }
            }
            code.push_str("};\n");
        }
    }
    code
}
