//! Where Pantau reads from: the source names statuses are kept under, and kontan's addresses.

use crate::error::{Error, Result};
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

/// A channel name as kontan's hosts spell it: 1 to 63 of `a-z`, `0-9` and `-` (trimmed and
/// lower-cased first). Anything else (a dot, a slash, a port) could name another host: refused.
pub fn channel_name(raw: &str) -> Result<String> {
    let name = raw.trim().to_ascii_lowercase();
    let valid = (1..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if valid {
        Ok(name)
    } else {
        Err(Error::InvalidValue(format!(
            "channel {raw:?}: a channel is 1 to 63 letters a-z, digits or hyphens (keuangan, investasi)"
        )))
    }
}

/// `https://{channel}.kontan.co.id{path}`, only for a valid name and only on kontan's host.
fn channel_address(channel: &str, path: &str) -> Result<Url> {
    let url = parse::page_url(&format!(
        "https://{}.kontan.co.id{path}",
        channel_name(channel)?
    ))?;
    match url.host_str() {
        Some(host) if host.ends_with(".kontan.co.id") => Ok(url),
        _ => Err(Error::NotKontan(url.to_string())),
    }
}

/// A channel front page address (`investasi` → `https://investasi.kontan.co.id/`).
pub fn channel_url(channel: &str) -> Result<Url> {
    channel_address(channel, "/")
}

/// A channel's RSS feed address.
pub fn feed_url(channel: &str) -> Result<Url> {
    channel_address(channel, "/rss")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_names_never_leave_kontan() {
        assert_eq!(
            channel_url(" Investasi ").unwrap().as_str(),
            "https://investasi.kontan.co.id/"
        );
        assert_eq!(
            feed_url("pressrelease-2").unwrap().as_str(),
            "https://pressrelease-2.kontan.co.id/rss"
        );
        for bad in [
            "evil.example/",
            "evil.example#",
            "a.b",
            "x:8080",
            "user@evil",
            "",
            " ",
            "ä",
            &"a".repeat(64),
        ] {
            assert!(
                matches!(channel_url(bad), Err(Error::InvalidValue(_))),
                "{bad:?}"
            );
            assert!(feed_url(bad).is_err(), "{bad:?}");
        }
    }
}
