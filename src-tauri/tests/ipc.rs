//! The commands over real IPC on Tauri's mock runtime, against a real SQLite cache.
#![allow(clippy::unwrap_used)] // test helpers: a failure here is a failed test

use pantau_engine::model::{Article, Headline, Indicator, RelatedLink};
use pantau_engine::sources::ReadingSource;
use pantau_engine::store::Store;
use pantau_engine::Origin;
use pantau_lib::{run_app, AppOptions};
use serde_json::{json, Value};
use tauri::test::{
    get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY,
};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

struct App {
    _dir: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
}

fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cache.sqlite");
    seed(&db);
    let options = AppOptions {
        db_path: db,
        origin: Origin::parse("http://127.0.0.1:9").unwrap(), // nothing listens: offline
        start_loop: false,
        tray: false,
        hidden: true,
    };
    let app = run_app(mock_builder(), options)
        .unwrap()
        .build(mock_context(noop_assets()))
        .unwrap();
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    App {
        _dir: dir,
        _app: app,
        webview,
    }
}

fn seed(db: &std::path::Path) {
    let mut store = Store::open(db).unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    let bar = [
        ("EMAS", 1_965_000.0, -1000.0, -0.05),
        ("USD/IDR", 16_689.0, 79.0, 0.47),
        ("IDX", 6_778.0, 28.63, 0.42),
    ];
    let readings: Vec<Indicator> = bar
        .iter()
        .map(|(s, v, c, p)| Indicator {
            symbol: s.to_string(),
            value: *v,
            change: *c,
            change_pct: *p,
        })
        .collect();
    store
        .record_readings(&readings, ReadingSource::Kontan, now - 60_000)
        .unwrap();
    store
        .record_readings(
            &[Indicator {
                symbol: "USD/IDR".into(),
                value: 16_700.0,
                change: 90.0,
                change_pct: 0.54,
            }],
            ReadingSource::Kontan,
            now,
        )
        .unwrap();
    let headline = |url: &str, title: &str, channel: &str| Headline {
        title: title.into(),
        url: url.into(),
        published_at: None,
        channel: Some(channel.into()),
        image_url: None,
    };
    store
        .upsert_headlines(
            &[
                headline(
                    "https://keuangan.kontan.co.id/news/rupiah-melemah",
                    "Rupiah Melemah Sore Ini",
                    "Keuangan",
                ),
                headline(
                    "https://investasi.kontan.co.id/news/ihsg-naik",
                    "IHSG Naik Tipis",
                    "Saham",
                ),
            ],
            "kontan:home",
            now,
        )
        .unwrap();
    store
        .put_article(
            &Article {
                url: "https://keuangan.kontan.co.id/news/rupiah-melemah".into(),
                title: "Rupiah Melemah Sore Ini".into(),
                published_at: None,
                reporter: Some("Ana".into()),
                editor: Some("Budi".into()),
                source: None,
                image_url: None,
                image_caption: None,
                paragraphs: vec![
                    "KONTAN.CO.ID - JAKARTA. Rupiah ditutup melemah terhadap dolar.".into(),
                    "Analis menyebut Jisdor.".into(),
                ],
                related: vec![RelatedLink {
                    title: "IHSG Naik Tipis".into(),
                    url: "https://investasi.kontan.co.id/news/ihsg-naik".into(),
                }],
                next_page_url: None,
            },
            "https://keuangan.kontan.co.id/news/rupiah-melemah",
            now,
        )
        .unwrap();
}

fn invoke(app: &App, cmd: &str, args: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: tauri::ipc::InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(&app.webview, request).map(|b| b.deserialize::<Value>().unwrap())
}

#[test]
fn market_reads_the_cache_with_sparklines() {
    let app = app();
    let m = invoke(&app, "market", json!({})).unwrap();
    let readings = m["readings"].as_array().unwrap();
    let symbols: Vec<&str> = readings
        .iter()
        .map(|r| r["symbol"].as_str().unwrap())
        .collect();
    assert_eq!(symbols, vec!["EMAS", "USD/IDR", "IDX"], "bar order");
    assert_eq!(readings[1]["value"], 16700.0);
    assert_eq!(readings[1]["source"], "kontan");
    assert_eq!(m["sparklines"]["USD/IDR"], json!([16689.0, 16700.0]));
}

