//! The panel as it runs in its frame: it asks the background for its page, shows the answers,
//! sends the user's requests, and asks again when the answers say so (`askAgain`, decided by
//! the core: [`AskAgain`]). Its JavaScript only carries the messages (`send`), the page's
//! URL and the host page's state (`tellHost`).

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::Element;

use super::{Action, Panel};
use crate::activity_model::{ActivityModel, HistoryEntry};
use crate::answer::{Answer, Code, Problem};
use crate::linking::Correction;
use crate::message::Request;
use crate::panel_model::{Ask, AskAgain, Heard, PanelModel, ProfilePanelView};
use crate::profiles::Profile;
use crate::ui::page::Timeout;
use crate::ui::Translate;

pub struct Live {
    panel: Panel,
    /// `send(message)`: a promise of the background's answer (null when none came).
    send: js_sys::Function,
    /// `tellHost(state)`: tells the page's content script what the page's badge shows.
    tell_host: js_sys::Function,
    /// The page shown, or being asked for.
    url: RefCell<Option<String>>,
    ask_again: RefCell<Option<AskAgain>>,
    timer: RefCell<Option<Timeout>>,
}

/// The parts of a `getPanel` answer's `ok` beside the view itself.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Shown {
    #[serde(default)]
    mode: Option<String>,
    #[serde(default)]
    matched: bool,
    #[serde(default)]
    activity: Option<ActivityModel>,
    ask_again: AskAgain,
}

impl Live {
    pub fn new(
        root: Element,
        badges: Element,
        translate: Box<Translate>,
        send: js_sys::Function,
        tell_host: js_sys::Function,
    ) -> Result<Rc<Live>, JsValue> {
        let slot: Rc<RefCell<Weak<Live>>> = Rc::default();
        let acts = Rc::clone(&slot);
        let on_action = Rc::new(move |action: Action| {
            if let Some(live) = acts.borrow().upgrade() {
                spawn_local(async move { live.act(action).await });
            }
        });
        let panel = Panel::new(root, translate, on_action)?.with_badges(badges);
        let live = Rc::new(Live {
            panel,
            send,
            tell_host,
            url: RefCell::new(None),
            ask_again: RefCell::new(None),
            timer: RefCell::new(None),
        });
        *slot.borrow_mut() = Rc::downgrade(&live);
        Ok(live)
    }

