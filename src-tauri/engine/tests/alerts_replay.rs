//! Alert scenarios replayed through `pantau-cli alerts replay`, exactly as a user tunes them.
#![allow(clippy::unwrap_used)] // test helpers: a failure here is a failed test

mod common;

use chrono::{DateTime, Duration, FixedOffset, TimeZone};
use pantau_engine::alerts::config::AlertConfig;
use pantau_engine::alerts::{replay, AlertEngine, AlertState};
use pantau_engine::market::MarketCalendar;
use serde_json::Value;
use std::fmt::Write as _;

const PREV_CLOSE: f64 = 16610.0;

fn wib(day: u32, h: u32, m: u32) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(7 * 3600)
        .unwrap()
        .with_ymd_and_hms(2025, 4, day, h, m, 0)
        .unwrap()
}

/// A CSV row for USD/IDR at `pct` percent from the previous close.
fn row(csv: &mut String, at: DateTime<FixedOffset>, pct: f64, prev: f64) {
    let value = (prev * (1.0 + pct / 100.0)).round();
    let change = value - prev;
    let shown_pct = (change / prev * 10000.0).round() / 100.0;
    writeln!(
        csv,
        "{},USD/IDR,{value},{change:.2},{shown_pct:.2}",
        at.to_rfc3339()
    )
    .unwrap();
}

/// USD/IDR climbing from 0 to 1.6 % over 400 minutes from 09:10.
fn slow_climb() -> String {
    let mut csv = String::new();
    for step in 0..=400 {
        row(
            &mut csv,
            wib(29, 9, 10) + Duration::minutes(step),
            1.6 * step as f64 / 400.0,
            PREV_CLOSE,
        );
    }
    csv
}

fn replay_cli(csv: &str, extra: &[&str]) -> Vec<Value> {
    let csv = format!("observed_at,symbol,value,change,change_pct\n{csv}");
    common::replay_lines("replay", &csv, extra)
}

fn rules(alerts: &[Value]) -> Vec<String> {
    alerts
        .iter()
        .map(|a| {
            format!(
                "{}:{}:{}",
                a["rule"].as_str().unwrap(),
                a["direction"].as_str().unwrap(),
                a["tier"]
            )
        })
        .collect()
}

#[test]
fn flapping_around_half_a_percent_for_two_hours_gives_one() {
    let mut csv = String::new();
    let pcts = [0.48, 0.51, 0.49, 0.52, 0.50, 0.47, 0.53];
    for minute in 0..120 {
        row(
            &mut csv,
            wib(29, 9, 0) + Duration::minutes(minute),
            pcts[minute as usize % pcts.len()],
            PREV_CLOSE,
        );
    }
    let alerts = replay_cli(&csv, &[]);
    assert_eq!(rules(&alerts), vec!["day_move:up:0.5"], "{alerts:#?}");
}

#[test]
fn slow_climb_through_three_tiers_gives_three() {
    let csv = slow_climb();
    let alerts = replay_cli(&csv, &[]);
    assert_eq!(
        rules(&alerts),
        vec!["day_move:up:0.5", "day_move:up:1.0", "day_move:up:1.5"]
    );
    assert!(alerts
        .iter()
        .all(|a| a["title"].as_str().unwrap().starts_with("Rupiah melemah")));
}

#[test]
fn a_reversal_is_a_new_direction() {
    let mut csv = String::new();
    for step in 0..=300 {
        // +0,55% in the morning, drifting to -0,55% by the afternoon
        let pct = 0.55 - 1.1 * step as f64 / 300.0;
        row(
            &mut csv,
            wib(29, 9, 30) + Duration::minutes(step),
            pct,
            PREV_CLOSE,
        );
    }
    let alerts = replay_cli(&csv, &[]);
    assert_eq!(rules(&alerts), vec!["day_move:up:0.5", "day_move:down:0.5"]);
    assert!(alerts[1]["title"]
        .as_str()
        .unwrap()
        .starts_with("Rupiah menguat"));
}

