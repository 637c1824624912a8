//! Shared by the benchmarks: a cache as a month of default use leaves it, and one pass over
//! every list source.
#![allow(clippy::unwrap_used)] // measurements: a failure here is a failed measurement

use pantau_engine::engine::Patience;
use pantau_engine::model::{Article, Headline, Indicator};
use pantau_engine::store::{Retention, Store};
use pantau_engine::Engine;

/// Fills a cache as `days` of default use would: the bar every minute in trading hours
/// (values moving), ~300 headlines and 100 read articles a day; retention runs daily.
pub fn simulate_days(path: &std::path::Path, days: i64) -> u64 {
    let _ = std::fs::remove_file(path);
    let mut store = Store::open(path).unwrap();
    let article_text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/kontan/article-korea-utara.html"),
    )
    .unwrap();
    let template = pantau_engine::parse::parse_article(
        &article_text,
        &pantau_engine::parse::page_url("https://internasional.kontan.co.id/news/x").unwrap(),
    )
    .unwrap();
    let symbols = pantau_engine::parse::indicators::KNOWN_SYMBOLS;
    let start: i64 = 1_745_892_000_000; // 2025-04-29 09:00 WIB
    const DAY: i64 = 86_400_000;
    let mut n = 0u64;
    for day in 0..days {
        let day_start = start + day * DAY;
        for minute in 0..420 {
            let at = day_start + minute * 60_000;
            n += 1;
            let readings: Vec<Indicator> = symbols
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let wiggle = ((n * (i as u64 + 3)) % 17) as f64;
                    Indicator {
                        symbol: s.to_string(),
                        value: 1000.0 + wiggle,
                        change: wiggle - 8.0,
                        change_pct: (wiggle - 8.0) / 10.0,
                    }
                })
                .collect();
            store
                .record_readings(&readings, pantau_engine::sources::ReadingSource::Kontan, at)
                .unwrap();
        }
        let headlines: Vec<Headline> = (0..300)
            .map(|k| Headline {
                title: format!("Berita hari {day} nomor {k} tentang rupiah, IHSG dan emas"),
                url: format!("https://keuangan.kontan.co.id/news/berita-{day}-{k}"),
                published_at: None,
                channel: Some("Keuangan".into()),
                image_url: Some(format!("https://foto.kontan.co.id/{day}/{k}.jpg")),
            })
            .collect();
        store
            .upsert_headlines(&headlines, "kontan:home", day_start)
            .unwrap();
        for k in 0..100 {
            let a = Article {
                url: format!("https://keuangan.kontan.co.id/news/berita-{day}-{k}"),
                ..template.clone()
            };
            store.put_article(&a, &a.url, day_start + k).unwrap();
        }
        store
            .prune(day_start + DAY - 1, Retention::default())
            .unwrap();
    }
    store.compact().unwrap();
    std::fs::metadata(path).unwrap().len()
}

/// The homepage, the five default channels and the RSS feed, once, on the schedule's patience.
pub async fn full_cycle_lists(engine: &Engine) {
    engine.refresh_bar(Patience::Scheduled).await.unwrap();
    for c in pantau_engine::config::DEFAULT_CHANNELS {
        engine
            .refresh_channel(c, Patience::Scheduled)
            .await
            .unwrap();
    }
    engine
        .refresh_feed("investasi", Patience::Scheduled)
        .await
        .unwrap();
}
