//! Typed data read from kontan pages. Field names are the public JSON shape.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// One reading of the indicator bar, e.g. `USD/IDR 16.689 79,00 0,47%`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// The label exactly as kontan shows it (`EMAS`, `USD/IDR`, `IDX`, ...).
    pub symbol: String,
    /// Last value.
    pub value: f64,
    /// Change since the previous close.
    pub change: f64,
    /// Change since the previous close, in percent.
    pub change_pct: f64,
}

/// A bar reading that was found but failed a check, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectedReading {
    /// The label the reading was shown under.
    pub symbol: String,
    /// Why it was rejected, in plain words.
    pub reason: String,
}

/// Everything read from one page's indicator bar.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct IndicatorBar {
    /// Readings that passed every check, in bar order, one per symbol.
    pub readings: Vec<Indicator>,
    /// Readings that were present but rejected.
    pub rejected: Vec<RejectedReading>,
}

/// One entry of a headline list (index page, channel page, homepage rail or feed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Headline {
    /// Headline text.
    pub title: String,
    /// Canonical article URL (https, no tracking parameters).
    pub url: String,
    /// Publication time in WIB (+07:00), when the list shows it.
    pub published_at: Option<DateTime<FixedOffset>>,
    /// Channel or rubric name as shown ("Saham", "Keuangan"), when shown.
    pub channel: Option<String>,
    /// Thumbnail URL, when shown.
    pub image_url: Option<String>,
}

/// A link found inside an article body ("Baca Juga: ...").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelatedLink {
    /// Link text.
    pub title: String,
    /// Canonical URL.
    pub url: String,
}

/// A full article page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Canonical article URL (without `page`).
    pub url: String,
    /// Headline.
    pub title: String,
    /// Publication time in WIB (+07:00).
    pub published_at: Option<DateTime<FixedOffset>>,
    /// Reporter or writer ("Reporter: X" / "Penulis: X").
    pub reporter: Option<String>,
    /// Editor.
    pub editor: Option<String>,
    /// Source agency for syndicated stories ("Sumber: Reuters").
    pub source: Option<String>,
    /// Lead image.
    pub image_url: Option<String>,
    /// Lead image caption.
    pub image_caption: Option<String>,
    /// Body paragraphs as plain text.
    pub paragraphs: Vec<String>,
    /// In-body related links, in order.
    pub related: Vec<RelatedLink>,
    /// The next page of a multi-page article.
    pub next_page_url: Option<String>,
}
