//! The four note types of the package. Their ids, names, field names and template names are
//! a promise: Anki matches an imported note type to the one it has by id, and updates it in
//! place only while its fields and templates keep their names. Change the wording of a
//! template freely; rename nothing.

use serde_json::{Value, json};

/// A standard note type, or a cloze one (Anki makes one card per cloze number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Standard,
    Cloze,
}

/// One note type: its fields in order, and its single card template.
#[derive(Debug, PartialEq, Eq)]
pub struct NoteType {
    pub id: i64,
    pub name: &'static str,
    pub kind: Kind,
    pub fields: &'static [&'static str],
    pub template_name: &'static str,
    pub front: &'static str,
    pub back: &'static str,
}

/// The fields every note type ends with: what the back shows after the answer.
macro_rules! context_fields {
    ($($field:literal),*) => {
        &[$($field,)* "Explanation", "Note", "References", "Source", "Card ID"]
    };
}

/// The end of every back: explanation, note and references, source, the educational-use
/// notice, and the lupus-quiz card id (to find the card in its deck file).
macro_rules! context_html {
    () => {
        "\n<div class=\"lq-context\">\
         \n{{#Explanation}}<p><b>Why:</b> {{Explanation}}</p>{{/Explanation}}\
         \n{{#Note}}<p><b>Note:</b> {{Note}}</p>{{/Note}}\
         \n{{#References}}<div class=\"lq-refs\"><b>References:</b>{{References}}</div>{{/References}}\
         \n{{#Source}}<p><b>Source:</b> {{Source}}</p>{{/Source}}\
         \n<p class=\"lq-notice\">Educational only; not medical advice.</p>\
         \n<p class=\"lq-id\">lupus-quiz card {{Card ID}}</p>\
         \n</div>"
    };
}

/// `flip` cards: a question and its answer; the learner grades themselves.
pub(super) const FLIP: NoteType = NoteType {
    id: 1_764_547_200_001,
    name: "Lupus quiz: front and back",
    kind: Kind::Standard,
    fields: context_fields!("Front", "Back"),
    template_name: "Card",
    front: "<div class=\"lq-question\">{{Front}}</div>",
    back: concat!(
        "{{FrontSide}}\n<hr id=answer>\n<div class=\"lq-answer\">{{Back}}</div>",
        context_html!()
    ),
};

/// `typed` cards: Anki's type-in-the-answer box, compared with the first accepted answer;
/// the others are shown on the back.
pub(super) const TYPED: NoteType = NoteType {
    id: 1_764_547_200_002,
    name: "Lupus quiz: type the answer",
    kind: Kind::Standard,
    fields: context_fields!("Question", "Answer", "Also accepted"),
    template_name: "Card",
    front: "<div class=\"lq-question\">{{Question}}</div>\n\n{{type:Answer}}",
    back: concat!(
        "<div class=\"lq-question\">{{Question}}</div>\n<hr id=answer>\n{{type:Answer}}",
        "\n{{#Also accepted}}<p class=\"lq-also\">Also accepted: {{Also accepted}}</p>{{/Also accepted}}",
        context_html!()
    ),
};

/// `cloze` cards: every blank is `c1`, so the card hides all blanks at once, as lupus-quiz
/// asks them (one card, one review log).
pub(super) const CLOZE: NoteType = NoteType {
    id: 1_764_547_200_003,
    name: "Lupus quiz: cloze",
    kind: Kind::Cloze,
    fields: context_fields!("Text", "Also accepted"),
    template_name: "Cloze",
    front: "<div class=\"lq-question\">{{cloze:Text}}</div>",
    back: concat!(
        "<div class=\"lq-question\">{{cloze:Text}}</div>",
        "\n{{#Also accepted}}<div class=\"lq-also\">Also accepted: {{Also accepted}}</div>{{/Also accepted}}",
        context_html!()
    ),
};

