//! Salesforce Bulk API 2.0 requests and what their answers mean (CRM-APIS A21): a query
//! job, its CSV result sets (`Sforce-Locator`, the string `null` after the last), an update
//! ingest job with one CSV upload, and its failed rows (`sf__Error`).

use serde::Deserialize;

use super::{RefusedFlag, Target};
use crate::crm::salesforce::{read_error, API_VERSION};
use crate::crm::{CrmError, HttpRequest};
use crate::host::HttpAnswer;

/// Records per result set asked for: ten sets read a million contacts (an org may send
/// fewer per set; the locator says where the next one starts).
pub const RECORDS_PER_SET: usize = 100_000;

/// The state of a job, as polled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    Working,
    Complete,
    /// `Failed` or `Aborted`.
    Ended,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: String,
    pub state: JobState,
    /// Why a failed job failed (`errorMessage`).
    pub error: Option<String>,
    /// Rows the job read or wrote so far (`numberRecordsProcessed`; a complete query job's
    /// is its result's size).
    pub records: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JobInfo {
    id: String,
    state: String,
    #[serde(default)]
    error_message: Option<String>,
    #[serde(default)]
    number_records_processed: Option<u64>,
}

fn base(target: &Target) -> String {
    format!("{}/services/data/v{API_VERSION}/jobs", target.instance_url)
}

fn request(
    target: &Target,
    method: &str,
    url: String,
    body: Option<(String, &str)>,
) -> HttpRequest {
    let mut headers = vec![
        (
            "Authorization".to_string(),
            format!("Bearer {}", target.access_token),
        ),
        (
            "Accept".to_string(),
            "application/json, text/csv".to_string(),
        ),
    ];
    let body = body.map(|(text, content_type)| {
        headers.push(("Content-Type".to_string(), content_type.to_string()));
        text
    });
    HttpRequest {
        method: method.into(),
        url,
        headers,
        body,
        with_cookies: false,
    }
}

pub fn create_query(target: &Target, soql: &str) -> HttpRequest {
    let body = serde_json::json!({"operation": "query", "query": soql}).to_string();
    request(
        target,
        "POST",
        format!("{}/query", base(target)),
        Some((body, "application/json")),
    )
}

pub fn poll_query(target: &Target, job: &str) -> HttpRequest {
    request(target, "GET", format!("{}/query/{job}", base(target)), None)
}

pub fn result_set(target: &Target, job: &str, locator: Option<&str>) -> HttpRequest {
    let mut url = format!(
        "{}/query/{job}/results?maxRecords={RECORDS_PER_SET}",
        base(target)
    );
    if let Some(locator) = locator {
        // Opaque, but only ever URL-safe base64 in practice: encoded anyway.
        url.push_str("&locator=");
        url.extend(form_urlencoded::byte_serialize(locator.as_bytes()));
    }
    request(target, "GET", url, None)
}

pub fn create_update(target: &Target, object: &str) -> HttpRequest {
    let body = serde_json::json!({
        "object": object, "operation": "update", "contentType": "CSV", "lineEnding": "LF", "columnDelimiter": "COMMA"
    })
    .to_string();
    request(
        target,
        "POST",
        format!("{}/ingest", base(target)),
        Some((body, "application/json")),
    )
}

pub fn upload(target: &Target, job: &str, csv: String) -> HttpRequest {
    request(
        target,
        "PUT",
        format!("{}/ingest/{job}/batches", base(target)),
        Some((csv, "text/csv")),
    )
}

pub fn close(target: &Target, job: &str) -> HttpRequest {
    let body = serde_json::json!({"state": "UploadComplete"}).to_string();
    request(
        target,
        "PATCH",
        format!("{}/ingest/{job}", base(target)),
        Some((body, "application/json")),
    )
}

pub fn poll_ingest(target: &Target, job: &str) -> HttpRequest {
    request(
        target,
        "GET",
        format!("{}/ingest/{job}", base(target)),
        None,
    )
}

