//! Word alerts replayed through `pantau-cli alerts replay-news`, and the word list kept by
//! `pantau-cli alerts words`: every rule a reader relies on.
#![allow(clippy::unwrap_used)] // test helpers: a failure here is a failed test

mod common;

use serde_json::Value;

const HEADER: &str = "observed_at,published_at,url,title\n";

fn replay(rows: &str, args: &[&str]) -> Vec<Value> {
    common::replay_lines("replay-news", &format!("{HEADER}{rows}"), args)
}

/// A row seen at `hh:mm` WIB on 19 March 2026, published `published` (blank: unknown).
fn row(hh_mm: &str, published: &str, url: &str, title: &str) -> String {
    let at = format!("2026-03-19T{hh_mm}:00+07:00");
    let published = match published {
        "" => String::new(),
        p => format!("2026-03-19T{p}:00+07:00"),
    };
    format!(
        "{at},{published},{url},\"{}\"\n",
        title.replace('"', "\"\"")
    )
}

fn story(n: u32) -> String {
    format!("https://investasi.kontan.co.id/news/cerita-{n}")
}

fn bodies(alerts: &[Value]) -> Vec<&str> {
    alerts.iter().map(|a| a["body"].as_str().unwrap()).collect()
}

#[test]
fn a_matching_headline_notifies_once_with_its_word_in_the_public_shape() {
    let rows = row(
        "10:01",
        "09:58",
        &story(1),
        "BI-Rate Ditahan di 5,75%, Rupiah Menguat",
    ) + &row("10:02", "", &story(2), "Harga emas naik");
    let alerts = replay(&rows, &["--word", "BI Rate", "--word", "BBCA"]);
    assert_eq!(alerts.len(), 1, "{alerts:#?}");
    let keys: Vec<&str> = alerts[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = ["at", "words", "urls", "title", "body", "shown"];
    expected.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(alerts[0]["at"], "2026-03-19T10:01:00+07:00");
    assert_eq!(alerts[0]["words"], serde_json::json!(["BI Rate"]));
    assert_eq!(alerts[0]["urls"], serde_json::json!([story(1)]));
    assert_eq!(
        alerts[0]["body"],
        "BI-Rate Ditahan di 5,75%, Rupiah Menguat"
    );
    assert!(alerts[0]["title"].as_str().unwrap().contains("BI Rate"));
    assert_eq!(alerts[0]["shown"], true);
}

#[test]
fn a_csv_saved_by_a_spreadsheet_replays_the_same() {
    // Spreadsheets save "CSV UTF-8" with a byte-order mark and CRLF line ends.
    let rows = row("10:01", "09:58", &story(1), "BBCA naik, kata \"analis\"");
    let plain = replay(&rows, &["--word", "BBCA"]);
    let saved = format!("\u{feff}{HEADER}{rows}").replace('\n', "\r\n");
    assert_eq!(bodies(&plain), vec!["BBCA naik, kata \"analis\""]);
    assert_eq!(
        common::replay_lines("replay-news", &saved, &["--word", "BBCA"]),
        plain
    );
}

#[test]
fn whole_words_only_any_case_accent_and_punctuation() {
    let titles = [
        ("Laba (BBCA) naik", true),
        ("Saham BBCA.", true),
        ("bbca dan bbri", true),
        ("BBCAX melonjak", false),
        ("Sahamnya naik", false),
        ("IBBCA", false),
    ];
    let mut rows = String::new();
    for (n, (title, _)) in titles.iter().enumerate() {
        // Twelve minutes apart: no burst limit in the way.
        let at = format!("1{}:{}", n / 5, (n % 5) * 12 + 10);
        rows += &row(&at, "", &story(n as u32), title);
    }
    let shown = replay(&rows, &["--word", "BBCA", "--word", "saham"]);
    let expected: Vec<&str> = titles
        .iter()
        .filter(|(_, hit)| *hit)
        .map(|(t, _)| *t)
        .collect();
    assert_eq!(bodies(&shown), expected);
    let accents = row("10:00", "", &story(9), "Kafé Rupiah buka cabang");
    assert_eq!(replay(&accents, &["--word", "kafe"]).len(), 1);
}

#[test]
fn one_story_notifies_once_retitled_tracked_or_on_another_channel() {
    let slug = "bi-rate-ditahan-di-575";
    let rows = row(
        "10:00",
        "",
        &format!("https://keuangan.kontan.co.id/news/{slug}"),
        "BI Rate ditahan",
    ) + &row(
        "10:01",
        "",
        &format!("https://keuangan.kontan.co.id/news/{slug}?utm_source=home&utm_medium=x"),
        "BI Rate ditahan",
    ) + &row(
        "10:02",
        "",
        &format!("https://www.kontan.co.id/news/{slug}"),
        "BI Rate ditahan lagi",
    ) + &row(
        "10:03",
        "",
        &format!("https://keuangan.kontan.co.id/news/{slug}#komentar"),
        "Retitled: BI Rate tetap",
    );
    let all = replay(&rows, &["--word", "BI Rate", "--all"]);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(
        all[0]["urls"][0],
        format!("https://keuangan.kontan.co.id/news/{slug}")
    );
}

#[test]
fn old_news_goes_to_the_inbox_only() {
    // After a night offline: published hours before Pantau first saw it.
    let rows = row("07:00", "21:00", &story(1), "BBCA bagi dividen")
        .replace("2026-03-19T21:00", "2026-03-18T21:00")
        + &row("07:00", "06:05", &story(2), "BBCA dibuka naik")
        + &row("07:01", "05:59", &story(3), "BBCA sepi peminat");
    assert_eq!(
        bodies(&replay(&rows, &["--word", "BBCA"])),
        ["BBCA dibuka naik"]
    );
    let all = replay(&rows, &["--word", "BBCA", "--all"]);
    let hidden: Vec<&str> = all
        .iter()
        .filter(|a| a["shown"] == false)
        .map(|a| a["body"].as_str().unwrap())
        .collect();
    assert_eq!(hidden, ["BBCA bagi dividen", "BBCA sepi peminat"]);
}

#[test]
fn a_burst_shows_three_then_one_summary_when_the_ten_minutes_end() {
    let words = [
        "BI Rate", "BBCA", "BI Rate", "BBCA", "BBRI", "BI Rate", "BBCA",
    ];
    let mut rows = String::new();
    for (n, word) in words.iter().enumerate() {
        rows += &row(
            &format!("10:0{n}"),
            "",
            &story(n as u32),
            &format!("Kabar {word} ke-{n}"),
        );
    }
    let args = ["--word", "BI Rate", "--word", "BBCA", "--word", "BBRI"];
    let shown = replay(&rows, &args);
    assert_eq!(shown.len(), 4, "{shown:#?}");
    assert_eq!(
        bodies(&shown[..3]),
        [
            "Kabar BI Rate ke-0",
            "Kabar BBCA ke-1",
            "Kabar BI Rate ke-2"
        ]
    );
    let summary = &shown[3];
    assert_eq!(
        summary["at"], "2026-03-19T10:10:00+07:00",
        "when the first ten minutes end"
    );
    assert_eq!(summary["title"], "4 berita baru: BBCA, BBRI, BI Rate");
    assert_eq!(
        summary["words"],
        serde_json::json!(["BBCA", "BBRI", "BI Rate"])
    );
    let urls: Vec<String> = (3..7).map(story).collect();
    assert_eq!(summary["urls"], serde_json::json!(urls));
    // With --all, the gathered stories are listed too, as they arrived.
    let all = replay(&rows, &{
        let mut a = args.to_vec();
        a.push("--all");
        a
    });
    assert_eq!(all.iter().filter(|a| a["shown"] == false).count(), 4);
    // Never more than three in any ten minutes, summaries included.
    let times: Vec<chrono::DateTime<chrono::FixedOffset>> = shown
        .iter()
        .map(|a| chrono::DateTime::parse_from_rfc3339(a["at"].as_str().unwrap()).unwrap())
        .collect();
    for w in times.windows(4) {
        assert!(w[3] - w[0] >= chrono::Duration::minutes(10), "{times:?}");
    }
}

#[test]
fn quiet_hours_hold_everything_and_sum_it_up_when_they_end() {
    let rows = row("22:30", "", &story(1), "BBCA malam ini")
        + &row("23:10", "", &story(2), "BI Rate diumumkan besok")
        + &row("05:50", "", &story(3), "Pagi: BBCA")
            .replace("2026-03-19T05:50", "2026-03-20T05:50")
        + &row("06:20", "", &story(4), "BBCA dibuka")
            .replace("2026-03-19T06:20", "2026-03-20T06:20");
    let shown = replay(
        &rows,
        &[
            "--word",
            "BBCA",
            "--word",
            "BI Rate",
            "--quiet",
            "22:00-06:00",
        ],
    );
    assert_eq!(shown.len(), 2, "{shown:#?}");
    assert_eq!(shown[0]["at"], "2026-03-20T06:00:00+07:00");
    assert_eq!(shown[0]["title"], "3 berita baru: BBCA, BI Rate");
    assert_eq!(shown[0]["urls"].as_array().unwrap().len(), 3);
    assert_eq!(shown[1]["body"], "BBCA dibuka");
    // Without quiet hours, the same night notifies as it happens.
    assert_eq!(
        replay(&rows, &["--word", "BBCA", "--word", "BI Rate"]).len(),
        4
    );
}

#[test]
fn bad_input_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("news.csv");
    for (content, args, needle) in [
        ("observed_at,url\n", vec!["--word", "x"], "header"),
        (
            &*format!("{HEADER}kemarin,,https://x/news/a,Judul\n"),
            vec!["--word", "x"],
            "RFC 3339",
        ),
        (
            HEADER,
            vec!["--word", "x", "--quiet", "22-6"],
            "HH:MM-HH:MM",
        ),
        (HEADER, vec!["--word", "..."], "nothing to match"),
    ] {
        std::fs::write(&file, content).unwrap();
        let out = common::cli()
            .args(["alerts", "replay-news", file.to_str().unwrap()])
            .args(&args)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn the_word_list_is_kept_in_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cache.sqlite");
    let words = |args: &[&str]| {
        let (ok, out, _) = words_in(&db, args);
        (ok, out)
    };
    assert_eq!(words(&[]), (true, String::new()));
    assert_eq!(
        words(&["add", "BI Rate", "BBCA", "bi-rate"]),
        (true, "BI Rate\nBBCA\n".into())
    );
    assert_eq!(words(&["list"]), (true, "BI Rate\nBBCA\n".into()));
    assert!(!words(&["add", "BBCA"]).0, "already watched");
    assert_eq!(words(&["remove", "bi rate"]), (true, "BBCA\n".into()));
    assert!(!words(&["remove", "saham"]).0, "not watched");
    assert_eq!(words(&["list", "--json"]), (true, "[\"BBCA\"]\n".into()));
}

#[test]
fn an_invisible_character_inside_a_word_neither_hides_it_nor_reaches_the_output() {
    let rows = row("10:01", "", &story(1), "Saham BB\u{200b}CA naik tajam")
        + &row(
            "10:20",
            "",
            &story(2),
            "Laba\u{2028}BB\u{feff}RI naik\u{e0041}",
        );
    let shown = replay(&rows, &["--word", "BBCA", "--word", "BBRI"]);
    assert_eq!(
        bodies(&shown),
        vec!["Saham BBCA naik tajam", "Laba BBRI naik"],
        "matched, and shown without the invisible characters or a forged line"
    );
}

/// `pantau-cli --db DB alerts words ARGS`: whether it succeeded, its stdout and its stderr.
fn words_in(db: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = common::cli()
        .args(["--db", db.to_str().unwrap(), "alerts", "words"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn stored_alerts(db: &std::path::Path) -> Option<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT value FROM settings WHERE key = 'alerts'", [], |r| {
        r.get(0)
    })
    .ok()
}

#[test]
fn alert_settings_that_cannot_be_read_are_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cache.sqlite");
    assert!(words_in(&db, &["add", "BBCA"]).0);
    for stored in [
        // Damaged.
        "{\"words\": [\"BBCA\"], \"quiet_hours\": ",
        // Written by a newer version, in a shape this one does not know.
        "{\"words\": {\"list\": [\"BBCA\"]}, \"min_gap_minutes\": 9, \"quiet_hours\": [\"22:00:00\", \"06:00:00\"]}",
    ] {
        {
            let conn = rusqlite::Connection::open(&db).unwrap();
            conn.execute(
                "UPDATE settings SET value = ?1 WHERE key = 'alerts'",
                [stored],
            )
            .unwrap();
        }
        for args in [&["add", "BBRI"][..], &["remove", "BBCA"], &["list"]] {
            let (ok, _, err) = words_in(&db, args);
            assert!(!ok, "{args:?} on {stored}");
            assert!(
                err.contains("alert settings") && err.contains("cannot be read"),
                "{args:?}: {err}"
            );
            assert_eq!(
                stored_alerts(&db).as_deref(),
                Some(stored),
                "{args:?}: nothing written"
            );
        }
    }
}