/// `choice`, `truefalse`, `multi` and `order` cards: the front lists the options (in an
/// order shuffled once per card) and says what to do with them; the back gives the answer.
pub(super) const OPTIONS: NoteType = NoteType {
    id: 1_764_547_200_004,
    name: "Lupus quiz: options",
    kind: Kind::Standard,
    fields: context_fields!("Question", "Instruction", "Options", "Answer"),
    template_name: "Card",
    front: "<div class=\"lq-question\">{{Question}}</div>\n<p class=\"lq-instruction\">{{Instruction}}</p>\n<div class=\"lq-options\">{{Options}}</div>",
    back: concat!(
        "{{FrontSide}}\n<hr id=answer>\n<div class=\"lq-answer\">{{Answer}}</div>",
        context_html!()
    ),
};

pub const ALL: [&NoteType; 4] = [&FLIP, &TYPED, &CLOZE, &OPTIONS];

const CSS: &str = ".card { font-family: arial, sans-serif; font-size: 20px; line-height: 1.5; \
text-align: left; color: black; background-color: white; max-width: 40em; margin: auto; }
.lq-question { font-weight: bold; }
.lq-instruction { font-style: italic; color: #555; }
.lq-answer { color: #1a5e20; font-weight: bold; }
.lq-context { font-size: 16px; margin-top: 1em; }
.lq-notice { font-size: 14px; color: #8a5a00; }
.lq-id { font-size: 12px; color: #888; }
.cloze { font-weight: bold; color: blue; }
.nightMode .cloze { color: lightblue; }
.nightMode .lq-answer { color: #8fd694; }
.nightMode .lq-instruction, .nightMode .lq-id { color: #aaa; }
";

impl NoteType {
    /// The note type as the legacy collection's `col.models` JSON holds it.
    pub fn to_json(&self, modified_secs: i64) -> Value {
        let fields: Vec<Value> = self
            .fields
            .iter()
            .enumerate()
            .map(|(ord, name)| {
                json!({
                    "name": name, "ord": ord, "sticky": false, "rtl": false,
                    "font": "Arial", "size": 20, "description": "", "plainText": false,
                    "collapsed": false, "excludeFromSearch": false,
                    "id": sub_id(self.id, name), "tag": null, "preventDeletion": false,
                })
            })
            .collect();
        json!({
            "id": self.id,
            "name": self.name,
            "type": match self.kind { Kind::Standard => 0, Kind::Cloze => 1 },
            "mod": modified_secs,
            "usn": 0,
            "sortf": 0,
            "did": null,
            "tmpls": [{
                "name": self.template_name, "ord": 0, "qfmt": self.front, "afmt": self.back,
                "bqfmt": "", "bafmt": "", "did": null, "bfont": "", "bsize": 0,
                "id": sub_id(self.id, self.template_name),
            }],
            "flds": fields,
            "css": CSS,
            "latexPre": LATEX_PRE,
            "latexPost": "\\end{document}",
            "latexsvg": false,
            // The first field is the one a card needs, for the cloze type too.
            "req": [[0, "any", [0]]],
        })
    }

    /// The position of field `name`; panics for a name the type does not have, which is a
    /// bug in this module.
    pub fn field(&self, name: &str) -> usize {
        self.fields
            .iter()
            .position(|f| *f == name)
            .unwrap_or_else(|| panic!("note type `{}` has no field `{name}`", self.name))
    }
}

/// Stable ids of a note type's fields and template, which Anki uses to follow renames.
fn sub_id(note_type: i64, name: &str) -> i64 {
    super::ids::hash64(&["lupus-quiz", "notetype", &note_type.to_string(), name]) as i64
}

const LATEX_PRE: &str = "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_names_only_fields_of_its_type() {
        for note_type in ALL {
            for template in [note_type.front, note_type.back] {
                let mut rest = template;
                while let Some(open) = rest.find("{{") {
                    let close = rest[open..].find("}}").expect("closed") + open;
                    let tag = &rest[open + 2..close];
                    let name = tag.trim_start_matches(['#', '/', '^']);
                    let name = name.rsplit(':').next().unwrap();
                    assert!(
                        name == "FrontSide" || note_type.fields.contains(&name),
                        "{}: {{{{{tag}}}}}",
                        note_type.name
                    );
                    rest = &rest[close + 2..];
                }
            }
        }
    }

    #[test]
    fn ids_and_names_are_distinct() {
        for (i, a) in ALL.iter().enumerate() {
            for b in &ALL[i + 1..] {
                assert_ne!(a.id, b.id);
                assert_ne!(a.name, b.name);
            }
        }
    }
}
