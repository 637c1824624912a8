//! The recorded pages, rendered for a moment of site time.

use crate::series::Quote;
use pantau_engine::parse::number::format_id;
use std::collections::HashMap;
use std::path::Path;

const KOREA_TITLE: &str = "Untuk Kali Pertama, Korea Utara Akui Kirim pasukan ke Rusia";
const KOREA_URL: &str = "https://internasional.kontan.co.id/news/untuk-kali-pertama-korea-utara-akui-kirim-pasukan-ke-rusia";
const RUPIAH_PATH: &str =
    "keuangan.kontan.co.id/news/rupiah-ditutup-melemah-ke-rp-16689-per-dolar-as-senin-28-april";
const BAR_OPEN: &str = "<ul class=\"list-indikator\">";
/// Where the recorded article's body starts and ends, and its picture's caption.
const BODY_OPEN: &str = "<div class=\"tmpt-desk-kon\" itemprop=\"articleBody\">";
const BODY_END: &str = "<div class=\"track-gnews-wrap\">";
const CAPTION_OPEN: &str = "<div class=\"fs12 ff-opensans font-gray mar-t-5\">";

/// What the site shows right now.
pub struct View<'a> {
    /// The market's quotes at this moment.
    pub quotes: &'a [Quote],
    /// How many new headlines have appeared.
    pub fresh_headlines: u32,
    /// Show the bar with garbage numbers.
    pub garbage_bar: bool,
    /// Show the redesigned (layout-changed) page.
    pub layout_changed: bool,
    /// List a headline pointing at the hostile article (script tags, handlers, `javascript:`).
    pub hostile_headline: bool,
    /// Article pages name another canonical address than their own (`…-kanonik`).
    pub canonical_elsewhere: bool,
    /// Stories published as the test runs (`/__control/breaking`), oldest first.
    pub breaking: &'a [Breaking],
}

/// A story published while the site runs, at a real time.
#[derive(Debug, Clone)]
pub struct Breaking {
    /// Its address.
    pub url: String,
    /// Its headline (plain text).
    pub title: String,
    /// When it was published.
    pub published: chrono::DateTime<chrono::FixedOffset>,
}

/// Text made safe inside HTML.
fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const DAYS_ID: [&str; 7] = [
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
];

/// A list's time line as kontan writes it: `Selasa, 29 April 2025 / 09:15 WIB`.
fn kontan_time(at: chrono::DateTime<chrono::FixedOffset>) -> String {
    use chrono::{Datelike, Timelike};
    format!(
        "{}, {} {} {} / {:02}:{:02} WIB",
        DAYS_ID[at.weekday().num_days_from_monday() as usize],
        at.day(),
        MONTHS_ID[at.month0() as usize],
        at.year(),
        at.hour(),
        at.minute()
    )
}

/// The page templates.
pub struct Pages {
    home: String,
    channel: String,
    indeks: String,
    rss: String,
    korea: String,
    rupiah_page1: String,
    rupiah_all: String,
    hostile: String,
    /// The lead picture every story shows (a JPEG).
    picture: Vec<u8>,
    /// The slug of every article the lists link to → its title.
    titles: HashMap<String, String>,
    /// Every listed story as (slug, address, title), sorted by slug (for "Baca Juga" links).
    listed: Vec<(String, String, String)>,
}

impl Pages {
    /// Loads the pages from the fixture folder.
    pub fn load(dir: &Path) -> std::io::Result<Pages> {
        let read = |name: &str| std::fs::read_to_string(dir.join(name));
        let mut pages = Pages {
            home: read("home.html")?,
            channel: read("channel-investasi.html")?,
            indeks: read("indeks.html")?,
            rss: read("investasi-rss.xml")?,
            korea: read("article-korea-utara.html")?,
            rupiah_page1: read("article-rupiah-page1.html")?,
            rupiah_all: read("article-rupiah-all.html")?,
            hostile: read("variants/article-hostile.html")?,
            picture: std::fs::read(dir.join("images/lead.jpg"))?,
            titles: HashMap::new(),
            listed: Vec::new(),
        };
        for (page, url) in [
            (&pages.home, "https://www.kontan.co.id/"),
            (&pages.channel, "https://investasi.kontan.co.id/"),
            (&pages.indeks, "https://www.kontan.co.id/search/indeks"),
        ] {
            let url = pantau_engine::parse::page_url(url).expect("url");
            for h in pantau_engine::parse::parse_headlines(page, &url).unwrap_or_default() {
                if let Some((_, slug)) = h.url.split_once("/news/") {
                    pages.titles.insert(slug.to_string(), h.title.clone());
                    pages
                        .listed
                        .push((slug.to_string(), h.url.clone(), h.title));
                }
            }
        }
        pages.listed.sort();
        pages.listed.dedup_by(|a, b| a.0 == b.0);
        Ok(pages)
    }

