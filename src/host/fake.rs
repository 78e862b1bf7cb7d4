//! An in-memory [`Host`] for native tests: stores with IndexedDB's key and index rules (from
//! [`Store::key_path`]), a scripted CRM, cookies, a settable clock, and a tiny executor for
//! spawned work. A "stopped worker" is simulated by dropping the background while a fetch
//! hangs, then starting a new one over the same store.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

use super::{Badge, HeldLock, Host, HostError, HttpAnswer, Key, Locked, Query, Task, Write};
use crate::background::handle::SenderInfo;
use crate::background::lock::Lock;
use crate::background::rare::{self, RareAnswer};
use crate::background::Event;
use crate::crm::salesforce::Cookie;
use crate::crm::HttpRequest;
use crate::profiles::api::ImportProgress;
use crate::store::Store;

/// The database: what survives a stopped worker.
#[derive(Default)]
pub struct FakeStore {
    stores: RefCell<BTreeMap<Store, BTreeMap<Key, Value>>>,
    next_seq: Cell<u64>,
}

type Crm = Box<dyn FnMut(&HttpRequest) -> Option<HttpAnswer>>;

/// The host's ports and what they saw. Clones share all of it, as the extension's two
/// background modules share their ports (src/background/rare.rs).
#[derive(Clone)]
pub struct FakeHost(Rc<FakeState>);

pub struct FakeState {
    pub store: Rc<FakeStore>,
    /// Answers requests; `None` leaves the request hanging (the worker is stopped there).
    crm: RefCell<Crm>,
    pub requests: RefCell<Vec<HttpRequest>>,
    /// (domain, cookie store, cookie)
    pub cookie_jar: RefCell<Vec<(String, Option<String>, Cookie)>>,
    pub clock: Cell<f64>,
    pub alarms: RefCell<HashMap<String, Option<f64>>>,
    pub events: RefCell<Vec<Event>>,
    pub keep_alives: Cell<u32>,
    /// Timers set and not yet fired or cancelled: name → when (ms).
    pub timers: RefCell<HashMap<String, f64>>,
    pub badge: RefCell<Option<Badge>>,
    /// What `storage.managed` holds (the admin's browser policy).
    pub policy: RefCell<Option<Value>>,
    /// Every store read, as `store key-or-query` (tests count what a request reads).
    pub reads: RefCell<Vec<String>>,
    /// The rare module's file is missing: its port fails as the browser's fetch does.
    pub rare_missing: Cell<bool>,
    /// The locks both modules share, as the browser's Web Locks are (items, links).
    locks: [Rc<Lock>; 2],
    /// The rare module's people indexes, kept between its messages as in the extension.
    pub rare_indexes: crate::background::Indexes,
    ids: Cell<u32>,
    tasks: RefCell<Vec<Task>>,
    /// Work of another page or worker that runs right after the next full read of a store,
    /// while its reader waits (tests race two flows at a chosen point; see [`Self::meanwhile`]).
    meanwhile: RefCell<Option<(Store, Task)>>,
}

impl FakeHost {
    pub fn new(
        store: Rc<FakeStore>,
        crm: impl FnMut(&HttpRequest) -> Option<HttpAnswer> + 'static,
    ) -> Self {
        FakeHost(Rc::new(FakeState {
            store,
            crm: RefCell::new(Box::new(crm)),
            requests: RefCell::new(Vec::new()),
            cookie_jar: RefCell::new(Vec::new()),
            clock: Cell::new(1_800_000_000_000.0),
            alarms: RefCell::new(HashMap::new()),
            events: RefCell::new(Vec::new()),
            keep_alives: Cell::new(0),
            timers: RefCell::new(HashMap::new()),
            badge: RefCell::new(None),
            policy: RefCell::new(None),
            reads: RefCell::new(Vec::new()),
            rare_missing: Cell::new(false),
            locks: Default::default(),
            rare_indexes: Default::default(),
            ids: Cell::new(0),
            tasks: RefCell::new(Vec::new()),
            meanwhile: RefCell::new(None),
        }))
    }

    fn read(&self, store: Store, what: &impl std::fmt::Debug) {
        self.reads
            .borrow_mut()
            .push(format!("{} {what:?}", store.name()));
    }

    /// Runs `task` right after the next `get_all` of `store` has read it, before its reader
    /// goes on: as far as it gets without waiting (for a lock, say), the rest as spawned work.
    pub fn meanwhile(&self, store: Store, task: Task) {
        *self.meanwhile.borrow_mut() = Some((store, task));
    }

    fn run_meanwhile(&self, store: Store) {
        let due = matches!(&*self.meanwhile.borrow(), Some((s, _)) if *s == store);
        let Some((_, mut task)) = due.then(|| self.meanwhile.take()).flatten() else {
            return;
        };
        let mut cx = Context::from_waker(Waker::noop());
        if task.as_mut().poll(&mut cx).is_pending() {
            self.tasks.borrow_mut().push(task);
        }
    }

