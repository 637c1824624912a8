//! The IDX trading calendar (sessions and named holidays, from `data/idx-calendar.json`), the
//! hours each indicator follows, and what "fresh" means for a reading.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::parse::date::wib;

/// A trading session, from and to (WIB).
pub type Session = (NaiveTime, NaiveTime);

/// The exchange's calendar as published: sessions by weekday and holidays with their names.
const IDX_CALENDAR: &str = include_str!("../data/idx-calendar.json");

/// A day the exchange does not trade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Holiday {
    /// The day (WIB).
    pub date: NaiveDate,
    /// Its name as the exchange announces it ("Hari Suci Nyepi Tahun Baru Saka 1948").
    pub name: String,
}

/// The hours an indicator's value moves in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hours {
    /// The exchange's sessions (IDX indices): a midday break, closed on exchange holidays.
    Exchange,
    /// The trading day without its midday break: Monday to Friday 09:00–16:00 WIB, closed on the
    /// exchange's holidays (which follow Bank Indonesia's clearing days). The rupiah's interbank
    /// market and Antam's gold price do not pause at noon; kontan's bar carries them through the
    /// exchange's day, and the alert rules were built on those hours.
    Business,
}

impl Hours {
    /// The hours `symbol` follows.
    pub fn of(symbol: &str) -> Hours {
        match symbol {
            "USD/IDR" | "EMAS" => Hours::Business,
            _ => Hours::Exchange,
        }
    }
}

/// When the Indonesia Stock Exchange trades (times in WIB).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarketCalendar {
    /// Sessions by weekday, Monday first; a day without sessions does not trade.
    pub sessions: [Vec<Session>; 7],
    /// Exchange holidays (no trading), with their names.
    pub holidays: Vec<Holiday>,
    /// Treat every moment as trading (demos against the fixture site at any hour).
    #[serde(default)]
    pub all_week: bool,
}

/// The file `data/idx-calendar.json`.
#[derive(Deserialize)]
struct CalendarFile {
    sessions: BTreeMap<String, Vec<(NaiveTime, NaiveTime)>>,
    holidays: Vec<Holiday>,
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

/// The last instant of a day: a session ending here includes it.
fn end_of_day() -> NaiveTime {
    NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999).unwrap_or(NaiveTime::MIN)
}

impl Default for MarketCalendar {
    /// The exchange's published calendar.
    fn default() -> Self {
        MarketCalendar::idx().clone()
    }
}

