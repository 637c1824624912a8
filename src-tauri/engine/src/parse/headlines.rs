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
/// Parts of a page that never hold headlines.
const CHROME_TAGS: &[&str] = &["nav", "header", "footer"];

/// Reads the headlines of an HTML list page.
pub fn parse_headlines_in(doc: &Html, page: &Url) -> Result<Vec<Headline>> {
    let mut order: Vec<String> = Vec::new();
    let mut found: HashMap<String, Headline> = HashMap::new();
    // Each list item's text, read once however many links it holds.
    let mut item_texts: HashMap<ego_tree::NodeId, String> = HashMap::new();
    for a in doc.select(&LINKS) {
        let Some(url) = a.value().attr("href").and_then(|h| normalize(h, page)) else {
            continue;
        };
        if !is_article_url(&url, page) || in_chrome(a) {
            continue;
        }
        let item = item_of(a);
        let title = title_for(a, item);
        if title.is_empty() {
            continue; // an image-only link; its item's text link carries the title
        }
        let item_text = item_texts
            .entry(item.id())
            .or_insert_with(|| visible_text(item));
        let headline = Headline {
            title,
            url: url.to_string(),
            published_at: find_indonesian_datetime(item_text),
            channel: channel_of(item),
            image_url: image_of(item, page),
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

/// The headline text: the link's own text, else the same link's text elsewhere in the item.
fn title_for(a: ElementRef<'_>, item: ElementRef<'_>) -> String {
    let own = visible_text(a);
    if !own.is_empty() {
        return own;
    }
    let href = a.value().attr("href");
    item.select(&LINKS)
        .filter(|other| other.value().attr("href") == href)
        .map(visible_text)
        .find(|t| !t.is_empty())
        .unwrap_or_default()
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
