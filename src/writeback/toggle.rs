//! The one function that decides whether a logged item is copied to the CRM, from the org's
//! settings (admin policy), the user's enablement, the item's own toggle and whether its person
//! or company is matched. Unmatched items are never dropped: they wait as unresolved.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// What the seat holder logs in the panel.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ItemKind {
    InMail,
    Message,
    Note,
    Call,
    Tag,
}

impl ItemKind {
    pub const ALL: [ItemKind; 5] = [
        ItemKind::InMail,
        ItemKind::Message,
        ItemKind::Note,
        ItemKind::Call,
        ItemKind::Tag,
    ];
}

/// Which kinds the admin lets sync: "sync back all data items", or a selection.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "mode", content = "kinds")]
pub enum KindSelection {
    All,
    Only(BTreeSet<ItemKind>),
}

impl KindSelection {
    pub fn allows(&self, kind: ItemKind) -> bool {
        match self {
            KindSelection::All => true,
            KindSelection::Only(kinds) => kinds.contains(&kind),
        }
    }
}

/// The org's write-back settings, as [`crate::settings::Resolved::org_settings`] gives them.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WriteBackSettings {
    pub write_back: bool,
    pub kinds: KindSelection,
    /// Whether a new item's Copy to CRM toggle starts on, before the user chose otherwise.
    pub toggle_default_on: bool,
}

impl WriteBackSettings {
    /// The kinds written back at all, in display order (Test Write-Back makes one of each).
    pub fn synced_kinds(&self) -> Vec<ItemKind> {
        ItemKind::ALL
            .into_iter()
            .filter(|k| self.write_back && self.kinds.allows(*k))
            .collect()
    }
}

impl Default for WriteBackSettings {
    fn default() -> Self {
        WriteBackSettings {
            write_back: true,
            kinds: KindSelection::All,
            toggle_default_on: true,
        }
    }
}

/// The seat holder's own state.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSync {
    /// CRM sync enabled for this user (group auto-sync or per-user activation).
    pub enabled: bool,
    /// The user's last toggle choice per kind, remembered for the next item of that kind.
    #[serde(default)]
    pub last_choice: BTreeMap<ItemKind, bool>,
}

#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MatchStatus {
    Matched,
    Unresolved,
}

/// What happens to an item (it is always kept locally, whatever this says).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WriteDecision {
    /// Queue it in the outbox now.
    Write,
    /// Wanted, but nobody in the CRM is matched yet: list it in Unresolved Activities.
    Unresolved,
    /// The admin turned write-back off.
    OffForOrg,
    /// The admin does not sync this kind.
    KindNotSynced,
    /// CRM sync is not enabled for this user.
    UserNotEnabled,
    /// The user turned the item's toggle off.
    ToggleOff,
    /// The never-log list names its person or record.
    NeverLogged,
}

/// The state a new item's toggle starts in: the user's last choice for the kind, else the
/// org default. `None` when the toggle is not offered at all (org off, kind not synced, user
/// not enabled), so the panel shows why instead of a switch that does nothing.
pub fn toggle_default(org: &WriteBackSettings, user: &UserSync, kind: ItemKind) -> Option<bool> {
    if !org.write_back || !org.kinds.allows(kind) || !user.enabled {
        return None;
    }
    Some(
        user.last_choice
            .get(&kind)
            .copied()
            .unwrap_or(org_toggle(org)),
    )
}

fn org_toggle(org: &WriteBackSettings) -> bool {
    org.toggle_default_on
}

/// Whether this item is written. Policy first (org, kind, user), then the user's toggle,
/// then the match: a wanted item without a match waits as unresolved.
pub fn decide(
    org: &WriteBackSettings,
    user: &UserSync,
    kind: ItemKind,
    toggle_on: bool,
    status: MatchStatus,
) -> WriteDecision {
    if !org.write_back {
        WriteDecision::OffForOrg
    } else if !org.kinds.allows(kind) {
        WriteDecision::KindNotSynced
    } else if !user.enabled {
        WriteDecision::UserNotEnabled
    } else if !toggle_on {
        WriteDecision::ToggleOff
    } else if status == MatchStatus::Unresolved {
        WriteDecision::Unresolved
    } else {
        WriteDecision::Write
    }
}

