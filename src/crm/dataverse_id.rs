//! Dataverse record ids: GUIDs, which the Web API takes as `{set}({guid})` (CRM-APIS B5) and
//! Unified Interface URLs carry as `id={GUID}` or plain, in either case (B10).

/// A checked GUID in the API's form (lower case, no braces): only [`DataverseGuid::parse`]
/// makes one, so `({guid})` in a URL is 36 hex digits and hyphens and nothing else.
/// Stored and sent as its text; read back through `parse`, so a stored value that is not a
/// GUID never becomes one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DataverseGuid(String);

impl TryFrom<String> for DataverseGuid {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        DataverseGuid::parse(&raw).ok_or_else(|| format!("not a GUID: {raw:.40}"))
    }
}

impl From<DataverseGuid> for String {
    fn from(guid: DataverseGuid) -> String {
        guid.0
    }
}

impl DataverseGuid {
    /// `8-4-4-4-12` hex digits, with or without braces, in either case.
    pub fn parse(raw: &str) -> Option<DataverseGuid> {
        let trimmed = raw.trim().trim_start_matches('{').trim_end_matches('}');
        let groups: Vec<&str> = trimmed.split('-').collect();
        let lengths_ok = groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12]);
        let hex_ok = groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()));
        (lengths_ok && hex_ok).then(|| DataverseGuid(trimmed.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for DataverseGuid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braced_upper_case_guids_become_the_api_form() {
        let guid = DataverseGuid::parse("{5A1B2C3D-0000-4E5F-8A9B-0C1D2E3F4A5B}").unwrap();
        assert_eq!(guid.as_str(), "5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b");
    }

    #[test]
    fn anything_else_is_not_a_guid() {
        for bad in [
            "",
            "nope",
            "5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b)/../accounts(",
            "5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5",
            "5a1b2c3d-0000-4e5f-8a9b-0c1d2e3f4a5g",
        ] {
            assert_eq!(DataverseGuid::parse(bad), None, "{bad}");
        }
    }
}
