//! Replaying past readings through the alert engine (`pantau-cli alerts replay`).

use super::{Alert, AlertEngine, Observation};
use crate::error::{Error, Result};
use crate::market::MarketCalendar;
use chrono::{DateTime, Utc};

/// Parses rows `observed_at,symbol,value,change,change_pct` (RFC 3339 times; a header line
/// and blank lines are skipped). Every row counts as freshly fetched at its own time.
pub fn parse_csv(text: &str, calendar: &MarketCalendar) -> Result<Vec<Observation>> {
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
