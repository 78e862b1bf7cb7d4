//! `crm-match --profiles A.csv --records B.csv --out pairs.csv [--explain] [--threshold T]`
//!
//! Matches every profile against the CRM records and writes one row per
//! predicted match. All file I/O lives here; the engine in `crmsync::matching`
//! is pure. Output goes to a temporary file renamed into place, so a failed
//! run never leaves a partial `--out`.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    match cli::run(std::env::args().skip(1)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(cli::Failure::Usage(msg)) => {
            eprintln!("crm-match: {msg}\n{}", cli::USAGE);
            std::process::ExitCode::from(2)
        }
        Err(cli::Failure::Input(msg)) => {
            eprintln!("crm-match: {msg}");
            std::process::ExitCode::from(1)
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::path::{Path, PathBuf};

    use crmsync::escape::csv_cell::defused;
    use crmsync::matching::csv_input::read_people;
    use crmsync::matching::{Candidate, MatchIndex, Person, Source};

    pub const USAGE: &str =
        "usage: crm-match --profiles A.csv --records B.csv --out pairs.csv [--explain] [--threshold 0..1]";

    pub enum Failure {
        Usage(String),
        Input(String),
    }

    struct Args {
        profiles: PathBuf,
        records: PathBuf,
        out: PathBuf,
        explain: bool,
        threshold: Option<f64>,
    }

    fn parse(mut it: impl Iterator<Item = String>) -> Result<Args, Failure> {
        let (mut profiles, mut records, mut out, mut explain, mut threshold) =
            (None, None, None, false, None);
        while let Some(flag) = it.next() {
            let mut value = || {
                it.next()
                    .ok_or_else(|| Failure::Usage(format!("{flag} needs a value")))
            };
            match flag.as_str() {
                "--profiles" => profiles = Some(PathBuf::from(value()?)),
                "--records" => records = Some(PathBuf::from(value()?)),
                "--out" => out = Some(PathBuf::from(value()?)),
                "--explain" => explain = true,
                "--threshold" => {
                    let v = value()?;
                    let t: f64 = v
                        .parse()
                        .map_err(|_| Failure::Usage(format!("--threshold {v}: not a number")))?;
                    if !(0.0..=1.0).contains(&t) {
                        return Err(Failure::Usage(format!(
                            "--threshold {v}: must be within [0, 1]"
                        )));
                    }
                    threshold = Some(t);
                }
                "-h" | "--help" => return Err(Failure::Usage("help".into())),
                other => return Err(Failure::Usage(format!("unknown argument {other}"))),
            }
        }
        let need = |v: Option<PathBuf>, name: &str| {
            v.ok_or_else(|| Failure::Usage(format!("missing {name}")))
        };
        Ok(Args {
            profiles: need(profiles, "--profiles")?,
            records: need(records, "--records")?,
            out: need(out, "--out")?,
            explain,
            threshold,
        })
    }

    fn load(path: &Path) -> Result<Vec<Person>, Failure> {
        let name = path.display();
        let bytes =
            std::fs::read(path).map_err(|e| Failure::Input(format!("{name}: cannot read: {e}")))?;
        read_people(&bytes).map_err(|e| Failure::Input(format!("{name}:{}: {}", e.line, e.reason)))
    }

    pub fn run(args: impl Iterator<Item = String>) -> Result<(), Failure> {
        let args = parse(args)?;
        let profiles = load(&args.profiles)?;
        let records = load(&args.records)?;
        let mut index = MatchIndex::build(&records);
        index.fit(&profiles);
        let threshold = args.threshold.unwrap_or(index.model.match_threshold);
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        let mut header = vec!["profile_id", "record_id", "score"];
        if args.explain {
            header.push("explanation");
        }
        w.write_record(&header).map_err(io)?;
        for p in &profiles {
            for c in matches(&index.query(p), threshold) {
                let score = format!("{:.6}", c.score);
                let mut row = vec![p.id.as_str(), c.record_id.as_str(), score.as_str()];
                let why = explain(c, &index);
                if args.explain {
                    row.push(&why);
                }
                // Ids come from the input files: a spreadsheet must not run one.
                w.write_record(row.iter().map(|cell| defused(cell).into_owned()))
                    .map_err(io)?;
            }
        }
        let bytes = w.into_inner().map_err(|e| Failure::Input(e.to_string()))?;
        write_atomically(&args.out, &bytes)
    }

    /// The top candidate, or every candidate tied exactly at the top, if at or above the threshold.
    fn matches(cands: &[Candidate], threshold: f64) -> impl Iterator<Item = &Candidate> {
        let top = cands.first().map_or(f64::INFINITY, |c| c.score);
        cands
            .iter()
            .take_while(move |c| c.score == top && top >= threshold)
    }

    fn explain(c: &Candidate, index: &MatchIndex) -> String {
        let e = c.explanation(index.model.prior_log2(index.len()), Source::Model);
        let moved = if c.company_changed() {
            " Company changed."
        } else {
            ""
        };
        format!("{}{moved} [{}]", e.summary(), e.compact())
    }

    fn io(e: csv::Error) -> Failure {
        Failure::Input(e.to_string())
    }

    fn write_atomically(out: &Path, bytes: &[u8]) -> Result<(), Failure> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = out.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        let fail =
            |e: std::io::Error| Failure::Input(format!("{}: cannot write: {e}", out.display()));
        std::fs::write(&tmp, bytes).map_err(fail)?;
        std::fs::rename(&tmp, out).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            fail(e)
        })
    }
}
