//! When to ask for `latest.json`, on the engine's clock: once a day at this install's own minute
//! (drawn once, so thousands of copies do not ask at the same moment), never twice within
//! [`MIN_DAILY_GAP_MS`], and at once when kontan's pages stop parsing, at most once an hour. What
//! is remembered (kept in the cache, so a restart does not ask again) is [`UpdateMemory`].

use super::Release;
use crate::time::{start_of_day_wib, Millis};
use serde::{Deserialize, Serialize};

const MINUTE_MS: Millis = 60_000;
const HOUR_MS: Millis = 60 * MINUTE_MS;
const DAY_MS: Millis = 24 * HOUR_MS;
/// The daily check never comes sooner than this after the last one.
pub const MIN_DAILY_GAP_MS: Millis = 20 * HOUR_MS;
/// A layout change asks at most this often.
pub const LAYOUT_CHECK_GAP_MS: Millis = HOUR_MS;

/// What the last check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
#[non_exhaustive]
pub enum LastCheck {
    /// Nothing newer than the running version.
    UpToDate,
    /// A newer version is released.
    Newer {
        /// Its version.
        version: String,
    },
    /// The check failed (offline, 404, 5xx, a refused file), in words.
    Failed {
        /// Why.
        reason: String,
    },
}

/// Everything the update check remembers between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateMemory {
    /// This install's minute of the day (WIB) for the daily check, drawn once.
    pub minute_of_day: Option<u16>,
    /// When the last check was made (any result).
    pub last_check_ms: Option<Millis>,
    /// What it found.
    pub last_result: Option<LastCheck>,
    /// When the daily check is next due.
    pub next_check_ms: Option<Millis>,
    /// When a layout change last asked.
    pub last_layout_check_ms: Option<Millis>,
    /// The `ETag` and `Last-Modified` of the last `latest.json` read, for a conditional request.
    pub etag: Option<String>,
    /// See `etag`.
    pub last_modified: Option<String>,
    /// The newest release seen (kept while the server answers "not modified").
    pub latest: Option<Release>,
    /// The newest version the user has been told of (told once per version).
    pub told: Option<String>,
}

impl UpdateMemory {
    /// This install's minute of the day, drawn from `draw` (a fraction from 0 to 1) the first time.
    fn minute(&mut self, draw: impl FnOnce() -> f64) -> Millis {
        let minute = *self
            .minute_of_day
            .get_or_insert_with(|| ((draw().clamp(0.0, 1.0) * 1440.0) as u16).min(1439));
        Millis::from(minute) * MINUTE_MS
    }

    /// When the daily check is due: kept once computed (a restart does not move it). The first
    /// time, it is this install's minute of the day, the next time that comes after `now`.
    pub fn next_check(&mut self, now: Millis, draw: impl FnOnce() -> f64) -> Millis {
        if let Some(next) = self.next_check_ms {
            return next;
        }
        let minute = self.minute(draw);
        let after = match self.last_check_ms {
            Some(last) => (last + MIN_DAILY_GAP_MS).max(now.min(last + DAY_MS)),
            None => now,
        };
        let mut next = start_of_day_wib(after) + minute;
        if next < after {
            next += DAY_MS;
        }
        self.next_check_ms = Some(next);
        next
    }

    /// Whether the daily check is due at `now`.
    pub fn daily_due(&mut self, now: Millis, draw: impl FnOnce() -> f64) -> bool {
        now >= self.next_check(now, draw)
    }

    /// kontan's pages stopped parsing at `now`: whether to ask at once (not if a check or a
    /// layout-change check was made within the hour). A yes is remembered.
    pub fn layout_changed(&mut self, now: Millis) -> bool {
        let recent =
            |t: Option<Millis>| t.is_some_and(|t| now - t < LAYOUT_CHECK_GAP_MS && now >= t);
        if recent(self.last_layout_check_ms) || recent(self.last_check_ms) {
            return false;
        }
        self.last_layout_check_ms = Some(now);
        true
    }

