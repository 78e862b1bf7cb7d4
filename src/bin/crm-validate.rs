//! `crm-validate --instance-url URL --profiles FILE [--profiles FILE …] [--dry-run]
//! [--report changes.csv] [--ca-file ca.pem]`, the access token in `SF_ACCESS_TOKEN` (or
//! `--access-token`): validates a whole Salesforce org's *Not at Company* flags through the
//! org's Bulk API 2.0 (docs/validation.md). The run's every rule lives in
//! `crmsync::orgwide`; this file reads files, carries HTTP and prints.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    let outcome = cli::run(std::env::args().skip(1));
    crmsync::cli::exit_code("crm-validate", cli::USAGE, outcome)
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::path::PathBuf;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use crmsync::crm::HttpRequest;
    use crmsync::escape::csv_cell::defused;
    use crmsync::host::HttpAnswer;
    use crmsync::orgwide::{profiles_file, Report, Step, Target, ValidationRun};

    use crmsync::cli::{write_atomically, Failure};

    pub const USAGE: &str = "usage: crm-validate --instance-url URL --profiles FILE [--profiles FILE ...] [--dry-run] [--report changes.csv] [--ca-file ca.pem]
  The access token comes from SF_ACCESS_TOKEN (or --access-token); `sf org display` prints both.";

    struct Args {
        instance_url: String,
        token: String,
        profiles: Vec<PathBuf>,
        dry_run: bool,
        report: Option<PathBuf>,
        ca_file: Option<PathBuf>,
    }

    fn parse(mut it: impl Iterator<Item = String>) -> Result<Args, Failure> {
        let mut args = Args {
            instance_url: String::new(),
            token: std::env::var("SF_ACCESS_TOKEN").unwrap_or_default(),
            profiles: Vec::new(),
            dry_run: false,
            report: None,
            ca_file: None,
        };
        while let Some(flag) = it.next() {
            let mut value = || {
                it.next()
                    .ok_or_else(|| Failure::Usage(format!("{flag} needs a value")))
            };
            match flag.as_str() {
                "--instance-url" => args.instance_url = value()?,
                "--access-token" => args.token = value()?,
                "--profiles" => args.profiles.push(PathBuf::from(value()?)),
                "--report" => args.report = Some(PathBuf::from(value()?)),
                "--ca-file" => args.ca_file = Some(PathBuf::from(value()?)),
                "--dry-run" => args.dry_run = true,
                "-h" | "--help" => return Err(Failure::Usage("help".into())),
                other => return Err(Failure::Usage(format!("unknown argument {other}"))),
            }
        }
        if args.instance_url.is_empty() {
            return Err(Failure::Usage("missing --instance-url".into()));
        }
        if args.profiles.is_empty() {
            return Err(Failure::Usage("missing --profiles".into()));
        }
        Ok(args)
    }

    pub fn run(argv: impl Iterator<Item = String>) -> Result<(), Failure> {
        let started = Instant::now();
        let args = parse(argv)?;
        let target = Target::new(&args.instance_url, &args.token).map_err(Failure::Usage)?;
        let profiles = read_profiles(&args.profiles)?;
        let agent = agent(args.ca_file.as_deref())?;
        let mut run = ValidationRun::new(target, profiles, args.dry_run);
        let mut shown = String::new();
        let report = loop {
            match run.next() {
                Step::Send { request, wait_ms } => {
                    std::thread::sleep(Duration::from_millis(wait_ms));
                    match send(&agent, &request) {
                        Ok(answer) => run.answer(&answer),
                        Err(e) => run.transport_failed(&e),
                    }
                    let now = run.progress();
                    if now != shown {
                        eprintln!(
                            "crm-validate: {:>6.1} s  {now}",
                            started.elapsed().as_secs_f64()
                        );
                        shown = now;
                    }
                }
                Step::Done(report) => break report,
                Step::Failed(e) => return Err(Failure::Failed(e.to_string())),
            }
        };
        if let Some(path) = &args.report {
            write_report(path, &report)?;
        }
        print!("{}", summary(&report, started.elapsed()));
        Ok(())
    }

    fn read_profiles(paths: &[PathBuf]) -> Result<Vec<crmsync::matching::Person>, Failure> {
        let mut files = Vec::new();
        for path in paths {
            let name = path.display();
            let bytes = std::fs::read(path)
                .map_err(|e| Failure::Failed(format!("{name}: cannot read: {e}")))?;
            let (people, skipped) =
                profiles_file::read(&bytes).map_err(|e| Failure::Failed(format!("{name}: {e}")))?;
            if skipped > 0 {
                eprintln!("crm-validate: {name}: {skipped} rows skipped (no name, or repeated)");
            }
            files.push(people);
        }
        let all = profiles_file::merge(files);
        if all.is_empty() {
            return Err(Failure::Failed("the profiles files hold nobody".into()));
        }
        Ok(all)
    }

    fn agent(ca_file: Option<&std::path::Path>) -> Result<ureq::Agent, Failure> {
        let mut tls = ureq::tls::TlsConfig::builder();
        if let Some(path) = ca_file {
            let pem = std::fs::read(path)
                .map_err(|e| Failure::Failed(format!("{}: cannot read: {e}", path.display())))?;
            let cert = ureq::tls::Certificate::from_pem(&pem)
                .map_err(|e| Failure::Failed(format!("{}: {e}", path.display())))?;
            tls = tls.root_certs(ureq::tls::RootCerts::Specific(Arc::new(vec![cert])));
        }
        Ok(ureq::Agent::config_builder()
            .tls_config(tls.build())
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(900)))
            .build()
            .into())
    }

    fn send(agent: &ureq::Agent, req: &HttpRequest) -> Result<HttpAnswer, String> {
        let mut builder = ureq::http::Request::builder()
            .method(req.method.as_str())
            .uri(&req.url);
        for (name, value) in &req.headers {
            builder = builder.header(name, value);
        }
        let sent = match &req.body {
            Some(body) => agent.run(builder.body(body.as_str()).map_err(|e| e.to_string())?),
            None => agent.run(builder.body(()).map_err(|e| e.to_string())?),
        };
        let mut response = sent.map_err(|e| e.to_string())?;
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let body = response
            .body_mut()
            .with_config()
            .limit(1 << 31)
            .read_to_string()
            .map_err(|e| e.to_string())?;
        Ok(HttpAnswer {
            status: response.status().as_u16(),
            body,
            retry_after: None,
            headers,
        })
    }

    fn summary(r: &Report, took: Duration) -> String {
        let mut out = format!(
            "contacts {} · profiles {} · linked {} · not at company {} · ambiguous profiles {}\n",
            r.contacts, r.profiles, r.linked, r.not_at_company, r.ambiguous
        );
        if r.dry_run {
            out.push_str(&format!(
                "dry run: {} flags would change\n",
                r.changes.len()
            ));
        } else {
            out.push_str(&format!(
                "flags set {} · cleared {} · refused {}\n",
                r.set,
                r.cleared,
                r.refused.len()
            ));
        }
        for refused in r.refused.iter().take(20) {
            out.push_str(&format!(
                "  refused {}: {} {}\n",
                refused.contact_id, refused.code, refused.message
            ));
        }
        out.push_str(&format!(
            "requests {} · wall {:.1} s · peak memory {} MiB\n",
            r.requests,
            took.as_secs_f64(),
            peak_mib()
        ));
        out
    }

    /// The process's peak resident memory (Linux `VmHWM`), 0 elsewhere.
    fn peak_mib() -> u64 {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            })
            .map_or(0, |kib| kib / 1024)
    }

    /// One row per change: the contact, the flag, and what became of it.
    fn write_report(path: &std::path::Path, r: &Report) -> Result<(), Failure> {
        let refused: std::collections::HashMap<&str, &crmsync::orgwide::RefusedFlag> = r
            .refused
            .iter()
            .map(|f| (f.contact_id.as_str(), f))
            .collect();
        let mut w = csv::Writer::from_writer(Vec::new());
        let bad = |e: csv::Error| Failure::Failed(format!("{}: {e}", path.display()));
        w.write_record(["contact_id", "not_at_company", "outcome", "code", "message"])
            .map_err(bad)?;
        for (id, flagged) in &r.changes {
            let (outcome, code, message) = match (r.dry_run, refused.get(id.as_str())) {
                (true, _) => ("planned", "", ""),
                (false, Some(f)) => ("refused", f.code.as_str(), f.message.as_str()),
                (false, None) => ("written", "", ""),
            };
            let flag = if *flagged { "true" } else { "false" };
            // The CRM's messages are not ours: a spreadsheet must not run them.
            w.write_record([id.as_str(), flag, outcome, code, &defused(message)])
                .map_err(bad)?;
        }
        let bytes = w.into_inner().map_err(|e| Failure::Failed(e.to_string()))?;
        write_atomically(path, &bytes)
    }
}
