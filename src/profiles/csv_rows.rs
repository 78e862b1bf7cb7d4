//! CSV records with the line each starts on, via `csv-core` (small enough for the wasm build;
//! quoting, escaped quotes, embedded newlines and `\r\n` are its job).

use csv_core::{ReadRecordResult, Reader};

pub struct Row {
    /// 1-based line of the file where the record starts.
    pub line: usize,
    pub fields: Vec<String>,
}

pub fn rows(text: &str) -> Vec<Row> {
    let input = text.strip_prefix('\u{feff}').unwrap_or(text).as_bytes();
    let mut reader = Reader::new();
    let (mut out, mut ends) = (vec![0u8; 4096], vec![0usize; 64]);
    let (mut pos, mut line, mut rows) = (0, 1, Vec::new());
    loop {
        let (mut nout, mut nend, start_line, start_pos) = (0, 0, line, pos);
        let result = loop {
            let (res, nin, o, e) =
                reader.read_record(&input[pos..], &mut out[nout..], &mut ends[nend..]);
            pos += nin;
            nout += o;
            nend += e;
            match res {
                ReadRecordResult::OutputFull => out.resize(out.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
                // All input is given: the next (empty) read ends a last record that has no
                // line end, into the same buffers.
                ReadRecordResult::InputEmpty => {}
                other => break other,
            }
        };
        line += newlines(&input[start_pos..pos]);
        match result {
            ReadRecordResult::Record => {
                let fields = split_fields(&out[..nout], &ends[..nend]);
                if !(fields.len() == 1 && fields[0].trim().is_empty()) {
                    rows.push(Row {
                        line: start_line + leading_blank_lines(&input[start_pos..pos]),
                        fields,
                    });
                }
            }
            _ => return rows,
        }
    }
}

fn split_fields(out: &[u8], ends: &[usize]) -> Vec<String> {
    let mut start = 0;
    ends.iter()
        .map(|&end| {
            let field = String::from_utf8_lossy(&out[start..end]).into_owned();
            start = end;
            field
        })
        .collect()
}

fn newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// csv-core skips blank lines before a record; the record starts after them.
fn leading_blank_lines(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .take_while(|&&b| b == b'\n' || b == b'\r')
        .filter(|&&b| b == b'\n')
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_with_newlines_keep_line_numbers() {
        let text = "\u{feff}a,b\r\n\"x, y\",\"two\nlines\"\r\n\r\nlast,\"say \"\"hi\"\"\"\n";
        let rows = rows(text);
        assert_eq!(rows.len(), 3);
        assert_eq!(
            (rows[0].line, rows[0].fields.clone()),
            (1, vec!["a".to_string(), "b".to_string()])
        );
        assert_eq!(rows[1].line, 2);
        assert_eq!(rows[1].fields, vec!["x, y", "two\nlines"]);
        assert_eq!(rows[2].line, 5);
        assert_eq!(rows[2].fields, vec!["last", "say \"hi\""]);
    }

    #[test]
    fn large_fields_grow_the_buffers() {
        let long = "é".repeat(10_000);
        let rows = rows(&format!("{long},{}\n", "x,".repeat(100)));
        assert_eq!(rows[0].fields[0], long);
        assert_eq!(
            rows[0].fields.len(),
            102,
            "the long field, 100 x's and the empty last one"
        );
    }

    #[test]
    fn a_last_line_without_a_line_end_is_a_record() {
        for text in ["a,b\nc,d", "abc", "a,b\n\"c\nd\",e"] {
            let rows = rows(text);
            let last = rows.last().unwrap();
            assert_eq!(rows.len(), 1 + text.matches(",b").count(), "{text:?}");
            assert!(!last.fields.is_empty());
        }
        let rows = rows("a,b\nc,d");
        assert_eq!(
            (rows[1].line, rows[1].fields.clone()),
            (2, vec!["c".into(), "d".into()])
        );
    }
}
