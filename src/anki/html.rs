//! Card text as HTML for Anki's fields. Anki shows fields as HTML, so every piece of card
//! text is escaped: a `<` in a question must show as `<`, never start a tag.

use crate::deck::Reference;

/// `text` escaped for HTML, with line breaks kept as `<br>`. Square brackets are escaped
/// too: Anki reads `[sound:file]` in a field as a sound to play (any file of the learner's
/// media folder), and `[latex]`, `[$]` and `[$$]` as LaTeX to render, before the HTML is
/// shown; written as entities they show as the brackets they are.
pub(super) fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            c => out.push(c),
        }
    }
    out
}

/// How a list's items are marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Marks {
    /// `A.`, `B.`, …: options to choose from.
    Letters,
    /// `1.`, `2.`, …: the right order.
    Numbers,
    Bullets,
}

/// An HTML list of `items`, each escaped.
pub(super) fn list(items: &[String], marks: Marks) -> String {
    let (open, close) = match marks {
        Marks::Letters => ("<ol type=\"A\">", "</ol>"),
        Marks::Numbers => ("<ol>", "</ol>"),
        Marks::Bullets => ("<ul>", "</ul>"),
    };
    let mut out = String::from(open);
    for item in items {
        out.push_str("<li>");
        out.push_str(&text(item));
        out.push_str("</li>");
    }
    out.push_str(close);
    out
}

/// The references behind a card's note, one per line, each with its link when it has one.
pub(super) fn references(references: &[Reference]) -> String {
    if references.is_empty() {
        return String::new();
    }
    let mut out = String::from("<ul>");
    for reference in references {
        out.push_str("<li>");
        // The citation style of the terminal: "Author. Title. Journal, 2011."
        out.push_str(&text(&reference.citation()));
        if let Some(link) = &reference.link {
            let link = text(link);
            out.push_str(&format!(" <a href=\"{link}\">{link}</a>"));
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>");
    out
}

/// The letter of option `index` in a lettered list: `A` for 0.
pub(super) fn letter(index: usize) -> char {
    char::from(b'A' + (index % 26) as u8)
}

/// The text of a field without tags and with our entities decoded: what Anki keeps as a
/// note's sort field and checksums.
pub(super) fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#123;", "{")
        .replace("&#125;", "}")
        .replace("&#58;", ":")
        .replace("&#91;", "[")
        .replace("&#93;", "]")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_text_cannot_become_markup() {
        assert_eq!(
            text("a <b> & \"c\" 'd'\ne"),
            "a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;<br>e"
        );
        assert_eq!(plain(&text("x < y & <z>")), "x < y & <z>");
    }

    #[test]
    fn anki_sound_and_latex_markup_in_card_text_stays_text() {
        let field = text("Hear [sound:evil.mp3] and [latex]\\input{/etc/passwd}[/latex] [$]x[/$]");
        assert!(!field.contains('[') && !field.contains(']'), "{field}");
        assert_eq!(
            field,
            "Hear &#91;sound:evil.mp3&#93; and &#91;latex&#93;\\input{/etc/passwd}&#91;/latex&#93; &#91;$&#93;x&#91;/$&#93;"
        );
        assert_eq!(
            plain(&field),
            "Hear [sound:evil.mp3] and [latex]\\input{/etc/passwd}[/latex] [$]x[/$]"
        );
    }

    #[test]
    fn lists_escape_their_items() {
        assert_eq!(
            list(&["<1>".into(), "2".into()], Marks::Letters),
            "<ol type=\"A\"><li>&lt;1&gt;</li><li>2</li></ol>"
        );
        assert_eq!(list(&["a".into()], Marks::Numbers), "<ol><li>a</li></ol>");
    }
}
