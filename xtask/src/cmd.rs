//! Running commands from the project root, with errors that name what failed.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub type Result<T> = std::result::Result<T, String>;

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent folder")
        .to_path_buf()
}

/// Runs a command from the root, inheriting output; fails unless it exits 0.
pub fn exec(program: &str, args: &[&str]) -> Result<()> {
    exec_with(Command::new(program).args(args))
}

pub fn exec_with(command: &mut Command) -> Result<()> {
    let shown = describe(command);
    let status = command
        .current_dir_if_unset()
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Runs a command quietly and returns its trimmed stdout, or None if it failed to run or exit 0.
pub fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .current_dir(root())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

pub fn describe(command: &Command) -> String {
    let args: Vec<String> = command
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    format!(
        "{} {}",
        command.get_program().to_string_lossy(),
        args.join(" ")
    )
}

trait CurrentDirIfUnset {
    fn current_dir_if_unset(&mut self) -> &mut Self;
}

impl CurrentDirIfUnset for Command {
    fn current_dir_if_unset(&mut self) -> &mut Self {
        if self.get_current_dir().is_none() {
            self.current_dir(root());
        }
        self
    }
}

/// A tool installed by npm into node_modules/.bin.
pub fn npm_bin(name: &str) -> String {
    root()
        .join("node_modules/.bin")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// `~/.cargo/bin/NAME` when it exists there, else NAME from PATH.
pub fn cargo_bin(name: &str) -> String {
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|_| std::env::var("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    match home {
        Ok(dir) if dir.join("bin").join(name).exists() => {
            dir.join("bin").join(name).to_string_lossy().into_owned()
        }
        _ => name.to_string(),
    }
}
