//! Layout drift and hostile input: the parsers lean on stable signals, never on one tree.
#![allow(clippy::unwrap_used)] // test helpers: a failure here is a failed test

mod common;

use pantau_engine::parse::{page_url, parse_article, parse_headlines, parse_indicators};
use pantau_engine::Error;

fn url(s: &str) -> url::Url {
    page_url(s).unwrap()
}

#[test]
fn drifted_article_still_reads() {
    let html = common::fixture("variants/article-drift.html");
    let a = parse_article(
        &html,
        &url("https://investasi.kontan.co.id/news/ihsg-ditutup-menguat-asing-catat-net-buy"),
    )
    .unwrap();
    assert_eq!(
        a.title, "IHSG Ditutup Menguat, Asing Catat Net Buy",
        "og:title when h1.detail-desk is gone"
    );
    assert_eq!(
        a.published_at.unwrap().to_rfc3339(),
        "2025-05-07T16:05:00+07:00"
    );
    assert_eq!(
        a.reporter.as_deref(),
        Some("Dina Hutauruk"),
        "Penulis is the reporter"
    );
    assert_eq!(a.editor.as_deref(), Some("Herlina Kartika"));
    assert_eq!(a.source, None);
    assert_eq!(
        a.image_url.as_deref(),
        Some("https://foto.kontan.co.id/abc=/smart/2025/05/07/ihsg.jpg")
    );
    assert_eq!(
        a.image_caption.as_deref(),
        Some("Layar pergerakan IHSG di Bursa Efek Indonesia, Jakarta. KONTAN/Baihaki")
    );
    assert_eq!(
        a.paragraphs,
        vec![
            "KONTAN.CO.ID - JAKARTA. Indeks Harga Saham Gabungan (IHSG) ditutup menguat 0,61% ke 6.890,41 pada Rabu (7/5).",
            "Investor asing mencatatkan beli bersih & saham perbankan memimpin.",
            "Analis memperkirakan IHSG bergerak di rentang 6.850–6.950 besok.",
        ],
        "unclosed tags, ads, scripts, donation box and pager are not paragraphs"
    );
    let related: Vec<(&str, &str)> = a
        .related
        .iter()
        .map(|r| (r.title.as_str(), r.url.as_str()))
        .collect();
    assert_eq!(
        related,
        vec![
            (
                "Rupiah Menguat Tipis Sore Ini",
                "https://investasi.kontan.co.id/news/rupiah-menguat-tipis-sore-ini"
            ),
            (
                "Saham Bank Jumbo Diburu Asing",
                "https://investasi.kontan.co.id/news/saham-bank-jumbo-diburu-asing"
            ),
        ],
        "relative links resolved, tracking parameters dropped"
    );
    assert_eq!(
        a.next_page_url.as_deref(),
        Some("https://investasi.kontan.co.id/news/ihsg-ditutup-menguat-asing-catat-net-buy?page=2")
    );
}

#[test]
fn drifted_bar_markup_reads() {
    let bar = parse_indicators(&common::fixture("variants/article-drift.html")).unwrap();
    assert_eq!(bar.readings.len(), 2);
    let usd = &bar.readings[0];
    assert_eq!(
        (usd.symbol.as_str(), usd.value, usd.change, usd.change_pct),
        ("USD/IDR", 16512.0, -23.0, -0.14)
    );
    let idx = &bar.readings[1];
    assert_eq!(
        (idx.value, idx.change, idx.change_pct),
        (6890.41, 42.10, 0.61)
    );
}

