//! A linear look at how deeply a page nests its elements, taken before any tree is built.
//!
//! A hostile page can nest 100,000 elements inside 1 MB. Building and walking such a tree costs
//! time that grows with the square of the depth, so pages nesting deeper than any real kontan
//! page (about 40 levels) by a wide margin are refused up front, in one pass over the bytes.
//! Browsers draw the same line: Chromium's parser stops nesting at 512 levels.

use crate::error::{Error, Result};

/// The deepest nesting of elements a page may have.
pub const MAX_NESTING: usize = 512;

/// Elements that never hold others.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];
/// Elements whose end tag the parser implies when a sibling starts: they cannot pile up.
const IMPLIED_END: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot",
    "colgroup", "rb", "rt", "rp", "rtc", "html", "head", "body",
];
/// Elements whose content is text up to their own end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];
/// Elements inside which `<x/>` really closes `x` (SVG and MathML).
const FOREIGN: &[&str] = &["svg", "math"];

/// Refuses a page that nests elements deeper than [`MAX_NESTING`]. Costs one pass.
pub fn check_nesting(html: &str) -> Result<()> {
    if max_depth(html, MAX_NESTING) > MAX_NESTING {
        return Err(Error::TooDeep(MAX_NESTING));
    }
    Ok(())
}

/// The deepest nesting the markup asks for, counting only elements that can pile up; stops
/// counting once it passes `limit`.
pub fn max_depth(html: &str, limit: usize) -> usize {
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut depth: usize = 0;
    let mut deepest: usize = 0;
    let mut foreign: usize = 0;
    while let Some(off) = memchr(b'<', &bytes[i..]) {
        i += off + 1;
        let rest = &bytes[i..];
        if rest.starts_with(b"!--") {
            i = find(bytes, i + 3, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        match rest.first() {
            Some(b'!') | Some(b'?') => {
                i = skip_tag(bytes, i);
            }
            Some(b'/') => {
                let (name, end) = tag_name(bytes, i + 1);
                i = skip_tag(bytes, end);
                if FOREIGN.contains(&name.as_str()) {
                    foreign = foreign.saturating_sub(1);
                }
                if counts(&name) {
                    depth = depth.saturating_sub(1);
                }
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let (name, end) = tag_name(bytes, i);
                let close = skip_tag(bytes, end);
                let self_closing = close >= 2 && bytes[close - 2] == b'/';
                i = close;
                if RAW_TEXT.contains(&name.as_str()) {
                    let needle = format!("</{name}");
                    i = find_ignore_case(bytes, i, needle.as_bytes()).unwrap_or(bytes.len());
                    continue;
                }
                if self_closing && (foreign > 0 || FOREIGN.contains(&name.as_str())) {
                    continue;
                }
                if FOREIGN.contains(&name.as_str()) {
                    foreign += 1;
                }
                if counts(&name) {
                    depth += 1;
                    deepest = deepest.max(depth);
                    if deepest > limit {
                        return deepest;
                    }
                }
            }
            _ => {}
        }
    }
    deepest
}

fn counts(name: &str) -> bool {
    !name.is_empty() && !VOID.contains(&name) && !IMPLIED_END.contains(&name)
}

/// The lower-cased tag name starting at `from`, and where it ends.
fn tag_name(bytes: &[u8], from: usize) -> (String, usize) {
    let mut end = from;
    while end < bytes.len()
        && !bytes[end].is_ascii_whitespace()
        && bytes[end] != b'>'
        && bytes[end] != b'/'
        && end - from < 32
    {
        end += 1;
    }
    (
        String::from_utf8_lossy(&bytes[from..end]).to_ascii_lowercase(),
        end,
    )
}

/// The position after the `>` that ends the tag, quotes respected.
fn skip_tag(bytes: &[u8], mut i: usize) -> usize {
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return i + 1,
            None => {}
        }
        i += 1;
    }
    bytes.len()
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn find_ignore_case(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(n: usize) -> String {
        format!(
            "<html><body>{}x{}</body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        )
    }

    #[test]
    fn counts_what_piles_up() {
        assert_eq!(max_depth(&nested(3), 100), 3);
        assert_eq!(max_depth("<p>a<p>b<p>c<li>d<li>e<br><img src=x>", 100), 0);
        assert_eq!(
            max_depth("<div title='<div><div>'><!-- <div><div> --></div>", 100),
            1
        );
        assert_eq!(
            max_depth(
                "<script>for(i=0;i<9;i++)'<div><div><div>'</script><b>x</b>",
                100
            ),
            1
        );
        assert_eq!(
            max_depth("<svg><path d='M0'/><path/><path/></svg>", 100),
            1,
            "self-closing in SVG"
        );
        assert_eq!(
            max_depth("<div/><div/><div/>", 100),
            3,
            "HTML ignores the slash"
        );
    }

    #[test]
    fn refuses_deep_pages_and_keeps_real_ones() {
        assert!(check_nesting(&nested(MAX_NESTING)).is_ok());
        assert!(matches!(
            check_nesting(&nested(MAX_NESTING + 1)),
            Err(Error::TooDeep(_))
        ));
        assert!(matches!(
            check_nesting(&nested(200_000)),
            Err(Error::TooDeep(_))
        ));
    }
}
