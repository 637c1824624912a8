//! `pantau-cli`: Pantau's engine from the command line.

use clap::{Args, Parser, Subcommand, ValueEnum};
use pantau_engine::config::{seconds_in_range, MAX_INTERVAL_SECS};
use pantau_engine::engine::{Engine, Patience};
use pantau_engine::parse::number::{arrow, format_id, shown_decimals};
use pantau_engine::parse::{self, DEFAULT_PAGE_URL};
use pantau_engine::refresh::{self, Event};
use pantau_engine::store::Store;
use pantau_engine::{EngineConfig, Error, Origin, ReadingView};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "pantau-cli",
    version,
    about = "Pantau: kontan.co.id markets and news, from the command line"
)]
struct Cli {
    #[command(flatten)]
    common: Common,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct Common {
    /// The cache file (default: the platform data dir; env PANTAU_DB).
    #[arg(long, global = true, env = "PANTAU_DB")]
    db: Option<PathBuf>,
    /// Send every kontan request to this origin instead, as ORIGIN/HOST/PATH (env PANTAU_KONTAN_ORIGIN).
    #[arg(long, global = true)]
    origin: Option<String>,
    /// Print JSON.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Parse saved kontan pages and print JSON, one document per line per file.
    Parse {
        /// What to read from the page.
        what: ParseKind,
        /// Saved pages (HTML, or RSS for headlines).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The pages' address, for resolving links.
        #[arg(long)]
        url: Option<String>,
    },
    /// The indicator bar as kontan shows it now (revalidated on every call).
    Indicators,
    /// The latest headlines (revalidated on every call).
    Headlines {
        /// Only this channel (keuangan, investasi, nasional, ...).
        #[arg(long)]
        channel: Option<String>,
        /// How many.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// A full article (multi-page stories joined), from the cache when offline.
    Article {
        /// The article's address.
        url: String,
        /// Fetch again even when cached.
        #[arg(long)]
        refresh: bool,
    },
    /// Search cached headlines and article text.
    Search {
        /// Words to find (diacritics ignored; the last word may be a prefix).
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Alerts: replay past readings to tune thresholds, or read the inbox.
    Alerts {
        #[command(subcommand)]
        command: AlertsCommand,
    },
    /// Run the refresh loop and print each update as it happens, until Ctrl-C.
    Watch {
        /// Seconds between bar refreshes (at least 30 against the real site).
        #[arg(long)]
        bar_interval: Option<f64>,
        /// Seconds between channel and feed refreshes (at least 60 against the real site).
        #[arg(long)]
        list_interval: Option<f64>,
        /// Show alerts as desktop notifications.
        #[arg(long)]
        notify: bool,
    },
}

#[derive(Subcommand)]
enum AlertsCommand {
    /// Run rows `observed_at,symbol,value,change,change_pct` through the alert engine and print
    /// one JSON line per notification shown.
    Replay {
        /// The readings (RFC 3339 times).
        file: PathBuf,
        /// A price level to watch, e.g. `USD/IDR=17000` (repeatable).
        #[arg(long = "level", value_name = "SYMBOL=VALUE")]
        levels: Vec<String>,
        /// Alert settings as JSON (default rules otherwise).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Also print the alerts that went only to the inbox, with "shown": false.
        #[arg(long)]
        all: bool,
    },
    /// The alert inbox, newest first.
    Inbox {
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ParseKind {
    Indicators,
    Headlines,
    Article,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let common = cli.common;
    match cli.command {
        Command::Parse { what, files, url } => run_parse(what, &files, url.as_deref()),
        Command::Alerts {
            command:
                AlertsCommand::Replay {
                    file,
                    levels,
                    config,
                    all,
                },
        } => alerts_replay(&file, &levels, config.as_deref(), all),
        command => {
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => return fail(&format!("cannot start: {e}")),
            };
            runtime.block_on(run_online(common, command))
        }
    }
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("pantau-cli: {msg}");
    ExitCode::FAILURE
}

fn open_engine(common: &Common) -> Result<Engine, Error> {
    let origin = Origin::from_flag_or_env(common.origin.as_deref())?;
    if let Some(url) = origin.url() {
        eprintln!("pantau-cli: every kontan request goes to {url} instead of the real site");
    }
    let fetch = pantau_engine::fetch::FetchConfig::from_env()?;
    let db = common.db.clone().unwrap_or_else(Store::default_path);
    let (store, recovery) = Store::open_or_recover(&db)?;
    if let Some(r) = recovery {
        eprintln!("pantau-cli: {r}");
    }
    let mut config = EngineConfig::new(db, origin);
    config.fetch = fetch;
    Engine::with_store(config, store)
}

async fn run_online(common: Common, command: Command) -> ExitCode {
    let engine = match open_engine(&common) {
        Ok(e) => e,
        Err(e) => return fail(&e.to_string()),
    };
    match command {
        Command::Indicators => indicators(&engine, common.json).await,
        Command::Headlines { channel, limit } => {
            headlines(&engine, channel.as_deref(), limit, common.json).await
        }
        Command::Article { url, refresh } => article(&engine, &url, refresh, common.json).await,
        Command::Search { query, limit } => search(&engine, &query, limit, common.json),
        Command::Watch {
            bar_interval,
            list_interval,
            notify,
        } => watch(engine, bar_interval, list_interval, notify, common.json).await,
        Command::Alerts {
            command: AlertsCommand::Inbox { limit },
        } => inbox(&engine, limit, common.json),
        Command::Parse { .. } | Command::Alerts { .. } => unreachable!("handled offline"),
    }
}

async fn indicators(engine: &Engine, json: bool) -> ExitCode {
    let refreshed = engine.refresh_bar(Patience::UserAsked).await;
    let mut readings = match engine.market() {
        Ok(m) => m.readings,
        Err(e) => return fail(&e.to_string()),
    };
    match &refreshed {
        Ok(outcome) => {
            for r in &outcome.rejected {
                eprintln!("pantau-cli: {} rejected: {}", r.symbol, r.reason);
            }
            if let Some(why) = &outcome.kontan_error {
                eprintln!("pantau-cli: kontan's bar unavailable ({why}); USD/IDR and IDX from the fallback source");
                for r in readings.iter_mut().filter(|r| r.source == "kontan") {
                    r.stale = true;
                }
            }
        }
        Err(e @ Error::TooSoon(_)) if !readings.is_empty() => {
            eprintln!("pantau-cli: {e}; showing the cached readings");
        }
        Err(e) => {
            if readings.is_empty() {
                return fail(
                    &Error::NothingCached(format!("kontan could not be reached: {e}")).to_string(),
                );
            }
            eprintln!("pantau-cli: refresh failed ({e}); showing cached readings");
            for r in &mut readings {
                r.stale = true;
            }
        }
    }
    if readings.is_empty() {
        return fail("no readings");
    }
    if json {
        let rows: Vec<serde_json::Value> = readings
            .iter()
            .map(|r| {
                serde_json::json!({
                    "symbol": r.symbol, "value": r.value, "change": r.change, "change_pct": r.change_pct,
                    "observed_at": r.observed_at, "source": r.source, "stale": r.stale,
                    "first_seen": r.first_seen, "freshness": r.freshness,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        );
    } else {
        for r in &readings {
            println!("{}", reading_line(r));
        }
    }
    ExitCode::SUCCESS
}

fn reading_line(r: &ReadingView) -> String {
    let arrow = arrow(r.change);
    let decimals = shown_decimals(r.value);
    let change_decimals = if r.change.fract() == 0.0 && r.change.abs() >= 100.0 {
        0
    } else {
        2
    };
    format!(
        "{:<11} {:>12} {} {:>9} {:>7}%  {} {}{}",
        r.symbol,
        format_id(r.value, decimals),
        arrow,
        format_id(r.change, change_decimals),
        format_id(r.change_pct, 2),
        r.observed_at.format("%H:%M WIB"),
        r.source,
        if r.stale { "  [basi]" } else { "" }
    )
}

async fn headlines(engine: &Engine, channel: Option<&str>, limit: usize, json: bool) -> ExitCode {
    let refreshed = match channel {
        Some(c) => engine
            .refresh_channel(c, Patience::UserAsked)
            .await
            .map(|_| ()),
        None => engine.refresh_bar(Patience::UserAsked).await.map(|_| ()),
    };
    let list = match engine.store().latest_headlines(channel, limit) {
        Ok(l) => l,
        Err(e) => return fail(&e.to_string()),
    };
    if let Err(e) = refreshed {
        if matches!(e, Error::TooSoon(_)) && !list.is_empty() {
            eprintln!("pantau-cli: {e}; showing the cached headlines");
        } else if list.is_empty() {
            return fail(
                &Error::NothingCached(format!("kontan could not be reached: {e}")).to_string(),
            );
        } else {
            eprintln!("pantau-cli: refresh failed ({e}); showing cached headlines");
        }
    }
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&list).unwrap_or_default()
        );
    } else {
        for h in &list {
            let when = h
                .headline
                .published_at
                .map(|d| d.format("%d/%m %H:%M").to_string())
                .unwrap_or_default();
            let channel = h.headline.channel.as_deref().unwrap_or("");
            println!(
                "{when:>11}  {channel:<13} {}\n             {}",
                h.headline.title, h.headline.url
            );
        }
    }
    ExitCode::SUCCESS
}

async fn article(engine: &Engine, url: &str, refresh: bool, json: bool) -> ExitCode {
    let (a, fetched_at) = match engine.article(url, refresh).await {
        Ok(a) => a,
        Err(e) => return fail(&e.to_string()),
    };
    let _ = engine.store().set_read(&a.url, true);
    if json {
        let mut v = serde_json::to_value(&a).unwrap_or_default();
        v["fetched_at"] = serde_json::json!(pantau_engine::engine::to_wib(fetched_at));
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        println!("{}\n", a.title);
        let byline: Vec<String> = [
            ("Reporter", &a.reporter),
            ("Sumber", &a.source),
            ("Editor", &a.editor),
        ]
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {v}")))
        .collect();
        if let Some(p) = a.published_at {
            println!("{} WIB", p.format("%d/%m/%Y %H:%M"));
        }
        if !byline.is_empty() {
            println!("{}", byline.join(" | "));
        }
        println!();
        for p in &a.paragraphs {
            println!("{p}\n");
        }
        for r in &a.related {
            println!("Baca juga: {} <{}>", r.title, r.url);
        }
        println!("\n{}", a.url);
    }
    ExitCode::SUCCESS
}

fn search(engine: &Engine, query: &str, limit: usize, json: bool) -> ExitCode {
    let hits = match engine.store().search(query, limit) {
        Ok(h) => h,
        Err(e) => return fail(&e.to_string()),
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&hits).unwrap_or_default()
        );
    } else if hits.is_empty() {
        eprintln!("pantau-cli: nothing cached matches \"{query}\"");
    } else {
        for h in &hits {
            println!("{}\n  {}\n  {}", h.title, h.snippet, h.url);
        }
    }
    ExitCode::SUCCESS
}

async fn watch(
    engine: Engine,
    bar: Option<f64>,
    lists: Option<f64>,
    notify: bool,
    json: bool,
) -> ExitCode {
    let mut engine = engine;
    let interval = |flag: &str, secs: Option<f64>| -> Result<Option<Duration>, Error> {
        secs.map(|s| {
            seconds_in_range(s, 0.05, MAX_INTERVAL_SECS).ok_or_else(|| {
                Error::InvalidValue(format!(
                    "{flag}: {s} is not a number of seconds from 0.05 to {MAX_INTERVAL_SECS}"
                ))
            })
        })
        .transpose()
    };
    let (bar, lists) = match (
        interval("--bar-interval", bar),
        interval("--list-interval", lists),
    ) {
        (Ok(b), Ok(l)) => (b, l),
        (Err(e), _) | (_, Err(e)) => return fail(&e.to_string()),
    };
    {
        let config = engine.config_mut();
        if let Some(d) = bar {
            config.intervals.bar = d;
        }
        if let Some(d) = lists {
            config.intervals.channels = d;
            config.intervals.feeds = d;
            config.intervals.prefetch = d;
        }
    }
    let (handle, mut events) = match refresh::start(Arc::new(engine)) {
        Ok(h) => h,
        Err(e) => return fail(&e.to_string()),
    };
    let stdout = std::io::stdout();
    let notifier = notify.then(|| pantau_engine::notify::Notifier::new(Default::default()));
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            event = events.recv() => match event {
                Ok(event) => {
                    if let (Some(n), Event::Alert { alert }) = (&notifier, &event) {
                        if alert.shown {
                            let (n, alert) = (n.clone(), alert.clone());
                            tokio::spawn(async move {
                                if let Err(e) = n.deliver(&alert, None).await {
                                    eprintln!("pantau-cli: {e}");
                                }
                            });
                        }
                    }
                    let line = if json { serde_json::to_string(&event).unwrap_or_default() } else { describe(&event) };
                    let mut out = stdout.lock();
                    if writeln!(out, "{line}").and_then(|_| out.flush()).is_err() {
                        break;
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => eprintln!("pantau-cli: skipped {n} events"),
                Err(_) => break,
            }
        }
    }
    handle.shutdown().await;
    ExitCode::SUCCESS
}

fn describe(event: &Event) -> String {
    match event {
        Event::Cached { snapshot } => {
            let mut s = format!(
                "dari cache: {} indikator, {} berita",
                snapshot.readings.len(),
                snapshot.headlines.len()
            );
            for r in &snapshot.readings {
                s.push('\n');
                s.push_str(&reading_line(r));
            }
            s
        }
        Event::IndicatorsUpdated {
            readings, changed, ..
        } => {
            let mut s = format!("indikator diperbarui ({} berubah)", changed.len());
            for r in readings.iter().filter(|r| changed.contains(&r.symbol)) {
                s.push('\n');
                s.push_str(&reading_line(r));
            }
            s
        }
        Event::HeadlinesUpdated {
            source,
            new,
            headlines,
        } => {
            let mut s = format!("{new} berita baru dari {source}");
            for h in headlines.iter().take(*new) {
                s.push_str(&format!("\n  {}", h.headline.title));
            }
            s
        }
        Event::ArticlesPrefetched { count } => {
            format!("{count} artikel disimpan untuk dibaca offline")
        }
        Event::Alert { alert } => format!(
            "peringatan{}: {} — {}",
            if alert.shown {
                ""
            } else {
                " (hanya di kotak masuk)"
            },
            alert.title,
            alert.body
        ),
        Event::SourceStatus(st) => match st.state {
            "ok" => format!("{}: ok", st.source),
            _ => format!(
                "{}: {} ({}); coba lagi {}",
                st.source,
                st.message.as_deref().unwrap_or("gagal"),
                st.error_kind.as_deref().unwrap_or(""),
                st.next_retry
                    .map(|t| t.format("%H:%M:%S WIB").to_string())
                    .unwrap_or_default()
            ),
        },
    }
}

fn alerts_replay(
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
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => return fail(&format!("{}: {e}", file.display())),
    };
    let calendar = pantau_engine::market::MarketCalendar::default();
    let observations = match replay::parse_csv(&text, &calendar) {
        Ok(o) => o,
        Err(e) => return fail(&format!("{}: {e}", file.display())),
    };
    let mut engine = AlertEngine::new(alert_config);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for alert in replay::replay(&mut engine, &observations) {
        if !alert.shown && !all {
            continue;
        }
        let mut line = serde_json::json!({
            "at": alert.at, "symbol": alert.symbol, "rule": alert.rule, "direction": alert.direction,
            "tier": alert.tier, "value": alert.value, "change_pct": alert.change_pct,
            "title": alert.title, "body": alert.body,
        });
        if all {
            line["shown"] = serde_json::json!(alert.shown);
        }
        if writeln!(out, "{line}").is_err() {
            return ExitCode::FAILURE;
        }
    }
    if out.flush().is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn inbox(engine: &Engine, limit: usize, json: bool) -> ExitCode {
    let alerts = match engine.store().alerts(limit) {
        Ok(a) => a,
        Err(e) => return fail(&e.to_string()),
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&alerts).unwrap_or_default()
        );
    } else {
        for a in &alerts {
            println!(
                "{}  {}{}\n       {}",
                a.at.format("%d/%m %H:%M"),
                a.title,
                if a.shown { "" } else { "  (tidak ditampilkan)" },
                a.body
            );
        }
    }
    ExitCode::SUCCESS
}

fn run_parse(what: ParseKind, files: &[PathBuf], url: Option<&str>) -> ExitCode {
    let page_url = match parse::page_url(url.unwrap_or(DEFAULT_PAGE_URL)) {
        Ok(u) => u,
        Err(e) => {
            eprintln!("pantau-cli: {e}");
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
                        eprintln!(
                            "pantau-cli: {}: {} rejected: {}",
                            file.display(),
                            r.symbol,
                            r.reason
                        );
                    }
                    serde_json::to_string(&bar.readings)
                }),
                ParseKind::Headlines => {
                    parse::parse_headlines(&body, &page_url).map(|h| serde_json::to_string(&h))
                }
                ParseKind::Article => {
                    parse::parse_article(&body, &page_url).map(|a| serde_json::to_string(&a))
                }
            }
        });
        let json = result
            .map_err(|e| e.to_string())
            .and_then(|r| r.map_err(|e| e.to_string()));
        match json {
            Ok(json) => {
                if writeln!(out, "{json}").is_err() {
                    return ExitCode::FAILURE;
                }
            }
            Err(e) => {
                eprintln!("pantau-cli: {}: {e}", file.display());
                failed = true;
            }
        }
    }
    if out.flush().is_err() || failed {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