#[test]
fn hostile_article_yields_only_text() {
    let html = common::fixture("variants/article-hostile.html");
    let a = parse_article(&html, &url("https://www.kontan.co.id/news/hostile")).unwrap();
    assert_eq!(
        a.title, "Judul <script>alert(1)</script>",
        "entity-written text stays text"
    );
    assert_eq!(a.reporter.as_deref(), Some("Ana"));
    assert_eq!(
        a.image_url.as_deref(),
        Some("https://foto.kontan.co.id/aman.jpg"),
        "javascript: is never an image"
    );
    assert_eq!(a.image_caption.as_deref(), Some("Caption aman"));
    assert_eq!(
        a.paragraphs,
        vec![
            "KONTAN.CO.ID - JAKARTA. Teks <script>window.__pwned=true</script> tetap teks.",
            "Klik di sini tidak boleh jadi tautan.",
            "Paragraf tebal biasa.",
        ]
    );
    assert!(
        a.related.is_empty(),
        "javascript: and foreign links are not related articles: {:?}",
        a.related
    );
    let all = serde_json::to_string(&a).unwrap();
    assert!(
        !all.contains("__pwned=true\""),
        "no event handler survives: {all}"
    );
    assert!(
        !all.contains("onerror") && !all.contains("onclick") && !all.contains("<svg"),
        "{all}"
    );
    assert!(!all.contains("javascript:"), "{all}");
}

#[test]
fn layout_change_is_a_typed_error() {
    let no_body = "<html><head><title>Judul - Kontan</title></head><body><h1 class='detail-desk'>Judul</h1><div class='x'>teks</div></body></html>";
    match parse_article(no_body, &url("https://www.kontan.co.id/news/x")) {
        Err(e @ Error::MissingPart("body")) => assert_eq!(e.kind(), "layout_changed"),
        other => panic!("expected missing body, got {other:?}"),
    }
    let no_title = "<html><body><div itemprop='articleBody'><p>teks</p></div></body></html>";
    assert!(matches!(
        parse_article(no_title, &url("https://www.kontan.co.id/news/x")),
        Err(Error::MissingPart("title"))
    ));
    let empty_body = "<html><body><h1 class='detail-desk'>J</h1><div itemprop='articleBody'><script>x</script></div></body></html>";
    assert!(matches!(
        parse_article(empty_body, &url("https://www.kontan.co.id/news/x")),
        Err(Error::MissingPart("body"))
    ));
}

#[test]
fn json_ld_and_title_fallbacks() {
    let html = r#"<html><head><title>Judul Dari Title - Kontan</title>
        <script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","headline":"Judul LD","datePublished":"2025-04-29T01:20:00Z"}]}</script>
        </head><body><div itemprop="articleBody"><p>Sumber: Bloomberg | Editor: X</p><p>Isi.</p></div></body></html>"#;
    let a = parse_article(
        html,
        &url("https://www.kontan.co.id/news/x?page=1&utm_source=y"),
    )
    .unwrap();
    assert_eq!(a.title, "Judul LD");
    assert_eq!(
        a.published_at.unwrap().to_rfc3339(),
        "2025-04-29T08:20:00+07:00"
    );
    assert_eq!(a.source.as_deref(), Some("Bloomberg"));
    assert_eq!(a.url, "https://www.kontan.co.id/news/x");
    let bare = r#"<html><head><title>Judul Dari Title - Kontan</title></head><body><div class="tmpt-desk-kon">Satu<br><br>Dua</div></body></html>"#;
    let a = parse_article(bare, &url("https://www.kontan.co.id/news/x")).unwrap();
    assert_eq!(a.title, "Judul Dari Title");
    assert_eq!(a.paragraphs, vec!["Satu Dua"]);
}

