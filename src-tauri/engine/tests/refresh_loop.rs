//! The refresh loop (`pantau-cli watch`) against the fixture kontan site over loopback: its
//! intervals and back-offs, restarts, SIGKILL durability, prefetch, the fallback handing back,
//! the per-host limit. Nothing here touches the internet.
#![allow(clippy::unwrap_used)] // test helpers: a failure here is a failed test

mod common;

use common::site::{count, env, reading, Env, HOME, KOREA};
use kontan_fixture::{Fault, FixtureSite, SiteConfig};
use serde_json::Value;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

fn spawn_watch(e: &Env, origin: &str, extra: &[&str]) -> std::process::Child {
    common::cli()
        .args(["watch", "--json", "--origin", origin])
        .args(extra)
        .env("PANTAU_DB", &e.db)
        .env_remove("PANTAU_KONTAN_ORIGIN")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn first_line(child: &mut std::process::Child) -> Value {
    use std::io::BufRead;
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    serde_json::from_str(&line).unwrap()
}

#[test]
fn restart_serves_the_cache_before_any_network() {
    let e = env();
    e.indicators();
    e.cli(&["headlines"]);
    let dead = "http://127.0.0.1:9"; // discard port: nothing listens
    let mut child = spawn_watch(&e, dead, &[]);
    let first = first_line(&mut child);
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(first["event"], "cached");
    assert_eq!(first["snapshot"]["readings"].as_array().unwrap().len(), 11);
    assert!(first["snapshot"]["headlines"].as_array().unwrap().len() >= 10);
}

#[test]
fn watch_keeps_its_intervals() {
    let e = env();
    let mut child = spawn_watch(
        &e,
        &e.site.origin(),
        &["--bar-interval", "1", "--list-interval", "30"],
    );
    // Four homepage rounds, however long a loaded machine (or Wine) takes to start the loop: the
    // property is the spacing, never faster than the interval.
    e.wait_for_home_requests(4);
    child.kill().unwrap();
    child.wait().unwrap();
    let home = e.home_requests();
    assert!(
        home.len() >= 4,
        "{} homepage requests in 60 s at a 1 s interval",
        home.len()
    );
    for pair in home.windows(2) {
        assert!(
            pair[1].at_ms - pair[0].at_ms >= 900,
            "requests too close: {:?}",
            pair
        );
        assert!(
            pair[1].if_none_match.is_some(),
            "every repeat is conditional"
        );
    }
    // Channel lists keep their own, longer interval: no channel twice within 30 s.
    let mut channels: std::collections::HashMap<String, Vec<u64>> = Default::default();
    for r in e.site.requests() {
        if r.target.ends_with(".kontan.co.id/") && r.target != HOME {
            channels.entry(r.target).or_default().push(r.at_ms);
        }
    }
    for (channel, at) in channels {
        for pair in at.windows(2) {
            assert!(
                pair[1] - pair[0] >= 29_000,
                "{channel} again after {} ms",
                pair[1] - pair[0]
            );
        }
    }
}

#[test]
fn watch_respects_retry_after() {
    let e = env();
    e.site
        .set_fault(HOME, Fault::TooMany { retry_after: 3 }, Some(1));
    let mut child = spawn_watch(
        &e,
        &e.site.origin(),
        &["--bar-interval", "0.2", "--list-interval", "30"],
    );
    // Watched for 4.2 s from the first answer (the 429), however slowly the process started.
    e.wait_for_home_requests(1);
    std::thread::sleep(Duration::from_millis(4200));
    child.kill().unwrap();
    child.wait().unwrap();
    let home = e.home_requests();
    assert_eq!(home[0].status, 429);
    assert_eq!(
        home.len(),
        1,
        "no new try within the server's 3 s, nor within the error back-off after it"
    );
}

/// A `Retry-After` that asks for no wait (0 s, or a date already past) never shortens the
/// error back-off: before, `watch --bar-interval 0.2` asked again at every interval.
#[test]
fn a_retry_after_of_zero_or_in_the_past_never_shortens_the_wait() {
    for fault in ["429:0", "429date:-3600", "503:0"] {
        let e = env();
        e.site.set_fault(HOME, Fault::parse(fault).unwrap(), None);
        let mut child = spawn_watch(
            &e,
            &e.site.origin(),
            &["--bar-interval", "0.2", "--list-interval", "30"],
        );
        e.wait_for_home_requests(1);
        std::thread::sleep(Duration::from_millis(3700));
        child.kill().unwrap();
        child.wait().unwrap();
        let home = e.home_requests();
        assert_eq!(
            home.len(),
            1,
            "{fault}: {} homepage requests in 4 s",
            home.len()
        );
        let status = e.db().query_row(
            "SELECT next_retry - last_attempt FROM source_status WHERE source = 'kontan:bar'",
            [],
            |r| r.get::<_, i64>(0),
        );
        assert!(
            status.unwrap() >= 15_000,
            "{fault}: the next try waits the error back-off"
        );
    }
}

fn committed_ids(db: &Path) -> Vec<i64> {
    if !db.exists() {
        return Vec::new();
    }
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    let mut ids: Vec<i64> = Vec::new();
    for table in ["readings", "headlines"] {
        // A file whose tables are not made yet has no committed rows.
        let Ok(mut s) = conn.prepare(&format!("SELECT id FROM {table}")) else {
            continue;
        };
        ids.extend(
            s.query_map([], |r| r.get::<_, i64>(0))
                .unwrap()
                .map(Result::unwrap)
                .map(|i| if table == "headlines" { -i } else { i }),
        );
    }
    ids.sort();
    ids
}

/// The default series' opening bar, then a USD/IDR reading every site minute for 200 hours.
fn moving_rupiah() -> kontan_fixture::series::Series {
    let default = std::fs::read_to_string(kontan_fixture::default_series_path()).unwrap();
    let mut csv: String = default
        .lines()
        .take_while(|l| l.starts_with('t') || l.starts_with("0,"))
        .map(|l| format!("{l}\n"))
        .collect();
    for minute in 1..12_000 {
        let change = f64::from(minute % 400) - 200.0;
        let value = 16_600.0 + change;
        csv += &format!(
            "{},USD/IDR,{value},{change},{:.2}\n",
            minute * 60,
            change / 166.0
        );
    }
    kontan_fixture::series::Series::parse(&csv).unwrap()
}

#[test]
fn sigkill_mid_write_never_corrupts_or_loses_committed_rows() {
    let mut config = SiteConfig::from_repo();
    // The default series ends 18 site minutes in (under 2 s here), and a slow start (Wine on a
    // loaded machine takes seconds per run) would find the bar standing still: the rupiah moves
    // every site minute, every 0.1 s, for 20 minutes of real time.
    config.series = moving_rupiah();
    config.speed = 600.0;
    config.headline_every = 30.0;
    let site = FixtureSite::spawn(config, 0).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let e = Env {
        site,
        db: dir.path().join("cache.sqlite"),
        dir,
    };
    let mut seed = 0x2545F4914F6CDD1Du64;
    for round in 0..50 {
        let answered = e.home_requests().len();
        let readings = || committed_ids(&e.db).iter().filter(|&&id| id > 0).count();
        let readings_before = readings();
        let mut child = spawn_watch(
            &e,
            &e.site.origin(),
            &["--bar-interval", "0.05", "--list-interval", "0.05"],
        );
        // The kill lands while the loop parses and writes, however long the process takes to
        // start (a loaded machine, Wine): the clock starts at this run's first homepage answer.
        e.wait_for_home_requests(answered + 1);
        if round % 5 == 4 {
            // Every fifth run is killed after it has written readings, while its next round is
            // under way: however slowly the loop runs (Wine on a loaded machine takes seconds
            // to get from the answer to the bar's commit), some runs get that far.
            let deadline = Instant::now() + Duration::from_secs(60);
            while readings() == readings_before && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(50 + seed % 350));
        let before = committed_ids(&e.db);
        std::thread::sleep(Duration::from_millis(seed % 40));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let conn = rusqlite::Connection::open(&e.db).unwrap();
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok", "round {round}");
        let after = committed_ids(&e.db);
        let lost: Vec<&i64> = before
            .iter()
            .filter(|id| after.binary_search(id).is_err())
            .collect();
        assert!(
            lost.is_empty(),
            "round {round}: committed rows lost: {lost:?}"
        );
    }
    let conn = rusqlite::Connection::open(&e.db).unwrap();
    assert!(
        count(&conn, "SELECT count(*) FROM readings") > 11,
        "the loop really wrote while being killed"
    );
}

#[test]
fn the_loop_prefetches_the_newest_unread_articles_for_offline_reading() {
    let e = env();
    let mut child = spawn_watch(
        &e,
        &e.site.origin(),
        &["--bar-interval", "60", "--list-interval", "0.5"],
    );
    // The file appears a moment before its tables: until they are there, nothing is ready.
    let conn_ready = || {
        e.db.exists()
            && rusqlite::Connection::open(&e.db)
                .and_then(|c| c.query_row("SELECT count(*) FROM articles", [], |r| r.get(0)))
                .is_ok_and(|n: i64| n >= 5)
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while !conn_ready() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let conn = e.db();
    assert!(
        count(&conn, "SELECT count(*) FROM articles") >= 5,
        "the newest unread articles were fetched ahead"
    );
    let url: String = conn
        .query_row("SELECT url FROM articles LIMIT 1", [], |r| r.get(0))
        .unwrap();
    // The site logs a request once its answer is written: the killed loop's last ones settle.
    let mut before = e.site.requests().len();
    loop {
        std::thread::sleep(Duration::from_millis(300));
        let now = e.site.requests().len();
        if now == before {
            break;
        }
        before = now;
    }
    let out = e.cli(&["article", &url, "--json"]);
    assert!(out.status.success());
    assert_eq!(
        e.site.requests().len(),
        before,
        "read from the cache, no request"
    );
}

#[test]
fn kontan_takes_over_again_after_the_fallback() {
    let e = env();
    e.indicators();
    e.site.set_fault(HOME, Fault::LayoutChanged, None);
    for _ in 0..3 {
        e.indicators();
    }
    let (rows, _) = e.indicators();
    assert_eq!(reading(&rows, "USD/IDR")["source"], "yahoo");
    e.site.clear_faults(); // the same page as before the redesign: its old ETag would say 304
    let (rows, _) = e.indicators();
    let usd = reading(&rows, "USD/IDR");
    assert_eq!(
        (usd["source"].as_str(), usd["stale"].as_bool()),
        (Some("kontan"), Some(false))
    );
    assert_eq!(e.home_requests().last().unwrap().status, 200);
}

#[test]
fn at_most_two_requests_in_flight_per_host() {
    use pantau_engine::Engine;
    use pantau_engine::{EngineConfig, Origin};
    let e = env();
    let engine = Engine::open(EngineConfig::new(
        e.db.clone(),
        Origin::parse(&e.site.origin()).unwrap(),
    ))
    .unwrap();
    let slugs = [
        "rupiah-dibuka-melemah-ke-rp-16700-per-dolar-as-pagi-ini",
        "bank-indonesia-diprediksi-tahan-suku-bunga-acuan-di-level-575",
        "ojk-terbitkan-aturan-baru-soal-paylater-simak-poin-pentingnya",
        "rupiah-ditutup-melemah-ke-rp-16689-per-dolar-as-senin-28-april",
    ];
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // robots.txt first, so only the four article requests compete.
    rt.block_on(engine.article(KOREA, true)).unwrap();
    for slug in slugs {
        e.site.set_fault(
            &format!("/keuangan.kontan.co.id/news/{slug}"),
            Fault::Slow { ms: 700 },
            Some(1),
        );
    }
    let started = Instant::now();
    rt.block_on(async {
        let urls: Vec<String> = slugs
            .iter()
            .map(|s| format!("https://keuangan.kontan.co.id/news/{s}"))
            .collect();
        let results =
            futures_util::future::join_all(urls.iter().map(|u| engine.article(u, true))).await;
        assert!(results.iter().all(Result::is_ok), "{results:?}");
    });
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(1350),
        "four 0.7 s requests, two at a time, took {elapsed:?}"
    );
    let done: Vec<u64> = e
        .site
        .requests_to("/keuangan.kontan.co.id/news/")
        .iter()
        .map(|r| r.at_ms)
        .collect();
    assert_eq!(done.len(), 4);
    for w in done.windows(3) {
        assert!(
            w[2] - w[0] >= 500,
            "three requests finished together: {done:?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn sigterm_ends_watch_like_ctrl_c() {
    let e = env();
    for signal in ["TERM", "INT"] {
        let mut child = spawn_watch(&e, &e.site.origin(), &["--bar-interval", "1"]);
        let first = first_line(&mut child);
        assert_eq!(first["event"], "cached");
        std::thread::sleep(Duration::from_millis(1500));
        let asked = std::time::Instant::now();
        let sent = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = child.wait().unwrap();
        assert!(
            status.success(),
            "SIG{signal}: {status:?} (the default action ends it with no status)"
        );
        assert!(
            asked.elapsed() < Duration::from_secs(2),
            "SIG{signal}: ended {:?} after being asked",
            asked.elapsed()
        );
    }
    // The cache was closed cleanly: it opens and holds the readings.
    assert!(common::site::count(&e.db(), "SELECT COUNT(*) FROM readings") > 0);
}

#[test]
fn watch_reports_word_alerts_as_they_fire() {
    use std::io::BufRead;
    let e = env();
    let added = e.cli(&["alerts", "words", "add", "BI Rate", "BBCA"]);
    assert!(added.status.success());
    let fresh = e.site.publish("BI-Rate Ditahan di 5,75%", 2);
    let old = e.site.publish("BBCA bagi dividen tahun lalu", 180);
    e.site.publish("Harga emas naik", 1);
    let mut child = spawn_watch(&e, &e.site.origin(), &["--bar-interval", "1"]);
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut alerts: Vec<Value> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while alerts.len() < 2 && Instant::now() < deadline {
        let Some(Ok(line)) = lines.next() else { break };
        let event: Value = serde_json::from_str(&line).unwrap();
        if event["event"] == "alert" && event["alert"]["rule"] == "word" {
            alerts.push(event["alert"].clone());
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(alerts.len(), 2, "{alerts:#?}");
    let find = |url: &str| alerts.iter().find(|a| a["urls"][0] == url).unwrap();
    assert_eq!(find(&fresh)["shown"], true);
    assert_eq!(find(&fresh)["words"], serde_json::json!(["BI Rate"]));
    assert_eq!(find(&fresh)["body"], "BI-Rate Ditahan di 5,75%");
    assert_eq!(
        find(&old)["shown"],
        false,
        "old news goes to the inbox only"
    );
    // Both are in the inbox, and a restart does not notify them again.
    let inbox = e.cli(&["alerts", "inbox", "--json"]);
    let inbox: Vec<Value> = serde_json::from_slice(&inbox.stdout).unwrap();
    assert_eq!(inbox.iter().filter(|a| a["rule"] == "word").count(), 2);
    let rounds = e.home_requests().len();
    let mut again = spawn_watch(&e, &e.site.origin(), &["--bar-interval", "1"]);
    // Two rounds after the restart: its headlines were read again, and nothing notified.
    assert!(e.wait_for_home_requests(rounds + 2).len() >= rounds + 2);
    std::thread::sleep(Duration::from_millis(500));
    again.kill().unwrap();
    again.wait().unwrap();
    let inbox = e.cli(&["alerts", "inbox", "--json"]);
    let inbox: Vec<Value> = serde_json::from_slice(&inbox.stdout).unwrap();
    assert_eq!(inbox.iter().filter(|a| a["rule"] == "word").count(), 2);
}

#[test]
fn while_nobody_looks_channels_are_read_through_their_feeds() {
    use pantau_engine::Engine;
    use pantau_engine::{EngineConfig, Origin};
    let front_page = "/keuangan.kontan.co.id/";
    let feed = "/keuangan.kontan.co.id/rss";
    let run = |feed_missing: bool| {
        let e = env();
        if feed_missing {
            e.site.set_fault(feed, Fault::Status(404), None);
        }
        let mut config = EngineConfig::new(e.db.clone(), Origin::parse(&e.site.origin()).unwrap());
        config.channels = vec!["keuangan".into()];
        config.feeds = Vec::new();
        config.intervals.bar = Duration::from_secs(3600);
        config.intervals.channels = Duration::from_millis(300);
        config.intervals.feeds = Duration::from_millis(300);
        config.intervals.prefetch = Duration::from_secs(3600);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let engine = std::sync::Arc::new(Engine::open(config).unwrap());
        let requests = rt.block_on(async {
            let (handle, _events) = pantau_engine::refresh::start(engine).unwrap();
            handle.set_lists_shown(false);
            tokio::time::sleep(Duration::from_millis(2500)).await;
            handle.shutdown().await;
            e.site.requests()
        });
        let to = |path: &str| requests.iter().filter(|r| r.target == path).count();
        (to(front_page), to(feed))
    };
    let (front_pages, feeds) = run(false);
    assert_eq!(front_pages, 0, "no front page while nobody looks");
    assert!(feeds >= 2, "the feed instead: {feeds}");
    let (front_pages, feeds) = run(true);
    assert_eq!(feeds, 1, "a missing feed is asked for once");
    assert!(
        front_pages >= 2,
        "then the front page, every round: {front_pages}"
    );
}
