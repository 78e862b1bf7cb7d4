//! Multilingual name material for the demo seed: ten countries, their people, companies and
//! job titles (accents, apostrophes, hyphens and non-Latin scripts on purpose).

pub struct Country {
    pub code: &'static str,
    pub name: &'static str,
    pub city: &'static str,
    pub tld: &'static str,
    pub first: [&'static str; 6],
    pub last: [&'static str; 6],
    /// Latin spellings for e-mail addresses where the names are not in Latin script.
    pub latin_first: Option<[&'static str; 6]>,
    pub latin_last: Option<[&'static str; 6]>,
    pub companies: [&'static str; 6],
    pub latin_companies: Option<[&'static str; 6]>,
    pub titles: [&'static str; 3],
}

pub const COUNTRIES: [Country; 10] = [
    Country {
        code: "US",
        name: "United States",
        city: "New York",
        tld: "com",
        first: ["Ada", "Grace", "James", "Emily", "Michael", "Olivia"],
        last: [
            "Lovelace",
            "Hopper",
            "Carter",
            "Nguyen",
            "O'Connor",
            "Smith-Jones",
        ],
        latin_first: None,
        latin_last: None,
        companies: [
            "Acme Corporation",
            "Globex Inc",
            "Initech LLC",
            "Umbrella Health",
            "Stark Logistics",
            "Wayne & Sons",
        ],
        latin_companies: None,
        titles: [
            "VP Sales",
            "Head of Procurement",
            "Chief Technology Officer",
        ],
    },
    Country {
        code: "DE",
        name: "Germany",
        city: "Berlin",
        tld: "de",
        first: ["Jürgen", "Anna-Lena", "Günther", "Sören", "Käthe", "Björn"],
        last: ["Weiß", "von Bülow", "Müller", "Schäfer", "Groß", "Köhler"],
        latin_first: None,
        latin_last: None,
        companies: [
            "Müller & Söhne GmbH",
            "Bäckerei Schäfer KG",
            "Größer Maschinenbau AG",
            "Köhler Logistik GmbH",
            "Weiß Elektrotechnik",
            "Nordlicht Energie GmbH",
        ],
        latin_companies: None,
        titles: ["Einkaufsleiter", "Geschäftsführerin", "Leiterin IT"],
    },
    Country {
        code: "FR",
        name: "France",
        city: "Paris",
        tld: "fr",
        first: ["Élodie", "François", "Loïc", "Hélène", "Zoé", "Gaël"],
        last: ["Lefèvre", "Dupont", "Côté", "Mercier", "d'Arcy", "Bérard"],
        latin_first: None,
        latin_last: None,
        companies: [
            "Société Générale d'Ingénierie",
            "Boulangerie Côté SARL",
            "Électricité du Rhône",
            "Hôtel Mercier",
            "Atelier Zoé",
            "Château d'Arcy",
        ],
        latin_companies: None,
        titles: [
            "Directrice des achats",
            "Responsable IT",
            "Directeur commercial",
        ],
    },
    Country {
        code: "BR",
        name: "Brazil",
        city: "São Paulo",
        tld: "com.br",
        first: [
            "João",
            "Maria Conceição",
            "Antônio",
            "Luíza",
            "Thiago",
            "Fernanda",
        ],
        last: [
            "da Silva",
            "dos Santos",
            "Gonçalves",
            "Araújo",
            "Magalhães",
            "Simões",
        ],
        latin_first: None,
        latin_last: None,
        companies: [
            "Construtora São João Ltda",
            "Açúcar Guaraná SA",
            "Magalhães Transportes",
            "Simões & Filhos",
            "Pão de Queijo Ltda",
            "Tecnologia Araújo",
        ],
        latin_companies: None,
        titles: ["Diretor Comercial", "Gerente de Compras", "Analista de TI"],
    },
    Country {
        code: "ES",
        name: "Spain",
        city: "Madrid",
        tld: "es",
        first: ["Lucía", "José", "Begoña", "Íñigo", "Nuria", "Álvaro"],
        last: ["Fernández", "Muñoz", "Ibáñez", "Peña", "Gómez", "Núñez"],
        latin_first: None,
        latin_last: None,
        companies: [
            "Peña Ingeniería SL",
            "Muñoz y Asociados",
            "Cañada Foods",
            "Logística Ibáñez",
            "Energía Núñez",
            "Talleres Gómez",
        ],
        latin_companies: None,
        titles: [
            "Directora de Compras",
            "Jefe de Ventas",
            "Responsable de TI",
        ],
    },
    Country {
        code: "IT",
        name: "Italy",
        city: "Milano",
        tld: "it",
        first: [
            "Niccolò", "Chiara", "Andrea", "Giulia", "Raffaele", "Federica",
        ],
        last: ["Rossi", "D'Angelo", "Bianchi", "Colombo", "Ricci", "Marino"],
        latin_first: None,
        latin_last: None,
        companies: [
            "Rossi Meccanica SpA",
            "D'Angelo Moda",
            "Caffè Colombo",
            "Ricci Costruzioni",
            "Marino Logistica",
            "Bianchi Software",
        ],
        latin_companies: None,
        titles: [
            "Responsabile Acquisti",
            "Direttore Vendite",
            "Responsabile IT",
        ],
    },
    Country {
        code: "PL",
        name: "Poland",
        city: "Warszawa",
        tld: "pl",
        first: [
            "Łukasz",
            "Małgorzata",
            "Paweł",
            "Żaneta",
            "Wojciech",
            "Agnieszka",
        ],
        last: [
            "Wójcik",
            "Kowalczyk",
            "Zieliński",
            "Szczęsna",
            "Dąbrowski",
            "Lewandowska",
        ],
        latin_first: None,
        latin_last: None,
        companies: [
            "Łódź Tekstylia",
            "Wójcik i Synowie",
            "Gdańsk Stocznia",
            "Kraków Software",
            "Zieliński Transport",
            "Dąbrowski Meble",
        ],
        latin_companies: None,
        titles: ["Kierownik Zakupów", "Dyrektor Sprzedaży", "Kierownik IT"],
    },
    Country {
        code: "SE",
        name: "Sweden",
        city: "Stockholm",
        tld: "se",
        first: ["Åsa", "Björn", "Märta", "Örjan", "Linnéa", "Sven"],
        last: [
            "Ångström",
            "Öberg",
            "Lindqvist",
            "Sjöberg",
            "Ekström",
            "Nyström",
        ],
        latin_first: None,
        latin_last: None,
        companies: [
            "Ångström Teknik AB",
            "Öberg Bygg AB",
            "Sjöberg Design",
            "Nyström Energi",
            "Ekström Logistik",
            "Lindqvist Mat AB",
        ],
        latin_companies: None,
        titles: ["Inköpschef", "Försäljningschef", "IT-chef"],
    },
    Country {
        code: "JP",
        name: "Japan",
        city: "東京",
        tld: "co.jp",
        first: ["太郎", "花子", "健二", "由美", "翔太", "美咲"],
        last: ["山田", "佐藤", "鈴木", "高橋", "田中", "渡辺"],
        latin_first: Some(["taro", "hanako", "kenji", "yumi", "shota", "misaki"]),
        latin_last: Some([
            "yamada",
            "sato",
            "suzuki",
            "takahashi",
            "tanaka",
            "watanabe",
        ]),
        companies: [
            "山田商事株式会社",
            "佐藤工業",
            "鈴木電機",
            "高橋物産",
            "田中システム",
            "渡辺製作所",
        ],
        latin_companies: Some([
            "yamada-shoji",
            "sato-kogyo",
            "suzuki-denki",
            "takahashi-bussan",
            "tanaka-system",
            "watanabe-ss",
        ]),
        titles: ["営業部長", "購買担当", "情報システム部長"],
    },
    Country {
        code: "TR",
        name: "Türkiye",
        city: "İstanbul",
        tld: "com.tr",
        first: ["Çağrı", "Gülşen", "Ömer", "Şule", "İbrahim", "Ayşe"],
        last: ["Yılmaz", "Öztürk", "Şahin", "Çelik", "Doğan", "Kılıç"],
        latin_first: None,
        latin_last: None,
        companies: [
            "Yılmaz Tekstil A.Ş.",
            "Öztürk İnşaat",
            "Şahin Lojistik",
            "Çelik Makine",
            "Doğan Gıda",
            "Kılıç Yazılım",
        ],
        latin_companies: None,
        titles: ["Satın Alma Müdürü", "Satış Direktörü", "BT Müdürü"],
    },
];

/// Latin letters without diacritics, lower case, for e-mail addresses and domains.
pub fn fold(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'á' | 'à' | 'â' | 'ã' | 'å' | 'ą' => "a",
            'ä' | 'æ' => "ae",
            'ç' | 'ć' => "c",
            'é' | 'è' | 'ê' | 'ë' | 'ę' => "e",
            'í' | 'ì' | 'î' | 'ï' | 'ı' | 'i' => "i",
            'ł' => "l",
            'ñ' | 'ń' => "n",
            'ó' | 'ò' | 'ô' | 'õ' => "o",
            'ö' | 'ø' => "oe",
            'ś' | 'ş' => "s",
            'ß' => "ss",
            'ú' | 'ù' | 'û' => "u",
            'ü' => "ue",
            'ź' | 'ż' => "z",
            'ğ' => "g",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            ' ' | '-' | '\'' | '&' | '.' => "-",
            _ => "",
        };
        out.push_str(mapped);
    }
    let mut slug = String::new();
    for c in out.chars() {
        if c == '-' && (slug.is_empty() || slug.ends_with('-')) {
            continue;
        }
        slug.push(c);
    }
    slug.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn fold_makes_addresses() {
        assert_eq!(super::fold("Anna-Lena"), "anna-lena");
        assert_eq!(super::fold("Weiß"), "weiss");
        assert_eq!(super::fold("Müller & Söhne GmbH"), "mueller-soehne-gmbh");
        assert_eq!(super::fold("Łukasz"), "lukasz");
    }
}
