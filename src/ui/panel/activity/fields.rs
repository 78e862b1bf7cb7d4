//! Labelled form controls for the log form.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};

use super::super::ctx::Ctx;
use crate::ui::dom::{append, element, text_element};

/// `<label class="field …"><span>label</span>control</label>`: the label names the control
/// for assistive technology without ids.
pub fn field(ctx: &Ctx, class: &str, label: &str, control: &Element) -> Result<Element, JsValue> {
    let wrap = element(&ctx.doc, "label", &format!("field {class}"))?;
    append(&wrap, &text_element(&ctx.doc, "span", "", label)?)?;
    append(&wrap, control)?;
    Ok(wrap)
}

pub fn text_input(ctx: &Ctx, class: &str) -> Result<HtmlInputElement, JsValue> {
    let input = element(&ctx.doc, "input", class)?;
    input.set_attribute("type", "text")?;
    input.set_attribute("autocomplete", "off")?;
    input.dyn_into().map_err(JsValue::from)
}

/// A whole-number box that keeps whatever is typed, so a slip is reported, not erased (a
/// `type=number` input would read as empty).
pub fn number_input(ctx: &Ctx, class: &str) -> Result<HtmlInputElement, JsValue> {
    let input = text_input(ctx, class)?;
    input.set_attribute("inputmode", "numeric")?;
    input.set_attribute("size", "4")?;
    Ok(input)
}

/// A `<select>` of `(value, label)` options, the first selected.
pub fn select(
    ctx: &Ctx,
    class: &str,
    options: &[(&str, String)],
) -> Result<HtmlSelectElement, JsValue> {
    let select = element(&ctx.doc, "select", class)?;
    for (value, label) in options {
        let option = text_element(&ctx.doc, "option", "", label)?;
        option.set_attribute("value", value)?;
        append(&select, &option)?;
    }
    select.dyn_into().map_err(JsValue::from)
}
