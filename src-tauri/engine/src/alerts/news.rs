//! Word alerts: a pure, deterministic state machine fed with headlines as Pantau first sees them
//! (time passed in, never read from the clock). A story notifies once; old news, bursts and
//! quiet hours go to the inbox, and what waited is summed up in one notification.

use super::config::{AlertConfig, Language};
use super::rules::in_range;
use super::words::matched;
use crate::parse::date::wib;
use crate::parse::urls::{is_kontan_host, normalize};
use chrono::{DateTime, FixedOffset, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};
use url::Url;

/// A story published this long before Pantau first saw it is old news: inbox only.
pub const OLD_AFTER_MS: i64 = 60 * 60_000;
/// At most this many word notifications are shown in any [`BURST_WINDOW_MS`].
pub const BURST_MAX: usize = 3;
/// The window the burst limit counts over.
pub const BURST_WINDOW_MS: i64 = 10 * 60_000;
/// How long a notified story is remembered (it never notifies again meanwhile).
const REMEMBER_MS: i64 = 14 * 86_400_000;

/// What word alerts need to know.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewsRules {
    /// The words and phrases watched, as the user typed them.
    pub words: Vec<String>,
    /// Quiet hours in WIB (from, to).
    pub quiet_hours: Option<(NaiveTime, NaiveTime)>,
    /// The language notifications are worded in.
    pub language: Language,
}

impl NewsRules {
    /// What word alerts need of the alert settings (no words while they are switched off).
    pub fn of(config: &AlertConfig) -> NewsRules {
        NewsRules {
            words: if config.word_alerts {
                config.words.clone()
            } else {
                Vec::new()
            },
            quiet_hours: config.quiet_hours,
            language: config.language,
        }
    }
}

/// A headline offered to word alerts.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    /// Its address.
    pub url: String,
    /// Its headline.
    pub title: String,
    /// When kontan says it was published.
    pub published_at: Option<DateTime<Utc>>,
    /// When Pantau first saw it.
    pub first_seen: DateTime<Utc>,
}

/// A word alert: one story, or a summary of several.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewsAlert {
    /// When it was raised (for a summary: when it is shown), in WIB.
    pub at: DateTime<FixedOffset>,
    /// The words that matched, as the user typed them.
    pub words: Vec<String>,
    /// Every story it covers.
    pub urls: Vec<String>,
    /// The notification's title.
    pub title: String,
    /// The notification's body.
    pub body: String,
    /// False when it went only to the inbox (old news, a burst, quiet hours).
    pub shown: bool,
    /// A summary of what waited (its click opens the inbox, not a story).
    #[serde(default)]
    pub summary: bool,
}

impl NewsAlert {
    /// The alert as the inbox keeps it (and as the refresh loop reports it).
    pub fn into_alert(self) -> super::Alert {
        super::Alert {
            at: self.at,
            symbol: String::new(),
            rule: if self.summary {
                super::Rule::WordSummary
            } else {
                super::Rule::Word
            },
            direction: super::Direction::Up,
            tier: None,
            value: 0.0,
            change_pct: 0.0,
            title: self.title,
            body: self.body,
            shown: self.shown,
            replaces: false,
            words: self.words,
            urls: self.urls,
        }
    }
}

/// A story waiting for the next summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Waiting {
    url: String,
    title: String,
    words: Vec<String>,
    at: i64,
}

/// Everything word alerts remember; persisted so a restart never repeats a story.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewsState {
    /// Story key → when it matched.
    notified: BTreeMap<String, i64>,
    /// When the notifications of the last burst window were shown.
    shown: VecDeque<i64>,
    /// Stories waiting for a summary.
    waiting: Vec<Waiting>,
}

/// The word-alert engine.
#[derive(Debug, Clone)]
pub struct NewsAlerts {
    rules: NewsRules,
    state: NewsState,
    /// How many stories were remembered after the last pruning: the next waits until there are
    /// twice as many, so pruning costs a constant per story however many there are.
    kept_after_pruning: usize,
}

/// Stories remembered before the first pruning.
const PRUNE_FROM: usize = 256;

impl NewsAlerts {
    /// An engine that carries on from saved state.
    pub fn new(rules: NewsRules, state: NewsState) -> NewsAlerts {
        let kept_after_pruning = state.notified.len();
        NewsAlerts {
            rules,
            state,
            kept_after_pruning,
        }
    }

    /// The state to save.
    pub fn state(&self) -> &NewsState {
        &self.state
    }

    /// Replaces the rules, keeping what was already notified.
    pub fn set_rules(&mut self, rules: NewsRules) {
        self.rules = rules;
    }

    /// When the summary of the waiting stories is due, if any wait.
    pub fn summary_due(&self) -> Option<DateTime<Utc>> {
        let first = self.state.waiting.first()?.at;
        let mut due = first;
        if self.state.shown.len() >= BURST_MAX {
            due = due.max(self.state.shown[self.state.shown.len() - BURST_MAX] + BURST_WINDOW_MS);
        }
        let due = DateTime::from_timestamp_millis(due)?;
        Some(self.quiet_end(due).unwrap_or(due))
    }

    /// Lets time pass: shows the summary of what waited once it is due.
    pub fn tick(&mut self, now: DateTime<Utc>) -> Vec<NewsAlert> {
        let mut out = Vec::new();
        while let Some(due) = self.summary_due().filter(|d| *d <= now) {
            let waiting = std::mem::take(&mut self.state.waiting);
            self.note_shown(due.timestamp_millis());
            out.push(summary(self.rules.language, &waiting, due));
        }
        out
    }

