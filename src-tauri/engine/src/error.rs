//! The engine's error type: every failure a user could see, with a stable `kind`.

use serde::{Serialize, Serializer};

/// Everything that can go wrong inside the engine. New variants may come: match with a `_` arm,
/// or on [`Error::kind`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The page has no recognisable indicator bar.
    #[error("no indicator bar found")]
    NoIndicatorBar,
    /// An indicator bar was found but none of its readings passed the checks.
    #[error("indicator bar found but every reading was rejected: {0}")]
    IndicatorsRejected(String),
    /// The page has no article links where a headline list was expected.
    #[error("no headlines found (kontan may have changed its layout)")]
    NoHeadlines,
    /// A required part of an article page is missing.
    #[error("article {0} not found (kontan may have changed its layout)")]
    MissingPart(&'static str),
    /// An RSS/Atom document could not be read.
    #[error("feed could not be read: {0}")]
    InvalidFeed(String),
    /// A URL could not be understood.
    #[error("invalid url: {0}")]
    InvalidUrl(String),
    /// Reading or writing a file failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The cache could not be read or written (beyond SQLite itself: a value it holds).
    #[error("cache: {0}")]
    Cache(String),
    /// SQLite failed; the cause is kept.
    #[error("cache: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The network failed (no connection, reset, body cut short).
    #[error("network error: {0}")]
    Network(String),
    /// An HTTP request failed; the cause is kept (and spelled out in `context`).
    #[error("network error: {context}")]
    Request {
        /// What failed, in words, with the cause's chain.
        context: String,
        /// reqwest's error.
        #[source]
        source: reqwest::Error,
    },
    /// The server took too long.
    #[error("request timed out after {0} s")]
    Timeout(u64),
    /// The server answered with an error status.
    #[error("server answered HTTP {0}")]
    HttpStatus(u16),
    /// The server asked us to wait (429/503 with Retry-After), or a back-off is running.
    #[error("server asked to wait; next try in {0} s")]
    RetryLater(u64),
    /// The response was larger than we accept.
    #[error("response larger than {0} bytes refused")]
    TooLarge(usize),
    /// robots.txt disallows the URL for Pantau.
    #[error("robots.txt disallows {0}")]
    Disallowed(String),
    /// A desktop notification could not be shown (the alert is still in the inbox).
    #[error("notification not shown: {0}")]
    Notification(String),
    /// Nothing cached and the source could not be reached.
    #[error("nothing cached yet and {0}")]
    NothingCached(String),
    /// The page nests elements deeper than any real page; refused before parsing.
    #[error("page nests elements more than {0} levels deep; refused")]
    TooDeep(usize),
    /// A redirect pointed somewhere Pantau does not go.
    #[error("redirect to {0} refused (only https kontan addresses are followed)")]
    RedirectRefused(String),
    /// An address outside kontan's hosts was asked for.
    #[error("{0} is not a kontan.co.id address")]
    NotKontan(String),
    /// Pantau's own back-off after earlier errors is still running.
    #[error("waiting after earlier errors; next try in {0} s")]
    BackingOff(u64),
    /// A refresh was asked for moments after the last one; the cache is current enough.
    #[error("checked {0} s ago; asking again in a few seconds")]
    TooSoon(u64),
    /// A value given on the command line or in the environment is out of range.
    #[error("{0}")]
    InvalidValue(String),
    /// An update offer was refused or could not be read (said in words).
    #[error("update: {0}")]
    Update(String),
}

impl Error {
    /// A short machine-readable name for the error, stable across versions.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::NoIndicatorBar => "no_indicator_bar",
            Error::IndicatorsRejected(_) => "indicators_rejected",
            Error::NoHeadlines => "no_headlines",
            Error::MissingPart(_) => "layout_changed",
            Error::InvalidFeed(_) => "invalid_feed",
            Error::InvalidUrl(_) => "invalid_url",
            Error::Io(_) => "io",
            Error::Cache(_) | Error::Sqlite(_) => "cache",
            Error::Network(_) | Error::Request { .. } => "network",
            Error::Timeout(_) => "timeout",
            Error::HttpStatus(_) => "http_status",
            Error::RetryLater(_) => "retry_later",
            Error::TooLarge(_) => "too_large",
            Error::Disallowed(_) => "robots",
            Error::NothingCached(_) => "nothing_cached",
            Error::Notification(_) => "notification",
            Error::TooDeep(_) => "too_deep",
            Error::RedirectRefused(_) => "redirect_refused",
            Error::NotKontan(_) => "not_kontan",
            Error::BackingOff(_) => "backing_off",
            Error::TooSoon(_) => "too_soon",
            Error::InvalidValue(_) => "invalid_value",
            Error::Update(_) => "update",
        }
    }

    /// The values a message names, for the UI to word the error in its own language
    /// (`{"status": "500"}` for an HTTP error, `{"seconds": "30"}` for a wait).
    pub fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            Error::Timeout(s) | Error::RetryLater(s) | Error::BackingOff(s) | Error::TooSoon(s) => {
                vec![("seconds", s.to_string())]
            }
            Error::HttpStatus(status) => vec![("status", status.to_string())],
            Error::TooLarge(bytes) => vec![("bytes", bytes.to_string())],
            Error::TooDeep(levels) => vec![("levels", levels.to_string())],
            Error::MissingPart(part) => vec![("part", part.to_string())],
            Error::InvalidUrl(url)
            | Error::Disallowed(url)
            | Error::RedirectRefused(url)
            | Error::NotKontan(url) => vec![("url", url.clone())],
            _ => Vec::new(),
        }
    }

    /// True when the page arrived but no longer looks like kontan (a layout change).
    pub fn is_layout_change(&self) -> bool {
        LAYOUT_CHANGE_KINDS.contains(&self.kind())
    }
}

/// The error kinds that mean "the page arrived but no longer looks like kontan".
pub const LAYOUT_CHANGE_KINDS: &[&str] = &[
    "no_indicator_bar",
    "indicators_rejected",
    "no_headlines",
    "layout_changed",
    "invalid_feed",
];

/// Errors cross the IPC boundary as `{kind, message, params}`.
impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serialize_kind_message(serializer, self.kind(), &self.to_string(), &self.params())
    }
}

/// Writes an error as `{kind, message, params}`, the shape every Pantau error takes over IPC:
/// a stable kind and the values it names (the UI words it in the user's language), and an
/// English message for logs and for kinds the UI has no words for.
pub fn serialize_kind_message<S: Serializer>(
    serializer: S,
    kind: &str,
    message: &str,
    params: &[(&str, String)],
) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let params: std::collections::BTreeMap<&str, &str> =
        params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut s = serializer.serialize_struct("Error", 3)?;
    s.serialize_field("kind", kind)?;
    s.serialize_field("message", message)?;
    s.serialize_field("params", &params)?;
    s.end()
}

/// The engine's result type.
pub type Result<T> = std::result::Result<T, Error>;
