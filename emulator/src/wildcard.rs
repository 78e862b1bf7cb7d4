//! Wildcard matching shared by SOQL `LIKE`, SOSL terms and OData `contains`/`startswith`:
//! iterative, backtracking only to the last "any run" token, so it stays near-linear whatever
//! the pattern (a hostile pattern cannot make the emulator spin).

/// One pattern token: either "any run of characters" (`%`, `*`) or a one-character test.
pub trait Token {
    fn is_any_run(&self) -> bool;
    /// Whether this (non-run) token accepts `c`.
    fn accepts(&self, c: char) -> bool;
}

pub fn matches<T: Token>(text: &[char], pattern: &[T]) -> bool {
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(tok) if tok.is_any_run() => {
                star = Some((p, t));
                p += 1;
            }
            Some(tok) if tok.accepts(text[t]) => {
                t += 1;
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(Token::is_any_run)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `*` any run, `?` one character, anything else itself.
    struct Glob(char);

    impl Token for Glob {
        fn is_any_run(&self) -> bool {
            self.0 == '*'
        }
        fn accepts(&self, c: char) -> bool {
            self.0 == '?' || self.0 == c
        }
    }

    fn glob(text: &str, pattern: &str) -> bool {
        let text: Vec<char> = text.chars().collect();
        let pattern: Vec<Glob> = pattern.chars().map(Glob).collect();
        matches(&text, &pattern)
    }

    #[test]
    fn runs_single_characters_and_backtracking() {
        assert!(glob("acme corporation", "acme*"));
        assert!(glob("acme corporation", "*corp*"));
        assert!(glob("abcabd", "*abd"));
        assert!(glob("x", "?"));
        assert!(glob("", "**"));
        assert!(!glob("acme", "acme?"));
        assert!(!glob("acme", "*x*"));
    }

    #[test]
    fn hostile_patterns_stay_fast() {
        let text: String = "a".repeat(5000);
        assert!(!glob(&text, &format!("{}b", "*a".repeat(200))));
    }
}
