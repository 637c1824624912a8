//! Parsers that turn kontan pages into typed data.

pub(crate) mod article;
pub mod date;
pub mod depth;
pub(crate) mod feed;
pub(crate) mod headlines;
pub mod indicators;
pub mod number;
mod scrub;
pub(crate) mod text;
pub mod urls;

use crate::error::{Error, Result};
use crate::model::{Article, Headline, IndicatorBar};
use scraper::Html;
pub use text::{escape_steering, is_invisible_char, is_steering};
use url::Url;

/// The page address assumed when none is given.
pub const DEFAULT_PAGE_URL: &str = "https://www.kontan.co.id/";

/// Parses `url`, or fails with a clear error.
pub fn page_url(url: &str) -> Result<Url> {
    Url::parse(url).map_err(|e| Error::InvalidUrl(format!("{url}: {e}")))
}

/// One HTML page parsed once, from which any of the parsers can read.
pub struct Page {
    doc: Html,
    url: Url,
}

impl Page {
    /// Parses the HTML of the page at `url`; a page nesting deeper than
    /// [`depth::MAX_NESTING`] levels is refused before any tree is built.
    pub fn parse(html: &str, url: Url) -> Result<Self> {
        depth::check_nesting(html)?;
        Ok(Page {
            doc: Html::parse_document(html),
            url,
        })
    }

    /// The indicator bar.
    pub fn indicators(&self) -> Result<IndicatorBar> {
        indicators::parse_indicators_in(&self.doc).map(scrub::bar)
    }

    /// The page's headline list.
    pub fn headlines(&self) -> Result<Vec<Headline>> {
        headlines::parse_headlines_in(&self.doc, &self.url).map(scrub::headlines)
    }

    /// The page as an article.
    pub fn article(&self) -> Result<Article> {
        article::parse_article_in(&self.doc, &self.url).map(scrub::article)
    }
}

/// Reads the indicator bar of any kontan page.
pub fn parse_indicators(html: &str) -> Result<IndicatorBar> {
    indicators::parse_indicators(html).map(scrub::bar)
}

/// Reads a headline list: an HTML list page or an RSS/Atom feed.
pub fn parse_headlines(body: &str, url: &Url) -> Result<Vec<Headline>> {
    if feed::looks_like_feed(body) {
        feed::parse_feed(body, url).map(scrub::headlines)
    } else {
        Page::parse(body, url.clone())?.headlines()
    }
}

/// Reads an article page.
pub fn parse_article(html: &str, url: &Url) -> Result<Article> {
    Page::parse(html, url.clone())?.article()
}
