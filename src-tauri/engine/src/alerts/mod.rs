//! Alerts: a pure, deterministic state machine fed with readings (time passed in, never read
//! from the clock). Prompt on a real move, silent on noise.

pub mod config;
pub mod news;
pub mod replay;
mod rules;
pub mod wording;
pub mod words;

use rules::{evaluate, in_range};

use crate::parse::date::wib;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use config::AlertConfig;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

/// Which rule fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The change since the previous close reached a tier.
    DayMove,
    /// The value moved fast within the rolling window.
    FastMove,
    /// The value crossed one of the user's levels.
    Level,
    /// One notification summing up what waited during quiet hours or a snooze.
    Summary,
    /// A new headline held one of the user's words.
    Word,
    /// One notification summing up word alerts that waited (a burst, quiet hours).
    WordSummary,
}

impl Rule {
    /// Every rule.
    pub const ALL: [Rule; 6] = [
        Rule::DayMove,
        Rule::FastMove,
        Rule::Level,
        Rule::Summary,
        Rule::Word,
        Rule::WordSummary,
    ];

    /// The name stored in the inbox and printed by replay (`day_move`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::DayMove => "day_move",
            Rule::FastMove => "fast_move",
            Rule::Level => "level",
            Rule::Summary => "summary",
            Rule::Word => "word",
            Rule::WordSummary => "word_summary",
        }
    }

    /// The rule a stored name stands for.
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// Which way the indicator's value moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The value went up (for USD/IDR: the rupiah weakened).
    Up,
    /// The value went down (for USD/IDR: the rupiah strengthened).
    Down,
}

impl Direction {
    /// `up` or `down`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }

    /// The direction a stored name stands for.
    pub fn from_name(name: &str) -> Option<Direction> {
        [Direction::Up, Direction::Down]
            .into_iter()
            .find(|d| d.as_str() == name)
    }
}

/// One reading offered to the alert engine.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// The indicator, as the bar labels it.
    pub symbol: String,
    /// Its value.
    pub value: f64,
    /// Its change since the previous close.
    pub change: f64,
    /// That change in percent.
    pub change_pct: f64,
    /// When the reading was taken.
    pub at: DateTime<Utc>,
    /// Fresh from a working source while the market is open; anything else never fires.
    pub fresh: bool,
}

/// An alert, shown as a notification or only recorded in the inbox. A word alert has no
/// indicator: its `symbol` is empty, its numbers zero, and it names its `words` and `urls`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// When the alert fired (WIB).
    pub at: DateTime<FixedOffset>,
    /// The indicator, or `*` for a summary of several (empty for a word alert).
    pub symbol: String,
    /// The rule that fired.
    pub rule: Rule,
    /// Which way the value moved.
    pub direction: Direction,
    /// The tier reached, for `day_move`.
    pub tier: Option<f64>,
    /// The value at the time.
    pub value: f64,
    /// The change since the previous close, in percent.
    pub change_pct: f64,
    /// The notification's title.
    pub title: String,
    /// The notification's body.
    pub body: String,
    /// False when it went only to the inbox (rate limit, quiet hours, snooze).
    pub shown: bool,
    /// Shown by updating the indicator's notification still on screen (a higher tier inside
    /// the gap) rather than as a new one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replaces: bool,
    /// The user's words a word alert matched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<String>,
    /// The stories a word alert covers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
}

