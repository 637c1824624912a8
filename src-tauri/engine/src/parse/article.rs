//! Full article pages: title, date, byline, lead image, body paragraphs, related links, pager.
//!
//! Over 400 lines: one page type, read part by part (title, date, byline, image, body, related
//! links, pager); splitting it would scatter the selectors that belong together.

use super::date::{find_indonesian_datetime, parse_machine_datetime};
use super::text::{class_contains, collapse_ws, visible_text, visible_text_with};
use super::urls::{is_article_url, normalize, page_param, without_page};
use crate::error::{Error, Result};
use crate::model::{Article, RelatedLink};
use chrono::{DateTime, FixedOffset};
use scraper::{ElementRef, Html, Selector};
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;
use url::Url;

fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("static selector")
}

static TITLE: LazyLock<Selector> = LazyLock::new(|| sel("h1.detail-desk"));
static OG_TITLE: LazyLock<Selector> = LazyLock::new(|| sel(r#"meta[property="og:title"]"#));
static OG_IMAGE: LazyLock<Selector> = LazyLock::new(|| sel(r#"meta[property="og:image"]"#));
static DOC_TITLE: LazyLock<Selector> = LazyLock::new(|| sel("title"));
static ANY_H1: LazyLock<Selector> = LazyLock::new(|| sel("h1"));
static JSON_LD: LazyLock<Selector> = LazyLock::new(|| sel(r#"script[type="application/ld+json"]"#));
static CANONICAL: LazyLock<Selector> = LazyLock::new(|| sel(r#"link[rel="canonical"]"#));
static DATE_LINE: LazyLock<Selector> = LazyLock::new(|| {
    sel("div.fs14.ff-opensans.font-gray, .detail-desk ~ .font-gray, time, .date, .tanggal")
});
static META_DATE: LazyLock<Selector> = LazyLock::new(|| {
    sel(
        r#"meta[name="content_PublishedDate"], meta[property="article:published_time"], meta[name="pubdate"]"#,
    )
});
static BODY: LazyLock<Selector> = LazyLock::new(|| sel("[itemprop=articleBody]"));
static BODY_FALLBACK: LazyLock<Selector> = LazyLock::new(|| sel(".tmpt-desk-kon"));
static LEAD_IMAGE_BOX: LazyLock<Selector> = LazyLock::new(|| sel(".img-detail-desk, figure"));
static IMG: LazyLock<Selector> = LazyLock::new(|| sel("img"));
static CAPTION: LazyLock<Selector> = LazyLock::new(|| sel("figcaption, .font-gray, .caption"));
static BLOCKS: LazyLock<Selector> = LazyLock::new(|| sel("p, h2, h3, h4, blockquote, li"));
static LINKS: LazyLock<Selector> = LazyLock::new(|| sel("a[href]"));
static RELATED_LINK: LazyLock<Selector> = LazyLock::new(|| {
    sel("a.track-bacajuga-inside, a.track-selanjutnya, a.track-menarikdibaca, .track-selanjutnya a, .track-menarikdibaca a")
});

/// Lead-ins of in-body link lines that belong to `related`, not to the story.
const RELATED_LEADS: &[&str] = &[
    "baca juga",
    "selanjutnya",
    "menarik dibaca",
    "baca lainnya",
    "lihat juga",
];
/// Class fragments of in-body noise: ads, promos, donation boxes, pagers.
const NOISE_CLASSES: &[&str] = &[
    "gnews",
    "ads",
    "iklan",
    "banner",
    "pagination",
    "pager",
    "donasi",
    "donation",
    "dukung",
    "share",
    "newsletter",
    "promo",
    "wrap-tag",
    "baca-juga",
    "bacajuga",
];

/// Reads an article page. `page_url` is the page's address (used to resolve links
/// and to tell which page of a multi-page story this is).
pub fn parse_article_in(doc: &Html, page_url: &Url) -> Result<Article> {
    let ld = json_ld(doc);
    let url = canonical_url(doc, page_url);
    let title = title(doc, &ld).ok_or(Error::MissingPart("title"))?;
    let body = doc
        .select(&BODY)
        .next()
        .or_else(|| doc.select(&BODY_FALLBACK).next())
        .ok_or(Error::MissingPart("body"))?;

    let mut byline = Byline::default();
    let mut paragraphs = Vec::new();
    let mut related = Related::default();
    for block in body.select(&BLOCKS) {
        if is_noise(block, body) || has_block_ancestor(block, body) {
            continue;
        }
        let bare = visible_text_with(block, &|e| is_noise_el(e));
        if bare.is_empty() || is_promo_lead_in(block, &bare) {
            continue;
        }
        // A real paragraph keeps the words of a promo link it merely contains.
        let text = if bare.ends_with(" .") || bare.ends_with(" ,") {
            visible_text_with(block, &|e| is_noise_el(e) && e.value().name() != "a")
        } else {
            bare
        };
        if paragraphs.is_empty() && byline.is_empty() {
            if let Some(b) = Byline::parse(&text) {
                byline = b;
                continue;
            }
        }
        if is_related_line(block, &text) {
            push_related(block, page_url, &mut related);
            continue;
        }
        paragraphs.push(text);
    }
    if paragraphs.is_empty() {
        // Bodies without paragraph tags: text separated by line breaks.
        let text = visible_text_with(body, &|e| {
            is_noise_el(e) || e.value().name() == "a" && related_class(e)
        });
        paragraphs.extend(text.split("  ").map(collapse_ws).filter(|t| !t.is_empty()));
        if paragraphs.len() == 1 && byline.is_empty() {
            if let Some((b, rest)) = Byline::split_leading(&paragraphs[0]) {
                byline = b;
                paragraphs[0] = rest;
            }
        }
    }
    if paragraphs.is_empty() {
        return Err(Error::MissingPart("body"));
    }
    for a in body.select(&RELATED_LINK) {
        push_related(a, page_url, &mut related);
    }

    let (image_url, image_caption) = lead_image(doc, page_url);
    Ok(Article {
        url: url.to_string(),
        title,
        published_at: published_at(doc, &ld),
        reporter: byline.reporter,
        editor: byline.editor,
        source: byline.source,
        image_url,
        image_caption,
        paragraphs,
        related: related.in_page_order(),
        next_page_url: next_page(doc, page_url, &url),
    })
}

fn json_ld(doc: &Html) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for s in doc.select(&JSON_LD) {
        let raw: String = s.text().collect();
        let Ok(v) = serde_json::from_str::<serde_json::Value>(raw.trim()) else {
            continue;
        };
        match v {
            serde_json::Value::Array(items) => out.extend(items),
            other => {
                if let Some(graph) = other.get("@graph").and_then(|g| g.as_array()) {
                    out.extend(graph.iter().cloned());
                }
                out.push(other);
            }
        }
    }
    out
}

fn ld_string(ld: &[serde_json::Value], key: &str) -> Option<String> {
    ld.iter()
        .filter_map(|v| v.get(key))
        .find_map(|v| v.as_str().map(str::to_string))
        .map(|s| collapse_ws(&s))
        .filter(|s| !s.is_empty())
}

fn canonical_url(doc: &Html, page_url: &Url) -> Url {
    let canonical = doc
        .select(&CANONICAL)
        .filter_map(|l| l.value().attr("href"))
        .find_map(|h| normalize(h, page_url))
        .filter(|u| is_article_url(u, page_url));
    without_page(&canonical.unwrap_or_else(|| {
        normalize(page_url.as_str(), page_url).unwrap_or_else(|| page_url.clone())
    }))
}

fn title(doc: &Html, ld: &[serde_json::Value]) -> Option<String> {
    let non_empty = |s: String| (!s.is_empty()).then_some(s);
    doc.select(&TITLE)
        .map(visible_text)
        .find(|t| !t.is_empty())
        .or_else(|| {
            doc.select(&OG_TITLE)
                .filter_map(|m| m.value().attr("content"))
                .map(collapse_ws)
                .find(|t| !t.is_empty())
        })
        .or_else(|| ld_string(ld, "headline"))
        .or_else(|| {
            doc.select(&ANY_H1)
                .map(visible_text)
                .find(|t| !t.is_empty())
        })
        .or_else(|| {
            let t = collapse_ws(&doc.select(&DOC_TITLE).next()?.text().collect::<String>());
            let t = t.split(" - Kontan").next().unwrap_or(&t).to_string();
            non_empty(t.split(" | ").next().unwrap_or(&t).trim().to_string())
        })
}

fn published_at(doc: &Html, ld: &[serde_json::Value]) -> Option<DateTime<FixedOffset>> {
    doc.select(&DATE_LINE)
        .find_map(|e| {
            e.value()
                .attr("datetime")
                .and_then(parse_machine_datetime)
                .or_else(|| find_indonesian_datetime(&visible_text(e)))
        })
        .or_else(|| {
            doc.select(&META_DATE)
                .filter_map(|m| m.value().attr("content"))
                .find_map(parse_machine_datetime)
        })
        .or_else(|| ld_string(ld, "datePublished").and_then(|d| parse_machine_datetime(&d)))
}

fn lead_image(doc: &Html, page_url: &Url) -> (Option<String>, Option<String>) {
    if let Some(boxed) = doc.select(&LEAD_IMAGE_BOX).next() {
        let img = boxed.select(&IMG).find_map(|i| {
            ["data-src", "src"]
                .iter()
                .filter_map(|k| i.value().attr(k))
                .filter(|s| !s.starts_with("data:"))
                .find_map(|s| normalize(s, page_url))
        });
        let caption = boxed
            .select(&CAPTION)
            .map(visible_text)
            .find(|t| !t.is_empty())
            .or_else(|| Some(visible_text(boxed)).filter(|t| !t.is_empty()));
        if img.is_some() {
            return (img.map(String::from), caption);
        }
    }
    let og = doc
        .select(&OG_IMAGE)
        .filter_map(|m| m.value().attr("content"))
        .find_map(|s| normalize(s, page_url))
        .map(String::from);
    (og, None)
}

fn is_noise_el(e: ElementRef<'_>) -> bool {
    let Some(class) = e.value().attr("class") else {
        return e
            .value()
            .id()
            .is_some_and(|id| id.starts_with("div-gpt-ad"));
    };
    let class = class.to_ascii_lowercase();
    NOISE_CLASSES.iter().any(|n| class.contains(n))
}

/// True when the block sits inside noise (between it and the body).
fn is_noise(block: ElementRef<'_>, body: ElementRef<'_>) -> bool {
    std::iter::once(block)
        .chain(
            block
                .ancestors()
                .filter_map(ElementRef::wrap)
                .take_while(|e| e.id() != body.id()),
        )
        .any(is_noise_el)
}

/// True when another text block encloses this one (its text is read with the outer block).
fn has_block_ancestor(block: ElementRef<'_>, body: ElementRef<'_>) -> bool {
    block
        .ancestors()
        .filter_map(ElementRef::wrap)
        .take_while(|e| e.id() != body.id())
        .any(|e| {
            matches!(
                e.value().name(),
                "p" | "h2" | "h3" | "h4" | "blockquote" | "li"
            )
        })
}

fn related_class(e: ElementRef<'_>) -> bool {
    ["track-bacajuga", "track-selanjutnya", "track-menarikdibaca"]
        .iter()
        .any(|c| class_contains(e, c))
}

fn is_related_line(block: ElementRef<'_>, text: &str) -> bool {
    let lower = text.to_lowercase();
    let lead = RELATED_LEADS
        .iter()
        .any(|l| lower.starts_with(l) && lower[l.len()..].trim_start().starts_with(':'));
    lead || block.select(&LINKS).any(related_class) && block.select(&LINKS).count() >= 1 && {
        // The whole line is the link (plus its lead-in), not a sentence that happens to link.
        let link_text: usize = block.select(&LINKS).map(|a| visible_text(a).len()).sum();
        link_text * 2 >= text.len()
    }
}

/// Related links in page order, each address once: whichever pass finds a link, it takes the
/// place its anchor has in the page.
#[derive(Default)]
struct Related {
    /// Each link with its anchor's position among the page's nodes.
    links: Vec<(usize, RelatedLink)>,
    seen: HashSet<String>,
    /// Node positions in document order, numbered once on first use.
    order: HashMap<ego_tree::NodeId, usize>,
}

impl Related {
    fn position(&mut self, a: ElementRef<'_>) -> usize {
        if self.order.is_empty() {
            let root = a.tree().root();
            self.order = root
                .descendants()
                .enumerate()
                .map(|(i, n)| (n.id(), i))
                .collect();
        }
        self.order.get(&a.id()).copied().unwrap_or(usize::MAX)
    }

    /// The links in the order the reader meets them.
    fn in_page_order(mut self) -> Vec<RelatedLink> {
        self.links.sort_by_key(|(at, _)| *at);
        self.links.into_iter().map(|(_, link)| link).collect()
    }
}

/// True when the block's only job is to lead in to a promo link ("Cek Berita dan Artikel yang
/// lain di <a class=track-gnews>Google News</a>"): it holds a noise link, and what is left
/// without it is a short line that does not end a sentence. A real paragraph that merely
/// contains such a link ends with its full stop and stays.
fn is_promo_lead_in(block: ElementRef<'_>, rest: &str) -> bool {
    let holds_noise_link = block.select(&LINKS).any(|a| {
        std::iter::once(a)
            .chain(
                a.ancestors()
                    .filter_map(ElementRef::wrap)
                    .take_while(|e| e.id() != block.id()),
            )
            .any(is_noise_el)
    });
    holds_noise_link
        && rest.chars().count() <= 120
        && !rest
            .trim_end()
            .ends_with(['.', '!', '?', '…', '"', '”', ')'])
}

fn push_related(el: ElementRef<'_>, page_url: &Url, related: &mut Related) {
    let anchors: Vec<ElementRef<'_>> = if el.value().name() == "a" {
        vec![el]
    } else {
        el.select(&LINKS).collect()
    };
    for a in anchors {
        let Some(url) = a.value().attr("href").and_then(|h| normalize(h, page_url)) else {
            continue;
        };
        let title = visible_text(a);
        if title.is_empty() || !is_article_url(&url, page_url) {
            continue;
        }
        let url = url.to_string();
        if related.seen.insert(url.clone()) {
            let at = related.position(a);
            related.links.push((at, RelatedLink { title, url }));
        }
    }
}

/// The pager's link to the page after this one; none on `?page=all` or the last page.
fn next_page(doc: &Html, page_url: &Url, article_url: &Url) -> Option<String> {
    let current = match page_param(page_url) {
        Some(p) if p.eq_ignore_ascii_case("all") => return None,
        Some(p) => p.parse::<u32>().ok()?,
        None => 1,
    };
    doc.select(&LINKS)
        .filter_map(|a| normalize(a.value().attr("href")?, page_url))
        .filter(|u| u.host_str() == article_url.host_str() && u.path() == article_url.path())
        .filter_map(|u| Some((page_param(&u)?.parse::<u32>().ok()?, u)))
        .filter(|(n, _)| *n > current)
        .min_by_key(|(n, _)| *n)
        .map(|(_, u)| u.to_string())
}

/// "Reporter: X | Editor: Y", "Penulis: X | Editor: Y", "Sumber: X | Editor: Y".
#[derive(Debug, Default)]
struct Byline {
    reporter: Option<String>,
    editor: Option<String>,
    source: Option<String>,
}

impl Byline {
    fn is_empty(&self) -> bool {
        self.reporter.is_none() && self.editor.is_none() && self.source.is_none()
    }

    /// Parses a whole line as a byline; `None` when any part is not a byline field.
    fn parse(line: &str) -> Option<Byline> {
        if line.chars().count() > 200 {
            return None;
        }
        let mut b = Byline::default();
        for part in line.split('|') {
            let (key, value) = part.split_once(':')?;
            let value = collapse_ws(value);
            if value.is_empty() {
                continue;
            }
            match key.trim().to_lowercase().as_str() {
                "reporter" | "penulis" | "wartawan" | "laporan wartawan" | "kontributor" => {
                    b.reporter = Some(value)
                }
                "editor" | "penyunting" => b.editor = Some(value),
                "sumber" | "source" => b.source = Some(value),
                _ => return None,
            }
        }
        (!b.is_empty()).then_some(b)
    }

    /// Splits "Reporter: X | Editor: Y KONTAN.CO.ID - ..." into the byline and the rest.
    fn split_leading(text: &str) -> Option<(Byline, String)> {
        let at = text.find("KONTAN.CO.ID")?;
        Some((Byline::parse(text[..at].trim())?, text[at..].to_string()))
    }
}
