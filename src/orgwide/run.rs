//! One org-wide run as a state machine: [`ValidationRun::next`] names the next request (and
//! how long to wait before it, when polling), [`ValidationRun::answer`] reads its answer.
//! The command only carries requests; every rule is here. Reads (polls, result sets, failed
//! rows) are retried after a failure of the CRM or the network, since a locator can be read
//! again (A21); writes are not, so a job is never made or closed twice.

use super::bulk::{self, JobState};
use super::contacts::{read_set, soql};
use super::linking::Linker;
use super::{Report, Target};
use crate::crm::{CrmError, CrmErrorKind, HttpRequest};
use crate::host::HttpAnswer;
use crate::matching::Person;
use crate::validation::salesforce::FLAG_FIELD;

/// Tries of one read before the run gives up.
const MAX_TRIES: u32 = 5;
/// Polls of one job before the run gives up (about two hours at the longest wait).
const MAX_POLLS: u32 = 720;
const FIRST_POLL_MS: u64 = 250;
const LONGEST_POLL_MS: u64 = 10_000;

/// What the command does next.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Send { request: HttpRequest, wait_ms: u64 },
    Done(Report),
    Failed(RunError),
}

/// Why a run stopped, in the CRM's words, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunError {
    /// What the run was doing.
    pub during: &'static str,
    pub code: String,
    pub message: String,
    pub hint: &'static str,
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let code = if self.code.is_empty() {
            String::new()
        } else {
            format!("{}: ", self.code)
        };
        write!(f, "{} failed: {code}{}", self.during, self.message)?;
        if !self.hint.is_empty() {
            write!(f, "\n{}", self.hint)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    CreateQuery,
    PollQuery {
        job: String,
        polls: u32,
    },
    ReadSet {
        job: String,
        locator: Option<String>,
    },
    CreateUpdate,
    Upload {
        job: String,
    },
    Close {
        job: String,
    },
    PollUpdate {
        job: String,
        polls: u32,
    },
    ReadFailed {
        job: String,
    },
    Done,
    Failed(RunError),
}

pub struct ValidationRun {
    target: Target,
    dry_run: bool,
    linker: Option<Linker>,
    phase: Phase,
    report: Report,
    tries: u32,
}

impl ValidationRun {
    pub fn new(target: Target, profiles: Vec<Person>, dry_run: bool) -> ValidationRun {
        let linker = Linker::new(profiles);
        let report = Report {
            profiles: linker.profiles(),
            dry_run,
            ..Report::default()
        };
        ValidationRun {
            target,
            dry_run,
            linker: Some(linker),
            phase: Phase::CreateQuery,
            report,
            tries: 0,
        }
    }

    pub fn next(&self) -> Step {
        let t = &self.target;
        let retry_wait = if self.tries == 0 {
            0
        } else {
            1000 << self.tries.min(5)
        };
        let (request, wait_ms) = match &self.phase {
            Phase::CreateQuery => (bulk::create_query(t, &soql(FLAG_FIELD)), 0),
            Phase::PollQuery { job, polls } => (bulk::poll_query(t, job), poll_wait(*polls)),
            Phase::ReadSet { job, locator } => (bulk::result_set(t, job, locator.as_deref()), 0),
            Phase::CreateUpdate => (bulk::create_update(t, "Contact"), 0),
            Phase::Upload { job } => (
                bulk::upload(t, job, bulk::flags_csv(FLAG_FIELD, &self.report.changes)),
                0,
            ),
            Phase::Close { job } => (bulk::close(t, job), 0),
            Phase::PollUpdate { job, polls } => (bulk::poll_ingest(t, job), poll_wait(*polls)),
            Phase::ReadFailed { job } => (bulk::failed_rows(t, job), 0),
            Phase::Done => return Step::Done(self.report.clone()),
            Phase::Failed(e) => return Step::Failed(e.clone()),
        };
        Step::Send {
            request,
            wait_ms: wait_ms.max(retry_wait),
        }
    }

