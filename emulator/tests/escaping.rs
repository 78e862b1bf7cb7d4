//! The core's escaping functions against the emulator's strict parsers (issue item 8): any
//! string used as a literal leaves the query's structure unchanged, and an injection attempt
//! finds only a record whose field literally holds that string.

mod common;

use common::{enc, Harness};
use crmsync::escape::{odata, soql, sosl};
use emulator::dynamics::odata::filter::{self, Expr, Lit, Op, Wild};
use emulator::salesforce::soql::ast::{Cond, Expr as SExpr, LikeTok, Literal, Op as SOp};
use emulator::salesforce::soql::parse;
use emulator::salesforce::sosl::term::{parse_term, Term};
use proptest::prelude::*;
use serde_json::json;

/// Text rich in every character the three languages treat specially.
fn tricky() -> impl Strategy<Value = String> {
    let special = prop_oneof![
        Just('\''),
        Just('"'),
        Just('\\'),
        Just('%'),
        Just('_'),
        Just('['),
        Just(']'),
        Just('^'),
        Just('{'),
        Just('}'),
        Just('('),
        Just(')'),
        Just('*'),
        Just('?'),
        Just('&'),
        Just('|'),
        Just('!'),
        Just(':'),
        Just('~'),
        Just('+'),
        Just('-'),
        Just(' '),
        Just('\n'),
        Just('\t'),
        Just('ß'),
        Just('é'),
        Just('山'),
        Just('O'),
        Just('R'),
        Just('a'),
    ];
    prop::collection::vec(prop_oneof![3 => special, 1 => any::<char>()], 0..24)
        .prop_map(|cs| cs.into_iter().collect())
}

