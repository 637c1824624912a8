//! End to end: the fixture site's USD/IDR jumps, `pantau-cli watch --notify` raises an alert,
//! and a real notification server on a private D-Bus receives exactly one notification.
//! (The freedesktop notification server is a D-Bus service: these run where D-Bus is the way.)
#![cfg(all(unix, not(target_os = "macos")))]
#![allow(clippy::unwrap_used)] // test helpers: a failure here is a failed test

mod common;

use kontan_fixture::notifications::RecorderThread;
use kontan_fixture::{FixtureSite, SiteConfig};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A private session bus with no service directories (the same file the end-to-end suite uses).
const BUS_CONFIG: &str = include_str!("../../../tests/fixtures/dbus-session.conf");

/// A private session bus with no service files, so nothing is auto-started on it.
struct Bus {
    daemon: Child,
    address: String,
}

impl Bus {
    fn start(dir: &Path) -> Bus {
        let config = dir.join("bus.conf");
        std::fs::write(&config, BUS_CONFIG).unwrap();
        let mut daemon = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon is installed (scripts/test installs the dbus package)");
        let mut line = String::new();
        BufReader::new(daemon.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        Bus {
            daemon,
            address: line.trim().to_string(),
        }
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

/// `pantau-cli watch --json --notify`, its events arriving on a channel.
struct Watch {
    child: Child,
    events: mpsc::Receiver<Value>,
}

impl Watch {
    fn start(site: &FixtureSite, db: &Path, bus_address: &str) -> Watch {
        let mut child = common::cli()
            .args([
                "watch",
                "--json",
                "--notify",
                "--bar-interval",
                "0.3",
                "--list-interval",
                "60",
            ])
            .args(["--origin", &site.origin()])
            .env("PANTAU_DB", db)
            .env("XDG_CACHE_HOME", db.parent().unwrap().join("xdg-cache"))
            .env("PANTAU_MARKET_CALENDAR", "always-open")
            .env("DBUS_SESSION_BUS_ADDRESS", bus_address)
            .env_remove("PANTAU_KONTAN_ORIGIN")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, events) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(v) = serde_json::from_str::<Value>(&line) {
                    if tx.send(v).is_err() {
                        break;
                    }
                }
            }
        });
        Watch { child, events }
    }

    /// Waits for an event matching `pred`, up to `limit`.
    fn wait_for(&self, limit: Duration, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        let deadline = Instant::now() + limit;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.events.recv_timeout(left) {
                Ok(v) if pred(&v) => return Some(v),
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
        None
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A private bus with the test notification server, the fixture site and a cache path.
struct Setting {
    dir: tempfile::TempDir,
    bus: Bus,
    _recorder: RecorderThread,
    recorded: std::path::PathBuf,
    site: FixtureSite,
    db: std::path::PathBuf,
}

impl Setting {
    fn new() -> Setting {
        let dir = tempfile::tempdir().unwrap();
        let bus = Bus::start(dir.path());
        let recorded = dir.path().join("notifications.jsonl");
        let _recorder = RecorderThread::start(&bus.address, &recorded).unwrap();
        let site = FixtureSite::spawn(SiteConfig::from_repo(), 0).unwrap();
        let db = dir.path().join("cache.sqlite");
        Setting {
            dir,
            bus,
            _recorder,
            recorded,
            site,
            db,
        }
    }

    /// Every notification the server received.
    fn notifications(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.recorded)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

fn is_indicators(v: &Value) -> bool {
    v["event"] == "indicators_updated"
}

fn inbox(db: &Path) -> Vec<(String, bool)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut s = conn
        .prepare("SELECT title, shown FROM alerts ORDER BY id")
        .unwrap();
    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_rupiah_jump_reaches_the_notification_server_exactly_once() {
    let setting = Setting::new();
    let (site, db) = (&setting.site, &setting.db);
    let watch = Watch::start(site, db, &setting.bus.address);

    assert!(
        watch
            .wait_for(Duration::from_secs(20), is_indicators)
            .is_some(),
        "first bar read"
    );
    site.advance(960.0); // USD/IDR 16.689 → 16.790: +1,08% on the day, +0,6% in minutes
    let alert = watch.wait_for(Duration::from_secs(20), |v| {
        v["event"] == "alert" && v["alert"]["shown"] == true
    });
    let alert = alert.expect("an alert event");
    assert_eq!(
        alert["alert"]["title"],
        "Rupiah melemah 1,08% ke Rp 16.790 per dolar AS"
    );
    // Several more refreshes of the same bar: repeats, never new notifications.
    for _ in 0..4 {
        assert!(watch
            .wait_for(Duration::from_secs(10), is_indicators)
            .is_some());
    }
    std::thread::sleep(Duration::from_millis(500));
    let lines = setting.notifications();
    assert_eq!(lines.len(), 1, "exactly one notification: {lines:#?}");
    assert_eq!(
        lines[0]["summary"],
        "Rupiah melemah 1,08% ke Rp 16.790 per dolar AS"
    );
    assert_eq!(
        lines[0]["body"].as_str().unwrap().split(" · ").next(),
        Some("USD/IDR naik 180,00 sejak penutupan sebelumnya")
    );
    assert_eq!(lines[0]["app_name"], "Pantau");
    // The icon is a file, by its absolute path: it shows for a build that is not installed.
    let icon = Path::new(lines[0]["app_icon"].as_str().unwrap());
    assert!(icon.is_absolute(), "{icon:?}");
    assert!(
        std::fs::read(icon).unwrap().starts_with(b"\x89PNG"),
        "{icon:?}"
    );
    let inbox = inbox(db);
    assert!(inbox
        .iter()
        .any(|(t, shown)| t.starts_with("Rupiah melemah 1,08%") && *shown));
    assert!(
        inbox
            .iter()
            .any(|(t, shown)| t.starts_with("Rupiah melemah cepat") && !*shown),
        "the fast move waits in the inbox: {inbox:?}"
    );
}

#[test]
fn without_a_notification_server_the_alert_still_reaches_the_inbox_and_nothing_hangs() {
    let dir = tempfile::tempdir().unwrap();
    let site = FixtureSite::spawn(SiteConfig::from_repo(), 0).unwrap();
    let db = dir.path().join("cache.sqlite");
    let no_bus = format!("unix:path={}", dir.path().join("no-such-bus").display());
    let watch = Watch::start(&site, &db, &no_bus);
    assert!(watch
        .wait_for(Duration::from_secs(20), is_indicators)
        .is_some());
    site.advance(960.0);
    assert!(watch
        .wait_for(Duration::from_secs(20), |v| v["event"] == "alert")
        .is_some());
    site.advance(60.0);
    let after = watch.wait_for(Duration::from_secs(10), |v| {
        is_indicators(v)
            && v["changed"]
                .as_array()
                .is_some_and(|c| c.iter().any(|s| s == "USD/IDR"))
    });
    assert!(
        after.is_some(),
        "the loop carries on after a failed delivery"
    );
    assert!(inbox(&db)
        .iter()
        .any(|(t, shown)| t == "Rupiah melemah 1,08% ke Rp 16.790 per dolar AS" && *shown));
}

#[test]
fn a_bigger_move_replaces_the_notification_on_screen() {
    use pantau_engine::alerts::{config::Language, Alert, Direction, Rule};
    use pantau_engine::notify::Notifier;
    let dir = tempfile::tempdir().unwrap();
    let bus = Bus::start(dir.path());
    let recorded = dir.path().join("notifications.jsonl");
    let _recorder = RecorderThread::start(&bus.address, &recorded).unwrap();
    // This test process talks to the private bus (the other tests here run children).
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &bus.address);
    std::env::set_var("XDG_CACHE_HOME", dir.path().join("xdg-cache"));
    let at = chrono::DateTime::parse_from_rfc3339("2026-03-19T10:01:00+07:00").unwrap();
    let alert = |tier: f64, title: &str, replaces: bool| Alert {
        at,
        symbol: "USD/IDR".into(),
        rule: Rule::DayMove,
        direction: Direction::Up,
        tier: Some(tier),
        value: 16_800.0,
        change_pct: tier,
        title: title.into(),
        body: String::new(),
        shown: true,
        replaces,
        words: Vec::new(),
        urls: Vec::new(),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let n = Notifier::new(Language::Id);
    rt.block_on(n.deliver(&alert(0.5, "Rupiah melemah 0,51%", false), None))
        .unwrap();
    rt.block_on(n.deliver(&alert(1.0, "Rupiah melemah 1,13%", true), None))
        .unwrap();
    let lines: Vec<Value> = std::fs::read_to_string(&recorded)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert_eq!(lines[0]["replaces_id"], 0);
    assert_eq!(
        lines[1]["replaces_id"], lines[0]["id"],
        "the same notification, updated"
    );
    assert_eq!(lines[1]["summary"], "Rupiah melemah 1,13%");
}

#[test]
fn a_headline_reaches_the_notification_server_as_text_never_as_markup() {
    let setting = Setting::new();
    let (site, db) = (&setting.site, &setting.db);
    let added = common::cli()
        .args([
            "--db",
            db.to_str().unwrap(),
            "alerts",
            "words",
            "add",
            "S&P 500",
        ])
        .output()
        .unwrap();
    assert!(added.status.success());
    let watch = Watch::start(site, db, &setting.bus.address);
    assert!(watch
        .wait_for(Duration::from_secs(20), is_indicators)
        .is_some());
    let title = r#"S&P 500 <a href="https://contoh.test/">naik</a> di Wall Street <b>3%</b>"#;
    site.publish(title, 0);
    let alert = watch.wait_for(Duration::from_secs(30), |v| {
        v["event"] == "alert" && v["alert"]["rule"] == "word"
    });
    assert_eq!(alert.expect("a word alert")["alert"]["body"], title);
    std::thread::sleep(Duration::from_millis(500));
    let lines = setting.notifications();
    let [note] = &lines[..] else {
        panic!("one notification: {lines:#?}");
    };
    assert_eq!(note["summary"], "Berita: S&P 500");
    assert_eq!(
        note["body"],
        "S&amp;P 500 &lt;a href=\"https://contoh.test/\"&gt;naik&lt;/a&gt; di Wall Street &lt;b&gt;3%&lt;/b&gt;",
        "every character shown as written, no link, no bold"
    );
    // The icon's copy in the user's cache folder is theirs alone.
    use std::os::unix::fs::PermissionsExt;
    let icon = Path::new(note["app_icon"].as_str().unwrap());
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert!(icon.starts_with(setting.dir.path()), "{icon:?}");
    assert_eq!(mode(icon), 0o600, "{icon:?}");
    assert_eq!(mode(icon.parent().unwrap()), 0o700, "{icon:?}");
}
