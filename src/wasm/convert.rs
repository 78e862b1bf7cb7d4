//! serde <-> JsValue with plain JS objects (not Maps) so JavaScript can read results directly.

use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::{JsError, JsValue};

pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .map_err(|e| JsError::new(&e.to_string()))
}

pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&e.to_string()))
}
