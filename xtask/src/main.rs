//! `cargo xtask <command>`: set up, build, test and demo crmsync. See README.md.

mod bench;
mod browsers;
mod build;
mod cmd;
mod demo;
mod dist;
mod emulator;
mod manifest;
mod setup;
mod test;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  setup        install what the build and tests need (idempotent; run by the others)
  build        wasm core + extension -> dist/chrome and dist/firefox
  dist         build, then zip both and lint the Firefox package with web-ext
  manifest     write manifest.json's CRM hosts from the core's host table
  test         every check: fmt, clippy, unit, wasm (Chromium + Firefox), end-to-end
  bench        the committed benchmarks: matching (criterion), crm-match, wasm, extension,
               writeback, admin, badges, day [names…]
  demo         run the extension against the CRM emulator in Chromium and save screenshots
               (--interactive keeps a visible browser open when a display exists)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run(),
        Some("build") => setup::run().and_then(|_| build::run().map(drop)),
        Some("dist") => setup::run().and_then(|_| dist::run()),
        Some("manifest") => manifest::run(),
        Some("test") => setup::run().and_then(|_| test::run(rest)),
        Some("demo") => setup::run().and_then(|_| demo::run(rest)),
        Some("bench") => setup::run().and_then(|_| bench::run(rest)),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}
