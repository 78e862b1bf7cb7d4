//! The activity section in real browsers: the log form checks a draft without losing text,
//! the Copy to CRM switch starts as the background says (or says why it is not offered),
//! the history names each state in words and keeps CRM text as text, and Retry is reported.

use crmsync::activity_model::{ActivityModel, HistoryEntry};
use crmsync::panel_model::ProfilePanelView;
use crmsync::ui::panel::Action;
use crmsync::writeback::item::NewItem;
use crmsync::writeback::ItemKind;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

use super::{model, panel, root, text};

const PAYLOAD: &str = "<img src=x onerror=\"window.__pwned=1\">";

fn activity(entries: &str) -> ActivityModel {
    let json = format!(
        r#"{{"entries": {entries},
            "toggles": {{"note": {{"offered": true, "on": true, "reason": null}},
                         "message": {{"offered": true, "on": false, "reason": null}},
                         "tag": {{"offered": true, "on": true, "reason": null}},
                         "call": {{"offered": false, "on": false, "reason": "kindNotSynced"}}}},
            "outbox": {{"waiting": 3, "needsSignIn": true, "pausedUntil": null}}}}"#
    );
    serde_json::from_str(&json).unwrap()
}

fn entry(id: &str, state: &str, extra: &str) -> String {
    format!(
        r#"{{"id": "{id}", "kind": "note", "subject": "Subject {id}", "body": "b",
            "occurredAt": "2026-11-24T09:30:00Z", "state": "{state}"{extra}}}"#
    )
}

fn find<T: JsCast>(root: &Element, selector: &str) -> T {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector}"))
        .dyn_into()
        .unwrap()
}

fn type_in(root: &Element, selector: &str, value: &str) {
    match root
        .query_selector(selector)
        .unwrap()
        .unwrap()
        .dyn_into::<HtmlTextAreaElement>()
    {
        Ok(area) => area.set_value(value),
        Err(el) => el.dyn_into::<HtmlInputElement>().unwrap().set_value(value),
    }
}

fn value(root: &Element, selector: &str) -> String {
    match root
        .query_selector(selector)
        .unwrap()
        .unwrap()
        .dyn_into::<HtmlTextAreaElement>()
    {
        Ok(area) => area.value(),
        Err(el) => el.dyn_into::<HtmlInputElement>().unwrap().value(),
    }
}

