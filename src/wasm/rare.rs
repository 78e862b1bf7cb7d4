//! The rare module's entry point (src/background/rare.rs): `new RareBackground(ports)` over
//! the same ports as the start module's, then `handle(message, sender, onProgress)` for each
//! message the start module leaves to it.

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use super::background::{promise, reporter, HostPorts, JsHost};
use super::convert::{from_js, to_js};
use crate::background::handle::SenderInfo;
use crate::background::{rare, Indexes};
use crate::host::HostError;

/// The rare module's background: a fresh one for each message, over these ports, with the
/// people indexes it keeps while the worker lives.
#[wasm_bindgen(js_name = RareBackground)]
pub struct RareHandle(HostPorts, Indexes);

#[wasm_bindgen(js_class = RareBackground)]
impl RareHandle {
    #[wasm_bindgen(constructor)]
    pub fn new(ports: HostPorts) -> RareHandle {
        RareHandle(ports, Indexes::default())
    }

    /// Answers `message`, which the start module checked, or does its work order (a sync, a
    /// re-matching): `{answer, relink, linksChanged}` (the profiles it changed and the orgs
    /// whose matches changed, for the start module to hear of). An import calls `onProgress`.
    pub fn handle(
        &self,
        message: String,
        sender: JsValue,
        on_progress: Option<js_sys::Function>,
    ) -> Promise {
        let host = JsHost(self.0.clone().unchecked_into());
        let indexes = std::rc::Rc::clone(&self.1);
        promise(async move {
            #[cfg(feature = "test-trap")]
            super::test_trap::on_rare_message(&message);
            let sender: SenderInfo = from_js(sender).unwrap_or_default();
            let progress = reporter(on_progress);
            let reply = rare::answer(host, indexes, &message, sender, &progress).await?;
            let relink = to_js(&reply.relink).map_err(|_| HostError("relink".into()))?;
            let links_changed =
                to_js(&reply.links_changed).map_err(|_| HostError("links".into()))?;
            let out = Object::new();
            let set = |name: &str, value: &JsValue| Reflect::set(&out, &name.into(), value);
            set("answer", &reply.answer)
                .and(set("relink", &relink))
                .and(set("linksChanged", &links_changed))
                .map_err(|_| HostError("the answer".into()))?;
            Ok(out.into())
        })
    }
}
