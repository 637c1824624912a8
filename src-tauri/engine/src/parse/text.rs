//! Plain text out of HTML: what a reader sees, never markup.

use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use scraper::{ElementRef, Node};

/// Elements whose content is never text a reader sees.
const INVISIBLE: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "svg", "math", "img", "picture", "video",
    "audio", "object", "embed", "canvas", "button", "select", "textarea", "input", "head",
];

/// Elements that break a line; their text is kept apart from their neighbours'.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "blockquote",
    "table",
    "tr",
    "td",
    "th",
    "figure",
    "figcaption",
    "header",
    "footer",
    "nav",
];

/// True for elements whose text a reader never sees.
pub fn is_invisible(name: &str) -> bool {
    INVISIBLE.contains(&name)
}

/// True for characters that steer a terminal or reorder text instead of showing anything: C0 and
/// C1 controls, DEL, the bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069), the line
/// and paragraph separators (U+2028, U+2029: a line break to a log reader), and the
/// [invisible](is_invisible_char) ones.
pub fn is_steering(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
        || is_invisible_char(c)
}

/// True for characters that show nothing yet split or disguise a word: the Arabic letter mark
/// (U+061C), zero-width space, joiners and direction marks (U+200B–U+200F), the word joiner and
/// invisible operators (U+2060–U+2064), the byte-order mark (U+FEFF), the soft hyphen (U+00AD)
/// and the tag characters (U+E0000–U+E007F). "BB\u{200B}CA" reads as BBCA to a person.
pub fn is_invisible_char(c: char) -> bool {
    matches!(
        c,
        '\u{061c}'
            | '\u{00ad}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2060}'..='\u{2064}'
            | '\u{feff}'
            | '\u{e0000}'..='\u{e007f}'
    )
}

/// The text without steering characters; the whitespace ones (tab, line breaks, NEL) become
/// spaces. Every string a parser returns goes through this.
pub fn strip_steering(text: &str) -> String {
    if !text.chars().any(is_steering) {
        return text.to_string();
    }
    text.chars()
        .filter_map(|c| match c {
            c if c.is_whitespace() => Some(' '),
            c if is_steering(c) => None,
            c => Some(c),
        })
        .collect()
}

/// The text with every steering character but the line break written as a visible escape
/// (`\u{1b}`): the second layer, for text that reaches a terminal or a log.
pub fn escape_steering(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_steering(c)) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if c != '\n' && is_steering(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// Collapses every run of whitespace (nbsp and the line separators included) into one space
/// and drops steering characters ([`is_steering`]); an invisible character joins what it stood
/// between, as a reader sees it ("BB\u{200B}CA" is "BBCA").
pub fn collapse_ws(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        let start = out.len();
        if start > 0 {
            out.push(' ');
        }
        out.extend(word.chars().filter(|&c| !is_steering(c)));
        if out.len() == start + usize::from(start > 0) {
            out.truncate(start);
        }
    }
    out
}

/// The visible text of an element, whitespace collapsed; `skip` can veto sub-trees.
pub fn visible_text_with(el: ElementRef<'_>, skip: &dyn Fn(ElementRef<'_>) -> bool) -> String {
    let mut raw = String::new();
    push_text(*el, &mut raw, skip);
    collapse_ws(&raw)
}

/// The visible text of an element, whitespace collapsed.
pub fn visible_text(el: ElementRef<'_>) -> String {
    visible_text_with(el, &|_| false)
}

/// Appends the visible text under `root`, without recursion: a page cannot choose the stack
/// depth this needs.
fn push_text(root: NodeRef<'_, Node>, out: &mut String, skip: &dyn Fn(ElementRef<'_>) -> bool) {
    let mut skipping: Option<ego_tree::NodeId> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) if node.id() != root.id() => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(t) => out.push_str(t),
                    Node::Element(e) => {
                        let hidden =
                            is_invisible(e.name()) || ElementRef::wrap(node).is_none_or(skip);
                        if hidden {
                            skipping = Some(node.id());
                        } else if BLOCKS.contains(&e.name()) {
                            out.push(' ');
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) if node.id() != root.id() => {
                if let Some(id) = skipping {
                    if id == node.id() {
                        skipping = None;
                    }
                    continue;
                }
                if let Node::Element(e) = node.value() {
                    if BLOCKS.contains(&e.name()) {
                        out.push(' ');
                    }
                }
            }
            _ => {}
        }
    }
}

/// True when the element has a class attribute containing `needle` (case-insensitive).
pub fn class_contains(el: ElementRef<'_>, needle: &str) -> bool {
    el.value()
        .attr("class")
        .is_some_and(|c| c.to_ascii_lowercase().contains(needle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    #[test]
    fn text_without_markup() {
        let html = Html::parse_fragment(
            "<div>Satu&nbsp;&nbsp;dua<script>alert(1)</script><p>tiga</p>&lt;script&gt;<img src=x onerror=alert(1)></div>",
        );
        let div = html
            .select(&Selector::parse("div").unwrap())
            .next()
            .unwrap();
        assert_eq!(visible_text(div), "Satu dua tiga <script>");
    }

    #[test]
    fn invisible_characters_go_and_join_what_they_stood_between() {
        let hidden = "\u{61c}\u{ad}\u{200b}\u{200c}\u{200d}\u{200e}\u{200f}\u{2060}\u{2061}\u{2062}\u{2063}\u{2064}\u{feff}\u{e0001}\u{e0041}\u{e007f}";
        for c in hidden.chars() {
            assert!(is_steering(c), "{:?}", c);
            let title = format!("Saham BB{c}CA naik tajam");
            assert_eq!(collapse_ws(&title), "Saham BBCA naik tajam", "{:?}", c);
            assert_eq!(strip_steering(&title), "Saham BBCA naik tajam", "{:?}", c);
        }
        // A line or paragraph separator would forge a line in a log: a space.
        assert_eq!(strip_steering("a\u{2028}b\u{2029}c"), "a b c");
        assert_eq!(collapse_ws("a \u{2028} b"), "a b");
        assert_eq!(escape_steering("a\u{2028}b"), "a\\u{2028}b");
        // Visible text is kept: accents, emoji, Arabic and a plain hyphen.
        let kept = "Kurs Rp 16.689 — naik 0,47% ✅ café العربية Bi-Rate";
        assert_eq!(strip_steering(kept), kept);
    }

    #[test]
    fn steering_characters_go_and_whitespace_controls_become_spaces() {
        assert_eq!(
            collapse_ws("a\u{1b}]0;x\u{7}b\tc\u{85}d \u{202e}e\u{2066}f\u{7f}\u{9b}"),
            "a]0;xb c d ef"
        );
        assert_eq!(
            collapse_ws("x \u{1b} y"),
            "x y",
            "a word of controls alone leaves no gap"
        );
        assert_eq!(strip_steering("a\tb\u{8}c\u{2069}"), "a bc");
        assert_eq!(
            strip_steering("Rupiah 16.689 ▲0,47%"),
            "Rupiah 16.689 ▲0,47%"
        );
    }

    #[test]
    fn escaping_makes_steering_characters_visible_and_keeps_line_breaks() {
        assert_eq!(
            escape_steering("a\u{1b}[31mb\nc\u{202e}"),
            "a\\u{1b}[31mb\nc\\u{202e}"
        );
        assert!(matches!(
            escape_steering("biasa"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
