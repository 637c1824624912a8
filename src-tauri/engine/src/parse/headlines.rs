//! Headline lists: the date index, channel front pages, the www homepage rails.
//!
//! Items are found from their article links (`/news/<slug>`), grouped by the list item that
//! holds them, so the parser survives class renames; date, channel and thumbnail come from
//! the same item.

use super::date::find_indonesian_datetime;
use super::text::{collapse_ws, visible_text};
use super::urls::{is_article_url, normalize, normalize_str};
use crate::error::{Error, Result};
use crate::model::Headline;
use scraper::{ElementRef, Html, Selector};
use std::collections::HashMap;
use std::sync::LazyLock;
use url::Url;

static LINKS: LazyLock<Selector> = LazyLock::new(|| Selector::parse("a[href]").expect("selector"));
static IMAGES: LazyLock<Selector> = LazyLock::new(|| Selector::parse("img").expect("selector"));
static CHANNEL_MARK: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse(".linkto-orange, .kanal, .channel, .rubrik").expect("selector")
});

/// Containers that hold one headline each.
const ITEM_TAGS: &[&str] = &["li", "article"];
/// At most this many nodes in an element read as a date line ("Saham | Selasa, … WIB").
const DATE_LINE_NODES: usize = 16;
/// Parts of a page that never hold headlines.
const CHROME_TAGS: &[&str] = &["nav", "header", "footer"];

/// What a list item says about every headline in it, read once per item however many links it
/// holds (a hostile page may put 200,000 links in one element: the work stays linear).
struct ItemFacts {
    published_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    channel: Option<String>,
    image_url: Option<String>,
    /// Each link's first non-empty text in the item, by `href`.
    titles: HashMap<String, String>,
}

impl ItemFacts {
    fn read(item: ElementRef<'_>, page: &Url) -> ItemFacts {
        let mut titles: HashMap<String, String> = HashMap::new();
        for link in item.select(&LINKS) {
            let Some(href) = link.value().attr("href") else {
                continue;
            };
            if !titles.contains_key(href) {
                let text = visible_text(link);
                if !text.is_empty() {
                    titles.insert(href.to_string(), text);
                }
            }
        }
        ItemFacts {
            published_at: find_indonesian_datetime(&visible_text(item)),
            channel: channel_of(item),
            image_url: image_of(item, page),
            titles,
        }
    }
}

/// Reads the headlines of an HTML list page.
pub fn parse_headlines_in(doc: &Html, page: &Url) -> Result<Vec<Headline>> {
    let mut order: Vec<String> = Vec::new();
    let mut found: HashMap<String, Headline> = HashMap::new();
    let mut items: HashMap<ego_tree::NodeId, ItemFacts> = HashMap::new();
    for a in doc.select(&LINKS) {
        let Some(url) = a.value().attr("href").and_then(|h| normalize(h, page)) else {
            continue;
        };
        if !is_article_url(&url, page) || in_chrome(a) {
            continue;
        }
        let item = item_of(a);
        let facts = items
            .entry(item.id())
            .or_insert_with(|| ItemFacts::read(item, page));
        // The link's own text, else the same link's text elsewhere in the item.
        let Some(title) = a
            .value()
            .attr("href")
            .and_then(|href| facts.titles.get(href))
            .cloned()
        else {
            continue; // an image-only link; its item's text link carries the title
        };
        let headline = Headline {
            title,
            url: url.to_string(),
            published_at: facts.published_at,
            channel: facts.channel.clone(),
            image_url: facts.image_url.clone(),
        };
        match found.get_mut(&headline.url) {
            Some(seen) => {
                // The same story in another rail: keep the first, fill in what it lacked.
                seen.published_at = seen.published_at.or(headline.published_at);
                seen.channel = seen.channel.take().or(headline.channel);
                seen.image_url = seen.image_url.take().or(headline.image_url);
            }
            None => {
                order.push(headline.url.clone());
                found.insert(headline.url.clone(), headline);
            }
        }
    }
    if order.is_empty() {
        return Err(Error::NoHeadlines);
    }
    Ok(order.into_iter().filter_map(|u| found.remove(&u)).collect())
}

fn in_chrome(a: ElementRef<'_>) -> bool {
    a.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|e| CHROME_TAGS.contains(&e.value().name()))
}

/// The list item holding a link, or the link's grandparent when there is none.
fn item_of(a: ElementRef<'_>) -> ElementRef<'_> {
    let mut ancestors = a.ancestors().filter_map(ElementRef::wrap).take(6);
    let within: Vec<ElementRef<'_>> = ancestors.by_ref().collect();
    within
        .iter()
        .copied()
        .find(|e| ITEM_TAGS.contains(&e.value().name()))
        .or_else(|| within.get(1).copied())
        .or_else(|| within.first().copied())
        .unwrap_or(a)
}

/// The channel or rubric shown in the item ("Saham", "Keuangan").
fn channel_of(item: ElementRef<'_>) -> Option<String> {
    if let Some(mark) = item.select(&CHANNEL_MARK).next() {
        let t = visible_text(mark);
        let t = t.trim_matches(|c: char| c == '|' || c.is_whitespace());
        if !t.is_empty() && t.chars().count() <= 40 {
            return Some(t.to_string());
        }
    }
    // "Saham | Selasa, 29 April 2025 / 08:10 WIB": the words before the bar, in a date line.
    item.descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| matches!(e.value().name(), "div" | "span" | "p" | "small" | "time"))
        // A date line is a small element; reading only small ones keeps nested wrappers from
        // making this quadratic.
        .filter(|e| e.descendants().take(DATE_LINE_NODES).count() < DATE_LINE_NODES)
        .map(visible_text)
        .filter(|t| t.contains('|') && find_indonesian_datetime(t).is_some())
        .find_map(|t| {
            let before = collapse_ws(t.split('|').next().unwrap_or(""));
            let ok = !before.is_empty()
                && before.chars().count() <= 40
                && !before.chars().any(|c| c.is_ascii_digit());
            ok.then_some(before)
        })
}

/// The item's thumbnail; lazy images keep the real address in `data-src`.
fn image_of(item: ElementRef<'_>, page: &Url) -> Option<String> {
    item.select(&IMAGES).find_map(|img| {
        let v = img.value();
        ["data-src", "data-original", "data-lazy-src", "src"]
            .iter()
            .filter_map(|k| v.attr(k))
            .filter(|s| !s.trim_start().starts_with("data:"))
            .find_map(|s| normalize_str(s, page))
    })
}
