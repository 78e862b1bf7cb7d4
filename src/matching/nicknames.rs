//! Given-name equivalence groups: nicknames, diminutives and spelling variants.
//!
//! Source: hand-compiled for crmsync (2026) from common usage in English,
//! French, German and Portuguese (Brazil and Portugal); no third-party list
//! was copied. Each row is one group, formal name first; names are folded
//! (lower case, no accents). A name may sit in several groups ("chris",
//! "alex", "manu"), so lookups return every group it belongs to.

use std::sync::OnceLock;

use super::text::fold;

/// One group per line: the formal name, then its variants.
pub const GROUPS: &[&[&str]] = &[
    // English
    &[
        "robert", "bob", "bobby", "rob", "robbie", "bert", "roberto", "robin",
    ],
    &[
        "william",
        "bill",
        "billy",
        "will",
        "willy",
        "liam",
        "wilhelm",
        "willi",
        "guillaume",
        "guilherme",
    ],
    &[
        "margaret",
        "peggy",
        "maggie",
        "meg",
        "marge",
        "margot",
        "greta",
        "margarete",
        "marguerite",
        "margarida",
        "gretchen",
    ],
    &[
        "richard", "dick", "rick", "ricky", "rich", "richie", "ricardo", "rico",
    ],
    &[
        "james", "jim", "jimmy", "jamie", "jacques", "jakob", "jacob", "jake", "tiago", "diego",
        "jaime", "thiago",
    ],
    &[
        "john", "jack", "johnny", "jon", "johann", "johannes", "hans", "jean", "joao", "juan",
        "jan",
    ],
    &[
        "elizabeth",
        "liz",
        "lizzie",
        "beth",
        "betty",
        "eliza",
        "elisabeth",
        "elise",
        "lisa",
        "liese",
        "isabel",
        "isabelle",
        "bel",
        "babette",
        "elsa",
        "elisa",
        "lili",
    ],
    &[
        "katherine",
        "kate",
        "katie",
        "kathy",
        "cathy",
        "catherine",
        "katharina",
        "katrin",
        "kathrin",
        "catarina",
        "cat",
        "kat",
        "kay",
        "katja",
        "trina",
    ],
    &[
        "michael", "mike", "mikey", "mick", "micha", "michel", "miguel", "michele",
    ],
    &["thomas", "tom", "tommy", "thom", "tomas", "tomé", "thoma"],
    &[
        "anthony", "tony", "antony", "antoine", "anton", "antonio", "toni", "toninho", "tonio",
    ],
    &[
        "christopher",
        "chris",
        "kit",
        "topher",
        "christophe",
        "christoph",
        "cristovao",
        "cristobal",
    ],
    &["christian", "chris", "christiane", "cristiano", "cristian"],
    &[
        "christine",
        "chris",
        "chrissy",
        "christina",
        "kristina",
        "tina",
        "cristina",
        "kirsten",
    ],
    &[
        "alexander",
        "alex",
        "alec",
        "sandy",
        "xander",
        "alexandre",
        "alexandro",
        "sascha",
        "sacha",
        "alessandro",
        "xande",
    ],
    &[
        "alexandra",
        "alex",
        "alexa",
        "sandra",
        "sandrine",
        "lexi",
        "sasha",
    ],
    &["samuel", "sam", "sammy", "samu"],
    &["samantha", "sam", "sammy"],
    &["daniel", "dan", "danny", "dani", "danilo"],
    &["daniela", "dani", "danielle", "daniele"],
    &["david", "dave", "davy", "davi", "davide"],
    &[
        "edward", "ed", "eddie", "ted", "ned", "eduard", "edouard", "eduardo", "edu", "dudu",
    ],
    &[
        "frederick",
        "fred",
        "freddy",
        "fritz",
        "frederic",
        "friedrich",
        "federico",
        "frederico",
        "fede",
    ],
    &["alfred", "fred", "alf", "alfie", "alfredo"],
    &[
        "henry", "harry", "hank", "hal", "henri", "heinrich", "heinz", "henrique", "rique",
        "enrico", "enrique",
    ],
    &[
        "joseph", "joe", "joey", "jo", "josef", "sepp", "seppi", "jose", "ze", "josé", "zeca",
        "giuseppe", "pepe", "beppe", "joos",
    ],
    &[
        "josephine",
        "jo",
        "josie",
        "josefine",
        "josefa",
        "fifi",
        "pepita",
    ],
    &["patrick", "pat", "paddy", "patrice", "patricio", "patrik"],
    &[
        "patricia", "pat", "patty", "trish", "tricia", "paty", "patrizia",
    ],
    &[
        "steven", "steve", "stephen", "stefan", "stephan", "stephane", "estevao", "esteban",
        "stevie",
    ],
    &[
        "matthew", "matt", "matty", "mathieu", "matthieu", "matthias", "mateus", "matheus",
        "mattia", "matteo", "thies",
    ],
    &[
        "nicholas", "nick", "nicky", "nico", "nicolas", "nikolaus", "niklas", "klaus", "claus",
        "nicolau", "nikola",
    ],
    &[
        "andrew", "andy", "drew", "andre", "andreas", "andres", "andrea", "dede",
    ],
    &["benjamin", "ben", "benny", "benji", "benjamim", "benoit"],
    &[
        "charles",
        "charlie",
        "chuck",
        "chas",
        "carl",
        "karl",
        "carlos",
        "carlo",
        "carlinhos",
        "charly",
        "kalle",
    ],
    &["deborah", "debbie", "deb", "debora"],
    &["jennifer", "jen", "jenny", "jenn"],
    &["jessica", "jess", "jessie"],
    &["rebecca", "becky", "becca", "rebeca", "beca"],
    &[
        "susan", "sue", "susie", "suzanne", "susanne", "susana", "suzana", "suse", "suzy",
    ],
    &["victoria", "vicky", "tori", "vic", "viktoria", "vitoria"],
    &["gregory", "greg", "gregoire", "gregor", "gregorio"],
    &["jonathan", "jon", "jonny", "nathan", "jonatas"],
    &["timothy", "tim", "timmy", "timothee", "timo", "timoteo"],
    &[
        "lawrence", "larry", "laurence", "laurent", "lorenz", "lourenco", "lorenzo", "lars",
    ],
    &["raymond", "ray", "raimund", "raimundo", "raymundo"],
    &["ronald", "ron", "ronnie", "ronaldo"],
    &["donald", "don", "donnie"],
    &["kenneth", "ken", "kenny"],
    &["joshua", "josh"],
    &["kimberly", "kim", "kimmy"],
    &["pamela", "pam", "pammy"],
    &["cynthia", "cindy", "cyndi"],
    &["veronique", "vero", "veronika", "veronica", "vroni"],
    &["raphael", "raph"],
    &["florian", "flo", "florent"],
    &["tobias", "tobi"],
    &["andreas", "andi", "anderl"],
    &["stefanie", "steffi"],
    &["katharina", "kathi", "kati"],
    &["hans", "hansi"],
    &["gerald", "gerry", "jerry", "gerard", "gerhard", "geraldo"],
    &["walter", "walt", "wally", "walther", "valter"],
    &[
        "theodore", "ted", "teddy", "theo", "theodor", "teodoro", "teo",
    ],
    &["abigail", "abby", "abbie", "gail"],
    &["dorothy", "dot", "dottie", "dorothee", "dorothea", "dora"],
    &[
        "eleanor", "ellie", "nora", "eleonore", "leonor", "elinor", "lenore",
    ],
    &[
        "helen", "helene", "helena", "lena", "nell", "ellen", "elena", "leni",
    ],
    &["barbara", "barb", "babs", "barbie", "babi", "barbel"],
    &["sarah", "sara", "sally", "sadie"],
    &[
        "mary",
        "molly",
        "polly",
        "marie",
        "maria",
        "mia",
        "mimi",
        "mariette",
        "marieta",
        "mariazinha",
        "mitzi",
        "ria",
    ],
    &[
        "ann", "anne", "anna", "annie", "nancy", "nan", "anja", "anita", "nannette", "annette",
        "ana", "aninha", "anneke",
    ],
    // French
    &["emmanuel", "manu", "emanuel", "immanuel", "manuel", "mano"],
    &["emmanuelle", "manu", "emanuelle", "manuela", "manuella"],
    &[
        "francois",
        "francis",
        "franck",
        "frank",
        "franz",
        "francesco",
        "franco",
        "francisco",
        "chico",
        "xico",
        "paco",
        "kiko",
        "fran",
        "franzi",
        "frankie",
    ],
    &[
        "francoise",
        "fanfan",
        "francine",
        "francesca",
        "franziska",
        "francisca",
        "chica",
        "fran",
        "franzi",
        "fanny",
    ],
    &["guillaume", "guigui", "guilhem"],
    &["jean baptiste", "jb", "jeanbaptiste"],
    &["jean pierre", "jp", "jeanpierre"],
    &["jean francois", "jf", "jeanfrancois"],
    &[
        "philippe", "phil", "philip", "phillip", "philipp", "felipe", "filipe", "flip", "pip",
        "lipe",
    ],
    &[
        "pierre", "pete", "peter", "pedro", "pietro", "piet", "pierrot", "pedrinho",
    ],
    &["dominique", "dom", "domi", "dominic", "dominik", "domingos"],
    &["frederique", "freddie", "frederike", "frieda", "rike"],
    &[
        "stephanie",
        "steph",
        "stefanie",
        "stephane",
        "fanny",
        "stefania",
    ],
    &[
        "isabelle", "isa", "isabel", "bella", "izabel", "bebel", "belle",
    ],
    &["valerie", "val", "valeria", "vale"],
    &[
        "bernard", "bernd", "bernardo", "benno", "bernhard", "nanard",
    ],
    &[
        "sebastien",
        "seb",
        "sebastian",
        "sebastiao",
        "basti",
        "bastian",
        "tiao",
    ],
    &[
        "maximilien",
        "max",
        "maxi",
        "maximilian",
        "maxime",
        "maximiliano",
    ],
    &["guy", "guido"],
    &[
        "louis", "lou", "loulou", "ludwig", "luis", "luiz", "lutz", "ludovic", "ludo", "lewis",
        "luigi",
    ],
    &["louise", "lou", "luise", "luisa", "luiza", "louisa"],
    &["geraldine", "gege", "gerri"],
    &["gabriel", "gabi", "gabe", "gab", "biel"],
    &["gabrielle", "gabi", "gaby", "gabriela", "gabriele"],
    // German
    &["wolfgang", "wolf", "wolfi"],
    &[
        "johanna", "hanna", "hannah", "jo", "joanna", "joana", "jeanne", "jana", "hanne",
    ],
    &[
        "jurgen", "jorg", "georg", "george", "georges", "jorge", "giorgio", "schorsch", "jurg",
        "yuri",
    ],
    &["ulrich", "ulli", "uli", "ulf"],
    &["gottfried", "friedel", "godfrey"],
    &["dietrich", "dieter", "didi"],
    &["gunther", "gunter", "gunnar", "gunni"],
    &["reinhard", "reini", "reiner", "rainer", "reinhold"],
    &["konstantin", "constantin", "kosta", "konni", "constantino"],
    &["cornelia", "conny", "nele", "corinna"],
    &["susanne", "susi", "sanne"],
    &[
        "magdalena",
        "magda",
        "lena",
        "madeleine",
        "madalena",
        "leni",
        "maddie",
    ],
    &["wilhelmina", "mina", "helmi", "wilma", "guilhermina"],
    &["ludmilla", "milla", "lucy"],
    &["heike", "heidi", "adelheid", "adelaide"],
    // Portuguese
    &["antonia", "toninha", "tonia"],
    &["fernando", "nando", "fer", "ferdinand", "fernand", "ferdi"],
    &["fernanda", "nanda", "fer", "ferdinande"],
    &["eduarda", "duda", "edwarda"],
    &["raimunda", "mundinha"],
    &["roberta", "beta", "berta", "bertha"],
    &["rodrigo", "digo", "rod", "roderick", "rodrigue", "rodney"],
    &["luciana", "lu", "lucia", "lucie", "luzia", "lucy"],
    &["marcelo", "celo", "marcel", "marcello", "marcellus"],
    &[
        "paulo", "paul", "paulinho", "pablo", "paolo", "pauli", "paulie",
    ],
    &["paula", "paulette", "paulina", "pauline", "paulinha"],
    &["gustavo", "guga", "gustav", "gustave", "gus", "gusti"],
    &["augusto", "guto", "august", "auguste", "augustin", "gusti"],
    &["alberto", "beto", "albert", "bert", "al", "albrecht"],
    &["humberto", "beto", "umberto", "hubert", "huberto"],
    &[
        "carolina", "carol", "carole", "caroline", "carolin", "lina", "caro", "karoline",
    ],
    &["vinicius", "vini", "vinny"],
    &["leonardo", "leo", "leonard", "leonhard", "leon", "leonid"],
    &["ricarda", "rica", "riccarda"],
    &["rafael", "rafa", "raphael", "raffaele", "rafi"],
    &["beatriz", "bia", "beatrice", "beatrix", "bea", "trixi"],
    &["gabriela", "gabi", "gaby"],
    &["mariana", "mari", "marianne", "marianna"],
    &["renata", "rena", "renate", "renee"],
    &["felix", "feli", "felizio"],
    &["sergio", "serge", "serginho", "sergei"],
    &["tatiana", "tati", "tatjana", "tania", "tanja"],
];

