//! Commands that open the cache and (for the bar and lists) ask kontan first.

use crate::args::{AlertsCommand, Command, Common};
use crate::fail;
use crate::output::{self, out, reading_line, say};
use pantau_engine::engine::Patience;
use pantau_engine::sources::ReadingSource;
use pantau_engine::store::Store;
use pantau_engine::time::now_ms;
use pantau_engine::Engine;
use pantau_engine::{EngineConfig, Error, Origin};
use std::process::ExitCode;

fn open_engine(common: &Common) -> Result<Engine, Error> {
    let origin = Origin::from_flag_or_env(common.origin.as_deref())?;
    if let Some(url) = origin.url() {
        say!("pantau-cli: every kontan request goes to {url} instead of the real site");
    }
    let fetch = pantau_engine::FetchConfig::from_env()?;
    let db = common.db.clone().or_else(Store::default_path).unwrap_or_else(|| {
        say!("pantau-cli: no home folder to keep a cache in: using an in-memory cache, nothing is kept (--db FILE keeps one)");
        ":memory:".into()
    });
    let (store, recovery) = Store::open_or_recover(&db)?;
    if let Some(r) = recovery {
        say!("pantau-cli: {r}");
    }
    let mut config = EngineConfig::new(db, origin);
    config.fetch = fetch;
    Engine::with_store(config, store)
}

pub async fn run(common: Common, command: Command) -> ExitCode {
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
        } => crate::watch::watch(engine, bar_interval, list_interval, notify, common.json).await,
        Command::Alerts {
            command: AlertsCommand::Inbox { limit },
        } => inbox(&engine, limit, common.json),
        Command::Alerts {
            command: AlertsCommand::Words { command },
        } => crate::words::words(&engine, command, common.json),
        Command::Parse { .. } | Command::Alerts { .. } => unreachable!("handled offline"),
    }
}

async fn indicators(engine: &Engine, json: bool) -> ExitCode {
    let refreshed = engine.refresh_bar(Patience::UserAsked).await;
    let mut readings = match engine.readings(now_ms()) {
        Ok(r) => r,
        Err(e) => return fail(&e.to_string()),
    };
    match &refreshed {
        Ok(outcome) => {
            for r in &outcome.rejected {
                say!("pantau-cli: {} rejected: {}", r.symbol, r.reason);
            }
            if let Some(why) = &outcome.kontan_error {
                say!("pantau-cli: kontan's bar unavailable ({why}); USD/IDR and IDX from the fallback source");
                for r in readings
                    .iter_mut()
                    .filter(|r| r.source == ReadingSource::Kontan)
                {
                    r.stale = true;
                }
            }
        }
        Err(e @ Error::TooSoon(_)) if !readings.is_empty() => {
            say!("pantau-cli: {e}; showing the cached readings");
        }
        Err(e) => {
            if readings.is_empty() {
                return fail(
                    &Error::NothingCached(format!("kontan could not be reached: {e}")).to_string(),
                );
            }
            say!("pantau-cli: refresh failed ({e}); showing cached readings");
            for r in &mut readings {
                r.stale = true;
            }
        }
    }
    if readings.is_empty() {
        return fail("no readings");
    }
    if json {
        output::json(&readings, true);
    } else {
        for r in &readings {
            out!("{}", reading_line(r));
        }
    }
    ExitCode::SUCCESS
}

async fn headlines(engine: &Engine, channel: Option<&str>, limit: usize, json: bool) -> ExitCode {
    let channel = match channel
        .map(pantau_engine::sources::channel_name)
        .transpose()
    {
        Ok(c) => c,
        Err(e) => return fail(&e.to_string()),
    };
    let channel = channel.as_deref();
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
            say!("pantau-cli: {e}; showing the cached headlines");
        } else if list.is_empty() {
            return fail(
                &Error::NothingCached(format!("kontan could not be reached: {e}")).to_string(),
            );
        } else {
            say!("pantau-cli: refresh failed ({e}); showing cached headlines");
        }
    }
    if json {
        output::json(&list, true);
    } else {
        for h in &list {
            let when = h
                .headline
                .published_at
                .map(|d| d.format("%d/%m %H:%M").to_string())
                .unwrap_or_default();
            let channel = h.headline.channel.as_deref().unwrap_or("");
            out!(
                "{when:>11}  {channel:<13} {}\n             {}",
                h.headline.title,
                h.headline.url
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
        v["fetched_at"] = serde_json::json!(pantau_engine::time::to_wib(fetched_at));
        output::json(&v, true);
    } else {
        out!("{}\n", a.title);
        let byline: Vec<String> = [
            ("Reporter", &a.reporter),
            ("Sumber", &a.source),
            ("Editor", &a.editor),
        ]
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {v}")))
        .collect();
        if let Some(p) = a.published_at {
            out!("{} WIB", p.format("%d/%m/%Y %H:%M"));
        }
        if !byline.is_empty() {
            out!("{}", byline.join(" | "));
        }
        out!();
        for p in &a.paragraphs {
            out!("{p}\n");
        }
        for r in &a.related {
            out!("Baca juga: {} <{}>", r.title, r.url);
        }
        out!("\n{}", a.url);
    }
    ExitCode::SUCCESS
}

fn search(engine: &Engine, query: &str, limit: usize, json: bool) -> ExitCode {
    let hits = match engine.store().search(query, limit) {
        Ok(h) => h,
        Err(e) => return fail(&e.to_string()),
    };
    if json {
        output::json(&hits, true);
    } else if hits.is_empty() {
        say!("pantau-cli: nothing cached matches \"{query}\"");
    } else {
        for h in &hits {
            out!("{}\n  {}\n  {}", h.title, h.snippet, h.url);
        }
    }
    ExitCode::SUCCESS
}

fn inbox(engine: &Engine, limit: usize, json: bool) -> ExitCode {
    let alerts = match engine.store().alerts(limit) {
        Ok(a) => a,
        Err(e) => return fail(&e.to_string()),
    };
    if json {
        output::json(&alerts, true);
    } else {
        for a in &alerts {
            out!(
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
