//! Public data types: what the extension passes in and gets back.

use serde::{Deserialize, Serialize};

/// A person: a professional-network profile or a CRM Contact/Lead.
/// Every field but `id` is optional; empty strings count as missing.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Person {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub phone: Option<String>,
    pub profile_url: Option<String>,
}

/// A company: a profile's employer page or a CRM Account.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Company {
    pub id: String,
    pub name: Option<String>,
    /// Website or e-mail domain (`acme.com`, `https://www.acme.de/`).
    pub domain: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
}

/// A compared field.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    FirstName,
    LastName,
    Email,
    Phone,
    ProfileUrl,
    Company,
    Title,
    City,
    Country,
}

pub const N_FIELDS: usize = 9;

impl Field {
    pub const ALL: [Field; N_FIELDS] = [
        Field::FirstName,
        Field::LastName,
        Field::Email,
        Field::Phone,
        Field::ProfileUrl,
        Field::Company,
        Field::Title,
        Field::City,
        Field::Country,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::ProfileUrl => "profile_url",
            Field::Company => "company",
            Field::Title => "title",
            Field::City => "city",
            Field::Country => "country",
        }
    }

    /// Wording for the English summary.
    pub fn label(self) -> &'static str {
        match self {
            Field::FirstName => "first name",
            Field::LastName => "last name",
            Field::ProfileUrl => "profile URL",
            other => other.name(),
        }
    }
}

/// How well one field agrees (Fellegi–Sunter comparison level).
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Equal after normalisation.
    Exact,
    /// Equivalent given names (Bob/Robert).
    Nickname,
    /// Close: typo, phonetic, partial or related (company ↔ e-mail domain).
    Fuzzy,
    /// An initial that fits the full name.
    Initial,
    /// Both present and different.
    Disagree,
    /// Absent on at least one side: no evidence either way.
    Missing,
}

pub const N_LEVELS: usize = 6;

impl Level {
    pub fn index(self) -> usize {
        self as usize
    }
    pub fn name(self) -> &'static str {
        match self {
            Level::Exact => "exact",
            Level::Nickname => "nickname",
            Level::Fuzzy => "fuzzy",
            Level::Initial => "initial",
            Level::Disagree => "disagree",
            Level::Missing => "missing",
        }
    }
}

/// The three-way decision shown as the badge.
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchLevel {
    Match,
    Possible,
    NoMatch,
}