#[test]
fn headlines_survive_renamed_classes_and_relative_links() {
    let html = r#"<html><body><nav><a href="/news/menu-link">Menu</a></nav>
      <section class="berita-baru"><ul>
        <li><a href="/news/satu?source=x"><img data-lazy-src="//foto.kontan.co.id/1.jpg" src="data:,"></a>
            <h3><a href="/news/satu?source=x">Berita Satu</a></h3><span class="kanal">Keuangan</span> <time>Rabu, 7 Mei 2025 / 9:05 WIB</time></li>
        <li><h3><a href="https://www.kontan.co.id/tag/rupiah">tag</a></h3></li>
        <li><h3><a href="/news/dua#komentar">Berita Dua</a></h3><p>Investasi | Selasa, 6 Mei 2025 / 21:00 WIB</p></li>
        <li><h3><a href="/news/satu">Berita Satu lagi</a></h3></li>
      </ul></section></body></html>"#;
    let h = parse_headlines(html, &url("https://keuangan.kontan.co.id/")).unwrap();
    assert_eq!(h.len(), 2, "{h:?}");
    assert_eq!(h[0].url, "https://keuangan.kontan.co.id/news/satu");
    assert_eq!(h[0].title, "Berita Satu");
    assert_eq!(h[0].channel.as_deref(), Some("Keuangan"));
    assert_eq!(
        h[0].image_url.as_deref(),
        Some("https://foto.kontan.co.id/1.jpg")
    );
    assert_eq!(
        h[0].published_at.unwrap().to_rfc3339(),
        "2025-05-07T09:05:00+07:00"
    );
    assert_eq!(h[1].channel.as_deref(), Some("Investasi"));
    assert_eq!(h[1].url, "https://keuangan.kontan.co.id/news/dua");
}

#[test]
fn page_without_article_links_is_an_error() {
    let html = "<html><body><a href='https://www.kontan.co.id/tag/x'>x</a></body></html>";
    assert!(matches!(
        parse_headlines(html, &url("https://www.kontan.co.id/")),
        Err(Error::NoHeadlines)
    ));
}

#[test]
fn broken_feed_is_a_clear_error() {
    let xml = "<?xml version=\"1.0\"?><rss><channel><item><title>x</title>";
    assert!(matches!(
        parse_headlines(xml, &url("https://investasi.kontan.co.id/rss")),
        Err(Error::InvalidFeed(_))
    ));
}

#[test]
fn truncated_page_keeps_what_is_whole() {
    let html = common::fixture("article-korea-utara.html");
    let cut = &html[..html.find("Baca Juga").unwrap()];
    let a = parse_article(cut, &url("https://internasional.kontan.co.id/news/untuk-kali-pertama-korea-utara-akui-kirim-pasukan-ke-rusia")).unwrap();
    assert_eq!(a.paragraphs.len(), 5, "paragraphs before the cut");
    let bar = parse_indicators(cut).unwrap();
    assert_eq!(bar.readings.len(), 11);
}

#[test]
fn promo_lead_ins_go_whole_and_real_paragraphs_with_links_stay() {
    let html = common::fixture("variants/article-promo-lines.html");
    let a = parse_article(
        &html,
        &url("https://investasi.kontan.co.id/news/ihsg-dibuka-menguat-pagi-ini"),
    )
    .unwrap();
    assert_eq!(
        a.paragraphs,
        vec![
            "KONTAN.CO.ID - JAKARTA. Indeks Harga Saham Gabungan (IHSG) dibuka menguat pada perdagangan Rabu pagi.",
            "Menurut analis, penguatan ini ditopang saham perbankan, seperti dilaporkan Google News.",
            "Analis juga menyebut data inflasi yang dirilis pekan lalu mendukung pasar.",
        ],
        "no \"Cek Berita dan Artikel yang lain di\" or \"Ikuti kami di:\" fragments"
    );
}

