//! The cache's own tests, on real SQLite files.

use super::*;
use crate::model::{Headline, Indicator};
use crate::sources::ReadingSource;
use rusqlite::Connection;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&dir.path().join("c.sqlite")).unwrap();
    (dir, s)
}

fn ind(symbol: &str, value: f64) -> Indicator {
    Indicator {
        symbol: symbol.into(),
        value,
        change: 1.0,
        change_pct: 0.01,
    }
}

fn headline(url: &str, title: &str) -> Headline {
    Headline {
        title: title.into(),
        url: url.into(),
        published_at: None,
        channel: None,
        image_url: None,
    }
}

#[test]
fn migrations_run_once_and_reopen_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite");
    let s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), schema::MIGRATIONS.len());
    drop(s);
    let s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), schema::MIGRATIONS.len());
    let mode: String = s
        .conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_row_only_when_the_value_changes() {
    let (_d, mut s) = store();
    assert_eq!(
        s.record_readings(
            &[ind("USD/IDR", 16689.0), ind("IDX", 6778.0)],
            ReadingSource::Kontan,
            1000
        )
        .unwrap()
        .len(),
        2
    );
    assert!(s
        .record_readings(&[ind("USD/IDR", 16689.0)], ReadingSource::Kontan, 2000)
        .unwrap()
        .is_empty());
    assert_eq!(s.reading_count().unwrap(), 2);
    let latest = s.latest_readings().unwrap();
    assert_eq!(latest[0].reading.symbol, "USD/IDR", "bar order");
    assert_eq!((latest[0].first_seen, latest[0].confirmed_at), (1000, 2000));
    assert_eq!(
        s.record_readings(&[ind("USD/IDR", 16700.0)], ReadingSource::Kontan, 3000)
            .unwrap(),
        vec!["USD/IDR"]
    );
    assert_eq!(s.readings_since("USD/IDR", 0).unwrap().len(), 2);
    s.confirm_readings(ReadingSource::Kontan, 4000).unwrap();
    assert_eq!(s.latest_readings().unwrap()[0].confirmed_at, 4000);
}

