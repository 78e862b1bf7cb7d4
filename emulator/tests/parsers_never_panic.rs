//! The strict parsers answer any input with a parse or an error, never a panic: the emulator
//! must turn garbage into MALFORMED_QUERY / 400, not a dropped connection.

use proptest::prelude::*;

/// Query-ish text: keywords, operators, quotes and escapes in random order.
fn queryish() -> impl Strategy<Value = String> {
    let atoms = prop_oneof![
        Just("SELECT ".to_string()),
        Just("FROM ".to_string()),
        Just("WHERE ".to_string()),
        Just("Id".to_string()),
        Just("Contact".to_string()),
        Just("Account.Name".to_string()),
        Just(" = ".to_string()),
        Just(" LIKE ".to_string()),
        Just(" IN ".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just(",".to_string()),
        Just("'".to_string()),
        Just("\\".to_string()),
        Just("%".to_string()),
        Just("LAST_N_DAYS:".to_string()),
        Just("2026-01-01".to_string()),
        Just(" AND ".to_string()),
        Just(" OR ".to_string()),
        Just("NOT ".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("\"".to_string()),
        Just("eq ".to_string()),
        Just("contains(".to_string()),
        Just("[".to_string()),
        Just("FIND ".to_string()),
        Just("RETURNING ".to_string()),
        Just(" LIMIT 5".to_string()),
        "[a-zA-Z0-9 _éß山]{0,6}".prop_map(|s| s),
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(atoms, 0..20).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn soql(text in queryish()) {
        let _ = emulator::salesforce::soql::parse(&text);
    }

    #[test]
    fn sosl(text in queryish()) {
        let _ = emulator::salesforce::sosl::parse(&text);
        let _ = emulator::salesforce::sosl::term::parse_term(&text);
    }

    #[test]
    fn odata_filter(text in queryish()) {
        let _ = emulator::dynamics::odata::filter::parse(&text);
    }

    #[test]
    fn soql_arbitrary(text in any::<String>()) {
        let _ = emulator::salesforce::soql::parse(&text);
        let _ = emulator::salesforce::sosl::parse(&format!("FIND {{{text}}}"));
        let _ = emulator::dynamics::odata::filter::parse(&text);
    }
}
