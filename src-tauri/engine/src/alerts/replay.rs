//! Replaying past readings through the alert engine (`pantau-cli alerts replay`).

use super::{Alert, AlertEngine, Observation};
use crate::error::{Error, Result};
use crate::market::MarketCalendar;
use chrono::{DateTime, Utc};

/// Parses rows `observed_at,symbol,value,change,change_pct` (RFC 3339 times; a header line
/// and blank lines are skipped; a spreadsheet's byte-order mark is allowed). Every row counts as
/// freshly fetched at its own time.
pub fn parse_csv(text: &str, calendar: &MarketCalendar) -> Result<Vec<Observation>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || (n == 0 && line.starts_with("observed_at")) {
            continue;
        }
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        let bad = |what: &str| Error::InvalidFeed(format!("line {}: {what}: {line}", n + 1));
        if f.len() != 5 {
            return Err(bad("expected observed_at,symbol,value,change,change_pct"));
        }
        let at = DateTime::parse_from_rfc3339(f[0])
            .map_err(|_| bad("observed_at is not RFC 3339"))?
            .with_timezone(&Utc);
        let num = |s: &str, what: &str| {
            s.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| bad(what))
        };
        out.push(Observation {
            symbol: f[1].to_string(),
            value: num(f[2], "value")?,
            change: num(f[3], "change")?,
            change_pct: num(f[4], "change_pct")?,
            at,
            fresh: calendar.is_open_in(crate::market::Hours::of(f[1]), at),
        });
    }
    Ok(out)
}

/// Runs observations through an engine, in order; returns every alert raised.
pub fn replay(engine: &mut AlertEngine, observations: &[Observation]) -> Vec<Alert> {
    let mut alerts = Vec::new();
    for obs in observations {
        alerts.extend(engine.feed(obs));
    }
    if let Some(last) = observations.last() {
        alerts.extend(engine.tick(last.at));
    }
    alerts
}

/// One row of `alerts replay-news`: when Pantau saw a headline.
#[derive(Debug, Clone, PartialEq)]
pub struct SeenHeadline {
    /// When it was seen.
    pub observed_at: DateTime<Utc>,
    /// When kontan says it was published (blank: unknown).
    pub published_at: Option<DateTime<Utc>>,
    /// Its address.
    pub url: String,
    /// Its headline.
    pub title: String,
}

/// Parses CSV with the header `observed_at,published_at,url,title` (RFC 3339 times; quoted
/// fields may hold commas, quotes and line breaks).
pub fn parse_news_csv(text: &str) -> Result<Vec<SeenHeadline>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Error::InvalidFeed(format!("header: {e}")))?
        .iter()
        .map(str::to_ascii_lowercase)
        .collect();
    if header != ["observed_at", "published_at", "url", "title"] {
        return Err(Error::InvalidFeed(
            "the header must be observed_at,published_at,url,title".into(),
        ));
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| Error::InvalidFeed(e.to_string()))?;
        let line = record.position().map_or(0, csv::Position::line);
        let bad = |what: &str| Error::InvalidFeed(format!("line {line}: {what}"));
        let time = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| bad("a time is not RFC 3339"))
        };
        let field = |i: usize| record.get(i).unwrap_or("");
        out.push(SeenHeadline {
            observed_at: time(field(0))?,
            published_at: match field(1) {
                "" => None,
                p => Some(time(p)?),
            },
            url: field(2).to_string(),
            title: crate::parse::text::strip_steering(field(3)),
        });
    }
    Ok(out)
}

/// Runs headlines through word alerts, in order, as if time passed between rows; what still
/// waits at the end is summed up when it falls due.
pub fn replay_news(
    alerts: &mut super::news::NewsAlerts,
    rows: &[SeenHeadline],
) -> Vec<super::news::NewsAlert> {
    use std::collections::HashMap;
    let mut first_seen: HashMap<String, DateTime<Utc>> = HashMap::new();
    let mut out = Vec::new();
    let mut rows: Vec<&SeenHeadline> = rows.iter().collect();
    rows.sort_by_key(|r| r.observed_at);
    for row in rows {
        let key = super::news::story_key(&row.url).map_or_else(|| row.url.clone(), |(k, _)| k);
        let seen = *first_seen.entry(key).or_insert(row.observed_at);
        let story = super::news::Story {
            url: row.url.clone(),
            title: row.title.clone(),
            published_at: row.published_at,
            first_seen: seen,
        };
        out.extend(alerts.feed(&story, row.observed_at));
    }
    if let Some(due) = alerts.summary_due() {
        out.extend(alerts.tick(due));
    }
    out
}