    /// Another listed story for the "Baca Juga" link of `title`: the next one by slug on the same
    /// topic, else the next one by slug.
    fn related_to(&self, slug: &str, title: &str) -> Option<(&str, &str)> {
        let topic = crate::story::topic_of(title);
        let same_topic: Vec<&(String, String, String)> = self
            .listed
            .iter()
            .filter(|(s, _, t)| s != slug && crate::story::topic_of(t) == topic)
            .collect();
        let any_other: Vec<&(String, String, String)> =
            self.listed.iter().filter(|(s, _, _)| s != slug).collect();
        let found = next_after(&same_topic, slug).or_else(|| next_after(&any_other, slug))?;
        Some((found.1.as_str(), found.2.as_str()))
    }
}

/// The first of `stories` (sorted by slug) after `slug`, wrapping round to the first.
fn next_after<'a>(
    stories: &[&'a (String, String, String)],
    slug: &str,
) -> Option<&'a (String, String, String)> {
    stories
        .iter()
        .find(|(s, _, _)| s.as_str() > slug)
        .or(stories.first())
        .copied()
}

impl Pages {
    /// A picture on kontan's image hosts: `/foto.kontan.co.id/….jpg` is the recorded lead
    /// picture, except that a path naming `raksasa` is 3 MB (over Pantau's picture cap) and one
    /// naming `bukan-gambar` is a page labelled as a JPEG.
    pub fn picture(&self, target: &str) -> Option<(&'static str, Vec<u8>)> {
        let path = target.strip_prefix("/foto.kontan.co.id/")?;
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        if !path.ends_with(".jpg") {
            return None;
        }
        if path.contains("bukan-gambar") {
            let page = "<!doctype html><svg onload=alert(1)></svg>"
                .as_bytes()
                .to_vec();
            return Some(("image/jpeg", page));
        }
        if path.contains("raksasa") {
            let mut big = self.picture.clone();
            big.resize(3 * 1024 * 1024, 0);
            return Some(("image/jpeg", big));
        }
        Some(("image/jpeg", self.picture.clone()))
    }

    /// Renders `/HOST/PATH?QUERY`; `None` for paths the site does not have.
    pub fn render(&self, target: &str, view: &View<'_>) -> Option<(&'static str, String)> {
        let rest = target.strip_prefix('/')?;
        let (host, path_query) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
        if host.ends_with("finance.yahoo.com") {
            return yahoo(path, view.quotes).map(|b| ("application/json", b));
        }
        if !(host == "kontan.co.id" || host.ends_with(".kontan.co.id")) {
            return None;
        }
        if path == "/robots.txt" {
            return Some((
                "text/plain",
                "User-agent: *\nDisallow: /news/dilarang-\nDisallow: /private/\n".into(),
            ));
        }
        if path == "/rss" || path == "/rss/" {
            // Every channel's feed and front page carry the same recorded stories, so a story
            // has one address wherever it is listed.
            return Some((
                "application/rss+xml; charset=utf-8",
                with_fresh_rss(self.rss.clone(), view),
            ));
        }
        let html = if host == "www.kontan.co.id" && (path == "/" || path.is_empty()) {
            with_fresh_list(
                self.home.clone(),
                "<div class=\"hed-kiri\">TERBARU</div><ul>",
                view,
                false,
            )
        } else if path == "/search/indeks" || path == "/search/indeks/" {
            self.indeks.clone()
        } else if path == "/" {
            with_fresh_list(self.channel.clone(), "<ul id=\"list-news\">", view, true)
        } else {
            let slug = path.strip_prefix("/news/")?;
            let page = match view
                .breaking
                .iter()
                .find(|b| b.url == format!("https://{host}{path}"))
            {
                Some(b) => story_page(&self.korea, &b.url, &escape_html(&b.title), None),
                None => self.article(host, slug, query)?,
            };
            if view.canonical_elsewhere {
                canonical_elsewhere(&page, host, slug)
            } else {
                page
            }
        };
        let html = render_bar(&html, view);
        let html = if view.layout_changed {
            redesigned(&html)
        } else {
            html
        };
        Some(("text/html; charset=utf-8", html))
    }

