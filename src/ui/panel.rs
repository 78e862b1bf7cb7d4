//! The Embedded Profile panel: shows the CRM record of the page it is embedded in.

use wasm_bindgen::JsValue;
use web_sys::{Document, Element};

use super::dom::{append, element, replace_children, text_element};
use super::Translate;
use crate::crm::{CrmError, CrmErrorKind, RecordSummary};

pub struct Panel {
    doc: Document,
    root: Element,
    translate: Box<Translate>,
}

impl Panel {
    pub fn new(root: Element, translate: Box<Translate>) -> Result<Panel, JsValue> {
        let doc = root
            .owner_document()
            .ok_or_else(|| JsValue::from_str("panel root is not in a document"))?;
        Ok(Panel {
            doc,
            root,
            translate,
        })
    }

    fn t(&self, key: &str) -> String {
        (self.translate)(key)
    }

    pub fn show_loading(&self) -> Result<(), JsValue> {
        let status = text_element(&self.doc, "p", "status", &self.t("panelLoading"))?;
        status.set_attribute("role", "status")?;
        self.root.set_attribute("aria-busy", "true")?;
        replace_children(&self.root, &[status])
    }

    pub fn show_record(&self, record: &RecordSummary) -> Result<(), JsValue> {
        let kind_key = format!("recordType_{:?}", record.record_type);
        let heading = text_element(&self.doc, "h1", "record-name", &record.name)?;
        let kind = text_element(&self.doc, "p", "record-type", &self.t(&kind_key))?;
        let fields = element(&self.doc, "dl", "record-fields")?;
        for (label, value) in &record.fields {
            let label = self.t(&format!("field_{label}"));
            append(&fields, &text_element(&self.doc, "dt", "", &label)?)?;
            append(&fields, &text_element(&self.doc, "dd", "", value)?)?;
        }
        self.root.set_attribute("aria-busy", "false")?;
        replace_children(&self.root, &[kind, heading, fields])
    }

    pub fn show_error(&self, error: &CrmError) -> Result<(), JsValue> {
        let advice_key = match error.kind {
            CrmErrorKind::SessionExpired => "errorSignIn",
            CrmErrorKind::Forbidden => "errorForbidden",
            CrmErrorKind::NotFound => "errorNotFound",
            CrmErrorKind::RateLimited | CrmErrorKind::Unavailable => "errorTryLater",
            CrmErrorKind::Rejected | CrmErrorKind::Unexpected => "errorUnexpected",
        };
        let alert = element(&self.doc, "div", "error")?;
        alert.set_attribute("role", "alert")?;
        append(
            &alert,
            &text_element(&self.doc, "p", "advice", &self.t(advice_key))?,
        )?;
        if !error.message.is_empty() {
            append(
                &alert,
                &text_element(&self.doc, "p", "detail", &error.message)?,
            )?;
        }
        self.root.set_attribute("aria-busy", "false")?;
        replace_children(&self.root, &[alert])
    }
}
