//! `pantau-cli parse` reproduces every expected JSON of the fixture pages, exactly in the
//! fields the expected files name.
#![allow(clippy::unwrap_used)] // test helpers: a failure here is a failed test

mod common;

use serde_json::Value;

const INDEKS_URL: &str =
    "https://www.kontan.co.id/search/indeks?kanal=&tanggal=29&bulan=04&tahun=2025&pos=indeks&per_page=";
const KOREA_URL: &str =
    "https://internasional.kontan.co.id/news/untuk-kali-pertama-korea-utara-akui-kirim-pasukan-ke-rusia";
const RUPIAH_URL: &str =
    "https://keuangan.kontan.co.id/news/rupiah-ditutup-melemah-ke-rp-16689-per-dolar-as-senin-28-april";

fn cli(args: &[&str]) -> std::process::Output {
    common::cli().args(args).output().expect("pantau-cli runs")
}

/// Every field of `expected` is in `got` with the same value (extra fields are allowed).
fn assert_matches(expected: &Value, got: &Value, path: &str) {
    match (expected, got) {
        (Value::Object(e), Value::Object(g)) => {
            for (k, v) in e {
                let sub = g
                    .get(k)
                    .unwrap_or_else(|| panic!("{path}.{k} missing in {got}"));
                assert_matches(v, sub, &format!("{path}.{k}"));
            }
        }
        (Value::Array(e), Value::Array(g)) => {
            assert_eq!(e.len(), g.len(), "{path}: length differs: {got}");
            for (i, (a, b)) in e.iter().zip(g).enumerate() {
                assert_matches(a, b, &format!("{path}[{i}]"));
            }
        }
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            assert!((a - b).abs() < 1e-9, "{path}: expected {a}, got {b}");
        }
        _ => assert_eq!(expected, got, "{path}"),
    }
}

fn check(page: &str, what: &str, url: Option<&str>) {
    let file = common::fixtures().join(page);
    let file = file.to_str().unwrap();
    let mut args = vec!["parse", what, file];
    if let Some(u) = url {
        args.extend(["--url", u]);
    }
    let out = cli(&args);
    assert!(
        out.status.success(),
        "{page} {what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "one JSON document per line");
    let got: Value = serde_json::from_str(&stdout).unwrap();
    let stem = page.rsplit_once('.').unwrap().0;
    let expected: Value =
        serde_json::from_str(&common::fixture(&format!("expected/{stem}.{what}.json"))).unwrap();
    assert_matches(&expected, &got, &format!("{page}:{what}"));
}

#[test]
fn article_pages() {
    check("article-korea-utara.html", "article", Some(KOREA_URL));
    check("article-rupiah-page1.html", "article", Some(RUPIAH_URL));
    check(
        "article-rupiah-all.html",
        "article",
        Some(&format!("{RUPIAH_URL}?page=all")),
    );
}

#[test]
fn article_url_comes_from_the_page_when_not_given() {
    check("article-korea-utara.html", "article", None);
}

#[test]
fn indicator_bars() {
    check("article-korea-utara.html", "indicators", None);
    check("home.html", "indicators", None);
}

#[test]
fn headline_lists() {
    check("indeks.html", "headlines", Some(INDEKS_URL));
    check(
        "channel-investasi.html",
        "headlines",
        Some("https://investasi.kontan.co.id/"),
    );
    check("home.html", "headlines", Some("https://www.kontan.co.id/"));
    check(
        "investasi-rss.xml",
        "headlines",
        Some("https://investasi.kontan.co.id/rss"),
    );
}

#[test]
fn several_files_print_one_line_each_in_order() {
    let dir = common::fixtures();
    let a = dir.join("home.html");
    let b = dir.join("article-korea-utara.html");
    let out = cli(&[
        "parse",
        "indicators",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        a.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert!(lines
        .iter()
        .all(|l| l[1]["symbol"] == "USD/IDR" && l[1]["value"] == 16689.0));
}

#[test]
fn page_without_bar_is_refused_with_one_clear_line() {
    let file = common::fixtures().join("investasi-rss.xml");
    let out = cli(&["parse", "indicators", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "no JSON for a page without a bar");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no indicator bar found"), "{err}");
}

#[test]
fn channel_page_is_not_an_article() {
    let file = common::fixtures().join("channel-investasi.html");
    let out = cli(&[
        "parse",
        "article",
        file.to_str().unwrap(),
        "--url",
        "https://investasi.kontan.co.id/",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("article body not found"), "{err}");
}

#[test]
fn missing_file_is_a_clear_error() {
    let out = cli(&["parse", "article", "/nonexistent/page.html"]);
    assert!(!out.status.success());
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("/nonexistent/page.html"));
}
