//! The background's entry point for JavaScript: `new Background(ports)`, then `start()` when
//! the worker starts and `handle(json, senderKind, sender)` for each message. `ports` is the
//! host (extension/background/host.js); [`JsHost`] adapts it to [`crate::host::Host`], for
//! this module and the rare one (src/wasm/rare.rs).

use js_sys::{Array, Object, Promise, Reflect};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::closure::ScopedClosure;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::convert::{from_js, to_js};
use crate::background::handle::SenderInfo;
use crate::background::rare::RareAnswer;
use crate::background::Event;
use crate::crm::salesforce::Cookie;
use crate::crm::HttpRequest;
use crate::host::{Badge, HeldLock, Host, HostError, HttpAnswer, Key, Locked, Query, Task, Write};
use crate::profiles::api::ImportProgress;
use crate::store::Store;
#[cfg(feature = "background")]
use {
    crate::background::{handle, outbox, Background},
    crate::message::Sender,
    std::rc::Rc,
};

#[wasm_bindgen]
extern "C" {
    /// The host's ports, implemented in extension/background/host.js.
    pub type HostPorts;

    #[wasm_bindgen(method)]
    async fn fetch(this: &HostPorts, request: JsValue) -> JsValue;
    #[wasm_bindgen(method, catch)]
    async fn get(this: &HostPorts, store: &str, key: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = getMany)]
    async fn get_many(this: &HostPorts, store: &str, keys: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = getAll)]
    async fn get_all(this: &HostPorts, store: &str, query: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    async fn keys(this: &HostPorts, store: &str, query: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    async fn count(this: &HostPorts, store: &str, query: JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    async fn write(this: &HostPorts, batch: Array) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method)]
    async fn cookie(this: &HostPorts, url: &str, name: &str, store_id: Option<String>) -> JsValue;
    #[wasm_bindgen(method)]
    async fn cookies(
        this: &HostPorts,
        domain: &str,
        name: &str,
        store_id: Option<String>,
    ) -> JsValue;
    #[wasm_bindgen(method)]
    fn now(this: &HostPorts) -> f64;
    #[wasm_bindgen(method, js_name = setAlarm)]
    fn set_alarm(this: &HostPorts, name: &str, when: Option<f64>);
    #[wasm_bindgen(method, js_name = keepAlive)]
    async fn keep_alive(this: &HostPorts);
    #[wasm_bindgen(method, js_name = setTimer)]
    fn set_timer(this: &HostPorts, name: &str, delay: Option<f64>);
    #[wasm_bindgen(method)]
    fn random(this: &HostPorts) -> f64;
    #[wasm_bindgen(method, js_name = newId)]
    fn new_id(this: &HostPorts) -> String;
    #[wasm_bindgen(method, js_name = setBadge)]
    fn set_badge(this: &HostPorts, badge: JsValue);
    #[wasm_bindgen(method)]
    fn broadcast(this: &HostPorts, event: JsValue);
    #[wasm_bindgen(method, js_name = managedPolicy)]
    async fn managed_policy(this: &HostPorts) -> JsValue;
    /// Resolves to the function that releases the lock once it is granted.
    #[wasm_bindgen(method)]
    async fn lock(this: &HostPorts, name: &str) -> JsValue;
    #[wasm_bindgen(method, catch)]
    async fn rare(
        this: &HostPorts,
        message: &str,
        sender: JsValue,
        on_progress: &ScopedClosure<'_, dyn Fn(JsValue)>,
    ) -> Result<JsValue, JsValue>;
}

pub struct JsHost(pub HostPorts);

fn port_error(error: JsValue) -> HostError {
    HostError(
        error
            .as_string()
            .or_else(|| Reflect::get(&error, &"message".into()).ok()?.as_string())
            .unwrap_or_else(|| "the store failed".into()),
    )
}

fn js_key(key: &Key) -> JsValue {
    match key {
        Key::Text(text) => JsValue::from_str(text),
        Key::Pair(a, b) => Array::of2(&a.into(), &b.into()).into(),
    }
}

fn js_query(query: &Query) -> Result<JsValue, HostError> {
    to_js(query).map_err(|e| HostError(format!("{e:?}")))
}

fn js_write(write: Write<JsValue>) -> Result<JsValue, HostError> {
    let op = Object::new();
    let set = |name: &str, value: &JsValue| Reflect::set(&op, &name.into(), value).map(drop);
    let done = match write {
        Write::Put { store, value } => set("op", &"put".into())
            .and(set("store", &store.name().into()))
            .and(set("value", &value)),
        Write::Delete { store, key } => set("op", &"delete".into())
            .and(set("store", &store.name().into()))
            .and(set("key", &js_key(&key))),
        Write::DeleteWhere { store, query } => set("op", &"deleteWhere".into())
            .and(set("store", &store.name().into()))
            .and(set("query", &js_query(&query)?)),
    };
    done.map_err(port_error)?;
    Ok(op.into())
}

impl Host for JsHost {
    type Value = JsValue;

