//! FNV-1a: a tiny hash that is identical natively and in wasm, so blocking
//! keys in a persisted index stay valid wherever it is reloaded.

/// Hashes `parts` with a `tag` separating key kinds; parts are 0xFF-delimited.
pub fn key(tag: u8, parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    eat(tag);
    for p in parts {
        p.iter().copied().for_each(&mut eat);
        eat(0xFF);
    }
    h
}

/// 32-bit hash of a string (phonetic keys are stored this way).
pub fn small(s: &str) -> u32 {
    if s.is_empty() {
        return 0;
    }
    let h = key(0, &[s.as_bytes()]);
    ((h >> 32) ^ h) as u32 | 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_tagged() {
        assert_eq!(key(1, &[b"a"]), key(1, &[b"a"]));
        assert_ne!(key(1, &[b"a"]), key(2, &[b"a"]));
        assert_ne!(key(1, &[b"ab", b"c"]), key(1, &[b"a", b"bc"]));
        assert_eq!(small(""), 0);
        assert_ne!(small("x"), 0);
    }
}
