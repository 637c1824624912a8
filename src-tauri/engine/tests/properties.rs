//! Property tests: number and date round trips, and no parser panics on any input.
#![allow(clippy::unwrap_used)] // test helpers: a failure here is a failed test

mod common;

use chrono::{Datelike, NaiveDate, Timelike};
use pantau_engine::parse::date::find_indonesian_datetime;
use pantau_engine::parse::number::{format_id, parse_number, parse_shown_number};
use pantau_engine::parse::{page_url, parse_article, parse_headlines, parse_indicators};
use proptest::prelude::*;

const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const DAYS: [&str; 7] = [
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn formatted_numbers_read_back(cents in -10_000_000_000i64..10_000_000_000i64, decimals in 0usize..=2) {
        let scale = 10f64.powi(decimals as i32);
        let value = (cents as f64 / 100.0 * scale).round() / scale;
        let text = format_id(value, decimals);
        let back = parse_number(&text).unwrap();
        prop_assert!((back - value).abs() < 1e-6, "{} -> {} -> {}", value, text, back);
        let pct = parse_shown_number(&format!("{text}%")).unwrap();
        prop_assert!(pct.percent);
        prop_assert_eq!(pct.decimals as usize, decimals);
    }

    #[test]
    fn number_parser_never_panics(s in "\\PC{0,24}") {
        let _ = parse_shown_number(&s);
    }

    #[test]
    fn number_like_text_never_panics(s in "[-+−▲▼(]{0,2}[0-9.,]{0,14}%?\\)?") {
        if let Some(v) = parse_number(&s) { prop_assert!(v.is_finite()); }
    }

    #[test]
    fn kontan_dates_read_back(days in 0i64..20_000, hour in 0u32..24, minute in 0u32..60, pad in any::<bool>()) {
        let date = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Duration::days(days);
        let day = if pad { format!("{:02}", date.day()) } else { date.day().to_string() };
        let hh = if pad { format!("{hour:02}") } else { hour.to_string() };
        let text = format!(
            "{}, {} {} {} / {}:{:02} WIB",
            DAYS[date.weekday().num_days_from_monday() as usize], day, MONTHS[date.month0() as usize], date.year(), hh, minute
        );
        let dt = find_indonesian_datetime(&text).unwrap();
        prop_assert_eq!(dt.date_naive(), date);
        prop_assert_eq!((dt.hour(), dt.minute()), (hour, minute));
        prop_assert_eq!(dt.offset().local_minus_utc(), 7 * 3600);
    }

    #[test]
    fn date_finder_never_panics(s in "\\PC{0,60}") {
        let _ = find_indonesian_datetime(&s);
    }

    #[test]
    fn parsers_never_panic_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes);
        let url = page_url("https://www.kontan.co.id/news/x").unwrap();
        let _ = parse_indicators(&text);
        let _ = parse_headlines(&text, &url);
        let _ = parse_article(&text, &url);
    }

    #[test]
    fn parsers_never_panic_on_tag_soup(parts in proptest::collection::vec(prop_oneof![
        Just("<p>".to_string()), Just("</p>".to_string()), Just("<div itemprop=articleBody>".to_string()),
        Just("<h1 class=detail-desk>".to_string()), Just("<a href='/news/x'>".to_string()), Just("</a>".to_string()),
        Just("<li>".to_string()), Just("USD/IDR".to_string()), Just("IDX".to_string()), Just("EMAS".to_string()),
        Just("Reporter: A | Editor: B".to_string()), Just("Baca Juga:".to_string()), Just("<?xml version='1.0'?><rss>".to_string()),
        Just("<item><link>".to_string()), Just("<script>".to_string()), Just("Selasa, 29 April 2025 / 08:20 WIB".to_string()),
        "[-+▲▼]?[0-9]{1,3}([.,][0-9]{1,3}){0,2}%?",
        "\\PC{0,8}",
    ], 0..80)) {
        let html = parts.join(" ");
        let url = page_url("https://www.kontan.co.id/news/x?page=2").unwrap();
        if let Ok(bar) = parse_indicators(&html) {
            prop_assert!(!bar.readings.is_empty());
            for r in bar.readings { prop_assert!(r.value > 0.0 && r.value.is_finite()); }
        }
        let _ = parse_headlines(&html, &url);
        if let Ok(a) = parse_article(&html, &url) {
            prop_assert!(!a.title.is_empty() && !a.paragraphs.is_empty());
        }
    }

}

