//! What the admin command-line tools (`crm-match`, `crm-validate`) share: one failure type
//! and one mapping to exit codes, so scripts read both tools the same way
//! (0 done, 1 the run failed, 2 the command line was wrong).

use std::path::Path;
use std::process::ExitCode;

pub enum Failure {
    /// The command line was wrong: printed with the usage text, exit 2.
    Usage(String),
    /// The input or the run failed: printed alone, exit 1.
    Failed(String),
}

/// Prints a failure under the tool's name and returns the exit code scripts rely on.
pub fn exit_code(tool: &str, usage: &str, outcome: Result<(), Failure>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(msg)) => {
            eprintln!("{tool}: {msg}\n{usage}");
            ExitCode::from(2)
        }
        Err(Failure::Failed(msg)) => {
            eprintln!("{tool}: {msg}");
            ExitCode::from(1)
        }
    }
}

/// Writes `bytes` to a temporary file beside `out`, then renames it into place: a failed run
/// never leaves a half-written output.
pub fn write_atomically(out: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = out.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let fail = |e: std::io::Error| Failure::Failed(format!("{}: cannot write: {e}", out.display()));
    std::fs::write(&tmp, bytes).map_err(fail)?;
    std::fs::rename(&tmp, out).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}
