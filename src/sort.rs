//! The core's one sort. Every `sort_by` of the standard library is a copy of its sort for
//! that element and comparator (2 to 5 KB of wasm each, a dozen of them in the background);
//! [`by`] sorts positions with one shared copy instead, then moves the items into place.
//! Numbers sort with `sort_unstable` (one copy per number type).

use std::cmp::Ordering;

/// Sorts `items` by `compare`, keeping equal items in their order (a stable sort).
pub fn by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    let order = positions(items.len(), &|a, b| compare(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// `0..len` ordered by `compare`, equal positions in their order.
pub fn positions(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_unstable_by(|&a, &b| compare(a, b).then(a.cmp(&b)));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_and_keeps_equal_items_in_their_order() {
        let mut people = vec![
            ("Ada", 2),
            ("Grace", 1),
            ("Linus", 2),
            ("Alan", 1),
            ("Edsger", 3),
        ];
        by(&mut people, |a, b| a.1.cmp(&b.1));
        assert_eq!(
            people,
            [
                ("Grace", 1),
                ("Alan", 1),
                ("Ada", 2),
                ("Linus", 2),
                ("Edsger", 3)
            ]
        );
    }

    #[test]
    fn sorts_many_and_none() {
        let mut many: Vec<u64> = (0..5_000).map(|n| (n * 7_919) % 5_003).collect();
        let mut expected = many.clone();
        expected.sort();
        by(&mut many, |a, b| a.cmp(b));
        assert_eq!(many, expected);
        let mut none: Vec<String> = Vec::new();
        by(&mut none, |a, b| a.cmp(b));
        assert!(none.is_empty());
    }

    #[test]
    fn positions_follow_the_comparison() {
        let names = ["b", "c", "a"];
        assert_eq!(positions(3, &|a, b| names[a].cmp(names[b])), [2, 0, 1]);
    }
}
