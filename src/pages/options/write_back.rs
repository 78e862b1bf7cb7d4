//! The options page's Copy to CRM section: pick an org, prepare a Salesforce org, run Test
//! Write-Back and remove what it made. The result reads in the CRM's own words, then says
//! what to do; links go only to `https:` pages the core built.

use serde::Deserialize;

use crate::crm::{Crm, CrmErrorKind};
use crate::message::Request;
use crate::msg;
use crate::pages::{key, kind_text, PageAction, Problem, Reply, Text};
use crate::panel_model::{crm_key, safe_link};
use crate::writeback::test_run::Made;

/// An org a panel was opened in (`listOrgs`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Org {
    pub api_host: String,
    pub crm: Crm,
}

/// The three requests of the section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Prepare,
    Test,
    Remove,
}

impl Op {
    pub fn request(self, api_host: &str) -> Request {
        let api_host = api_host.to_string();
        match self {
            Op::Prepare => Request::PrepareOrg { api_host },
            Op::Test => Request::TestWriteBack { api_host },
            Op::Remove => Request::RemoveTestRecords { api_host },
        }
    }
}

/// The `testWriteBack` answer's `ok`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TestRun {
    pub contact: Reply<Made>,
    #[serde(default)]
    pub activities: Vec<ActivityRun>,
}

/// One test activity: what was made, or why not.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ActivityRun {
    pub kind: String,
    #[serde(default)]
    pub ok: Option<Made>,
    #[serde(default)]
    pub error: Option<Problem>,
}

/// The `removeTestRecords` answer's `ok`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Removed {
    pub removed: usize,
}

/// A piece of a result line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(Text),
    /// "View in CRM", opened in a new tab.
    Link {
        text: Text,
        url: String,
    },
    /// A failure inside an otherwise fine line.
    Error(Text),
}

/// What the result region shows: a line, and a line for each test activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub error: bool,
    pub line: Vec<Inline>,
    pub activities: Vec<KindLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindLine {
    /// The kind as stored (`inMail`), for `data-kind`.
    pub kind: String,
    pub parts: Vec<Inline>,
}

