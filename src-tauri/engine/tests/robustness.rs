//! Hostile answers, a quirky site and a damaged cache, through `pantau-cli` against the fixture
//! site on loopback: each test shows a promise that once broke (see the robustness issue).
#![allow(clippy::unwrap_used)] // test helpers: a failure here is a failed test

mod common;

use common::site::{count, env, Env, HOME};
use kontan_fixture::Fault;
use serde_json::Value;
use std::time::{Duration, Instant};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// The newest headline on the homepage, and its path on the fixture site.
fn some_headline(e: &Env) -> (String, String) {
    let out = e.cli(&["headlines", "--json", "--limit", "50"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let url = list
        .iter()
        .map(|h| h["url"].as_str().unwrap().to_string())
        .find(|u| !u.contains("kabar-pasar-terkini") && !u.contains("rupiah-ditutup"))
        .expect("a recorded headline");
    let path = format!("/{}", url.trim_start_matches("https://"));
    (url, path)
}

#[test]
fn an_article_with_another_canonical_address_opens_again_and_turns_read() {
    let e = env();
    let (url, path) = some_headline(&e);
    e.site.set_fault(&path, Fault::CanonicalElsewhere, None);
    let first = e.cli(&["article", &url, "--json"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let a: Value = serde_json::from_slice(&first.stdout).unwrap();
    assert!(a["url"].as_str().unwrap().ends_with("-kanonik"));
    // The fixture site logs a request just after answering it: counts may lag the CLI's exit.
    let logged = |at_least: usize| {
        e.wait_for_requests(|r| r.target.starts_with(&path), at_least)
            .len()
    };
    let fetched = logged(1);
    for args in [vec!["article", &url], vec!["article", &url, "--refresh"]] {
        let again = e.cli(&args);
        assert!(again.status.success(), "{args:?}: {}", stderr(&again));
    }
    assert_eq!(
        logged(fetched + 1),
        fetched + 1,
        "the second open comes from the cache; --refresh asks once (a 304)"
    );
    let read: bool = e
        .db()
        .query_row("SELECT read FROM headlines WHERE url = ?1", [&url], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(read, "the listed headline turns read");
}

#[test]
fn a_damaged_cache_is_moved_aside_and_a_fresh_one_started() {
    let e = env();
    let garbage = b"this is not a database, it is a shopping list\n".repeat(200);
    std::fs::write(&e.db, &garbage).unwrap();
    let out = e.cli(&["indicators", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("damaged") && err.contains(".corrupt-"),
        "{err}"
    );
    let kept: Vec<_> = std::fs::read_dir(e.dir.path())
        .unwrap()
        .map(|d| d.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("cache.sqlite.corrupt-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(
        std::fs::read(&kept[0]).unwrap(),
        garbage,
        "the user's file is kept as it was"
    );
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 11, "the fresh cache works");
}

#[test]
fn a_cache_that_cannot_be_written_runs_in_memory() {
    let e = env();
    let blocker = e.dir.path().join("not-a-folder");
    std::fs::write(&blocker, "a file where the cache folder should be").unwrap();
    let out = common::cli()
        .args(["indicators", "--json", "--origin", &e.site.origin()])
        .env("PANTAU_DB", blocker.join("cache.sqlite"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("in-memory"), "{}", stderr(&out));
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 11);
}

#[cfg(target_os = "linux")]
/// Runs the CLI with the cache's folder mounted read-only (a mount namespace of its own: root
/// could write through any file mode, as CI runs).
fn cli_on_read_only_cache(e: &Env, args: &[&str]) -> std::process::Output {
    let dir = e.db.parent().unwrap();
    std::process::Command::new("unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c"])
        .arg(r#"mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@""#)
        .arg("sh")
        .arg(dir)
        .arg(env!("CARGO_BIN_EXE_pantau-cli"))
        .args(args)
        .args(["--origin", &e.site.origin()])
        .env("PANTAU_DB", &e.db)
        .output()
        .unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn a_read_only_cache_shows_what_it_holds() {
    use common::site::KOREA;
    let e = env();
    assert!(e.cli(&["article", KOREA]).status.success());
    assert!(e.cli(&["headlines"]).status.success());
    let before = std::fs::read(&e.db).unwrap();
    let out = cli_on_read_only_cache(&e, &["search", "Kursk", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the cache is read-only: showing what it holds, nothing new is kept"),
        "{}",
        stderr(&out)
    );
    let hits: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits[0]["url"], KOREA, "the cached article is found");
    e.site.set_fault(HOME, Fault::Status(500), None);
    let out = cli_on_read_only_cache(&e, &["headlines", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(list.len() >= 5, "offline, the cached headlines: {list:?}");
    assert_eq!(std::fs::read(&e.db).unwrap(), before, "nothing written");
}

#[test]
fn a_cached_row_that_cannot_be_read_is_a_miss() {
    let e = env();
    let url = "https://keuangan.kontan.co.id/news/rupiah-ditutup-melemah-ke-rp-16689-per-dolar-as-senin-28-april";
    assert!(e.cli(&["article", url]).status.success());
    e.db()
        .execute("UPDATE articles SET json = '{not json'", [])
        .unwrap();
    e.db().execute("DELETE FROM validators", []).unwrap();
    let out = e.cli(&["article", url, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let a: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        a["paragraphs"].as_array().unwrap().len(),
        5,
        "fetched again"
    );
}

#[test]
fn redirects_never_leave_kontan() {
    let e = env();
    let origin = e.site.origin();
    for to in [
        "https://evil.example/".to_string(),
        "http://www.kontan.co.id/".to_string(),
        "/evil.example/".to_string(),
        format!("{}/", origin.replace("127.0.0.1", "localhost")),
    ] {
        e.site.set_fault(HOME, Fault::Redirect(to.clone()), None);
        let out = e.cli(&["indicators", "--json"]);
        assert!(!out.status.success(), "{to}: followed");
        assert!(
            stderr(&out).contains("redirect to") && stderr(&out).contains("refused"),
            "{to}: {}",
            stderr(&out)
        );
        e.db().execute("DELETE FROM source_status", []).unwrap();
    }
    assert!(
        e.site.requests_to("/evil.example/").is_empty(),
        "nothing asked of the other host"
    );
    // A redirect to another kontan host (on the origin) is followed, robots.txt and all.
    e.site.set_fault(
        HOME,
        Fault::Redirect(format!("{origin}/investasi.kontan.co.id/")),
        None,
    );
    let (rows, _) = e.indicators();
    assert_eq!(rows.len(), 11);
    assert!(!e
        .site
        .requests_to("/investasi.kontan.co.id/robots.txt")
        .is_empty());
}

#[test]
fn deep_nesting_is_refused_quickly() {
    let e = env();
    let (url, path) = some_headline(&e);
    e.site.set_fault(&path, Fault::Deep(100_000), None);
    let started = Instant::now();
    let out = e.cli(&["article", &url]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("levels deep"), "{}", stderr(&out));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "refused in {:?} (it took 50 s of CPU before)",
        started.elapsed()
    );
    let file = e.dir.path().join("deep.html");
    std::fs::write(&file, kontan_fixture::pages::deep_article(100_000)).unwrap();
    let out = common::cli()
        .args(["parse", "article"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("levels deep"), "{}", stderr(&out));
}

#[test]
fn headline_extraction_is_linear_in_links_per_element() {
    // 50,000 links in one element took minutes when each link re-read its whole item.
    let url = pantau_engine::parse::page_url("https://www.kontan.co.id/").unwrap();
    for together in [true, false] {
        let page = kontan_fixture::pages::many_links(50_000, together);
        let started = Instant::now();
        let list = pantau_engine::parse::parse_headlines(&page, &url).unwrap();
        assert_eq!(list.len(), 50_000);
        assert_eq!(list[49_999].title, "B49999");
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{} KiB parsed in {:?}",
            page.len() / 1024,
            started.elapsed()
        );
    }
}

#[test]
fn a_feed_declaring_entities_is_refused() {
    let e = env();
    let file = e.dir.path().join("feed.xml");
    std::fs::write(&file, kontan_fixture::pages::entity_feed()).unwrap();
    let started = Instant::now();
    let out = common::cli()
        .args(["parse", "headlines"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("DTD"), "{}", stderr(&out));
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_failed_cache_write_backs_off_like_any_failure() {
    let e = env();
    // The cache refuses new readings, as a full disk would.
    let _ = e.cli(&["headlines", "--limit", "1"]);
    e.db()
        .execute_batch(
            "CREATE TRIGGER disk_full BEFORE INSERT ON readings BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;
             DELETE FROM readings; DELETE FROM source_status; DELETE FROM validators;",
        )
        .unwrap();
    let before = e.home_requests().len();
    let mut child = common::cli()
        .args(["watch", "--json", "--origin", &e.site.origin()])
        .args(["--bar-interval", "0.2", "--list-interval", "30"])
        .env("PANTAU_DB", &e.db)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    e.wait_for_home_requests(before + 1);
    std::thread::sleep(Duration::from_millis(3700));
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        e.home_requests().len() - before,
        1,
        "one try, then the back-off (it was a full page every interval)"
    );
    let failures = count(
        &e.db(),
        "SELECT failures FROM source_status WHERE source = 'kontan:bar'",
    );
    assert_eq!(failures, 1, "the failure is recorded");
}

#[test]
fn a_users_rounds_come_at_most_every_ten_seconds() {
    let e = env();
    e.indicators();
    let asked = e.home_requests().len();
    let out = e.cli_now(&["indicators", "--json"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("checked"), "{}", stderr(&out));
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        rows.iter().all(|r| r["stale"] == false),
        "just checked: not stale"
    );
    assert_eq!(e.home_requests().len(), asked, "no new request");
}

#[test]
fn robots_statuses_follow_rfc_9309() {
    let e = env();
    e.site
        .set_fault("/www.kontan.co.id/robots.txt", Fault::Status(403), None);
    let (rows, _) = e.indicators();
    assert_eq!(rows.len(), 11, "4xx: everything allowed");

    let e = env();
    e.site
        .set_fault("/www.kontan.co.id/robots.txt", Fault::Status(500), None);
    let out = e.cli(&["indicators"]);
    assert!(!out.status.success(), "5xx: disallowed for now");
    assert!(e.home_requests().is_empty(), "the page itself is not asked");
}

#[test]
fn only_kontan_articles_and_plain_origins() {
    let e = env();
    let out = e.cli(&["article", "https://evil.example/news/berita"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("not a kontan.co.id address"),
        "{}",
        stderr(&out)
    );
    assert!(e.site.requests().is_empty());
    let out = common::cli()
        .args(["indicators", "--origin", "http://user:pw@127.0.0.1:9/"])
        .env("PANTAU_DB", &e.db)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("origin must be"), "{}", stderr(&out));
    let out = e.cli(&["indicators"]);
    assert!(
        stderr(&out).contains("instead of the real site"),
        "a set origin is said loudly: {}",
        stderr(&out)
    );
}

#[test]
fn values_that_used_to_panic_are_refused_with_a_message() {
    let e = env();
    for (args, vars) in [
        (vec!["watch", "--bar-interval", "inf"], vec![]),
        (vec!["watch", "--list-interval=-3"], vec![]),
        (
            vec!["indicators"],
            vec![("PANTAU_HTTP_TIMEOUT_SECS", "inf")],
        ),
    ] {
        let out = e.cli_with(&args, &vars);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("seconds"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn a_channel_filter_is_literal() {
    let e = env();
    let (_, _) = some_headline(&e);
    for filter in ["%", "_", "%investasi%"] {
        let out = e.cli(&["headlines", "--channel", filter, "--json"]);
        let list: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap_or_default();
        assert!(list.is_empty(), "{filter}: {} headlines", list.len());
    }
}
