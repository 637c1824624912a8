//! `pantau-cli watch`: the refresh loop, one line per update.

use crate::fail;
use crate::output::{self, reading_line, say};
use pantau_engine::config::{seconds_in_range, MAX_INTERVAL_SECS};
use pantau_engine::refresh::{self, Event, SourceState};
use pantau_engine::Engine;
use pantau_engine::Error;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

pub async fn watch(
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
    let notifier = notify.then(|| pantau_engine::notify::Notifier::new(Default::default()));
    let stop = stop_asked();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            event = events.recv() => match event {
                Ok(event) => {
                    if let (Some(n), Event::Alert { alert }) = (&notifier, &event) {
                        if alert.shown {
                            let (n, alert) = (n.clone(), alert.clone());
                            tokio::spawn(async move {
                                if let Err(e) = n.deliver(&alert, None).await {
                                    say!("pantau-cli: {e}");
                                }
                            });
                        }
                    }
                    let line = if json { output::json_line(&event) } else { describe(&event) };
                    // A reader that has gone (`watch | head`) ends the watch like Ctrl-C does.
                    if output::try_stdout_line(&line).is_err() {
                        break;
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => say!("pantau-cli: skipped {n} events"),
                Err(_) => break,
            }
        }
    }
    handle.shutdown().await;
    ExitCode::SUCCESS
}

/// Resolves on Ctrl-C, or on SIGTERM where there is one (a service manager or a session ending
/// asks with it): either way the watch ends as it does on Ctrl-C, its writes finished.
async fn stop_asked() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
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
            SourceState::Ok => format!("{}: ok", st.source),
            SourceState::Error => format!(
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