impl Report {
    fn says(error: bool, text: Text) -> Report {
        Report {
            error,
            line: vec![Inline::Text(text)],
            activities: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct WriteBack {
    orgs: Vec<Org>,
    selected: Option<String>,
    /// The CRM of the org a request is out for.
    running: Option<Crm>,
    report: Option<Report>,
}

impl WriteBack {
    pub fn orgs_listed(&mut self, answer: Reply<Vec<Org>>) {
        match answer.ok {
            Some(orgs) => {
                self.selected = orgs.first().map(|o| o.api_host.clone());
                self.orgs = orgs;
                if self.orgs.is_empty() {
                    self.report = Some(Report::says(false, msg!("writeBackNoOrg")));
                }
            }
            None => self.report = Some(Report::says(true, answer.failure())),
        }
    }

    /// The org picker's choices: `(value, label, selected)`.
    pub fn choices(&self) -> Vec<(String, Text, bool)> {
        self.orgs
            .iter()
            .map(|o| {
                let crm = key(crm_key(o.crm));
                let label = Text::joined("", [format!("{} (", o.api_host).into(), crm, ")".into()]);
                let selected = self.selected.as_deref() == Some(o.api_host.as_str());
                (o.api_host.clone(), label, selected)
            })
            .collect()
    }

    /// A link to each org's admin page: `(href, text)`.
    pub fn admin_links(&self) -> Vec<(String, Text)> {
        self.choices()
            .into_iter()
            .map(|(api_host, label, _)| {
                let org: String = form_urlencoded::byte_serialize(api_host.as_bytes()).collect();
                (format!("admin.html?org={org}"), msg!("adminOpenOrg", label))
            })
            .collect()
    }

    pub fn select(&mut self, api_host: &str) {
        if self.orgs.iter().any(|o| o.api_host == api_host) {
            self.selected = Some(api_host.to_string());
        }
    }

    fn org(&self) -> Option<&Org> {
        let selected = self.selected.as_deref()?;
        self.orgs.iter().find(|o| o.api_host == selected)
    }

    /// Preparing an org is a Salesforce matter.
    pub fn prepare_offered(&self) -> bool {
        self.org().is_some_and(|o| o.crm == Crm::Salesforce)
    }

    /// One request at a time: the result region answers one.
    pub fn enabled(&self) -> bool {
        self.running.is_none()
    }

    pub fn report(&self) -> Option<&Report> {
        self.report.as_ref()
    }

    pub fn run(&mut self, op: Op) -> Vec<PageAction> {
        if self.running.is_some() {
            return Vec::new();
        }
        let Some(org) = self.org() else {
            self.report = Some(Report::says(false, msg!("writeBackNoOrg")));
            return Vec::new();
        };
        let request = op.request(&org.api_host);
        self.running = Some(org.crm);
        self.report = Some(Report::says(false, msg!("writeBackWorking")));
        vec![PageAction::Send(request)]
    }

    /// The CRM of the request that was out, clearing it.
    fn finish(&mut self) -> Crm {
        self.running.take().unwrap_or(Crm::Salesforce)
    }

    pub fn prepared(&mut self, answer: Reply<bool>) {
        let crm = self.finish();
        self.report = Some(match answer.ok {
            Some(_) if !answer.failed() => Report::says(false, msg!("prepareOrgDone")),
            _ => Report::says(true, failure(&answer, crm)),
        });
    }

    pub fn removed(&mut self, answer: Reply<Removed>) {
        let crm = self.finish();
        self.report = Some(match answer.ok {
            Some(Removed { removed }) if !answer.failed() => {
                Report::says(false, msg!("removeTestRecordsDone", removed))
            }
            _ => Report::says(true, failure(&answer, crm)),
        });
    }

    pub fn tested(&mut self, answer: Reply<TestRun>) {
        let crm = self.finish();
        self.report = Some(match &answer.ok {
            Some(run) if !answer.failed() => test_report(run, crm),
            _ => Report::says(true, failure(&answer, crm)),
        });
    }
}

fn test_report(run: &TestRun, crm: Crm) -> Report {
    let contact = match &run.contact.ok {
        Some(made) if !run.contact.failed() => made,
        _ => {
            let line = Text::joined(
                " ",
                [msg!("writeBackContactRejected"), failure(&run.contact, crm)],
            );
            return Report::says(true, line);
        }
    };
    let mut line = vec![Inline::Text(msg!("writeBackContactMade"))];
    line.extend(view_link(contact));
    let activities = run
        .activities
        .iter()
        .map(|a| {
            let mut parts = vec![Inline::Text(Text::joined(
                "",
                [kind_text(&a.kind), ": ".into()],
            ))];
            match &a.ok {
                Some(made) => {
                    parts.push(Inline::Text(msg!("writeBackWritten")));
                    parts.extend(view_link(made));
                }
                None => {
                    let failed = Reply::<()> {
                        ok: None,
                        error: a.error.clone(),
                    };
                    parts.push(Inline::Error(failure(&failed, crm)))
                }
            }
            KindLine {
                kind: a.kind.clone(),
                parts,
            }
        })
        .collect();
    Report {
        error: false,
        line,
        activities,
    }
}

/// " View in CRM" after what was made, when it has a page.
fn view_link(made: &Made) -> Vec<Inline> {
    match made.url.as_deref().and_then(safe_link) {
        Some(url) => vec![
            Inline::Text(" ".into()),
            Inline::Link {
                text: msg!("viewInCrm"),
                url,
            },
        ],
        None => Vec::new(),
    }
}

/// The CRM's words, then what to do: sign in again, or ask the admin about the rule.
fn failure<T>(answer: &Reply<T>, crm: Crm) -> Text {
    let problem = answer.error.as_ref();
    match problem.and_then(|p| p.crm.as_ref()) {
        Some(e) if e.kind == CrmErrorKind::SessionExpired => {
            msg!("writeBackSignIn", key(crm_key(crm)))
        }
        Some(e) if e.kind == CrmErrorKind::Rejected => {
            msg!("writeBackRejected", e.message.as_str())
        }
        Some(e) if !e.message.trim().is_empty() => msg!("writeBackFailed", e.message.trim()),
        _ => answer.failure(),
    }
}
