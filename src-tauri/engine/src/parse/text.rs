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
}