pub fn failed_rows(target: &Target, job: &str) -> HttpRequest {
    request(
        target,
        "GET",
        format!("{}/ingest/{job}/failedResults/", base(target)),
        None,
    )
}

fn failure(answer: &HttpAnswer) -> Option<CrmError> {
    (!(200..300).contains(&answer.status)).then(|| read_error(answer.status, &answer.body))
}

/// The answer to an upload: no body, only whether the org took it.
pub fn read_upload(answer: &HttpAnswer) -> Result<(), CrmError> {
    failure(answer).map_or(Ok(()), Err)
}

/// A job's answer (created, polled or closed).
pub fn read_job(answer: &HttpAnswer) -> Result<Job, CrmError> {
    if let Some(e) = failure(answer) {
        return Err(e);
    }
    let info: JobInfo = serde_json::from_str(&answer.body)
        .map_err(|e| CrmError::unexpected(answer.status, &format!("not a Bulk API job: {e}")))?;
    let state = match info.state.as_str() {
        "JobComplete" => JobState::Complete,
        "Failed" | "Aborted" => JobState::Ended,
        _ => JobState::Working,
    };
    Ok(Job {
        id: info.id,
        state,
        error: info.error_message,
        records: info.number_records_processed,
    })
}

/// One result set: its CSV text and the next set's locator (none after the last).
pub fn read_result_set(answer: &HttpAnswer) -> Result<(&str, Option<String>), CrmError> {
    if let Some(e) = failure(answer) {
        return Err(e);
    }
    let locator = answer
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("sforce-locator"))
        .map(|(_, value)| value.trim())
        .filter(|v| !v.is_empty() && *v != "null")
        .map(str::to_string);
    Ok((answer.body.as_str(), locator))
}

/// The upload of an update job: the Id and the flag of each change.
pub fn flags_csv(field: &str, changes: &[(String, bool)]) -> String {
    let mut out = String::with_capacity(changes.len() * 26 + 32);
    out.push_str("Id,");
    out.push_str(field);
    out.push('\n');
    for (id, flagged) in changes {
        // Ids are [0-9A-Za-z]{15,18} (checked when read): nothing to quote.
        out.push_str(id);
        out.push_str(if *flagged { ",true\n" } else { ",false\n" });
    }
    out
}

/// The failed rows of an update job: `sf__Id`, `sf__Error` (`CODE:message:fields --`), then
/// the uploaded cells. Rows come in no set order, so each is named by its uploaded `Id`.
pub fn read_failed_rows(answer: &HttpAnswer) -> Result<Vec<RefusedFlag>, CrmError> {
    if let Some(e) = failure(answer) {
        return Err(e);
    }
    let mut reader = csv::ReaderBuilder::new().from_reader(answer.body.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| CrmError::unexpected(answer.status, &e.to_string()))?
        .clone();
    let column = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (error, id, sf_id) = (column("sf__Error"), column("Id"), column("sf__Id"));
    let flag = header.len().checked_sub(1);
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| CrmError::unexpected(answer.status, &e.to_string()))?;
        let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).unwrap_or("").trim();
        let contact_id = Some(cell(id))
            .filter(|s| !s.is_empty())
            .unwrap_or(cell(sf_id));
        let (code, message) = split_error(cell(error));
        out.push(RefusedFlag {
            contact_id: contact_id.to_string(),
            flagged: cell(flag).eq_ignore_ascii_case("true"),
            code,
            message,
        });
    }
    Ok(out)
}

