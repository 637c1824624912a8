//! The tray's wording, from the same phrase tables as the UI (`ui/strings.json`, compiled in).

use pantau_engine::alerts::config::Language;
use serde_json::Value;
use std::sync::LazyLock;

static STRINGS: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../ui/strings.json")).unwrap_or_else(|e| {
        log::warn!("ui/strings.json cannot be read: {e}");
        Value::Null
    })
});

/// Both phrase tables, `{en, id}`, as the UI receives them.
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
}
