//! The org's validation and duplicate rules on Salesforce writes (A8).

use serde_json::{json, Value};

use super::call::Ctx;
use crate::salesforce::error::SfError;
use crate::salesforce::soql::eval::record_head;
use crate::state::db::{Crm, Fields};
use crate::state::salesforce::schema::ObjectDef;

/// The org's validation and duplicate rules (A8 FIELD_CUSTOM_VALIDATION_EXCEPTION, DUPLICATES_DETECTED).
pub fn apply_rules(
    ctx: &Ctx<'_>,
    object: &ObjectDef,
    id: Option<&str>,
    fields: &Fields,
) -> Result<(), SfError> {
    let rules = ctx.emu.rules();
    if let Some(rule) = rules.violated(Crm::Salesforce, &object.name, fields) {
        return Err(
            SfError::bad("FIELD_CUSTOM_VALIDATION_EXCEPTION", rule.message.clone())
                .with_fields(Vec::new()),
        );
    }
    if allow_save(ctx) {
        return Ok(());
    }
    let Some((rule, matches)) = rules.duplicates(ctx.db, Crm::Salesforce, &object.name, id, fields)
    else {
        return Ok(());
    };
    let message =
        "You're creating a duplicate record. We recommend you use an existing record instead.";
    let records: Vec<Value> = matches
        .iter()
        .map(|m| {
            let mut record = record_head(&object.name, m, &ctx.version);
            record.insert("Id".into(), Value::String(m.clone()));
            json!({"additionalInformation": [], "fieldDiffs": [], "matchConfidence": 100.0, "record": record})
        })
        .collect();
    let result = json!({
        "allowSave": true, "duplicateRule": rule.name, "duplicateRuleEntityType": object.name,
        "errorMessage": message,
        "matchResults": [{"entityType": object.name, "errors": [], "matchEngine": "ExactMatchEngine", "matchRecords": records, "rule": format!("{}_Match_Rule", rule.name), "size": matches.len(), "success": true}],
    });
    let mut error = SfError::bad("DUPLICATES_DETECTED", message).with_fields(Vec::new());
    error.extra = Some(Box::new(("duplicateResult".into(), result)));
    Err(error)
}

/// `Sforce-Duplicate-Rule-Header: allowSave=true` saves despite duplicate rules (A8).
fn allow_save(ctx: &Ctx<'_>) -> bool {
    ctx.headers
        .get("sforce-duplicate-rule-header")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|p| p.trim().eq_ignore_ascii_case("allowSave=true"))
        })
}
