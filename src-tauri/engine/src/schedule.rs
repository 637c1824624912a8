//! When a periodic job runs next: its interval while the market is open, slower while it is
//! closed, waking a moment after the next opening.

use crate::config::CLOSED_MARKET_SLOWDOWN;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// How long to wait for the next run at `now`: `interval` while the market is open (or when
/// not talking to the real site), [`CLOSED_MARKET_SLOWDOWN`] times longer while it is closed,
/// cut short to wake a moment after the next opening.
pub fn closed_market_delay(
    calendar: &crate::market::MarketCalendar,
    now: DateTime<Utc>,
    interval: Duration,
    live: bool,
) -> Duration {
    if !live || calendar.is_open(now) {
        return interval;
    }
    let slow = interval.saturating_mul(CLOSED_MARKET_SLOWDOWN);
    match calendar.next_open(now) {
        Some(open) => {
            let until = (open - now).to_std().unwrap_or(Duration::ZERO) + Duration::from_secs(1);
            slow.min(until)
        }
        None => slow,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::market::MarketCalendar;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn closed_market_waits_longer_but_wakes_at_the_open() {
        let c = MarketCalendar::default();
        let minute = Duration::from_secs(60);
        assert_eq!(
            closed_market_delay(&c, at("2025-04-29T10:00:00+07:00"), minute, true),
            minute,
            "open: the interval"
        );
        assert_eq!(
            closed_market_delay(&c, at("2025-04-29T20:00:00+07:00"), minute, true),
            minute * 5,
            "closed: five times longer"
        );
        assert_eq!(
            closed_market_delay(&c, at("2025-04-29T08:58:30+07:00"), minute, true),
            Duration::from_secs(91),
            "a moment after 09:00, not five minutes later"
        );
        assert_eq!(
            closed_market_delay(&c, at("2025-04-29T20:00:00+07:00"), minute, false),
            minute,
            "the fixture site is never slowed"
        );
        assert_eq!(
            closed_market_delay(
                &c,
                at("2025-04-29T20:00:00+07:00"),
                Duration::from_secs(u64::MAX / 2),
                true
            ),
            (at("2025-04-30T09:00:00+07:00") - at("2025-04-29T20:00:00+07:00"))
                .to_std()
                .unwrap()
                + Duration::from_secs(1),
            "huge intervals saturate instead of overflowing"
        );
    }

    #[test]
    fn the_midday_break_and_holidays_are_polled_slowly() {
        let c = MarketCalendar::default();
        let minute = Duration::from_secs(60);
        assert_eq!(
            closed_market_delay(&c, at("2025-04-29T12:05:00+07:00"), minute, true),
            minute * 5,
            "midday break"
        );
        assert_eq!(
            closed_market_delay(&c, at("2025-04-29T13:28:00+07:00"), minute, true),
            Duration::from_secs(121),
            "a moment after the afternoon session opens"
        );
        assert_eq!(
            closed_market_delay(&c, at("2026-03-19T10:00:00+07:00"), minute, true),
            minute * 5,
            "Nyepi, a Thursday"
        );
    }
}
