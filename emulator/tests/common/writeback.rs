//! Copy to CRM fixtures shared by the mapping and outbox checks.

use crmsync::crm::salesforce::Session;
use crmsync::writeback::item::{Call, Direction, LoggedItem};
use crmsync::writeback::{setup, ItemKind};

use super::Harness;

/// Item `n` of a kind: a stable GUID-shaped id, a subject naming `n`, HTML in the body.
pub fn item(n: usize, kind: ItemKind) -> LoggedItem {
    LoggedItem {
        id: format!("6f1c2d3e-0000-4000-8000-{n:012}"),
        kind,
        subject: format!("Item {n}"),
        body: "Hi <b>Ada</b>".into(),
        occurred_at: "2026-11-24T09:30:00Z".into(),
        call: (kind == ItemKind::Call).then(|| Call {
            duration_seconds: 95,
            direction: Direction::Outbound,
            outcome: "Booked a demo".into(),
        }),
        tags: vec!["Champion".into()],
    }
}

/// The extension's org preparation (the item-id fields), run twice: the second run finds
/// the fields ready.
pub fn prepare_salesforce_org(h: &Harness) {
    let session = Session {
        api_host: crmsync::crm::OrgHost::salesforce(super::SF).unwrap(),
        token: h.sf_token.clone(),
    };
    for _ in 0..2 {
        for request in setup::requests(&session) {
            let answer = h.perform(&request);
            let read = setup::read(answer.status.as_u16(), &answer.raw);
            assert_eq!(read, Ok(()), "{}", answer.raw);
        }
    }
}
