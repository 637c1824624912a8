//! The tray menu: the watchlist with values and ages, today's unread count, the newest
//! headlines, and Pantau's own commands; texts set in place when only they change.

use super::{ticker_text, AppState};
use crate::i18n::{t, AGE_DAYS_FROM_HOURS, AGE_HOURS_FROM_MINUTES};
use pantau_engine::alerts::config::Language;
use pantau_engine::engine::ReadingView;
use pantau_engine::sync::Locked;
use std::sync::Mutex;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIcon;
use tauri::{AppHandle, Manager, Runtime};

/// "2 mnt lalu", "baru saja", "3 jam lalu" (or in English), from the UI's phrase tables.
pub(super) fn age_text(language: Language, r: &ReadingView) -> String {
    let minutes = (pantau_engine::time::now() - r.observed_at.to_utc())
        .num_minutes()
        .max(0);
    let (key, n) = match minutes {
        0 => ("age.now", 0),
        m if m < AGE_HOURS_FROM_MINUTES => ("age.minutes", m),
        m if m < AGE_DAYS_FROM_HOURS * 60 => ("age.hours", m / 60),
        m => ("age.days", m / (24 * 60)),
    };
    t(language, key, &[("n", &n.to_string())])
}

/// A reading's line in the menu: "USD/IDR 16.689 ▲0,47% · 2 mnt lalu", with "· basi" (or
/// "· stale") when it can no longer be trusted to be current.
fn reading_line(language: Language, r: &ReadingView) -> String {
    let stale = if r.stale {
        format!(" · {}", t(language, "market.stale", &[]))
    } else {
        String::new()
    };
    format!("{} · {}{stale}", ticker_text(r), age_text(language, r))
}

/// The tray counts unread headlines first seen within this window (a day).
pub(super) const UNREAD_WINDOW_MS: i64 = 24 * 3600 * 1000;

/// One line of the tray menu, as data: comparing two lists tells what changed.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Entry {
    Item {
        id: String,
        text: String,
        enabled: bool,
        /// The story a headline's line opens.
        url: Option<String>,
    },
    Separator,
}

impl Entry {
    fn item(id: impl Into<String>, text: impl Into<String>, enabled: bool) -> Self {
        Entry::Item {
            id: id.into(),
            text: text.into(),
            enabled,
            url: None,
        }
    }

    /// The same line apart from its text (so the text can be set in place).
    fn same_place(&self, other: &Entry) -> bool {
        match (self, other) {
            (
                Entry::Item { id, enabled, .. },
                Entry::Item {
                    id: other_id,
                    enabled: other_enabled,
                    ..
                },
            ) => id == other_id && enabled == other_enabled,
            (Entry::Separator, Entry::Separator) => true,
            _ => false,
        }
    }
}

/// The menu on show: its lines and their items, so a refresh sets only the texts that changed
/// instead of sending the whole layout again (which costs every tray host a full re-read).
pub(super) struct ShownMenu<R: Runtime>(pub(super) Mutex<Option<(Vec<Entry>, Items<R>)>>);

/// Each line's item handle (`None` for a separator).
type Items<R> = Vec<Option<MenuItem<R>>>;

/// The menu's lines for `readings`, with the latest headlines (each line with its story).
pub(super) fn menu_entries<R: Runtime>(app: &AppHandle<R>, readings: &[ReadingView]) -> Vec<Entry> {
    let state = app.state::<AppState>();
    let language = state.settings().language;
    let label = |key: &str| t(language, key, &[]);
    let mut entries = Vec::new();
    if readings.is_empty() {
        entries.push(Entry::item("none", label("tray.nodata"), false));
    }
    for r in readings {
        let text = reading_line(language, r);
        entries.push(Entry::item(format!("reading:{}", r.symbol), text, false));
    }
    let unread = state
        .engine()
        .reader()
        .unread_since(pantau_engine::time::now_ms() - UNREAD_WINDOW_MS)
        .unwrap_or(0);
    if unread > 0 {
        let text = t(language, "tray.unread", &[("n", &unread.to_string())]);
        entries.push(Entry::item("unread", text, false));
    }
    entries.push(Entry::Separator);
    let headlines = state
        .engine()
        .reader()
        .latest_headlines(None, 5)
        .unwrap_or_default();
    for (i, h) in headlines.iter().enumerate() {
        let mut title: String = h.headline.title.chars().take(60).collect();
        if h.headline.title.chars().count() > 60 {
            title.push('…');
        }
        entries.push(Entry::Item {
            id: format!("headline:{i}"),
            text: title,
            enabled: true,
            url: Some(h.headline.url.clone()),
        });
    }
    if !headlines.is_empty() {
        entries.push(Entry::Separator);
    }
    // A newer Pantau, downloaded and checked (Windows): one line installs it.
    if let Some(version) = crate::updates::ready_to_install(app) {
        let text = t(language, "tray.install_update", &[("version", &version)]);
        entries.push(Entry::item("install_update", text, true));
    }
    for (id, key) in [
        ("open", "tray.open"),
        ("refresh", "tray.refresh"),
        ("snooze", "tray.snooze"),
    ] {
        entries.push(Entry::item(id, label(key), true));
    }
    entries.push(Entry::Separator);
    entries.push(Entry::item("quit", label("tray.quit"), true));
    entries
}

