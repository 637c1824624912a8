//! Time as kontan tells it: milliseconds since the epoch, Western Indonesia Time (WIB), the
//! start of a trading day.

use crate::parse::date::wib;
use crate::store::Millis;
use chrono::{DateTime, FixedOffset, TimeZone, Utc};

/// Now, in milliseconds since the epoch.
pub fn now_ms() -> Millis {
    Utc::now().timestamp_millis()
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
