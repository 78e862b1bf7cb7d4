//! The org's settings as the admin edits them: each shown with its control, locked (and
//! left as published) where browser policy locks it here; the CRM preferences offered in
//! the CRM's order with "Not sure" last; the org's own never-log entries.

use crate::background::admin_page::view::{Offered, OrgSettings};
use crate::msg;
use crate::pages::options::settings::{label, source_note, Listed};
use crate::pages::Text;
use crate::settings::resolve::NeverLogEntry;
use crate::settings::{CrmChoice, Layer, NeverLog, NeverLogKind, Resolved, SettingKey, Source};
use crate::writeback::ItemKind;

/// A setting's control on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Control {
    Switch(bool),
    /// `(value, label, selected)`; the value `""` is "Not sure".
    Select(Vec<(String, Text, bool)>),
    Kinds(Vec<(ItemKind, bool)>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub key: SettingKey,
    pub label: Text,
    pub control: Control,
    /// Browser policy locks it here: shown, not changeable.
    pub locked: bool,
    pub note: Option<Text>,
}

/// The settings being edited, from what the org published (over the built-in defaults).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    shown: Option<Resolved>,
    values: Layer,
}

/// The select's choices: the CRM's, a published value the CRM no longer has (so it is not
/// lost unseen), "Not sure" last.
fn options(list: &[Offered], chosen: &CrmChoice) -> Vec<(String, Text, bool)> {
    let chosen = String::from(chosen.clone());
    let mut options: Vec<(String, Text, bool)> = list
        .iter()
        .map(|c| {
            let label = match c.value.as_str() {
                "" => msg!("settingNotSure"),
                _ => Text::from(c.label.as_str()),
            };
            (c.value.clone(), label, c.value == chosen)
        })
        .collect();
    if !options.iter().any(|(_, _, selected)| *selected) {
        let gone = msg!("adminChoiceGone", chosen.as_str());
        options.insert(0, (chosen, gone, true));
    }
    options
}

impl Draft {
    /// The org's settings as just read or published.
    pub fn from(org: &OrgSettings) -> Draft {
        let r = &org.settings;
        let own = |e: &NeverLogEntry| e.source == Source::Organization;
        let mut never_log = NeverLog::default();
        for entry in r.never_log.iter().filter(|e| own(e)) {
            never_log.entries_mut(entry.kind).push(entry.value.clone());
        }
        Draft {
            values: Layer {
                auto_sync_all: Some(r.auto_sync_all.value),
                write_back: Some(r.write_back.value),
                write_back_kinds: Some(r.write_back_kinds.value.clone()),
                toggle_default_on: Some(r.toggle_default_on.value),
                pipeline_stage: Some(r.pipeline_stage.value.clone()),
                won_value_field: Some(r.won_value_field.value.clone()),
                never_log: Some(never_log),
                data_validation: Some(r.data_validation.value),
                clear_on_change: Some(r.clear_on_change.value),
                ..Layer::default()
            },
            shown: Some(r.clone()),
        }
    }

    /// Browser policy locks `key` in this browser.
    pub fn locked(&self, key: SettingKey) -> bool {
        let source = self.shown.as_ref().map(|r| r.source(key));
        key != SettingKey::NeverLog && source == Some(Source::Locked)
    }

    fn note(&self, key: SettingKey) -> Option<Text> {
        self.locked(key)
            .then(|| source_note(Source::Locked))
            .flatten()
    }

    pub fn auto_sync_all(&self) -> bool {
        self.values.auto_sync_all.unwrap_or(true)
    }

    fn field(&self, key: SettingKey, control: Control) -> Field {
        Field {
            key,
            label: label(key),
            control,
            locked: self.locked(key),
            note: self.note(key),
        }
    }

    /// The settings section's fields, in the page's order.
    pub fn fields(&self, stages: &[Offered], money: &[Offered]) -> Vec<Field> {
        let v = &self.values;
        let switch = |key, on: Option<bool>| self.field(key, Control::Switch(on.unwrap_or(false)));
        let kinds = v.write_back_kinds.clone().unwrap_or_default();
        let kinds = ItemKind::ALL.map(|k| (k, kinds.contains(&k))).to_vec();
        let not_sure = CrmChoice::NotSure;
        vec![
            switch(SettingKey::WriteBack, v.write_back),
            self.field(SettingKey::WriteBackKinds, Control::Kinds(kinds)),
            switch(SettingKey::ToggleDefaultOn, v.toggle_default_on),
            self.field(
                SettingKey::PipelineStage,
                Control::Select(options(
                    stages,
                    v.pipeline_stage.as_ref().unwrap_or(&not_sure),
                )),
            ),
            self.field(
                SettingKey::WonValueField,
                Control::Select(options(
                    money,
                    v.won_value_field.as_ref().unwrap_or(&not_sure),
                )),
            ),
            switch(SettingKey::DataValidation, v.data_validation),
            switch(SettingKey::ClearOnChange, v.clear_on_change),
        ]
    }

