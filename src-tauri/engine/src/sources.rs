//! Where Pantau reads from: the source names statuses are kept under, and kontan's addresses.

use crate::error::Result;
use crate::parse;
use serde::{Deserialize, Serialize};
use url::Url;

/// Where a reading came from: kontan's bar, or the fallback quote source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReadingSource {
    /// kontan.co.id's indicator bar.
    Kontan,
    /// The fallback quotes (Yahoo's chart API), for USD/IDR and IDX.
    Yahoo,
}

impl ReadingSource {
    /// The name stored in the cache and shown in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ReadingSource::Kontan => "kontan",
            ReadingSource::Yahoo => "yahoo",
        }
    }

    /// The source a stored name stands for; `None` for a name this version does not know.
    pub fn from_name(name: &str) -> Option<ReadingSource> {
        [ReadingSource::Kontan, ReadingSource::Yahoo]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

impl std::fmt::Display for ReadingSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The indicator bar on the www homepage.
pub const BAR: &str = "kontan:bar";
/// The homepage's headline rails.
pub const HOME: &str = "kontan:home";
/// The fallback quotes.
pub const FALLBACK: &str = "yahoo";
/// Article pages.
pub const ARTICLE: &str = "kontan:article";

/// A source Pantau refreshes, with a status and a back-off of its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Source {
    /// The indicator bar on the www homepage.
    Bar,
    /// The homepage's headline rails.
    Home,
    /// The fallback quotes.
    Fallback,
    /// Article pages.
    Article,
    /// A followed channel's front page.
    Channel(String),
    /// A channel's RSS feed.
    Feed(String),
}

impl Source {
    /// The name its status is kept and reported under (`kontan:bar`, `kontan:channel:keuangan`).
    pub fn key(&self) -> std::borrow::Cow<'static, str> {
        match self {
            Source::Bar => BAR.into(),
            Source::Home => HOME.into(),
            Source::Fallback => FALLBACK.into(),
            Source::Article => ARTICLE.into(),
            Source::Channel(name) => channel(name).into(),
            Source::Feed(name) => feed(name).into(),
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.key())
    }
}

/// A channel front page.
pub fn channel(name: &str) -> String {
    format!("kontan:channel:{name}")
}

/// A channel's RSS feed.
pub fn feed(name: &str) -> String {
    format!("kontan:rss:{name}")
}

/// The homepage address.
pub fn home_url() -> Url {
    Url::parse("https://www.kontan.co.id/").expect("static url")
}

/// A channel front page address (`investasi` → `https://investasi.kontan.co.id/`).
pub fn channel_url(channel: &str) -> Result<Url> {
    parse::page_url(&format!(
        "https://{}.kontan.co.id/",
        channel.trim().to_ascii_lowercase()
    ))
}

/// A channel's RSS feed address.
pub fn feed_url(channel: &str) -> Result<Url> {
    parse::page_url(&format!(
        "https://{}.kontan.co.id/rss",
        channel.trim().to_ascii_lowercase()
    ))
}
