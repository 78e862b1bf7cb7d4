//! The emulator's database: SQLite (in memory unless `--data FILE`). Records of both CRMs are
//! rows of one table, their fields a JSON object, so every object and custom field fits.
//! Object names are stored canonically (callers resolve them through the schema first).
//! Every write takes the next version number (a row's, or a removed row's tombstone), which
//! Dataverse's change tracking answers from (CRM-APIS B18).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Crm {
    Salesforce,
    Dynamics,
}

impl Crm {
    pub fn key(self) -> &'static str {
        match self {
            Crm::Salesforce => "salesforce",
            Crm::Dynamics => "dynamics",
        }
    }

    pub fn parse(name: &str) -> Option<Crm> {
        match name {
            "salesforce" => Some(Crm::Salesforce),
            "dynamics" => Some(Crm::Dynamics),
            _ => None,
        }
    }
}

pub struct Db {
    conn: Connection,
    /// Parsed rows per object, so queries do not re-parse JSON; a write drops its object's entry.
    cache: RefCell<RowCache>,
    /// The version the last write took.
    version: Cell<i64>,
}

pub type Fields = Map<String, Value>;

type RowCache = HashMap<(Crm, String), CachedRows>;

/// An object's parsed rows, and where each id sits: built on the first write, so a write to a
/// million-row object (a bulk update) does not scan them all.
struct CachedRows {
    rows: Arc<Vec<Row>>,
    at: Option<HashMap<String, usize>>,
}

/// A stored row: its object, id, fields, and whether it sits in the recycle bin.
#[derive(Debug, Clone)]
pub struct Row {
    pub object: String,
    pub id: String,
    pub fields: Fields,
    pub deleted: bool,
    /// The version of the row's last write.
    pub version: i64,
}

