//! Small helpers for building DOM trees as text-only nodes.

use wasm_bindgen::JsValue;
use web_sys::{Document, Element};

/// Creates `<tag class="…">` with `text` as its only content (set as text, never HTML).
pub fn text_element(
    doc: &Document,
    tag: &str,
    class: &str,
    text: &str,
) -> Result<Element, JsValue> {
    let el = element(doc, tag, class)?;
    el.set_text_content(Some(text));
    Ok(el)
}

pub fn element(doc: &Document, tag: &str, class: &str) -> Result<Element, JsValue> {
    let el = doc.create_element(tag)?;
    if !class.is_empty() {
        el.set_class_name(class);
    }
    Ok(el)
}

/// Replaces everything inside `parent` with `children`.
pub fn replace_children(parent: &Element, children: &[Element]) -> Result<(), JsValue> {
    parent.set_text_content(None);
    for child in children {
        parent.append_child(child)?;
    }
    Ok(())
}

pub fn append(parent: &Element, child: &Element) -> Result<(), JsValue> {
    parent.append_child(child).map(drop)
}

/// Replaces everything in `parent` before `kept` with `children`, leaving `kept` (and its
/// focus and typed text) where it is.
pub fn replace_children_before(
    parent: &Element,
    children: &[Element],
    kept: &Element,
) -> Result<(), JsValue> {
    while let Some(first) = parent.first_element_child() {
        if &first == kept {
            break;
        }
        first.remove();
    }
    for child in children {
        parent.insert_before(child, Some(kept))?;
    }
    Ok(())
}

/// A time (ms since the epoch, or an ISO string) in the user's locale.
pub fn local_time(when: &JsValue) -> String {
    js_sys::Date::new(when)
        .to_locale_string("default", &JsValue::UNDEFINED)
        .into()
}