fn soql_condition(query: &str) -> Cond {
    match parse(query).expect("parses").filter.expect("has WHERE") {
        SExpr::Cond(c) => c,
        other => panic!("structure changed: {other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn soql_quote_is_one_literal(text in tricky()) {
        let c = soql_condition(&format!("SELECT Id FROM Contact WHERE LastName = {}", soql::quote(&text)));
        prop_assert_eq!(c.value, Literal::Str(text));
        prop_assert_eq!(c.op, SOp::Eq);
    }

    #[test]
    fn soql_quote_inside_a_larger_query_keeps_its_shape(text in tricky()) {
        let q = format!("SELECT Id FROM Contact WHERE (LastName = {} OR FirstName = {}) AND Email != null LIMIT 5", soql::quote(&text), soql::quote(&text));
        let parsed = parse(&q).expect("parses");
        prop_assert_eq!(parsed.limit, Some(5));
        let SExpr::And(parts) = parsed.filter.unwrap() else { panic!("not AND") };
        prop_assert_eq!(parts.len(), 2);
        prop_assert!(matches!(&parts[0], SExpr::Or(or) if or.len() == 2));
    }

    #[test]
    fn soql_like_pattern_has_only_the_requested_wildcards(text in tricky()) {
        let c = soql_condition(&format!("SELECT Id FROM Contact WHERE LastName LIKE {}", soql::like_pattern(&text, soql::Like::Contains)));
        let Literal::Pattern(p) = c.value else { panic!("not a pattern") };
        let mut expected = vec![LikeTok::Any];
        expected.extend(text.chars().map(LikeTok::Char));
        expected.push(LikeTok::Any);
        prop_assert_eq!(p, expected);
    }

    #[test]
    fn soql_like_modes_and_in_lists_keep_their_shape(text in tricky()) {
        for (mode, lead, trail) in [(soql::Like::Exact, false, false), (soql::Like::StartsWith, false, true), (soql::Like::EndsWith, true, false)] {
            let c = soql_condition(&format!("SELECT Id FROM Contact WHERE LastName LIKE {}", soql::like_pattern(&text, mode)));
            let Literal::Pattern(p) = c.value else { panic!("not a pattern") };
            let mut expected = Vec::new();
            if lead { expected.push(LikeTok::Any); }
            expected.extend(text.chars().map(LikeTok::Char));
            if trail { expected.push(LikeTok::Any); }
            prop_assert_eq!(p, expected);
        }
        let c = soql_condition(&format!("SELECT Id FROM Contact WHERE LastName NOT IN ({}, {})", soql::quote(&text), soql::quote("x")));
        prop_assert_eq!(c.value, Literal::List(vec![Literal::Str(text), Literal::Str("x".into())]));
    }

    #[test]
    fn sosl_find_term_is_one_phrase(text in tricky()) {
        let normalized = text.split_whitespace().collect::<Vec<_>>().join(" ");
        prop_assume!(normalized.chars().count() >= 2);
        let term = parse_term(sosl::find_term(&text).as_str()).expect("parses");
        prop_assert_eq!(term, Term::Phrase(normalized));
    }

    #[test]
    fn sosl_find_term_survives_the_braces(text in tricky()) {
        let normalized = text.split_whitespace().collect::<Vec<_>>().join(" ");
        prop_assume!(normalized.chars().count() >= 2);
        let search = emulator::salesforce::sosl::parse(&format!("FIND {{{}}} IN NAME FIELDS RETURNING Contact(Id) LIMIT 3", sosl::find_term(&text))).expect("parses");
        prop_assert_eq!(search.limit, Some(3));
        prop_assert_eq!(search.returning.len(), 1);
    }

    #[test]
    fn odata_quote_is_one_literal(text in tricky()) {
        let e = filter::parse(&format!("lastname eq {} and statecode eq 0", odata::quote(&text))).expect("parses");
        let Expr::And(left, _) = e else { panic!("structure changed") };
        prop_assert_eq!(*left, Expr::Cmp { prop: "lastname".into(), op: Op::Eq, value: Lit::Str(text) });
    }

    #[test]
    fn odata_startswith_never_sees_a_leading_wildcard(text in tricky()) {
        let parsed = filter::parse(&format!("startswith(fullname,{}) or endswith(fullname,{})", odata::contains_pattern(&text), odata::contains_pattern(&text)));
        prop_assert!(matches!(parsed, Ok(Expr::Or(_, _))), "{:?}", parsed);
    }

    #[test]
    fn odata_contains_pattern_matches_literally(text in tricky()) {
        let e = filter::parse(&format!("contains(fullname,{})", odata::contains_pattern(&text))).expect("parses");
        let Expr::Like { pattern, .. } = e else { panic!("structure changed") };
        let literal: Vec<Wild> = pattern[1..pattern.len() - 1]
            .iter()
            .map(|w| match w {
                Wild::Set { negated: false, chars } if chars.len() == 1 => Wild::Char(chars[0]),
                other => other.clone(),
            })
            .collect();
        prop_assert_eq!(literal, text.chars().map(Wild::Char).collect::<Vec<_>>());
    }
}

/// Printable text a CRM name field can hold (no control characters, trimmed, not blank).
fn storable() -> impl Strategy<Value = String> {
    tricky()
        .prop_map(|s| {
            s.chars()
                .filter(|c| !c.is_control())
                .collect::<String>()
                .trim()
                .to_string()
        })
        .prop_filter("blank", |s| !s.is_empty() && s.chars().count() <= 40)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// End to end: only the record holding the text comes back, never the whole table.
    #[test]
    fn soql_injection_finds_only_the_literal_record(text in storable()) {
        let h = harness();
        let created = h.sf("POST", "/sobjects/Contact", Some(json!({"LastName": text})));
        prop_assert_eq!(created.status.as_u16(), 201);
        let id = created.body["id"].as_str().unwrap().to_string();
        let found = h.soql(&format!("SELECT Id, LastName FROM Contact WHERE LastName = {}", soql::quote(&text)));
        prop_assert_eq!(found.status.as_u16(), 200, "{}", found.body);
        let records = found.body["records"].as_array().unwrap();
        prop_assert!(records.iter().any(|r| r["Id"] == json!(id)));
        for r in records {
            prop_assert_eq!(r["LastName"].as_str().unwrap().to_lowercase(), text.to_lowercase());
        }
        let like = h.soql(&format!("SELECT Id, LastName FROM Contact WHERE LastName LIKE {}", soql::like_pattern(&text, soql::Like::Contains)));
        for r in like.body["records"].as_array().unwrap() {
            prop_assert!(r["LastName"].as_str().unwrap().to_lowercase().contains(&text.to_lowercase()));
        }
    }

    #[test]
    fn odata_injection_finds_only_the_literal_record(text in storable()) {
        let h = harness();
        let created = h.dy("POST", "/contacts", &[], Some(json!({"lastname": text})));
        prop_assert_eq!(created.status.as_u16(), 204);
        let f = format!("lastname eq {}", odata::quote(&text));
        let found = h.dy("GET", &format!("/contacts?$select=lastname&$filter={}", enc(&f)), &[], None);
        prop_assert_eq!(found.status.as_u16(), 200, "{}", found.body);
        let rows = found.body["value"].as_array().unwrap();
        prop_assert!(!rows.is_empty());
        for r in rows {
            prop_assert_eq!(r["lastname"].as_str().unwrap().to_lowercase(), text.to_lowercase());
        }
        let f = format!("contains(lastname,{})", odata::contains_pattern(&text));
        let found = h.dy("GET", &format!("/contacts?$select=lastname&$filter={}", enc(&f)), &[], None);
        let rows = found.body["value"].as_array().unwrap();
        prop_assert!(!rows.is_empty());
        for r in rows {
            prop_assert!(r["lastname"].as_str().unwrap().to_lowercase().contains(&text.to_lowercase()));
        }
    }

    #[test]
    fn sosl_injection_finds_only_matching_records(text in storable()) {
        let normalized = text.split_whitespace().collect::<Vec<_>>().join(" ");
        prop_assume!(normalized.chars().count() >= 2);
        let h = harness();
        let created = h.sf("POST", "/sobjects/Contact", Some(json!({"LastName": text})));
        prop_assert_eq!(created.status.as_u16(), 201);
        let q = format!("FIND {{{}}} IN NAME FIELDS RETURNING Contact(Id, Name)", sosl::find_term(&text));
        let found = h.sf("GET", &format!("/search?q={}", enc(&q)), None);
        prop_assert_eq!(found.status.as_u16(), 200, "{}", found.body);
        let records = found.body["searchRecords"].as_array().unwrap();
        prop_assert!(records.iter().any(|r| r["Id"] == created.body["id"]));
    }
}

/// One seeded emulator per thread, reused across cases (seeding takes a while).
fn harness() -> &'static Harness {
    thread_local! {
        static H: &'static Harness = Box::leak(Box::new(Harness::with_seed(emulator::state::seed::Seed::None)));
    }
    H.with(|h| *h)
}