    fn article(&self, host: &str, slug: &str, query: &str) -> Option<String> {
        let key = format!("{host}/news/{slug}");
        if key == RUPIAH_PATH {
            let all = query
                .split('&')
                .any(|kv| kv == "page=all" || kv == "page=2");
            return Some(if all {
                self.rupiah_all.clone()
            } else {
                self.rupiah_page1.clone()
            });
        }
        if format!("https://{key}") == KOREA_URL {
            return Some(self.korea.clone());
        }
        if slug == "hostile-fixture" {
            return Some(self.hostile.clone());
        }
        let title = match slug.strip_prefix("kabar-pasar-terkini-") {
            Some(n) => fresh_title(n.parse().ok()?),
            None => self.titles.get(slug)?.clone(),
        };
        let related = self.related_to(slug, &title);
        Some(story_page(
            &self.korea,
            &format!("https://{key}"),
            &title,
            related,
        ))
    }
}

/// The recorded article's frame around a story written for `title` (see [`crate::story`]).
fn story_page(frame: &str, url: &str, title: &str, related: Option<(&str, &str)>) -> String {
    let page = frame.replace(KOREA_URL, url).replace(KOREA_TITLE, title);
    let (Some(start), Some(end)) = (page.find(BODY_OPEN), page.find(BODY_END)) else {
        return page;
    };
    let start = start + BODY_OPEN.len();
    let caption_start = page.find(CAPTION_OPEN).map(|i| i + CAPTION_OPEN.len());
    let mut out = String::with_capacity(page.len());
    match caption_start.and_then(|c| page[c..].find("</div>").map(|e| (c, c + e))) {
        Some((c, e)) if e < start => {
            out.push_str(&page[..c]);
            out.push_str(&crate::story::caption(title));
            out.push_str(&page[e..start]);
        }
        _ => out.push_str(&page[..start]),
    }
    out.push('\n');
    out.push_str(&crate::story::body(title, related));
    out.push_str(&page[end..]);
    out
}

fn fresh_title(n: u32) -> String {
    format!("Kabar Pasar Terkini Nomor {n}: Rupiah dan IHSG Bergerak")
}

fn fresh_time(n: u32) -> (u32, u32) {
    let minutes = 9 * 60 + 10 + n;
    ((minutes / 60) % 24, minutes % 60)
}

/// Puts the newest headlines at the top of a list.
fn with_fresh_list(page: String, anchor: &str, view: &View<'_>, channel_style: bool) -> String {
    if view.fresh_headlines == 0 && !view.hostile_headline && view.breaking.is_empty() {
        return page;
    }
    let mut items = String::new();
    for b in view.breaking.iter().rev() {
        let (url, title, when) = (&b.url, escape_html(&b.title), kontan_time(b.published));
        if channel_style {
            items.push_str(&format!("<li><div class=\"sp-hl\"><h1><a href=\"{url}\">{title}</a></h1><div class=\"ket\"><span class=\"linkto-orange\"><a href=\"https://keuangan.kontan.co.id/rubrik/9/Pasar\">Pasar</a></span> | {when}</div></div></li>"));
        } else {
            items.push_str(&format!("<li><div class=\"sp-hl\"><h2><a href=\"{url}\">{title}</a></h2><div class=\"fs14 ff-opensans font-gray\">Keuangan | {when}</div></div></li>"));
        }
    }
    if view.hostile_headline && !channel_style {
        items.push_str("<li><div class=\"sp-hl\"><h2><a href=\"https://www.kontan.co.id/news/hostile-fixture\" onclick=\"window.__pwned=true\">Judul &lt;script&gt;alert(1)&lt;/script&gt; <img src=x onerror=\"window.__pwned=true\"></a></h2><div class=\"fs14 ff-opensans font-gray\">Keuangan | Selasa, 29 April 2025 / 23:59 WIB</div></div></li>");
    }
    for n in (1..=view.fresh_headlines).rev() {
        let url = format!("https://keuangan.kontan.co.id/news/kabar-pasar-terkini-{n}");
        let (h, m) = fresh_time(n);
        let when = format!("Selasa, 29 April 2025 / {h:02}:{m:02} WIB");
        let title = fresh_title(n);
        if channel_style {
            items.push_str(&format!("<li><div class=\"sp-hl\"><h1><a href=\"{url}\">{title}</a></h1><div class=\"ket\"><span class=\"linkto-orange\"><a href=\"https://keuangan.kontan.co.id/rubrik/9/Pasar\">Pasar</a></span> | {when}</div></div></li>"));
        } else {
            items.push_str(&format!("<li><div class=\"sp-hl\"><h2><a href=\"{url}\">{title}</a></h2><div class=\"fs14 ff-opensans font-gray\">Keuangan | {when}</div></div></li>"));
        }
    }
    page.replacen(anchor, &format!("{anchor}{items}"), 1)
}