impl MarketCalendar {
    /// The exchange's published calendar (`data/idx-calendar.json`, built into the binary).
    pub fn idx() -> &'static MarketCalendar {
        static CALENDAR: OnceLock<MarketCalendar> = OnceLock::new();
        CALENDAR.get_or_init(|| {
            let file: CalendarFile = match serde_json::from_str(IDX_CALENDAR) {
                Ok(file) => file,
                Err(e) => {
                    // The file is checked by the tests; a broken build still trades Mon–Fri.
                    tracing::error!("data/idx-calendar.json: {e}");
                    CalendarFile {
                        sessions: BTreeMap::new(),
                        holidays: Vec::new(),
                    }
                }
            };
            let mut sessions: [Vec<Session>; 7] = Default::default();
            for (i, day) in WEEKDAYS.iter().enumerate() {
                sessions[i] = file.sessions.get(*day).cloned().unwrap_or_default();
            }
            if sessions.iter().all(Vec::is_empty) {
                for day in sessions.iter_mut().take(5) {
                    day.push((hm(9, 0), hm(16, 0)));
                }
            }
            MarketCalendar {
                sessions,
                holidays: file.holidays,
                all_week: false,
            }
        })
    }

    /// A market that never closes: for demos and tests against the fixture site at any hour.
    pub fn always_open() -> MarketCalendar {
        MarketCalendar {
            sessions: std::array::from_fn(|_| vec![(NaiveTime::MIN, end_of_day())]),
            holidays: Vec::new(),
            all_week: true,
        }
    }

    /// The exchange's calendar, or `always_open` when `PANTAU_MARKET_CALENDAR=always-open`.
    pub fn from_env() -> MarketCalendar {
        match std::env::var("PANTAU_MARKET_CALENDAR").as_deref() {
            Ok("always-open") => MarketCalendar::always_open(),
            _ => MarketCalendar::default(),
        }
    }

    /// The holiday on `date` (WIB), if the exchange does not trade that day.
    pub fn holiday(&self, date: NaiveDate) -> Option<&Holiday> {
        if self.all_week {
            return None;
        }
        self.holidays.iter().find(|h| h.date == date)
    }

    /// The sessions of `date` in `hours` (none on weekends and holidays).
    pub fn sessions_on(&self, hours: Hours, date: NaiveDate) -> Vec<Session> {
        if self.holiday(date).is_some() {
            return Vec::new();
        }
        let weekday = date.weekday().num_days_from_monday() as usize;
        match hours {
            Hours::Exchange => self.sessions[weekday].clone(),
            _ if self.all_week => self.sessions[weekday].clone(),
            Hours::Business if weekday < 5 => vec![(hm(9, 0), hm(16, 0))],
            Hours::Business => Vec::new(),
        }
    }

    /// True when the exchange is trading at `at`.
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        self.is_open_in(Hours::Exchange, at)
    }

    /// True when `hours` are running at `at`.
    pub fn is_open_in(&self, hours: Hours, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&wib());
        let t = local.time();
        self.sessions_on(hours, local.date_naive())
            .iter()
            .any(|&(from, to)| t >= from && (t < to || to == end_of_day()))
    }

    /// True when the exchange was open at any moment in `[from, to]`.
    pub fn was_open_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        self.was_open_in(Hours::Exchange, from, to)
    }

    /// True when `hours` were running at any moment in `[from, to]`.
    pub fn was_open_in(&self, hours: Hours, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        if from > to {
            return false;
        }
        if self.is_open_in(hours, from) || self.is_open_in(hours, to) {
            return true;
        }
        let mut day = from.with_timezone(&wib()).date_naive();
        let last = to.with_timezone(&wib()).date_naive();
        let mut guard = 0;
        while day <= last && guard < 400 {
            for (a, b) in self.sessions_on(hours, day) {
                let start = wib().from_local_datetime(&day.and_time(a)).single();
                let end = wib().from_local_datetime(&day.and_time(b)).single();
                if let (Some(s), Some(e)) = (start, end) {
                    if s.with_timezone(&Utc) <= to && e.with_timezone(&Utc) > from {
                        return true;
                    }
                }
            }
            day += Duration::days(1);
            guard += 1;
        }
        false
    }

    /// The next moment after `now` when an exchange session starts (within three weeks: the
    /// longest run of holidays, Idul Fitri's, is under two).
    pub fn next_open(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut day = now.with_timezone(&wib()).date_naive();
        for _ in 0..22 {
            for (start, _) in self.sessions_on(Hours::Exchange, day) {
                let at = wib()
                    .from_local_datetime(&day.and_time(start))
                    .single()?
                    .with_timezone(&Utc);
                if at > now {
                    return Some(at);
                }
            }
            day += Duration::days(1);
        }
        None
    }

    /// What the exchange is doing at `at`, for the status line.
    pub fn state(&self, at: DateTime<Utc>) -> MarketState {
        if self.is_open(at) {
            return MarketState::Open;
        }
        let local = at.with_timezone(&wib());
        let opens = self.next_open(at).map(|t| t.with_timezone(&wib()));
        if let Some(holiday) = self.holiday(local.date_naive()) {
            return MarketState::Holiday {
                name: holiday.name.clone(),
                opens,
            };
        }
        let today = self.sessions_on(Hours::Exchange, local.date_naive());
        let t = local.time();
        let between =
            today.first().is_some_and(|s| t >= s.0) && today.last().is_some_and(|s| t < s.1);
        if between {
            MarketState::Break { opens }
        } else {
            MarketState::Closed { opens }
        }
    }
}

