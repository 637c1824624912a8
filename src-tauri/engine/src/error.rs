//! The engine's error type: every failure a user could see, with a stable `kind`.

use serde::{Serialize, Serializer};

/// Everything that can go wrong inside the engine.
#[derive(Debug, thiserror::Error)]
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
        }
    }
}

/// Errors cross the IPC boundary as `{kind, message}`.
impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Error", 2)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

/// The engine's result type.
pub type Result<T> = std::result::Result<T, Error>;
