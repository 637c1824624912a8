//! Commands that need no cache: parsing saved pages, replaying readings through the alert rules.

use crate::args::ParseKind;
use crate::fail;
use crate::output::{self, say};
use pantau_engine::parse::{self, DEFAULT_PAGE_URL};
use pantau_engine::Error;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn alerts_replay(
    file: &std::path::Path,
    levels: &[String],
    config: Option<&std::path::Path>,
    all: bool,
) -> ExitCode {
    use pantau_engine::alerts::{config::AlertConfig, replay, AlertEngine};
    let mut alert_config = match config {
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<AlertConfig>(&t).map_err(|e| e.to_string()))
        {
            Ok(c) => c,
            Err(e) => return fail(&format!("{}: {e}", path.display())),
        },
        None => AlertConfig::default(),
    };
    for spec in levels {
        let parsed = spec.split_once('=').and_then(|(s, v)| {
            Some((
                s.trim(),
                pantau_engine::parse::number::parse_number(v.trim())?,
            ))
        });
        match parsed {
            Some((symbol, value)) if value > 0.0 => alert_config.add_level(symbol, value),
            _ => {
                return fail(&format!(
                    "--level {spec}: expected SYMBOL=VALUE, e.g. USD/IDR=17000"
                ))
            }
        }
    }
    let reader = match std::fs::File::open(file) {
        Ok(f) => std::io::BufReader::new(f),
        Err(e) => return fail(&format!("{}: {e}", file.display())),
    };
    let calendar = pantau_engine::market::MarketCalendar::default();
    let mut engine = AlertEngine::new(alert_config);
    // Rows are read and replayed one at a time: memory stays small whatever the file's size.
    let replayed = replay::replay_each(&mut engine, replay::read_csv(reader, &calendar), |alert| {
        if !alert.shown && !all {
            return;
        }
        let mut line = serde_json::json!({
            "at": alert.at, "symbol": alert.symbol, "rule": alert.rule, "direction": alert.direction,
            "tier": alert.tier, "value": alert.value, "change_pct": alert.change_pct,
            "title": alert.title, "body": alert.body,
        });
        if all {
            line["shown"] = serde_json::json!(alert.shown);
        }
        output::json(&line, false);
    });
    match replayed {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("{}: {e}", file.display())),
    }
}

pub fn alerts_replay_news(
    file: &std::path::Path,
    words: &[String],
    quiet: Option<&str>,
    all: bool,
) -> ExitCode {
    use pantau_engine::alerts::news::{NewsAlerts, NewsRules, NewsState};
    use pantau_engine::alerts::replay;
    let quiet_hours = match quiet.map(parse_quiet_hours).transpose() {
        Ok(q) => q,
        Err(e) => return fail(&e),
    };
    let words = pantau_engine::alerts::words::add_words(&[], words);
    if words.is_empty() {
        return fail("--word: nothing to match in the words given");
    }
    let rows = match std::fs::File::open(file)
        .map_err(|e| e.to_string())
        .and_then(|f| replay::read_news_csv(std::io::BufReader::new(f)).map_err(|e| e.to_string()))
    {
        Ok(rows) => rows,
        Err(e) => return fail(&format!("{}: {e}", file.display())),
    };
    let rules = NewsRules {
        words,
        quiet_hours,
        ..NewsRules::default()
    };
    let mut alerts = NewsAlerts::new(rules, NewsState::default());
    for alert in replay::replay_news(&mut alerts, &rows) {
        if alert.shown || all {
            // The public shape, in this order.
            #[derive(serde::Serialize)]
            struct Line<'a> {
                at: &'a chrono::DateTime<chrono::FixedOffset>,
                words: &'a [String],
                urls: &'a [String],
                title: &'a str,
                body: &'a str,
                shown: bool,
            }
            let line = Line {
                at: &alert.at,
                words: &alert.words,
                urls: &alert.urls,
                title: &alert.title,
                body: &alert.body,
                shown: alert.shown,
            };
            output::json(&line, false);
        }
    }
    ExitCode::SUCCESS
}

/// `HH:MM-HH:MM` (WIB) as a pair of times.
fn parse_quiet_hours(spec: &str) -> Result<(chrono::NaiveTime, chrono::NaiveTime), String> {
    let bad = || format!("--quiet {spec}: expected HH:MM-HH:MM, e.g. 22:00-06:00");
    let (from, to) = spec.split_once('-').ok_or_else(bad)?;
    let time = |s: &str| chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| bad());
    let (from, to) = (time(from)?, time(to)?);
    if from == to {
        return Err(bad());
    }
    Ok((from, to))
}

pub fn run_parse(what: ParseKind, files: &[PathBuf], url: Option<&str>) -> ExitCode {
    let page_url = match parse::page_url(url.unwrap_or(DEFAULT_PAGE_URL)) {
        Ok(u) => u,
        Err(e) => {
            say!("pantau-cli: {e}");
            return ExitCode::from(2);
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = false;
    for file in files {
        let result = std::fs::read(file).map_err(Error::from).and_then(|bytes| {
            let body = String::from_utf8_lossy(&bytes);
            match what {
                ParseKind::Indicators => parse::parse_indicators(&body).map(|bar| {
                    for r in &bar.rejected {
                        say!(
                            "pantau-cli: {}: {} rejected: {}",
                            file.display(),
                            r.symbol,
                            r.reason
                        );
                    }
                    output::json_line(&bar.readings)
                }),
                ParseKind::Headlines => {
                    parse::parse_headlines(&body, &page_url).map(|h| output::json_line(&h))
                }
                ParseKind::Article => {
                    parse::parse_article(&body, &page_url).map(|a| output::json_line(&a))
                }
            }
        });
        match result {
            Ok(json) => output::stdout_line(&json),
            Err(e) => {
                say!("pantau-cli: {}: {e}", file.display());
                failed = true;
            }
        }
    }
    if out.flush().is_err() || failed {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