#[test]
fn a_new_trading_day_rearms() {
    let mut csv = String::new();
    row(&mut csv, wib(29, 10, 0), 0.55, PREV_CLOSE);
    row(&mut csv, wib(30, 10, 0), 0.57, 16700.0);
    let alerts = replay_cli(&csv, &[]);
    assert_eq!(rules(&alerts), vec!["day_move:up:0.5", "day_move:up:0.5"]);
}

#[test]
fn a_fast_jump_gives_fast_move() {
    let mut csv = String::new();
    row(&mut csv, wib(29, 10, 0), -0.06, PREV_CLOSE);
    row(&mut csv, wib(29, 10, 5), 0.10, PREV_CLOSE);
    row(&mut csv, wib(29, 10, 10), 0.29, PREV_CLOSE);
    let alerts = replay_cli(&csv, &[]);
    assert_eq!(rules(&alerts), vec!["fast_move:up:null"]);
    assert!(
        alerts[0]["title"]
            .as_str()
            .unwrap()
            .starts_with("Rupiah melemah cepat 0,35%"),
        "{}",
        alerts[0]["title"]
    );
    assert!(alerts[0]["body"]
        .as_str()
        .unwrap()
        .contains("dalam 60 menit terakhir"));
}

#[test]
fn levels_fire_on_crossing_stay_quiet_in_the_band_and_rearm_after_a_retreat() {
    let prev = 16950.0;
    let values = [
        16990.0, 17005.0, 16995.0, 17010.0, 16998.0, 17008.0, 16975.0, 16990.0, 17002.0,
    ];
    let mut csv = String::new();
    for (i, v) in values.iter().enumerate() {
        let change = v - prev;
        writeln!(
            csv,
            "{},USD/IDR,{v},{change:.2},{:.2}",
            (wib(29, 10, 0) + Duration::minutes(20 * i as i64)).to_rfc3339(),
            change / prev * 100.0
        )
        .unwrap();
    }
    let alerts = replay_cli(&csv, &["--level", "USD/IDR=17000"]);
    assert_eq!(
        rules(&alerts),
        vec!["level:up:null", "level:up:null"],
        "{alerts:#?}"
    );
    assert_eq!(alerts[0]["value"].as_f64(), Some(17005.0));
    assert_eq!(alerts[1]["value"].as_f64(), Some(17002.0));
    assert_eq!(
        alerts[0]["title"],
        "Rupiah melemah melewati Rp 17.000 per dolar AS"
    );
    // Indonesian number format also accepted for the level.
    assert_eq!(replay_cli(&csv, &["--level", "USD/IDR=17.000"]).len(), 2);
}

#[test]
fn stale_and_repeated_readings_never_fire() {
    let mut csv = String::new();
    row(&mut csv, wib(29, 8, 30), 0.9, PREV_CLOSE); // before the open
    row(&mut csv, wib(29, 17, 0), -1.2, PREV_CLOSE); // after the close
    row(
        &mut csv,
        FixedOffset::east_opt(7 * 3600)
            .unwrap()
            .with_ymd_and_hms(2025, 5, 3, 10, 0, 0)
            .unwrap(),
        2.0,
        PREV_CLOSE,
    ); // Saturday
    assert!(replay_cli(&csv, &[]).is_empty());

    // Friday's last reading fires; Monday's bar still shows it at the open: a repeat, no alert.
    let mut csv = String::new();
    let fri = FixedOffset::east_opt(7 * 3600)
        .unwrap()
        .with_ymd_and_hms(2025, 5, 2, 15, 50, 0)
        .unwrap();
    row(&mut csv, fri, 0.55, PREV_CLOSE);
    row(
        &mut csv,
        fri + Duration::days(3) - Duration::minutes(49),
        0.55,
        PREV_CLOSE,
    );
    row(
        &mut csv,
        fri + Duration::days(3) - Duration::minutes(30),
        0.55,
        PREV_CLOSE,
    );
    assert_eq!(rules(&replay_cli(&csv, &[])), vec!["day_move:up:0.5"]);
}