impl Db {
    pub fn open(path: Option<&std::path::Path>) -> rusqlite::Result<Db> {
        let conn = match path {
            Some(p) => Connection::open(p)?,
            None => Connection::open_in_memory()?,
        };
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             CREATE TABLE IF NOT EXISTS records (
                 crm TEXT NOT NULL,
                 object TEXT NOT NULL,
                 id TEXT NOT NULL,
                 fields TEXT NOT NULL,
                 deleted INTEGER NOT NULL DEFAULT 0,
                 PRIMARY KEY (crm, id)
             );
             CREATE INDEX IF NOT EXISTS records_by_object ON records (crm, object);
             CREATE TABLE IF NOT EXISTS removed (
                 crm TEXT NOT NULL,
                 object TEXT NOT NULL,
                 id TEXT NOT NULL,
                 version INTEGER NOT NULL
             );",
        )?;
        // Files written before rows had versions get the column (every row at version 0).
        let has_version = conn.prepare("SELECT version FROM records LIMIT 0").is_ok();
        if !has_version {
            conn.execute_batch(
                "ALTER TABLE records ADD COLUMN version INTEGER NOT NULL DEFAULT 0",
            )?;
        }
        let version = conn.query_row(
            "SELECT max(coalesce((SELECT max(version) FROM records), 0),
                        coalesce((SELECT max(version) FROM removed), 0))",
            [],
            |r| r.get::<_, i64>(0),
        )?;
        Ok(Db {
            conn,
            cache: RefCell::new(HashMap::new()),
            version: Cell::new(version),
        })
    }

    /// The version the next write takes.
    fn next_version(&self) -> i64 {
        self.version.set(self.version.get() + 1);
        self.version.get()
    }

    /// The version of the last write (a change-tracking token counts from it).
    pub fn version(&self) -> i64 {
        self.version.get()
    }

    /// Rows of `object` purged after `version`: `(id, version)`.
    pub fn removed_since(
        &self,
        crm: Crm,
        object: &str,
        version: i64,
    ) -> rusqlite::Result<Vec<(String, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, version FROM removed WHERE crm = ?1 AND object = ?2 AND version > ?3 \
             ORDER BY version",
        )?;
        let rows = stmt.query_map(params![crm.key(), object, version], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        rows.collect()
    }

    pub fn insert(
        &self,
        crm: Crm,
        object: &str,
        id: &str,
        fields: &Fields,
    ) -> rusqlite::Result<()> {
        self.forget(crm, object);
        let version = self.next_version();
        self.conn
            .prepare_cached(
                "INSERT INTO records (crm, object, id, fields, version) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![crm.key(), object, id, to_json(fields), version])
            .map(drop)
    }

    /// Replaces a record's fields.
    pub fn update(&self, crm: Crm, id: &str, fields: &Fields) -> rusqlite::Result<()> {
        let version = self.next_version();
        self.conn
            .prepare_cached(
                "UPDATE records SET fields = ?3, version = ?4 WHERE crm = ?1 AND id = ?2",
            )?
            .execute(params![crm.key(), id, to_json(fields), version])?;
        self.patch_cached(crm, id, |row| {
            row.fields = fields.clone();
            row.version = version;
        })
    }

    /// Moves a record to the recycle bin (Salesforce) or removes it (`purge`, leaving a
    /// tombstone at the next version).
    pub fn delete(&self, crm: Crm, id: &str, purge: bool) -> rusqlite::Result<()> {
        let version = self.next_version();
        if purge {
            self.forget_row(crm, id)?;
            self.conn
                .prepare_cached(
                    "INSERT INTO removed (crm, object, id, version) \
                     SELECT crm, object, id, ?3 FROM records WHERE crm = ?1 AND id = ?2",
                )?
                .execute(params![crm.key(), id, version])?;
            self.conn
                .prepare_cached("DELETE FROM records WHERE crm = ?1 AND id = ?2")?
                .execute(params![crm.key(), id])
                .map(drop)
        } else {
            self.conn
                .prepare_cached(
                    "UPDATE records SET deleted = 1, version = ?3 WHERE crm = ?1 AND id = ?2",
                )?
                .execute(params![crm.key(), id, version])?;
            self.patch_cached(crm, id, |row| {
                row.deleted = true;
                row.version = version;
            })
        }
    }

    /// Empties the recycle bin of `crm` (what is purged is gone for good, tombstones too).
    pub fn purge_deleted(&self, crm: Crm) -> rusqlite::Result<usize> {
        self.invalidate();
        self.conn.execute(
            "DELETE FROM records WHERE crm = ?1 AND deleted = 1",
            params![crm.key()],
        )
    }

    /// Any row by id, whatever its object, deleted or not.
    pub fn row(&self, crm: Crm, id: &str) -> rusqlite::Result<Option<Row>> {
        self.conn
            .prepare_cached(
                "SELECT object, id, fields, deleted, version FROM records WHERE crm = ?1 AND id = ?2",
            )?
            .query_row(params![crm.key(), id], read_row)
            .optional()
    }

    /// A live record of `object` by id.
    pub fn get(&self, crm: Crm, object: &str, id: &str) -> rusqlite::Result<Option<Fields>> {
        Ok(self
            .row(crm, id)?
            .filter(|r| !r.deleted && r.object.eq_ignore_ascii_case(object))
            .map(|r| r.fields))
    }

    fn invalidate(&self) {
        self.cache.borrow_mut().clear();
    }

    /// Drops one object's cached rows (writes elsewhere keep theirs).
    fn forget(&self, crm: Crm, object: &str) {
        self.cache.borrow_mut().remove(&(crm, object.to_string()));
    }

    fn forget_row(&self, crm: Crm, id: &str) -> rusqlite::Result<()> {
        if let Some(object) = self.object_of(crm, id)? {
            self.forget(crm, &object);
        }
        Ok(())
    }

    fn object_of(&self, crm: Crm, id: &str) -> rusqlite::Result<Option<String>> {
        self.conn
            .prepare_cached("SELECT object FROM records WHERE crm = ?1 AND id = ?2")?
            .query_row(params![crm.key(), id], |r| r.get(0))
            .optional()
    }

    /// Changes a written row in its object's cached rows, if they are cached: an org of
    /// 100,000 Contacts is not parsed again after each edit (a real org reads its index).
    fn patch_cached(
        &self,
        crm: Crm,
        id: &str,
        change: impl FnOnce(&mut Row),
    ) -> rusqlite::Result<()> {
        let Some(object) = self.object_of(crm, id)? else {
            return Ok(());
        };
        let key = (crm, object);
        let mut cache = self.cache.borrow_mut();
        let Some(CachedRows { rows, at }) = cache.get_mut(&key) else {
            return Ok(());
        };
        let at = at.get_or_insert_with(|| {
            rows.iter()
                .enumerate()
                .map(|(i, r)| (r.id.clone(), i))
                .collect()
        });
        match at.get(id).copied() {
            Some(i) => change(&mut Arc::make_mut(rows)[i]),
            // Not where it should be: parse the object again on its next read.
            None => drop(cache.remove(&key)),
        }
        Ok(())
    }

    /// Every row of an object, recycle bin included, parsed once until the next write.
    pub fn all_rows(&self, crm: Crm, object: &str) -> rusqlite::Result<Arc<Vec<Row>>> {
        let key = (crm, object.to_string());
        if let Some(hit) = self.cache.borrow().get(&key) {
            return Ok(hit.rows.clone());
        }
        let rows = Arc::new(self.rows(crm, object, true)?);
        let cached = CachedRows {
            rows: rows.clone(),
            at: None,
        };
        self.cache.borrow_mut().insert(key, cached);
        Ok(rows)
    }

    /// Live records of an object in insertion order (`with_deleted` adds the recycle bin).
    pub fn rows(&self, crm: Crm, object: &str, with_deleted: bool) -> rusqlite::Result<Vec<Row>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT object, id, fields, deleted, version FROM records \
             WHERE crm = ?1 AND object = ?2 AND (deleted = 0 OR ?3) ORDER BY rowid",
        )?;
        let rows = stmt.query_map(params![crm.key(), object, with_deleted], read_row)?;
        rows.collect()
    }

    /// The object's records in the recycle bin, in insertion order: the `deleted` resource
    /// reads only these (a delete log), so the live rows' fields are not decoded for it.
    pub fn deleted_rows(&self, crm: Crm, object: &str) -> rusqlite::Result<Vec<Row>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT object, id, fields, deleted, version FROM records \
             WHERE crm = ?1 AND object = ?2 AND deleted = 1 ORDER BY rowid",
        )?;
        let rows = stmt.query_map(params![crm.key(), object], read_row)?;
        rows.collect()
    }

    pub fn list(&self, crm: Crm, object: &str) -> rusqlite::Result<Vec<(String, Fields)>> {
        Ok(self
            .all_rows(crm, object)?
            .iter()
            .filter(|r| !r.deleted)
            .map(|r| (r.id.clone(), r.fields.clone()))
            .collect())
    }

    /// The first `n` live records, without copying the rest (pages show a screenful).
    pub fn list_first(
        &self,
        crm: Crm,
        object: &str,
        n: usize,
    ) -> rusqlite::Result<Vec<(String, Fields)>> {
        Ok(self
            .all_rows(crm, object)?
            .iter()
            .filter(|r| !r.deleted)
            .take(n)
            .map(|r| (r.id.clone(), r.fields.clone()))
            .collect())
    }

    /// Live records whose object matches case-insensitively (for the control API).
    pub fn list_ci(&self, crm: Crm, object: &str) -> rusqlite::Result<Vec<(String, Fields)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT object, id, fields, deleted, version FROM records \
             WHERE crm = ?1 AND lower(object) = lower(?2) AND deleted = 0 ORDER BY rowid",
        )?;
        let rows = stmt.query_map(params![crm.key(), object], read_row)?;
        rows.map(|r| r.map(|r| (r.id, r.fields))).collect()
    }

    /// The id of a live record whose `field` holds exactly `value` (uniqueness checks).
    pub fn id_with(
        &self,
        crm: Crm,
        object: &str,
        field: &str,
        value: &Value,
    ) -> rusqlite::Result<Option<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM records WHERE crm = ?1 AND object = ?2 AND deleted = 0 \
             AND json_extract(fields, '$.' || ?3) = json_extract(?4, '$') LIMIT 1",
        )?;
        let mut rows = stmt.query(params![crm.key(), object, field, value.to_string()])?;
        rows.next()?.map(|r| r.get(0)).transpose()
    }

    /// Finds a record by a string field value (exact), e.g. a user by Username.
    pub fn find_by(
        &self,
        crm: Crm,
        object: &str,
        field: &str,
        value: &str,
    ) -> rusqlite::Result<Option<(String, Fields)>> {
        Ok(self
            .list(crm, object)?
            .into_iter()
            .find(|(_, f)| f.get(field).and_then(Value::as_str) == Some(value)))
    }

    pub fn count(&self, crm: Crm, object: &str) -> rusqlite::Result<u64> {
        self.conn
            .query_row(
                "SELECT count(*) FROM records WHERE crm = ?1 AND object = ?2 AND deleted = 0",
                params![crm.key(), object],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as u64)
    }

    /// Removes every record of one CRM (custom field definitions included).
    pub fn clear_crm(&self, crm: Crm) -> rusqlite::Result<()> {
        self.invalidate();
        self.conn
            .execute("DELETE FROM removed WHERE crm = ?1", params![crm.key()])?;
        self.conn
            .execute("DELETE FROM records WHERE crm = ?1", params![crm.key()])
            .map(drop)
    }

    pub fn clear(&self) -> rusqlite::Result<()> {
        self.invalidate();
        self.conn.execute("DELETE FROM removed", [])?;
        self.conn.execute("DELETE FROM records", []).map(drop)
    }

    /// Starts a unit of work that [`Db::rollback`] can undo (composite `allOrNone`).
    pub fn savepoint(&self) -> rusqlite::Result<()> {
        self.conn.execute_batch("SAVEPOINT unit")
    }

    pub fn release(&self) -> rusqlite::Result<()> {
        self.conn.execute_batch("RELEASE unit")
    }

    pub fn rollback(&self) -> rusqlite::Result<()> {
        self.invalidate();
        self.conn.execute_batch("ROLLBACK TO unit; RELEASE unit")
    }

    /// Runs bulk inserts in one transaction (seeding 100,000 rows takes seconds, not minutes).
    pub fn bulk<T>(&self, work: impl FnOnce(&Db) -> rusqlite::Result<T>) -> rusqlite::Result<T> {
        self.conn.execute_batch("BEGIN")?;
        match work(self) {
            Ok(v) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                self.invalidate();
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }
}

