//! Writes a generated profiles/records pair of CSV files for the `crm-match` scale
//! bench: `cargo bench --bench crm_match_data -- PROFILES RECORDS DIR` (release
//! build: the generator takes seconds for a million records, minutes in debug).
//! `cargo xtask bench crm-match` runs it, then times `crm-match` on the files.

#[path = "../tests/matching_gen/mod.rs"]
mod matching_gen;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let [profiles, records, dir] = args.as_slice() else {
        eprintln!("usage: crm_match_data PROFILES RECORDS DIR");
        std::process::exit(2);
    };
    let (profiles, records): (usize, usize) = (profiles.parse().unwrap(), records.parse().unwrap());
    let d = matching_gen::generate(4, records, profiles);
    std::fs::create_dir_all(dir).unwrap();
    let write = |name: &str, body: String| std::fs::write(format!("{dir}/{name}"), body).unwrap();
    write(
        "records.csv",
        matching_gen::to_csv(&d.records, matching_gen::RECORD_COLUMNS),
    );
    write(
        "profiles.csv",
        matching_gen::to_csv(&d.profiles, matching_gen::PROFILE_COLUMNS),
    );
    write("truth.csv", matching_gen::truth_csv(&d.truth));
}