#[test]
fn search_ignores_diacritics_and_case() {
    let (_d, mut s) = store();
    s.upsert_headlines(
        &[headline(
            "https://x.kontan.co.id/news/a",
            "Harga Café Naik di Pasar Modal",
        )],
        "t",
        1,
    )
    .unwrap();
    let hits = s.search("cafe pasar", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert!(
        s.search("\"; DROP TABLE headlines; --", 10)
            .unwrap()
            .is_empty(),
        "user text is never FTS syntax"
    );
    assert!(s.search("", 10).unwrap().is_empty());
    assert_eq!(
        s.search("mod", 10).unwrap().len(),
        1,
        "prefix on the last word"
    );
}

#[test]
fn headlines_upsert_counts_new_and_keeps_reader_state() {
    let (_d, mut s) = store();
    let h = headline("https://x.kontan.co.id/news/a", "A");
    assert_eq!(
        s.upsert_headlines(std::slice::from_ref(&h), "t", 1)
            .unwrap(),
        1
    );
    assert!(s.set_read(&h.url, true).unwrap());
    assert_eq!(
        s.upsert_headlines(std::slice::from_ref(&h), "t", 2)
            .unwrap(),
        0
    );
    let stored = &s.latest_headlines(None, 10).unwrap()[0];
    assert!(stored.read);
    assert_eq!(stored.first_seen, 1);
}

#[test]
fn retention_prunes_and_thins() {
    let (_d, mut s) = store();
    const DAY: i64 = 86_400_000;
    let now = 100 * DAY;
    for minute in 0..120 {
        s.record_readings(
            &[ind("USD/IDR", 16000.0 + minute as f64)],
            ReadingSource::Kontan,
            now - 10 * DAY + minute * 60_000,
        )
        .unwrap();
    }
    s.record_readings(
        &[ind("USD/IDR", 1.0)],
        ReadingSource::Kontan,
        now - 40 * DAY,
    )
    .unwrap();
    s.upsert_headlines(
        &[headline("https://x.kontan.co.id/news/old", "Lama")],
        "t",
        now - 40 * DAY,
    )
    .unwrap();
    s.upsert_headlines(
        &[headline("https://x.kontan.co.id/news/star", "Bintang")],
        "t",
        now - 40 * DAY,
    )
    .unwrap();
    s.set_starred("https://x.kontan.co.id/news/star", true)
        .unwrap();
    s.upsert_headlines(
        &[headline("https://x.kontan.co.id/news/new", "Baru")],
        "t",
        now,
    )
    .unwrap();
    s.record_readings(&[ind("USD/IDR", 17000.0)], ReadingSource::Kontan, now)
        .unwrap();
    s.prune(now, Retention::default()).unwrap();
    let urls: Vec<String> = s
        .latest_headlines(None, 10)
        .unwrap()
        .into_iter()
        .map(|h| h.headline.url)
        .collect();
    assert!(
        urls.contains(&"https://x.kontan.co.id/news/star".to_string())
            && urls.contains(&"https://x.kontan.co.id/news/new".to_string())
    );
    assert!(!urls.contains(&"https://x.kontan.co.id/news/old".to_string()));
    assert!(
        s.search("lama", 10).unwrap().is_empty(),
        "search index follows"
    );
    assert_eq!(
        s.reading_count().unwrap(),
        3,
        "two hours thinned to one row each, plus the latest"
    );
    assert_eq!(s.latest_readings().unwrap()[0].reading.value, 17000.0);
}

fn alert(symbol: &str) -> crate::alerts::Alert {
    crate::alerts::Alert {
        at: crate::time::to_wib(1_000),
        symbol: symbol.into(),
        rule: crate::alerts::Rule::DayMove,
        direction: crate::alerts::Direction::Up,
        tier: Some(0.5),
        value: 16_700.0,
        change_pct: 0.55,
        title: "Rupiah melemah".into(),
        body: "b".into(),
        shown: true,
        replaces: false,
        words: Vec::new(),
        urls: Vec::new(),
    }
}

#[test]
fn an_indicators_alerts_are_its_own_since_the_day_began() {
    let (_d, mut s) = store();
    let mut earlier = alert("USD/IDR");
    earlier.at = crate::time::to_wib(500);
    let mut later = alert("USD/IDR");
    later.at = crate::time::to_wib(2_000);
    // At 500, 1 000 (the day's start) and 2 000; IDX's at 1 000.
    s.record_alerts(&[earlier, alert("USD/IDR"), alert("IDX"), later.clone()])
        .unwrap();
    let today = s.alerts_about("USD/IDR", 1_000, 10).unwrap();
    assert_eq!(
        today.len(),
        2,
        "the one before `since` and IDX's are not listed"
    );
    assert_eq!(today[0].at, later.at, "newest first");
    assert!(today.iter().all(|a| a.symbol == "USD/IDR"));
}

#[test]
fn alert_memory_and_inbox_are_written_together_or_not_at_all() {
    let (_d, mut s) = store();
    s.record_alerts_and_state(&[alert("USD/IDR")], Some("{\"v\":1}"))
        .unwrap();
    assert_eq!(s.alerts(10).unwrap().len(), 1);
    assert_eq!(
        s.setting(keys::ALERT_STATE).unwrap().as_deref(),
        Some("{\"v\":1}")
    );
    s.conn
        .execute_batch(
            "CREATE TRIGGER full BEFORE INSERT ON alerts BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
        )
        .unwrap();
    assert!(s
        .record_alerts_and_state(&[alert("IDX")], Some("{\"v\":2}"))
        .is_err());
    assert_eq!(
        s.setting(keys::ALERT_STATE).unwrap().as_deref(),
        Some("{\"v\":1}"),
        "the memory did not move on without its inbox row"
    );
}

#[test]
fn unknown_stored_alert_names_are_skipped_not_guessed() {
    let (_d, mut s) = store();
    s.record_alerts(&[alert("USD/IDR"), alert("IDX")]).unwrap();
    s.conn
        .execute(
            "UPDATE alerts SET rule = 'future_rule' WHERE symbol = 'IDX'",
            [],
        )
        .unwrap();
    let inbox = s.alerts(10).unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].symbol, "USD/IDR");
}

