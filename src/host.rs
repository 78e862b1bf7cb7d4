//! The ports the background core drives. The extension's JavaScript implements them (HTTP,
//! the IndexedDB store, cookies, clock, alarms, broadcast to panels) and holds no rules; the
//! core decides what to ask for and what the answers mean. Natively, unit tests run the same
//! core against [`fake::FakeHost`], an in-memory host with the same store semantics.

#[cfg(not(target_arch = "wasm32"))]
pub mod fake;

use std::future::Future;
use std::pin::Pin;

use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::background::handle::SenderInfo;
use crate::background::rare::RareAnswer;
use crate::crm::error::{is_claims_challenge, CLAIMS_CHALLENGE, REDIRECTED};
use crate::crm::salesforce::Cookie;
use crate::crm::HttpRequest;
use crate::profiles::api::ImportProgress;
use crate::store::Store;

/// What came back for an [`HttpRequest`]: status 0 when no answer arrived (offline, TLS,
/// timeout, a dropped connection), with the browser's reason as the body; [`REDIRECTED`]
/// when the answer was a redirect, which the port never follows (a CRM API that redirects
/// sends the session to a sign-in page or another host, and its HTML is no answer);
/// [`CLAIMS_CHALLENGE`] for a 401 that asks for a sign-in meeting the tenant's policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", from = "PortAnswer")]
pub struct HttpAnswer {
    pub status: u16,
    pub body: String,
    #[serde(default)]
    pub retry_after: Option<u32>,
    /// The answer's headers, names in lower case (`sforce-limit-info`, `www-authenticate`).
    #[serde(default)]
    pub headers: Vec<(String, String)>,
}

impl HttpAnswer {
    pub fn new(status: u16, body: impl Into<String>) -> HttpAnswer {
        HttpAnswer {
            status,
            body: body.into(),
            ..HttpAnswer::default()
        }
    }

    /// The value of header `name` (any case), if the answer has it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The answer as the fetch port reports it: a redirect it did not follow is the Fetch
/// standard's opaque redirect (status 0, no body), told apart by `redirected`.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortAnswer {
    pub status: u16,
    pub body: String,
    #[serde(default)]
    pub redirected: bool,
    /// Every header of the answer as `[name, value]` (the Fetch standard lower-cases names).
    #[serde(default)]
    pub headers: Vec<(String, String)>,
}

impl From<PortAnswer> for HttpAnswer {
    fn from(answer: PortAnswer) -> HttpAnswer {
        let mut read = HttpAnswer {
            status: answer.status,
            body: answer.body,
            retry_after: None,
            headers: answer.headers,
        };
        read.retry_after = read.header("retry-after").and_then(delay_seconds);
        if answer.redirected {
            read.status = REDIRECTED;
        } else if read.status == 401
            && read
                .header("www-authenticate")
                .is_some_and(is_claims_challenge)
        {
            read.status = CLAIMS_CHALLENGE;
        }
        read
    }
}

/// A `Retry-After` value in seconds. RFC 9110 section 10.2.3 allows an HTTP-date or
/// `delay-seconds` (`1*DIGIT`); Salesforce and Dataverse send seconds, a date is no hint here.
fn delay_seconds(value: &str) -> Option<u32> {
    value.trim().parse().ok()
}

/// The toolbar button's badge: its text, colour and the count its title names.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Badge {
    pub text: String,
    pub color: String,
    pub count: u32,
}

/// A store key: a text key, or a compound key of two texts (IndexedDB array keys).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Key {
    Text(String),
    Pair(String, String),
}

impl Key {
    pub fn pair(a: &str, b: &str) -> Key {
        Key::Pair(a.to_string(), b.to_string())
    }
}

impl From<&str> for Key {
    fn from(text: &str) -> Key {
        Key::Text(text.to_string())
    }
}

/// Which entries of a store a read or a delete covers.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "camelCase")]
pub enum Query {
    /// Every entry.
    All,
    /// Entries whose `index` value equals `key`.
    Index { index: &'static str, key: Key },
    /// Entries whose text key starts with `prefix`.
    Prefix { prefix: String },
}

/// One change in a [`Host::write`] batch; a batch commits whole or not at all.
#[derive(Debug, Clone)]
pub enum Write<V> {
    Put { store: Store, value: V },
    Delete { store: Store, key: Key },
    DeleteWhere { store: Store, query: Query },
}

/// A port failed (the store refused a value, the database is gone). Not a CRM error: the
/// user cannot fix it by signing in or retrying, so it is reported as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostError(pub String);

impl std::fmt::Display for HostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Work the core starts and does not wait for (a sync started by a panel).
pub type Task = Pin<Box<dyn Future<Output = ()>>>;

/// What a lock guards, so that no two read-change-writes of it overwrite each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locked {
    /// Logged items, while one is read, changed and written back.
    Items,
    /// Every org's matches: a sync's link step (from reading the profiles to its end), a
    /// re-matching of changed profiles and a correction. Without it, profiles imported while
    /// a sync matched were never matched in that org (it read them before they were stored,
    /// and they looked for an org not synced yet).
    Links,
}

impl Locked {
    /// The lock's name for the browser's Web Locks.
    pub fn name(self) -> &'static str {
        match self {
            Locked::Items => "items",
            Locked::Links => "links",
        }
    }
}

