//! The log form's text as typed, checked and turned into the item the panel reports. Kept
//! apart from the DOM so every rule is tested natively; the form keeps the text on error.

use crate::case::lower;
use crate::message::MAX_ITEM_BYTES;
use crate::writeback::item::{Call, Direction, NewItem};
use crate::writeback::ItemKind;

/// The kinds in the order the picker offers them.
pub const FORM_KINDS: [ItemKind; 5] = [
    ItemKind::Note,
    ItemKind::Message,
    ItemKind::InMail,
    ItemKind::Call,
    ItemKind::Tag,
];

/// The longest call we believe: a day. Anything longer is a typing slip.
const MAX_CALL_SECONDS: u32 = 24 * 60 * 60;

/// What the user typed, field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub kind: ItemKind,
    pub subject: String,
    pub body: String,
    pub minutes: String,
    pub seconds: String,
    pub direction: Direction,
    pub outcome: String,
    pub tags: String,
}

/// Why the form cannot be saved yet; each names the field to fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    EmptyBody,
    /// Longer than the background accepts: better said here, where the text can be cut.
    TooLong,
    NoTags,
    BadDuration,
}

impl Invalid {
    /// The `_locales` key of the inline message.
    pub fn key(self) -> &'static str {
        match self {
            Invalid::EmptyBody => "activityNeedBody",
            Invalid::TooLong => "activityTooLong",
            Invalid::NoTags => "activityNeedTags",
            Invalid::BadDuration => "activityBadDuration",
        }
    }
}

/// The item to log, or why not. `occurred_at` is now, ISO 8601 UTC.
pub fn validate(draft: &Draft, occurred_at: String) -> Result<NewItem, Invalid> {
    let mut item = NewItem {
        kind: draft.kind,
        subject: draft.subject.trim().to_string(),
        body: draft.body.trim_end().to_string(),
        occurred_at,
        call: None,
        tags: Vec::new(),
    };
    if item.body.len() > MAX_ITEM_BYTES {
        return Err(Invalid::TooLong);
    }
    match draft.kind {
        ItemKind::Note | ItemKind::Message | ItemKind::InMail => {
            if item.body.trim().is_empty() {
                return Err(Invalid::EmptyBody);
            }
        }
        ItemKind::Call => {
            let duration_seconds =
                duration(&draft.minutes, &draft.seconds).ok_or(Invalid::BadDuration)?;
            item.call = Some(Call {
                duration_seconds,
                direction: draft.direction,
                outcome: draft.outcome.trim().to_string(),
            });
        }
        ItemKind::Tag => {
            item.tags = parse_tags(&draft.tags);
            if item.tags.is_empty() {
                return Err(Invalid::NoTags);
            }
        }
    }
    Ok(item)
}

/// Minutes and seconds as typed (blank reads as 0) → seconds; `None` for anything else, a
/// seconds field of 60 or more, or a call longer than a day.
pub fn duration(minutes: &str, seconds: &str) -> Option<u32> {
    let minutes = whole_number(minutes)?;
    let seconds = whole_number(seconds)?;
    if seconds >= 60 {
        return None;
    }
    let total = minutes.checked_mul(60)?.checked_add(seconds)?;
    (total <= MAX_CALL_SECONDS).then_some(total)
}

fn whole_number(text: &str) -> Option<u32> {
    let text = text.trim();
    if text.is_empty() {
        return Some(0);
    }
    if !text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// "a, b,,B " → ["a", "b"]: trimmed, blanks dropped, repeats (ignoring case) dropped.
pub fn parse_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if !tags.iter().any(|t| lower(t) == lower(tag)) {
            tags.push(tag.to_string());
        }
    }
    tags
}

/// `Date.toISOString()` without its milliseconds (`2026-11-24T09:30:00Z`), the form the
/// item shape documents.
pub fn iso_seconds(iso: &str) -> String {
    match iso.split_once('.') {
        Some((whole, rest)) if rest.ends_with('Z') => format!("{whole}Z"),
        _ => iso.to_string(),
    }
}

/// The `value` of a kind's `<option>` (its name in messages).
pub fn kind_value(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::InMail => "inMail",
        ItemKind::Message => "message",
        ItemKind::Note => "note",
        ItemKind::Call => "call",
        ItemKind::Tag => "tag",
    }
}

pub fn kind_from_value(value: &str) -> Option<ItemKind> {
    FORM_KINDS.into_iter().find(|k| kind_value(*k) == value)
}