    /// Polls spawned work until all of it has finished or waits on a hanging request.
    pub fn run_until_stalled(&self) {
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            let mut tasks = std::mem::take(&mut *self.tasks.borrow_mut());
            if tasks.is_empty() {
                return;
            }
            let before = tasks.len();
            tasks.retain_mut(|task| task.as_mut().poll(&mut cx).is_pending());
            let spawned = std::mem::take(&mut *self.tasks.borrow_mut());
            let progressed = tasks.len() < before || !spawned.is_empty();
            tasks.extend(spawned);
            *self.tasks.borrow_mut() = tasks;
            if !progressed {
                return;
            }
        }
    }

    pub fn values(&self, store: Store) -> Vec<Value> {
        self.store
            .stores
            .borrow()
            .get(&store)
            .map(|s| s.values().cloned().collect())
            .unwrap_or_default()
    }

    /// Signed in to a Salesforce org in the default cookie store: its Lightning host's `sid`
    /// and the API host's (the one the core sends).
    pub fn sign_in_to_salesforce(&self, page_host: &str, api_host: &str) {
        let mut jar = self.cookie_jar.borrow_mut();
        for (domain, value) in [
            (page_host, "00D000000000001!page"),
            (api_host, "00D000000000001!api"),
        ] {
            let sid = Cookie {
                name: "sid".into(),
                value: value.into(),
                domain: domain.into(),
                secure: true,
            };
            jar.push((domain.to_string(), None, sid));
        }
    }
}

impl std::ops::Deref for FakeHost {
    type Target = FakeState;

    fn deref(&self) -> &FakeState {
        &self.0
    }
}

/// Runs a future whose every await resolves at once (all of the fake host's do, but a
/// hanging request).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut cx) {
        Poll::Ready(value) => value,
        Poll::Pending => panic!("the future waits on a request the fake CRM left hanging"),
    }
}

fn at_path<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(value, |v, part| v.get(part))
}

/// The key IndexedDB would read at `paths` (`None`: not a valid key, so not indexed).
fn key_at(value: &Value, paths: &[&str]) -> Option<Key> {
    let text = |path: &str| at_path(value, path)?.as_str().map(String::from);
    match paths {
        [one] => Some(Key::Text(text(one)?)),
        [a, b] => Some(Key::Pair(text(a)?, text(b)?)),
        _ => None,
    }
}

impl FakeStore {
    /// Puts `value` as if another page or worker wrote it (tests change the store "meanwhile").
    pub fn put(&self, store: Store, value: Value) {
        self.apply(vec![Write::Put { store, value }])
            .expect("a value with its key");
    }