#[test]
fn a_full_word_list_says_it_is_full() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cache.sqlite");
    let hundred: Vec<String> = (0..100).map(|n| format!("kata{n}")).collect();
    let args: Vec<&str> = std::iter::once("add")
        .chain(hundred.iter().map(String::as_str))
        .collect();
    assert!(words_in(&db, &args).0);
    let before = stored_alerts(&db);
    let (ok, _, err) = words_in(&db, &["add", "BBCA"]);
    assert!(!ok);
    assert!(err.contains("full") && err.contains("100"), "{err}");
    assert!(!err.contains("already watched"), "{err}");
    assert_eq!(stored_alerts(&db), before, "nothing written");
    // A word already there is still "already watched", full or not.
    let (ok, _, err) = words_in(&db, &["add", "kata5"]);
    assert!(!ok && err.contains("already watched"), "{err}");
}

#[cfg(unix)]
#[test]
fn an_endless_file_is_a_clear_error_not_all_the_memory() {
    let out = common::cli()
        .args(["alerts", "replay-news", "/dev/zero", "--word", "BBCA"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("larger than 256 MB"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_story_seen_again_after_two_weeks_is_news_again_and_one_within_them_is_not() {
    // Three hundred stories a day apart keep the memory pruning; the first comes back twice.
    let mut rows = String::new();
    let day = |d: i64| {
        chrono::DateTime::parse_from_rfc3339("2026-01-01T10:00:00+07:00").unwrap()
            + chrono::Duration::days(d)
    };
    for d in 0..300 {
        rows += &format!("{},,{},BBCA naik\n", day(d).to_rfc3339(), story(d as u32));
    }
    rows += &format!("{},,{},BBCA naik lagi\n", day(300).to_rfc3339(), story(299));
    rows += &format!("{},,{},BBCA naik lagi\n", day(301).to_rfc3339(), story(0));
    let shown = replay(&rows, &["--word", "BBCA"]);
    assert_eq!(shown.len(), 301, "each story once, the first twice");
    assert_eq!(shown[300]["urls"], serde_json::json!([story(0)]));
}
