//! The engine against the fixture kontan site over loopback: politeness, faults, the cache.
//! Nothing here touches the internet.
#![allow(clippy::unwrap_used)] // test helpers: a failure here is a failed test

mod common;

use common::site::{count, env, reading, HOME};
use kontan_fixture::Fault;
use serde_json::Value;
use std::time::{Duration, Instant};

use common::site::KOREA;

/// Every reading row's id and first-seen time.
fn reading_rows(conn: &rusqlite::Connection) -> Vec<(i64, i64)> {
    let mut s = conn
        .prepare("SELECT id, observed_at FROM readings ORDER BY id")
        .unwrap();
    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// A first good read, then the market moves and the homepage starts to fail with `fault`.
fn cached_then_moved_and_failing(e: &common::site::Env, fault: Fault, times: Option<u32>) {
    e.indicators();
    e.site.advance(600.0);
    e.site.set_fault(HOME, fault, times);
}

#[test]
fn indicators_show_the_sites_live_values() {
    let e = env();
    let (rows, _) = e.indicators();
    assert_eq!(rows.len(), 11);
    let usd = reading(&rows, "USD/IDR");
    assert_eq!(
        (
            usd["value"].as_f64(),
            usd["change"].as_f64(),
            usd["change_pct"].as_f64()
        ),
        (Some(16689.0), Some(79.0), Some(0.47))
    );
    assert_eq!(usd["source"], "kontan");
    assert_eq!(usd["stale"], false);
    assert!(usd["observed_at"].as_str().unwrap().ends_with("+07:00"));
    e.site.advance(600.0);
    let (rows, _) = e.indicators();
    let usd = reading(&rows, "USD/IDR");
    assert_eq!(
        (usd["value"].as_f64(), usd["change"].as_f64()),
        (Some(16725.0), Some(115.0)),
        "the market moved"
    );
    let ua = e.home_requests()[0].user_agent.clone().unwrap();
    assert_eq!(ua, pantau_engine::user_agent(), "truthful user agent");
    let contact = option_env!("PANTAU_CONTACT").unwrap_or("");
    assert!(
        ua.starts_with(concat!("Pantau/", env!("CARGO_PKG_VERSION"), " ("))
            && (contact.is_empty() || ua.contains(contact)),
        "names Pantau and only a contact the build was given: {ua}"
    );
    assert!(!ua.contains("github.com/pantau-app"), "{ua}");
}

#[test]
fn second_fetch_is_conditional_and_a_304_rewrites_nothing() {
    let e = env();
    e.indicators();
    let conn = e.db();
    let before = reading_rows(&conn);
    let headlines_before = count(&conn, "SELECT count(*) FROM headlines");
    e.indicators();
    let home = e.home_requests();
    assert_eq!(home.len(), 2);
    assert!(home[0].if_none_match.is_none());
    assert!(home[1].if_none_match.is_some(), "validator sent");
    assert_eq!(home[1].status, 304);
    let after = reading_rows(&conn);
    assert_eq!(before, after, "no new reading rows on 304");
    assert_eq!(
        headlines_before,
        count(&conn, "SELECT count(*) FROM headlines")
    );
}

#[test]
fn retry_after_is_respected() {
    let e = env();
    e.indicators();
    e.site
        .set_fault(HOME, Fault::TooMany { retry_after: 30 }, None);
    let (rows, err) = e.indicators();
    assert!(err.contains("wait"), "{err}");
    assert!(
        rows.iter().all(|r| r["stale"] == true),
        "cached readings shown, marked stale"
    );
    assert_eq!(reading(&rows, "USD/IDR")["value"].as_f64(), Some(16689.0));
    let asked = e.home_requests().len();
    let (_, err) = e.indicators();
    assert!(err.contains("wait"), "{err}");
    assert_eq!(
        e.home_requests().len(),
        asked,
        "no request inside the Retry-After window"
    );
}

#[test]
fn a_servers_wait_holds_for_every_request_to_its_host() {
    let e = env();
    e.indicators();
    e.site.set_fault(
        HOME,
        Fault::TooMany {
            retry_after: 99_999_999_999,
        },
        None,
    );
    let _ = e.indicators();
    let now = chrono::Utc::now().timestamp_millis();
    for source in ["kontan:bar", "kontan:home"] {
        let next: i64 = e
            .db()
            .query_row(
                "SELECT next_retry FROM source_status WHERE source = ?1",
                [source],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            next - now >= 1_790_000,
            "{source} tries again in {} s, not after the server's wait (capped at 1,800 s)",
            (next - now) / 1000
        );
    }
    // Another address on the same host is not asked either.
    let asked = e.site.requests().len();
    let out = e.cli(&[
        "article",
        "https://www.kontan.co.id/news/lain-di-host-yang-sama",
    ]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("wait"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(e.site.requests().len(), asked, "{:?}", e.site.requests());
}

#[test]
fn nothing_cached_and_no_network_is_a_clear_failure() {
    let e = env();
    e.site.set_fault(HOME, Fault::Status(500), None);
    let out = e.cli(&["indicators", "--json"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("nothing cached") && err.contains("500"),
        "{err}"
    );
}

#[test]
fn timeouts_and_truncated_bodies_keep_the_last_good_data() {
    let e = env();
    cached_then_moved_and_failing(&e, Fault::Slow { ms: 4000 }, Some(1));
    let out = e.cli_with(
        &["indicators", "--json"],
        &[("PANTAU_HTTP_TIMEOUT_SECS", "1")],
    );
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("timed out"), "{err}");
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        reading(&rows, "USD/IDR")["value"].as_f64(),
        Some(16689.0),
        "last good value"
    );
    assert_eq!(reading(&rows, "USD/IDR")["stale"], true);

    e.site.set_fault(HOME, Fault::Truncate, Some(1));
    let (rows, err) = e.indicators();
    assert!(
        err.contains("cut short") || err.contains("network"),
        "{err}"
    );
    assert_eq!(reading(&rows, "USD/IDR")["value"].as_f64(), Some(16689.0));
    assert_eq!(reading(&rows, "USD/IDR")["stale"], true);

    let (rows, _) = e.indicators();
    assert_eq!(
        reading(&rows, "USD/IDR")["value"].as_f64(),
        Some(16725.0),
        "recovers when the site does"
    );
    assert_eq!(reading(&rows, "USD/IDR")["stale"], false);
}

#[test]
fn oversized_bodies_are_refused() {
    let e = env();
    e.indicators();
    e.site.set_fault(HOME, Fault::Huge, Some(1));
    let started = Instant::now();
    let (rows, err) = e.indicators();
    assert!(err.contains("larger than"), "{err}");
    assert_eq!(rows.len(), 11);
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn layout_change_is_reported_and_last_good_data_kept() {
    let e = env();
    e.indicators();
    e.site.set_fault(HOME, Fault::LayoutChanged, None);
    let (rows, err) = e.indicators();
    assert!(err.contains("no indicator bar found"), "{err}");
    assert_eq!(rows.len(), 11);
    assert!(rows.iter().all(|r| r["stale"] == true));
    let conn = e.db();
    let kind: String = conn
        .query_row(
            "SELECT error_kind FROM source_status WHERE source = 'kontan:bar'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kind, "no_indicator_bar");

    // Articles: a cached copy survives a redesign of the page.
    assert!(e.cli(&["article", KOREA, "--json"]).status.success());
    e.site.set_fault("/internasional.kontan.co.id/news/untuk-kali-pertama-korea-utara-akui-kirim-pasukan-ke-rusia", Fault::LayoutChanged, None);
    let out = e.cli(&["article", KOREA, "--refresh", "--json"]);
    assert!(out.status.success(), "cached copy served");
    let a: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        a["title"],
        "Untuk Kali Pertama, Korea Utara Akui Kirim pasukan ke Rusia"
    );
}

#[test]
fn garbage_numbers_are_rejected() {
    let e = env();
    cached_then_moved_and_failing(&e, Fault::GarbageBar, None);
    let (rows, err) = e.indicators();
    assert!(err.contains("rejected"), "{err}");
    assert_eq!(
        reading(&rows, "USD/IDR")["value"].as_f64(),
        Some(16689.0),
        "garbage never replaces a good value"
    );
    assert_eq!(
        count(&e.db(), "SELECT count(*) FROM readings WHERE value <= 0"),
        0
    );
}

#[test]
fn fallback_source_after_repeated_bar_failures() {
    let e = env();
    cached_then_moved_and_failing(&e, Fault::Status(500), None);
    for _ in 0..2 {
        let (rows, _) = e.indicators();
        assert_eq!(reading(&rows, "USD/IDR")["source"], "kontan");
    }
    let (rows, err) = e.indicators();
    assert!(err.contains("fallback"), "{err}");
    let usd = reading(&rows, "USD/IDR");
    assert_eq!(
        (
            usd["source"].as_str(),
            usd["value"].as_f64(),
            usd["stale"].as_bool()
        ),
        (Some("yahoo"), Some(16725.0), Some(false))
    );
    assert_eq!(
        reading(&rows, "LQ45")["stale"],
        true,
        "kontan-only readings stay marked stale"
    );
    assert!(
        e.site
            .requests_to("/query1.finance.yahoo.com/v8/finance/chart/")
            .len()
            >= 2
    );
}

#[test]
fn articles_arrive_whole_and_search_finds_them() {
    let e = env();
    let url = "https://keuangan.kontan.co.id/news/rupiah-ditutup-melemah-ke-rp-16689-per-dolar-as-senin-28-april";
    let out = e.cli(&["article", url, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        a["paragraphs"].as_array().unwrap().len(),
        5,
        "?page=all brings every page"
    );
    assert!(e
        .site
        .requests_to("/keuangan.kontan.co.id/news/rupiah-ditutup")
        .iter()
        .all(|r| r.target.ends_with("?page=all")));
    assert!(e.cli(&["article", KOREA]).status.success());
    let out = e.cli(&["search", "Kursk", "--json"]);
    let hits: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["url"], KOREA);
    let out = e.cli(&["search", "kebijakan suku bunga", "--json"]);
    let hits: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits[0]["url"], url, "a word only in page 2's text");
}

#[test]
fn robots_txt_is_honoured() {
    let e = env();
    let out = e.cli(&[
        "article",
        "https://keuangan.kontan.co.id/news/dilarang-masuk",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("robots.txt disallows"));
    assert!(e
        .site
        .requests_to("/keuangan.kontan.co.id/news/")
        .is_empty());
    e.cli(&["article", KOREA]);
    e.cli(&["article", "https://internasional.kontan.co.id/news/putin-umumkan-gencatan-senjata-8-10-mei-tapi-ukraina-inginkan-hal-ini"]);
    assert_eq!(
        e.site
            .requests_to("/internasional.kontan.co.id/robots.txt")
            .len(),
        1,
        "robots.txt read once a day per host"
    );
}

#[test]
fn lead_pictures_come_through_the_engine_capped_and_kept_for_offline() {
    use pantau_engine::Engine;
    use pantau_engine::{EngineConfig, Origin};
    let e = env();
    let open = |origin: &str| {
        Engine::open(EngineConfig::new(
            e.db.clone(),
            Origin::parse(origin).unwrap(),
        ))
        .unwrap()
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let engine = open(&e.site.origin());
    let (article, _) = rt.block_on(engine.article(KOREA, false)).unwrap();
    let picture = rt.block_on(engine.lead_image(&article)).unwrap().unwrap();
    let recorded = std::fs::read(kontan_fixture::repo_fixtures_dir().join("images/lead.jpg"));
    assert_eq!(picture.bytes, recorded.unwrap());
    assert_eq!(picture.media_type, "image/jpeg");
    // The site logs a request once its answer is written: a count is read once it settles.
    let pictures_asked = || {
        let count = || {
            e.site
                .requests_to("/foto.kontan.co.id/")
                .into_iter()
                .filter(|r| r.target.ends_with(".jpg"))
                .collect::<Vec<_>>()
        };
        let mut last = count();
        loop {
            std::thread::sleep(Duration::from_millis(300));
            let now = count();
            if now.len() == last.len() {
                return now;
            }
            last = now;
        }
    };
    let asked = pictures_asked();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(
        asked[0].user_agent.as_deref(),
        Some(&*pantau_engine::user_agent())
    );

    // Kept with the article: asked again, and offline, it comes from the cache.
    drop(engine);
    let offline = open("http://127.0.0.1:9");
    let kept = rt.block_on(offline.lead_image(&article)).unwrap().unwrap();
    assert_eq!(kept.bytes, picture.bytes);
    assert_eq!(pictures_asked().len(), 1);

    // Over the cap, not a picture, or not kontan's: no picture (and no request elsewhere).
    let engine = open(&e.site.origin());
    for (n, address) in [
        "https://foto.kontan.co.id/x=/smart/raksasa.jpg",
        "https://foto.kontan.co.id/x=/smart/bukan-gambar.jpg",
        "https://example.com/foto.jpg",
        "javascript:alert(1)",
    ]
    .into_iter()
    .enumerate()
    {
        let mut other = article.clone();
        other.url = format!("https://www.kontan.co.id/news/gambar-{n}");
        other.image_url = Some(address.to_string());
        let got = rt.block_on(engine.lead_image(&other)).unwrap();
        assert!(got.is_none(), "{address}");
        // A picture that could not be had is not asked for again at once.
        assert!(rt.block_on(engine.lead_image(&other)).unwrap().is_none());
    }
    assert_eq!(pictures_asked().len(), 3);
    assert!(e.site.requests_to("/example.com/").is_empty());
}
