//! Time as kontan tells it: milliseconds since the epoch, Western Indonesia Time (WIB), the
//! start of a trading day, and durations typed by people or read from the cache.

use crate::parse::date::wib;
use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use std::time::Duration;

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

/// Now, in milliseconds since the epoch.
pub fn now_ms() -> Millis {
    now().timestamp_millis()
}

/// Now. `PANTAU_CLOCK` (an RFC 3339 time, for tests and demos: "a Tuesday that is a holiday")
/// starts the engine's clock at that moment instead; it then runs at the normal rate.
pub fn now() -> DateTime<Utc> {
    static OFFSET: std::sync::OnceLock<chrono::Duration> = std::sync::OnceLock::new();
    let offset = OFFSET.get_or_init(|| {
        std::env::var("PANTAU_CLOCK")
            .ok()
            .and_then(|s| DateTime::parse_from_rfc3339(s.trim()).ok())
            .map(|start| start.with_timezone(&Utc) - Utc::now())
            .unwrap_or_else(chrono::Duration::zero)
    });
    Utc::now() + *offset
}

/// Milliseconds to a time in WIB.
pub fn to_wib(ms: Millis) -> DateTime<FixedOffset> {
    wib()
        .timestamp_millis_opt(ms)
        .single()
        .unwrap_or_else(|| wib().timestamp_opt(0, 0).unwrap())
}

/// Midnight WIB of the day `now` falls in, in milliseconds since the epoch.
pub fn start_of_day_wib(now: Millis) -> Millis {
    const DAY: Millis = 86_400_000;
    const WIB: Millis = 7 * 3_600_000;
    (now + WIB).div_euclid(DAY) * DAY - WIB
}

/// The longest interval any setting may ask for: one day.
pub const MAX_INTERVAL_SECS: f64 = 86_400.0;

/// Seconds typed by a person (a flag, an environment variable) as a duration, refused with a
/// clear message unless it is a finite number from `min` to `max`.
pub fn parse_seconds(raw: &str, what: &str, min: f64, max: f64) -> crate::Result<Duration> {
    raw.trim()
        .parse::<f64>()
        .ok()
        .and_then(|v| seconds_in_range(v, min, max))
        .ok_or_else(|| {
            crate::Error::InvalidValue(format!(
                "{what}: \"{raw}\" is not a number of seconds from {min} to {max}"
            ))
        })
}

/// `secs` as a duration when it is finite and within `[min, max]`.
pub fn seconds_in_range(secs: f64, min: f64, max: f64) -> Option<Duration> {
    (secs.is_finite() && secs >= min && secs <= max).then(|| Duration::from_secs_f64(secs))
}

/// A stored number of seconds as a duration, clamped into `[min, max]`; anything that is not a
/// finite number becomes `default`. Stored values never crash start-up.
pub fn clamp_seconds(secs: f64, min: f64, max: f64, default: Duration) -> Duration {
    if secs.is_finite() {
        Duration::from_secs_f64(secs.clamp(min, max))
    } else {
        default
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_starts_at_midnight_wib() {
        let at = chrono::DateTime::parse_from_rfc3339("2025-04-29T08:30:00+07:00")
            .unwrap()
            .timestamp_millis();
        let start = chrono::DateTime::parse_from_rfc3339("2025-04-29T00:00:00+07:00")
            .unwrap()
            .timestamp_millis();
        assert_eq!(start_of_day_wib(at), start);
        assert_eq!(start_of_day_wib(start), start);
        assert_eq!(to_wib(start).to_rfc3339(), "2025-04-29T00:00:00+07:00");
    }
}
