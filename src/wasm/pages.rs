//! The extension pages' views for their JavaScript: `OptionsView`, `UnresolvedView`,
//! `AuditView` and `AdminPageView` wrap `crate::ui::{options, unresolved, audit, admin}`. Each takes the page's root,
//! `translate(key, substitutions)` (`i18n.getMessage`), the UI language and
//! `onAction(action)`, which receives `{send: {message, ticket}}` (send `message` to the
//! background and give its answer to `answer(ticket, answer)`) or
//! `{download: {filename, text}}`.

use wasm_bindgen::prelude::*;
use web_sys::Element;

use super::convert::{to_js, translator};
use crate::ui::admin::AdminPage;
use crate::ui::audit::AuditPage;
use crate::ui::options::OptionsPage;
use crate::ui::page::{OnPageAction, Outgoing};
use crate::ui::saved::SavedPage;
use crate::ui::unresolved::UnresolvedPage;
use crate::ui::validation::ValidationPage;

fn reporter(on_action: js_sys::Function) -> OnPageAction {
    Box::new(move |action: &Outgoing| {
        if let Ok(value) = to_js(action) {
            let _ = on_action.call1(&JsValue::NULL, &value);
        }
    })
}

/// A view class: its constructor, `start()` and `answer(ticket, answer)`.
macro_rules! page_view {
    ($view:ident, $page:ty) => {
        #[wasm_bindgen]
        pub struct $view($page);

        #[wasm_bindgen]
        impl $view {
            #[wasm_bindgen(constructor)]
            pub fn new(
                root: Element,
                translate: js_sys::Function,
                language: String,
                on_action: js_sys::Function,
            ) -> Result<$view, JsValue> {
                let translate = translator(translate);
                Ok($view(<$page>::new(
                    root,
                    translate,
                    language,
                    reporter(on_action),
                )?))
            }

            /// Asks for what the page shows first.
            pub fn start(&self) {
                self.0.start()
            }

            /// The background's answer to the message the page sent with `ticket`.
            pub fn answer(&self, ticket: u32, answer: JsValue) {
                self.0.answer(ticket, answer)
            }

            /// An event of the background on the panel port (the page decides what it asks
            /// again).
            pub fn heard(&self, event: JsValue) {
                self.0.heard(event)
            }
        }
    };
}

page_view!(OptionsView, OptionsPage);
page_view!(UnresolvedView, UnresolvedPage);
page_view!(AuditView, AuditPage);
page_view!(AdminPageView, AdminPage);
page_view!(ValidationView, ValidationPage);
page_view!(SavedView, SavedPage);

#[wasm_bindgen]
impl OptionsView {
    /// The chosen file's name and text.
    #[wasm_bindgen(js_name = fileRead)]
    pub fn file_read(&self, name: &str, text: String) {
        self.0.file_read(name, text)
    }

    /// A message on the `import` port; true when the port can be closed.
    #[wasm_bindgen(js_name = importMessage)]
    pub fn import_message(&self, message: JsValue) -> bool {
        self.0.import_message(message)
    }
}

#[wasm_bindgen]
impl UnresolvedView {
    /// The page got focus: items may have changed meanwhile.
    pub fn changed(&self) {
        self.0.changed()
    }
}
