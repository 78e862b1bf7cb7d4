//! `GET …/sobjects/{Object}/deleted/?start=&end=` (CRM-APIS A20): the ids of the object's
//! records deleted in the window, read from the recycle bin (a merged-away record is a
//! deleted one), with how far back the log reaches (`earliestDateAvailable`) and up to
//! where it is complete (`latestDateCovered`). Seconds are ignored; a window of a minute or
//! less, or one starting before the log's reach, is `INVALID_REPLICATION_DATE`.

use chrono::{DateTime, Duration, DurationRound, SecondsFormat, Utc};
use serde_json::{json, Value};

use super::call::{Call, Ctx};
use super::records::object_def;
use crate::http_util::Reply;
use crate::salesforce::error::SfError;
use crate::state::db::Crm;

const TOO_OLD: &str = "INVALID_REPLICATION_DATE";

fn minute(time: DateTime<Utc>) -> DateTime<Utc> {
    time.duration_trunc(Duration::minutes(1)).unwrap_or(time)
}

fn parameter(call: &Call<'_>, name: &str) -> Result<DateTime<Utc>, SfError> {
    let raw = call.query.get(name).map(String::as_str).unwrap_or_default();
    DateTime::parse_from_rfc3339(raw)
        .map(|t| minute(t.with_timezone(&Utc)))
        .map_err(|_| {
            SfError::bad(
                "INVALID_DATE_FORMAT",
                format!("{name}: the date/time must be in ISO 8601 format: {raw}"),
            )
        })
}

/// `2026-11-24T08:00:00.000+0000`, as the API writes times.
fn stamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
        .replace('Z', "+0000")
}

fn deleted_at(fields: &serde_json::Map<String, Value>) -> Option<DateTime<Utc>> {
    let text = fields.get("SystemModstamp")?.as_str()?;
    let text = text.replace("+0000", "+00:00");
    DateTime::parse_from_rfc3339(&text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

pub fn deleted(ctx: &Ctx<'_>, object: &str, call: &Call<'_>) -> Result<Reply, SfError> {
    let object = object_def(ctx, object)?;
    let (start, end) = (parameter(call, "start")?, parameter(call, "end")?);
    let now = Utc::now();
    let earliest = ctx.emu.change_log.salesforce_earliest(now);
    if end - start <= Duration::minutes(1) {
        return Err(SfError::bad(
            TOO_OLD,
            "startDate must chronologically precede endDate by more than one minute",
        ));
    }
    if start < minute(earliest) {
        return Err(SfError::bad(
            TOO_OLD,
            format!(
                "startDate is before the earliest date available: {}",
                stamp(earliest)
            ),
        ));
    }
    let covered = end.min(minute(now));
    let rows = ctx
        .db
        .deleted_rows(Crm::Salesforce, &object.name)
        .map_err(|e| SfError::bad("UNKNOWN_EXCEPTION", e.to_string()))?;
    let records: Vec<Value> = rows
        .iter()
        .filter_map(|r| Some((r, deleted_at(&r.fields)?)))
        .filter(|(_, at)| *at >= start && *at < covered + Duration::minutes(1))
        .map(|(r, at)| json!({"id": r.id, "deletedDate": stamp(at)}))
        .collect();
    Ok(Reply::ok(json!({
        "deletedRecords": records,
        "earliestDateAvailable": stamp(earliest),
        "latestDateCovered": stamp(covered),
    })))
}