/// The never-log list stops an item that would be written or wait for a match; an item
/// kept local for another reason keeps that reason (the user or the admin chose it).
pub fn never_log_gate(decision: WriteDecision, never_logged: bool) -> WriteDecision {
    match decision {
        WriteDecision::Write | WriteDecision::Unresolved if never_logged => {
            WriteDecision::NeverLogged
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_never_log_list_stops_what_would_be_written_or_wait_and_nothing_else() {
        use WriteDecision::*;
        assert_eq!(never_log_gate(Write, true), NeverLogged);
        assert_eq!(never_log_gate(Unresolved, true), NeverLogged);
        for kept in [OffForOrg, KindNotSynced, UserNotEnabled, ToggleOff] {
            assert_eq!(never_log_gate(kept, true), kept);
        }
        assert_eq!(never_log_gate(Write, false), Write);
    }

    /// One row of the specification: `None` matches either value of that input.
    struct Rule {
        write_back: Option<bool>,
        kind_allowed: Option<bool>,
        user_enabled: Option<bool>,
        toggle_on: Option<bool>,
        matched: Option<bool>,
        expect: WriteDecision,
    }

    const fn rule(
        write_back: Option<bool>,
        kind_allowed: Option<bool>,
        user_enabled: Option<bool>,
        toggle_on: Option<bool>,
        matched: Option<bool>,
        expect: WriteDecision,
    ) -> Rule {
        Rule {
            write_back,
            kind_allowed,
            user_enabled,
            toggle_on,
            matched,
            expect,
        }
    }

    const T: Option<bool> = Some(true);
    const F: Option<bool> = Some(false);
    const ANY: Option<bool> = None;

    /// The specification, written independently of `decide`'s order of checks; every
    /// combination must match exactly one row.
    const SPEC: [Rule; 6] = [
        rule(F, ANY, ANY, ANY, ANY, WriteDecision::OffForOrg),
        rule(T, F, ANY, ANY, ANY, WriteDecision::KindNotSynced),
        rule(T, T, F, ANY, ANY, WriteDecision::UserNotEnabled),
        rule(T, T, T, F, ANY, WriteDecision::ToggleOff),
        rule(T, T, T, T, F, WriteDecision::Unresolved),
        rule(T, T, T, T, T, WriteDecision::Write),
    ];

    fn fits(want: Option<bool>, have: bool) -> bool {
        want.is_none_or(|w| w == have)
    }

    #[test]
    fn every_combination_follows_exactly_one_rule() {
        let bools = [false, true];
        let mut checked = 0;
        for kind in ItemKind::ALL {
            for write_back in bools {
                for kind_allowed in bools {
                    for user_enabled in bools {
                        for toggle_on in bools {
                            for matched in bools {
                                let others: BTreeSet<ItemKind> =
                                    ItemKind::ALL.into_iter().filter(|k| *k != kind).collect();
                                let kinds = if kind_allowed {
                                    KindSelection::Only([kind].into())
                                } else {
                                    KindSelection::Only(others)
                                };
                                let org = WriteBackSettings {
                                    write_back,
                                    kinds,
                                    toggle_default_on: true,
                                };
                                let user = UserSync {
                                    enabled: user_enabled,
                                    last_choice: BTreeMap::new(),
                                };
                                let status = if matched {
                                    MatchStatus::Matched
                                } else {
                                    MatchStatus::Unresolved
                                };
                                let rows: Vec<&Rule> = SPEC
                                    .iter()
                                    .filter(|r| {
                                        fits(r.write_back, write_back)
                                            && fits(r.kind_allowed, kind_allowed)
                                            && fits(r.user_enabled, user_enabled)
                                            && fits(r.toggle_on, toggle_on)
                                            && fits(r.matched, matched)
                                    })
                                    .collect();
                                assert_eq!(rows.len(), 1, "{kind:?} {write_back} {kind_allowed} {user_enabled} {toggle_on} {matched}");
                                assert_eq!(
                                    decide(&org, &user, kind, toggle_on, status),
                                    rows[0].expect
                                );
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 5 * 32);
    }

    #[test]
    fn sync_all_allows_every_kind() {
        let org = WriteBackSettings::default();
        let user = UserSync {
            enabled: true,
            ..UserSync::default()
        };
        for kind in ItemKind::ALL {
            assert_eq!(
                decide(&org, &user, kind, true, MatchStatus::Matched),
                WriteDecision::Write
            );
        }
    }

    #[test]
    fn toggle_starts_from_the_users_last_choice_then_the_org_default() {
        let mut org = WriteBackSettings {
            toggle_default_on: false,
            ..WriteBackSettings::default()
        };
        let mut user = UserSync {
            enabled: true,
            ..UserSync::default()
        };
        assert_eq!(toggle_default(&org, &user, ItemKind::Note), Some(false));
        user.last_choice.insert(ItemKind::Note, true);
        assert_eq!(toggle_default(&org, &user, ItemKind::Note), Some(true));
        assert_eq!(
            toggle_default(&org, &user, ItemKind::Call),
            Some(false),
            "choices are per kind"
        );
        org.kinds = KindSelection::Only([ItemKind::Call].into());
        assert_eq!(
            toggle_default(&org, &user, ItemKind::Note),
            None,
            "no toggle for a kind that never syncs"
        );
        org.write_back = false;
        assert_eq!(toggle_default(&org, &user, ItemKind::Call), None);
        org.write_back = true;
        user.enabled = false;
        assert_eq!(toggle_default(&org, &user, ItemKind::Call), None);
    }

    #[test]
    fn synced_kinds_are_the_selected_ones_and_none_when_write_back_is_off() {
        let mut org = WriteBackSettings {
            kinds: KindSelection::Only([ItemKind::Call, ItemKind::Note].into()),
            ..WriteBackSettings::default()
        };
        assert_eq!(org.synced_kinds(), vec![ItemKind::Note, ItemKind::Call]);
        org.write_back = false;
        assert!(org.synced_kinds().is_empty());
    }

    #[test]
    fn settings_read_from_policy_json() {
        let org: WriteBackSettings = serde_json::from_str(r#"{"writeBack":true,"kinds":{"mode":"only","kinds":["inMail","call"]},"toggleDefaultOn":false}"#).unwrap();
        assert!(org.kinds.allows(ItemKind::Call));
        assert!(!org.kinds.allows(ItemKind::Note));
        let all: WriteBackSettings = serde_json::from_str(
            r#"{"writeBack":true,"kinds":{"mode":"all"},"toggleDefaultOn":true}"#,
        )
        .unwrap();
        assert_eq!(all.kinds, KindSelection::All);
    }
}
