//! `PanelView` for panel.js: wraps [`crate::ui::panel::Panel`].

use std::cell::RefCell;
use std::rc::Rc;

use serde::Deserialize;

use wasm_bindgen::prelude::*;
use web_sys::Element;

use super::convert::{from_js, to_js, translator};
use crate::activity_model::{ActivityModel, Entry};
use serde::de::IgnoredAny;

use crate::answer::{Answer, Code, Problem};
use crate::panel_model::{AskAgain, Heard, PanelModel, ProfilePanel};
use crate::profiles::Profile;
use crate::ui::panel::{Action, Panel};

#[wasm_bindgen]
pub struct PanelView(Panel, RefCell<Option<AskAgain>>);

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

#[wasm_bindgen]
impl PanelView {
    /// `translate(key, substitutions)` returns the localised string (the extension passes
    /// `i18n.getMessage`); `onAction(action)` receives the user's requests; `badges` is where
    /// a profile page's "In …" badges go.
    #[wasm_bindgen(constructor)]
    pub fn new(
        root: Element,
        badges: Element,
        translate: js_sys::Function,
        on_action: js_sys::Function,
    ) -> Result<PanelView, JsValue> {
        let report = move |action: Action| {
            if let Ok(value) = to_js(&action) {
                let _ = on_action.call1(&JsValue::NULL, &value);
            }
        };
        let panel = Panel::new(root, translator(translate), Rc::new(report))?;
        Ok(PanelView(panel.with_badges(badges), RefCell::new(None)))
    }

    /// A `getPanel` answer (or none): the record or profile, its activity, or why not.
    /// Returns whether the page's person is in the CRM (the host page's badge).
    #[wasm_bindgen(js_name = showAnswer)]
    pub fn show_answer(&self, answer: JsValue) -> Result<bool, JsValue> {
        let ok = js_sys::Reflect::get(&answer, &"ok".into()).unwrap_or(JsValue::UNDEFINED);
        let Ok(shown) = from_js::<Shown>(ok.clone()) else {
            self.1.replace(None);
            self.0.show_error(&problem_of(answer))?;
            return Ok(false);
        };
        match shown.mode.as_deref() {
            Some("profile") => self.0.show_profile(&from_js::<ProfilePanel>(ok)?)?,
            _ => self.0.show(&from_js::<PanelModel>(ok)?)?,
        }
        if let Some(activity) = shown.activity {
            self.0.show_activity(activity)?;
        }
        self.1.replace(Some(shown.ask_again));
        Ok(shown.matched)
    }

    /// What an event on the panel port asks for again: `"panel"`, `"activity"` or nothing,
    /// as the last answer said (src/panel_model.rs).
    pub fn heard(&self, event: JsValue) -> Result<JsValue, JsValue> {
        let heard: Heard = from_js(event).unwrap_or_default();
        match AskAgain::on_event(self.1.borrow().as_ref(), &heard) {
            Some(ask) => Ok(to_js(&ask)?),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// After the background stopped (the panel port closed): ask again this much later, or
    /// not at all, as the last answer said.
    #[wasm_bindgen(js_name = askAgainAfterStop)]
    pub fn ask_again_after_stop(&self) -> Option<u32> {
        self.1.borrow().as_ref().and_then(|a| a.after_stop_ms)
    }

    #[wasm_bindgen(js_name = showLoading)]
    pub fn show_loading(&self) -> Result<(), JsValue> {
        self.0.show_loading()
    }

    /// The `getActivity` answer's `ok`.
    #[wasm_bindgen(js_name = showActivity)]
    pub fn show_activity(&self, model: JsValue) -> Result<(), JsValue> {
        self.0.show_activity(from_js::<ActivityModel>(model)?)
    }

    /// The `logItem` answer's `ok` (the stored item).
    #[wasm_bindgen(js_name = activitySaved)]
    pub fn activity_saved(&self, item: JsValue) -> Result<(), JsValue> {
        self.0.activity_saved(from_js::<Entry>(item)?)
    }

    /// A `logItem` or `retryItem` answer that is not `{ok}` (the core words it), or none.
    #[wasm_bindgen(js_name = activityFailed)]
    pub fn activity_failed(&self, answer: JsValue) -> Result<(), JsValue> {
        self.0.activity_failed(&problem_of(answer))
    }

    /// An item's new state (the `retryItem` answer's `ok`).
    #[wasm_bindgen(js_name = activityItem)]
    pub fn activity_item(&self, item: JsValue) -> Result<(), JsValue> {
        self.0.activity_item(from_js::<Entry>(item)?)
    }

    #[wasm_bindgen(js_name = showSearchResults)]
    pub fn show_search_results(&self, profiles: JsValue) -> Result<(), JsValue> {
        let profiles: Vec<Profile> = from_js(profiles)?;
        self.0.show_search_results(&profiles)
    }
}

/// The problem in a failed answer; anything else is no answer.
fn problem_of(answer: JsValue) -> Problem {
    match from_js::<Answer<IgnoredAny>>(answer) {
        Ok(Answer::Error(problem)) => problem,
        _ => Problem::new(Code::NoAnswer),
    }
}
