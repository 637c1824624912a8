//! `pantau-cli`: Pantau's engine from the command line.
//!
//! [`args`] names every command; [`offline`] reads saved pages and replays alerts without a
//! cache; [`online`] answers from the cache after asking kontan; [`watch`] runs the refresh loop.

mod args;
mod offline;
mod online;
mod output;
mod watch;
mod words;

use args::{AlertsCommand, Cli, Command};
use clap::Parser;
use output::say;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let common = cli.common;
    match cli.command {
        Command::Parse { what, files, url } => offline::run_parse(what, &files, url.as_deref()),
        Command::Alerts {
            command:
                AlertsCommand::Replay {
                    file,
                    levels,
                    config,
                    all,
                },
        } => offline::alerts_replay(&file, &levels, config.as_deref(), all),
        Command::Alerts {
            command:
                AlertsCommand::ReplayNews {
                    file,
                    words,
                    quiet,
                    all,
                },
        } => offline::alerts_replay_news(&file, &words, quiet.as_deref(), all),
        command => {
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => return fail(&format!("cannot start: {e}")),
            };
            runtime.block_on(online::run(common, command))
        }
    }
}

pub(crate) fn fail(msg: &str) -> ExitCode {
    say!("pantau-cli: {msg}");
    ExitCode::FAILURE
}