    fn encode<T: Serialize>(&self, value: &T) -> Result<JsValue, HostError> {
        to_js(value).map_err(|e| HostError(format!("{e:?}")))
    }

    fn decode<T: DeserializeOwned>(&self, value: JsValue) -> Result<T, HostError> {
        from_js(value).map_err(|e| HostError(format!("{e:?}")))
    }

    async fn fetch(&self, request: &HttpRequest) -> HttpAnswer {
        let answer = match to_js(request) {
            Ok(request) => self.0.fetch(request).await,
            Err(_) => JsValue::UNDEFINED,
        };
        from_js(answer).unwrap_or(HttpAnswer::new(0, "the request could not be sent"))
    }

    async fn get(&self, store: Store, key: &Key) -> Result<Option<JsValue>, HostError> {
        let value = self
            .0
            .get(store.name(), js_key(key))
            .await
            .map_err(port_error)?;
        Ok((!value.is_undefined() && !value.is_null()).then_some(value))
    }

    async fn get_many(
        &self,
        store: Store,
        keys: &[Key],
    ) -> Result<Vec<Option<JsValue>>, HostError> {
        let keys: Array = keys.iter().map(js_key).collect();
        let values = self
            .0
            .get_many(store.name(), keys.into())
            .await
            .map_err(port_error)?;
        Ok(Array::from(&values)
            .iter()
            .map(|v| (!v.is_undefined() && !v.is_null()).then_some(v))
            .collect())
    }

    async fn get_all(&self, store: Store, query: &Query) -> Result<Vec<JsValue>, HostError> {
        let values = self
            .0
            .get_all(store.name(), js_query(query)?)
            .await
            .map_err(port_error)?;
        Ok(Array::from(&values).iter().collect())
    }

    async fn keys(&self, store: Store, query: &Query) -> Result<Vec<Key>, HostError> {
        let keys = self
            .0
            .keys(store.name(), js_query(query)?)
            .await
            .map_err(port_error)?;
        Ok(Array::from(&keys)
            .iter()
            .filter_map(|k| from_js(k).ok())
            .collect())
    }

    async fn count(&self, store: Store, query: &Query) -> Result<u32, HostError> {
        let count = self
            .0
            .count(store.name(), js_query(query)?)
            .await
            .map_err(port_error)?;
        Ok(count.as_f64().unwrap_or(0.0) as u32)
    }

    async fn write(&self, batch: Vec<Write<JsValue>>) -> Result<(), HostError> {
        let ops = Array::new();
        for write in batch {
            ops.push(&js_write(write)?);
        }
        self.0.write(ops).await.map(drop).map_err(port_error)
    }

    async fn cookie(&self, url: &str, name: &str, store_id: Option<&str>) -> Option<Cookie> {
        from_js(self.0.cookie(url, name, store_id.map(String::from)).await).ok()?
    }

    async fn cookies(&self, domain: &str, name: &str, store_id: Option<&str>) -> Vec<Cookie> {
        from_js(
            self.0
                .cookies(domain, name, store_id.map(String::from))
                .await,
        )
        .unwrap_or_default()
    }

    fn now_ms(&self) -> f64 {
        self.0.now()
    }

    fn set_alarm(&self, name: &str, when_ms: Option<f64>) {
        self.0.set_alarm(name, when_ms);
    }

    fn set_timer(&self, name: &str, delay_ms: Option<f64>) {
        self.0.set_timer(name, delay_ms);
    }

    fn random(&self) -> f64 {
        self.0.random()
    }

    fn new_id(&self) -> String {
        self.0.new_id()
    }

    fn set_badge(&self, badge: &Badge) {
        if let Ok(badge) = to_js(badge) {
            self.0.set_badge(badge);
        }
    }

    async fn keep_alive(&self) {
        self.0.keep_alive().await;
    }

    fn broadcast(&self, event: &Event) {
        if let Ok(event) = to_js(event) {
            self.0.broadcast(event);
        }
    }

    fn spawn(&self, task: Task) {
        wasm_bindgen_futures::spawn_local(task);
    }

    async fn managed_policy(&self) -> Option<JsValue> {
        let policy = self.0.managed_policy().await;
        (!policy.is_undefined() && !policy.is_null()).then_some(policy)
    }

    async fn lock(&self, name: Locked) -> HeldLock {
        let release = js_sys::Function::from(self.0.lock(name.name()).await);
        HeldLock::new(move || drop(release.call0(&JsValue::NULL)))
    }

    async fn rare(
        &self,
        message: &str,
        sender: &SenderInfo,
        progress: &dyn Fn(ImportProgress),
    ) -> Result<RareAnswer<JsValue>, HostError> {
        let report = |step: JsValue| {
            if let Ok(step) = from_js(step) {
                progress(step);
            }
        };
        let report = ScopedClosure::<dyn Fn(JsValue)>::borrow(&report);
        let sender = self.encode(sender)?;
        let reply = self.0.rare(message, sender, &report).await;
        let reply = reply.map_err(port_error)?;
        let field = |name: &str| Reflect::get(&reply, &name.into()).map_err(port_error);
        Ok(RareAnswer {
            answer: field("answer")?,
            relink: self.decode(field("relink")?)?,
            links_changed: self.decode(field("linksChanged")?)?,
        })
    }
}