#[test]
fn headlines_filter_and_reader_from_the_cache_offline() {
    let app = app();
    let all = invoke(&app, "headlines", json!({})).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 2);
    let saham = invoke(&app, "headlines", json!({ "channel": "Saham" })).unwrap();
    assert_eq!(saham[0]["title"], "IHSG Naik Tipis");
    let a = invoke(
        &app,
        "article",
        json!({ "url": "https://keuangan.kontan.co.id/news/rupiah-melemah" }),
    )
    .unwrap();
    assert_eq!(a["title"], "Rupiah Melemah Sore Ini");
    assert_eq!(a["paragraphs"].as_array().unwrap().len(), 2);
    assert_eq!(
        a["related"][0]["url"],
        "https://investasi.kontan.co.id/news/ihsg-naik"
    );
    let after = invoke(&app, "headlines", json!({})).unwrap();
    let read = after
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["url"] == "https://keuangan.kontan.co.id/news/rupiah-melemah")
        .unwrap();
    assert_eq!(read["read"], true, "opening an article marks it read");
    assert!(invoke(
        &app,
        "mark_read",
        json!({ "url": "https://keuangan.kontan.co.id/news/rupiah-melemah", "read": false })
    )
    .unwrap()
    .as_bool()
    .unwrap());
}

#[test]
fn errors_are_kind_and_message() {
    let app = app();
    let e = invoke(
        &app,
        "article",
        json!({ "url": "https://investasi.kontan.co.id/news/ihsg-naik" }),
    )
    .unwrap_err();
    assert_eq!(e["kind"], "network", "{e}");
    assert!(e["message"].as_str().unwrap().contains("cannot connect"));
    let e = invoke(
        &app,
        "open_external",
        json!({ "url": "javascript:alert(1)" }),
    )
    .unwrap_err();
    assert_eq!(e["kind"], "refused_link");
}

#[test]
fn search_finds_article_text() {
    let app = app();
    let hits = invoke(&app, "search", json!({ "query": "jisdor" })).unwrap();
    assert_eq!(
        hits[0]["url"],
        "https://keuangan.kontan.co.id/news/rupiah-melemah"
    );
}

#[test]
fn settings_persist_and_are_sanitized() {
    let app = app();
    let mut s = invoke(&app, "get_settings", json!({})).unwrap();
    assert_eq!(s["app"]["language"], "id");
    assert_eq!(
        s["alerts"]["symbols"]["USD/IDR"]["day_move"]["step_pct"],
        0.5
    );
    s["app"]["language"] = json!("en");
    s["app"]["watchlist"] = json!(["IDX", " ", "USD/IDR"]);
    s["app"]["channels"] = json!(["Keuangan", "bad/../channel", "investasi"]);
    s["alerts"]["symbols"]["USD/IDR"]["levels"] = json!([17000.0]);
    let saved = invoke(&app, "set_settings", json!({ "settings": s })).unwrap();
    assert_eq!(saved["app"]["watchlist"], json!(["IDX", "USD/IDR"]));
    assert_eq!(saved["app"]["channels"], json!(["keuangan", "investasi"]));
    let again = invoke(&app, "get_settings", json!({})).unwrap();
    assert_eq!(again["app"]["language"], "en");
    assert_eq!(
        again["alerts"]["symbols"]["USD/IDR"]["levels"],
        json!([17000.0])
    );
}

#[test]
fn inbox_starts_empty_and_snooze_needs_the_loop() {
    let app = app();
    assert_eq!(invoke(&app, "alerts_inbox", json!({})).unwrap(), json!([]));
    assert_eq!(
        invoke(&app, "snooze_alerts", json!({ "minutes": 60 })).unwrap(),
        json!(false)
    );
    assert_eq!(
        invoke(&app, "refresh_now", json!({})).unwrap(),
        json!(false)
    );
}