    /// Offers a headline at `now`; returns the alerts raised, shown or only recorded.
    pub fn feed(&mut self, story: &Story, now: DateTime<Utc>) -> Vec<NewsAlert> {
        let mut out = self.tick(now);
        let words: Vec<String> = matched(&story.title, &self.rules.words)
            .into_iter()
            .map(str::to_string)
            .collect();
        if words.is_empty() {
            return out;
        }
        let Some((key, url)) = story_key(&story.url) else {
            return out;
        };
        let at = now.timestamp_millis();
        if self
            .state
            .notified
            .get(&key)
            .is_some_and(|t| at - *t < REMEMBER_MS)
        {
            return out;
        }
        self.state.notified.insert(key, at);
        if self.state.notified.len() >= PRUNE_FROM.max(2 * self.kept_after_pruning) {
            self.state.notified.retain(|_, t| at - *t < REMEMBER_MS);
            self.kept_after_pruning = self.state.notified.len();
        }
        let old = story.published_at.is_some_and(|p| {
            story.first_seen.timestamp_millis() - p.timestamp_millis() > OLD_AFTER_MS
        });
        self.state.shown.retain(|t| at - *t < BURST_WINDOW_MS);
        let mut alert = single(self.rules.language, &words, &url, &story.title, now);
        if old {
            // Old news goes to the inbox only, and is never summed up.
        } else if self.in_quiet_hours(now)
            || self.state.shown.len() >= BURST_MAX
            || !self.state.waiting.is_empty()
        {
            self.state.waiting.push(Waiting {
                url,
                title: story.title.clone(),
                words,
                at,
            });
        } else {
            alert.shown = true;
            self.note_shown(at);
        }
        out.push(alert);
        out
    }

    fn note_shown(&mut self, at: i64) {
        self.state.shown.push_back(at);
        while self.state.shown.len() > BURST_MAX {
            self.state.shown.pop_front();
        }
    }

    fn in_quiet_hours(&self, at: DateTime<Utc>) -> bool {
        self.rules
            .quiet_hours
            .is_some_and(|(from, to)| in_range(at.with_timezone(&wib()).time(), from, to))
    }

    /// When the quiet hours that hold `at` end; `None` outside them.
    fn quiet_end(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let (_, to) = self.rules.quiet_hours?;
        if !self.in_quiet_hours(at) {
            return None;
        }
        let local = at.with_timezone(&wib());
        let mut end = local.date_naive().and_time(to);
        if end <= local.naive_local() {
            end += chrono::Duration::days(1);
        }
        Some(end.and_local_timezone(wib()).single()?.with_timezone(&Utc))
    }
}

/// One story's identity and its clean address: tracking parameters stripped, and a kontan
/// story known by its slug whichever channel host lists it.
pub fn story_key(raw: &str) -> Option<(String, String)> {
    let parsed = Url::parse(raw.trim()).ok()?;
    let url = normalize(parsed.as_str(), &parsed)?;
    let host = url.host_str()?;
    let key = match url.path().strip_prefix("/news/") {
        Some(slug) if is_kontan_host(host) => format!("kontan/{}", slug.trim_end_matches('/')),
        _ => format!("{host}{}?{}", url.path(), url.query().unwrap_or("")),
    };
    Some((key, url.to_string()))
}

fn single(
    lang: Language,
    words: &[String],
    url: &str,
    title: &str,
    at: DateTime<Utc>,
) -> NewsAlert {
    let label = match lang {
        Language::Id => "Berita",
        Language::En => "News",
    };
    NewsAlert {
        at: at.with_timezone(&wib()),
        words: words.to_vec(),
        urls: vec![url.to_string()],
        title: format!("{label}: {}", words.join(", ")),
        body: title.to_string(),
        shown: false,
        summary: false,
    }
}

/// Headlines a summary lists by name; the rest are counted.
const SUMMARY_TITLES: usize = 3;

fn summary(lang: Language, waiting: &[Waiting], at: DateTime<Utc>) -> NewsAlert {
    let mut words: Vec<String> = Vec::new();
    for w in waiting.iter().flat_map(|s| &s.words) {
        if !words.contains(w) {
            words.push(w.clone());
        }
    }
    let n = waiting.len();
    let title = match lang {
        Language::Id => format!("{n} berita baru: {}", words.join(", ")),
        Language::En if n == 1 => format!("1 new story: {}", words.join(", ")),
        Language::En => format!("{n} new stories: {}", words.join(", ")),
    };
    let mut lines: Vec<String> = waiting
        .iter()
        .rev()
        .take(SUMMARY_TITLES)
        .map(|s| s.title.clone())
        .collect();
    if n > SUMMARY_TITLES {
        lines.push(match lang {
            Language::Id => format!("dan {} lainnya", n - SUMMARY_TITLES),
            Language::En => format!("and {} more", n - SUMMARY_TITLES),
        });
    }
    NewsAlert {
        at: at.with_timezone(&wib()),
        words,
        urls: waiting.iter().map(|s| s.url.clone()).collect(),
        title,
        body: lines.join(" · "),
        shown: true,
        summary: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_story_is_its_slug_on_any_kontan_host_without_tracking() {
        let a =
            story_key("https://keuangan.kontan.co.id/news/bi-rate-ditahan?utm_source=x").unwrap();
        let b = story_key("http://www.kontan.co.id/news/bi-rate-ditahan#top").unwrap();
        assert_eq!(a.0, b.0);
        assert_eq!(a.1, "https://keuangan.kontan.co.id/news/bi-rate-ditahan");
        let c = story_key("https://example.com/news/bi-rate-ditahan").unwrap();
        assert_ne!(a.0, c.0);
        assert_eq!(story_key("javascript:alert(1)"), None);
    }
}