/// `text` as a menu shows it exactly: every menu system takes `&` as the mark of a keyboard
/// mnemonic ("S&P 500" would show as "SP 500" with P underlined), and `&&` as an `&`.
pub(super) fn literal(text: &str) -> String {
    text.replace('&', "&&")
}

/// A new menu holding `entries`, with the handle of each item.
pub(super) fn build_menu<R: Runtime>(
    app: &AppHandle<R>,
    entries: &[Entry],
) -> tauri::Result<(Menu<R>, Items<R>)> {
    let menu = Menu::new(app)?;
    let mut items = Vec::with_capacity(entries.len());
    for entry in entries {
        match entry {
            Entry::Item {
                id, text, enabled, ..
            } => {
                let item =
                    MenuItem::with_id(app, id.as_str(), literal(text), *enabled, None::<&str>)?;
                menu.append(&item)?;
                items.push(Some(item));
            }
            Entry::Separator => {
                menu.append(&PredefinedMenuItem::separator(app)?)?;
                items.push(None);
            }
        }
    }
    Ok((menu, items))
}

/// Shows `entries` in the tray menu: texts set in place when only texts changed, nothing done
/// when nothing changed, a new menu when lines came or went.
pub(super) fn show_menu<R: Runtime>(app: &AppHandle<R>, tray: &TrayIcon<R>, entries: Vec<Entry>) {
    let Some(shown) = app.try_state::<ShownMenu<R>>() else {
        return;
    };
    let mut shown = shown.0.locked();
    if let Some((old, items)) = shown.as_mut() {
        if old.len() == entries.len() && old.iter().zip(&entries).all(|(a, b)| a.same_place(b)) {
            for ((before, now), item) in old.iter_mut().zip(entries).zip(items.iter()) {
                if *before == now {
                    continue;
                }
                if let (Entry::Item { text, .. }, Some(item)) = (&now, item) {
                    if item.set_text(literal(text)).is_ok() {
                        *before = now;
                    }
                }
            }
            return;
        }
    }
    if let Ok((menu, items)) = build_menu(app, &entries) {
        if tray.set_menu(Some(menu)).is_ok() {
            *shown = Some((entries, items));
        }
    }
}

pub(super) fn on_menu<R: Runtime>(app: &AppHandle<R>, id: &str) {
    let state = app.state::<AppState>();
    match id {
        "open" => crate::window::show_main_by_pointer(app),
        "refresh" => {
            state.refresh_now();
        }
        "snooze" => {
            state.snooze(60);
        }
        "quit" => crate::session::quit(app),
        "install_update" => crate::updates::install_now(app),
        clicked => {
            // A headline's line: the story it showed when clicked.
            let url = app.try_state::<ShownMenu<R>>().and_then(|shown| {
                let shown = shown.0.locked();
                shown.as_ref()?.0.iter().find_map(|entry| match entry {
                    Entry::Item { id, url, .. } if id == clicked => url.clone(),
                    _ => None,
                })
            });
            if let Some(url) = url {
                crate::window::navigate(app, crate::window::Navigate::Reader { url });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::reading_line;
    use pantau_engine::alerts::config::Language;
    use pantau_engine::engine::ReadingView;

    fn reading(stale: bool) -> ReadingView {
        crate::tray::test_reading("USD/IDR", stale, 3)
    }

    #[test]
    fn a_stale_reading_says_so_in_the_menus_language() {
        let id = reading_line(Language::Id, &reading(true));
        assert!(id.ends_with(" · 3 jam lalu · basi"), "{id}");
        let en = reading_line(Language::En, &reading(true));
        assert!(en.ends_with(" · stale") && !en.contains("basi"), "{en}");
        let fresh = reading_line(Language::En, &reading(false));
        assert!(!fresh.contains("stale"), "{fresh}");
    }
}
