//! Countries and cities: names in several languages and ISO codes reduce to
//! one canonical form ("Deutschland", "Allemagne", "DEU" → "DE";
//! "München", "Munich", "Munique" → "munich").

use super::text::fold;

/// ISO 3166 alpha-2, alpha-3, E.164 calling code, then names (EN, FR, DE, PT, local).
pub const COUNTRIES: &[(&str, &str, &str, &[&str])] = &[
    (
        "US",
        "USA",
        "1",
        &[
            "united states",
            "united states of america",
            "us",
            "usa",
            "etats unis",
            "vereinigte staaten",
            "estados unidos",
            "eua",
            "america",
        ],
    ),
    ("CA", "CAN", "1", &["canada", "kanada", "canada"]),
    (
        "GB",
        "GBR",
        "44",
        &[
            "united kingdom",
            "uk",
            "great britain",
            "england",
            "scotland",
            "wales",
            "royaume uni",
            "angleterre",
            "vereinigtes konigreich",
            "grossbritannien",
            "reino unido",
            "inglaterra",
        ],
    ),
    (
        "IE",
        "IRL",
        "353",
        &["ireland", "irlande", "irland", "irlanda"],
    ),
    (
        "FR",
        "FRA",
        "33",
        &["france", "frankreich", "franca", "francia"],
    ),
    (
        "DE",
        "DEU",
        "49",
        &[
            "germany",
            "allemagne",
            "deutschland",
            "alemanha",
            "alemania",
        ],
    ),
    (
        "AT",
        "AUT",
        "43",
        &["austria", "autriche", "osterreich", "austria"],
    ),
    (
        "CH",
        "CHE",
        "41",
        &[
            "switzerland",
            "suisse",
            "schweiz",
            "suica",
            "suiza",
            "svizzera",
        ],
    ),
    (
        "BE",
        "BEL",
        "32",
        &["belgium", "belgique", "belgien", "belgica", "belgie"],
    ),
    (
        "NL",
        "NLD",
        "31",
        &[
            "netherlands",
            "the netherlands",
            "holland",
            "pays bas",
            "niederlande",
            "paises baixos",
            "holanda",
            "nederland",
        ],
    ),
    (
        "LU",
        "LUX",
        "352",
        &["luxembourg", "luxemburg", "luxemburgo"],
    ),
    (
        "ES",
        "ESP",
        "34",
        &["spain", "espagne", "spanien", "espanha", "espana"],
    ),
    ("PT", "PRT", "351", &["portugal"]),
    ("IT", "ITA", "39", &["italy", "italie", "italien", "italia"]),
    (
        "BR",
        "BRA",
        "55",
        &["brazil", "bresil", "brasilien", "brasil"],
    ),
    (
        "AR",
        "ARG",
        "54",
        &["argentina", "argentine", "argentinien"],
    ),
    ("MX", "MEX", "52", &["mexico", "mexique", "mexiko"]),
    ("CL", "CHL", "56", &["chile", "chili"]),
    (
        "CO",
        "COL",
        "57",
        &["colombia", "colombie", "kolumbien", "colombia"],
    ),
    (
        "PL",
        "POL",
        "48",
        &["poland", "pologne", "polen", "polonia", "polska"],
    ),
    (
        "SE",
        "SWE",
        "46",
        &["sweden", "suede", "schweden", "suecia", "sverige"],
    ),
    (
        "NO",
        "NOR",
        "47",
        &["norway", "norvege", "norwegen", "noruega", "norge"],
    ),
    (
        "DK",
        "DNK",
        "45",
        &["denmark", "danemark", "danemark", "dinamarca", "danmark"],
    ),
    (
        "FI",
        "FIN",
        "358",
        &["finland", "finlande", "finnland", "finlandia", "suomi"],
    ),
    (
        "MA",
        "MAR",
        "212",
        &["morocco", "maroc", "marokko", "marrocos"],
    ),
    ("SN", "SEN", "221", &["senegal"]),
    (
        "CI",
        "CIV",
        "225",
        &[
            "ivory coast",
            "cote d ivoire",
            "cote divoire",
            "elfenbeinkuste",
            "costa do marfim",
        ],
    ),
    ("AO", "AGO", "244", &["angola"]),
    (
        "MZ",
        "MOZ",
        "258",
        &["mozambique", "mocambique", "mosambik"],
    ),
    ("IN", "IND", "91", &["india", "inde", "indien"]),
    ("CN", "CHN", "86", &["china", "chine", "china"]),
    ("JP", "JPN", "81", &["japan", "japon", "japao"]),
    (
        "AU",
        "AUS",
        "61",
        &["australia", "australie", "australien", "australia"],
    ),
    (
        "ZA",
        "ZAF",
        "27",
        &[
            "south africa",
            "afrique du sud",
            "sudafrika",
            "africa do sul",
        ],
    ),
    (
        "SG",
        "SGP",
        "65",
        &["singapore", "singapour", "singapur", "singapura"],
    ),
];

