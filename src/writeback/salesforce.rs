//! Salesforce activities (CRM-APIS A9): messages, InMails, calls and tags become completed
//! Tasks; notes become a ContentNote linked to the record. Every body carries the item's id
//! in an external-id field, so the outbox can find a write whose answer was lost.

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::item::{Direction, LoggedItem, Target};
use super::ItemKind;
use crate::crm::RecordType;

/// The external-id field the admin setup adds to Task and ContentNote.
pub const ITEM_ID_FIELD: &str = "Crmsync_Item_Id__c";

/// One sObject create: the object and its JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    pub object: &'static str,
    pub body: Value,
}

/// How an org keeps notes: Lightning notes (ContentNote) or, where those are unavailable,
/// classic `Note` records.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NoteStyle {
    #[default]
    Content,
    Classic,
}

/// The writes for an item, in order (a note's link must follow the note).
pub fn writes(item: &LoggedItem, target: &Target) -> Vec<Write> {
    writes_in(item, target, NoteStyle::Content)
}

pub fn writes_in(item: &LoggedItem, target: &Target, notes: NoteStyle) -> Vec<Write> {
    match (item.kind, notes) {
        (ItemKind::Note, NoteStyle::Content) => vec![content_note(item), link_placeholder(target)],
        (ItemKind::Note, NoteStyle::Classic) => vec![classic_note(item, target)],
        _ => vec![task(item, target)],
    }
}

/// A classic Note has no custom fields, so its title carries a short form of the item id
/// for a retry to find it by (`Title` holds 80 characters).
pub fn classic_note_title(item: &LoggedItem) -> String {
    let marker = format!(" [crmsync {}]", item.id.get(..8).unwrap_or(&item.id));
    let room = 80 - marker.chars().count();
    format!("{}{marker}", truncate(&item.subject_line(), room))
}

fn classic_note(item: &LoggedItem, target: &Target) -> Write {
    let body = json!({
        "ParentId": target.record_id,
        "Title": classic_note_title(item),
        "Body": truncate(&item.body, 32_000),
        "OwnerId": target.owner_id,
    });
    Write {
        object: "Note",
        body,
    }
}

fn who_and_what(target: &Target) -> (Option<&str>, Option<&str>) {
    match target.record_type {
        RecordType::Contact | RecordType::Lead => {
            (Some(&target.record_id), target.related_id.as_deref())
        }
        RecordType::Account | RecordType::Opportunity => (None, Some(&target.record_id)),
    }
}

fn task(item: &LoggedItem, target: &Target) -> Write {
    let (who, what) = who_and_what(target);
    let subtype = match item.kind {
        ItemKind::InMail | ItemKind::Message => "Email",
        ItemKind::Call => "Call",
        _ => "Task",
    };
    let mut body = json!({
        "Subject": truncate(&item.subject_line(), 255),
        "Description": truncate(&item.body, 32_000),
        "ActivityDate": item.date(),
        "Status": "Completed",
        "TaskSubtype": subtype,
        "OwnerId": target.owner_id,
        ITEM_ID_FIELD: item.id,
    });
    let obj = body.as_object_mut().expect("a JSON object");
    if let Some(who) = who {
        obj.insert("WhoId".into(), json!(who));
    }
    if let Some(what) = what {
        obj.insert("WhatId".into(), json!(what));
    }
    if let Some(call) = &item.call {
        obj.insert("CallDurationInSeconds".into(), json!(call.duration_seconds));
        let call_type = match call.direction {
            Direction::Inbound => "Inbound",
            Direction::Outbound => "Outbound",
        };
        obj.insert("CallType".into(), json!(call_type));
        obj.insert(
            "CallDisposition".into(),
            json!(truncate(&call.outcome, 255)),
        );
    }
    Write {
        object: "Task",
        body,
    }
}

/// ContentNote content is base64 of HTML: the text is escaped so it stays text (A9).
fn content_note(item: &LoggedItem) -> Write {
    let html = format!("<p>{}</p>", escape_html(&item.body).replace('\n', "<br>"));
    let body = json!({
        "Title": truncate(&item.subject_line(), 255),
        "Content": base64::engine::general_purpose::STANDARD.encode(html),
        ITEM_ID_FIELD: item.id,
    });
    Write {
        object: "ContentNote",
        body,
    }
}

/// The link from the note (its id, known only after the create) to the record.
fn link_placeholder(target: &Target) -> Write {
    let body = json!({
        "ContentDocumentId": NOTE_ID_REFERENCE,
        "LinkedEntityId": target.record_id,
        "ShareType": "V",
        "Visibility": "AllUsers",
    });
    Write {
        object: "ContentDocumentLink",
        body,
    }
}

