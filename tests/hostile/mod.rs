//! Hostile input for the parsers' property tests: text with the characters parsers trip on,
//! valid-ish documents with mutations (truncation, insertion, deletion, duplication), and
//! truncation at every boundary. Shared by `tests/parsers_props.rs`.
#![allow(dead_code)]

use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Cases per property: the whole set stays well under a minute on 2 cores in a debug build.
/// `PROPTEST_CASES` asks for more (or fewer) by hand.
pub fn config(cases: u32) -> ProptestConfig {
    let asked = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok());
    ProptestConfig {
        cases: asked.unwrap_or(cases),
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    }
}

/// What breaks readers: quotes and separators of every format here, line ends, NUL, BOMs,
/// direction and zero-width marks, combining marks, full-width and astral characters, JSON
/// and vCard syntax, percent escapes.
pub const SNIPPETS: &[&str] = &[
    "\"",
    "\"\"",
    ",",
    ";",
    ":",
    "\n",
    "\r\n",
    "\r",
    "\0",
    "\u{feff}",
    "\u{202e}",
    "\u{200b}",
    "e\u{301}",
    "＝",
    "🧑‍💻",
    "\u{10ffff}",
    "\\",
    "\\n",
    "\t",
    " ",
    "{",
    "}",
    "[",
    "]",
    "null",
    "\"@type\":\"Person\"",
    "BEGIN:VCARD",
    "END:VCARD",
    "%",
    "%00",
    "#",
    "?",
    "/",
    "..",
    "=",
    "@",
    "'",
    "İ",
    "ß",
    "ﬃ",
];

/// Text a name, a company or a field could hold, from plain to hostile.
pub fn odd_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Za-zÀ-ÿ' .-]{0,16}",
        2 => any::<String>(),
        2 => prop::collection::vec(prop::sample::select(SNIPPETS), 0..8).prop_map(|s| s.concat()),
        1 => ("[a-zé\"]{1,3}", 1_000usize..20_000).prop_map(|(s, n)| s.repeat(n)),
    ]
}

/// One change to a document; positions are fractions of its length.
#[derive(Debug, Clone)]
pub enum Mutation {
    Truncate(f64),
    Insert(f64, String),
    Delete(f64, f64),
    Duplicate(f64, f64),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = 0.0..=1.0f64;
    prop_oneof![
        at.clone().prop_map(Mutation::Truncate),
        (
            at.clone(),
            prop::sample::select(SNIPPETS).prop_map(String::from)
        )
            .prop_map(|(p, s)| Mutation::Insert(p, s)),
        (at.clone(), odd_text()).prop_map(|(p, s)| Mutation::Insert(p, s)),
        (at.clone(), at.clone()).prop_map(|(a, b)| Mutation::Delete(a, b)),
        (at.clone(), at).prop_map(|(a, b)| Mutation::Duplicate(a, b)),
    ]
}

/// The char boundary at or before `fraction` of `text`.
fn boundary(text: &str, fraction: f64) -> usize {
    let mut at = ((text.len() as f64) * fraction) as usize;
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

pub fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut text = text.to_string();
    for m in mutations {
        match m {
            Mutation::Truncate(p) => text.truncate(boundary(&text, *p)),
            Mutation::Insert(p, s) => text.insert_str(boundary(&text, *p), s),
            Mutation::Delete(a, b) | Mutation::Duplicate(a, b) => {
                let (a, b) = (boundary(&text, a.min(*b)), boundary(&text, a.max(*b)));
                if matches!(m, Mutation::Delete(..)) {
                    text.replace_range(a..b, "");
                } else {
                    let copy = text[a..b].to_string();
                    text.insert_str(b, &copy);
                }
            }
        }
    }
    text
}

/// `base`, untouched or with a few mutations.
pub fn mutated<S: Strategy<Value = String>>(base: S) -> impl Strategy<Value = String> {
    (base, prop::collection::vec(mutation(), 0..4)).prop_map(|(text, m)| apply(&text, &m))
}

/// Every prefix of `text` that is a string (input reaches the core as text, cut anywhere).
pub fn every_prefix(text: &str) -> impl Iterator<Item = &str> {
    (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .map(|i| &text[..i])
}

/// A CSV field as a spreadsheet writes it: quoted when it must be (or at random).
pub fn csv_field(text: &str, force_quotes: bool) -> String {
    if force_quotes || text.contains([',', '"', '\r', '\n']) || text.starts_with(' ') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Any JSON value, nested a few levels, with hostile strings.
pub fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        odd_text().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::vec(("[a-zA-Z@_.]{1,12}", inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// An object with these fields, each a plausible string or any JSON value (or missing).
pub fn object_with(fields: &'static [&'static str]) -> impl Strategy<Value = Value> {
    let value = prop_oneof![
        4 => odd_text().prop_map(Value::from),
        1 => json_value(),
    ];
    prop::collection::vec(prop::option::weighted(0.8, value), fields.len()).prop_map(
        move |values| {
            let map: Map<String, Value> = fields
                .iter()
                .zip(values)
                .filter_map(|(f, v)| v.map(|v| (f.to_string(), v)))
                .collect();
            Value::Object(map)
        },
    )
}
