//! Dataverse activities (CRM-APIS B6): messages, InMails and tags become tasks, calls become
//! phone calls with activity parties, notes become annotations. The item's id is the new
//! row's primary key, so a retry after a lost answer meets the row it already made instead of
//! creating another. Activities are then closed (completed).

use serde_json::{json, Map, Value};

use super::item::{Direction, LoggedItem, Target};
use super::ItemKind;
use crate::crm::dynamics::entity_set;

/// One Web API write: `POST {entity_set}` with `body`, or a `PATCH` of an existing row.
#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    pub method: &'static str,
    /// `tasks`, or `tasks(<id>)` for an update.
    pub path: String,
    pub body: Value,
}

pub fn writes(item: &LoggedItem, target: &Target) -> Vec<Write> {
    match item.kind {
        ItemKind::Note => vec![annotation(item, target)],
        ItemKind::Call => vec![phone_call(item, target), close("phonecalls", &item.id, 2)],
        _ => vec![task(item, target), close("tasks", &item.id, 5)],
    }
}

/// `/contacts(<id>)` for a bind.
fn bind(target: &Target) -> String {
    format!("/{}({})", entity_set(target.record_type), target.record_id)
}

/// Activity lookups are named per activity: `regardingobjectid_contact_task` (B6).
fn regarding(target: &Target, activity: &str) -> String {
    format!(
        "regardingobjectid_{}_{activity}@odata.bind",
        target.record_type.dynamics_name()
    )
}

fn owner(target: &Target) -> String {
    format!("/systemusers({})", target.owner_id)
}

fn task(item: &LoggedItem, target: &Target) -> Write {
    let mut body = Map::new();
    body.insert("activityid".into(), json!(item.id));
    body.insert("subject".into(), json!(truncate(&item.subject_line(), 200)));
    body.insert("description".into(), json!(item.body));
    body.insert("actualend".into(), json!(item.occurred_at));
    body.insert(regarding(target, "task"), json!(bind(target)));
    body.insert("ownerid@odata.bind".into(), json!(owner(target)));
    Write {
        method: "POST",
        path: "tasks".into(),
        body: Value::Object(body),
    }
}

fn phone_call(item: &LoggedItem, target: &Target) -> Write {
    let call = item.call.as_ref();
    let outgoing = call.is_none_or(|c| c.direction == Direction::Outbound);
    // The seat holder calls (1 = sender) or is called (2 = recipient); the person the other.
    let (user_role, person_role) = if outgoing { (1, 2) } else { (2, 1) };
    let person = format!("partyid_{}@odata.bind", target.record_type.dynamics_name());
    let parties = json!([
        { "partyid_systemuser@odata.bind": owner(target), "participationtypemask": user_role },
        { person: bind(target), "participationtypemask": person_role },
    ]);
    let mut body = Map::new();
    body.insert("activityid".into(), json!(item.id));
    body.insert("subject".into(), json!(truncate(&item.subject_line(), 200)));
    let outcome = call.map(|c| c.outcome.as_str()).unwrap_or_default();
    let description = [item.body.as_str(), outcome]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    body.insert("description".into(), json!(description));
    body.insert("directioncode".into(), json!(outgoing));
    body.insert(
        "actualdurationminutes".into(),
        json!(call.map_or(0, |c| c.duration_seconds.div_ceil(60))),
    );
    body.insert("actualend".into(), json!(item.occurred_at));
    body.insert(regarding(target, "phonecall"), json!(bind(target)));
    body.insert("ownerid@odata.bind".into(), json!(owner(target)));
    body.insert("phonecall_activity_parties".into(), parties);
    Write {
        method: "POST",
        path: "phonecalls".into(),
        body: Value::Object(body),
    }
}

fn annotation(item: &LoggedItem, target: &Target) -> Write {
    let mut body = Map::new();
    body.insert("annotationid".into(), json!(item.id));
    body.insert("subject".into(), json!(truncate(&item.subject_line(), 500)));
    body.insert("notetext".into(), json!(item.body));
    body.insert(
        format!("objectid_{}@odata.bind", target.record_type.dynamics_name()),
        json!(bind(target)),
    );
    body.insert("ownerid@odata.bind".into(), json!(owner(target)));
    Write {
        method: "POST",
        path: "annotations".into(),
        body: Value::Object(body),
    }
}

/// Marks the activity completed: `statecode` 1 with the activity's completed status.
fn close(set: &str, id: &str, status: u32) -> Write {
    Write {
        method: "PATCH",
        path: format!("{set}({id})"),
        body: json!({"statecode": 1, "statuscode": status}),
    }
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::RecordType;
    use crate::writeback::item::Call;

    const ID: &str = "6f1c2d3e-0000-4000-8000-000000000001";

    fn item(kind: ItemKind) -> LoggedItem {
        LoggedItem {
            id: ID.into(),
            kind,
            subject: "Intro".into(),
            body: "Hello".into(),
            occurred_at: "2026-11-24T09:30:00Z".into(),
            call: None,
            tags: vec![],
        }
    }

    fn target(record_type: RecordType) -> Target {
        Target {
            record_type,
            record_id: "c1".into(),
            related_id: None,
            owner_id: "u1".into(),
        }
    }

    #[test]
    fn messages_are_closed_tasks_regarding_the_record_with_the_item_id_as_key() {
        let [create, close] = writes(&item(ItemKind::Message), &target(RecordType::Contact))
            .try_into()
            .unwrap();
        assert_eq!((create.method, create.path.as_str()), ("POST", "tasks"));
        assert_eq!(create.body["activityid"], ID);
        assert_eq!(create.body["subject"], "Message: Intro");
        assert_eq!(
            create.body["regardingobjectid_contact_task@odata.bind"],
            "/contacts(c1)"
        );
        assert_eq!(create.body["ownerid@odata.bind"], "/systemusers(u1)");
        assert_eq!(
            (close.method, close.path.as_str()),
            ("PATCH", format!("tasks({ID})").as_str())
        );
        assert_eq!(close.body, json!({"statecode": 1, "statuscode": 5}));
    }

    #[test]
    fn calls_are_phone_calls_with_parties_in_the_right_roles() {
        let mut call = item(ItemKind::Call);
        call.call = Some(Call {
            duration_seconds: 61,
            direction: Direction::Inbound,
            outcome: "Asked for pricing".into(),
        });
        let [create, close] = writes(&call, &target(RecordType::Lead)).try_into().unwrap();
        assert_eq!(create.path, "phonecalls");
        assert_eq!(create.body["directioncode"], false);
        assert_eq!(create.body["actualdurationminutes"], 2);
        assert_eq!(
            create.body["regardingobjectid_lead_phonecall@odata.bind"],
            "/leads(c1)"
        );
        assert_eq!(
            create.body["phonecall_activity_parties"][0]["participationtypemask"], 2,
            "an inbound call's user is the recipient"
        );
        assert_eq!(
            create.body["phonecall_activity_parties"][1]["partyid_lead@odata.bind"],
            "/leads(c1)"
        );
        assert_eq!(create.body["description"], "Hello\n\nAsked for pricing");
        assert_eq!(close.body["statuscode"], 2);
    }

    #[test]
    fn notes_are_annotations_on_the_record() {
        let [note] = writes(&item(ItemKind::Note), &target(RecordType::Account))
            .try_into()
            .unwrap();
        assert_eq!(note.path, "annotations");
        assert_eq!(note.body["annotationid"], ID);
        assert_eq!(note.body["notetext"], "Hello");
        assert_eq!(note.body["objectid_account@odata.bind"], "/accounts(c1)");
    }
}
