//! Fetch/cache figures against the fixture kontan site; prints numbers, asserts nothing.
//!
//! Run: `cargo bench -p pantau-engine --bench cycle`
#![allow(clippy::unwrap_used)] // measurements: a failure here is a failed measurement

use kontan_fixture::{FixtureSite, SiteConfig};
use pantau_engine::store::Store;
use pantau_engine::Engine;
use pantau_engine::{EngineConfig, Origin};
use std::time::{Duration, Instant};

#[path = "month.rs"]
mod month;
use month::{full_cycle_lists, simulate_days};

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks for a list; there is nothing to list.
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let site = FixtureSite::spawn(SiteConfig::from_repo(), 0).unwrap();
    let mut config = EngineConfig::new(
        dir.path().join("cycle.sqlite"),
        Origin::parse(&site.origin()).unwrap(),
    );
    config.fetch.timeout = Duration::from_secs(15);
    let engine = Engine::open(config.clone()).unwrap();

    // A full cycle: homepage + 5 channels + RSS + 20 articles, robots.txt included.
    let t = Instant::now();
    let articles: Vec<String> = rt.block_on(async {
        full_cycle_lists(&engine).await;
        let urls: Vec<String> = engine
            .store()
            .latest_headlines(None, 100)
            .unwrap()
            .into_iter()
            .map(|h| h.headline.url)
            .take(20)
            .collect();
        for url in &urls {
            engine.article(url, true).await.unwrap();
        }
        urls
    });
    let full_ms = t.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(articles.len(), 20);
    let full = site.requests();
    let full_bytes: usize = full.iter().map(|r| r.bytes).sum();
    let full_requests = full.len();

    // The same cycle again, with nothing changed on the site: every answer is a 304.
    let before = site.requests().len();
    let t = Instant::now();
    rt.block_on(async {
        full_cycle_lists(&engine).await;
        for url in &articles {
            engine.article(url, true).await.unwrap();
        }
    });
    let idle_ms = t.elapsed().as_secs_f64() * 1000.0;
    let idle: Vec<_> = site.requests()[before..].to_vec();
    let idle_bytes: usize = idle.iter().map(|r| r.bytes).sum();
    let not_modified = idle.iter().filter(|r| r.status == 304).count();

    println!("full cycle (home + 5 channels + RSS + 20 articles, incl. robots.txt): {full_requests} requests, {full_bytes} bytes, {full_ms:.1} ms");
    println!(
        "no-change cycle: {} requests ({not_modified} answered 304), {idle_bytes} bytes = {:.2}% of the full cycle, {idle_ms:.1} ms",
        idle.len(),
        idle_bytes as f64 * 100.0 / full_bytes as f64
    );
    let t = Instant::now();
    rt.block_on(full_cycle_lists(&engine));
    println!(
        "list pass alone (home + 5 channels + RSS, conditional): {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );

    let (open, closed) =
        EngineConfig::new(dir.path().join("x.sqlite"), Origin::live()).requests_per_hour();
    println!("requests to kontan per hour at default settings: {open:.0} while the market is open, {closed:.0} while closed");
    let week = (open * 7.0 * 5.0 + closed * (168.0 - 35.0)) / 168.0;
    println!("  averaged over a week (35 trading hours): {week:.0} per hour");

    // Thirty simulated days at default rates, then the start-up read.
    let path = dir.path().join("month.sqlite");
    let size = simulate_days(&path, 30);
    println!(
        "cache after 30 simulated days (retention applied, compacted): {:.1} MiB",
        size as f64 / 1048576.0
    );
    let path60 = dir.path().join("two-months.sqlite");
    let size60 = simulate_days(&path60, 60);
    println!(
        "cache after 60 simulated days: {:.1} MiB (bounded by retention)",
        size60 as f64 / 1048576.0
    );
    let mut samples = Vec::new();
    for _ in 0..30 {
        let t = Instant::now();
        let store = Store::open(&path).unwrap();
        let headlines = store.latest_headlines(None, 200).unwrap();
        let latest = store.latest_readings().unwrap();
        let mut today = 0;
        for r in &latest {
            today += store
                .readings_since(&r.reading.symbol, r.first_seen - 86_400_000)
                .unwrap()
                .len();
        }
        assert_eq!(headlines.len(), 200);
        assert!(today > 0);
        samples.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    samples.sort_by(f64::total_cmp);
    println!(
        "start-up cache read (open + 200 headlines + today's readings of 11 symbols): median {:.2} ms, max {:.2} ms",
        samples[samples.len() / 2],
        samples[samples.len() - 1]
    );
}