#[test]
fn search_rows_are_found_by_an_index() {
    let (_d, s) = store();
    let plan: String = s
        .conn
        .query_row(
            "EXPLAIN QUERY PLAN SELECT id FROM search_docs WHERE url = 'x'",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("USING") && plan.contains("INDEX"), "{plan}");
}

#[test]
fn an_old_cache_is_migrated_with_its_search_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(schema::MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO headlines (url, title, source, first_seen) VALUES ('https://x.kontan.co.id/news/a', 'Harga Kopi', 't', 1)",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO search (url, title, body) VALUES ('https://x.kontan.co.id/news/a', 'Harga Kopi', '')",
            [],
        )
        .unwrap();
    }
    let mut s = Store::open(&path).unwrap();
    assert_eq!(s.search("kopi", 10).unwrap().len(), 1);
    assert_eq!(
        s.upsert_headlines(
            &[headline("https://x.kontan.co.id/news/a", "Harga Kopi")],
            "t",
            2
        )
        .unwrap(),
        0,
        "the migrated row is known"
    );
}

#[test]
fn a_damaged_file_is_kept_aside_and_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite");
    std::fs::write(&path, b"garbage".repeat(1000)).unwrap();
    let (s, recovery) = Store::open_or_recover(&path).unwrap();
    match recovery {
        Some(Recovery::MovedAside { damaged, .. }) => {
            assert_eq!(std::fs::read(&damaged).unwrap(), b"garbage".repeat(1000));
            assert!(damaged
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("c.sqlite.corrupt-"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s.schema_version().unwrap(), schema::MIGRATIONS.len());
    let (_, again) = Store::open_or_recover(&path).unwrap();
    assert_eq!(again, None, "the fresh cache opens plainly");
}

#[test]
fn two_connections_share_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite");
    let mut a = Store::open(&path).unwrap();
    let b = Store::open(&path).unwrap();
    a.record_readings(&[ind("IDX", 1.0)], ReadingSource::Kontan, 1)
        .unwrap();
    assert_eq!(b.latest_readings().unwrap().len(), 1);
}

#[test]
fn news_about_a_topic_is_recent_news_newest_first() {
    let (_d, mut s) = store();
    let day = 24 * 3600 * 1000;
    let now = crate::time::now_ms();
    let at = |ms: Millis| Some(crate::time::to_wib(ms));
    let old = Headline {
        published_at: at(now - 587 * day),
        ..headline("https://x/old", "Rupiah melemah tajam")
    };
    let yesterday = Headline {
        published_at: at(now - day),
        ..headline("https://x/yesterday", "Rupiah menguat")
    };
    let this_morning = Headline {
        published_at: at(now - 3600 * 1000),
        ..headline("https://x/morning", "Rupiah dibuka stabil")
    };
    let undated = headline("https://x/undated", "Kurs rupiah hari ini");
    let elsewhere = Headline {
        published_at: at(now - 3600 * 1000),
        ..headline("https://x/ihsg", "IHSG naik")
    };
    // The old story was first seen now (a list that showed it again): its publication counts.
    s.upsert_headlines(&[old, yesterday, elsewhere], "t", now)
        .unwrap();
    s.upsert_headlines(&[this_morning], "t", now).unwrap();
    s.upsert_headlines(&[undated], "t", now - 2 * day).unwrap();
    let about = |since: Millis| -> Vec<String> {
        s.headlines_about(&["rupiah"], since, 10)
            .unwrap()
            .into_iter()
            .map(|h| h.headline.url)
            .collect()
    };
    assert_eq!(
        about(now - 3 * day),
        [
            "https://x/morning",
            "https://x/yesterday",
            "https://x/undated"
        ]
    );
    assert_eq!(about(now - 12 * 3600 * 1000), ["https://x/morning"]);
    assert!(about(now + day).is_empty());
}
