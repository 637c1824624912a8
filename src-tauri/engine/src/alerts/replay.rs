//! Replaying past readings through the alert engine (`pantau-cli alerts replay`).

use super::{Alert, AlertEngine, Observation};
use crate::error::{Error, Result};
use crate::market::MarketCalendar;
use chrono::{DateTime, Utc};
use std::io::{BufRead, Read};

/// The longest line a readings file may hold: a row is some 60 bytes.
pub const MAX_LINE_BYTES: usize = 4096;
/// The largest headlines file read (about two million rows; years of kontan's headlines).
pub const MAX_NEWS_BYTES: u64 = 256 * 1024 * 1024;

/// Parses rows `observed_at,symbol,value,change,change_pct` (RFC 3339 times; a header line
/// and blank lines are skipped; a spreadsheet's byte-order mark is allowed). Every row counts as
/// freshly fetched at its own time.
pub fn parse_csv(text: &str, calendar: &MarketCalendar) -> Result<Vec<Observation>> {
    read_csv(text.as_bytes(), calendar).collect()
}

/// The rows of a readings file as [`parse_csv`] reads them, one at a time: memory stays that of
/// one line whatever the file's size, and a line longer than [`MAX_LINE_BYTES`] is an error.
pub fn read_csv<'c, R: std::io::BufRead + 'c>(
    mut reader: R,
    calendar: &'c MarketCalendar,
) -> impl Iterator<Item = Result<Observation>> + 'c {
    let mut buf = Vec::new();
    let mut n = 0usize;
    std::iter::from_fn(move || loop {
        buf.clear();
        n += 1;
        let read = std::io::Read::by_ref(&mut reader)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut buf);
        match read {
            Err(e) => return Some(Err(Error::Io(e))),
            Ok(0) => return None,
            Ok(_) if buf.len() > MAX_LINE_BYTES && buf.last() != Some(&b'\n') => {
                return Some(Err(Error::InvalidFeed(format!(
                    "line {n}: longer than {MAX_LINE_BYTES} bytes: not a readings file"
                ))));
            }
            Ok(_) => {}
        }
        let Ok(line) = std::str::from_utf8(&buf) else {
            return Some(Err(Error::InvalidFeed(format!("line {n}: not UTF-8 text"))));
        };
        let line = if n == 1 {
            line.strip_prefix('\u{feff}').unwrap_or(line)
        } else {
            line
        };
        if let Some(row) = parse_row(n, line.trim(), calendar) {
            return Some(row);
        }
    })
}

/// One line of a readings file; `None` for a header, blank or comment line.
fn parse_row(n: usize, line: &str, calendar: &MarketCalendar) -> Option<Result<Observation>> {
    if line.is_empty() || line.starts_with('#') || (n == 1 && line.starts_with("observed_at")) {
        return None;
    }
    let bad = |what: &str| {
        Error::InvalidFeed(format!(
            "line {n}: {what}: {}",
            crate::parse::text::strip_steering(line)
        ))
    };
    let f: Vec<&str> = line.split(',').map(str::trim).collect();
    if f.len() != 5 {
        return Some(Err(bad(
            "expected observed_at,symbol,value,change,change_pct",
        )));
    }
    let Ok(at) = DateTime::parse_from_rfc3339(f[0]) else {
        return Some(Err(bad("observed_at is not RFC 3339")));
    };
    let at = at.with_timezone(&Utc);
    let num = |s: &str, what: &str| {
        s.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| bad(what))
    };
    let row = (|| {
        Ok(Observation {
            symbol: f[1].to_string(),
            value: num(f[2], "value")?,
            change: num(f[3], "change")?,
            change_pct: num(f[4], "change_pct")?,
            at,
            fresh: calendar.is_open_in(crate::market::Hours::of(f[1]), at),
        })
    })();
    Some(row)
}

/// Runs observations through an engine, in order; returns every alert raised.
pub fn replay(engine: &mut AlertEngine, observations: &[Observation]) -> Vec<Alert> {
    let mut alerts = Vec::new();
    let rows = observations.iter().cloned().map(Ok);
    let _ = replay_each(engine, rows, |a| alerts.push(a));
    alerts
}

/// Runs observations through an engine as they come, handing each alert raised to `alert`;
/// stops at the first row that is an error.
pub fn replay_each(
    engine: &mut AlertEngine,
    observations: impl Iterator<Item = Result<Observation>>,
    mut alert: impl FnMut(Alert),
) -> Result<()> {
    let mut last = None;
    for obs in observations {
        let obs = obs?;
        engine.feed(&obs).into_iter().for_each(&mut alert);
        last = Some(obs.at);
    }
    if let Some(at) = last {
        engine.tick(at).into_iter().for_each(&mut alert);
    }
    Ok(())
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
    read_news_csv(text.as_bytes())
}

/// [`parse_news_csv`] reading from `reader`, at most [`MAX_NEWS_BYTES`] of it (more is an error):
/// the rows are kept, never the whole text.
pub fn read_news_csv(reader: impl std::io::Read) -> Result<Vec<SeenHeadline>> {
    let limited = CountingReader {
        inner: reader.take(MAX_NEWS_BYTES + 1),
        read: 0,
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(limited);
    let rows = news_rows(&mut reader);
    if reader.get_ref().read > MAX_NEWS_BYTES {
        return Err(Error::InvalidFeed(format!(
            "larger than {} MB: no history of headlines is; replay a part of it",
            MAX_NEWS_BYTES / (1024 * 1024)
        )));
    }
    rows
}

/// Counts the bytes read through it.
struct CountingReader<R> {
    inner: R,
    read: u64,
}

impl<R: std::io::Read> std::io::Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

fn news_rows<R: std::io::Read>(reader: &mut csv::Reader<R>) -> Result<Vec<SeenHeadline>> {
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
