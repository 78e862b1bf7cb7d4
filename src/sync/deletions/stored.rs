//! How a [`Phase`] is stored in the sync's checkpoint: one flat record with the phase's name.
//! An enum of five shapes costs the background wasm a decoder per shape; one shape costs one.

use serde::{Deserialize, Serialize};

use super::Phase;

/// Which phase a record is.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum At {
    #[default]
    Deleted,
    Delta,
    DeltaPages,
    Ids,
    Sweep,
}

/// A phase as stored: the fields its kind uses, the others at their defaults.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PhaseRecord {
    pub at: At,
    pub start: String,
    pub end: String,
    /// Where a reconcile counts from (Salesforce).
    pub since: String,
    pub links: Vec<Option<String>>,
    pub pending: Vec<(usize, String)>,
    pub object: usize,
    pub next: Option<String>,
    pub pages: u32,
    pub tracked: bool,
    pub reconciled_at: Option<u64>,
}

impl From<Phase> for PhaseRecord {
    fn from(phase: Phase) -> PhaseRecord {
        let base = PhaseRecord::default();
        match phase {
            Phase::Deleted {
                start,
                end,
                reconcile_since,
            } => PhaseRecord {
                at: At::Deleted,
                start,
                end,
                since: reconcile_since,
                ..base
            },
            Phase::Delta {
                links,
                reconciled_at,
            } => PhaseRecord {
                at: At::Delta,
                links,
                reconciled_at,
                ..base
            },
            Phase::DeltaPages {
                pending,
                links,
                reconciled_at,
            } => PhaseRecord {
                at: At::DeltaPages,
                pending,
                links,
                reconciled_at,
                ..base
            },
            Phase::Ids {
                object,
                next,
                pages,
                since,
                links,
                tracked,
            } => PhaseRecord {
                at: At::Ids,
                object,
                next,
                pages,
                since,
                links,
                tracked,
                ..base
            },
            Phase::Sweep {
                pages,
                since,
                links,
            } => PhaseRecord {
                at: At::Sweep,
                pages,
                since,
                links,
                ..base
            },
        }
    }
}

impl From<PhaseRecord> for Phase {
    fn from(r: PhaseRecord) -> Phase {
        match r.at {
            At::Deleted => Phase::Deleted {
                start: r.start,
                end: r.end,
                reconcile_since: r.since,
            },
            At::Delta => Phase::Delta {
                links: r.links,
                reconciled_at: r.reconciled_at,
            },
            At::DeltaPages => Phase::DeltaPages {
                pending: r.pending,
                links: r.links,
                reconciled_at: r.reconciled_at,
            },
            At::Ids => Phase::Ids {
                object: r.object,
                next: r.next,
                pages: r.pages,
                since: r.since,
                links: r.links,
                tracked: r.tracked,
            },
            At::Sweep => Phase::Sweep {
                pages: r.pages,
                since: r.since,
                links: r.links,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phase_survives_the_checkpoint() {
        let links = vec![
            Some("https://x/api/data/v9.2/contacts?$deltatoken=1".into()),
            None,
        ];
        for phase in [
            Phase::Deleted {
                start: "a".into(),
                end: "b".into(),
                reconcile_since: "c".into(),
            },
            Phase::Delta {
                links: links.clone(),
                reconciled_at: Some(5),
            },
            Phase::DeltaPages {
                pending: vec![(1, "u".into())],
                links: links.clone(),
                reconciled_at: None,
            },
            Phase::Ids {
                object: 2,
                next: Some("n".into()),
                pages: 3,
                since: "s".into(),
                links: links.clone(),
                tracked: true,
            },
            Phase::Sweep {
                pages: 4,
                since: "s".into(),
                links,
            },
        ] {
            let stored = serde_json::to_string(&phase).unwrap();
            assert_eq!(
                serde_json::from_str::<Phase>(&stored).unwrap(),
                phase,
                "{stored}"
            );
        }
    }
}