/// Where the created note's id goes, for a composite request's `@{ref.id}` (A6).
pub const NOTE_ID_REFERENCE: &str = "@{note.id}";

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Salesforce counts characters; cut on a character boundary.
fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::writeback::item::Call;

    fn item(kind: ItemKind) -> LoggedItem {
        LoggedItem {
            id: "6f1c2d3e-0000-4000-8000-000000000001".into(),
            kind,
            subject: "Intro".into(),
            body: "Hi <b>Ada</b> & team".into(),
            occurred_at: "2026-11-24T09:30:00Z".into(),
            call: None,
            tags: vec![],
        }
    }

    fn contact() -> Target {
        Target {
            record_type: RecordType::Contact,
            record_id: "003A".into(),
            related_id: Some("001A".into()),
            owner_id: "005A".into(),
        }
    }

    #[test]
    fn inmails_are_completed_email_tasks_owned_by_the_seat_holder() {
        let [w] = writes(&item(ItemKind::InMail), &contact())
            .try_into()
            .unwrap();
        assert_eq!(w.object, "Task");
        assert_eq!(w.body["Subject"], "InMail: Intro");
        assert_eq!(w.body["TaskSubtype"], "Email");
        assert_eq!(w.body["Status"], "Completed");
        assert_eq!(w.body["ActivityDate"], "2026-11-24");
        assert_eq!(w.body["WhoId"], "003A");
        assert_eq!(w.body["WhatId"], "001A");
        assert_eq!(w.body["OwnerId"], "005A");
        assert_eq!(
            w.body[ITEM_ID_FIELD],
            "6f1c2d3e-0000-4000-8000-000000000001"
        );
    }

    #[test]
    fn calls_carry_duration_direction_and_outcome() {
        let mut call = item(ItemKind::Call);
        call.call = Some(Call {
            duration_seconds: 312,
            direction: Direction::Outbound,
            outcome: "Booked a demo".into(),
        });
        let [w] = writes(&call, &contact()).try_into().unwrap();
        assert_eq!(w.body["TaskSubtype"], "Call");
        assert_eq!(w.body["CallDurationInSeconds"], 312);
        assert_eq!(w.body["CallType"], "Outbound");
        assert_eq!(w.body["CallDisposition"], "Booked a demo");
    }

    #[test]
    fn account_items_relate_by_what_id_only() {
        let target = Target {
            record_type: RecordType::Account,
            record_id: "001A".into(),
            related_id: None,
            owner_id: "005A".into(),
        };
        let mut tag = item(ItemKind::Tag);
        tag.tags = vec!["Decision maker".into(), "Q4".into()];
        let [w] = writes(&tag, &target).try_into().unwrap();
        assert_eq!(w.body["Subject"], "Tags: Decision maker, Q4");
        assert_eq!(w.body["WhatId"], "001A");
        assert!(w.body.get("WhoId").is_none());
    }

    #[test]
    fn notes_are_escaped_base64_content_notes_linked_to_the_record() {
        let [note, link] = writes(&item(ItemKind::Note), &contact())
            .try_into()
            .unwrap();
        assert_eq!(note.object, "ContentNote");
        let html = base64::engine::general_purpose::STANDARD
            .decode(note.body["Content"].as_str().unwrap())
            .unwrap();
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<p>Hi &lt;b&gt;Ada&lt;/b&gt; &amp; team</p>"
        );
        assert_eq!(link.object, "ContentDocumentLink");
        assert_eq!(link.body["ContentDocumentId"], NOTE_ID_REFERENCE);
        assert_eq!(link.body["LinkedEntityId"], "003A");
        assert_eq!(link.body["ShareType"], "V");
    }

    #[test]
    fn classic_notes_carry_the_item_id_in_a_title_that_fits() {
        let mut note = item(ItemKind::Note);
        note.subject = "x".repeat(100);
        let [w] = writes_in(&note, &contact(), NoteStyle::Classic)
            .try_into()
            .unwrap();
        assert_eq!(w.object, "Note");
        assert_eq!(w.body["ParentId"], "003A");
        let title = w.body["Title"].as_str().unwrap();
        assert_eq!(title.chars().count(), 80);
        assert!(title.ends_with(" [crmsync 6f1c2d3e]"), "{title}");
        assert_eq!(
            w.body["Body"], "Hi <b>Ada</b> & team",
            "plain text, not HTML"
        );
    }

    #[test]
    fn long_text_is_cut_to_the_field_lengths_on_character_boundaries() {
        let mut long = item(ItemKind::Message);
        long.subject = "é".repeat(400);
        let [w] = writes(&long, &contact()).try_into().unwrap();
        assert_eq!(w.body["Subject"].as_str().unwrap().chars().count(), 255);
    }
}
