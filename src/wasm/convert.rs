//! serde <-> JsValue with plain JS objects (not Maps) so JavaScript can read results directly;
//! and the extension's `i18n.getMessage` as a [`Translate`] for the UI.

#[cfg(feature = "background")]
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsError, JsValue};

pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .map_err(|e| JsError::new(&e.to_string()))
}

#[cfg(feature = "background")]
pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&e.to_string()))
}

/// `translate(key, substitutions)` (the extension passes `i18n.getMessage`); a message it
/// does not know reads as its name.
#[cfg(feature = "ui")]
pub fn translator(translate: js_sys::Function) -> Box<crate::ui::Translate> {
    Box::new(move |key: &str, substitutions: &[&str]| {
        let subs: js_sys::Array = substitutions.iter().map(|s| JsValue::from_str(s)).collect();
        translate
            .call2(&JsValue::NULL, &JsValue::from_str(key), &subs)
            .ok()
            .and_then(|v| v.as_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| key.to_string())
    })
}
