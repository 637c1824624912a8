//! Figures for the robustness work; prints numbers, asserts nothing.
//!
//! Run: `cargo bench -p pantau-engine --bench robustness`
//!
//! - headline upsert of 100 new headlines into an empty cache and into a 30-day cache;
//! - what the app's `market` and `headlines` commands read, timed while full refresh cycles
//!   write to a 30-day cache (p50 / p99 / max);
//! - a 1.2 MB page of 100,000 nested elements against a normal 110 KiB article page.
#![allow(clippy::unwrap_used)] // measurements: a failure here is a failed measurement

use kontan_fixture::{FixtureSite, SiteConfig};
use pantau_engine::model::Headline;
use pantau_engine::store::Store;
use pantau_engine::time::now_ms;
use pantau_engine::Engine;
use pantau_engine::{EngineConfig, Origin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "month.rs"]
mod month;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks for a list; there is nothing to list.
    }
    let dir = tempfile::tempdir().unwrap();
    let month_path = dir.path().join("month.sqlite");
    month::simulate_days(&month_path, 30);
    upserts(&dir, &month_path);
    latency_under_writes(&dir, &month_path);
    deep_pages();
    many_links();
}

fn headlines(tag: &str, n: usize) -> Vec<Headline> {
    (0..n)
        .map(|k| Headline {
            title: format!("Berita baru {tag} nomor {k} tentang rupiah dan IHSG"),
            url: format!("https://investasi.kontan.co.id/news/baru-{tag}-{k}"),
            published_at: None,
            channel: Some("Investasi".into()),
            image_url: None,
        })
        .collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Upserts 100 new headlines into a fresh, empty cache and into a 30-day cache, alternating so
/// that whatever the machine does meanwhile weighs on both alike.
fn upserts(dir: &tempfile::TempDir, month: &std::path::Path) {
    let copy = dir.path().join("month-upserts.sqlite");
    std::fs::copy(month, &copy).unwrap();
    let mut big = Store::open(&copy).unwrap();
    let cached = big.latest_headlines(None, 100_000).unwrap().len();
    let (mut empty_ms, mut month_ms) = (Vec::new(), Vec::new());
    for rep in 0..60 {
        let path = dir.path().join(format!("empty-{rep}.sqlite"));
        let mut empty = Store::open(&path).unwrap();
        let batch = headlines(&format!("e{rep}"), 100);
        let t = Instant::now();
        empty.upsert_headlines(&batch, "bench", now_ms()).unwrap();
        empty_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        let batch = headlines(&format!("m{rep}"), 100);
        let t = Instant::now();
        big.upsert_headlines(&batch, "bench", now_ms()).unwrap();
        month_ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (e, m) = (median(empty_ms), median(month_ms));
    println!(
        "upsert of 100 new headlines: empty cache {e:.2} ms, 30-day cache ({cached} headlines) {m:.2} ms = {:.2}x (median of 60, alternating)",
        m / e
    );
}

fn latency_under_writes(dir: &tempfile::TempDir, month: &std::path::Path) {
    let path = dir.path().join("month-latency.sqlite");
    std::fs::copy(month, &path).unwrap();
    let mut site_config = SiteConfig::from_repo();
    site_config.headline_every = 60.0;
    let site = FixtureSite::spawn(site_config, 0).unwrap();
    let config = EngineConfig::new(path, Origin::parse(&site.origin()).unwrap());
    let engine = Arc::new(Engine::open(config).unwrap());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let writing = Arc::new(AtomicBool::new(true));

    let reader = {
        let engine = engine.clone();
        let writing = writing.clone();
        std::thread::spawn(move || {
            let (mut market, mut list) = (Vec::new(), Vec::new());
            while writing.load(Ordering::Relaxed) {
                let t = Instant::now();
                let now = now_ms();
                let readings = engine.readings(now).unwrap();
                let store = engine.reader();
                for r in &readings {
                    store.readings_since(&r.symbol, now - 86_400_000).unwrap();
                }
                store.all_source_status().unwrap();
                drop(store);
                market.push(t.elapsed().as_secs_f64() * 1000.0);
                let t = Instant::now();
                engine.reader().latest_headlines(None, 100).unwrap();
                list.push(t.elapsed().as_secs_f64() * 1000.0);
                std::thread::sleep(Duration::from_millis(5));
            }
            (market, list)
        })
    };
    let cycles = rt.block_on(async {
        let started = Instant::now();
        let mut cycles = 0;
        while started.elapsed() < Duration::from_secs(15) {
            site.advance(120.0); // the market moves and two headlines appear: real writes
            month::full_cycle_lists(&engine).await;
            let _ = engine.prefetch_articles(true).await;
            cycles += 1;
        }
        cycles
    });
    writing.store(false, Ordering::Relaxed);
    let (market, list) = reader.join().unwrap();
    let describe = |name: &str, mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        let p = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
        println!(
            "  {name}: {} calls, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            v.len(),
            p(0.5),
            p(0.99),
            v[v.len() - 1]
        );
    };
    println!("command reads while {cycles} full refresh cycles wrote to a 30-day cache (15 s):");
    describe("market (readings + today's sparklines + sources)", market);
    describe("headlines (newest 100)", list);
}

fn deep_pages() {
    let url = pantau_engine::parse::page_url("https://internasional.kontan.co.id/news/x").unwrap();
    let normal = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/kontan/article-korea-utara.html"),
    )
    .unwrap();
    let deep = kontan_fixture::pages::deep_article(100_000);
    let time = |html: &str| {
        median(
            (0..20)
                .map(|_| {
                    let t = Instant::now();
                    let _ = std::hint::black_box(pantau_engine::parse::parse_article(html, &url));
                    t.elapsed().as_secs_f64() * 1000.0
                })
                .collect(),
        )
    };
    let (n, d) = (time(&normal), time(&deep));
    println!(
        "article parse: normal page ({} KiB) {n:.2} ms; 100,000 nested elements ({} KiB) refused in {d:.2} ms = {:.2}x",
        normal.len() / 1024,
        deep.len() / 1024,
        d / n
    );
}

fn many_links() {
    let url = pantau_engine::parse::page_url("https://www.kontan.co.id/").unwrap();
    for (links, together) in [(200_000, true), (150_000, false)] {
        let page = kontan_fixture::pages::many_links(links, together);
        let t = Instant::now();
        let n = pantau_engine::parse::parse_headlines(&page, &url).map_or(0, |l| l.len());
        println!(
            "headline list: {links} links {} ({:.1} MB) read in {:.2} s ({n} headlines)",
            if together {
                "in one element"
            } else {
                "each in its own item"
            },
            page.len() as f64 / 1e6,
            t.elapsed().as_secs_f64()
        );
    }
}
