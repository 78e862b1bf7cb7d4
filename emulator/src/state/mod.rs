//! The emulated orgs' state: the database, sessions, both schemas with their custom fields,
//! query cursors, rules, injected faults, request budgets, page latency and the request log.
//! Nothing here
//! knows HTTP; the router and the products' handlers (the rest of the crate) read and change
//! it through `Emulator`.

pub mod admin;
pub mod bulk_jobs;
pub mod change_log;
pub mod db;
pub mod dynamics;
pub mod faults;
pub mod limits;
pub mod locks;
pub mod merge;
pub mod org;
pub mod page_latency;
pub mod refusals;
pub mod request_log;
pub mod rules;
pub mod salesforce;
pub mod seed;
pub mod sessions;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use serde_json::Value;

use db::{Crm, Db};
use dynamics::schema::Schema as DynSchema;
use faults::Fault;
use limits::Limits;
use locks::{lock, read, write};
pub use org::Org;
use page_latency::PageLatency;
use refusals::{Refusal, RefusalRule};
use request_log::RequestLog;
use rules::Rules;
use salesforce::schema::Schema as SfSchema;
use seed::Seed;
use sessions::{SessionKind, Sessions};

/// A Salesforce query's remaining rows, read page by page through `nextRecordsUrl` (A2).
pub struct Cursor {
    pub records: Vec<Value>,
    pub batch: usize,
}

pub struct Emulator {
    db: Mutex<Db>,
    pub sessions: Sessions,
    pub org: Org,
    sf_schema: RwLock<Arc<SfSchema>>,
    dyn_schema: RwLock<Arc<DynSchema>>,
    pub cursors: Mutex<HashMap<String, Cursor>>,
    rules: RwLock<Rules>,
    pub faults: Mutex<Vec<Fault>>,
    pub refusals: Mutex<Vec<RefusalRule>>,
    pub limits: Limits,
    pub page_latency: PageLatency,
    pub request_log: RequestLog,
    pub change_log: change_log::ChangeLog,
    pub bulk_jobs: bulk_jobs::BulkJobs,
}

impl Emulator {
    pub fn new(db: Db, sessions: Sessions, org: Org) -> Emulator {
        let emu = Emulator {
            db: Mutex::new(db),
            sessions,
            org,
            sf_schema: RwLock::new(Arc::new(SfSchema::default())),
            dyn_schema: RwLock::new(Arc::new(DynSchema::default())),
            cursors: Mutex::new(HashMap::new()),
            rules: RwLock::new(Rules::default()),
            faults: Mutex::new(Vec::new()),
            refusals: Mutex::new(Vec::new()),
            limits: Limits::default(),
            page_latency: PageLatency::default(),
            request_log: RequestLog::default(),
            change_log: change_log::ChangeLog::default(),
            bulk_jobs: bulk_jobs::BulkJobs::default(),
        };
        emu.reload_schemas();
        emu
    }

