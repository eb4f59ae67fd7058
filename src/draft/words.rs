//! Words as the drafter compares them: Unicode word boundaries, lowercase, stemmed (so that
//! "cell" and "cells", "transplant" and "transplantation" meet), and judged against a
//! built-in list of common English words, so that an article's own terms stand out.

use std::collections::HashSet;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

/// One word of a sentence: where it is, and how it compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    /// Byte range in the sentence's text.
    pub start: usize,
    pub end: usize,
    /// Lowercase, with a final possessive `'s` removed.
    pub lower: String,
    pub stem: String,
}

impl Word {
    /// Whether the word is made of digits (with separators): "28", "1,000", "2.5".
    pub(crate) fn is_number(&self) -> bool {
        self.lower.starts_with(|c: char| c.is_ascii_digit())
            && self
                .lower
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    }

    /// A function word: never a term, never blanked.
    pub(crate) fn is_stopword(&self) -> bool {
        is_stopword(&self.lower)
    }

    /// A word an article's term can be made of: neither a function word nor a number.
    pub(crate) fn is_content(&self) -> bool {
        !self.is_stopword() && !self.is_number() && self.lower.chars().any(char::is_alphabetic)
    }

    /// A content word that is not common English: what makes a term the article's own.
    pub(crate) fn is_uncommon(&self) -> bool {
        self.is_content() && self.lower.chars().count() >= 3 && !is_common(&self.lower)
    }
}

/// The words of `text`, in order (punctuation and spaces left out).
pub(crate) fn words(text: &str) -> Vec<Word> {
    let stemmer = stemmer();
    text.split_word_bound_indices()
        .filter(|(_, piece)| piece.chars().any(char::is_alphanumeric))
        .map(|(start, piece)| {
            let lower = piece.to_lowercase();
            let lower = lower
                .strip_suffix("'s")
                .or_else(|| lower.strip_suffix("’s"))
                .map(str::to_string)
                .unwrap_or(lower);
            let stem = stemmer.stem(&lower).into_owned();
            Word {
                start,
                end: start + piece.len(),
                lower,
                stem,
            }
        })
        .collect()
}

/// `text` as it reads inside a sentence: its first letter lowercased when its first word is
/// common English ("Common treatments" → "common treatments"), kept for a name ("Lupus").
pub(crate) fn mid_sentence(text: &str) -> String {
    let first = text.split_whitespace().next().unwrap_or("");
    let lower = first.to_lowercase();
    let mut chars = first.chars();
    let capital_then_lower =
        chars.next().is_some_and(char::is_uppercase) && chars.all(|c| !c.is_uppercase());
    if capital_then_lower && (is_common(&lower) || is_stopword(&lower)) {
        let mut chars = text.chars();
        chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default()
    } else {
        text.to_string()
    }
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

pub(crate) fn is_stopword(lower: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOPWORDS.split_whitespace().collect())
        .contains(lower)
}

fn is_common(lower: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON.split_whitespace().collect())
        .contains(lower)
}

/// Function words: articles, pronouns, prepositions, conjunctions, auxiliaries.
const STOPWORDS: &str = "
a an the this that these those there here it its it's they them their theirs he him his she
her hers we us our ours you your yours i me my mine who whom whose which what when where why
how whether if then than so as at by for from in into of off on onto out over under up down
with within without about above across after against along among around before behind below
beneath beside besides between beyond during except inside near outside since through
throughout till to toward towards until upon via and or nor but yet also either neither both
not no is are was were be been being am do does did doing done have has had having can could
may might must shall should will would ought all any each every few many more most much some
such other another same own only just very too even still again ever never once else e.g i.e
etc vs whereas while although though because unless however therefore thus hence instead
rather quite perhaps almost already always often sometimes usually one ones something anything
nothing everything someone anyone everyone itself themselves himself herself ourselves
yourself lot lots get gets got make makes made let lets like first second third then next
finally last";

/// Common English words that are not an article's own terms (the few thousand most frequent
/// lemmas, trimmed to those a general text uses; medical words are left out on purpose).
const COMMON: &str = "
able ability access according account act action active activity actually add added adult
advance advances affect affects age ago agree aid aim aims allow allows alone alternative
amount analysis answer appear appears apply approach area areas arm ask aspect attack attacks
available average avoid away back bad base based basic basis bear beat become becomes began
begin begins beginning behavior behaviour believe benefit benefits best better big bit black
body book born break bring brings broad build building built business buy call called calls
came care careful carry case cases cause caused causes causing center centre certain chance
change changes changed character check child children choice choose city claim class clear
clearly close closely come comes coming common community compare complete concern condition
conditions consider consist consult contain content continue control cost could country
couple course create creating current currently cut daily damage data date day days deal
decade decide decision deep degree describe design despite detail details develop developing
development die difference different difficult direct directly discover discuss do doctor
doctors door double dramatically drive drop due early ease easy eat effect effects effort end
ends enough ensure enter entire especially establish even evening event events evidence exact
exactly example examples exist expect experience explain explore explores expression extensive
eye face fact factor fail fall family far fast father fear feel feeling field fight figure
fill final find fine finish fire firm fit five fix focus focused follow following food foot
force form forms forward four free friend front full fully function fund future gain general
generally give given gives giving go goal goes going good great green ground group groups grow
growing growth guide half hand hands happen hard head health healthy hear heart help helps
high higher hold holds home hope hour hours house huge human idea identify image impact
important improve improved improving include included includes including increase increased
indeed individual individuals information instance interest interested issue issues item job
join keep key kind kinds know known large largely last late later lead leading leads learn
least leave leaves left less level levels life light likely limit limited line list little
live lives living local long look looks lose loss low lower main mainly major majority man
manage many mark matter mean means meaning measure meet member members method methods middle
might mind minute minutes miss model moment money month months morning mother move movement
much name named national natural nature nearly necessary need needed needs new news night
normal normally note number numbers numerous object obtain occur offer offers office old
open operation opportunity option order organization others outcome outcomes output overall
page pain paper parent part particular particularly partly party pass past path pattern
pay people per percent period person personal phase picture piece place plan plant play
point points policy poor popular population position positive possible possibility
potential potentially power practice prepare present press pressure pretty prevent previous
primary private probably problem problems process produce product program programme project
provide provided provides public pull purpose push put quality question questions quick
quickly raise range rate reach read ready real really reason receive received receiving
recent recently record reduce reduced region relate related relation relationship remain
remains remember remove report represent represents require required requires research
resource resources respond response rest result results return reveal review right rise
risk risks road role room rule run safe safety said save say says scale school science
score see seek seem seems seen sell send sense separate series serious serve service set
several share short show shows side sign significant significantly similar simple simply
single sit site situation six size skill small social society sometimes soon sort sound
source space speak special specific spend stage stages stand standard start started starts
state statement states stay step steps stop story strong structure student study studies
subject success successful suggest support sure system systems table take taken takes
taking talk task team tell tend term terms test tested testing tests thing things think
three time times today together top total toward trade traditional treat try turn two type
types typical typically understand understanding unique unit use used useful uses using
usual value various view voice wait walk want watch water way ways week weeks weight well
west white whole wide widely win wish woman women word words work working works world
worth write written wrong year years yes young";
