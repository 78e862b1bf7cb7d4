//! Runs a test command, echoing its output, and counts passed/failed tests from the closing
//! lines of cargo test, node --test and pytest.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::cmd::{describe, root};

#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub passed: u32,
    pub failed: u32,
    /// The command itself failed (non-zero exit) even if no test was counted as failed.
    pub exit_failed: bool,
}

impl Counts {
    pub fn one(ok: bool) -> Counts {
        Counts {
            passed: ok as u32,
            failed: !ok as u32,
            exit_failed: !ok,
        }
    }

    pub fn ok(&self) -> bool {
        self.failed == 0 && !self.exit_failed
    }

    pub fn add(&mut self, other: &Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        if other.exit_failed && other.failed == 0 {
            self.failed += 1;
        }
    }

    /// A command that is one check (fmt, clippy): pass or fail by exit code.
    pub fn as_check(self) -> Counts {
        Counts::one(!self.exit_failed)
    }
}

pub fn run_counted(command: &mut Command) -> Counts {
    let shown = describe(command);
    let child = command
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            eprintln!("could not start `{shown}`: {e}");
            return Counts::one(false);
        }
    };
    let mut counts = Counts::default();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
            println!("{line}");
            count_line(&line, &mut counts);
        }
    }
    counts.exit_failed = !child.wait().is_ok_and(|s| s.success());
    counts
}

fn count_line(line: &str, counts: &mut Counts) {
    let line = line.trim();
    if let Some(rest) = line.strip_prefix("test result: ") {
        // cargo test / wasm-bindgen-test: "test result: ok. 5 passed; 0 failed; …"
        counts.passed += number_before(rest, " passed");
        counts.failed += number_before(rest, " failed");
    } else if let Some(n) = line.strip_prefix("# pass ") {
        counts.passed += n.trim().parse::<u32>().unwrap_or(0);
    } else if let Some(n) = line.strip_prefix("# fail ") {
        counts.failed += n.trim().parse::<u32>().unwrap_or(0);
    } else if line.contains(" passed") && line.contains(" in ") && !line.contains(';') {
        // pytest: "12 passed, 1 failed in 3.2s"
        counts.passed += number_before(line, " passed");
        counts.failed += number_before(line, " failed");
    }
}

fn number_before(text: &str, word: &str) -> u32 {
    text.find(word)
        .and_then(|end| text[..end].rsplit(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_runner_s_closing_lines() {
        let mut c = Counts::default();
        count_line("test result: ok. 29 passed; 0 failed; 0 ignored", &mut c);
        count_line("# pass 12", &mut c);
        count_line("# fail 1", &mut c);
        count_line("3 passed, 2 failed in 1.20s", &mut c);
        assert_eq!((c.passed, c.failed), (44, 3));
    }
}