    /// Records a check made at `now` and what it found; the next daily check is a day on, at
    /// this install's minute.
    pub fn checked(&mut self, now: Millis, result: LastCheck) {
        self.last_check_ms = Some(now);
        self.last_result = Some(result);
        self.next_check_ms = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// A time in WIB on the engine's clock.
    fn wib(d: u32, h: u32, m: u32) -> Millis {
        crate::parse::date::wib()
            .with_ymd_and_hms(2026, 12, d, h, m, 0)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn the_first_check_is_at_this_installs_minute_and_then_once_a_day() {
        let mut m = UpdateMemory::default();
        // 0.5 of the day: 12:00 WIB.
        assert!(!m.daily_due(wib(7, 9, 0), || 0.5));
        assert_eq!(m.next_check_ms, Some(wib(7, 12, 0)));
        assert!(!m.daily_due(wib(7, 11, 59), || unreachable!()));
        assert!(m.daily_due(wib(7, 12, 0), || unreachable!()));
        m.checked(wib(7, 12, 0), LastCheck::UpToDate);
        for t in [wib(7, 12, 1), wib(7, 23, 0), wib(8, 11, 59)] {
            assert!(!m.daily_due(t, || unreachable!()), "{t}");
        }
        assert!(m.daily_due(wib(8, 12, 0), || unreachable!()));
    }

    #[test]
    fn a_restart_within_the_day_does_not_ask_again() {
        let mut m = UpdateMemory::default();
        m.daily_due(wib(7, 9, 0), || 0.25);
        m.checked(wib(7, 9, 5), LastCheck::UpToDate);
        let kept: UpdateMemory = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
        let mut restarted = kept;
        assert!(!restarted.daily_due(wib(7, 17, 0), || 0.9));
        assert!(!restarted.daily_due(wib(8, 5, 0), || 0.9));
        // The install's minute (06:00) came, but only 20 hours after the last check.
        assert!(restarted.daily_due(wib(8, 6, 0), || 0.9));
    }

    #[test]
    fn a_computer_off_at_its_minute_asks_when_it_is_back_but_not_twice_in_twenty_hours() {
        let mut m = UpdateMemory {
            minute_of_day: Some(8 * 60),
            ..Default::default()
        };
        m.checked(wib(7, 8, 0), LastCheck::UpToDate);
        // Off from 7 Dec 18:00 to 10 Dec 14:00: due at once on return.
        assert!(m.daily_due(wib(10, 14, 0), || unreachable!()));
        m.checked(wib(10, 14, 0), LastCheck::UpToDate);
        assert!(!m.daily_due(wib(11, 8, 0), || unreachable!()));
        assert!(m.daily_due(wib(12, 8, 0), || unreachable!()));
    }

    #[test]
    fn installs_draw_their_minutes_across_the_day() {
        let minutes: std::collections::BTreeSet<u16> = (0..200)
            .map(|_| {
                let mut m = UpdateMemory::default();
                m.next_check(wib(7, 0, 0), fastrand::f64);
                m.minute_of_day.unwrap()
            })
            .collect();
        assert!(minutes.len() > 150, "{minutes:?}");
        assert!(minutes.iter().all(|&m| m < 1440));
    }

    #[test]
    fn a_layout_change_asks_at_once_but_at_most_once_an_hour() {
        let mut m = UpdateMemory::default();
        assert!(m.layout_changed(wib(7, 10, 0)));
        m.checked(wib(7, 10, 0), LastCheck::UpToDate);
        assert!(!m.layout_changed(wib(7, 10, 30)));
        assert!(!m.layout_changed(wib(7, 10, 59)));
        assert!(m.layout_changed(wib(7, 11, 0)));
        m.checked(
            wib(7, 11, 0),
            LastCheck::Failed {
                reason: "offline".into(),
            },
        );
        assert!(!m.layout_changed(wib(7, 11, 40)));
        // A daily check made within the hour counts too.
        m.checked(wib(7, 12, 10), LastCheck::UpToDate);
        assert!(!m.layout_changed(wib(7, 12, 20)));
        assert!(m.layout_changed(wib(7, 13, 10)));
    }
}