    /// A line for the user: where the run is.
    pub fn progress(&self) -> String {
        match &self.phase {
            Phase::CreateQuery | Phase::PollQuery { .. } => {
                "the org is reading its contacts (Bulk API query job)".into()
            }
            Phase::ReadSet { .. } => format!("matched {} contacts so far", self.report.contacts),
            Phase::CreateUpdate | Phase::Upload { .. } | Phase::Close { .. } => {
                format!("sending {} flag changes", self.report.changes.len())
            }
            Phase::PollUpdate { .. } | Phase::ReadFailed { .. } => {
                "the org is writing the flags (Bulk API ingest job)".into()
            }
            Phase::Done => "done".into(),
            Phase::Failed(_) => "stopped".into(),
        }
    }

    pub fn answer(&mut self, answer: &HttpAnswer) {
        self.report.requests += 1;
        let transient = answer.status >= 500 || answer.status == 429 || answer.status == 0;
        if transient && self.is_read() && self.tries + 1 < MAX_TRIES {
            self.tries += 1;
            return;
        }
        self.tries = 0;
        let phase = std::mem::replace(&mut self.phase, Phase::Done);
        self.phase = self.step(phase, answer).unwrap_or_else(Phase::Failed);
    }

    /// The network failed before an answer came: reads are tried again.
    pub fn transport_failed(&mut self, detail: &str) {
        if self.is_read() && self.tries + 1 < MAX_TRIES {
            self.report.requests += 1;
            self.tries += 1;
            return;
        }
        let during = self.during();
        self.phase = Phase::Failed(RunError {
            during,
            code: "NETWORK".into(),
            message: detail.to_string(),
            hint: "Check the network and the instance URL, then run again: nothing is lost, and flags already written stay.",
        });
    }

    fn is_read(&self) -> bool {
        matches!(
            self.phase,
            Phase::PollQuery { .. }
                | Phase::ReadSet { .. }
                | Phase::PollUpdate { .. }
                | Phase::ReadFailed { .. }
        )
    }

    fn during(&self) -> &'static str {
        during_of(&self.phase)
    }

    fn step(&mut self, phase: Phase, answer: &HttpAnswer) -> Result<Phase, RunError> {
        let during = during_of(&phase);
        let crm = |e: CrmError| crm_error(during, e);
        Ok(match phase {
            Phase::CreateQuery => Phase::PollQuery {
                job: bulk::read_job(answer).map_err(crm)?.id,
                polls: 0,
            },
            Phase::PollQuery { job, polls } => {
                let info = bulk::read_job(answer).map_err(crm)?;
                match job_state(&info, during, polls)? {
                    JobState::Complete => {
                        if let (Some(linker), Some(n)) = (self.linker.as_mut(), info.records) {
                            linker.expect_contacts(n as usize);
                        }
                        Phase::ReadSet { job, locator: None }
                    }
                    _ => Phase::PollQuery {
                        job,
                        polls: polls + 1,
                    },
                }
            }
            Phase::ReadSet { job, .. } => {
                let (csv, next) = bulk::read_result_set(answer).map_err(crm)?;
                let rows = read_set(csv, FLAG_FIELD).map_err(|e| RunError {
                    during,
                    code: String::new(),
                    message: e.0,
                    hint: "",
                })?;
                self.report.contacts += rows.len();
                if let Some(linker) = self.linker.as_mut() {
                    linker.add(&rows);
                }
                match next {
                    Some(locator) => Phase::ReadSet {
                        job,
                        locator: Some(locator),
                    },
                    None => self.decided(),
                }
            }
            Phase::CreateUpdate => Phase::Upload {
                job: bulk::read_job(answer).map_err(crm)?.id,
            },
            Phase::Upload { job } => {
                bulk::read_upload(answer).map_err(crm)?;
                Phase::Close { job }
            }
            Phase::Close { job } => {
                bulk::read_job(answer).map_err(crm)?;
                Phase::PollUpdate { job, polls: 0 }
            }
            Phase::PollUpdate { job, polls } => {
                match job_state(&bulk::read_job(answer).map_err(crm)?, during, polls)? {
                    JobState::Complete => Phase::ReadFailed { job },
                    _ => Phase::PollUpdate {
                        job,
                        polls: polls + 1,
                    },
                }
            }
            Phase::ReadFailed { .. } => {
                let refused = bulk::read_failed_rows(answer).map_err(crm)?;
                self.count_written(refused);
                Phase::Done
            }
            done @ (Phase::Done | Phase::Failed(_)) => done,
        })
    }

    /// Every contact is read: the flags to write are known.
    fn decided(&mut self) -> Phase {
        let Some(linker) = self.linker.take() else {
            return Phase::Done;
        };
        let outcome = linker.finish();
        let r = &mut self.report;
        r.linked = outcome.linked;
        r.ambiguous = outcome.ambiguous;
        r.not_at_company = outcome.not_at_company;
        r.changes = outcome.changes;
        if self.dry_run || r.changes.is_empty() {
            return Phase::Done;
        }
        Phase::CreateUpdate
    }

    fn count_written(&mut self, refused: Vec<super::RefusedFlag>) {
        let refused_ids: std::collections::HashSet<&str> =
            refused.iter().map(|r| r.contact_id.as_str()).collect();
        let r = &mut self.report;
        for (id, flagged) in &r.changes {
            if refused_ids.contains(id.as_str()) {
                continue;
            }
            if *flagged {
                r.set += 1;
            } else {
                r.cleared += 1;
            }
        }
        self.report.refused = refused;
    }
}

