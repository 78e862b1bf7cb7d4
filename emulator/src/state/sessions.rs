//! Sessions the emulated products issue, with expiry.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// The `sid` on the My Domain host: valid for the REST API.
    SalesforceApi,
    /// The `sid` on the Lightning host: valid for the UI only.
    SalesforceUi,
    /// The Dynamics org host's session cookie (also accepted as a Bearer token).
    Dynamics,
}

impl SessionKind {
    pub fn parse(name: &str) -> Option<SessionKind> {
        match name {
            "salesforce-api" => Some(SessionKind::SalesforceApi),
            "salesforce-ui" => Some(SessionKind::SalesforceUi),
            "dynamics" => Some(SessionKind::Dynamics),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub kind: SessionKind,
    pub user_id: String,
    expires: Instant,
}

pub struct Sessions {
    ttl: Mutex<Duration>,
    map: Mutex<HashMap<String, Session>>,
}

impl Sessions {
    pub fn new(ttl: Duration) -> Sessions {
        Sessions {
            ttl: Mutex::new(ttl),
            map: Mutex::new(HashMap::new()),
        }
    }

    pub fn issue(&self, token: String, kind: SessionKind, user_id: &str) {
        let expires = Instant::now() + *self.ttl.lock().unwrap();
        let session = Session {
            kind,
            user_id: user_id.to_string(),
            expires,
        };
        self.map.lock().unwrap().insert(token, session);
    }

    /// The live session for a token; expired ones are forgotten.
    pub fn get(&self, token: &str) -> Option<Session> {
        let mut map = self.map.lock().unwrap();
        match map.get(token) {
            Some(s) if s.expires > Instant::now() => Some(s.clone()),
            Some(_) => {
                map.remove(token);
                None
            }
            None => None,
        }
    }

    pub fn forget(&self, token: &str) {
        self.map.lock().unwrap().remove(token);
    }

    /// Ends every session, as an org-wide session timeout would.
    pub fn expire_all(&self) {
        self.map.lock().unwrap().clear();
    }

    /// Ends the sessions of one product only (a scoped reset).
    pub fn expire_where(&self, doomed: impl Fn(SessionKind) -> bool) {
        self.map.lock().unwrap().retain(|_, s| !doomed(s.kind));
    }

    pub fn set_ttl(&self, ttl: Duration) {
        *self.ttl.lock().unwrap() = ttl;
    }
}

/// A random token: 32 characters of `[A-Za-z0-9]`.
pub fn random_token() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..32)
        .map(|_| ALPHABET[rand::random::<u32>() as usize % ALPHABET.len()] as char)
        .collect()
}