/// A lock, held until dropped ([`Host::lock`]).
pub struct HeldLock(Option<Box<dyn FnOnce()>>);

impl HeldLock {
    /// A held lock that `release` lets go.
    pub fn new(release: impl FnOnce() + 'static) -> HeldLock {
        HeldLock(Some(Box::new(release)))
    }
}

impl Drop for HeldLock {
    fn drop(&mut self) {
        if let Some(release) = self.0.take() {
            release();
        }
    }
}

/// The extension's side. Values cross as the host's own representation (`Value`), so a page
/// of 2,000 records is converted once, not once per layer.
#[allow(async_fn_in_trait)] // single-threaded (wasm and the native test executor)
pub trait Host {
    type Value;

    fn encode<T: Serialize>(&self, value: &T) -> Result<Self::Value, HostError>;
    fn decode<T: DeserializeOwned>(&self, value: Self::Value) -> Result<T, HostError>;

    async fn fetch(&self, request: &HttpRequest) -> HttpAnswer;

    async fn get(&self, store: Store, key: &Key) -> Result<Option<Self::Value>, HostError>;
    /// Values for `keys`, in order (`None` where missing), read in one transaction.
    async fn get_many(
        &self,
        store: Store,
        keys: &[Key],
    ) -> Result<Vec<Option<Self::Value>>, HostError>;
    async fn get_all(&self, store: Store, query: &Query) -> Result<Vec<Self::Value>, HostError>;
    async fn keys(&self, store: Store, query: &Query) -> Result<Vec<Key>, HostError>;
    async fn count(&self, store: Store, query: &Query) -> Result<u32, HostError>;
    /// Applies every change in one transaction.
    async fn write(&self, batch: Vec<Write<Self::Value>>) -> Result<(), HostError>;

    /// The cookie `name` the browser would send to `url`, from the cookie store of the tab
    /// the work is for (`store_id`; Firefox containers and private windows have their own).
    async fn cookie(&self, url: &str, name: &str, store_id: Option<&str>) -> Option<Cookie>;
    /// Every cookie `name` set for `domain` or its subdomains, from that cookie store.
    async fn cookies(&self, domain: &str, name: &str, store_id: Option<&str>) -> Vec<Cookie>;

    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> f64;
    /// Wakes the background at `when_ms` even if the browser stopped it meanwhile (an alarm);
    /// `None` clears it.
    fn set_alarm(&self, name: &str, when_ms: Option<f64>);
    /// Calls the background's `on_timer(name)` after `delay_ms` while the worker lives (a
    /// `setTimeout`; sooner than an alarm can be); `None` cancels it.
    fn set_timer(&self, name: &str, delay_ms: Option<f64>);
    /// A random number in [0, 1) (retry jitter).
    fn random(&self) -> f64;
    /// A new random id (a UUID) for an item.
    fn new_id(&self) -> String;
    /// Shows `badge` on the toolbar button.
    fn set_badge(&self, badge: &Badge);
    /// An extension API call: Chrome keeps a service worker alive for 30 s after one, and
    /// fetch or IndexedDB do not count. Long work calls it between steps.
    async fn keep_alive(&self);
    /// Tells every open panel (and the background's own listeners).
    fn broadcast(&self, event: &crate::background::Event);
    /// Runs `task` without waiting for it.
    fn spawn(&self, task: Task);
    /// The browser policy for this extension as `storage.managed` holds it (`None`: none,
    /// or the browser could not read it); the core checks it.
    async fn managed_policy(&self) -> Option<Self::Value>;
    /// Waits for the lock `name` (see [`Locked`]). One lock of each name for both background
    /// modules (the rare module's sync moves items and matches too), so it lives in the host.
    async fn lock(&self, name: Locked) -> HeldLock;
    /// The rare module's answer to `message`, which the start module leaves to it (the module
    /// is loaded the first time; src/background/rare.rs).
    async fn rare(
        &self,
        message: &str,
        sender: &SenderInfo,
        progress: &dyn Fn(ImportProgress),
    ) -> Result<RareAnswer<Self::Value>, HostError>;

    async fn get_as<T: DeserializeOwned>(
        &self,
        store: Store,
        key: &Key,
    ) -> Result<Option<T>, HostError> {
        match self.get(store, key).await? {
            Some(value) => self.decode(value).map(Some),
            None => Ok(None),
        }
    }

    fn put<T: Serialize>(&self, store: Store, value: &T) -> Result<Write<Self::Value>, HostError> {
        Ok(Write::Put {
            store,
            value: self.encode(value)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(headers: serde_json::Value) -> HttpAnswer {
        serde_json::from_value(serde_json::json!({"status": 429, "body": "", "headers": headers}))
            .unwrap()
    }

    #[test]
    fn a_throttled_answer_waits_for_its_retry_after_seconds() {
        assert_eq!(
            answer(serde_json::json!([["retry-after", "30"]])).retry_after,
            Some(30)
        );
        assert_eq!(answer(serde_json::json!([])).retry_after, None);
        let dated = serde_json::json!([["retry-after", "Wed, 21 Oct 2026 07:28:00 GMT"]]);
        assert_eq!(answer(dated).retry_after, None);
    }
}
