//! A field's HTML as the text it shows: tags dropped (block elements and `<br>` as line
//! breaks), entities decoded, and media left out and counted (`<img>`, `<audio>`,
//! `<video>`, and Anki's `[sound:…]`).

/// The text of `html`, and how many media it held.
pub(super) fn field_text(html: &str) -> (String, usize) {
    let mut out = String::with_capacity(html.len());
    let mut media = 0;
    let mut rest = html;
    while let Some(start) = rest.find(['<', '[']) {
        out.push_str(&decode_entities(&rest[..start]));
        let tail = &rest[start..];
        if let Some(sound) = tail.strip_prefix("[sound:")
            && let Some(end) = sound.find(']')
        {
            media += 1;
            rest = &sound[end + 1..];
            continue;
        }
        if let Some(after) = tail.strip_prefix('[') {
            out.push('[');
            rest = after;
            continue;
        }
        let Some(end) = tail.find('>') else {
            // A `<` that opens no tag is text.
            out.push_str(&decode_entities(tail));
            rest = "";
            break;
        };
        let tag = tag_name(&tail[1..end]);
        rest = &tail[end + 1..];
        match tag.as_str() {
            "img" | "audio" | "video" | "object" | "embed" => media += 1,
            "style" | "script" => rest = skip_element(rest, &tag),
            "br" => out.push('\n'),
            // One line break between blocks, however many tags end and begin there.
            "div" | "/div" | "p" | "/p" | "li" | "/li" | "tr" | "/tr" | "h1" | "/h1" | "h2"
            | "/h2" | "h3" | "/h3" | "ul" | "/ul" | "ol" | "/ol"
                if !out.is_empty() && !out.ends_with('\n') =>
            {
                out.push('\n');
            }
            _ => {}
        }
    }
    out.push_str(&decode_entities(rest));
    (tidy(&out), media)
}

/// The lowercase name of a tag from what is between `<` and `>`: `/div` for a closing one.
fn tag_name(inside: &str) -> String {
    let inside = inside.trim_start();
    let (slash, name) = match inside.strip_prefix('/') {
        Some(name) => ("/", name),
        None => ("", inside),
    };
    let name: String = name
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    format!("{slash}{}", name.to_ascii_lowercase())
}

/// What follows the end of the element `tag` (a style or script block).
fn skip_element<'a>(rest: &'a str, tag: &str) -> &'a str {
    let close = format!("</{tag}");
    let lower = rest.to_ascii_lowercase();
    match lower.find(&close) {
        Some(at) => rest[at..].find('>').map_or("", |end| &rest[at + end + 1..]),
        None => "",
    }
}

/// `text` with HTML entities decoded: the named ones fields hold, and numeric ones.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let decoded = tail[1..]
            .find(';')
            .filter(|&end| end <= 10)
            .and_then(|end| entity(&tail[1..=end]).map(|c| (c, end + 2)));
        match decoded {
            Some((c, length)) => {
                out.push(c);
                rest = &tail[length..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "laquo" => '«',
        "raquo" => '»',
        "deg" => '°',
        "times" => '×',
        "middot" => '·',
        _ => return None,
    })
}

/// One space for each run of spaces, no blank line twice, no space at a line's ends, and
/// nothing a terminal must not be handed (control characters, direction overrides).
fn tidy(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let line: String = line
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .filter(|&c| !crate::text::needs_showing(c) && !crate::text::is_invisible_format(c))
            .collect();
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if !(line.is_empty() && lines.last().is_none_or(String::is_empty)) {
            lines.push(line);
        }
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_the_text_it_shows_and_media_are_counted() {
        let (text, media) = field_text(
            "<div><b>Lupus</b> &amp; the&nbsp;kidneys</div><div>line&#33; &lt;2&gt;</div>\
             <img src=\"a.png\">[sound:b.mp3]<style>.x{}</style><br>x &unknown; [y]",
        );
        assert_eq!(text, "Lupus & the kidneys\nline! <2>\n\nx &unknown; [y]");
        assert_eq!(media, 2);
        assert_eq!(field_text("a < b").0, "a < b");
        assert_eq!(field_text("\u{202e}evil\x1b[2J").0, "evil[2J");
    }
}
