//! RSS 2.0 (and Atom) feeds such as `https://investasi.kontan.co.id/rss`.

use super::date::parse_machine_datetime;
use super::text::{collapse_ws, visible_text};
use super::urls::{is_article_url, normalize, normalize_str};
use crate::error::{Error, Result};
use crate::model::Headline;
use std::collections::HashSet;
use url::Url;

/// True when the body looks like an XML feed rather than an HTML page.
pub fn looks_like_feed(body: &str) -> bool {
    let head: String = body
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(512)
        .collect();
    let head = head.to_ascii_lowercase();
    head.starts_with("<?xml") || head.starts_with("<rss") || head.starts_with("<feed")
}

/// Reads the items of an RSS 2.0 or Atom feed; only article links count.
///
/// A feed declaring a DTD is refused: its entities could expand a small file into gigabytes,
/// and no real feed needs one.
pub fn parse_feed(body: &str, page: &Url) -> Result<Vec<Headline>> {
    let doc = roxmltree::Document::parse_with_options(
        body.trim_start_matches('\u{feff}'),
        roxmltree::ParsingOptions {
            allow_dtd: false,
            nodes_limit: 1_000_000,
        },
    )
    .map_err(|e| match e {
        roxmltree::Error::DtdDetected => {
            Error::InvalidFeed("the feed declares a DTD (refused: entity expansion)".into())
        }
        e => Error::InvalidFeed(e.to_string()),
    })?;
    let mut out: Vec<Headline> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for item in doc
        .descendants()
        .filter(|n| n.is_element() && matches!(n.tag_name().name(), "item" | "entry"))
    {
        let child = |name: &str| {
            item.children()
                .find(|c| c.is_element() && c.tag_name().name() == name)
        };
        let text = |name: &str| {
            child(name)
                .map(|c| collapse_ws(&all_text(c)))
                .filter(|t| !t.is_empty())
        };
        let link = text("link")
            .or_else(|| {
                child("link")
                    .and_then(|l| l.attribute("href"))
                    .map(str::to_string)
            })
            .or_else(|| text("guid"));
        let Some(url) = link.and_then(|l| normalize(&l, page)) else {
            continue;
        };
        if !is_article_url(&url, page) {
            continue;
        }
        let Some(title) = text("title")
            .map(|t| strip_tags(&t))
            .filter(|t| !t.is_empty())
        else {
            continue;
        };
        let published_at = ["pubDate", "published", "updated", "date"]
            .iter()
            .find_map(|n| text(n).and_then(|t| parse_machine_datetime(&t)));
        let image_url = item
            .children()
            .filter(|c| {
                c.is_element()
                    && matches!(c.tag_name().name(), "enclosure" | "content" | "thumbnail")
            })
            .find_map(|c| c.attribute("url"))
            .map(str::to_string)
            .or_else(|| text("description").and_then(|d| first_img_src(&d)))
            .and_then(|s| normalize_str(&s, page));
        let url = url.to_string();
        if !seen.insert(url.clone()) {
            continue;
        }
        out.push(Headline {
            title,
            url,
            published_at,
            channel: text("category"),
            image_url,
        });
    }
    if out.is_empty() {
        return Err(Error::NoHeadlines);
    }
    Ok(out)
}

fn all_text(node: roxmltree::Node<'_, '_>) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

/// Feed titles sometimes carry markup inside CDATA; keep only the text.
fn strip_tags(s: &str) -> String {
    if !s.contains('<') {
        return s.to_string();
    }
    if super::depth::check_nesting(s).is_err() {
        return String::new();
    }
    visible_text(scraper::Html::parse_fragment(s).root_element())
}

fn first_img_src(html: &str) -> Option<String> {
    super::depth::check_nesting(html).ok()?;
    let frag = scraper::Html::parse_fragment(html);
    let sel = scraper::Selector::parse("img[src]").ok()?;
    frag.select(&sel)
        .next()?
        .value()
        .attr("src")
        .map(str::to_string)
}
