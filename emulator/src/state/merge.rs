//! Merging a duplicate into the record that stays, as each CRM does it. Salesforce deletes the
//! merged record (to the recycle bin, its delete log naming it, `MasterRecordId` naming the
//! survivor) and moves what was related to it onto the survivor (CRM-APIS A20). Dataverse
//! moves the related records too, but only deactivates the subordinate, with `merged` set and
//! the survivor in `masterid` (B19).

use chrono::{SecondsFormat, Utc};
use serde_json::{json, Value};

use super::db::{Crm, Db, Fields};

/// Objects whose rows may point at a merged record.
const SALESFORCE_RELATED: &[&str] = &[
    "Contact",
    "Opportunity",
    "OpportunityContactRole",
    "Task",
    "Event",
    "Note",
    "ContentDocumentLink",
];
const DATAVERSE_RELATED: &[&str] = &[
    "contact",
    "opportunity",
    "lead",
    "task",
    "phonecall",
    "annotation",
];

/// Why a merge cannot be done.
#[derive(Debug)]
pub struct Refused(pub String);

fn refused(why: impl Into<String>) -> Refused {
    Refused(why.into())
}

fn live(db: &Db, crm: Crm, object: &str, id: &str) -> Result<Fields, Refused> {
    db.get(crm, object, id)
        .map_err(|e| refused(e.to_string()))?
        .ok_or_else(|| refused(format!("no {object} {id}")))
}

/// Points every related row's reference to `merged` at `master` (`keys` picks the fields).
fn move_related(
    db: &Db,
    crm: Crm,
    objects: &[&str],
    merged: &str,
    master: &str,
    keys: impl Fn(&str) -> bool,
) -> Result<(), Refused> {
    let fail = |e: rusqlite::Error| refused(e.to_string());
    for object in objects {
        for (id, mut fields) in db.list(crm, object).map_err(fail)? {
            let mut moved = false;
            for (key, value) in fields.iter_mut() {
                let points = value
                    .as_str()
                    .is_some_and(|v| v.eq_ignore_ascii_case(merged));
                if points && keys(key) {
                    *value = Value::String(master.to_string());
                    moved = true;
                }
            }
            if moved {
                db.update(crm, &id, &fields).map_err(fail)?;
            }
        }
    }
    Ok(())
}

/// Salesforce: `merged` goes to the recycle bin, merged into `master`.
pub fn salesforce(db: &Db, object: &str, master: &str, merged: &str) -> Result<(), Refused> {
    live(db, Crm::Salesforce, object, master)?;
    let mut fields = live(db, Crm::Salesforce, object, merged)?;
    move_related(
        db,
        Crm::Salesforce,
        SALESFORCE_RELATED,
        merged,
        master,
        |k| k != "Id",
    )?;
    let now = Utc::now()
        .to_rfc3339_opts(SecondsFormat::Millis, true)
        .replace('Z', "+0000");
    fields.insert("MasterRecordId".into(), json!(master));
    fields.insert("SystemModstamp".into(), json!(now));
    let fail = |e: rusqlite::Error| refused(e.to_string());
    db.update(Crm::Salesforce, merged, &fields).map_err(fail)?;
    db.delete(Crm::Salesforce, merged, false).map_err(fail)
}

/// Dataverse: `subordinate` is deactivated, merged into `target`.
pub fn dataverse(db: &Db, entity: &str, target: &str, subordinate: &str) -> Result<(), Refused> {
    live(db, Crm::Dynamics, entity, target)?;
    let mut fields = live(db, Crm::Dynamics, entity, subordinate)?;
    if fields.get("merged").and_then(Value::as_bool) == Some(true) {
        return Err(refused("the subordinate record was merged already"));
    }
    move_related(
        db,
        Crm::Dynamics,
        DATAVERSE_RELATED,
        subordinate,
        target,
        |k| k.starts_with('_') && k.ends_with("_value"),
    )?;
    let version = fields
        .get("versionnumber")
        .and_then(Value::as_u64)
        .unwrap_or(1_000_000);
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    for (key, value) in [
        ("statecode", json!(1)),
        ("statuscode", json!(2)),
        ("merged", json!(true)),
        ("_masterid_value", json!(target)),
        ("modifiedon", json!(now)),
        ("versionnumber", json!(version + 1)),
    ] {
        fields.insert(key.into(), value);
    }
    fields.insert(
        "_masterid_value@Microsoft.Dynamics.CRM.lookuplogicalname".into(),
        json!(entity),
    );
    db.update(Crm::Dynamics, subordinate, &fields)
        .map_err(|e| refused(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, Value)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn salesforce_deletes_the_merged_record_and_moves_its_tasks() {
        let db = Db::open(None).unwrap();
        db.insert(
            Crm::Salesforce,
            "Contact",
            "003A",
            &fields(&[("LastName", json!("A"))]),
        )
        .unwrap();
        db.insert(
            Crm::Salesforce,
            "Contact",
            "003B",
            &fields(&[("LastName", json!("B"))]),
        )
        .unwrap();
        db.insert(
            Crm::Salesforce,
            "Task",
            "00TX",
            &fields(&[("WhoId", json!("003B"))]),
        )
        .unwrap();
        salesforce(&db, "Contact", "003A", "003B").unwrap();
        let row = db.row(Crm::Salesforce, "003B").unwrap().unwrap();
        assert!(row.deleted);
        assert_eq!(row.fields["MasterRecordId"], "003A");
        assert_eq!(
            db.get(Crm::Salesforce, "Task", "00TX").unwrap().unwrap()["WhoId"],
            "003A"
        );
        assert!(
            salesforce(&db, "Contact", "003A", "003B").is_err(),
            "gone already"
        );
    }

    #[test]
    fn dataverse_deactivates_the_subordinate() {
        let db = Db::open(None).unwrap();
        db.insert(Crm::Dynamics, "contact", "c1", &Fields::new())
            .unwrap();
        db.insert(Crm::Dynamics, "contact", "c2", &Fields::new())
            .unwrap();
        db.insert(
            Crm::Dynamics,
            "task",
            "t1",
            &fields(&[("_regardingobjectid_value", json!("c2"))]),
        )
        .unwrap();
        dataverse(&db, "contact", "c1", "c2").unwrap();
        let merged = db.get(Crm::Dynamics, "contact", "c2").unwrap().unwrap();
        assert_eq!(
            (merged["statecode"].clone(), merged["merged"].clone()),
            (json!(1), json!(true))
        );
        assert_eq!(merged["_masterid_value"], "c1");
        assert_eq!(
            db.get(Crm::Dynamics, "task", "t1").unwrap().unwrap()["_regardingobjectid_value"],
            "c1"
        );
    }
}
