//! The emulator's database: SQLite (in memory unless `--data FILE`). Records of both CRMs are
//! rows of one table, their fields a JSON object, so every object and custom field fits.

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crm {
    Salesforce,
    Dynamics,
}

impl Crm {
    fn key(self) -> &'static str {
        match self {
            Crm::Salesforce => "salesforce",
            Crm::Dynamics => "dynamics",
        }
    }
}

pub struct Db {
    conn: Connection,
}

pub type Fields = Map<String, Value>;

impl Db {
    pub fn open(path: Option<&std::path::Path>) -> rusqlite::Result<Db> {
        let conn = match path {
            Some(p) => Connection::open(p)?,
            None => Connection::open_in_memory()?,
        };
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE IF NOT EXISTS records (
                 crm TEXT NOT NULL,
                 object TEXT NOT NULL,
                 id TEXT NOT NULL,
                 fields TEXT NOT NULL,
                 PRIMARY KEY (crm, id)
             );
             CREATE INDEX IF NOT EXISTS records_by_object ON records (crm, object);",
        )?;
        Ok(Db { conn })
    }

    pub fn insert(
        &self,
        crm: Crm,
        object: &str,
        id: &str,
        fields: &Fields,
    ) -> rusqlite::Result<()> {
        self.conn.execute(
            "INSERT INTO records (crm, object, id, fields) VALUES (?1, ?2, ?3, ?4)",
            params![
                crm.key(),
                object,
                id,
                Value::Object(fields.clone()).to_string()
            ],
        )?;
        Ok(())
    }

    /// A record by id, case-insensitively for the object name (as both CRMs treat it).
    pub fn get(&self, crm: Crm, object: &str, id: &str) -> rusqlite::Result<Option<Fields>> {
        self.conn
            .query_row(
                "SELECT fields FROM records WHERE crm = ?1 AND id = ?2 AND lower(object) = lower(?3)",
                params![crm.key(), id, object],
                |row| row.get::<_, String>(0),
            )
            .optional()
            .map(|json| json.and_then(|j| parse_fields(&j)))
    }

    pub fn list(&self, crm: Crm, object: &str) -> rusqlite::Result<Vec<(String, Fields)>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, fields FROM records WHERE crm = ?1 AND lower(object) = lower(?2) ORDER BY rowid",
        )?;
        let rows = stmt.query_map(params![crm.key(), object], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        rows.map(|r| r.map(|(id, json)| (id, parse_fields(&json).unwrap_or_default())))
            .collect()
    }

    /// Finds a user by a field value (e.g. Username), for logins.
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

    pub fn clear(&self) -> rusqlite::Result<()> {
        self.conn.execute("DELETE FROM records", []).map(drop)
    }
}

fn parse_fields(json: &str) -> Option<Fields> {
    match serde_json::from_str(json).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}