fn choose_kind(root: &Element, kind: &str) {
    let select: HtmlSelectElement = find(root, "select.kind");
    select.set_value(kind);
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

fn click(root: &Element, selector: &str) {
    find::<HtmlElement>(root, selector).click();
}

fn hidden(root: &Element, selector: &str) -> bool {
    find::<Element>(root, selector).has_attribute("hidden")
}

#[wasm_bindgen_test]
fn an_invalid_draft_says_why_and_keeps_the_text() {
    let root = root();
    let (view, actions) = panel(&root);
    view.show_activity(activity("[]")).unwrap();
    type_in(&root, "input.subject", "Intro");
    type_in(&root, "textarea.body", "  \n ");
    click(&root, "button.save");
    assert_eq!(text(&root, ".form-error"), "[activityNeedBody]");
    assert_eq!(value(&root, "input.subject"), "Intro");
    let body: Element = find(&root, "textarea.body");
    assert_eq!(body.get_attribute("aria-invalid").as_deref(), Some("true"));

    choose_kind(&root, "tag");
    assert!(!hidden(&root, ".tags-field") && hidden(&root, ".call-fields"));
    type_in(&root, "input.tags", " , ");
    click(&root, "button.save");
    assert_eq!(text(&root, ".form-error"), "[activityNeedTags]");

    choose_kind(&root, "call");
    type_in(&root, "input.minutes", "ten");
    click(&root, "button.save");
    assert_eq!(text(&root, ".form-error"), "[activityBadDuration]");
    assert_eq!(value(&root, "input.minutes"), "ten");
    assert_eq!(
        value(&root, "input.subject"),
        "Intro",
        "switching kinds keeps text"
    );
    assert!(actions.borrow().is_empty());
}

#[wasm_bindgen_test]
fn submitting_never_navigates_the_panel() {
    let root = root();
    let (view, _) = panel(&root);
    view.show_activity(activity("[]")).unwrap();
    let init = web_sys::EventInit::new();
    init.set_cancelable(true);
    let submit = web_sys::Event::new_with_event_init_dict("submit", &init).unwrap();
    let form: Element = find(&root, "form.log-form");
    assert!(
        !form.dispatch_event(&submit).unwrap(),
        "the submit event is cancelled"
    );
}

#[wasm_bindgen_test]
fn save_reports_the_item_once_and_clears_only_when_stored() {
    let root = root();
    let (view, actions) = panel(&root);
    view.show_activity(activity("[]")).unwrap();
    type_in(&root, "input.subject", " Intro ");
    type_in(&root, "textarea.body", "Met at the fair");
    click(&root, "button.save");
    click(&root, "button.save");
    let logged = actions.borrow().clone();
    let [Action::LogItem { item, copy_to_crm }] = logged.as_slice() else {
        panic!("{logged:?}");
    };
    assert!(copy_to_crm);
    assert_eq!(
        item,
        &NewItem {
            kind: ItemKind::Note,
            subject: "Intro".into(),
            body: "Met at the fair".into(),
            occurred_at: item.occurred_at.clone(),
            call: None,
            tags: vec![],
        }
    );
    assert!(
        item.occurred_at.ends_with('Z') && item.occurred_at.len() == 20,
        "{}",
        item.occurred_at
    );

    use crmsync::answer::{Code, Problem};
    let refused = Problem::with_detail(Code::BackgroundFailed, "Storage is full");
    view.activity_failed(&refused).unwrap();
    assert_eq!(
        text(&root, ".form-error"),
        "[activityFailed Storage is full]"
    );
    // A code the background answers with is worded, never shown as it is.
    view.activity_failed(&Problem::new(Code::NotAPage)).unwrap();
    assert_eq!(text(&root, ".form-error"), "[failNotAPage]");
    assert_eq!(value(&root, "textarea.body"), "Met at the fair");

    click(&root, "button.save");
    let stored: HistoryEntry = serde_json::from_str(&entry("new", "queued", "")).unwrap();
    view.activity_saved(stored).unwrap();
    assert_eq!(value(&root, "textarea.body"), "");
    assert_eq!(value(&root, "input.subject"), "");
    assert_eq!(text(&root, ".form-status"), "[activitySaved]");
    let status: Element = find(&root, ".form-status");
    assert_eq!(status.get_attribute("role").as_deref(), Some("status"));
    assert_eq!(text(&root, ".entry .entry-title"), "Subject new");
    assert_eq!(actions.borrow().len(), 2);
}

#[wasm_bindgen_test]
fn the_switch_starts_as_the_toggles_say_or_says_why_not() {
    let root = root();
    let (view, actions) = panel(&root);
    view.show_activity(activity("[]")).unwrap();
    let switch: HtmlInputElement = find(&root, "input.copy-switch");
    assert_eq!(switch.type_(), "checkbox");
    assert_eq!(switch.get_attribute("role").as_deref(), Some("switch"));
    assert!(text(&root, "label.switch").contains("[activityCopyToCrm]"));
    assert!(switch.checked(), "note: on");
    choose_kind(&root, "message");
    assert!(!switch.checked(), "message: off");
    assert!(hidden(&root, ".copy-reason"));

    choose_kind(&root, "call");
    assert!(hidden(&root, "label.switch"));
    assert_eq!(
        text(&root, ".copy-reason"),
        "[activityNotOffered [activityReasonKindNotSynced]]"
    );
    choose_kind(&root, "inMail");
    assert_eq!(text(&root, ".copy-reason"), "[activityNotOfferedUnknown]");
    type_in(&root, "textarea.body", "Hello");
    click(&root, "button.save");
    assert!(matches!(
        actions.borrow().as_slice(),
        [Action::LogItem {
            copy_to_crm: false,
            ..
        }]
    ));

    choose_kind(&root, "note");
    switch.click();
    assert!(!switch.checked());
    view.show_activity(activity("[]")).unwrap();
    assert!(!switch.checked(), "a reload keeps what the user chose");
}

#[wasm_bindgen_test]
fn history_names_each_state_and_keeps_crm_text_as_text() {
    let root = root();
    let (view, actions) = panel(&root);
    let parked = format!(
        r#", "error": {{"kind": "rejected", "code": "X", "message": {}, "status": 400}}"#,
        serde_json::to_string(PAYLOAD).unwrap()
    );
    let entries = [
        entry("w", "written", ""),
        entry("q", "queued", ""),
        entry("l", "local", r#", "reason": "offForOrg""#),
        entry("u", "unresolved", ""),
        entry("p", "parked", &parked),
    ];
    let mut model = activity(&format!("[{}]", entries.join(",")));
    model.entries[0].subject = PAYLOAD.into();
    view.show_activity(model).unwrap();
    let chips: Vec<String> = root
        .query_selector_all(".entry .chip")
        .unwrap()
        .values()
        .into_iter()
        .map(|n| {
            n.unwrap()
                .dyn_into::<Element>()
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(
        chips,
        [
            "[activityStateWritten]".to_string(),
            "[activityStateQueued]".into(),
            "[activityStateLocalWhy [activityReasonOffForOrg]]".into(),
            "[activityStateUnresolved]".into(),
            format!("[activityStateParkedWhy {PAYLOAD}]"),
        ]
    );
    assert_eq!(text(&root, ".entry .entry-title"), PAYLOAD);
    assert!(root.query_selector("img").unwrap().is_none());
    assert_eq!(text(&root, ".outbox-notice"), "[activitySignIn 3]");
    assert_eq!(root.query_selector_all("button.retry").unwrap().length(), 1);

    click(&root, "button.retry");
    assert_eq!(
        *actions.borrow(),
        vec![Action::RetryItem { id: "p".into() }]
    );
    let retried: HistoryEntry = serde_json::from_str(&entry("p", "queued", "")).unwrap();
    view.activity_item(retried).unwrap();
    assert!(root.query_selector("button.retry").unwrap().is_none());
}

#[wasm_bindgen_test]
fn typed_text_survives_a_reload_of_the_record_but_not_another_page() {
    let root = root();
    let (view, _) = panel(&root);
    view.show(&model(None)).unwrap();
    view.show_activity(activity("[]")).unwrap();
    type_in(&root, "textarea.body", "Half-written note");
    view.show(&model(None)).unwrap();
    assert_eq!(value(&root, "textarea.body"), "Half-written note");
    assert_eq!(
        root.last_element_child().unwrap().class_name(),
        "activity",
        "the activity section stays last"
    );
    assert!(root.query_selector(".record-name").unwrap().is_some());
    view.show_loading().unwrap();
    assert!(root.query_selector(".activity").unwrap().is_none());
}

#[wasm_bindgen_test]
fn a_profile_page_says_whether_the_person_is_in_the_crm() {
    let root = root();
    let (view, _) = panel(&root);
    let profile = r#"{"person": {"id": "url:in/ada", "full_name": "Ada Lovelace", "profile_url": "https://www.linkedin.com/in/ada"}, "origin": "pageCapture"}"#;
    let absent: ProfilePanelView =
        serde_json::from_str(&format!(r#"{{"profile": {profile}, "inCrm": []}}"#)).unwrap();
    view.show_profile(&absent).unwrap();
    assert_eq!(text(&root, ".profile-name"), "Ada Lovelace");
    assert_eq!(text(&root, ".not-in-crm"), "[profileNotInCrm]");
    let present: ProfilePanelView = serde_json::from_str(&format!(
        r#"{{"profile": {profile}, "inCrm": [{{"url": "https://acme.lightning.force.com/lightning/r/Contact/0035g00000ABCDeAAP/view", "crm": "salesforce", "name": "{}", "level": "match"}}]}}"#,
        PAYLOAD.replace('"', "\\\"")
    ))
    .unwrap();
    view.show_profile(&present).unwrap();
    assert_eq!(
        text(&root, ".in-crm-record"),
        format!("[profileInCrm] {PAYLOAD} · [crmSalesforce]")
    );
    let link: Element = find(&root, ".in-crm-record a");
    assert!(link
        .get_attribute("href")
        .unwrap()
        .starts_with("https://acme.lightning.force.com/"));
    assert!(root.query_selector("img").unwrap().is_none());
}

#[wasm_bindgen_test]
fn a_profile_pages_badges_are_drawn_in_the_panel_and_open_the_record() {
    let root = root();
    let badges = gloo::utils::document().create_element("span").unwrap();
    let view = panel(&root).0.with_badges(badges.clone());
    let record = "https://acme.lightning.force.com/lightning/r/Contact/0035g00000ABCDeAAP/view";
    let shown: ProfilePanelView = serde_json::from_str(&format!(
        r#"{{"profile": {{"person": {{"id": "url:in/ada", "full_name": "Ada"}}, "origin": "pageCapture"}},
            "inCrm": [{{"url": "{record}", "crm": "salesforce", "name": "Ada Lovelace", "level": "match"}},
                      {{"url": "javascript:alert(1)", "crm": "dynamics", "name": "Ada B", "level": "match"}}]}}"#
    ))
    .unwrap();
    view.show_profile(&shown).unwrap();
    assert_eq!(
        badges.get_attribute("aria-label").as_deref(),
        Some("[badgeInCrm]")
    );
    let link: Element = find(&badges, "a.badge");
    assert_eq!(link.text_content().as_deref(), Some("[badgeInSalesforce]"));
    assert_eq!(link.get_attribute("href").as_deref(), Some(record));
    assert_eq!(link.get_attribute("target").as_deref(), Some("_blank"));
    let unsafe_link: Element = find(&badges, "span.badge");
    assert_eq!(
        unsafe_link.text_content().as_deref(),
        Some("[badgeInDynamics]")
    );
    view.show_loading().unwrap();
    assert_eq!(badges.child_element_count(), 0, "another page: no badges");
}
