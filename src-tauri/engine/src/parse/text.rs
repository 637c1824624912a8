//! Plain text out of HTML: what a reader sees, never markup.

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

/// Collapses every run of whitespace (nbsp and zero-width space included) into one space.
pub fn collapse_ws(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
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

fn push_text(node: NodeRef<'_, Node>, out: &mut String, skip: &dyn Fn(ElementRef<'_>) -> bool) {
    for child in node.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if is_invisible(name) {
                    continue;
                }
                let Some(child_el) = ElementRef::wrap(child) else {
                    continue;
                };
                if skip(child_el) {
                    continue;
                }
                let block = BLOCKS.contains(&name);
                if block {
                    out.push(' ');
                }
                push_text(child, out, skip);
                if block {
                    out.push(' ');
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
}