fn with_fresh_rss(xml: String, view: &View<'_>) -> String {
    let mut items = String::new();
    for b in view.breaking.iter().rev() {
        items.push_str(&format!(
            "<item><title><![CDATA[{}]]></title><link>{}</link><pubDate>{}</pubDate></item>",
            b.title.replace("]]>", ""),
            b.url,
            b.published.to_rfc2822()
        ));
    }
    for n in (1..=view.fresh_headlines).rev() {
        let (h, m) = fresh_time(n);
        items.push_str(&format!(
            "<item><title><![CDATA[{}]]></title><link>https://keuangan.kontan.co.id/news/kabar-pasar-terkini-{n}</link><pubDate>Tue, 29 Apr 2025 {h:02}:{m:02}:00 +0700</pubDate></item>",
            fresh_title(n)
        ));
    }
    xml.replacen(
        "<language>id</language>",
        &format!("<language>id</language>{items}"),
        1,
    )
}

/// Replaces the recorded bar with the scripted quotes.
fn render_bar(html: &str, view: &View<'_>) -> String {
    let Some(start) = html.find(BAR_OPEN) else {
        return html.to_string();
    };
    let from = start + BAR_OPEN.len();
    let Some(len) = html[from..].find("</ul>") else {
        return html.to_string();
    };
    let mut items = String::from("\n");
    for (i, q) in view.quotes.iter().enumerate() {
        let dir = if q.change < 0.0 { "turun" } else { "naik" };
        let change_decimals = if q.symbol == "EMAS" { 0 } else { 2 };
        let (value, change, pct) = if view.garbage_bar {
            // Numbers that look like numbers but cannot be: malformed, or disagreeing with each other.
            if i % 2 == 0 {
                (
                    "1.96.50".to_string(),
                    "7,9,00".to_string(),
                    "0,4,7%".to_string(),
                )
            } else {
                (
                    format_id(q.value, 0),
                    format_id(q.change, change_decimals),
                    format!("{}%", format_id(q.change_pct * 10.0 + 3.0, 2)),
                )
            }
        } else {
            (
                format_id(q.value, 0),
                format_id(q.change, change_decimals),
                format!("{}%", format_id(q.change_pct, 2)),
            )
        };
        items.push_str(&format!(
            "    <li><span class=\"nm-indikator\">{}</span>&nbsp; <span class=\"nl-indikator\">{value}</span>&nbsp;&nbsp; <span class=\"chg-indikator {dir}\">{change}</span>&nbsp;&nbsp; <span class=\"pct-indikator {dir}\">{pct}</span></li>\n",
            q.symbol
        ));
    }
    format!("{}{}  {}", &html[..from], items, &html[from + len..])
}

/// The page with its canonical link moved to `https://HOST/news/SLUG-kanonik`.
fn canonical_elsewhere(page: &str, host: &str, slug: &str) -> String {
    let Some(at) = page.find("<link rel=\"canonical\" href=\"") else {
        return page.to_string();
    };
    let from = at + "<link rel=\"canonical\" href=\"".len();
    let end = page[from..].find('"').map_or(from, |e| from + e);
    format!(
        "{}https://{host}/news/{slug}-kanonik{}",
        &page[..from],
        &page[end..]
    )
}