#[test]
fn meta_tells_the_ui_what_rust_knows() {
    let app = app();
    let m = invoke(&app, "meta", json!({})).unwrap();
    assert_eq!(m["events"]["engine"], pantau_lib::events::ENGINE_EVENT);
    assert_eq!(m["events"]["navigate"], pantau_lib::window::NAVIGATE_EVENT);
    assert_eq!(m["sources"]["bar"], "kontan:bar");
    assert_eq!(m["sources"]["kontan_readings"], "kontan");
    assert_eq!(m["strings"]["id"]["tray.open"], "Buka Pantau");
    assert_eq!(m["strings"]["en"]["age.now"], "just now");
    assert_eq!(m["intervals"]["bar_secs"], json!([30.0, 3600.0]));
    assert_eq!(m["intervals"]["list_secs"], json!([60.0, 21600.0]));
    assert_eq!(m["default_rules"]["day_move"]["step_pct"], 0.5);
    assert_eq!(m["default_rules"]["fast_move"]["window_minutes"], 60);
    assert_eq!(m["default_rules"]["rearm_pct"], 0.1);
    assert_eq!(m["ages"]["hours_from_minutes"], 60);
    assert_eq!(m["ages"]["days_from_hours"], 48);
    assert_eq!(m["numbers"]["whole_change_from"], 100.0);
    assert_eq!(m["symbols"].as_array().unwrap().len(), 11);
    assert!(m["channels"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "keuangan"));
    let kinds: Vec<&str> = m["layout_error_kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    for e in [
        pantau_engine::Error::NoIndicatorBar,
        pantau_engine::Error::NoHeadlines,
        pantau_engine::Error::MissingPart("body"),
    ] {
        assert!(kinds.contains(&e.kind()), "{}", e.kind());
    }
    assert!(!kinds.contains(&pantau_engine::Error::Timeout(5).kind()));
}

#[test]
fn the_identifier_and_version_are_written_once() {
    // Windows attributes notifications to the engine's APP_ID: it must be the bundle identifier.
    let config: Value = serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap();
    assert_eq!(config["identifier"], pantau_engine::APP_ID);
    assert!(
        config.get("version").is_none(),
        "the version lives in the workspace manifest only"
    );
    let app = app();
    let m = invoke(&app, "meta", json!({})).unwrap();
    assert_eq!(m["about"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["about"]["license"], "MIT OR Apache-2.0");
    assert!(m["about"]["fallback"].as_str().unwrap().contains("yahoo"));
    assert_eq!(m["events"]["shown"], pantau_lib::window::SHOWN_EVENT);
}

#[test]
fn a_build_without_a_release_address_has_updates_off_and_says_so() {
    // The test build is made without PANTAU_UPDATE_URL, as `./scripts/run` and a plain
    // `./scripts/package` are: nothing is asked, and About says why.
    assert!(option_env!("PANTAU_UPDATE_URL").is_none_or(|u| u.trim().is_empty()));
    let app = app();
    let status = invoke(&app, "update_status", json!({})).unwrap();
    assert_eq!(status["enabled"], false);
    assert_eq!(status["automatic"], true);
    assert_eq!(status["newer"], Value::Null);
    assert_eq!(status["last_check"], Value::Null);
    assert_eq!(
        invoke(&app, "check_updates_now", json!({})).unwrap(),
        json!(false)
    );
    let m = invoke(&app, "meta", json!({})).unwrap();
    assert_eq!(m["events"]["update"], pantau_lib::updates::UPDATE_EVENT);
    assert!(m["strings"]["id"]["update.off"]
        .as_str()
        .unwrap()
        .starts_with("Pembaruan mati"));
}

#[test]
fn the_tray_icon_is_never_said_hidden_where_no_overflow_hides_it() {
    // Linux keeps no taskbar overflow: the popup's banner stays away, and the button (were it
    // shown) changes nothing and says the icon is on show. Windows 11's case runs under Wine
    // (tests/e2e/test_windows.py) against stand-in NotifyIconSettings entries.
    let app = app();
    let status = invoke(&app, "taskbar_status", json!({})).unwrap();
    assert_eq!(status, json!({ "in_overflow": false }));
    assert_eq!(
        invoke(&app, "show_on_taskbar", json!({})).unwrap(),
        json!(true)
    );
    let m = invoke(&app, "meta", json!({})).unwrap();
    assert_eq!(m["events"]["taskbar"], pantau_lib::taskbar::TASKBAR_EVENT);
    assert!(m["strings"]["id"]["taskbar.where"]
        .as_str()
        .unwrap()
        .contains("Bilah tugas"));
}
