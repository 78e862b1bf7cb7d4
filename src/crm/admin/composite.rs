//! Salesforce's `/composite` (CRM-APIS A6) as the admin side uses it: several subrequests in
//! one HTTP request, each answered on its own (`allOrNone` false).

use serde::Deserialize;
use serde_json::{json, Value};

use crate::crm::salesforce::{authorized, base_url, read_error, Session};
use crate::crm::{CrmError, HttpRequest};

pub(super) fn json_request(
    session: &Session,
    method: &str,
    url: String,
    body: Value,
) -> HttpRequest {
    let mut request = authorized(session, method, url);
    request
        .headers
        .push(("Content-Type".into(), "application/json".into()));
    request.body = Some(body.to_string());
    request
}

/// One `/composite` call (A6): subrequests run in order, each answers on its own.
pub(crate) fn composite(session: &Session, subrequests: Vec<Value>) -> HttpRequest {
    let url = format!("{}/composite", base_url(&session.api_host));
    let body = json!({"allOrNone": false, "compositeRequest": subrequests});
    json_request(session, "POST", url, body)
}

/// A composite subrequest's URL is the path from `/services/…` on.
pub(crate) fn sub_path(path: &str) -> String {
    format!(
        "/services/data/v{}/{path}",
        crate::crm::salesforce::API_VERSION
    )
}

pub(crate) fn sub_query(reference: &str, soql: &str) -> Value {
    let q: String = form_urlencoded::byte_serialize(soql.as_bytes()).collect();
    json!({"method": "GET", "referenceId": reference, "url": sub_path(&format!("query?q={q}"))})
}

/// One subrequest's answer: `(status, body)`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SubAnswer {
    pub http_status_code: u16,
    #[serde(default)]
    pub body: Value,
    pub reference_id: String,
}

impl SubAnswer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.http_status_code)
    }

    pub fn error(&self) -> CrmError {
        read_error(self.http_status_code, &self.body.to_string())
    }

    /// The first error code of a failed subrequest.
    pub fn error_code(&self) -> &str {
        self.body
            .pointer("/0/errorCode")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    pub fn records(&self) -> &[Value] {
        self.body
            .get("records")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }
}

/// The composite answer's subrequests, by reference id.
pub(crate) fn read_composite(status: u16, body: &str) -> Result<Vec<SubAnswer>, CrmError> {
    if status != 200 {
        return Err(read_error(status, body));
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Answer {
        composite_response: Vec<SubAnswer>,
    }
    serde_json::from_str::<Answer>(body)
        .map(|a| a.composite_response)
        .map_err(|e| CrmError::unexpected(status, &format!("invalid composite answer: {e}")))
}

pub(crate) fn answer<'a>(
    answers: &'a [SubAnswer],
    reference: &str,
) -> Result<&'a SubAnswer, CrmError> {
    answers
        .iter()
        .find(|a| a.reference_id == reference)
        .ok_or_else(|| CrmError::unexpected(200, &format!("no answer for {reference}")))
}
