//! The tray's wording, from the same phrase tables as the UI (`ui/strings.json`, compiled in).

use pantau_engine::alerts::config::Language;
use serde_json::Value;
use std::sync::LazyLock;

/// The phrase tables, parsed once from the file compiled in: read-only data, the same for every
/// app and test in the process (no state anyone owns).
static STRINGS: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../ui/strings.json")).unwrap_or_else(|e| {
        log::warn!("ui/strings.json cannot be read: {e}");
        Value::Null
    })
});

/// Both phrase tables, `{en, id}`, as the UI receives them.
/// An age is said in hours from this many minutes ("2 jam lalu"), the tray's and the UI's alike.
pub const AGE_HOURS_FROM_MINUTES: i64 = 60;
/// An age is said in days from this many hours ("3 hari lalu").
pub const AGE_DAYS_FROM_HOURS: i64 = 48;

/// The phrase tables `{en, id}` (ui/strings.json).
pub fn tables() -> &'static Value {
    &STRINGS
}

/// The phrase `key` in `language` with `{name}` placeholders filled; Indonesian when the
/// language lacks it, the key itself when both do.
pub fn t(language: Language, key: &str, vars: &[(&str, &str)]) -> String {
    let table = |code: &str| {
        STRINGS
            .get(code)
            .and_then(|t| t.get(key))
            .and_then(Value::as_str)
    };
    let code = match language {
        Language::En => "en",
        Language::Id => "id",
    };
    let mut text = table(code)
        .or_else(|| table("id"))
        .unwrap_or(key)
        .to_string();
    for (name, value) in vars {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tray_speaks_both_languages() {
        assert_eq!(t(Language::Id, "tray.open", &[]), "Buka Pantau");
        assert_eq!(t(Language::En, "tray.open", &[]), "Open Pantau");
        assert_eq!(t(Language::En, "age.minutes", &[("n", "5")]), "5 min ago");
        assert_eq!(t(Language::Id, "age.minutes", &[("n", "5")]), "5 mnt lalu");
        assert_eq!(t(Language::Id, "no.such.key", &[]), "no.such.key");
        for key in [
            "tray.open",
            "tray.refresh",
            "tray.snooze",
            "tray.quit",
            "tray.nodata",
        ] {
            for lang in ["en", "id"] {
                assert!(tables()[lang][key].is_string(), "{lang}: {key}");
            }
        }
    }

    /// Every phrase the UI asks for by key exists in English, and in Indonesian either in the
    /// table or as the page's own text: no key ever shows through as "settings.day_step".
    #[test]
    fn every_phrase_the_ui_uses_exists_in_both_languages() {
        let ui = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
        let html = std::fs::read_to_string(ui.join("index.html")).unwrap();
        let mut page_keys = Vec::new();
        for attr in [
            "data-i18n=\"",
            "data-i18n-title=\"",
            "data-i18n-label=\"",
            "data-i18n-placeholder=\"",
        ] {
            for part in html.split(attr).skip(1) {
                page_keys.push(part.split('"').next().unwrap().to_string());
            }
        }
        let mut asked = Vec::new();
        for entry in std::fs::read_dir(ui.join("js")).unwrap() {
            let js = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for (at, _) in js.match_indices("t('") {
                // `t(` itself, not the end of `get(` or `set(`.
                if js[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let key = js[at + 3..].split('\'').next().unwrap();
                if key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
                {
                    asked.push(key.to_string());
                }
            }
        }
        assert!(asked.len() > 40, "found only {} keys", asked.len());
        for key in asked.iter().chain(&page_keys) {
            assert!(tables()["en"][key].is_string(), "no English for {key}");
        }
        for key in &asked {
            assert!(
                tables()["id"][key].is_string() || page_keys.contains(key),
                "no Indonesian for {key}"
            );
        }
    }
}