/// (variant, group) sorted by variant, built on first use.
fn table() -> &'static [(String, u16)] {
    static TABLE: OnceLock<Vec<(String, u16)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut rows = Vec::new();
        for (g, names) in GROUPS.iter().enumerate() {
            for name in names.iter() {
                rows.push((fold(name).replace(' ', ""), g as u16));
            }
        }
        crate::sort::by(&mut rows, |a, b| a.cmp(b));
        rows.dedup();
        rows
    })
}

/// Every group `folded_name` (already folded, no spaces) belongs to.
pub fn groups(folded_name: &str) -> Vec<u16> {
    let t = table();
    let start = t.partition_point(|(n, _)| n.as_str() < folded_name);
    t[start..]
        .iter()
        .take_while(|(n, _)| n == folded_name)
        .map(|(_, g)| *g)
        .collect()
}

/// Whether two folded given names are equivalent (same group).
pub fn equivalent(a: &str, b: &str) -> bool {
    let ga = groups(a);
    !ga.is_empty() && groups(b).iter().any(|g| ga.contains(g))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_pairs_are_equivalent() {
        for (a, b) in [
            ("bob", "robert"),
            ("bill", "william"),
            ("peggy", "margaret"),
            ("ze", "jose"),
            ("chico", "francisco"),
            ("sepp", "josef"),
            ("manu", "emmanuel"),
            ("chris", "christine"),
            ("chris", "christopher"),
        ] {
            assert!(equivalent(a, b), "{a} ~ {b}");
        }
    }

    #[test]
    fn unrelated_names_are_not() {
        assert!(!equivalent("bob", "william"));
        assert!(!equivalent("zzz", "zzz"));
    }

    #[test]
    fn ambiguous_names_have_several_groups() {
        assert!(groups("chris").len() >= 3);
        assert!(groups("unknownname").is_empty());
    }
}