proptest! {
    // Full-size pages are slow to parse in a debug build; fewer cases cover them.
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn mutilated_fixture_pages_never_panic(cut in 0usize..120_000, junk in "\\PC{0,40}") {
        for name in ["article-korea-utara.html", "home.html", "indeks.html", "investasi-rss.xml"] {
            let page = common::fixture(name);
            let at = (0..=cut.min(page.len())).rev().find(|i| page.is_char_boundary(*i)).unwrap_or(0);
            let body = format!("{}{}", &page[..at], junk);
            let url = page_url("https://www.kontan.co.id/").unwrap();
            let _ = parse_indicators(&body);
            let _ = parse_headlines(&body, &url);
            let _ = parse_article(&body, &url);
        }
    }
}

/// A page nesting `depth` copies of `tag` (with a paragraph at the bottom).
fn nested(depth: usize, tag: &str) -> String {
    format!(
        "<html><body><h1 class=detail-desk>Judul</h1><div itemprop=articleBody><p>Awal.</p>{}<p>Dasar.</p>{}</div></body></html>",
        format!("<{tag}>").repeat(depth),
        format!("</{tag}>").repeat(depth)
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any depth up to 200,000, in any of the tags that pile up, is read or refused: never a
    /// panic, never a stack overflow, and never more than one pass when refused.
    #[test]
    fn nesting_is_read_or_refused_never_a_crash(
        depth in prop_oneof![0usize..600, 600usize..200_000],
        tag in prop::sample::select(vec!["div", "span", "b", "section", "blockquote", "a", "font"]),
    ) {
        let page = nested(depth, tag);
        let url = page_url("https://www.kontan.co.id/news/x").unwrap();
        let depth_seen = pantau_engine::parse::depth::max_depth(&page, usize::MAX);
        match parse_article(&page, &url) {
            Err(pantau_engine::Error::TooDeep(cap)) => prop_assert!(depth_seen > cap),
            Ok(a) => {
                prop_assert!(depth_seen <= pantau_engine::parse::depth::MAX_NESTING);
                prop_assert!(a.paragraphs.iter().any(|p| p == "Awal."));
            }
            Err(e) => prop_assert!(false, "{depth} x {tag}: {e}"),
        }
        let _ = parse_headlines(&page, &url);
        let _ = parse_indicators(&page);
    }

    /// Feeds with entity declarations, however many and however nested, are refused at once.
    #[test]
    fn feeds_with_entities_are_refused(entities in 1usize..50, refs in 0usize..5_000) {
        let mut dtd = String::from("<!DOCTYPE rss [<!ENTITY e0 \"ha\">");
        for i in 1..entities {
            dtd.push_str(&format!("<!ENTITY e{i} \"&e{};&e{};\">", i - 1, i - 1));
        }
        dtd.push_str("]>");
        let body = format!(
            "<?xml version=\"1.0\"?>{dtd}<rss version=\"2.0\"><channel><item><title>{}</title><link>https://investasi.kontan.co.id/news/a</link></item></channel></rss>",
            format!("&e{};", entities - 1).repeat(refs)
        );
        let url = page_url("https://investasi.kontan.co.id/rss").unwrap();
        let e = parse_headlines(&body, &url).unwrap_err();
        prop_assert!(e.to_string().contains("DTD"), "{}", e);
    }
}
