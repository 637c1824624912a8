//! Per fixture page: html5ever's parse alone, and Pantau's full extraction of that page.
//!
//! Run: `cargo bench -p pantau-engine --bench parse`
#![allow(missing_docs)] // criterion's macros make undocumented functions
#![allow(clippy::unwrap_used)] // measurements: a failure here is a failed measurement

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use pantau_engine::parse::{page_url, parse_headlines, Page};
use scraper::Html;
use std::hint::black_box;
use std::path::PathBuf;

/// (file, page URL, what a refresh reads from it)
const PAGES: &[(&str, &str, &str)] = &[
    ("article-korea-utara.html", "https://internasional.kontan.co.id/news/untuk-kali-pertama-korea-utara-akui-kirim-pasukan-ke-rusia", "article"),
    ("article-rupiah-all.html", "https://keuangan.kontan.co.id/news/rupiah-ditutup-melemah-ke-rp-16689-per-dolar-as-senin-28-april?page=all", "article"),
    ("home.html", "https://www.kontan.co.id/", "list"),
    ("channel-investasi.html", "https://investasi.kontan.co.id/", "list"),
    ("indeks.html", "https://www.kontan.co.id/search/indeks?tanggal=29&bulan=04&tahun=2025", "list"),
    ("investasi-rss.xml", "https://investasi.kontan.co.id/rss", "feed"),
];

fn fixture(name: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/kontan");
    std::fs::read_to_string(dir.join(name)).expect("fixture page")
}

fn bench_pages(c: &mut Criterion) {
    let mut group = c.benchmark_group("page");
    for &(name, url, kind) in PAGES {
        let body = fixture(name);
        let url = page_url(url).unwrap();
        group.throughput(Throughput::Bytes(body.len() as u64));
        if kind != "feed" {
            group.bench_with_input(
                BenchmarkId::new("html5ever_parse", name),
                &body,
                |b, body| b.iter(|| black_box(Html::parse_document(black_box(body)))),
            );
        }
        group.bench_with_input(
            BenchmarkId::new("full_extraction", name),
            &body,
            |b, body| {
                b.iter(|| match kind {
                    "article" => {
                        let page = Page::parse(black_box(body), url.clone()).unwrap();
                        black_box((page.article().unwrap(), page.indicators().unwrap()));
                    }
                    "list" => {
                        let page = Page::parse(black_box(body), url.clone()).unwrap();
                        black_box((page.headlines().unwrap(), page.indicators().unwrap()));
                    }
                    _ => {
                        black_box(parse_headlines(black_box(body), &url).unwrap());
                    }
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench_pages);
criterion_main!(benches);