    pub fn db(&self) -> MutexGuard<'_, Db> {
        lock(&self.db)
    }

    pub fn sf_schema(&self) -> Arc<SfSchema> {
        read(&self.sf_schema)
    }

    pub fn set_sf_schema(&self, schema: SfSchema) {
        write(&self.sf_schema, Arc::new(schema));
    }

    pub fn dyn_schema(&self) -> Arc<DynSchema> {
        read(&self.dyn_schema)
    }

    pub fn set_dyn_schema(&self, schema: DynSchema) {
        write(&self.dyn_schema, Arc::new(schema));
    }

    pub fn rules(&self) -> Rules {
        read(&self.rules)
    }

    pub fn set_rules(&self, rules: Rules) {
        write(&self.rules, rules);
    }

    /// Switches one rule on or off; false when there is no rule of that name.
    pub fn switch_rule(&self, name: &str, active: bool) -> bool {
        self.rules
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .set_active(name, active)
    }

    /// Rebuilds both schemas from the standard ones plus custom fields stored in the database.
    pub fn reload_schemas(&self) {
        let db = self.db();
        let sf = salesforce::custom_fields::load_schema(&db);
        let dy = dynamics::custom_attributes::load_schema(&db);
        drop(db);
        self.set_sf_schema(sf);
        self.set_dyn_schema(dy);
    }

    /// A Salesforce org with or without Lightning notes (ContentNote and ContentDocumentLink):
    /// orgs that never enabled them have classic Notes only.
    pub fn set_lightning_notes(&self, enabled: bool) {
        self.reload_schemas();
        if !enabled {
            let mut schema = (*self.sf_schema()).clone();
            schema
                .objects
                .retain(|o| !matches!(o.name.as_str(), "ContentNote" | "ContentDocumentLink"));
            self.set_sf_schema(schema);
        }
    }

    /// Empties and reseeds both orgs, or only `scope`'s, and forgets what belongs to them
    /// (see `reset_state` and `reset_crm_state`).
    pub fn reset(&self, seed: Seed, scope: Option<Crm>) -> rusqlite::Result<()> {
        let result = match scope {
            None => {
                self.reset_state();
                let db = self.db();
                db.clear().and_then(|_| seed::apply(&db, seed))
            }
            Some(crm) => {
                self.reset_crm_state(crm);
                let db = self.db();
                db.clear_crm(crm)
                    .and_then(|_| seed::apply_crm(&db, seed, crm))
            }
        };
        self.reload_schemas();
        result
    }

    /// Back to a fresh org: no sessions, cursors, faults, log, spent limits or page latency;
    /// default rules.
    fn reset_state(&self) {
        self.sessions.expire_all();
        lock(&self.cursors).clear();
        self.bulk_jobs.clear();
        lock(&self.faults).clear();
        lock(&self.refusals).clear();
        self.request_log.clear();
        self.set_rules(Rules::default());
        self.limits.reset_salesforce();
        self.limits.reset_dynamics();
        self.page_latency.set(Crm::Salesforce, 0);
        self.page_latency.set(Crm::Dynamics, 0);
        self.change_log.reset_salesforce();
        self.change_log.reset_dataverse();
    }

    /// Back to a fresh org for one CRM only: its sessions, rules, limits and page latency; the
    /// other CRM, faults and the request log stay (client checks of both CRMs may run side by
    /// side).
    fn reset_crm_state(&self, crm: Crm) {
        self.page_latency.set(crm, 0);
        lock(&self.refusals).retain(|r| r.refusal.crm_key() != crm.key());
        match crm {
            Crm::Salesforce => {
                self.sessions.expire_where(|k| k != SessionKind::Dynamics);
                lock(&self.cursors).clear();
                self.bulk_jobs.clear();
                self.limits.reset_salesforce();
                self.change_log.reset_salesforce();
            }
            Crm::Dynamics => {
                self.sessions.expire_where(|k| k == SessionKind::Dynamics);
                self.limits.reset_dynamics();
                self.change_log.reset_dataverse();
            }
        }
        let defaults = Rules::default();
        let mut rules = self.rules.write().unwrap_or_else(|p| p.into_inner());
        rules.validation.retain(|r| r.crm != crm.key());
        rules.duplicate.retain(|r| r.crm != crm.key());
        rules.validation.extend(
            defaults
                .validation
                .into_iter()
                .filter(|r| r.crm == crm.key()),
        );
        rules.duplicate.extend(
            defaults
                .duplicate
                .into_iter()
                .filter(|r| r.crm == crm.key()),
        );
    }

    /// Why `user_id`'s API calls to `crm` are refused, if they are.
    pub fn refusal(&self, crm: Crm, user_id: &str) -> Option<Refusal> {
        refusals::find(&lock(&self.refusals), crm.key(), user_id)
    }

    /// The user id for a username and password, if they match.
    pub fn check_password(&self, crm: Crm, username: &str, password: &str) -> Option<String> {
        let (object, field) = match crm {
            Crm::Salesforce => ("User", "Username"),
            Crm::Dynamics => ("systemuser", "internalemailaddress"),
        };
        let (id, fields) = self.db().find_by(crm, object, field, username).ok()??;
        (fields.get("Password").and_then(Value::as_str) == Some(password)).then_some(id)
    }

    /// sObject names are case-insensitive; answers use the canonical spelling.
    pub fn canonical_object_name(&self, object: &str) -> String {
        self.sf_schema()
            .object(object)
            .map(|o| o.name.clone())
            .unwrap_or_else(|| object.to_string())
    }
}