#[test]
fn wording_and_the_five_minute_gap() {
    let mut csv = String::new();
    writeln!(
        csv,
        "{},USD/IDR,16700,13.00,0.08",
        wib(29, 10, 40).to_rfc3339()
    )
    .unwrap();
    writeln!(
        csv,
        "{},USD/IDR,16774,87.00,0.52",
        wib(29, 10, 42).to_rfc3339()
    )
    .unwrap();
    let shown = replay_cli(&csv, &[]);
    assert_eq!(
        shown.len(),
        1,
        "day_move and fast_move fired together; one notification"
    );
    assert_eq!(
        shown[0]["title"],
        "Rupiah melemah 0,52% ke Rp 16.774 per dolar AS"
    );
    assert_eq!(
        shown[0]["body"],
        "USD/IDR naik 87,00 sejak penutupan sebelumnya · 10:42 WIB"
    );
    assert_eq!(shown[0]["at"], "2025-04-29T10:42:00+07:00");
    assert!(shown[0].get("shown").is_none());
    let all = replay_cli(&csv, &["--all"]);
    assert_eq!(all.len(), 2);
    assert_eq!(
        (all[0]["shown"].as_bool(), all[1]["shown"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(all[1]["rule"], "fast_move");
}

#[test]
fn english_and_other_indicators_by_config() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("alerts.json");
    std::fs::write(
        &config,
        r#"{"language":"en","symbols":{"IDX":{"day_move":{"step_pct":1.0},"fast_move":null}}}"#,
    )
    .unwrap();
    let mut csv = String::new();
    writeln!(csv, "{},IDX,6850,101.00,1.50", wib(29, 11, 0).to_rfc3339()).unwrap();
    writeln!(
        csv,
        "{},USD/IDR,16900,290.00,1.75",
        wib(29, 11, 0).to_rfc3339()
    )
    .unwrap();
    let alerts = replay_cli(&csv, &["--config", config.to_str().unwrap()]);
    assert_eq!(alerts.len(), 1, "USD/IDR is not in this config");
    assert_eq!(alerts[0]["title"], "IHSG rises 1.50% to 6,850");
    assert_eq!(alerts[0]["tier"].as_f64(), Some(1.0));
}

#[test]
fn quiet_hours_hold_alerts_and_sum_them_up_after() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("alerts.json");
    std::fs::write(&config, r#"{"quiet_hours":["09:00:00","11:00:00"]}"#).unwrap();
    let mut csv = String::new();
    row(&mut csv, wib(29, 9, 5), 0.55, PREV_CLOSE);
    row(&mut csv, wib(29, 10, 50), 1.05, PREV_CLOSE);
    row(&mut csv, wib(29, 11, 5), 1.06, PREV_CLOSE);
    let alerts = replay_cli(&csv, &["--config", config.to_str().unwrap()]);
    assert_eq!(rules(&alerts), vec!["summary:up:null"]);
    assert_eq!(alerts[0]["title"], "2 peringatan selama senyap");
}

#[test]
fn restart_in_the_middle_of_the_day_keeps_state() {
    let csv = slow_climb();
    let obs = replay::parse_csv(&csv, &MarketCalendar::default()).unwrap();
    let whole = replay::replay(&mut AlertEngine::new(AlertConfig::default()), &obs);
    let mut first = AlertEngine::new(AlertConfig::default());
    let mut split = replay::replay(&mut first, &obs[..150]);
    let saved = serde_json::to_string(first.state()).unwrap();
    drop(first);
    let state: AlertState = serde_json::from_str(&saved).unwrap();
    let mut second = AlertEngine::with_state(AlertConfig::default(), state);
    split.extend(replay::replay(&mut second, &obs[150..]));
    assert_eq!(whole, split);
    assert_eq!(whole.len(), 3);
    // Without the saved state, the restart would repeat today's first tier.
    let forgetful = replay::replay(&mut AlertEngine::new(AlertConfig::default()), &obs[150..]);
    assert!(forgetful.len() > 2);
}

#[test]
fn bad_csv_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, "yesterday,USD/IDR,1,2,3\n").unwrap();
    let out = common::cli()
        .args(["alerts", "replay", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1"));
}

#[test]
fn a_csv_saved_by_a_spreadsheet_replays_the_same() {
    // Spreadsheets save "CSV UTF-8" with a byte-order mark and CRLF line ends.
    let mut csv = String::new();
    row(&mut csv, wib(29, 9, 5), 0.2, PREV_CLOSE);
    row(&mut csv, wib(29, 9, 10), 1.05, PREV_CLOSE);
    let plain = replay_cli(&csv, &[]);
    let saved = format!(
        "\u{feff}observed_at,symbol,value,change,change_pct\r\n{}",
        csv.replace('\n', "\r\n")
    );
    assert_eq!(rules(&plain), vec!["day_move:up:1.0"]);
    assert_eq!(common::replay_lines("replay", &saved, &[]), plain);
}

#[test]
fn the_mornings_first_reading_repeating_last_nights_never_fires() {
    // The bar moves after 16:00 (outside trading hours, so no alert), and at 09:00 the next
    // morning the first reading repeats that post-close reading exactly: still no alert.
    let mut csv = String::new();
    row(&mut csv, wib(28, 15, 30), 0.2, PREV_CLOSE);
    row(&mut csv, wib(28, 16, 30), 0.66, PREV_CLOSE);
    row(&mut csv, wib(29, 9, 0), 0.66, PREV_CLOSE);
    row(&mut csv, wib(29, 9, 5), 0.66, PREV_CLOSE);
    assert!(
        replay_cli(&csv, &["--all"]).is_empty(),
        "yesterday's move is no news this morning"
    );
    // A real move in the morning still fires.
    row(&mut csv, wib(29, 9, 10), 1.05, PREV_CLOSE);
    assert_eq!(rules(&replay_cli(&csv, &[])), vec!["day_move:up:1.0"]);
}

#[test]
fn a_bigger_move_inside_the_gap_replaces_the_notification_on_screen() {
    // Seen on GNOME: 0,51% shown at 10:01; the jump to 1,13% at 10:04 must not be swallowed.
    let mut csv = String::new();
    row(&mut csv, wib(29, 10, 1), 0.51, PREV_CLOSE);
    row(&mut csv, wib(29, 10, 4), 1.13, PREV_CLOSE);
    row(&mut csv, wib(29, 10, 7), 1.14, PREV_CLOSE);
    let shown = replay_cli(&csv, &[]);
    assert_eq!(
        rules(&shown),
        vec!["day_move:up:0.5", "day_move:up:1.0"],
        "{shown:#?}"
    );
    assert_eq!(shown[1]["at"], "2025-04-29T10:04:00+07:00");
    assert!(shown[1]["title"]
        .as_str()
        .unwrap()
        .starts_with("Rupiah melemah 1,13%"));
    // A smaller or equal tier inside the gap still waits in the inbox, as before.
    let mut csv = String::new();
    row(&mut csv, wib(29, 10, 1), 1.02, PREV_CLOSE);
    row(&mut csv, wib(29, 10, 3), 0.2, PREV_CLOSE);
    row(&mut csv, wib(29, 10, 4), 1.04, PREV_CLOSE);
    assert_eq!(rules(&replay_cli(&csv, &[])), vec!["day_move:up:1.0"]);
}

#[test]
fn rupiah_alerts_may_break_through_quiet_hours() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("alerts.json");
    let mut csv = String::new();
    row(&mut csv, wib(29, 9, 5), 0.55, PREV_CLOSE);
    row(&mut csv, wib(29, 11, 5), 0.55, PREV_CLOSE);
    for (through, expected) in [(false, "summary:up:null"), (true, "day_move:up:0.5")] {
        std::fs::write(
            &config,
            format!(
                r#"{{"quiet_hours":["09:00:00","11:00:00"],"rupiah_through_quiet":{through}}}"#
            ),
        )
        .unwrap();
        let alerts = replay_cli(&csv, &["--config", config.to_str().unwrap()]);
        assert_eq!(rules(&alerts).first().map(String::as_str), Some(expected));
    }
}

#[cfg(unix)]
#[test]
fn an_endless_file_is_a_clear_error_not_all_the_memory() {
    let out = common::cli()
        .args(["alerts", "replay", "/dev/zero"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 1: longer than 4096 bytes"), "{err}");
}
