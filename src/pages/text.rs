//! What a page says, before it is translated: a `_locales` message with its substitutions,
//! or text shown as it is. The pages' models build [`Text`]; the views translate it with the
//! extension's `i18n.getMessage`, so the model decides every word and is tested natively.

/// A `_locales` message named `key`, its `$1`, `$2`, … filled with the given texts (which
/// are translated first). `msg!("skipLine", 28, msg!("skipDuplicate", 5))`.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $sub:expr)* $(,)?) => {
        $crate::pages::Text::Msg($key, vec![$($crate::pages::Text::from($sub)),*])
    };
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// A `_locales` message and its substitutions.
    Msg(&'static str, Vec<Text>),
    /// Numbers, and what the user, a file or the CRM said: shown as it is.
    Plain(String),
    /// The non-empty ones of these, with `separator` between them (`Contact · acme.com`).
    Joined(&'static str, Vec<Text>),
}

/// A `_locales` message without substitutions, where a constant needs one.
pub const fn key(key: &'static str) -> Text {
    Text::Msg(key, Vec::new())
}

impl Text {
    pub fn joined(separator: &'static str, parts: impl IntoIterator<Item = Text>) -> Text {
        Text::Joined(separator, parts.into_iter().collect())
    }

    /// The text in the reader's language; `translate(key, substitutions)` is
    /// `i18n.getMessage`.
    pub fn render(&self, translate: &dyn Fn(&str, &[&str]) -> String) -> String {
        match self {
            Text::Plain(text) => text.clone(),
            Text::Msg(key, subs) => {
                let subs: Vec<String> = subs.iter().map(|s| s.render(translate)).collect();
                let subs: Vec<&str> = subs.iter().map(String::as_str).collect();
                translate(key, &subs)
            }
            Text::Joined(separator, parts) => parts
                .iter()
                .map(|p| p.render(translate))
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(separator),
        }
    }
}

/// The words the core gives a failure (`src/answer.rs`).
impl From<crate::answer::Words> for Text {
    fn from(words: crate::answer::Words) -> Text {
        Text::Msg(
            words.key,
            words.detail.into_iter().map(Text::Plain).collect(),
        )
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::Plain(text.to_string())
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text::Plain(text)
    }
}

impl From<usize> for Text {
    fn from(n: usize) -> Text {
        Text::Plain(n.to_string())
    }
}

impl From<&usize> for Text {
    fn from(n: &usize) -> Text {
        Text::Plain(n.to_string())
    }
}

/// The English the extension ships, as `i18n.getMessage` fills it: for tests of what a page
/// says. Panics on a message that does not exist.
#[cfg(test)]
pub fn english(text: &Text) -> String {
    use std::collections::HashMap;
    use std::sync::OnceLock;

    static MESSAGES: OnceLock<HashMap<String, String>> = OnceLock::new();
    let messages = MESSAGES.get_or_init(|| {
        let json: HashMap<String, serde_json::Value> =
            serde_json::from_str(include_str!("../../extension/_locales/en/messages.json"))
                .unwrap();
        json.into_iter()
            .map(|(k, v)| (k, v["message"].as_str().unwrap().to_string()))
            .collect()
    });
    text.render(&|key, subs| {
        let mut message = messages
            .get(key)
            .unwrap_or_else(|| panic!("no message {key}"))
            .clone();
        // `$10` never occurs: the longest message has four substitutions.
        for (i, sub) in subs.iter().enumerate().rev() {
            message = message.replace(&format!("${}", i + 1), sub);
        }
        message
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutions_are_translated_then_filled_in() {
        let text = msg!("skipLine", 28usize, msg!("skipDuplicate", 5usize));
        assert_eq!(english(&text), "Line 28: the same profile as line 5");
    }

    #[test]
    fn joined_parts_skip_the_empty_ones() {
        let text = Text::joined(
            " · ",
            [msg!("recordType_Contact"), "".into(), "acme".into()],
        );
        assert_eq!(english(&text), "Contact · acme");
    }
}