/// Canonical ISO alpha-2 code for a country name or code, `None` if unknown.
pub fn country_code(raw: &str) -> Option<&'static str> {
    let f = fold(raw);
    if f.is_empty() {
        return None;
    }
    let upper = f.to_ascii_uppercase();
    COUNTRIES
        .iter()
        .find(|(a2, a3, _, names)| *a2 == upper || *a3 == upper || names.contains(&f.as_str()))
        .map(|(a2, ..)| *a2)
}

/// E.164 calling code of an ISO alpha-2 country.
pub fn calling_code(iso2: &str) -> Option<&'static str> {
    COUNTRIES
        .iter()
        .find(|(a2, ..)| *a2 == iso2)
        .map(|(_, _, cc, _)| *cc)
}

/// Cities whose name differs between languages: canonical, then variants.
const CITIES: &[&[&str]] = &[
    &["munich", "munchen", "munique", "monaco di baviera"],
    &["cologne", "koln", "colonia"],
    &["vienna", "wien", "vienne", "viena"],
    &["lisbon", "lisboa", "lisbonne", "lissabon"],
    &["geneva", "geneve", "genf", "genebra", "ginevra"],
    &["brussels", "bruxelles", "brussel", "brussel", "bruxelas"],
    &["london", "londres", "londra"],
    &["rome", "roma", "rom"],
    &["milan", "milano", "mailand", "milao"],
    &["warsaw", "varsovie", "warschau", "varsovia", "warszawa"],
    &["prague", "prag", "praga", "praha"],
    &[
        "copenhagen",
        "copenhague",
        "kopenhagen",
        "copenhaga",
        "kobenhavn",
    ],
    &["zurich", "zuerich"],
    &["nuremberg", "nurnberg", "nuremberga"],
    &[
        "frankfurt",
        "frankfurt am main",
        "francfort",
        "frankfurt a m",
    ],
    &["new york", "new york city", "nyc", "nova iorque"],
    &["sao paulo", "sampa"],
    &["rio de janeiro", "rio"],
    &["brasilia"],
    &["antwerp", "anvers", "antwerpen", "antuerpia"],
    &["the hague", "la haye", "den haag", "haia"],
    &["seville", "sevilla", "sevilha"],
    &["florence", "firenze", "florenz", "florenca"],
    &["venice", "venezia", "venedig", "veneza"],
    &["naples", "napoli", "neapel", "napoles"],
    &["moscow", "moscou", "moskau", "moscovo", "moskva"],
    &["athens", "athenes", "athen", "atenas"],
    &["marseille", "marseilles", "marselha"],
    &["strasbourg", "strassburg", "estrasburgo"],
    &["hanover", "hannover", "hanovre"],
    &["porto", "oporto"],
    &["montreal"],
    &["quebec", "quebec city", "ville de quebec"],
];

/// "koeln" → "koln": German ä/ö/ü are also typed as ae/oe/ue, and folding
/// already turned ä/ö/ü into a/o/u; applied to every city key so both meet.
/// "que"/"gue" (Munique, Guerra) are Romance spellings, not umlauts.
fn umlaut_digraphs(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        // Looking at the output, not the input, keeps this idempotent ("oee" → "o").
        let umlaut = c == 'e'
            && out.ends_with(['a', 'o', 'u'])
            && !out.ends_with("qu")
            && !out.ends_with("gu");
        if !umlaut {
            out.push(c);
        }
    }
    out
}

/// Canonical folded city name (the first name of its row, else the folded input).
pub fn city_key(raw: &str) -> String {
    let f = umlaut_digraphs(&fold(raw));
    let f = f
        .strip_suffix(" city")
        .filter(|_| f != "new york city" && f != "quebec city")
        .unwrap_or(&f);
    CITIES
        .iter()
        .find(|row| row.contains(&f))
        .map(|row| row[0].to_owned())
        .unwrap_or_else(|| f.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_names_and_codes() {
        for s in [
            "Germany",
            "Allemagne",
            "Deutschland",
            "DEU",
            "de",
            "Alemanha",
        ] {
            assert_eq!(country_code(s), Some("DE"), "{s}");
        }
        assert_eq!(country_code("Brésil"), Some("BR"));
        assert_eq!(country_code("États-Unis"), Some("US"));
        assert_eq!(country_code("Atlantis"), None);
        assert_eq!(calling_code("BR"), Some("55"));
    }

    #[test]
    fn city_variants() {
        assert_eq!(city_key("München"), "munich");
        assert_eq!(city_key("Munique"), "munich");
        assert_eq!(city_key("Köln"), "cologne");
        assert_eq!(city_key("Koeln"), "cologne");
        assert_eq!(city_key("Düsseldorf"), city_key("Duesseldorf"));
        assert_eq!(city_key("São Paulo"), "sao paulo");
        assert_eq!(city_key("Curitiba"), "curitiba");
        assert_eq!(city_key("New York City"), "new york");
    }
}