impl Alert {
    /// True for an alert about the news rather than an indicator.
    pub fn is_word_alert(&self) -> bool {
        matches!(self.rule, Rule::Word | Rule::WordSummary)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct LevelState {
    level: f64,
    armed: bool,
    /// -1 below the level, 1 above, 0 not yet known.
    side: i8,
    /// The side the value came from when the level last fired.
    came_from: i8,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct SymbolState {
    day: Option<NaiveDate>,
    /// Tiers fired today, per direction (as counts of steps).
    up_tiers: u32,
    down_tiers: u32,
    last: Option<(f64, f64, f64)>,
    /// Our own readings inside the fast-move window: (ms, value).
    window: VecDeque<(i64, f64)>,
    quiet_up_until: i64,
    quiet_down_until: i64,
    levels: Vec<LevelState>,
}

/// Everything the engine remembers; persisted so a restart never repeats today's alerts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AlertState {
    symbols: BTreeMap<String, SymbolState>,
    last_shown: BTreeMap<String, i64>,
    muted_until: Option<i64>,
    held: Vec<Alert>,
    /// The day-move tier of each indicator's notification shown last, while its gap runs.
    #[serde(default)]
    shown_tiers: BTreeMap<String, (Direction, f64)>,
}

/// The alert engine.
#[derive(Debug, Clone)]
pub struct AlertEngine {
    config: AlertConfig,
    state: AlertState,
}

impl AlertEngine {
    /// A fresh engine.
    pub fn new(config: AlertConfig) -> AlertEngine {
        AlertEngine {
            config,
            state: AlertState::default(),
        }
    }

    /// An engine that carries on from saved state.
    pub fn with_state(config: AlertConfig, state: AlertState) -> AlertEngine {
        AlertEngine { config, state }
    }

    /// The state to save.
    pub fn state(&self) -> &AlertState {
        &self.state
    }

    /// The rules in force.
    pub fn config(&self) -> &AlertConfig {
        &self.config
    }

    /// Replaces the rules, keeping what was already fired today.
    pub fn set_config(&mut self, config: AlertConfig) {
        self.config = config;
    }

    /// Mutes notifications until `until` ("Senyapkan 1 jam"); alerts wait in the inbox.
    pub fn snooze(&mut self, until: DateTime<Utc>) {
        self.state.muted_until = Some(until.timestamp_millis());
    }

    /// True while a snooze runs at `at`.
    pub fn is_snoozed(&self, at: DateTime<Utc>) -> bool {
        self.state
            .muted_until
            .is_some_and(|u| at.timestamp_millis() < u)
    }

    fn muted(&self, at: DateTime<Utc>) -> bool {
        self.is_snoozed(at) || self.in_quiet_hours(at)
    }

    /// Muted for this indicator: rupiah alerts may break through quiet hours (never a snooze).
    fn muted_for(&self, symbol: &str, at: DateTime<Utc>) -> bool {
        if symbol == "USD/IDR" && self.config.rupiah_through_quiet {
            return self.is_snoozed(at);
        }
        self.muted(at)
    }

    fn in_quiet_hours(&self, at: DateTime<Utc>) -> bool {
        let Some((from, to)) = self.config.quiet_hours else {
            return false;
        };
        let t = at.with_timezone(&wib()).time();
        in_range(t, from, to)
    }

    /// Lets time pass without a reading: sums up held alerts once muting has ended.
    pub fn tick(&mut self, now: DateTime<Utc>) -> Vec<Alert> {
        if self.state.held.is_empty() || self.muted(now) {
            return Vec::new();
        }
        let held = std::mem::take(&mut self.state.held);
        self.state.muted_until = None;
        let last = held.last().cloned().expect("held is not empty");
        let symbols: std::collections::BTreeSet<&str> =
            held.iter().map(|a| a.symbol.as_str()).collect();
        let titles: Vec<String> = held.iter().map(|a| a.title.clone()).collect();
        let at = now.with_timezone(&wib());
        let w = wording::summary(self.config.language, held.len(), &titles, at);
        vec![Alert {
            at,
            symbol: if symbols.len() == 1 {
                last.symbol.clone()
            } else {
                "*".to_string()
            },
            rule: Rule::Summary,
            direction: last.direction,
            tier: None,
            value: last.value,
            change_pct: last.change_pct,
            title: w.title,
            body: w.body,
            shown: true,
            replaces: false,
            words: Vec::new(),
            urls: Vec::new(),
        }]
    }

    /// Feeds one reading; returns every alert it raised, shown or only recorded.
    pub fn feed(&mut self, obs: &Observation) -> Vec<Alert> {
        let mut out = self.tick(obs.at);
        if !self.config.enabled || !obs.value.is_finite() || obs.value <= 0.0 {
            return out;
        }
        let Some(rules) = self.config.symbols.get(&obs.symbol).cloned() else {
            return out;
        };
        let state = self.state.symbols.entry(obs.symbol.clone()).or_default();
        // Every reading is remembered, fresh or not, so the morning's first reading that merely
        // repeats last night's post-close one is recognised as a repeat: a repeat is not news.
        let key = (obs.value, obs.change, obs.change_pct);
        if state.last == Some(key) {
            return out;
        }
        state.last = Some(key);
        if !obs.fresh {
            return out;
        }
        let fired = evaluate(state, &rules, obs);
        for (rule, direction, tier, move_pct, change, level) in fired {
            let window = rules.fast_move.map(|f| f.window_minutes).unwrap_or(60);
            let at = obs.at.with_timezone(&wib());
            let w = wording::describe(
                self.config.language,
                &obs.symbol,
                rule,
                direction,
                obs.value,
                change,
                move_pct,
                level,
                window,
                at,
            );
            let mut alert = Alert {
                at,
                symbol: obs.symbol.clone(),
                rule,
                direction,
                tier,
                value: obs.value,
                change_pct: obs.change_pct,
                title: w.title,
                body: w.body,
                shown: false,
                replaces: false,
                words: Vec::new(),
                urls: Vec::new(),
            };
            let now = obs.at.timestamp_millis();
            let gap = i64::from(self.config.min_gap_minutes) * 60_000;
            let day_tier = tier.filter(|_| rule == Rule::DayMove);
            if self.muted_for(&obs.symbol, obs.at) {
                self.state.held.push(alert.clone());
            } else if self
                .state
                .last_shown
                .get(&obs.symbol)
                .is_none_or(|last| now - last >= gap)
            {
                alert.shown = true;
                self.state.last_shown.insert(obs.symbol.clone(), now);
                match day_tier {
                    Some(t) => self
                        .state
                        .shown_tiers
                        .insert(obs.symbol.clone(), (direction, t)),
                    None => self.state.shown_tiers.remove(&obs.symbol),
                };
            } else if let Some(t) = day_tier.filter(|t| {
                self.state
                    .shown_tiers
                    .get(&obs.symbol)
                    .is_some_and(|(d, shown)| *d == direction && t > shown)
            }) {
                // A bigger move inside the gap is never swallowed: it updates the notification
                // on screen in place.
                alert.shown = true;
                alert.replaces = true;
                self.state
                    .shown_tiers
                    .insert(obs.symbol.clone(), (direction, t));
            }
            out.push(alert);
        }
        out
    }
}

impl Alert {
    /// Whether the move this alert reports still holds at `change_pct` (today's change, percent):
    /// for a day-move tier, the same direction at least as far; other alerts always hold.
    pub fn still_holds(&self, change_pct: f64) -> bool {
        match (self.tier, self.direction) {
            (None, _) => true,
            (Some(tier), Direction::Up) => change_pct >= tier,
            (Some(tier), Direction::Down) => -change_pct >= tier,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_match_the_json_names() {
        for r in Rule::ALL {
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
            assert_eq!(Rule::from_name(r.as_str()), Some(r));
        }
        for d in [Direction::Up, Direction::Down] {
            assert_eq!(serde_json::to_value(d).unwrap(), d.as_str());
            assert_eq!(Direction::from_name(d.as_str()), Some(d));
        }
    }

    #[test]
    fn a_tier_holds_while_the_move_is_as_far_the_same_way() {
        let mut alert = Alert {
            at: chrono::DateTime::parse_from_rfc3339("2026-03-19T10:04:00+07:00").unwrap(),
            symbol: "USD/IDR".into(),
            rule: Rule::DayMove,
            direction: Direction::Up,
            tier: Some(1.0),
            value: 16_700.0,
            change_pct: 1.13,
            title: String::new(),
            body: String::new(),
            shown: true,
            replaces: true,
            words: Vec::new(),
            urls: Vec::new(),
        };
        assert!(alert.still_holds(1.0) && alert.still_holds(1.4));
        assert!(!alert.still_holds(0.98) && !alert.still_holds(-1.2));
        alert.direction = Direction::Down;
        assert!(alert.still_holds(-1.05) && !alert.still_holds(1.05) && !alert.still_holds(-0.6));
        alert.tier = None;
        assert!(alert.still_holds(0.0));
    }
}
