//! CSV records with the line each starts on, via `csv-core` (small enough for the wasm build;
//! quoting, escaped quotes, embedded newlines and `\r\n` are its job). What csv-core does not
//! say is that a quote never closed: it reads the rest of the file into that field. Here that
//! record is reported by its line, and the lines after that line are read again.

use csv_core::{ReadRecordResult, Reader};

pub struct Row {
    /// 1-based line of the file where the record starts.
    pub line: usize,
    pub fields: Vec<String>,
}

/// What a file's text reads as.
#[derive(Default)]
pub struct Rows {
    /// Non-blank records, in file order.
    pub rows: Vec<Row>,
    /// Lines where a record opens a quote that never closes.
    pub unclosed_quotes: Vec<usize>,
    /// The line of the first record past the limit, when the file has more.
    pub over_limit: Option<usize>,
}

/// The records of `text`, at most `max_rows` of them.
pub fn rows(text: &str, max_rows: usize) -> Rows {
    let input = text.strip_prefix('\u{feff}').unwrap_or(text).as_bytes();
    let mut read = Rows::default();
    let mut records = Records::new(input, 0, 1);
    while let Some(record) = records.next() {
        if record.end == input.len() && quote_left_open(&input[record.start..]) {
            read.unclosed_quotes.push(record.line);
            match line_after(input, record.start) {
                Some(next) => records = Records::new(input, next, record.line + 1),
                None => break,
            }
            continue;
        }
        if record.is_blank() {
            continue;
        }
        if read.rows.len() == max_rows {
            read.over_limit = Some(record.line);
            break;
        }
        read.rows.push(Row {
            line: record.line,
            fields: record.fields,
        });
    }
    read
}

/// One record as csv-core reads it, with where its bytes are.
struct Record {
    line: usize,
    /// Byte offsets of the record in the input, blank lines before it excluded.
    start: usize,
    end: usize,
    fields: Vec<String>,
}

impl Record {
    fn is_blank(&self) -> bool {
        self.fields.len() == 1 && self.fields[0].trim().is_empty()
    }
}

/// csv-core over the whole input from `pos`, whose first line is `line`.
struct Records<'a> {
    input: &'a [u8],
    reader: Reader,
    pos: usize,
    line: usize,
    out: Vec<u8>,
    ends: Vec<usize>,
}

