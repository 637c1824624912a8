//! The tray icon's tooltip: the ticker where the tray shows no label (Windows; macOS when the
//! label is off): the watchlist's readings one per line, a stale one with its age, within the
//! 127 characters Windows shows.

use super::menu::age_text;
use super::ticker_text;
use crate::i18n::t;
use pantau_engine::alerts::config::Language;
use pantau_engine::engine::ReadingView;

/// The longest tooltip Windows shows (`NOTIFYICONDATAW::szTip`: 128 UTF-16 units with the NUL).
pub(super) const MOST_UNITS: usize = 127;

fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

/// "USD/IDR 16.689 ▲0,47%", and "· 3 jam lalu" after a stale one; as many lines as fit, then
/// "+2 lainnya" for the rest; "Pantau" with no readings.
pub(super) fn tooltip_text(language: Language, readings: &[ReadingView]) -> String {
    let lines: Vec<String> = readings
        .iter()
        .map(|r| {
            if r.stale {
                format!("{} · {}", ticker_text(r), age_text(language, r))
            } else {
                ticker_text(r)
            }
        })
        .collect();
    if lines.is_empty() {
        return "Pantau".to_string();
    }
    let mut shown: Vec<&str> = Vec::new();
    let mut used = 0;
    for (i, line) in lines.iter().enumerate() {
        let rest = lines.len() - i - 1;
        // Room for this line, and for the "+n more" line when lines are left after it.
        let more = if rest > 0 {
            units(&t(language, "tray.more", &[("n", &rest.to_string())])) + 1
        } else {
            0
        };
        let needed = units(line) + usize::from(!shown.is_empty());
        if used + needed + more > MOST_UNITS {
            let left = lines.len() - i;
            let mut text = shown.join("\n");
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&t(language, "tray.more", &[("n", &left.to_string())]));
            return text;
        }
        used += needed;
        shown.push(line);
    }
    shown.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(symbol: &str, stale: bool, hours_ago: i64) -> ReadingView {
        crate::tray::test_reading(symbol, stale, hours_ago)
    }

    #[test]
    fn one_line_per_reading_and_a_stale_one_with_its_age() {
        let text = tooltip_text(
            Language::Id,
            &[reading("USD/IDR", false, 0), reading("LQ45", true, 3)],
        );
        assert_eq!(
            text,
            "USD/IDR 16.689 ▲0,47%\nLQ45 16.689 ▲0,47% · 3 jam lalu"
        );
        let en = tooltip_text(Language::En, &[reading("LQ45", true, 3)]);
        assert_eq!(en, "LQ45 16.689 ▲0,47% · 3 h ago");
        assert_eq!(tooltip_text(Language::En, &[]), "Pantau");
    }

    #[test]
    fn a_long_watchlist_fits_windows_limit_and_says_how_many_are_left() {
        let symbols = pantau_engine::parse::indicators::KNOWN_SYMBOLS;
        for language in [Language::Id, Language::En] {
            let readings: Vec<_> = symbols.iter().map(|s| reading(s, true, 30)).collect();
            let text = tooltip_text(language, &readings);
            assert!(units(&text) <= MOST_UNITS, "{} units: {text}", units(&text));
            let lines: Vec<&str> = text.lines().collect();
            let last = lines.last().unwrap();
            let left = symbols.len() - (lines.len() - 1);
            assert_eq!(*last, t(language, "tray.more", &[("n", &left.to_string())]));
            assert!(lines[0].starts_with("EMAS 16.689 ▲0,47% · "), "{text}");
        }
    }
}
