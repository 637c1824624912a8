//! The IDX trading calendar and what "fresh" means for a reading.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::parse::date::wib;

/// When the Indonesia Stock Exchange trades (times in WIB).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarketCalendar {
    /// The first session opens.
    pub open: NaiveTime,
    /// The last session closes.
    pub close: NaiveTime,
    /// A midday break, if the user wants it counted as closed.
    pub lunch: Option<(NaiveTime, NaiveTime)>,
    /// Exchange holidays (no trading).
    pub holidays: Vec<NaiveDate>,
    /// Treat every day as a trading day (demos against the fixture site at any hour).
    #[serde(default)]
    pub all_week: bool,
}

impl Default for MarketCalendar {
    /// Monday to Friday, 09:00–16:00 WIB, no break, no holidays.
    fn default() -> Self {
        MarketCalendar {
            open: NaiveTime::from_hms_opt(9, 0, 0).expect("time"),
            close: NaiveTime::from_hms_opt(16, 0, 0).expect("time"),
            lunch: None,
            holidays: Vec::new(),
            all_week: false,
        }
    }
}

impl MarketCalendar {
    /// A market that never closes: for demos and tests against the fixture site at any hour.
    pub fn always_open() -> MarketCalendar {
        MarketCalendar {
            open: NaiveTime::MIN,
            close: NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999).expect("time"),
            lunch: None,
            holidays: Vec::new(),
            all_week: true,
        }
    }

    /// The default calendar, or `always_open` when `PANTAU_MARKET_CALENDAR=always-open`.
    pub fn from_env() -> MarketCalendar {
        match std::env::var("PANTAU_MARKET_CALENDAR").as_deref() {
            Ok("always-open") => MarketCalendar::always_open(),
            _ => MarketCalendar::default(),
        }
    }

    /// True when the market is trading at `at`.
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&wib());
        let t = local.time();
        self.is_trading_day(local.date_naive())
            && t >= self.open
            && (t < self.close || (self.all_week && self.close == Self::always_open().close))
            && !self.lunch.is_some_and(|(from, to)| t >= from && t < to)
    }

    fn is_trading_day(&self, d: NaiveDate) -> bool {
        (self.all_week || !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
            && !self.holidays.contains(&d)
    }

    /// True when the market was open at any moment in `[from, to]`.
    pub fn was_open_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        if from > to {
            return false;
        }
        if self.is_open(from) || self.is_open(to) {
            return true;
        }
        let (from_l, to_l) = (from.with_timezone(&wib()), to.with_timezone(&wib()));
        let mut day = from_l.date_naive();
        let last = to_l.date_naive();
        let mut guard = 0;
        while day <= last && guard < 400 {
            if self.is_trading_day(day) {
                for (a, b) in self.sessions() {
                    let start = wib().from_local_datetime(&day.and_time(a)).single();
                    let end = wib().from_local_datetime(&day.and_time(b)).single();
                    if let (Some(s), Some(e)) = (start, end) {
                        if s.with_timezone(&Utc) <= to && e.with_timezone(&Utc) > from {
                            return true;
                        }
                    }
                }
            }
            day += Duration::days(1);
            guard += 1;
        }
        false
    }

    /// The next moment after `now` when a session starts (within two weeks).
    pub fn next_open(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut day = now.with_timezone(&wib()).date_naive();
        for _ in 0..15 {
            if self.is_trading_day(day) {
                for (start, _) in self.sessions() {
                    let at = wib()
                        .from_local_datetime(&day.and_time(start))
                        .single()?
                        .with_timezone(&Utc);
                    if at > now {
                        return Some(at);
                    }
                }
            }
            day += Duration::days(1);
        }
        None
    }

    fn sessions(&self) -> Vec<(NaiveTime, NaiveTime)> {
        match self.lunch {
            Some((from, to)) => vec![(self.open, from), (to, self.close)],
            None => vec![(self.open, self.close)],
        }
    }
}

/// How current a reading is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Freshness {
    /// Confirmed recently enough.
    Fresh,
    /// The market is closed and nothing has traded since: the last value stands.
    MarketClosed,
    /// Older than twice its refresh interval while the market was open, or its source is failing.
    Stale,
}

/// Judges a reading last confirmed at `confirmed_at`, refreshed every `interval`.
pub fn freshness(
    calendar: &MarketCalendar,
    confirmed_at: DateTime<Utc>,
    now: DateTime<Utc>,
    interval: std::time::Duration,
    source_failing: bool,
) -> Freshness {
    let window = Duration::from_std(interval.saturating_mul(2)).unwrap_or(Duration::MAX);
    let deadline = confirmed_at
        .checked_add_signed(window)
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    if source_failing {
        return Freshness::Stale;
    }
    if deadline < now && calendar.was_open_between(deadline, now) {
        return Freshness::Stale;
    }
    if calendar.is_open(now) {
        Freshness::Fresh
    } else {
        Freshness::MarketClosed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn sessions_in_wib() {
        let c = MarketCalendar::default();
        assert!(c.is_open(at("2025-04-29T09:00:00+07:00")));
        assert!(!c.is_open(at("2025-04-29T16:00:00+07:00")));
        assert!(!c.is_open(at("2025-04-29T08:59:59+07:00")));
        assert!(!c.is_open(at("2025-05-03T10:00:00+07:00")), "Saturday");
        let mut h = c.clone();
        h.holidays
            .push(NaiveDate::from_ymd_opt(2025, 4, 29).unwrap());
        assert!(!h.is_open(at("2025-04-29T10:00:00+07:00")), "holiday");
        let mut l = c.clone();
        l.lunch = Some((
            NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
            NaiveTime::from_hms_opt(13, 30, 0).unwrap(),
        ));
        assert!(!l.is_open(at("2025-04-29T12:30:00+07:00")));
    }

    #[test]
    fn closed_market_is_not_stale_but_a_missed_session_is() {
        let c = MarketCalendar::default();
        let minute = std::time::Duration::from_secs(60);
        let fri_close = at("2025-05-02T15:59:00+07:00");
        assert_eq!(
            freshness(
                &c,
                fri_close,
                at("2025-05-03T10:00:00+07:00"),
                minute,
                false
            ),
            Freshness::MarketClosed
        );
        assert_eq!(
            freshness(
                &c,
                fri_close,
                at("2025-05-05T09:30:00+07:00"),
                minute,
                false
            ),
            Freshness::Stale
        );
        assert_eq!(
            freshness(
                &c,
                fri_close,
                at("2025-05-06T20:00:00+07:00"),
                minute,
                false
            ),
            Freshness::Stale,
            "Monday's session was missed"
        );
        let t = at("2025-05-05T10:00:00+07:00");
        assert_eq!(
            freshness(&c, t, t + Duration::seconds(90), minute, false),
            Freshness::Fresh
        );
        assert_eq!(
            freshness(&c, t, t + Duration::seconds(121), minute, false),
            Freshness::Stale
        );
        assert_eq!(freshness(&c, t, t, minute, true), Freshness::Stale);
        assert_eq!(
            freshness(&c, t, t, std::time::Duration::MAX, false),
            Freshness::Fresh,
            "a huge interval saturates instead of panicking"
        );
    }
}