impl<'a> Records<'a> {
    fn new(input: &'a [u8], pos: usize, line: usize) -> Records<'a> {
        Records {
            input,
            reader: Reader::new(),
            pos,
            line,
            out: vec![0; 4096],
            ends: vec![0; 64],
        }
    }

    fn next(&mut self) -> Option<Record> {
        let (mut nout, mut nend, start_pos) = (0, 0, self.pos);
        let result = loop {
            let input = &self.input[self.pos..];
            let (res, nin, o, e) =
                self.reader
                    .read_record(input, &mut self.out[nout..], &mut self.ends[nend..]);
            self.pos += nin;
            nout += o;
            nend += e;
            match res {
                ReadRecordResult::OutputFull => self.out.resize(self.out.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                // All input is given: the next (empty) read ends a last record that has no
                // line end, into the same buffers.
                ReadRecordResult::InputEmpty => {}
                other => break other,
            }
        };
        let bytes = &self.input[start_pos..self.pos];
        let blank = leading_blank_bytes(bytes);
        let record = Record {
            line: self.line + newlines(&bytes[..blank]),
            start: start_pos + blank,
            end: self.pos,
            fields: split_fields(&self.out[..nout], &self.ends[..nend]),
        };
        self.line += newlines(bytes);
        (result == ReadRecordResult::Record).then_some(record)
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
fn leading_blank_bytes(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .take_while(|&&b| b == b'\n' || b == b'\r')
        .count()
}

/// The offset just after the line end that follows `pos`, if any.
fn line_after(input: &[u8], pos: usize) -> Option<usize> {
    let at = input[pos..].iter().position(|&b| b == b'\n')?;
    Some(pos + at + 1)
}

/// Whether a record's bytes end inside a quoted field, by csv-core's default rules: a quote
/// opens a field only at its start, `""` inside it is a quote, and after the closing quote
/// the field goes on unquoted.
fn quote_left_open(record: &[u8]) -> bool {
    #[derive(PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    for &b in record {
        let ends_field = matches!(b, b',' | b'\n' | b'\r');
        state = match (state, b) {
            (State::FieldStart, b'"') => State::Quoted,
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (_, _) if ends_field => State::FieldStart,
            (_, _) => State::Unquoted,
        };
    }
    state == State::Quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<Row> {
        rows(text, usize::MAX).rows
    }

    #[test]
    fn quoted_fields_with_newlines_keep_line_numbers() {
        let text = "\u{feff}a,b\r\n\"x, y\",\"two\nlines\"\r\n\r\nlast,\"say \"\"hi\"\"\"\n";
        let rows = all(text);
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
        let rows = all(&format!("{long},{}\n", "x,".repeat(100)));
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
            let rows = all(text);
            let last = rows.last().unwrap();
            assert_eq!(rows.len(), 1 + text.matches(",b").count(), "{text:?}");
            assert!(!last.fields.is_empty());
        }
        let rows = all("a,b\nc,d");
        assert_eq!(
            (rows[1].line, rows[1].fields.clone()),
            (2, vec!["c".into(), "d".into()])
        );
    }

    #[test]
    fn an_unclosed_quote_is_reported_and_the_next_lines_read_again() {
        let read = rows("a,b\n\"c,d\ne,f\n\ng,h", usize::MAX);
        assert_eq!(read.unclosed_quotes, vec![2]);
        let lines: Vec<(usize, Vec<String>)> =
            read.rows.into_iter().map(|r| (r.line, r.fields)).collect();
        assert_eq!(
            lines,
            vec![
                (1, vec!["a".into(), "b".into()]),
                (3, vec!["e".into(), "f".into()]),
                (5, vec!["g".into(), "h".into()]),
            ]
        );
    }

    #[test]
    fn quotes_inside_or_after_a_field_are_not_left_open() {
        for closed in ["5'11\",x", "\"a\"\"b\",c", "\"a\"b,c", "a\"", "\"\""] {
            assert!(!quote_left_open(closed.as_bytes()), "{closed:?}");
            assert!(rows(closed, usize::MAX).unclosed_quotes.is_empty());
        }
        for open in ["\"a", "x,\"a\"\"", "\"a\nb"] {
            assert!(quote_left_open(open.as_bytes()), "{open:?}");
        }
    }

    #[test]
    fn reading_stops_past_the_limit_and_says_where() {
        let read = rows("a\n\nb\nc\nd\n", 2);
        assert_eq!(read.rows.len(), 2);
        assert_eq!(read.over_limit, Some(4));
    }
}

/// Properties over the exact reader the import runs (`tests/parsers_props.rs` has the file's).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::*;
    use proptest::prelude::*;

    /// A record as a spreadsheet writes it, and the blank lines before it.
    fn record() -> impl Strategy<Value = (usize, Vec<String>)> {
        let field = "[a-zé ,\"\r\n]{0,8}";
        (0usize..3, prop::collection::vec(field, 2..5))
    }

    fn written(records: &[(usize, Vec<String>)], crlf: bool, bom: bool, last_end: bool) -> String {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut text = String::from(if bom { "\u{feff}" } else { "" });
        for (i, (blanks, fields)) in records.iter().enumerate() {
            text.push_str(&end.repeat(*blanks));
            let cells: Vec<String> = fields
                .iter()
                .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
                .collect();
            text.push_str(&cells.join(","));
            if last_end || i + 1 < records.len() {
                text.push_str(end);
            }
        }
        text
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn every_record_reads_back_with_the_line_it_starts_on(
            records in prop::collection::vec(record(), 0..10),
            (crlf, bom, last_end) in any::<(bool, bool, bool)>(),
        ) {
            let text = written(&records, crlf, bom, last_end);
            let read = rows(&text, usize::MAX);
            prop_assert!(read.unclosed_quotes.is_empty());
            let mut line = 1;
            let mut expected = Vec::new();
            for (blanks, fields) in &records {
                line += blanks;
                expected.push((line, fields.clone()));
                line += fields.iter().map(|f| f.matches('\n').count()).sum::<usize>() + 1;
            }
            let got: Vec<(usize, Vec<String>)> =
                read.rows.into_iter().map(|r| (r.line, r.fields)).collect();
            prop_assert_eq!(got, expected);
        }

        #[test]
        fn any_text_reads_as_rows_on_real_lines_in_order(text in any::<String>(), max in 0usize..20) {
            let read = rows(&text, max);
            let lines = text.split('\n').count();
            let mut starts: Vec<usize> = read.rows.iter().map(|r| r.line).collect();
            starts.extend(&read.unclosed_quotes);
            starts.extend(read.over_limit);
            prop_assert!(starts.iter().all(|&l| (1..=lines).contains(&l)));
            prop_assert!(read.rows.windows(2).all(|w| w[0].line < w[1].line));
            prop_assert!(read.rows.len() <= max);
        }
    }
}
