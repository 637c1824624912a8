//! Where Pantau reads from: the source names statuses are kept under, and kontan's addresses.

use crate::error::Result;
use crate::parse;
use url::Url;

/// The indicator bar on the www homepage.
pub const BAR: &str = "kontan:bar";
/// The homepage's headline rails.
pub const HOME: &str = "kontan:home";
/// The fallback quotes.
pub const FALLBACK: &str = "yahoo";
/// Article pages.
pub const ARTICLE: &str = "kontan:article";

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