/// `onProgress(step)`, for an import's progress (a closed port is the page's business: the
/// import carries on).
pub fn reporter(on_progress: Option<js_sys::Function>) -> impl Fn(ImportProgress) {
    move |step| {
        if let (Some(report), Ok(step)) = (&on_progress, to_js(&step)) {
            let _ = report.call1(&JsValue::NULL, &step);
        }
    }
}

/// The answer to a request during which the core trapped (extension/wasm-guard.js restarts
/// it): `{answer: {error: {code: "coreRestarted"}}}`, worded by `errorCoreRestarted`.
#[cfg(feature = "background")]
#[wasm_bindgen(js_name = restartedAnswer)]
pub fn restarted_answer() -> Result<JsValue, JsError> {
    use crate::answer::{Answer, Code};
    let answer = Answer::<()>::refused(Code::CoreRestarted);
    to_js(&serde_json::json!({ "answer": answer }))
}

/// The store's schema: ordered migrations, each a list of steps (`createStore`,
/// `createIndex`) for `extension/background/db.js` to apply.
#[cfg(feature = "background")]
#[wasm_bindgen(js_name = storeSchema)]
pub fn store_schema() -> Result<JsValue, JsError> {
    to_js(&crate::store::MIGRATIONS)
}

/// The background core, as the service worker / event page holds it.
#[cfg(feature = "background")]
#[wasm_bindgen(js_name = Background)]
pub struct BackgroundHandle(Rc<Background<JsHost>>);

pub fn promise<F>(work: F) -> Promise
where
    F: std::future::Future<Output = Result<JsValue, HostError>> + 'static,
{
    future_to_promise(async move { work.await.map_err(|e| JsError::new(&e.0).into()) })
}

#[cfg(feature = "background")]
#[wasm_bindgen(js_class = Background)]
impl BackgroundHandle {
    #[wasm_bindgen(constructor)]
    pub fn new(ports: HostPorts) -> BackgroundHandle {
        BackgroundHandle(Background::new(JsHost(ports)))
    }

    /// The worker started: resumes the work it was doing when the browser stopped it.
    pub fn start(&self) -> Promise {
        let bg = Rc::clone(&self.0);
        promise(async move { bg.start().await.map(|()| JsValue::UNDEFINED) })
    }

    /// Checks a message (`json`) from `senderKind` and answers it: `{answer}`, a refused
    /// message too (`code: refused`).
    /// An import calls `onProgress({done, total})` after each stored batch.
    pub fn handle(
        &self,
        json: String,
        sender_kind: JsValue,
        sender: JsValue,
        on_progress: Option<js_sys::Function>,
    ) -> Promise {
        let bg = Rc::clone(&self.0);
        promise(async move {
            let kind: Sender = from_js(sender_kind).map_err(|e| HostError(format!("{e:?}")))?;
            let sender: SenderInfo = from_js(sender).unwrap_or_default();
            #[cfg(feature = "test-trap")]
            super::test_trap::on_message(&json);
            let out = Object::new();
            let progress = reporter(on_progress);
            let answer = handle::handle_message(&bg, &json, kind, sender, &progress).await?;
            Reflect::set(&out, &"answer".into(), &answer).map_err(port_error)?;
            Ok(out.into())
        })
    }

    /// A timer the core set (`setTimer`) fired.
    #[wasm_bindgen(js_name = onTimer)]
    pub fn on_timer(&self, name: String) -> Promise {
        let bg = Rc::clone(&self.0);
        promise(async move { bg.on_timer(&name).await.map(|()| JsValue::UNDEFINED) })
    }

    /// An alarm fired (the worker may have been started for it).
    #[wasm_bindgen(js_name = onAlarm)]
    pub fn on_alarm(&self, name: String) -> Promise {
        let bg = Rc::clone(&self.0);
        promise(async move { bg.on_alarm(&name).await.map(|()| JsValue::UNDEFINED) })
    }

    /// The browser's policy for the extension changed (`storage.onChanged`, area `managed`).
    #[wasm_bindgen(js_name = onPolicyChanged)]
    pub fn on_policy_changed(&self) {
        crate::background::settings::policy_changed(&self.0);
    }

    /// A cookie was set or removed in the browser's cookie store `storeId` (a new `sid`: the
    /// user signed in again there).
    #[wasm_bindgen(js_name = onCookieChanged)]
    pub fn on_cookie_changed(
        &self,
        name: String,
        removed: bool,
        store_id: Option<String>,
    ) -> Promise {
        let bg = Rc::clone(&self.0);
        promise(async move {
            outbox::cookie_changed(&bg, &name, removed, store_id.as_deref())
                .await
                .map(|()| JsValue::UNDEFINED)
        })
    }
}
