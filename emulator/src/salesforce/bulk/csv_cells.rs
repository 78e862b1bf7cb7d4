//! Cells of Bulk API 2.0 CSV: query results quote every value and leave nulls empty; an
//! upload's text cells become the field's JSON type before the REST write path checks them.

use serde_json::Value;

use crate::state::salesforce::schema::FieldType;

/// A result cell: empty for null, `true`/`false`, numbers and text as they are.
pub fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The CSV text of `rows`, every value quoted, and where each row ends in it.
pub fn write_rows(rows: &[Vec<Value>]) -> (String, Vec<usize>) {
    let mut writer = quoted(Vec::with_capacity(rows.len() * 64));
    let mut ends = Vec::with_capacity(rows.len());
    for row in rows {
        // Writing to memory cannot fail.
        let _ = writer.write_record(row.iter().map(cell));
        let _ = writer.flush();
        ends.push(writer.get_ref().len());
    }
    let bytes = writer.into_inner().unwrap_or_default();
    (String::from_utf8(bytes).unwrap_or_default(), ends)
}

/// One quoted CSV line of `cells`.
pub fn line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut writer = quoted(Vec::new());
    let _ = writer.write_record(cells.iter().map(AsRef::as_ref));
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn quoted(into: Vec<u8>) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(into)
}

/// An uploaded cell as the field's JSON value: `#N/A` clears the field; booleans and
/// numbers that do not parse stay text, so the write path refuses them with its own error.
pub fn value_of(ty: FieldType, text: &str) -> Value {
    if text == "#N/A" {
        return Value::Null;
    }
    match ty {
        FieldType::Boolean => match text.to_ascii_lowercase().as_str() {
            "true" | "1" => Value::Bool(true),
            "false" | "0" => Value::Bool(false),
            _ => Value::String(text.to_string()),
        },
        FieldType::Currency | FieldType::Double | FieldType::Percent | FieldType::Int => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| Value::String(text.to_string()), Value::Number),
        _ => Value::String(text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_are_quoted_and_nulls_empty() {
        let (body, ends) = write_rows(&[
            vec![json!("003A"), json!("Ada \"the\" first"), Value::Null],
            vec![json!("003B"), json!(true), json!(12.5)],
        ]);
        assert_eq!(
            body,
            "\"003A\",\"Ada \"\"the\"\" first\",\"\"\n\"003B\",\"true\",\"12.5\"\n"
        );
        assert_eq!(ends, vec![body.find('\n').unwrap() + 1, body.len()]);
    }

    #[test]
    fn uploaded_cells_take_the_field_type() {
        assert_eq!(value_of(FieldType::Boolean, "TRUE"), json!(true));
        assert_eq!(value_of(FieldType::Boolean, "0"), json!(false));
        assert_eq!(value_of(FieldType::Boolean, "maybe"), json!("maybe"));
        assert_eq!(value_of(FieldType::Currency, "10"), json!(10.0));
        assert_eq!(value_of(FieldType::String, "#N/A"), Value::Null);
    }
}
