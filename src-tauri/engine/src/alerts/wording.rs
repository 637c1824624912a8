//! What a notification says. For USD/IDR the story is the rupiah's: USD/IDR up is
//! "Rupiah melemah", down is "Rupiah menguat".

use super::config::Language;
use super::{Direction, Rule};
use crate::parse::number::format_id;
use chrono::{DateTime, FixedOffset};

/// A notification's title and body.
pub struct Wording {
    /// The notification's title.
    pub title: String,
    /// The notification's body.
    pub body: String,
}

fn value_text(symbol: &str, value: f64, lang: Language) -> String {
    let decimals = if value.fract() == 0.0 || value >= 10_000.0 {
        0
    } else {
        2
    };
    let n = number(value, decimals, lang);
    match symbol {
        "USD/IDR" | "EMAS" => format!("Rp {n}"),
        _ => n,
    }
}

fn number(value: f64, decimals: usize, lang: Language) -> String {
    let id = format_id(value, decimals);
    match lang {
        Language::Id => id,
        Language::En => id
            .replace('.', "\u{0}")
            .replace(',', ".")
            .replace('\u{0}', ","),
    }
}

fn name(symbol: &str) -> &str {
    match symbol {
        "IDX" => "IHSG",
        "EMAS" => "Emas Antam",
        s => s,
    }
}

fn unit(symbol: &str, lang: Language) -> &'static str {
    match (symbol, lang) {
        ("USD/IDR", Language::Id) => " per dolar AS",
        ("USD/IDR", Language::En) => " per US dollar",
        ("EMAS", Language::Id) => " per gram",
        ("EMAS", Language::En) => " per gram",
        _ => "",
    }
}

/// Words for one alert.
#[allow(clippy::too_many_arguments)]
pub fn describe(
    lang: Language,
    symbol: &str,
    rule: Rule,
    direction: Direction,
    value: f64,
    change: f64,
    move_pct: f64,
    level: Option<f64>,
    window_minutes: u32,
    at: DateTime<FixedOffset>,
) -> Wording {
    let up = direction == Direction::Up;
    let pct = number(move_pct.abs(), 2, lang);
    let val = value_text(symbol, value, lang);
    let unit = unit(symbol, lang);
    let time = at.format("%H:%M WIB");
    let rupiah = symbol == "USD/IDR";
    let (subject, verb) = match (rupiah, lang, up) {
        (true, Language::Id, true) => ("Rupiah".to_string(), "melemah"),
        (true, Language::Id, false) => ("Rupiah".to_string(), "menguat"),
        (true, Language::En, true) => ("Rupiah".to_string(), "weakens"),
        (true, Language::En, false) => ("Rupiah".to_string(), "strengthens"),
        (false, Language::Id, true) => (name(symbol).to_string(), "naik"),
        (false, Language::Id, false) => (name(symbol).to_string(), "turun"),
        (false, Language::En, true) => (name(symbol).to_string(), "rises"),
        (false, Language::En, false) => (name(symbol).to_string(), "falls"),
    };
    let raw_verb = match (lang, up) {
        (Language::Id, true) => "naik",
        (Language::Id, false) => "turun",
        (Language::En, true) => "up",
        (Language::En, false) => "down",
    };
    let change_text = number(change.abs(), 2, lang);
    match (rule, lang) {
        (Rule::DayMove, Language::Id) => Wording {
            title: format!("{subject} {verb} {pct}% ke {val}{unit}"),
            body: format!("{symbol} {raw_verb} {change_text} sejak penutupan sebelumnya · {time}"),
        },
        (Rule::DayMove, Language::En) => Wording {
            title: format!("{subject} {verb} {pct}% to {val}{unit}"),
            body: format!("{symbol} {raw_verb} {change_text} since the previous close · {time}"),
        },
        (Rule::FastMove, Language::Id) => Wording {
            title: format!("{subject} {verb} cepat {pct}% ke {val}{unit}"),
            body: format!(
                "{symbol} {raw_verb} {change_text} dalam {window_minutes} menit terakhir · {time}"
            ),
        },
        (Rule::FastMove, Language::En) => Wording {
            title: format!("{subject} {verb} fast, {pct}% to {val}{unit}"),
            body: format!(
                "{symbol} {raw_verb} {change_text} in the last {window_minutes} minutes · {time}"
            ),
        },
        (Rule::Level, _) => {
            let lvl = value_text(symbol, level.unwrap_or(value), lang);
            let (title, body) = match lang {
                Language::Id => (
                    format!("{subject} {verb} melewati {lvl}{unit}"),
                    format!("{symbol} {raw_verb} menembus {lvl}, kini {val} · {time}"),
                ),
                Language::En => (
                    format!("{subject} {verb} past {lvl}{unit}"),
                    format!("{symbol} {raw_verb} through {lvl}, now {val} · {time}"),
                ),
            };
            Wording { title, body }
        }
        // Worded where they are raised (summary(), alerts::news).
        (Rule::Summary | Rule::Word | Rule::WordSummary, _) => Wording {
            title: String::new(),
            body: String::new(),
        },
    }
}

/// The one notification that sums up what waited during quiet hours or a snooze.
pub fn summary(
    lang: Language,
    count: usize,
    titles: &[String],
    at: DateTime<FixedOffset>,
) -> Wording {
    let time = at.format("%H:%M WIB");
    let latest = titles.last().cloned().unwrap_or_default();
    match lang {
        Language::Id => Wording {
            title: format!("{count} peringatan selama senyap"),
            body: format!("Terakhir: {latest} · {time}"),
        },
        Language::En => Wording {
            title: format!("{count} alerts while muted"),
            body: format!("Latest: {latest} · {time}"),
        },
    }
}