/// `FIELD_CUSTOM_VALIDATION_EXCEPTION:Contact requires an email address.:Email --` →
/// the code and the message.
fn split_error(text: &str) -> (String, String) {
    let Some((code, rest)) = text.split_once(':') else {
        return (String::new(), text.to_string());
    };
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
        return (String::new(), text.to_string());
    }
    let message = rest
        .trim_end()
        .strip_suffix("--")
        .unwrap_or(rest)
        .trim_end();
    // The field list after the message's last colon, when there is one.
    let message = match message.rsplit_once(':') {
        Some((words, fields))
            if fields
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_, ".contains(c)) =>
        {
            words
        }
        _ => message,
    };
    (code.to_string(), message.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> Target {
        Target::new("https://acme.my.salesforce.com", "00D!tok").unwrap()
    }

    fn answer(status: u16, body: &str, headers: &[(&str, &str)]) -> HttpAnswer {
        HttpAnswer {
            status,
            body: body.into(),
            retry_after: None,
            headers: headers
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        }
    }

    #[test]
    fn requests_name_the_jobs_resources_with_the_token() {
        let t = target();
        let q = create_query(&t, "SELECT Id FROM Contact");
        assert_eq!(
            q.url,
            "https://acme.my.salesforce.com/services/data/v66.0/jobs/query"
        );
        assert!(q
            .headers
            .contains(&("Authorization".into(), "Bearer 00D!tok".into())));
        let set = result_set(&t, "750X", Some("MTAwMDA="));
        assert!(set
            .url
            .ends_with("/jobs/query/750X/results?maxRecords=100000&locator=MTAwMDA%3D"));
        let up = upload(
            &t,
            "750Y",
            flags_csv("F__c", &[("003A".into(), true), ("003B".into(), false)]),
        );
        assert_eq!(up.method, "PUT");
        assert_eq!(up.body.as_deref(), Some("Id,F__c\n003A,true\n003B,false\n"));
        assert!(up
            .headers
            .contains(&("Content-Type".into(), "text/csv".into())));
    }

    #[test]
    fn job_states_and_locators_are_read() {
        let job = read_job(&answer(200, r#"{"id":"750X","state":"InProgress"}"#, &[])).unwrap();
        assert_eq!(job.state, JobState::Working);
        let failed = read_job(&answer(200, r#"{"id":"750X","state":"Failed","errorMessage":"InvalidBatch : Field name not found : F__c"}"#, &[])).unwrap();
        assert_eq!(failed.state, JobState::Ended);
        assert!(failed.error.unwrap().contains("F__c"));
        let expired = read_job(&answer(
            401,
            r#"[{"errorCode":"INVALID_SESSION_ID","message":"Session expired or invalid"}]"#,
            &[],
        ))
        .unwrap_err();
        assert_eq!(expired.code, "INVALID_SESSION_ID");
        let (_, next) =
            read_result_set(&answer(200, "\"Id\"\n", &[("Sforce-Locator", "MTAw")])).unwrap();
        assert_eq!(next.as_deref(), Some("MTAw"));
        let (_, last) =
            read_result_set(&answer(200, "\"Id\"\n", &[("sforce-locator", "null")])).unwrap();
        assert_eq!(last, None);
    }

    #[test]
    fn failed_rows_keep_the_crms_words() {
        let body = "\"sf__Id\",\"sf__Error\",\"Id\",\"F__c\"\n\"003A\",\"FIELD_CUSTOM_VALIDATION_EXCEPTION:Contact requires an email address.:Email --\",\"003A\",\"true\"\n\"\",\"MALFORMED_ID:Contact ID: id value of incorrect type: 003??:Id --\",\"003??\",\"false\"\n";
        let rows = read_failed_rows(&answer(200, body, &[])).unwrap();
        assert_eq!(rows[0].contact_id, "003A");
        assert!(rows[0].flagged);
        assert_eq!(rows[0].code, "FIELD_CUSTOM_VALIDATION_EXCEPTION");
        assert_eq!(rows[0].message, "Contact requires an email address.");
        assert_eq!(rows[1].contact_id, "003??");
        assert_eq!(
            rows[1].message,
            "Contact ID: id value of incorrect type: 003??"
        );
        assert_eq!(
            split_error("no code here"),
            (String::new(), "no code here".into())
        );
    }
}