/// What the exchange is doing now, as the status line says it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum MarketState {
    /// A session is on.
    Open,
    /// The midday break between the two sessions.
    Break {
        /// When the next session starts.
        opens: Option<DateTime<FixedOffset>>,
    },
    /// Before the first session, after the last, or a weekend.
    Closed {
        /// When the next session starts.
        opens: Option<DateTime<FixedOffset>>,
    },
    /// An exchange holiday ("Bursa libur: Hari Suci Nyepi …").
    Holiday {
        /// The holiday's name as the exchange announces it.
        name: String,
        /// When the next session starts.
        opens: Option<DateTime<FixedOffset>>,
    },
}

/// How current a reading is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Freshness {
    /// Confirmed recently enough.
    Fresh,
    /// The market is closed and nothing has traded since: the last value stands.
    MarketClosed,
    /// Older than twice its refresh interval while its market was open, or its source is failing.
    Stale,
}

/// Judges a reading in `hours` last confirmed at `confirmed_at`, refreshed every `interval`.
pub fn freshness(
    calendar: &MarketCalendar,
    hours: Hours,
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
    if deadline < now && calendar.was_open_in(hours, deadline, now) {
        return Freshness::Stale;
    }
    if calendar.is_open_in(hours, now) {
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

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Weekdays that trade in `year`: the exchange announced 236 for 2025 and 239 for 2026.
    fn trading_days(c: &MarketCalendar, year: i32) -> usize {
        let mut d = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        let mut n = 0;
        while d.year() == year {
            n += usize::from(!c.sessions_on(Hours::Exchange, d).is_empty());
            d += Duration::days(1);
        }
        n
    }

    #[test]
    fn the_published_calendar_has_the_exchange_s_trading_day_counts() {
        let c = MarketCalendar::default();
        assert_eq!(trading_days(&c, 2025), 236);
        assert_eq!(trading_days(&c, 2026), 239);
        assert!(c
            .holidays
            .iter()
            .all(|h| h.date.weekday().num_days_from_monday() < 5));
        assert_eq!(
            c.holiday(day("2026-03-19")).map(|h| h.name.as_str()),
            Some("Hari Suci Nyepi Tahun Baru Saka 1948")
        );
        assert_eq!(c.holiday(day("2026-03-26")), None);
    }

    #[test]
    fn sessions_in_wib_with_the_midday_break_and_friday_s_longer_one() {
        let c = MarketCalendar::default();
        // Tuesday 29 April 2025.
        assert!(c.is_open(at("2025-04-29T09:00:00+07:00")));
        assert!(c.is_open(at("2025-04-29T11:59:59+07:00")));
        assert!(!c.is_open(at("2025-04-29T12:30:00+07:00")), "midday break");
        assert!(c.is_open(at("2025-04-29T13:30:00+07:00")));
        assert!(!c.is_open(at("2025-04-29T16:00:00+07:00")));
        assert!(!c.is_open(at("2025-04-29T08:59:59+07:00")));
        // Friday 2 May 2025: 09:00–11:30 and 14:00–16:00.
        assert!(!c.is_open(at("2025-05-02T11:45:00+07:00")));
        assert!(!c.is_open(at("2025-05-02T13:45:00+07:00")));
        assert!(c.is_open(at("2025-05-02T14:00:00+07:00")));
        assert!(!c.is_open(at("2025-05-03T10:00:00+07:00")), "Saturday");
        assert!(!c.is_open(at("2026-03-19T10:00:00+07:00")), "Nyepi");
        assert!(MarketCalendar::always_open().is_open(at("2026-03-19T23:59:59+07:00")));
    }

    #[test]
    fn the_state_names_the_holiday_the_break_and_the_next_opening() {
        let c = MarketCalendar::default();
        assert_eq!(c.state(at("2025-04-29T10:00:00+07:00")), MarketState::Open);
        let opens = |s: &str| Some(DateTime::parse_from_rfc3339(s).unwrap());
        assert_eq!(
            c.state(at("2025-04-29T12:10:00+07:00")),
            MarketState::Break {
                opens: opens("2025-04-29T13:30:00+07:00")
            }
        );
        assert_eq!(
            c.state(at("2025-04-29T17:00:00+07:00")),
            MarketState::Closed {
                opens: opens("2025-04-30T09:00:00+07:00")
            }
        );
        // Nyepi, then Idul Fitri's leave: trading resumes on Wednesday 25 March 2026.
        assert_eq!(
            c.state(at("2026-03-19T10:00:00+07:00")),
            MarketState::Holiday {
                name: "Hari Suci Nyepi Tahun Baru Saka 1948".into(),
                opens: opens("2026-03-25T09:00:00+07:00")
            }
        );
        let json = serde_json::to_value(c.state(at("2026-12-31T10:00:00+07:00"))).unwrap();
        assert_eq!(json["state"], "holiday");
        assert_eq!(json["name"], "Libur Bursa");
    }

    #[test]
    fn the_rupiah_and_gold_follow_the_business_day() {
        let c = MarketCalendar::default();
        let usd = Hours::of("USD/IDR");
        assert_eq!(usd, Hours::Business);
        assert_eq!(Hours::of("EMAS"), Hours::Business);
        assert_eq!(Hours::of("LQ45"), Hours::Exchange);
        assert!(
            c.is_open_in(usd, at("2025-04-29T12:30:00+07:00")),
            "no midday break"
        );
        assert!(
            c.is_open_in(usd, at("2025-05-02T12:30:00+07:00")),
            "nor on Friday"
        );
        assert!(!c.is_open_in(usd, at("2025-04-29T08:30:00+07:00")));
        assert!(!c.is_open_in(usd, at("2025-04-29T16:30:00+07:00")));
        assert!(
            !c.is_open_in(usd, at("2025-05-03T10:00:00+07:00")),
            "Saturday"
        );
        assert!(
            !c.is_open_in(usd, at("2026-03-19T10:00:00+07:00")),
            "a holiday"
        );
    }

    #[test]
    fn closed_market_is_not_stale_but_a_missed_session_is() {
        let c = MarketCalendar::default();
        let ex = Hours::Exchange;
        let minute = std::time::Duration::from_secs(60);
        let fri_close = at("2025-05-02T15:59:00+07:00");
        let judge = |confirmed, now, interval| freshness(&c, ex, confirmed, now, interval, false);
        assert_eq!(
            judge(fri_close, at("2025-05-03T10:00:00+07:00"), minute),
            Freshness::MarketClosed
        );
        assert_eq!(
            judge(fri_close, at("2025-05-05T09:30:00+07:00"), minute),
            Freshness::Stale
        );
        assert_eq!(
            judge(fri_close, at("2025-05-06T20:00:00+07:00"), minute),
            Freshness::Stale,
            "Monday's session was missed"
        );
        let t = at("2025-05-05T10:00:00+07:00");
        assert_eq!(
            judge(t, t + Duration::seconds(90), minute),
            Freshness::Fresh
        );
        assert_eq!(
            judge(t, t + Duration::seconds(121), minute),
            Freshness::Stale
        );
        assert_eq!(freshness(&c, ex, t, t, minute, true), Freshness::Stale);
        assert_eq!(
            judge(t, t, std::time::Duration::MAX),
            Freshness::Fresh,
            "a huge interval saturates instead of panicking"
        );
        // The Tuesday before Nyepi 2026, then the whole holiday run: never stale.
        let before = at("2026-03-17T15:59:00+07:00");
        for now in ["2026-03-19T10:00:00+07:00", "2026-03-24T15:00:00+07:00"] {
            assert_eq!(
                judge(before, at(now), minute),
                Freshness::MarketClosed,
                "{now}"
            );
            let rupiah = freshness(&c, Hours::Business, before, at(now), minute, false);
            assert_eq!(rupiah, Freshness::MarketClosed, "{now}");
        }
        assert_eq!(
            freshness(
                &c,
                Hours::Business,
                at("2026-03-17T11:59:00+07:00"),
                at("2026-03-19T10:00:00+07:00"),
                minute,
                false
            ),
            Freshness::Stale,
            "the rupiah's midday hours were missed"
        );
        assert_eq!(
            judge(before, at("2026-03-25T09:05:00+07:00"), minute),
            Freshness::Stale
        );
    }
}