/// An article page whose body nests `depth` elements (about 12 bytes each).
pub fn deep_article(depth: usize) -> String {
    format!(
        "<!doctype html><html><head><title>Dalam - Kontan</title></head><body><h1 class=\"detail-desk\">Halaman Dalam</h1><div itemprop=\"articleBody\"><p>Awal.</p>{}<p>Isi.</p>{}</div></body></html>",
        "<div><span>".repeat(depth / 2),
        "</span></div>".repeat(depth / 2)
    )
}

/// A list page with `links` article links, all inside one element (`together`) or each in its
/// own list item: the shape that made headline extraction quadratic.
pub fn many_links(links: usize, together: bool) -> String {
    let (open, close) = if together {
        ("", "")
    } else {
        ("<li>", "</li>")
    };
    let mut body = String::with_capacity(links * 24);
    for i in 0..links {
        body.push_str(&format!("{open}<a href=\"/news/b{i}\">B{i}</a>{close}"));
    }
    format!("<!doctype html><html><body><ul><li><div>{body}</div></li></ul></body></html>")
}

/// An RSS feed that declares one entity and references it 4,000 times (a billion-laughs
/// cousin: about 1 MB that would expand to gigabytes).
pub fn entity_feed() -> String {
    let lol = "lol".repeat(80);
    let refs = "&a;".repeat(4000);
    format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY z \"{lol}\"><!ENTITY a \"{}\">]>\n<rss version=\"2.0\"><channel><title>x</title><item><title>{refs}</title><link>https://investasi.kontan.co.id/news/tawa</link></item></channel></rss>",
        "&z;".repeat(1000)
    )
}

/// A redesign: the page is now an empty shell rendered by script.
fn redesigned(html: &str) -> String {
    let head_end = html.find("</head>").unwrap_or(0);
    format!("{}</head><body><div id=\"__next\"></div><script src=\"/_next/app.js\"></script></body></html>", &html[..head_end])
}

/// Yahoo's chart API, for the fallback source.
fn yahoo(path: &str, quotes: &[Quote]) -> Option<String> {
    let symbol = crate::http::percent_decode(path.strip_prefix("/v8/finance/chart/")?);
    let ours = match symbol.as_str() {
        "IDR=X" => "USD/IDR",
        "^JKSE" => "IDX",
        _ => return None,
    };
    let q = quotes.iter().find(|q| q.symbol == ours)?;
    Some(format!(
        "{{\"chart\":{{\"result\":[{{\"meta\":{{\"symbol\":\"{symbol}\",\"currency\":\"IDR\",\"regularMarketPrice\":{},\"chartPreviousClose\":{}}}}}],\"error\":null}}}}",
        q.value,
        q.value - q.change
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(quotes: &[Quote]) -> View<'_> {
        View {
            quotes,
            fresh_headlines: 0,
            garbage_bar: false,
            layout_changed: false,
            hostile_headline: false,
            canonical_elsewhere: false,
            breaking: &[],
        }
    }

    #[test]
    fn every_listed_headline_opens_its_own_story() {
        let pages = Pages::load(&crate::repo_fixtures_dir()).expect("recorded pages");
        let quotes = [];
        let mut checked = 0;
        for (slug, title) in &pages.titles {
            let host = "www.kontan.co.id";
            let (_, html) = pages
                .render(&format!("/{host}/news/{slug}"), &view(&quotes))
                .expect("every listed slug has a page");
            let url =
                pantau_engine::parse::page_url(&format!("https://{host}/news/{slug}")).unwrap();
            let article = pantau_engine::parse::parse_article(&html, &url).expect("parses");
            assert_eq!(&article.title, title);
            let text = article.paragraphs.join(" ");
            if !title.contains("Korea") {
                assert!(!text.contains("Korea Utara"), "{title}: {text}");
            }
            assert!(
                text.contains(title.trim_end_matches('.')) || slug.contains("korea"),
                "{title}"
            );
            checked += 1;
        }
        assert!(checked >= 10, "only {checked} listed stories");
    }
}