#[test]
fn hostile_nesting_is_refused_and_shallow_pages_read() {
    let deep = format!(
        "<html><body><h1 class=detail-desk>T</h1><div itemprop=articleBody><p>a</p>{}<p>b</p>{}</div></body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let u = url("https://www.kontan.co.id/news/x");
    assert!(matches!(parse_article(&deep, &u), Err(Error::TooDeep(512))));
    assert!(matches!(parse_indicators(&deep), Err(Error::TooDeep(_))));
    assert!(matches!(parse_headlines(&deep, &u), Err(Error::TooDeep(_))));
    let shallow = deep.replace(&"<div>".repeat(100_000), &"<div>".repeat(400));
    let shallow = shallow.replace(&"</div>".repeat(100_000), &"</div>".repeat(400));
    let a = parse_article(&shallow, &u).unwrap();
    assert_eq!(a.paragraphs.last().map(String::as_str), Some("b"));
}

/// Characters that steer a terminal or reorder text: none may leave a parser.
fn steering(s: &str) -> Vec<char> {
    s.chars()
        .filter(|&c| {
            c.is_control()
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
        .collect()
}

#[test]
fn steering_characters_never_leave_the_headline_and_bar_parsers() {
    let html = common::fixture("variants/home-steering.html");
    let list = parse_headlines(&html, &url("https://www.kontan.co.id/")).unwrap();
    let titles: Vec<&str> = list.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(
        titles,
        vec![
            "Rupiah]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA== Dibuka Melemah",
            "]8;;https://evil.example/\\Harga Emas]8;;\\ Antam TurunNaik",
            "IHSG31m Berpotensi Menguat iseretsaM Terbatas",
        ],
        "OSC 52, OSC 8, backspaces, C1, DEL and bidi controls are gone; a tab is a space"
    );
    for h in &list {
        let json = serde_json::to_string(h).unwrap();
        assert_eq!(
            steering(&json.replace("\\u", "")),
            Vec::<char>::new(),
            "{json}"
        );
        assert!(!json.contains("\\u001b"), "{json}");
    }
    let bar = parse_indicators(&html).unwrap();
    let ihsg = bar.readings.iter().find(|r| r.symbol == "IHSG");
    let rejected = serde_json::to_string(&bar.rejected).unwrap();
    assert!(
        !rejected.contains("\\u001b") && !rejected.contains('\u{7}'),
        "{rejected}"
    );
    assert!(ihsg.is_none() || ihsg.unwrap().value > 0.0);
}

#[test]
fn steering_characters_never_leave_the_article_parser() {
    let esc = |s: &str| s.replace('«', "\u{1b}").replace('»', "\u{7}");
    let html = common::fixture("article-korea-utara.html")
        .replace("Untuk Kali Pertama", &esc("Untuk Kali«]0;owned» Pertama"))
        .replace("Barratut Taqiyyah", "Barratut\u{202e} Taqiyyah\u{85}")
        .replace(
            "KONTAN.CO.ID - SEOUL.",
            &esc("KONTAN.CO.ID - «]52;c;ZXZpbA==»SEOUL.\u{8}\u{8}"),
        )
        .replace(">Putin Umumkan", ">Putin\u{9b}2J Umumkan");
    let a = parse_article(
        &html,
        &url("https://internasional.kontan.co.id/news/untuk-kali-pertama-korea-utara-akui-kirim-pasukan-ke-rusia"),
    )
    .unwrap();
    assert!(
        a.title.starts_with("Untuk Kali]0;owned Pertama"),
        "{}",
        a.title
    );
    assert_eq!(a.editor.as_deref(), Some("Barratut Taqiyyah Rafie"));
    assert!(
        a.paragraphs[0].starts_with("KONTAN.CO.ID - ]52;c;ZXZpbA==SEOUL. Pada"),
        "{}",
        a.paragraphs[0]
    );
    assert!(a
        .related
        .iter()
        .any(|r| r.title.starts_with("Putin2J Umumkan")));
    let json = serde_json::to_string(&a).unwrap();
    assert_eq!(steering(&json), Vec::<char>::new(), "{json}");
    assert!(
        !json.contains("\\u00"),
        "no escaped control characters either: {json}"
    );
}

#[test]
fn related_links_keep_the_order_the_reader_meets_them() {
    let html = common::fixture("variants/article-related-order.html");
    let a = parse_article(
        &html,
        &url("https://keuangan.kontan.co.id/news/rupiah-menguat-tipis-di-akhir-pekan"),
    )
    .unwrap();
    let titles: Vec<&str> = a.related.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Cadangan Devisa Naik",
            "BI Tahan Suku Bunga",
            "IHSG Ditutup Menguat"
        ],
        "the one in a heading inside an unclosed promo paragraph stays in its place"
    );
    assert!(
        a.paragraphs
            .iter()
            .all(|p| !p.contains("Google News") && !p.contains("Baca Juga")),
        "{:?}",
        a.paragraphs
    );
}