fn to_json(fields: &Fields) -> String {
    serde_json::to_string(fields).unwrap_or_else(|_| "{}".into())
}

fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let json: String = row.get(2)?;
    Ok(Row {
        object: row.get(0)?,
        id: row.get(1)?,
        fields: parse_fields(&json).unwrap_or_default(),
        deleted: row.get::<_, i64>(3)? != 0,
        version: row.get(4)?,
    })
}

fn parse_fields(json: &str) -> Option<Fields> {
    match serde_json::from_str(json).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn savepoint_rolls_back_inserts() {
        let db = Db::open(None).unwrap();
        db.savepoint().unwrap();
        db.insert(Crm::Salesforce, "Contact", "a", &Fields::new())
            .unwrap();
        db.rollback().unwrap();
        assert!(db.row(Crm::Salesforce, "a").unwrap().is_none());
    }

    #[test]
    fn cached_rows_follow_writes() {
        let db = Db::open(None).unwrap();
        let mut f = Fields::new();
        db.insert(Crm::Salesforce, "Contact", "a", &f).unwrap();
        db.insert(Crm::Salesforce, "Task", "t", &f).unwrap();
        assert_eq!(db.all_rows(Crm::Salesforce, "Contact").unwrap().len(), 1);
        let tasks = db.all_rows(Crm::Salesforce, "Task").unwrap();
        db.insert(Crm::Salesforce, "Contact", "b", &f).unwrap();
        assert_eq!(db.all_rows(Crm::Salesforce, "Contact").unwrap().len(), 2);
        assert!(
            Arc::ptr_eq(&tasks, &db.all_rows(Crm::Salesforce, "Task").unwrap()),
            "other objects stay cached"
        );
        f.insert("LastName".into(), Value::String("x".into()));
        db.update(Crm::Salesforce, "a", &f).unwrap();
        // Written behind the cache's back: a re-parse after the edit would show it.
        db.conn
            .execute(
                r#"UPDATE records SET fields = '{"LastName":"raw"}' WHERE id = 'a'"#,
                [],
            )
            .unwrap();
        assert_eq!(
            db.all_rows(Crm::Salesforce, "Contact").unwrap()[0].fields["LastName"],
            "x",
            "an edit changes the parsed rows in place"
        );
        db.savepoint().unwrap();
        f.insert("LastName".into(), Value::String("y".into()));
        db.update(Crm::Salesforce, "a", &f).unwrap();
        db.rollback().unwrap();
        assert_eq!(
            db.all_rows(Crm::Salesforce, "Contact").unwrap()[0].fields["LastName"],
            "raw",
            "a rolled-back edit leaves no patched row behind"
        );
        db.delete(Crm::Salesforce, "a", false).unwrap();
        assert!(db.all_rows(Crm::Salesforce, "Contact").unwrap()[0].deleted);
        db.savepoint().unwrap();
        db.insert(Crm::Salesforce, "Contact", "c", &f).unwrap();
        assert_eq!(db.all_rows(Crm::Salesforce, "Contact").unwrap().len(), 3);
        db.rollback().unwrap();
        assert_eq!(db.all_rows(Crm::Salesforce, "Contact").unwrap().len(), 2);
    }

    #[test]
    fn every_write_takes_a_version_and_a_purge_leaves_a_tombstone() {
        let db = Db::open(None).unwrap();
        let f = Fields::new();
        db.insert(Crm::Dynamics, "contact", "a", &f).unwrap();
        db.insert(Crm::Dynamics, "contact", "b", &f).unwrap();
        let after_inserts = db.version();
        db.update(Crm::Dynamics, "a", &f).unwrap();
        assert!(db.row(Crm::Dynamics, "a").unwrap().unwrap().version > after_inserts);
        db.delete(Crm::Dynamics, "b", true).unwrap();
        assert_eq!(
            db.removed_since(Crm::Dynamics, "contact", after_inserts)
                .unwrap(),
            vec![("b".to_string(), db.version())]
        );
        assert!(db
            .removed_since(Crm::Dynamics, "contact", db.version())
            .unwrap()
            .is_empty());
    }

    #[test]
    fn deleted_rows_leave_listings() {
        let db = Db::open(None).unwrap();
        db.insert(Crm::Salesforce, "Contact", "a", &Fields::new())
            .unwrap();
        db.delete(Crm::Salesforce, "a", false).unwrap();
        assert!(db.list(Crm::Salesforce, "Contact").unwrap().is_empty());
        assert!(db.row(Crm::Salesforce, "a").unwrap().unwrap().deleted);
    }
}