/// The `value` of a direction's `<option>`.
pub fn direction_value(direction: Direction) -> &'static str {
    match direction {
        Direction::Outbound => "outbound",
        Direction::Inbound => "inbound",
    }
}

pub fn direction_from_value(value: &str) -> Direction {
    if value == "inbound" {
        Direction::Inbound
    } else {
        Direction::Outbound
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(kind: ItemKind) -> Draft {
        Draft {
            kind,
            subject: String::new(),
            body: String::new(),
            minutes: String::new(),
            seconds: String::new(),
            direction: Direction::Outbound,
            outcome: String::new(),
            tags: String::new(),
        }
    }

    const NOW: &str = "2026-11-24T09:30:00Z";

    #[test]
    fn written_kinds_need_a_body() {
        for kind in [ItemKind::Note, ItemKind::Message, ItemKind::InMail] {
            let mut d = draft(kind);
            d.subject = "Intro".into();
            d.body = " \n\t".into();
            assert_eq!(validate(&d, NOW.into()), Err(Invalid::EmptyBody));
            d.body = "Met at the fair.\n".into();
            let item = validate(&d, NOW.into()).unwrap();
            assert_eq!(item.body, "Met at the fair.");
            assert_eq!(item.subject, "Intro");
            assert_eq!(item.occurred_at, NOW);
            assert_eq!((item.call, item.tags.len()), (None, 0));
        }
    }

    #[test]
    fn a_body_the_background_would_refuse_is_caught_here() {
        let mut d = draft(ItemKind::Call);
        d.body = "é".repeat(MAX_ITEM_BYTES / 2 + 1);
        assert_eq!(validate(&d, NOW.into()), Err(Invalid::TooLong));
        d.body.pop();
        assert!(validate(&d, NOW.into()).is_ok());
    }

    #[test]
    fn a_call_needs_a_sane_duration_but_no_body() {
        let mut d = draft(ItemKind::Call);
        d.minutes = "12".into();
        d.seconds = "5".into();
        d.direction = Direction::Inbound;
        d.outcome = " Booked a demo ".into();
        let call = validate(&d, NOW.into()).unwrap().call.unwrap();
        assert_eq!(call.duration_seconds, 725);
        assert_eq!(call.direction, Direction::Inbound);
        assert_eq!(call.outcome, "Booked a demo");
        for (m, s) in [
            ("1.5", ""),
            ("-1", "0"),
            ("", "60"),
            ("ten", ""),
            ("1441", ""),
        ] {
            d.minutes = m.into();
            d.seconds = s.into();
            assert_eq!(
                validate(&d, NOW.into()),
                Err(Invalid::BadDuration),
                "{m}:{s}"
            );
        }
    }

    #[test]
    fn blank_duration_is_a_call_that_did_not_connect() {
        assert_eq!(duration("", " "), Some(0));
        assert_eq!(duration("1440", "0"), Some(86_400));
        assert_eq!(duration("99999999999", "0"), None);
    }

    #[test]
    fn tags_are_trimmed_and_deduplicated() {
        assert_eq!(
            parse_tags(" Hot lead,, fintech ,hot LEAD, "),
            vec!["Hot lead", "fintech"]
        );
        let mut d = draft(ItemKind::Tag);
        d.tags = " , ".into();
        assert_eq!(validate(&d, NOW.into()), Err(Invalid::NoTags));
        d.tags = "vip".into();
        assert_eq!(validate(&d, NOW.into()).unwrap().tags, vec!["vip"]);
    }

    #[test]
    fn only_the_fields_of_the_kind_are_kept() {
        let mut d = draft(ItemKind::Note);
        d.body = "x".into();
        d.tags = "ignored".into();
        d.minutes = "nonsense".into();
        let item = validate(&d, NOW.into()).unwrap();
        assert!(item.tags.is_empty() && item.call.is_none());
    }

    #[test]
    fn iso_timestamps_lose_their_milliseconds() {
        assert_eq!(iso_seconds("2026-11-24T09:30:00.123Z"), NOW);
        assert_eq!(iso_seconds(NOW), NOW);
    }

    #[test]
    fn option_values_round_trip_and_match_the_message_names() {
        for kind in FORM_KINDS {
            assert_eq!(kind_from_value(kind_value(kind)), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind_value(kind)));
        }
        assert_eq!(kind_from_value("<script>"), None);
        for d in [Direction::Inbound, Direction::Outbound] {
            assert_eq!(direction_from_value(direction_value(d)), d);
        }
    }
}
