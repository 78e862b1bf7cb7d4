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
    let outcome = cli::run(std::env::args().skip(1));
    crmsync::cli::exit_code("crm-match", cli::USAGE, outcome)
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::path::{Path, PathBuf};

    use crmsync::escape::csv_cell::defused;
    use crmsync::matching::csv_input::read_people;
    use std::collections::HashSet;

    use crmsync::matching::reliability;
    use crmsync::matching::{Candidate, MatchIndex, MatchSource, Person};

    use crmsync::cli::{write_atomically, Failure};

    pub const USAGE: &str =
        "usage: crm-match --profiles A.csv --records B.csv --out pairs.csv [--explain] [--threshold 0..1] [--truth truth.csv]";

    struct Args {
        profiles: PathBuf,
        records: PathBuf,
        out: PathBuf,
        explain: bool,
        threshold: Option<f64>,
        /// profile_id,record_id of the true pairs: prints accuracy and a reliability table.
        truth: Option<PathBuf>,
    }

    fn parse(mut it: impl Iterator<Item = String>) -> Result<Args, Failure> {
        let (mut profiles, mut records, mut out, mut explain, mut threshold, mut truth) =
            (None, None, None, false, None, None);
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
                "--truth" => truth = Some(PathBuf::from(value()?)),
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
            truth,
        })
    }

    fn load(path: &Path) -> Result<Vec<Person>, Failure> {
        let name = path.display();
        let bytes = std::fs::read(path)
            .map_err(|e| Failure::Failed(format!("{name}: cannot read: {e}")))?;
        read_people(&bytes).map_err(|e| Failure::Failed(format!("{name}:{}: {}", e.line, e.reason)))
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
        drop(records);
        let found = crmsync::parallel::map(&profiles, |p| rows(&index, p, threshold, args.explain));
        if let Some(truth) = &args.truth {
            print!("{}", accuracy(&found, &read_truth(truth)?));
        }
        for (rows, _) in found {
            for row in rows {
                // Ids come from the input files: a spreadsheet must not run one.
                w.write_record(row.iter().map(|cell| defused(cell).into_owned()))
                    .map_err(io)?;
            }
        }
        let bytes = w.into_inner().map_err(|e| Failure::Failed(e.to_string()))?;
        write_atomically(&args.out, &bytes)
    }

    /// The output rows of one profile (its matches and their explanations), and its
    /// best candidate's (profile, record, confidence) for the reliability table.
    fn rows(index: &MatchIndex, p: &Person, threshold: f64, explain_too: bool) -> Found {
        let cands = index.query(p);
        let best = cands
            .first()
            .map(|c| (p.id.clone(), c.record_id.clone(), c.score));
        let rows = matches(&cands, threshold)
            .map(|c| {
                let mut row = vec![p.id.clone(), c.record_id.clone(), format!("{:.6}", c.score)];
                if explain_too {
                    row.push(explain(c, index));
                }
                row
            })
            .collect();
        (rows, best)
    }

    type Found = (Vec<Vec<String>>, Option<(String, String, f64)>);

    fn read_truth(path: &Path) -> Result<HashSet<(String, String)>, Failure> {
        let bad = |e: csv::Error| Failure::Failed(format!("{}: {e}", path.display()));
        let mut rdr = csv::Reader::from_path(path).map_err(bad)?;
        let mut out = HashSet::new();
        for rec in rdr.records() {
            let rec = rec.map_err(bad)?;
            let cell = |i| rec.get(i).unwrap_or_default().trim().to_owned();
            out.insert((cell(0), cell(1)));
        }
        Ok(out)
    }

    /// Precision, recall and F1 of the written pairs, and the best candidates'
    /// confidence against how often they are right.
    fn accuracy(found: &[Found], truth: &HashSet<(String, String)>) -> String {
        let pairs: Vec<(&str, &str)> = found
            .iter()
            .flat_map(|(rows, _)| rows.iter().map(|r| (r[0].as_str(), r[1].as_str())))
            .collect();
        let right = |p: &str, r: &str| truth.contains(&(p.to_owned(), r.to_owned()));
        let tp = pairs.iter().filter(|(p, r)| right(p, r)).count() as f64;
        let precision = tp / pairs.len().max(1) as f64;
        let recall = tp / truth.len().max(1) as f64;
        let f1 = 2.0 * precision * recall / (precision + recall).max(f64::MIN_POSITIVE);
        let shown: Vec<(f64, bool)> = found
            .iter()
            .filter_map(|(_, best)| best.as_ref())
            .map(|(p, r, score)| (*score, right(p, r)))
            .collect();
        format!(
            "precision {precision:.4} recall {recall:.4} F1 {f1:.4}\n{}",
            reliability::table(&reliability::bins(&shown, 10))
        )
    }

    /// The top candidate, or every candidate tied exactly at the top, if at or above the threshold.
    fn matches(cands: &[Candidate], threshold: f64) -> impl Iterator<Item = &Candidate> {
        let top = cands.first().map_or(f64::INFINITY, |c| c.score);
        cands
            .iter()
            .take_while(move |c| c.score == top && top >= threshold)
    }

    fn explain(c: &Candidate, index: &MatchIndex) -> String {
        let e = c.explanation(index.model.prior_log2(index.len()), MatchSource::Model);
        let moved = if c.company_changed() {
            " Company changed."
        } else {
            ""
        };
        format!("{}{moved} [{}]", e.summary(), e.compact())
    }

    fn io(e: csv::Error) -> Failure {
        Failure::Failed(e.to_string())
    }
}
