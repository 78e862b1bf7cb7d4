//! Dataverse `$batch` bodies (CRM-APIS B6): `multipart/mixed` requests of several Web API
//! calls, and the answers, one part per call in order.

use super::dynamics::{api_base, odata_headers};
use super::{HttpRequest, OrgHost};

/// One call of a batch: `GET contacts?…`, or a write with its JSON body.
pub struct Part<'a> {
    pub method: &'a str,
    /// The path after `/api/data/v9.2/`.
    pub path: String,
    pub body: Option<String>,
    /// Headers of this call alone (`If-Match: *`, so an update never creates a row).
    pub headers: Vec<(&'static str, &'static str)>,
}

impl Part<'_> {
    /// A read of `path`.
    pub fn get(path: String) -> Part<'static> {
        Part {
            method: "GET",
            path,
            body: None,
            headers: Vec::new(),
        }
    }
}

/// One `$batch` request of `parts`, outside any change set: each runs on its own, and
/// `odata.continue-on-error` lets a failed one not stop the rest.
pub fn request(api_host: &OrgHost, boundary: &str, parts: &[Part<'_>]) -> HttpRequest {
    let base = api_base(api_host);
    let mut body = String::new();
    for part in parts {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n{} {base}/{} HTTP/1.1\r\n",
            part.method, part.path
        ));
        for (name, value) in &part.headers {
            body.push_str(&format!("{name}: {value}\r\n"));
        }
        match &part.body {
            Some(json) => {
                body.push_str(&format!("Content-Type: application/json\r\n\r\n{json}\r\n"))
            }
            None => body.push_str("Accept: application/json\r\n\r\n"),
        }
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    let mut headers = odata_headers();
    headers.push((
        "Content-Type".into(),
        format!("multipart/mixed; boundary={boundary}"),
    ));
    headers.push(("Prefer".into(), "odata.continue-on-error".into()));
    HttpRequest {
        method: "POST".into(),
        url: format!("{base}/$batch"),
        headers,
        body: Some(body),
        with_cookies: true,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// The responses of a `multipart/mixed` batch answer, in order. The boundary is the first
/// line's (the answer's own Content-Type header names the same one).
pub fn read_multipart(body: &str) -> Result<Vec<Answer>, String> {
    let first = body.lines().next().unwrap_or_default().trim();
    let boundary = first
        .strip_prefix("--")
        .filter(|b| !b.is_empty())
        .ok_or("the batch answer is not multipart")?;
    let delimiter = format!("--{boundary}");
    body.split(delimiter.as_str())
        .skip(1)
        .take_while(|section| !section.starts_with("--"))
        .map(read_part)
        .collect()
}

/// A part: its MIME headers, a blank line, then an HTTP response (status line, headers,
/// blank line, body).
fn read_part(section: &str) -> Result<Answer, String> {
    let http = section
        .split_once("\r\n\r\n")
        .map(|(_, rest)| rest)
        .ok_or("a batch part without headers")?;
    let (head, body) = http.split_once("\r\n\r\n").unwrap_or((http, ""));
    let status = head
        .lines()
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or("a batch part without a status line")?;
    Ok(Answer {
        status,
        body: body.trim_end().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_answers_are_read_in_order() {
        let body = "--batchresponse_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nHTTP/1.1 204 No Content\r\nOData-Version: 4.0\r\n\r\n\r\n--batchresponse_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nHTTP/1.1 412 Precondition Failed\r\nContent-Type: application/json; odata.metadata=minimal\r\n\r\n{\"error\":{\"code\":\"0x80040237\",\"message\":\"exists\"}}\r\n--batchresponse_1--\r\n";
        let answers = read_multipart(body).unwrap();
        assert_eq!(answers.len(), 2);
        assert_eq!(answers[0].status, 204);
        assert_eq!(answers[1].status, 412);
        assert!(answers[1].body.contains("0x80040237"));
    }

    #[test]
    fn non_multipart_answers_are_errors() {
        assert!(read_multipart("{}").is_err());
        assert!(read_multipart("--b\r\nno blank line").is_err());
    }

    #[test]
    fn reads_are_parts_without_a_body() {
        let parts = [Part::get("teams?$select=name".into())];
        let request = request(
            &OrgHost::dynamics("acme.crm.dynamics.com").unwrap(),
            "batch_x",
            &parts,
        );
        let body = request.body.unwrap();
        assert!(body.contains(
            "GET https://acme.crm.dynamics.com/api/data/v9.2/teams?$select=name HTTP/1.1\r\n"
        ));
        assert!(body.ends_with("--batch_x--\r\n"));
        assert!(request.with_cookies);
    }
}