fn during_of(phase: &Phase) -> &'static str {
    match phase {
        Phase::CreateQuery | Phase::PollQuery { .. } => "the contacts query job",
        Phase::ReadSet { .. } => "reading the contacts",
        Phase::CreateUpdate | Phase::Upload { .. } | Phase::Close { .. } => {
            "sending the flag changes"
        }
        Phase::PollUpdate { .. } | Phase::ReadFailed { .. } => "the flag update job",
        Phase::Done | Phase::Failed(_) => "the run",
    }
}

fn poll_wait(polls: u32) -> u64 {
    (FIRST_POLL_MS << polls.min(6)).min(LONGEST_POLL_MS)
}

fn job_state(job: &bulk::Job, during: &'static str, polls: u32) -> Result<JobState, RunError> {
    match job.state {
        JobState::Ended => {
            let message = job.error.clone().unwrap_or_else(|| "the job ended".into());
            Err(RunError {
                during,
                code: String::new(),
                hint: not_set_up_hint(&message),
                message,
            })
        }
        JobState::Working if polls + 1 >= MAX_POLLS => Err(RunError {
            during,
            code: String::new(),
            message: format!("the job {} is still running after {polls} polls", job.id),
            hint: "The org is busy: see Setup > Bulk Data Load Jobs, and run again later.",
        }),
        state => Ok(state),
    }
}

fn not_set_up_hint(message: &str) -> &'static str {
    if message.contains(FLAG_FIELD) {
        "Data validation is not set up in this org: run \"Set up data validation\" on the extension's admin page first."
    } else {
        ""
    }
}

fn crm_error(during: &'static str, e: CrmError) -> RunError {
    let hint = match e.kind {
        CrmErrorKind::SessionExpired => "The access token expired or is not this org's: run `sf org display --target-org <alias>` again and pass its Access Token.",
        CrmErrorKind::Blocked => "The org refuses API calls for this user: an admin must allow API access (profile or permission set \"API Enabled\").",
        CrmErrorKind::Forbidden => "This user may not read or edit Contacts, or the flag field: use an admin's token.",
        CrmErrorKind::RateLimited => "The org's API allowance is spent: run again when it renews.",
        _ => not_set_up_hint(&e.message),
    };
    RunError {
        during,
        code: e.code,
        message: e.message,
        hint,
    }
}
