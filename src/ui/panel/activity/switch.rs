//! The Copy to CRM switch of the log form. It starts as `toggles[kind]` says; when the
//! toggle is not offered the reason is shown instead, so no switch pretends to do something.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlInputElement};

use super::super::ctx::Ctx;
use crate::activity_model::{reason_key, toggle_of, Toggle};
use crate::ui::dom::{append, element, text_element};
use crate::writeback::ItemKind;

pub struct Switch {
    ctx: Ctx,
    pub element: Element,
    label: Element,
    pub input: HtmlInputElement,
    reason: Element,
    toggles: RefCell<BTreeMap<ItemKind, Toggle>>,
    /// The user flipped it for this item: reloads leave it alone.
    touched: Cell<bool>,
}

impl Switch {
    pub fn new(ctx: &Ctx) -> Result<Switch, JsValue> {
        let doc = &ctx.doc;
        let wrap = element(doc, "div", "copy")?;
        let label = element(doc, "label", "switch")?;
        let input: HtmlInputElement = element(doc, "input", "copy-switch")?.dyn_into()?;
        input.set_type("checkbox");
        input.set_attribute("role", "switch")?;
        append(&label, &input)?;
        append(
            &label,
            &text_element(doc, "span", "", &ctx.t("activityCopyToCrm"))?,
        )?;
        let reason = text_element(doc, "p", "copy-reason", "")?;
        append(&wrap, &label)?;
        append(&wrap, &reason)?;
        Ok(Switch {
            ctx: ctx.clone(),
            element: wrap,
            label,
            input,
            reason,
            toggles: RefCell::new(BTreeMap::new()),
            touched: Cell::new(false),
        })
    }

    /// New toggles from the background; the switch follows unless the user flipped it.
    pub fn set_toggles(&self, toggles: BTreeMap<ItemKind, Toggle>, kind: ItemKind) {
        *self.toggles.borrow_mut() = toggles;
        if !self.touched.get() {
            self.apply(kind);
        }
    }

    /// A new item (another kind, or the last one saved): start from the toggle again.
    pub fn reset(&self, kind: ItemKind) {
        self.touched.set(false);
        self.apply(kind);
    }

    pub fn touch(&self) {
        self.touched.set(true);
    }

    fn toggle(&self, kind: ItemKind) -> Toggle {
        toggle_of(&self.toggles.borrow(), kind)
    }

    fn apply(&self, kind: ItemKind) {
        let toggle = self.toggle(kind);
        self.input.set_checked(toggle.offered && toggle.on);
        let _ = self
            .label
            .toggle_attribute_with_force("hidden", !toggle.offered);
        let _ = self
            .reason
            .toggle_attribute_with_force("hidden", toggle.offered);
        let why = match toggle.reason {
            Some(reason) => self
                .ctx
                .t1("activityNotOffered", &self.ctx.t(reason_key(reason))),
            None => self.ctx.t("activityNotOfferedUnknown"),
        };
        self.reason.set_text_content(Some(&why));
    }

    /// Whether the item is to be copied: only when offered and on.
    pub fn copy_to_crm(&self, kind: ItemKind) -> bool {
        self.toggle(kind).offered && self.input.checked()
    }
}
