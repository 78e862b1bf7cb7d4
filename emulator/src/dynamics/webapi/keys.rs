//! Record keys in URL segments: `contacts(5a1b…)`, in request paths and `@odata.bind` values.

use super::error::DError;

/// `contacts(5a1b…)` → (`contacts`, Some(guid)); `contacts` → (`contacts`, None).
pub fn split_key(segment: &str) -> Result<(&str, Option<String>), DError> {
    let Some((set, rest)) = segment.split_once('(') else {
        return Ok((segment, None));
    };
    let key = rest
        .strip_suffix(')')
        .ok_or_else(|| DError::bad(format!("Bad Request - Error in query syntax: '{segment}'.")))?;
    let key = key.rsplit('=').next().unwrap_or(key);
    let key = key
        .trim_matches(|c| c == '{' || c == '}' || c == '\'')
        .to_ascii_lowercase();
    let guid_like = key.len() == 36 && key.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    if !guid_like {
        return Err(DError::bad(format!(
            "Unrecognized 'Edm.String' literal '{key}' at '0' in '{key}'."
        )));
    }
    Ok((set, Some(key)))
}