    /// Shows the page at `url` (its frame's fragment): "Loading" first for another page,
    /// unless `quiet`.
    pub fn load(self: &Rc<Self>, url: String, quiet: bool) {
        let changed = self.url.replace(Some(url.clone())).as_ref() != Some(&url);
        if changed && !quiet {
            let _ = self.panel.show_loading();
        }
        let live = Rc::clone(self);
        spawn_local(async move {
            let answer = live.ask(&Request::GetPanel { url: url.clone() }).await;
            if live.shows(&url) {
                let matched = live.show_answer(answer).unwrap_or(false);
                let state = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&state, &"matched".into(), &matched.into());
                let _ = live.tell_host.call1(&JsValue::NULL, &state);
            }
        });
    }

    /// An event of the background on the panel port.
    pub fn heard(self: &Rc<Self>, event: JsValue) {
        let heard: Heard = serde_wasm_bindgen::from_value(event).unwrap_or_default();
        let Some(url) = self.url.borrow().clone() else {
            return;
        };
        match AskAgain::on_event(self.ask_again.borrow().as_ref(), &heard) {
            Some(Ask::Panel) => self.load(url, true),
            Some(Ask::Activity) => {
                let live = Rc::clone(self);
                spawn_local(async move { live.load_activity(url).await });
            }
            None => {}
        }
    }

    /// The background stopped (the panel port closed): asks again when the last answer said.
    pub fn background_stopped(self: &Rc<Self>) {
        let after = self
            .ask_again
            .borrow()
            .as_ref()
            .and_then(|a| a.after_stop_ms);
        let (Some(after), Some(url)) = (after, self.url.borrow().clone()) else {
            return;
        };
        let live = Rc::downgrade(self);
        let timer = Timeout::new(after, move || {
            if let Some(live) = live.upgrade() {
                live.load(url, true);
            }
        });
        *self.timer.borrow_mut() = timer;
    }

    fn shows(&self, url: &str) -> bool {
        self.url.borrow().as_deref() == Some(url)
    }

    async fn ask(&self, request: &Request) -> JsValue {
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        let sent = serde::Serialize::serialize(request, &serializer)
            .map_err(JsValue::from)
            .and_then(|message| self.send.call1(&JsValue::NULL, &message));
        match sent {
            Ok(promise) => JsFuture::from(js_sys::Promise::resolve(&promise))
                .await
                .unwrap_or(JsValue::NULL),
            Err(_) => JsValue::NULL,
        }
    }

    /// The record or profile, its activity, or why not; whether the person is in the CRM.
    fn show_answer(&self, answer: JsValue) -> Result<bool, JsValue> {
        let ok = js_sys::Reflect::get(&answer, &"ok".into()).unwrap_or(JsValue::UNDEFINED);
        let Ok(shown) = serde_wasm_bindgen::from_value::<Shown>(ok.clone()) else {
            self.ask_again.replace(None);
            self.panel.show_error(&problem_of(answer))?;
            return Ok(false);
        };
        match shown.mode.as_deref() {
            Some("profile") => self.panel.show_profile(&read::<ProfilePanelView>(ok)?)?,
            _ => self.panel.show(&read::<PanelModel>(ok)?)?,
        }
        if let Some(activity) = shown.activity {
            self.panel.show_activity(activity)?;
        }
        self.ask_again.replace(Some(shown.ask_again));
        Ok(shown.matched)
    }

    /// The page's items; without an answer the panel simply shows no activity section.
    async fn load_activity(&self, url: String) {
        let answer = self.ask(&Request::GetActivity { url: url.clone() }).await;
        if let (true, Some(activity)) = (self.shows(&url), ok_of::<ActivityModel>(&answer)) {
            let _ = self.panel.show_activity(activity);
        }
    }

    /// Sends what the user asked for about the page shown, and shows the answer if the page
    /// is still the one it was asked on.
    async fn act(self: Rc<Self>, action: Action) {
        let Some(url) = self.url.borrow().clone() else {
            return;
        };
        let correct = |correction| Request::CorrectMatch {
            url: url.clone(),
            correction,
        };
        let request = match action {
            Action::Search { query } if query.trim().is_empty() => {
                let _ = self.panel.show_search_results(&[]);
                return;
            }
            Action::Search { query } => Request::SearchProfiles { query },
            Action::SyncNow => Request::SyncNow { url: url.clone() },
            Action::LinkUrl { url: profile_url } => Request::LinkProfileUrl {
                url: url.clone(),
                profile_url,
            },
            Action::LogItem { item, copy_to_crm } => Request::LogItem {
                url: url.clone(),
                item,
                copy_to_crm,
            },
            Action::RetryItem { id } => Request::RetryItem { id },
            Action::Reject { profile_id } => correct(Correction::Reject { profile_id }),
            Action::Unlink { profile_id } => correct(Correction::Unlink { profile_id }),
            Action::Link { profile_id } => correct(Correction::Link { profile_id }),
        };
        let answer = self.ask(&request).await;
        if !self.shows(&url) {
            return; // the user moved on; that page's form is gone
        }
        let _ = match request {
            Request::SearchProfiles { .. } => {
                let found = ok_of::<Vec<Profile>>(&answer).unwrap_or_default();
                self.panel.show_search_results(&found)
            }
            Request::SyncNow { .. } => {
                self.load(url, true);
                Ok(())
            }
            Request::LogItem { .. } => match ok_of::<HistoryEntry>(&answer) {
                Some(item) => self.panel.activity_saved(item),
                None => self.panel.activity_failed(&problem_of(answer)),
            },
            Request::RetryItem { .. } => match ok_of::<HistoryEntry>(&answer) {
                Some(item) => self.panel.activity_item(item),
                None => self.panel.activity_failed(&problem_of(answer)),
            },
            _ => Ok(()),
        };
    }
}

fn read<T: DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(JsValue::from)
}

/// An answer's `ok`, when it is one and reads as `T`.
fn ok_of<T: DeserializeOwned>(answer: &JsValue) -> Option<T> {
    match serde_wasm_bindgen::from_value::<Answer<T>>(answer.clone()) {
        Ok(Answer::Ok(value)) => Some(value),
        _ => None,
    }
}

/// The problem in a failed answer; anything else is no answer.
fn problem_of(answer: JsValue) -> Problem {
    match serde_wasm_bindgen::from_value::<Answer<IgnoredAny>>(answer) {
        Ok(Answer::Error(problem)) => problem,
        _ => Problem::new(Code::NoAnswer),
    }
}