    /// A switch turned; false when browser policy locks it.
    pub fn switched(&mut self, key: SettingKey, on: bool) -> bool {
        if self.locked(key) {
            return false;
        }
        let v = &mut self.values;
        let slot = match key {
            SettingKey::WriteBack => &mut v.write_back,
            SettingKey::ToggleDefaultOn => &mut v.toggle_default_on,
            SettingKey::DataValidation => &mut v.data_validation,
            SettingKey::ClearOnChange => &mut v.clear_on_change,
            SettingKey::AutoSyncAll => &mut v.auto_sync_all,
            _ => return false,
        };
        *slot = Some(on);
        true
    }

    pub fn kind_switched(&mut self, kind: ItemKind, on: bool) -> bool {
        if self.locked(SettingKey::WriteBackKinds) {
            return false;
        }
        let kinds = self.values.write_back_kinds.get_or_insert_with(Vec::new);
        kinds.retain(|k| *k != kind);
        if on {
            kinds.push(kind);
        }
        // The CRM's order of kinds, whatever order they were ticked in.
        kinds.sort_by_key(|k| ItemKind::ALL.iter().position(|a| a == k));
        true
    }

    /// A choice picked (`""`: "Not sure").
    pub fn chose(&mut self, key: SettingKey, value: &str) -> bool {
        if self.locked(key) {
            return false;
        }
        let choice = Some(CrmChoice::from(value.to_string()));
        match key {
            SettingKey::PipelineStage => self.values.pipeline_stage = choice,
            SettingKey::WonValueField => self.values.won_value_field = choice,
            _ => return false,
        }
        true
    }

    fn own_list(&mut self) -> &mut NeverLog {
        self.values.never_log.get_or_insert_with(NeverLog::default)
    }

    /// Adds an entry; false when it is not one of its kind (or already listed).
    pub fn add_never_log(&mut self, kind: NeverLogKind, text: &str) -> bool {
        let text = text.trim();
        let Some(normal) = kind.normal(text) else {
            return false;
        };
        let listed = self
            .never_log()
            .iter()
            .any(|e| e.kind == kind && kind.normal(&e.value).as_deref() == Some(normal.as_str()));
        if !listed {
            self.own_list().entries_mut(kind).push(text.to_string());
        }
        !listed
    }

    pub fn remove_never_log(&mut self, kind: NeverLogKind, value: &str) {
        self.own_list().entries_mut(kind).retain(|v| v != value);
    }

    /// Browser policy's entries (locked), then the org's own.
    pub fn never_log(&self) -> Vec<Listed> {
        let policy = self.shown.iter().flat_map(|r| &r.never_log);
        let locked = policy
            .filter(|e| e.source == Source::Locked)
            .map(|e| Listed {
                kind: e.kind,
                value: e.value.clone(),
                removable: false,
                note: source_note(Source::Locked),
            });
        let own = self.values.never_log.clone().unwrap_or_default();
        let own = NeverLogKind::ALL.into_iter().flat_map(move |kind| {
            let entries = own.entries(kind).clone();
            entries.into_iter().map(move |value| Listed {
                kind,
                value,
                removable: true,
                note: None,
            })
        });
        locked.chain(own).collect()
    }

    /// What the page publishes: every shown value but what browser policy locks here (the
    /// background keeps that as published) and "Not sure" (left to each user).
    pub fn to_publish(&self) -> Layer {
        let mut layer = self.values.clone();
        let not_sure = |c: &Option<CrmChoice>| matches!(c, Some(CrmChoice::NotSure));
        if not_sure(&layer.pipeline_stage) {
            layer.pipeline_stage = None;
        }
        if not_sure(&layer.won_value_field) {
            layer.won_value_field = None;
        }
        // Kept as published by the background.
        let locked = |key| self.locked(key);
        let l = &mut layer;
        if locked(SettingKey::AutoSyncAll) {
            l.auto_sync_all = None;
        }
        if locked(SettingKey::WriteBack) {
            l.write_back = None;
        }
        if locked(SettingKey::WriteBackKinds) {
            l.write_back_kinds = None;
        }
        if locked(SettingKey::ToggleDefaultOn) {
            l.toggle_default_on = None;
        }
        if locked(SettingKey::PipelineStage) {
            l.pipeline_stage = None;
        }
        if locked(SettingKey::WonValueField) {
            l.won_value_field = None;
        }
        if locked(SettingKey::DataValidation) {
            l.data_validation = None;
        }
        if locked(SettingKey::ClearOnChange) {
            l.clear_on_change = None;
        }
        layer
    }
}