    fn matching(&self, store: Store, query: &Query) -> Vec<(Key, Value)> {
        let stores = self.stores.borrow();
        let Some(entries) = stores.get(&store) else {
            return Vec::new();
        };
        entries
            .iter()
            .filter(|(key, value)| match query {
                Query::All => true,
                Query::Prefix { prefix } => {
                    matches!(key, Key::Text(k) if k.starts_with(prefix.as_str()))
                }
                Query::Index { index, key: wanted } => {
                    let paths = store.index_path(index).expect("a known index");
                    key_at(value, paths).as_ref() == Some(wanted)
                }
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    fn apply(&self, batch: Vec<Write<Value>>) -> Result<(), HostError> {
        // All or nothing: work on a copy, then swap it in.
        let mut stores = self.stores.borrow().clone();
        for write in batch {
            match write {
                Write::Put { store, mut value } => {
                    let key = if store == Store::Audit {
                        let seq = self.next_seq.get() + 1;
                        self.next_seq.set(seq);
                        value["seq"] = Value::from(seq);
                        Key::Text(format!("{seq:020}"))
                    } else {
                        key_at(&value, store.key_path()).ok_or_else(|| {
                            HostError(format!("{} value without its key", store.name()))
                        })?
                    };
                    stores.entry(store).or_default().insert(key, value);
                }
                Write::Delete { store, key } => {
                    stores.entry(store).or_default().remove(&key);
                }
                Write::DeleteWhere { store, query } => {
                    let doomed: Vec<Key> = self
                        .matching(store, &query)
                        .into_iter()
                        .map(|(k, _)| k)
                        .collect();
                    let entries = stores.entry(store).or_default();
                    for key in doomed {
                        entries.remove(&key);
                    }
                }
            }
        }
        *self.stores.borrow_mut() = stores;
        Ok(())
    }
}

/// A future that never resolves: the request the fake worker was stopped in.
async fn hang() -> HttpAnswer {
    std::future::pending().await
}

impl Host for FakeHost {
    type Value = Value;

    fn encode<T: Serialize>(&self, value: &T) -> Result<Value, HostError> {
        serde_json::to_value(value).map_err(|e| HostError(e.to_string()))
    }

    fn decode<T: DeserializeOwned>(&self, value: Value) -> Result<T, HostError> {
        serde_json::from_value(value).map_err(|e| HostError(e.to_string()))
    }

    async fn fetch(&self, request: &HttpRequest) -> HttpAnswer {
        self.requests.borrow_mut().push(request.clone());
        let answer = (self.crm.borrow_mut())(request);
        match answer {
            Some(answer) => answer,
            None => hang().await,
        }
    }

    async fn get(&self, store: Store, key: &Key) -> Result<Option<Value>, HostError> {
        self.read(store, key);
        Ok(self
            .store
            .stores
            .borrow()
            .get(&store)
            .and_then(|s| s.get(key).cloned()))
    }

    async fn get_many(&self, store: Store, keys: &[Key]) -> Result<Vec<Option<Value>>, HostError> {
        keys.iter().for_each(|key| self.read(store, key));
        let stores = self.store.stores.borrow();
        Ok(keys
            .iter()
            .map(|k| stores.get(&store).and_then(|s| s.get(k).cloned()))
            .collect())
    }

    async fn get_all(&self, store: Store, query: &Query) -> Result<Vec<Value>, HostError> {
        self.read(store, query);
        let values = self
            .store
            .matching(store, query)
            .into_iter()
            .map(|(_, v)| v)
            .collect();
        self.run_meanwhile(store);
        Ok(values)
    }

    async fn keys(&self, store: Store, query: &Query) -> Result<Vec<Key>, HostError> {
        self.read(store, query);
        Ok(self
            .store
            .matching(store, query)
            .into_iter()
            .map(|(k, _)| k)
            .collect())
    }

    async fn count(&self, store: Store, query: &Query) -> Result<u32, HostError> {
        self.read(store, query);
        Ok(self.store.matching(store, query).len() as u32)
    }

    async fn write(&self, batch: Vec<Write<Value>>) -> Result<(), HostError> {
        self.store.apply(batch)
    }

    async fn cookie(&self, url: &str, name: &str, store_id: Option<&str>) -> Option<Cookie> {
        let host = url.trim_start_matches("https://").trim_end_matches('/');
        self.cookie_jar
            .borrow()
            .iter()
            .find(|(domain, jar, c)| domain == host && jar.as_deref() == store_id && c.name == name)
            .map(|(_, _, c)| c.clone())
    }

    async fn cookies(&self, domain: &str, name: &str, store_id: Option<&str>) -> Vec<Cookie> {
        self.cookie_jar
            .borrow()
            .iter()
            .filter(|(d, jar, c)| {
                d.ends_with(domain) && jar.as_deref() == store_id && c.name == name
            })
            .map(|(_, _, c)| c.clone())
            .collect()
    }

    fn now_ms(&self) -> f64 {
        self.clock.get()
    }

    fn set_alarm(&self, name: &str, when_ms: Option<f64>) {
        self.alarms.borrow_mut().insert(name.to_string(), when_ms);
    }

    fn set_timer(&self, name: &str, delay_ms: Option<f64>) {
        let mut timers = self.timers.borrow_mut();
        match delay_ms {
            Some(delay) => timers.insert(name.to_string(), self.clock.get() + delay),
            None => timers.remove(name),
        };
    }

    fn random(&self) -> f64 {
        0.5
    }

    fn new_id(&self) -> String {
        let n = self.ids.get() + 1;
        self.ids.set(n);
        format!("00000000-0000-4000-8000-{n:012}")
    }

    fn set_badge(&self, badge: &Badge) {
        *self.badge.borrow_mut() = Some(badge.clone());
    }

    async fn keep_alive(&self) {
        self.keep_alives.set(self.keep_alives.get() + 1);
    }

    fn broadcast(&self, event: &Event) {
        self.events.borrow_mut().push(event.clone());
    }

    fn spawn(&self, task: Task) {
        self.tasks.borrow_mut().push(task);
    }

    async fn managed_policy(&self) -> Option<Value> {
        self.policy.borrow().clone()
    }

    async fn lock(&self, name: Locked) -> HeldLock {
        self.locks[name as usize].lock().await
    }

    /// A fresh rare module's background over the same ports, as in the extension.
    async fn rare(
        &self,
        message: &str,
        sender: &SenderInfo,
        progress: &dyn Fn(ImportProgress),
    ) -> Result<RareAnswer<Value>, HostError> {
        if self.rare_missing.get() {
            return Err(HostError("TypeError: Failed to fetch".into()));
        }
        let indexes = Rc::clone(&self.rare_indexes);
        let answer = rare::answer(self.clone(), indexes, message, sender.clone(), progress);
        Box::pin(answer).await
    }
}
