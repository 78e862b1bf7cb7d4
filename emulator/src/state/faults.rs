//! Faults to inject per route, set through the control API: an error status, latency, or a
//! dropped connection, for a percentage of matching requests or for the next N of them.
//! `middleware::faults` applies them.

use std::time::Duration;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    /// Path prefix the fault applies to, e.g. `/services/data/` or `/api/data/v9.2/contacts`.
    pub path: String,
    /// Only this method (any when absent).
    #[serde(default)]
    pub method: Option<String>,
    /// Only hosts containing this text (any when absent).
    #[serde(default)]
    pub host: Option<String>,
    /// Answer with this status (401, 403, 429, 500, 503) instead of serving the request.
    #[serde(default)]
    pub status: Option<u16>,
    /// Answer `302 Found` to this `Location` instead of serving the request, as an org does
    /// when the session is gone and it sends the browser to its sign-in page.
    #[serde(default)]
    pub redirect: Option<String>,
    /// Delay before serving or failing.
    #[serde(default)]
    pub latency_ms: u64,
    /// Close the connection without answering.
    #[serde(default)]
    pub drop: bool,
    /// Serve the request (so its writes commit), then close the connection without sending
    /// the answer: the client cannot tell whether it worked.
    #[serde(default)]
    pub drop_after_commit: bool,
    /// Share of matching requests hit, 1–100.
    #[serde(default = "all")]
    pub percent: u8,
    /// Hit only the next N matching requests, then disappear.
    #[serde(default)]
    pub count: Option<u64>,
    /// `Retry-After` seconds on 429 and 503.
    #[serde(default = "one")]
    pub retry_after: u64,
}

fn all() -> u8 {
    100
}
fn one() -> u64 {
    1
}

impl Fault {
    fn applies(&self, method: &str, host: &str, path: &str) -> bool {
        path.starts_with(&self.path)
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.host.as_deref().is_none_or(|h| host.contains(h))
    }
}

/// The fault to apply to a request, if any; spends one use of counted faults.
pub fn pick(faults: &mut Vec<Fault>, method: &str, host: &str, path: &str) -> Option<Fault> {
    let index = faults.iter().position(|f| {
        f.applies(method, host, path)
            && (f.percent >= 100 || rand::random::<u8>() % 100 < f.percent)
    })?;
    let fault = faults[index].clone();
    if let Some(n) = faults[index].count.as_mut() {
        *n = n.saturating_sub(1);
        if *n == 0 {
            faults.remove(index);
        }
    }
    Some(fault)
}

pub fn latency(fault: &Fault) -> Duration {
    Duration::from_millis(fault.latency_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fault(count: Option<u64>) -> Fault {
        serde_json::from_value(json!({"path": "/api/", "status": 429, "count": count})).unwrap()
    }

    #[test]
    fn counted_faults_expire() {
        let mut faults = vec![fault(Some(2))];
        assert!(pick(&mut faults, "GET", "h", "/api/data").is_some());
        assert!(pick(&mut faults, "GET", "h", "/other").is_none());
        assert!(pick(&mut faults, "GET", "h", "/api/data").is_some());
        assert!(pick(&mut faults, "GET", "h", "/api/data").is_none());
    }

    #[test]
    fn uncounted_faults_stay() {
        let mut faults = vec![fault(None)];
        for _ in 0..3 {
            assert!(pick(&mut faults, "GET", "h", "/api/x").is_some());
        }
    }
}
